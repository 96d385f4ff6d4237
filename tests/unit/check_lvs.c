/* check_lvs: the LVS engine against an in-memory IPVS (fake_ipvs.c), so
 * that what a change costs in the kernel is counted request by request in
 * make check, without the VM: adoption at start, ownership (what softlbd
 * did not make is never deleted), drains, a configuration change the
 * kernel refuses (rolled back), and the changed set's flush (a weight
 * edit, a health transition and an override on 1,000 services each touch
 * only their own service). The VM tests (tests/vm) stay the real check.
 *
 * The engine runs as softlbd runs it: lvs_module's init, apply,
 * runtime_changed and stop, a real event loop (the flush of health
 * reports is its before-sleep hook), the real configuration loader and
 * changesets, and the operator commands through the grammar.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/changeset.h"
#include "config/conf.h"
#include "config/diag.h"
#include "config/index.h"
#include "config/model.h"
#include "config/vs_key.h"
#include "core/confmgr.h"
#include "core/daemon.h"
#include "core/loop.h"
#include "core/runtime.h"
#include "ctl/cmd-t.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "fake_ipvs.h"
#include "lvs/ipvs.h"
#include "lvs/lvs_int.h"
#include "util/strbuf.h"

/* ------------------------------------------------------------------ */
/* A daemon with the LVS engine alone (lvs_alone below)                 */

static struct softlbd D;

static struct config *load(const char *kad)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct config *cfg = config_load_buffers("test.conf", kad, strlen(kad), NULL, NULL, 0,
						 &diag);

	ck_assert_msg(cfg != NULL, "the test configuration does not load");
	config_diag_free(&diag);
	return cfg;
}

static struct lvs_engine *engine(void)
{
	return D.module_priv[0];
}

/* The engines of this test: the LVS engine alone (the whole list would
 * start the others, and the runtime commands would hand an override to
 * engines that never started). */
static const struct module_ops *const lvs_alone[] = { &lvs_module };

static void start(const char *kad)
{
	struct strbuf err = STRBUF_INIT;

	memset(&D, 0, sizeof(D));
	D.modules = lvs_alone;
	D.n_modules = 1;
	D.loop = loop_new();
	D.grammar = grammar_new();
	D.runtime = runtime_new();
	confmgr_set_running(&D, load(kad));
	D.opts.lvs_reconcile_interval_s = 3600;	/* no timer pass in a test */
	D.opts.lvs_drain_timeout_s = 60;
	ck_assert_int_eq(runtime_register(D.grammar, &err), 0);
	ck_assert_int_eq(lvs_module.init(&D, &D.module_priv[0], &err), 0);
	ck_assert_ptr_nonnull(engine());
	strbuf_free(&err);
}

static void stop(void)
{
	lvs_module.stop(&D, D.module_priv[0]);
	confmgr_set_running(&D, NULL);
	runtime_free(D.runtime);
	grammar_free(D.grammar);
	loop_free(D.loop);
	memset(&D, 0, sizeof(D));
	fake_ipvs_reset();
}

/* Applies kad as confmgr_apply does for the LVS engine; err (may be NULL)
 * gets the refusal. Returns apply's result. */
static int apply(const char *kad, struct strbuf *err)
{
	struct config *cfg = load(kad);
	struct config_changeset cs;
	struct strbuf e = STRBUF_INIT;
	int rc;

	config_changeset_build(&cs, D.config, cfg);
	rc = lvs_module.apply(&D, D.module_priv[0], &cs, err ? err : &e);
	config_changeset_free(&cs);
	if (rc == 0) {
		confmgr_set_running(&D, cfg);
	} else {
		config_free(cfg);
	}
	strbuf_free(&e);
	return rc;
}

/* Runs an operator command as the shell would send it. */
static void command(const char *line)
{
	struct cmd_match m;
	struct strbuf out = STRBUF_INIT;
	struct cmd_ctx ctx = { &D, NULL, &out, false, CMD_NODE_VIEW, CTL_ROLE_ADMIN };

	grammar_match(D.grammar, line, CMD_NODE_VIEW, CTL_ROLE_ADMIN, &m);
	ck_assert_msg(m.status == CMD_MATCH_OK, "'%s' does not parse", line);
	ck_assert_int_eq(m.def->handler(&ctx, m.args), CTL_OK);
	ck_assert_msg(strstr(strbuf_str(&out), "warning") == NULL, "%s: %s", line,
		      strbuf_str(&out));
	cmd_match_clear(&m);
	strbuf_free(&out);
}

/* ------------------------------------------------------------------ */
/* Configurations                                                      */

/* n virtual servers 192.0.2.1:1000+i TCP, DR, 4 real servers each
 * (198.51.100.1-4), all weight 1 but server rs of service edit, weight w
 * (edit -1: none). sched: virtual server edit's scheduler. */
