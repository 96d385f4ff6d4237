#include "config.h"

#include "config/conf.h"

/* The property behind configure mode's validation: config_edit_finish()
 * checks only the objects an edit touched (and what they refer to), so
 * it must agree with what a reload of the whole model would say. For
 * every configuration of the corpus, a fixed-seed run of random edits —
 * weights, new and deleted real servers and servers, schedulers, methods,
 * balance, VRRP priorities, group members, some out of range — is made
 * through config_clone / the edit functions / config_edit_finish, and
 * after each one the whole model is printed and loaded back: the partial
 * verdict equals the whole one, an accepted model loads back equal to
 * itself, and the diff that walks only the edited objects finds what the
 * whole diff finds. */

#include "suites.h"
#include "config/edit.h"
#include "config/model.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EDITS_PER_FILE 200

static glob_t files;

static void files_load(void)
{
	char pattern[4096];

	if (files.gl_pathc)
		return;
	snprintf(pattern, sizeof(pattern), "%s/*.conf", corpus_dir("good"));
	glob(pattern, 0, NULL, &files);
	snprintf(pattern, sizeof(pattern), "%s/*.cfg", corpus_dir("good"));
	glob(pattern, files.gl_pathc ? GLOB_APPEND : 0, NULL, &files);
}

static unsigned rnd_state;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return n ? (rnd_state >> 16) % n : 0;
}

static void key_of(const struct cfg_virtual_server *vs, struct config_vs_key *k)
{
	memset(k, 0, sizeof(*k));
	k->kind = vs->kind;
	k->protocol = vs->protocol;
	k->ep = vs->ep;
	k->fwmark = vs->fwmark;
	if (vs->group)
		snprintf(k->group, sizeof(k->group), "%s", vs->group);
}

/* One random edit of w; returns the edit functions' result. */
static int random_edit(struct config *w, struct strbuf *err)
{
	static const char *const sched[] = { "rr", "wrr", "lc", "sh", "mh", "bogus" };
	static const long long weights[] = { 0, 1, 7, 100, 65535, 65536, -5 };
	char addr[64];
	struct config_vs_key key;

	switch (rnd(8)) {
	case 0:
	case 1:
		if (w->n_vs) {
			const struct cfg_virtual_server *vs = w->vs[rnd((unsigned)w->n_vs)];

			key_of(vs, &key);
			if (vs->n_rs && rnd(2)) {
				struct strbuf ep = STRBUF_INIT;
				int rc;

				cfg_endpoint_text(&vs->rs[rnd((unsigned)vs->n_rs)].ep, &ep);
				rc = rnd(4) ? config_edit_rs_set(w, &key, strbuf_str(&ep),
								 weights[rnd(7)],
								 CFG_LB_KIND_UNSET, NULL, err)
					    : config_edit_rs_delete(w, &key, strbuf_str(&ep), err);
				strbuf_free(&ep);
				return rc;
			}
			snprintf(addr, sizeof(addr), vs->af == CFG_AF_INET6 ?
				 "[2001:db8::%u]:80" : "198.51.100.%u:80", 1 + rnd(250));
			return config_edit_rs_set(w, &key, addr, weights[rnd(7)],
						  CFG_LB_KIND_UNSET, NULL, err);
		}
		return 0;
	case 2:
		if (w->n_vs) {
			struct config_vs_change c = CONFIG_VS_CHANGE_NONE;

			key_of(w->vs[rnd((unsigned)w->n_vs)], &key);
			c.scheduler = sched[rnd(6)];
			if (rnd(3) == 0)
				c.method = (enum cfg_lb_kind)(1 + rnd(3));
			if (rnd(3) == 0)
				c.persistence_s = rnd(2) ? 300 : 9999999;
			return config_edit_vs_set(w, &key, &c, NULL, err);
		}
		return 0;
	case 3: {
		struct config_vs_change c = CONFIG_VS_CHANGE_NONE;

		snprintf(addr, sizeof(addr), "203.0.113.%u:%u", 1 + rnd(250), 1 + rnd(1000));
		if (config_vs_key_addr(&key, addr, rnd(2) ? "tcp" : "udp", err) < 0)
			return -1;
		return config_edit_vs_set(w, &key, &c, NULL, err);
	}
	case 4:
	case 5:
		for (size_t i = 0; i < w->n_proxies; i++) {
			const struct cfg_proxy *px = &w->proxies[rnd((unsigned)w->n_proxies)];

			if (px->kind == CFG_PROXY_FRONTEND)
				continue;
			if (px->n_servers && rnd(3) == 0)
				return config_edit_server_delete(
					w, px->name, px->servers[rnd((unsigned)px->n_servers)].name,
					err);
			snprintf(addr, sizeof(addr), "198.51.100.%u:8080", 1 + rnd(250));
			return config_edit_server_set(w, px->name, rnd(2) ? "s1" : "new",
						      addr, weights[rnd(7)], (int)rnd(3) - 1,
						      NULL, err);
		}
		return 0;
	case 6:
		if (w->n_proxies) {
			struct config_proxy_change c = CONFIG_PROXY_CHANGE_NONE;

			c.balance = (enum cfg_balance)(1 + rnd(4));
			return config_edit_proxy_set(w, w->proxies[rnd((unsigned)w->n_proxies)].name,
						     &c, NULL, err);
		}
		return 0;
	default:
		if (w->n_vrrp)
			return config_edit_vrrp_priority(w, w->vrrp[rnd((unsigned)w->n_vrrp)].name,
							 (long long)rnd(300), err);
		if (w->n_vs_groups) {
			struct config_vsg_member m = { false, 0, NULL, NULL };

			snprintf(addr, sizeof(addr), "192.0.2.%u:%u", 1 + rnd(200), rnd(3) * 80);
			m.addrport = addr;
			return config_edit_vsg_member(w, w->vs_groups[0].name, &m, rnd(4) != 0,
						      err);
		}
		return 0;
	}
}

