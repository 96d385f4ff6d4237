#include "config.h"

#include "config/conf.h"

/* Fail closed, keyword by keyword: not-implemented.txt lists every
 * keyword softlb knows but does not implement, with its verdict. Each
 * line is loaded in a small valid configuration of its context: "warn"
 * must load with one "accepted, not implemented" warning, "error" must
 * refuse the whole configuration with the not-yet message at that line.
 * The list must cover every not-implemented row of the keyword tables,
 * so a row added without a verdict fails here. */

#include "suites.h"
#include "config/hap_parse.h"
#include "config/kad_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ni_case {
	char dialect[16];
	char context[16];
	char verdict[8];
	char line[512];		/* unescaped: may hold newlines */
};

#define MAX_CASES 512

static struct ni_case cases[MAX_CASES];
static int n_cases = -1;

static void unescape(const char *in, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; in[i] && o + 1 < cap; i++) {
		if (in[i] == '\\' && in[i + 1] == 'n') {
			out[o++] = '\n';
			i++;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
}

static void load_cases(void)
{
	char path[4096], buf[1024];
	FILE *f;

	if (n_cases >= 0)
		return;
	n_cases = 0;
	snprintf(path, sizeof(path), "%s/not-implemented.txt", corpus_dir("."));
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while (fgets(buf, sizeof(buf), f)) {
		struct ni_case *c;
		char *dialect, *context, *verdict, *line, *save = NULL;

		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0] == '#' || buf[0] == '\0')
			continue;
		dialect = strtok_r(buf, "\t", &save);
		context = strtok_r(NULL, "\t", &save);
		verdict = strtok_r(NULL, "\t", &save);
		line = strtok_r(NULL, "", &save);
		ck_assert_msg(dialect && context && verdict && line,
			      "bad line in not-implemented.txt: %s", buf);
		ck_assert_int_lt(n_cases, MAX_CASES);
		c = &cases[n_cases++];
		snprintf(c->dialect, sizeof(c->dialect), "%s", dialect);
		snprintf(c->context, sizeof(c->context), "%s", context);
		snprintf(c->verdict, sizeof(c->verdict), "%s", verdict);
		unescape(line, c->line, sizeof(c->line));
	}
	fclose(f);
}

#define VI_BODY \
	"    state BACKUP\n    interface eth0\n    virtual_router_id 51\n" \
	"    priority 100\n    advert_int 1\n" \
	"    virtual_ipaddress {\n        192.0.2.1\n    }\n"

/* Builds the configuration text around the case's line; *at is the
 * line number the keyword is on. */
static void build(const struct ni_case *c, struct strbuf *out, int *at)
{
	const char *before = NULL, *after = NULL;
	bool hap = strcmp(c->dialect, "haproxy") == 0;

	if (hap && strcmp(c->context, "global") == 0) {
		before = "global\n";
		after = "\n";
	} else if (hap && strcmp(c->context, "defaults") == 0) {
		before = "defaults\n    mode http\n";
		after = "\n";
	} else if (hap && strcmp(c->context, "listen") == 0) {
		before = "listen p\n    mode http\n    bind 127.0.0.1:8080\n";
		after = "\n    server s 127.0.0.1:80\n";
	} else if (hap && strcmp(c->context, "frontend") == 0) {
		before = "frontend f\n    mode http\n    bind 127.0.0.1:8080\n"
			 "    default_backend b\n";
		after = "\nbackend b\n    mode http\n    server s 127.0.0.1:80\n";
	} else if (hap && strcmp(c->context, "backend") == 0) {
		before = "backend b\n    mode http\n";
		after = "\n    server s 127.0.0.1:80\n";
	} else if (!hap && strcmp(c->context, "top") == 0) {
		before = "";
		after = "\n";
	} else if (!hap && strcmp(c->context, "global") == 0) {
		before = "global_defs {\n";
		after = "\n}\n";
	} else if (!hap && strcmp(c->context, "script") == 0) {
		before = "vrrp_script chk {\n    script \"/bin/true\"\n";
		after = "\n}\n";
	} else if (!hap && strcmp(c->context, "vrrp") == 0) {
		before = "vrrp_instance V {\n" VI_BODY;
		after = "\n}\n";
	} else if (!hap && strcmp(c->context, "sync") == 0) {
		before = "vrrp_instance V {\n" VI_BODY "}\n"
			 "vrrp_sync_group G {\n    group {\n        V\n    }\n";
		after = "\n}\n";
	} else if (!hap && strcmp(c->context, "vs") == 0) {
		before = "virtual_server 192.0.2.10 80 {\n    protocol TCP\n";
		after = "\n    real_server 198.51.100.1 80 {\n        weight 1\n"
			"    }\n}\n";
	} else if (!hap && strcmp(c->context, "rs") == 0) {
		before = "virtual_server 192.0.2.10 80 {\n    protocol TCP\n"
			 "    real_server 198.51.100.1 80 {\n";
		after = "\n    }\n}\n";
	}
	ck_assert_msg(before != NULL, "unknown context %s %s", c->dialect,
		      c->context);
	*at = 1;
	for (const char *s = before; *s; s++)
		*at += *s == '\n';
	strbuf_puts(out, before);
	strbuf_puts(out, c->line);
	strbuf_puts(out, after);
}