static char *services(size_t n, long edit, int rs, int w, const char *sched)
{
	struct strbuf b = STRBUF_INIT;

	for (size_t i = 0; i < n; i++) {
		strbuf_printf(&b, "virtual_server 192.0.2.1 %zu {\n  lb_algo %s\n  lb_kind DR\n"
			      "  protocol TCP\n", 1000 + i,
			      (long)i == edit && sched ? sched : "wlc");
		for (int r = 1; r <= 4; r++)
			strbuf_printf(&b, "  real_server 198.51.100.%d %zu {\n    weight %d\n  }\n",
				      r, 1000 + i, (long)i == edit && r == rs ? w : 1);
		strbuf_puts(&b, "}\n");
	}
	return strbuf_detach(&b);
}

static struct ipvs_service_key svc_key(size_t i)
{
	struct ipvs_service_key k;

	memset(&k, 0, sizeof(k));
	k.af = AF_INET;
	k.protocol = IPPROTO_TCP;
	inet_pton(AF_INET, "192.0.2.1", k.addr.raw);
	k.port = (uint16_t)(1000 + i);
	return k;
}

static struct ipvs_dest dest_id(int r, size_t i)
{
	struct ipvs_dest d;
	char a[32];

	memset(&d, 0, sizeof(d));
	d.af = AF_INET;
	snprintf(a, sizeof(a), "198.51.100.%d", r);
	inet_pton(AF_INET, a, d.addr.raw);
	d.port = (uint16_t)(1000 + i);
	return d;
}

static const struct ipvs_dest *kernel_dest(size_t i, int r)
{
	struct ipvs_service_key k = svc_key(i);
	struct ipvs_dest d = dest_id(r, i);

	return fake_ipvs_dest(&k, &d);
}

/* ------------------------------------------------------------------ */
/* Start, adoption, ownership                                          */

START_TEST(test_start_programs_everything)
{
	char *kad = services(10, -1, 0, 0, NULL);

	start(kad);
	ck_assert_uint_eq(fake_ipvs_n_services(), 10);
	for (size_t i = 0; i < 10; i++) {
		struct ipvs_service_key k = svc_key(i);

		ck_assert_uint_eq(fake_ipvs_n_dests(&k), 4);
		ck_assert_str_eq(fake_ipvs_service(&k)->sched_name, "wlc");
		ck_assert_uint_eq(kernel_dest(i, 2)->fwd, IPVS_FWD_ROUTE);
	}
	/* Batched: each service and real server one add, nothing else
	 * but the first pass's reads. */
	ck_assert_uint_eq(fake_ipvs_count(FAKE_ADD_SERVICE), 10);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_ADD_DEST), 40);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_EDIT_DEST), 0);
	stop();
	free(kad);
}
END_TEST

START_TEST(test_adopt_and_ownership)
{
	char *kad = services(3, -1, 0, 0, NULL);
	char *two = services(2, -1, 0, 0, NULL);
	struct ipvs_service svc, foreign;
	struct ipvs_service_key fk;

	/* The kernel already holds the three services (a restart) with
	 * one weight wrong, and one service someone made by hand. */
	for (size_t i = 0; i < 3; i++) {
		ipvs_service_init(&svc, AF_INET);
		svc.key = svc_key(i);
		snprintf(svc.sched_name, sizeof(svc.sched_name), "wlc");
		ck_assert_int_eq(fake_ipvs_put_service(&svc), 0);
		for (int r = 1; r <= 4; r++) {
			struct ipvs_dest d = dest_id(r, i);

			d.fwd = IPVS_FWD_ROUTE;
			d.weight = i == 1 && r == 3 ? 7 : 1;
			ck_assert_int_eq(fake_ipvs_put_dest(&svc.key, &d), 0);
		}
	}
	ipvs_service_init(&foreign, AF_INET);
	foreign.key = svc_key(500);
	snprintf(foreign.sched_name, sizeof(foreign.sched_name), "rr");
	ck_assert_int_eq(fake_ipvs_put_service(&foreign), 0);
	fk = foreign.key;

	start(kad);
	/* Adopted, not re-made: the connections of a restart survive. */
	ck_assert_uint_eq(fake_ipvs_count(FAKE_ADD_SERVICE), 0);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_ADD_DEST), 0);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_DEL_SERVICE), 0);
	/* The drifted weight is put back in place, nothing else edited. */
	ck_assert_uint_eq(fake_ipvs_count(FAKE_EDIT_DEST), 1);
	ck_assert_int_eq(kernel_dest(1, 3)->weight, 1);
	ck_assert_uint_eq(fake_ipvs_n_services(), 4);

	/* A service leaves the configuration: deleted, being ours; the
	 * foreign one stays. */
	fake_ipvs_clear_counts();
	ck_assert_int_eq(apply(two, NULL), 0);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_DEL_SERVICE), 1);
	{
		struct ipvs_service_key gone = svc_key(2);

		ck_assert_ptr_null(fake_ipvs_service(&gone));
	}
	ck_assert_ptr_nonnull(fake_ipvs_service(&fk));
	ck_assert_uint_eq(fake_ipvs_n_services(), 3);
	stop();
	free(kad);
	free(two);
}
END_TEST