static void put_item(const struct config_change_item *it, void *arg)
{
	strbuf_printf(arg, "%s %s %s %s\n", config_obj_kind_name(it->kind), it->id,
		      config_change_name(it->change), it->fields ? it->fields : "");
}

/* Both dialects of m, as write memory would print them. */
static void model_text(const struct config *m, struct strbuf *out)
{
	config_print_keepalived(m, out);
	config_print_haproxy(m, out);
}

static void same_text(const struct config *m, const struct strbuf *before,
		      const char *path, int e)
{
	struct strbuf now = STRBUF_INIT;

	model_text(m, &now);
	ck_assert_msg(strcmp(strbuf_str(&now), strbuf_str(before)) == 0,
		      "%s edit %d: editing the copy changed the original", path, e);
	strbuf_free(&now);
}

/* What a reload of the whole model says. */
static struct config *whole_verdict(const struct config *m)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf kad = STRBUF_INIT, hap = STRBUF_INIT;
	struct config *back;

	config_print_keepalived(m, &kad);
	config_print_haproxy(m, &hap);
	back = config_load_buffers("k", strbuf_str(&kad), kad.len, "h",
				   strbuf_str(&hap), hap.len, &d);
	config_diag_free(&d);
	strbuf_free(&kad);
	strbuf_free(&hap);
	return back;
}

START_TEST(edits_agree_with_reload)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	const char *path;
	struct config *cfg;
	size_t n;
	int accepted = 0;

	files_load();
	ck_assert_msg((size_t)_i < files.gl_pathc, "no corpus under %s", corpus_dir("good"));
	path = files.gl_pathv[_i];
	n = strlen(path);
	cfg = n > 5 && strcmp(path + n - 5, ".conf") == 0 ?
		config_load(path, NULL, true, false, &d) :
		config_load(NULL, path, false, true, &d);
	ck_assert_ptr_nonnull(cfg);
	config_diag_free(&d);
	rnd_state = 1234u + (unsigned)_i;
	for (int e = 0; e < EDITS_PER_FILE; e++) {
		struct strbuf err = STRBUF_INIT, before = STRBUF_INIT;
		struct config *w = config_clone(cfg, NULL), *whole, *done;
		int rc;

		/* The clone shares cfg's virtual servers (copy-on-write): no
		 * edit of it, accepted or refused, may show in cfg. */
		model_text(cfg, &before);
		rc = random_edit(w, &err);
		same_text(cfg, &before, path, e);
		if (rc < 0) {
			/* refused by the edit function itself: nothing to validate */
			config_free(w);
			strbuf_free(&err);
			strbuf_free(&before);
			continue;
		}
		whole = whole_verdict(w);
		done = config_edit_finish(w, &err);
		same_text(cfg, &before, path, e);
		strbuf_free(&before);
		ck_assert_msg((done != NULL) == (whole != NULL),
			      "%s edit %d: partial validation says %s, a reload says %s: %s",
			      path, e, done ? "yes" : "no", whole ? "yes" : "no",
			      strbuf_str(&err));
		if (done) {
			struct strbuf diff = STRBUF_INIT, full = STRBUF_INIT;

			/* the diff that walks only the marked objects finds
			 * exactly what the whole walk finds */
			config_diff(cfg, done, put_item, &full);
			config_diff_marked(cfg, done, done->edit_marks, put_item, &diff);
			ck_assert_str_eq(strbuf_str(&diff), strbuf_str(&full));
			strbuf_reset(&diff);
			strbuf_free(&full);
			config_edit_marks_clear(done);

			config_diff(done, whole, put_item, &diff);
			ck_assert_msg(diff.len == 0, "%s edit %d: the edited model does not "
				      "load back as itself:\n%s", path, e, strbuf_str(&diff));
			strbuf_free(&diff);
			config_free(cfg);
			cfg = done;
			accepted++;
		}
		config_free(whole);
		strbuf_free(&err);
	}
	ck_assert_int_gt(accepted, 0);
	config_free(cfg);
}
END_TEST

/* The validation is the edited objects': an edit that leaves a touched
 * object invalid is refused, as a whole reload would. */
START_TEST(finish_checks_the_edited_object)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = load_text("virtual_server 192.0.2.10 80 {\n"
				       "    real_server 198.51.100.1 80 {\n    }\n}\n",
				       NULL, NULL);
	struct config *w = config_clone(cfg, NULL);
	struct config_vs_key key;

	ck_assert_int_eq(config_vs_key_addr(&key, "192.0.2.10:80", "tcp", &err), 0);
	ck_assert_int_eq(config_edit_rs_set(w, &key, "198.51.100.2:80", 5,
					    CFG_LB_KIND_UNSET, NULL, &err), 0);
	/* what only a bug could leave: the parser is the backstop */
	strcpy(config_vs_own(w, 0)->lb_algo, "bogus");
	ck_assert_ptr_null(config_edit_finish(w, &err));
	ck_assert_msg(strstr(strbuf_str(&err), "'lvs_sched' expects") != NULL, "%s",
		      strbuf_str(&err));
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

Suite *config_edit_prop_suite(void)
{
	Suite *s = suite_create("config-edit-property");
	TCase *tc = tcase_create("partial-validation");

	files_load();
	tcase_add_loop_test(tc, edits_agree_with_reload, 0,
			    files.gl_pathc ? (int)files.gl_pathc : 1);
	tcase_add_test(tc, finish_checks_the_edited_object);
	suite_add_tcase(s, tc);
	return s;
}