START_TEST(not_implemented_verdict)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
	const struct ni_case *c;
	struct config *cfg;
	bool hap;
	int at;

	load_cases();
	if (_i >= n_cases)
		return;
	c = &cases[_i];
	hap = strcmp(c->dialect, "haproxy") == 0;
	build(c, &text, &at);
	cfg = config_load_buffers("t.conf", hap ? NULL : strbuf_str(&text),
				  hap ? 0 : text.len, "t.cfg",
				  hap ? strbuf_str(&text) : NULL,
				  hap ? text.len : 0, &d);
	config_diag_format(&d, &msg);
	if (strcmp(c->verdict, "warn") == 0) {
		bool found = false;

		ck_assert_msg(cfg != NULL, "'%s' should load with a warning:\n%s",
			      c->line, strbuf_str(&msg));
		for (size_t i = 0; i < d.len; i++)
			found |= d.items[i].line == at &&
				 strstr(d.items[i].msg, "accepted, not "
					"implemented") != NULL;
		ck_assert_msg(found, "'%s': no warning at line %d:\n%s",
			      c->line, at, strbuf_str(&msg));
	} else {
		ck_assert_str_eq(c->verdict, "error");
		ck_assert_msg(cfg == NULL, "'%s' should be refused", c->line);
		ck_assert_uint_eq(d.n_errors, 1);
		ck_assert_msg(d.items[d.len - 1].line == at &&
			      strstr(d.items[d.len - 1].msg,
				     "is not implemented by softlb yet; "
				     "ignoring it would change") != NULL,
			      "'%s': want the not-yet error at line %d, got:\n%s",
			      c->line, at, strbuf_str(&msg));
	}
	config_free(cfg);
	config_diag_free(&d);
	strbuf_free(&text);
	strbuf_free(&msg);
}
END_TEST

static bool listed(const char *dialect, const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; i < n_cases; i++) {
		const char *l = cases[i].line;

		if (strcmp(cases[i].dialect, dialect) == 0 &&
		    strncmp(l, name, n) == 0 &&
		    (l[n] == ' ' || l[n] == '\0' || l[n] == '\n'))
			return true;
	}
	return false;
}

/* Every not-implemented row of the tables has a verdict in the list. */
START_TEST(not_implemented_listed)
{
	load_cases();
	/* the list was read (it shrinks as keywords get implemented) */
	ck_assert_int_gt(n_cases, 200);
	for (const struct hap_kw *k = hap_keywords; k->name; k++)
		if (!k->set)
			ck_assert_msg(listed("haproxy", k->name),
				      "haproxy '%s' has no verdict in "
				      "not-implemented.txt", k->name);
	for (const struct kad_kw *k = kad_kw_vrrp; k->name; k++)
		if (!k->set)
			ck_assert_msg(listed("keepalived", k->name),
				      "keepalived '%s' has no verdict in "
				      "not-implemented.txt", k->name);
	for (const struct kad_kw *k = kad_kw_lvs; k->name; k++)
		if (!k->set)
			ck_assert_msg(listed("keepalived", k->name),
				      "keepalived '%s' has no verdict in "
				      "not-implemented.txt", k->name);
}
END_TEST

Suite *config_notimpl_suite(void)
{
	Suite *s = suite_create("config-not-implemented");
	TCase *tc = tcase_create("verdicts");

	tcase_add_loop_test(tc, not_implemented_verdict, 0, MAX_CASES);
	tcase_add_test(tc, not_implemented_listed);
	suite_add_tcase(s, tc);
	return s;
}