START_TEST(test_removed_real_server_drains)
{
	char *kad = services(2, -1, 0, 0, NULL);
	struct strbuf b = STRBUF_INIT;
	struct ipvs_dest *d;
	char *three;

	start(kad);
	/* Real server 4 of service 0 has connections when it leaves the
	 * configuration: weight 0, kept; gone once they end. */
	d = (struct ipvs_dest *)kernel_dest(0, 4);
	d->active_conns = 3;
	strbuf_puts(&b, kad);
	{
		/* The same, without real server 198.51.100.4 of the first. */
		char *p = strstr(b.data, "  real_server 198.51.100.4 1000 {");
		char *end = strstr(p, "}\n") + 2;

		memmove(p, end, strlen(end) + 1);
		b.len = strlen(b.data);
	}
	three = strbuf_detach(&b);
	ck_assert_int_eq(apply(three, NULL), 0);
	ck_assert_ptr_nonnull(kernel_dest(0, 4));
	ck_assert_int_eq(kernel_dest(0, 4)->weight, 0);
	ck_assert_uint_eq(engine()->n_drains, 1);
	((struct ipvs_dest *)kernel_dest(0, 4))->active_conns = 0;
	{
		struct strbuf err = STRBUF_INIT;

		lvs_reconcile_some(engine(), &err);
		strbuf_free(&err);
	}
	ck_assert_ptr_null(kernel_dest(0, 4));
	ck_assert_uint_eq(engine()->n_drains, 0);
	stop();
	free(kad);
	free(three);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The changed set: cost proportional to the change                    */

#define BIG 1000

START_TEST(test_weight_edit_touches_one_service)
{
	char *kad = services(BIG, -1, 0, 0, NULL);
	char *edited = services(BIG, 617, 2, 40, NULL);
	struct ipvs_service_key k = svc_key(617);
	struct ipvs_counters before, after;

	start(kad);
	ck_assert_uint_eq(fake_ipvs_n_services(), BIG);
	fake_ipvs_clear_counts();
	fake_ipvs_watch(&k);
	ipvs_get_counters(engine()->h, &before);

	ck_assert_int_eq(apply(edited, NULL), 0);
	ck_assert_int_eq(kernel_dest(617, 2)->weight, 40);
	/* Exactly: read the service, list its real servers, edit one. */
	ck_assert_uint_eq(fake_ipvs_count_others(), 0);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_GET_SERVICE), 1);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_LIST_DESTS), 1);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_EDIT_DEST), 1);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_LIST_SERVICES), 0);
	ck_assert_uint_eq(fake_ipvs_total(), 3);
	/* The counters show status prints say the same. */
	ipvs_get_counters(engine()->h, &after);
	ck_assert_uint_eq(after.requests - before.requests, 3);
	ck_assert_uint_eq(after.services_listed - before.services_listed, 1);
	ck_assert_uint_eq(after.dest_lists - before.dest_lists, 1);
	/* Nothing else moved: every other service as it was. */
	ck_assert_int_eq(kernel_dest(616, 2)->weight, 1);
	ck_assert_int_eq(kernel_dest(617, 1)->weight, 1);
	ck_assert_uint_eq(engine()->want.n_svcs, BIG);
	/* The change named its virtual server: found without building an
	 * index of the 1,000 (nothing proportional to the configuration). */
	ck_assert_ptr_null(engine()->cfgx.cfg);
	/* Rebuilt in its place: show virtual-server keeps the order. */
	ck_assert(lvs_key_equal(&engine()->want.svcs[617].svc.key, &k));
	ck_assert_int_eq(engine()->want.svcs[617].dests[1].dest.weight, 40);
	stop();
	free(kad);
	free(edited);
}
END_TEST

