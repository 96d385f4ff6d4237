#include "config.h"

#include "config/conf.h"

/* The corpus: every good config loads and survives print → parse; every
 * bad config fails with exactly the text in its .err sidecar; the seed's
 * two files load with the expected warnings and summary. */

#include "suites.h"
#include "config/kad_lex.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Returns the i-th file (sorted) of dir matching the pattern, as a name
 * relative to dir, after chdir(dir) so messages carry that short name.
 * Caller frees. NULL when there is no such file. */
static char *corpus_file(const char *dir, const char *pattern, int i)
{
	glob_t g;
	char *name = NULL;

	ck_assert_int_eq(chdir(corpus_dir(dir)), 0);
	if (glob(pattern, 0, NULL, &g) != 0)
		return NULL;
	if ((size_t)i < g.gl_pathc)
		name = strdup(g.gl_pathv[i]);
	globfree(&g);
	return name;
}

static int corpus_count(const char *dir, const char *pattern)
{
	char cwd[4096];
	glob_t g;
	int n = 0;

	if (!getcwd(cwd, sizeof(cwd)))
		return 0;
	if (chdir(corpus_dir(dir)) == 0 && glob(pattern, 0, NULL, &g) == 0) {
		n = (int)g.gl_pathc;
		globfree(&g);
	}
	if (chdir(cwd) != 0)
		return 0;
	return n;
}

static bool is_kad(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".conf") == 0;
}

static struct config *load_one(const char *name, struct config_diag *d)
{
	return is_kad(name) ? config_load(name, NULL, true, false, d) :
		config_load(NULL, name, false, true, d);
}

static void collect_diff(const struct config_change_item *it, void *arg)
{
	strbuf_printf(arg, "%s %s %s %s\n", config_obj_kind_name(it->kind),
		      it->id, config_change_name(it->change),
		      it->fields ? it->fields : "");
}

/* print → parse gives the same model, and printing is idempotent. */
void check_round_trip(const struct config *cfg, const char *name)
{
	struct strbuf k = STRBUF_INIT, h = STRBUF_INIT;
	struct strbuf k2 = STRBUF_INIT, h2 = STRBUF_INIT;
	struct strbuf msg = STRBUF_INIT;
	struct config_diag d = CONFIG_DIAG_INIT;
	struct config *again;

	config_print_keepalived(cfg, &k);
	config_print_haproxy(cfg, &h);
	again = config_load_buffers("rt.conf", strbuf_str(&k), k.len, "rt.cfg",
				    strbuf_str(&h), h.len, &d);
	config_diag_format(&d, &msg);
	ck_assert_msg(again != NULL, "%s: printed config does not load:\n%s\n"
		      "%s\n%s", name, strbuf_str(&msg), strbuf_str(&k),
		      strbuf_str(&h));
	/* the printed form is modern: no deprecation warnings; only the
	 * keywords softlb ignores (logging and the like) warn again */
	for (size_t i = 0; i < d.len; i++)
		ck_assert_msg(d.items[i].severity != CONFIG_WARNING ||
			      strstr(d.items[i].msg, "accepted, not implemented"),
			      "%s: printed config warns: %s", name,
			      d.items[i].msg);
	config_diff(cfg, again, collect_diff, &msg);
	ck_assert_msg(config_equal(cfg, again), "%s: round trip differs:\n%s",
		      name, strbuf_str(&msg));
	config_print_keepalived(again, &k2);
	config_print_haproxy(again, &h2);
	ck_assert_str_eq(strbuf_str(&k), strbuf_str(&k2));
	ck_assert_str_eq(strbuf_str(&h), strbuf_str(&h2));
	config_free(again);
	config_diag_free(&d);
	strbuf_free(&k);
	strbuf_free(&h);
	strbuf_free(&k2);
	strbuf_free(&h2);
	strbuf_free(&msg);
}

static void good_file(const char *pattern, int i)
{
	char *name = corpus_file("good", pattern, i);
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf msg = STRBUF_INIT;
	struct config *cfg;

	ck_assert_ptr_nonnull(name);
	cfg = load_one(name, &d);
	config_diag_format(&d, &msg);
	ck_assert_msg(cfg != NULL, "%s:\n%s", name, strbuf_str(&msg));
	check_round_trip(cfg, name);
	config_free(cfg);
	config_diag_free(&d);
	strbuf_free(&msg);
	free(name);
}

START_TEST(good_kad)
{
	good_file("*.conf", _i);
}
END_TEST

START_TEST(good_hap)
{
	good_file("*.cfg", _i);
}
END_TEST

/* Each bad file fails with exactly its sidecar's text. */
static void bad_file(const char *pattern, int i)
{
	char *name = corpus_file("bad", pattern, i);
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf got = STRBUF_INIT, errname = STRBUF_INIT;
	struct config *cfg;
	char *want;
	size_t len;

	ck_assert_ptr_nonnull(name);
	cfg = load_one(name, &d);
	ck_assert_msg(cfg == NULL, "%s loaded", name);
	config_diag_format(&d, &got);
	strbuf_printf(&errname, "%s.err", name);
	want = cfg_read_file(strbuf_str(&errname), &len);
	ck_assert_msg(want != NULL, "%s is missing", strbuf_str(&errname));
	ck_assert_str_eq(strbuf_str(&got), want);
	free(want);
	strbuf_free(&got);
	strbuf_free(&errname);
	config_diag_free(&d);
	free(name);
}

START_TEST(bad_kad)
{
	bad_file("*.conf", _i);
}
END_TEST

START_TEST(bad_hap)
{
	bad_file("*.cfg", _i);
}
END_TEST