START_TEST(test_health_transition_touches_one_service)
{
	char *kad = services(BIG, -1, 0, 0, NULL);
	struct ipvs_service_key k = svc_key(42);
	const struct cfg_virtual_server *vs;
	struct strbuf err = STRBUF_INIT;
	unsigned long flushes;
	struct cfg_rs_key key;

	start(kad);
	vs = D.config->vs[42];
	lvs_rs_key_of(vs, &vs->rs[0], &key);
	fake_ipvs_clear_counts();
	fake_ipvs_watch(&k);
	flushes = engine()->flushes;

	/* Reported down: marked, nothing sent until the loop's pass ends. */
	ck_assert_int_eq(lvs_set_rs_up(&D, &key, false, &err), 0);
	ck_assert_uint_eq(fake_ipvs_total(), 0);
	ck_assert_ptr_nonnull(kernel_dest(42, 1));
	loop_run_once(D.loop, 0);
	ck_assert_ptr_null(kernel_dest(42, 1));
	ck_assert_uint_eq(fake_ipvs_count_others(), 0);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_DEL_DEST), 1);
	ck_assert_uint_eq(fake_ipvs_total(), 3);
	ck_assert_uint_eq(engine()->flushes, flushes + 1);

	/* Up again: added back, again that service only. */
	fake_ipvs_clear_counts();
	ck_assert_int_eq(lvs_set_rs_up(&D, &key, true, &err), 0);
	loop_run_once(D.loop, 0);
	ck_assert_ptr_nonnull(kernel_dest(42, 1));
	ck_assert_uint_eq(fake_ipvs_count_others(), 0);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_ADD_DEST), 1);
	ck_assert_uint_eq(fake_ipvs_total(), 3);

	/* Many reports in one pass: one flush, one service each. */
	fake_ipvs_watch(NULL);
	fake_ipvs_clear_counts();
	flushes = engine()->flushes;
	for (size_t i = 100; i < 110; i++) {
		const struct cfg_virtual_server *v = D.config->vs[i];
		struct cfg_rs_key key2;

		lvs_rs_key_of(v, &v->rs[3], &key2);
		ck_assert_int_eq(lvs_set_rs_up(&D, &key2, false, &err), 0);
	}
	loop_run_once(D.loop, 0);
	ck_assert_uint_eq(engine()->flushes, flushes + 1);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_DEL_DEST), 10);
	ck_assert_uint_eq(fake_ipvs_total(), 30);
	ck_assert_ptr_null(kernel_dest(105, 4));

	/* An outage: every real server of 200 services down in one pass,
	 * then back in another (the health table grows to 800 and empties,
	 * by hash). */
	for (int up = 0; up <= 1; up++) {
		fake_ipvs_clear_counts();
		for (size_t i = 200; i < 400; i++) {
			const struct cfg_virtual_server *v = D.config->vs[i];
			for (int r = 0; r < 4; r++) {
				struct cfg_rs_key key2;

				lvs_rs_key_of(v, &v->rs[r], &key2);
				ck_assert_int_eq(lvs_set_rs_up(&D, &key2, up, &err), 0);
			}
		}
		ck_assert_uint_eq(engine()->n_health, up ? 10 : 810);
		loop_run_once(D.loop, 0);
		ck_assert_uint_eq(fake_ipvs_count(up ? FAKE_ADD_DEST : FAKE_DEL_DEST), 800);
		ck_assert_uint_eq(fake_ipvs_count(FAKE_GET_SERVICE), 0);	/* one dump */
		ck_assert_uint_eq(fake_ipvs_count(FAKE_LIST_SERVICES), 1);
		{
			struct ipvs_service_key k300 = svc_key(300);

			ck_assert_uint_eq(fake_ipvs_n_dests(&k300), up ? 4 : 0);
		}
	}
	strbuf_free(&err);
	stop();
	free(kad);
}
END_TEST

/* The model index outlives a model of the same size (an edit replaces
 * the model for every change): hits are checked against the new model,
 * and a service the index does not know is found by a rebuild. */
START_TEST(test_index_survives_model_swap)
{
	char *kad = services(BIG, -1, 0, 0, NULL);
	struct strbuf moved = STRBUF_INIT, err = STRBUF_INIT;
	const struct cfg_virtual_server *vs;
	unsigned long builds;
	struct cfg_rs_key key;

	start(kad);
	/* a health report builds the index */
	vs = D.config->vs[42];
	lvs_rs_key_of(vs, &vs->rs[0], &key);
	ck_assert_int_eq(lvs_set_rs_up(&D, &key, false, &err), 0);
	loop_run_once(D.loop, 0);
	ck_assert_ptr_null(kernel_dest(42, 1));
	builds = engine()->cfgx.builds;
	ck_assert_uint_ge(builds, 1);

	/* service 3 becomes port 5003: as many services, one new key */
	for (const char *p = kad, *q; *p; p = q) {
		q = strstr(p, " 1003 {");
		if (!q) {
			strbuf_puts(&moved, p);
			break;
		}
		strbuf_append(&moved, p, (size_t)(q - p));
		strbuf_puts(&moved, " 5003 {");
		q += strlen(" 1003 {");
	}
	ck_assert_int_eq(apply(strbuf_str(&moved), NULL), 0);
	ck_assert_ptr_nonnull(kernel_dest(4003, 1));
	ck_assert_ptr_null(kernel_dest(3, 1));
	ck_assert_uint_eq(fake_ipvs_n_services(), BIG);

	/* a known service: found by the kept index, checked, no rebuild */
	vs = D.config->vs[42];
	lvs_rs_key_of(vs, &vs->rs[1], &key);
	ck_assert_int_eq(lvs_set_rs_up(&D, &key, false, &err), 0);
	loop_run_once(D.loop, 0);
	ck_assert_ptr_null(kernel_dest(42, 2));
	ck_assert_uint_eq(engine()->cfgx.builds, builds);

	/* the new one: a miss, confirmed by one rebuild, and found */
	vs = D.config->vs[3];
	lvs_rs_key_of(vs, &vs->rs[0], &key);
	ck_assert_int_eq(lvs_set_rs_up(&D, &key, false, &err), 0);
	loop_run_once(D.loop, 0);
	ck_assert_ptr_null(kernel_dest(4003, 1));
	ck_assert_ptr_nonnull(kernel_dest(4003, 2));
	ck_assert_uint_eq(engine()->cfgx.builds, builds + 1);
	strbuf_free(&moved);
	strbuf_free(&err);
	stop();
	free(kad);
}
END_TEST

START_TEST(test_override_touches_one_service)
{
	char *kad = services(BIG, -1, 0, 0, NULL);
	struct ipvs_service_key k = svc_key(900);

	start(kad);
	fake_ipvs_clear_counts();
	fake_ipvs_watch(&k);
	/* An operator's weight: at once, that service only. */
	command("real-server 198.51.100.3:1900 of 192.0.2.1:1900 tcp weight 9");
	ck_assert_int_eq(kernel_dest(900, 3)->weight, 9);
	ck_assert_uint_eq(fake_ipvs_count_others(), 0);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_EDIT_DEST), 1);
	ck_assert_uint_eq(fake_ipvs_total(), 3);

	/* A drain on top, then a restore: each touches it alone. */
	fake_ipvs_clear_counts();
	command("real-server 198.51.100.3:1900 of 192.0.2.1:1900 tcp drain");
	ck_assert_int_eq(kernel_dest(900, 3)->weight, 0);
	ck_assert_uint_eq(fake_ipvs_total(), 3);
	command("real-server 198.51.100.3:1900 of 192.0.2.1:1900 tcp restore");
	ck_assert_int_eq(kernel_dest(900, 3)->weight, 1);
	ck_assert_uint_eq(fake_ipvs_count_others(), 0);
	ck_assert_uint_eq(fake_ipvs_total(), 6);

	/* Disable: out of the kernel. */
	command("real-server 198.51.100.3:1900 of 192.0.2.1:1900 tcp disable");
	ck_assert_ptr_null(kernel_dest(900, 3));
	ck_assert_uint_eq(fake_ipvs_count_others(), 0);
	stop();
	free(kad);
}
END_TEST

START_TEST(test_refused_change_rolls_back)
{
	char *kad = services(50, -1, 0, 0, NULL);
	/* Service 20 asks for a scheduler the kernel lacks, and a weight
	 * changes with it: the change is refused, both stay as they were. */
	char *bad = services(50, 20, 1, 30, "sed");
	struct strbuf err = STRBUF_INIT;
	struct ipvs_service_key k = svc_key(20);

	start(kad);
	fake_ipvs_refuse_scheduler("sed");
	fake_ipvs_clear_counts();
	fake_ipvs_watch(&k);
	ck_assert_int_eq(apply(bad, &err), -1);
	ck_assert_msg(strstr(strbuf_str(&err), "TCP 192.0.2.1:1020") != NULL, "%s",
		      strbuf_str(&err));
	ck_assert_msg(strstr(strbuf_str(&err), "no such scheduler") != NULL, "%s",
		      strbuf_str(&err));
	ck_assert_str_eq(fake_ipvs_service(&k)->sched_name, "wlc");
	ck_assert_int_eq(kernel_dest(20, 1)->weight, 1);
	ck_assert_uint_eq(fake_ipvs_count_others(), 0);
	/* The engine still wants the running configuration. */
	ck_assert_str_eq(lvs_desired_find(&engine()->want, &k)->svc.sched_name, "wlc");
	ck_assert_int_eq(lvs_desired_find(&engine()->want, &k)->dests[0].dest.weight, 1);

	/* A new service refused: not left behind in the kernel. */
	fake_ipvs_clear_counts();
	fake_ipvs_watch(NULL);
	{
		char *more = services(51, 50, 1, 1, "sed");

		strbuf_reset(&err);
		ck_assert_int_eq(apply(more, &err), -1);
		free(more);
	}
	{
		struct ipvs_service_key k50 = svc_key(50);

		ck_assert_ptr_null(fake_ipvs_service(&k50));
		ck_assert_ptr_null(lvs_desired_find(&engine()->want, &k50));
	}
	ck_assert_uint_eq(fake_ipvs_n_services(), 50);
	strbuf_free(&err);
	stop();
	free(kad);
	free(bad);
}
END_TEST