START_TEST(seed_loads)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct config *cfg;

	ck_assert_int_eq(chdir(corpus_dir("good")), 0);
	cfg = config_load("seed-keepalived.conf", "seed-haproxy.cfg", true,
			  true, &d);
	config_diag_format(&d, &sb);
	ck_assert_msg(cfg != NULL, "%s", strbuf_str(&sb));
	config_summary(cfg, &d, &sb);
	ck_assert_str_eq(strbuf_str(&sb),
"seed-haproxy.cfg:4: warning: 'chroot' accepted, not implemented\n"
"seed-haproxy.cfg:5: warning: 'daemon' accepted, not implemented\n"
"seed-haproxy.cfg:6: warning: 'nbproc' is deprecated (HAProxy 2.5 removed "
"it); use 'nbthread'\n"
"seed-haproxy.cfg:7: warning: 'pidfile' accepted, not implemented\n"
"seed-haproxy.cfg:17: warning: 'contimeout' is deprecated; use 'timeout "
"connect 5s'\n"
"seed-haproxy.cfg:18: warning: 'clitimeout' is deprecated; use 'timeout "
"client 50s'\n"
"seed-haproxy.cfg:19: warning: 'srvtimeout' is deprecated; use 'timeout "
"server 50s'\n"
"seed-haproxy.cfg:21: warning: 'listen NAME ADDR:PORT' is deprecated; use "
"'bind 0.0.0.0:80' in the section\n"
"seed-haproxy.cfg:29: warning: 'listen NAME ADDR:PORT' is deprecated; use "
"'bind 0.0.0.0:88' in the section\n"
"seed-haproxy.cfg:37: warning: 'listen NAME ADDR:PORT' is deprecated; use "
"'bind 0.0.0.0:808' in the section\n"
"seed-haproxy.cfg:41: warning: 'listen NAME ADDR:PORT' is deprecated; use "
"'bind 0.0.0.0:89' in the section\n"
"1 VRRP instances (1 sync groups), 1 virtual servers with 2 real servers, "
"4 proxies with 4 servers, 11 warnings\n"
"  VRRP instances: VI_1 (MASTER, eth0, VRID 59, priority 100, 1 VIP)\n"
"  sync groups: VG1 (VI_1)\n"
"  virtual servers: TCP 10.10.209.199:8180 (wlc, DR, persistent 600s, 2 "
"real servers)\n"
"  proxies: http_proxy_80 (listen, http, 0.0.0.0:80, 1 server), "
"hts_proxy_88 (listen, http, 0.0.0.0:88, 2 servers), tcp_proxy_808 "
"(listen, tcp, 0.0.0.0:808, 1 server), haproxy_status_89 (listen, http, "
"0.0.0.0:89, 0 servers)\n");
	check_round_trip(cfg, "seed");
	config_free(cfg);
	config_diag_free(&d);
	strbuf_free(&sb);
}
END_TEST

/* The seed's model, field by field, as the LVS, VRRP and proxy engines
 * will read it. */
START_TEST(seed_model)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct config *cfg;
	const struct cfg_virtual_server *vs;
	const struct cfg_proxy *px;

	ck_assert_int_eq(chdir(corpus_dir("good")), 0);
	cfg = config_load("seed-keepalived.conf", "seed-haproxy.cfg", true,
			  true, &d);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(cfg->global.router_id, "fetion");
	ck_assert_str_eq(cfg->vrrp[0].auth_pass, "feton");
	ck_assert_int_eq(cfg->vrrp[0].advert_int_ms, 1000);
	vs = cfg->vs[0];
	ck_assert_int_eq(vs->persistence_timeout_ms, 600000);
	ck_assert_int_eq(vs->co.delay_loop_ms, 6000);
	ck_assert_int_eq(vs->rs[1].weight, 100);
	ck_assert_int_eq(vs->rs[1].checkers[0].kind, CFG_CHECK_TCP);
	ck_assert_int_eq(vs->rs[1].checkers[0].co.connect_timeout_ms, 3000);
	ck_assert_int_eq(vs->rs[1].checkers[0].co.delay_loop_ms, 6000);
	px = &cfg->proxies[0];
	ck_assert_int_eq(px->balance, CFG_BALANCE_HDR);
	ck_assert_str_eq(px->balance_arg, "pragma");
	ck_assert_int_eq(px->timeout_ms[CFG_TO_CLIENT], 50000);
	ck_assert_int_eq(px->retries, 2);
	ck_assert_int_eq(px->maxconn, 409600);
	ck_assert_int_eq(px->servers[0].o.weight, 10);
	ck_assert_int_eq(cfg->proxies[2].mode, CFG_MODE_TCP);
	ck_assert_int_eq(cfg->proxies[3].stats_refresh_ms, 2000);
	ck_assert_str_eq(cfg->proxies[3].stats_uri, "/haproxy-stats");
	config_free(cfg);
	config_diag_free(&d);
}
END_TEST

Suite *config_corpus_suite(void)
{
	Suite *s = suite_create("config-corpus");
	TCase *t = tcase_create("corpus");

	tcase_add_test(t, seed_loads);
	tcase_add_test(t, seed_model);
	tcase_add_loop_test(t, good_kad, 0, corpus_count("good", "*.conf"));
	tcase_add_loop_test(t, good_hap, 0, corpus_count("good", "*.cfg"));
	tcase_add_loop_test(t, bad_kad, 0, corpus_count("bad", "*.conf"));
	tcase_add_loop_test(t, bad_hap, 0, corpus_count("bad", "*.cfg"));
	suite_add_tcase(s, t);
	return s;
}