START_TEST(test_group_change_touches_its_services)
{
	const char *base =
		"virtual_server_group web {\n  192.0.2.50-52 80\n}\n"
		"virtual_server group web {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
		"  real_server 198.51.100.9 8080 {\n    weight 2\n  }\n}\n"
		"virtual_server 192.0.2.60 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
		"  real_server 198.51.100.9 8080 {\n    weight 2\n  }\n}\n";
	const char *grown =
		"virtual_server_group web {\n  192.0.2.50-53 80\n}\n"
		"virtual_server group web {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
		"  real_server 198.51.100.9 8080 {\n    weight 2\n  }\n}\n"
		"virtual_server 192.0.2.60 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
		"  real_server 198.51.100.9 8080 {\n    weight 2\n  }\n}\n";
	struct ipvs_service_key k;

	start(base);
	ck_assert_uint_eq(fake_ipvs_n_services(), 4);
	fake_ipvs_clear_counts();
	ck_assert_int_eq(apply(grown, NULL), 0);
	ck_assert_uint_eq(fake_ipvs_n_services(), 5);
	memset(&k, 0, sizeof(k));
	k.af = AF_INET;
	k.protocol = IPPROTO_TCP;
	k.port = 80;
	inet_pton(AF_INET, "192.0.2.53", k.addr.raw);
	ck_assert_ptr_nonnull(fake_ipvs_service(&k));
	/* The group's four services, not the other virtual server. */
	ck_assert_uint_eq(fake_ipvs_count(FAKE_GET_SERVICE), 4);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_ADD_SERVICE), 1);

	/* And back: the one that left is deleted. */
	ck_assert_int_eq(apply(base, NULL), 0);
	ck_assert_ptr_null(fake_ipvs_service(&k));
	ck_assert_uint_eq(fake_ipvs_n_services(), 4);
	ck_assert_uint_eq(engine()->want.n_svcs, 4);
	stop();
}
END_TEST

/* One key for config and LVS (config/vs_key.h): the model's index finds
 * each virtual server by the key the engine makes of it, the key the
 * check engine's name parses to is the same, and a health report by the
 * typed key of a group's real server takes it out of every service of
 * the group. */
START_TEST(test_one_key)
{
	const char *kad =
		"virtual_server_group web {\n  192.0.2.50-52 80\n}\n"
		"virtual_server group web {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
		"  real_server 198.51.100.9 8080 {\n    weight 2\n  }\n}\n"
		"virtual_server 192.0.2.60 53 {\n  lb_algo rr\n  lb_kind NAT\n  protocol UDP\n"
		"  real_server 198.51.100.9 53 {\n    weight 2\n  }\n}\n"
		"virtual_server fwmark 7 {\n  lb_algo rr\n  lb_kind DR\n"
		"  real_server 198.51.100.9 80 {\n    weight 2\n  }\n}\n";
	struct config_index ix;
	struct strbuf err = STRBUF_INIT, name = STRBUF_INIT;
	struct cfg_rs_key rk;
	const struct cfg_virtual_server *web;
	size_t down = 0;

	start(kad);
	ck_assert_uint_eq(D.config->n_vs, 3);
	config_index_build(&ix, D.config);
	for (size_t i = 0; i < D.config->n_vs; i++) {
		const struct cfg_virtual_server *vs = D.config->vs[i];
		struct cfg_vs_key k, from_name;

		lvs_vs_key_of(vs, &k);
		ck_assert_ptr_eq(config_index_vs_by(&ix, &k), vs);
		strbuf_reset(&name);
		cfg_vs_identity(vs, &name);
		ck_assert_int_eq(lvs_vs_key_from_identity(strbuf_str(&name), &from_name), 0);
		ck_assert(cfg_vs_key_equal(&from_name, &k));
		ck_assert_uint_eq(cfg_vs_key_hash(&from_name), cfg_vs_key_hash(&k));
	}
	config_index_free(&ix);

	web = D.config->vs[0];
	lvs_rs_key_of(web, &web->rs[0], &rk);
	ck_assert_int_eq(lvs_set_rs_up(&D, &rk, false, &err), 0);
	loop_run_once(D.loop, 0);
	ck_assert_ptr_nonnull(lvs_health_find(engine(), &rk));
	ck_assert(!lvs_health_up(engine(), &rk));
	for (size_t i = 0; i < engine()->want.n_svcs; i++) {
		const struct lvs_svc_want *w = &engine()->want.svcs[i];

		if (cfg_vs_key_equal(&w->vs, &rk.vs)) {
			ck_assert_int_eq(w->dests[0].state, LVS_RS_DOWN);
			down++;
		} else {
			ck_assert_int_eq(w->dests[0].state, LVS_RS_UP);
		}
	}
	ck_assert_uint_eq(down, 3);
	strbuf_reset(&name);
	cfg_rs_key_format(&rk, &name);
	ck_assert_str_eq(strbuf_str(&name), "real-server group web 198.51.100.9:8080");
	/* and up again: the entry says nothing any more and goes */
	ck_assert_int_eq(lvs_set_rs_up(&D, &rk, true, &err), 0);
	loop_run_once(D.loop, 0);
	ck_assert_ptr_null(lvs_health_find(engine(), &rk));
	strbuf_free(&name);
	strbuf_free(&err);
	stop();
}
END_TEST

/* Two virtual servers naming one service: the first in the file has it;
 * when it lets go, the other takes it, without a whole rebuild. */
START_TEST(test_overlap_handover)
{
	const char *both =
		"virtual_server_group g {\n  192.0.2.70 80\n}\n"
		"virtual_server group g {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
		"  real_server 198.51.100.1 8080 {\n    weight 1\n  }\n}\n"
		"virtual_server 192.0.2.70 80 {\n  lb_algo wlc\n  lb_kind NAT\n  protocol TCP\n"
		"  real_server 198.51.100.2 8080 {\n    weight 1\n  }\n}\n";
	const char *second =
		"virtual_server_group g {\n  192.0.2.70 80\n}\n"
		"virtual_server 192.0.2.70 80 {\n  lb_algo wlc\n  lb_kind NAT\n  protocol TCP\n"
		"  real_server 198.51.100.2 8080 {\n    weight 1\n  }\n}\n";
	struct ipvs_service_key k;

	memset(&k, 0, sizeof(k));
	k.af = AF_INET;
	k.protocol = IPPROTO_TCP;
	k.port = 80;
	inet_pton(AF_INET, "192.0.2.70", k.addr.raw);
	start(both);
	ck_assert_uint_eq(fake_ipvs_n_services(), 1);
	ck_assert_str_eq(fake_ipvs_service(&k)->sched_name, "rr");
	ck_assert_uint_eq(engine()->n_shadowed, 1);
	ck_assert_int_eq(apply(second, NULL), 0);
	ck_assert_uint_eq(fake_ipvs_n_services(), 1);
	ck_assert_str_eq(fake_ipvs_service(&k)->sched_name, "wlc");
	ck_assert_uint_eq(fake_ipvs_n_dests(&k), 1);
	ck_assert_uint_eq(engine()->want.n_svcs, 1);
	ck_assert_str_eq(lvs_desired_find(&engine()->want, &k)->vs_name, "TCP 192.0.2.70:80");
	stop();
}
END_TEST

/* global_defs lvs_timeouts: its own small path, no service read. */
START_TEST(test_timeouts_alone)
{
	char *svcs = services(BIG, -1, 0, 0, NULL);
	struct strbuf with = STRBUF_INIT;

	start(svcs);
	strbuf_puts(&with, "global_defs {\n  lvs_timeouts tcp 900 tcpfin 120 udp 300\n}\n");
	strbuf_puts(&with, svcs);
	fake_ipvs_clear_counts();
	ck_assert_int_eq(apply(strbuf_str(&with), NULL), 0);
	ck_assert_uint_eq(fake_ipvs_timeouts()->tcp, 900);
	ck_assert_uint_eq(fake_ipvs_timeouts()->tcp_fin, 120);
	ck_assert_uint_eq(fake_ipvs_timeouts()->udp, 300);
	ck_assert_uint_eq(fake_ipvs_count(FAKE_TIMEOUTS), 2);	/* get, set */
	ck_assert_uint_eq(fake_ipvs_total(), 2);
	strbuf_free(&with);
	stop();
	free(svcs);
}
END_TEST

START_TEST(test_unavailable)
{
	char *kad = services(3, -1, 0, 0, NULL);
	struct module_status st;

	fake_ipvs_set_unavailable(true);
	start(kad);
	lvs_module.status(&D, engine(), &st);
	ck_assert_int_eq(st.state, MODULE_UNAVAILABLE);
	ck_assert_int_eq(apply(kad, NULL), 0);
	stop();
	free(kad);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The hash index: removal shifts chains back, against a plain search   */

static const struct ipvs_service_key *plain_key_at(const void *arr, size_t i)
{
	return &((const struct ipvs_service_key *)arr)[i];
}

/* ------------------------------------------------------------------ */
/* The connection table reader                                         */

struct conns_seen {
	struct ipvs_conn c[4];
	size_t n;
};

static int keep_conn(const struct ipvs_conn *c, void *arg)
{
	struct conns_seen *s = arg;

	if (s->n < 4)
		s->c[s->n++] = *c;
	return 0;
}

/* What ipvsadm -Lnc reads, as the kernel writes it: a header, IPv4 as
 * hex, IPv6 in full form, and lines that are not entries, skipped. */
START_TEST(test_conn_table)
{
	char path[] = "/tmp/check_lvs_conn.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct conns_seen seen = { .n = 0 };
	struct strbuf err = STRBUF_INIT;

	ck_assert_ptr_nonnull(f);
	fputs("Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n"
	      "TCP C0000201 9C40 C000020A 0050 C6336401 0050 ESTABLISHED     899\n"
	      "UDP 2001:0db8:0000:0000:0000:0000:0000:0001 A000 2001:0db8:0000:0000:0000:0000:0000:000a "
	      "0035 2001:0db8:0000:0000:0000:0000:0000:0065 0035 UDP             299\n"
	      "TCP C00002 9C40 C000020A 0050 C6336401 0050 ESTABLISHED 1\n"
	      "TCP C0000201 1FFFFF C000020A 0050 C6336401 0050 ESTABLISHED 1\n"
	      "garbage\n", f);
	fclose(f);
	ck_assert_int_eq(ipvs_conn_read(path, keep_conn, &seen, &err), 0);
	unlink(path);
	ck_assert_uint_eq(seen.n, 2);
	ck_assert_str_eq(seen.c[0].protocol, "TCP");
	ck_assert_str_eq(seen.c[0].source, "192.0.2.1:40000");
	ck_assert_str_eq(seen.c[0].virtual, "192.0.2.10:80");
	ck_assert_str_eq(seen.c[0].destination, "198.51.100.1:80");
	ck_assert_str_eq(seen.c[0].state, "ESTABLISHED");
	ck_assert_uint_eq(seen.c[0].expires_s, 899);
	ck_assert_str_eq(seen.c[1].source, "[2001:db8::1]:40960");
	ck_assert_str_eq(seen.c[1].virtual, "[2001:db8::a]:53");
	ck_assert_str_eq(seen.c[1].destination, "[2001:db8::65]:53");
	/* a missing table is an error that names it */
	ck_assert_int_eq(ipvs_conn_read("/nonexistent/ip_vs_conn", keep_conn, &seen, &err), -1);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&err), "/nonexistent/ip_vs_conn"));
	strbuf_free(&err);
}
END_TEST

START_TEST(test_index_add_remove)
{
	struct ipvs_service_key keys[600];
	struct lvs_index ix = { 0 };
	size_t n = 0;
	unsigned seed = 7;

	/* Ports from a small range so chains collide and wrap. */
	for (int step = 0; step < 20000; step++) {
		struct ipvs_service_key k;

		seed = seed * 1103515245u + 12345u;
		k = svc_key((seed >> 8) % 700);
		if (((seed >> 4) & 3) != 0 && n < 600) {
			if (lvs_index_find(&ix, keys, plain_key_at, &k) < 0) {
				keys[n++] = k;
				lvs_index_add(&ix, keys, n - 1, plain_key_at);
			}
		} else if (n) {
			size_t i = (seed >> 12) % n, last = n - 1;

			lvs_index_remove(&ix, keys, i, plain_key_at);
			if (i != last) {
				lvs_index_remove(&ix, keys, last, plain_key_at);
				keys[i] = keys[last];
				lvs_index_reinsert(&ix, keys, i, plain_key_at);
			}
			n--;
		}
		if (step % 97 == 0) {
			for (size_t i = 0; i < n; i++)
				ck_assert_int_eq(lvs_index_find(&ix, keys, plain_key_at, &keys[i]),
						 (long)i);
			ck_assert_uint_eq(ix.h.n, n);
		}
	}
	for (size_t p = 0; p < 700; p++) {
		struct ipvs_service_key k = svc_key(p);
		long want = -1;

		for (size_t i = 0; i < n; i++)
			if (lvs_key_equal(&keys[i], &k))
				want = (long)i;
		ck_assert_int_eq(lvs_index_find(&ix, keys, plain_key_at, &k), want);
	}
	lvs_index_free(&ix);
}
END_TEST

static Suite *lvs_suite(void)
{
	Suite *s = suite_create("lvs");
	TCase *tc = tcase_create("engine");

	tcase_add_test(tc, test_index_add_remove);
	tcase_add_test(tc, test_conn_table);
	tcase_add_test(tc, test_start_programs_everything);
	tcase_add_test(tc, test_adopt_and_ownership);
	tcase_add_test(tc, test_removed_real_server_drains);
	tcase_add_test(tc, test_refused_change_rolls_back);
	tcase_add_test(tc, test_group_change_touches_its_services);
	tcase_add_test(tc, test_overlap_handover);
	tcase_add_test(tc, test_one_key);
	tcase_add_test(tc, test_unavailable);
	suite_add_tcase(s, tc);
	tc = tcase_create("changed set");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_weight_edit_touches_one_service);
	tcase_add_test(tc, test_health_transition_touches_one_service);
	tcase_add_test(tc, test_index_survives_model_swap);
	tcase_add_test(tc, test_override_touches_one_service);
	tcase_add_test(tc, test_timeouts_alone);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(lvs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
