#include "config.h"

#include "config/conf.h"

/* Inherited settings that a child turns back off: the audit of every
 * field that flows down a chain (global_defs → vrrp_instance, vrrp_script
 * → track_script, virtual_server → real_server → checker, defaults →
 * proxy, default-server → server). In each case the parent sets a value
 * and the child returns to another one, often the built-in default; the
 * printers print a child as a difference from its parent, so a child
 * equal to the built-in value must still be printed, or the round trip
 * gives it the parent's value back. Each case checks that the child holds
 * what the text says, then the round trip. */

#include "suites.h"
#include "config/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct inherit_case {
	const char *name;
	const char *kad;
	const char *hap;
	bool (*holds)(const struct config *cfg);
};

static const struct cfg_real_server *rs0(const struct config *cfg)
{
	return &cfg->vs[0]->rs[0];
}

static const struct cfg_server *srv(const struct config *cfg,
				    const char *proxy, const char *name)
{
	const struct cfg_proxy *px = config_find_proxy(cfg, proxy);

	return px ? cfg_proxy_find_server(px, name) : NULL;
}

/* ---- keepalived ---- */

#define VS_HEAD "virtual_server 192.0.2.10 80 {\n"

static bool rs_inhibit_off(const struct config *cfg)
{
	return cfg->vs[0]->co.inhibit_on_failure == 1 &&
		rs0(cfg)->co.inhibit_on_failure == 0 &&
		cfg->vs[0]->rs[1].co.inhibit_on_failure == 1;
}

static bool rs_delay_loop(const struct config *cfg)
{
	return rs0(cfg)->co.delay_loop_ms == 60000 &&
		rs0(cfg)->checkers[0].co.delay_loop_ms == 60000;
}

static bool rs_timeouts(const struct config *cfg)
{
	const struct cfg_real_server *rs = rs0(cfg);

	return rs->co.connect_timeout_ms == 5000 && rs->co.retry == 1 &&
		rs->co.delay_before_retry_ms == 1000 && rs->co.warmup_ms == 0;
}

static bool checker_back(const struct config *cfg)
{
	const struct cfg_checker *c = &rs0(cfg)->checkers[0];

	return rs0(cfg)->co.connect_timeout_ms == 3000 &&
		c->co.connect_timeout_ms == 5000 && c->co.retry == 1;
}

static bool rs_method_nat(const struct config *cfg)
{
	return cfg->vs[0]->lb_kind == CFG_LB_KIND_DR &&
		rs0(cfg)->lb_kind == CFG_LB_KIND_NAT;
}

static bool misc_timeout(const struct config *cfg)
{
	const struct cfg_checker *c = &rs0(cfg)->checkers[0];

	return c->co.delay_loop_ms == 10000 && c->misc_timeout_ms == 60000;
}

static bool vrrp_global(const struct config *cfg)
{
	const struct cfg_vrrp_instance *vi = &cfg->vrrp[0];

	return cfg->global.vrrp_version == 3 && vi->version == 2 &&
		vi->garp_master_delay_ms == 5000 && vi->garp_master_repeat == 5;
}

static bool track_weight(const struct config *cfg)
{
	return cfg->scripts[0].weight == 10 &&
		cfg->vrrp[0].track_scripts[0].weight == 0;
}

#define VI_BODY "    interface eth0\n    virtual_router_id 5\n"

/* ---- haproxy ---- */

static bool no_option(const struct config *cfg)
{
	const struct cfg_proxy *b = config_find_proxy(cfg, "b");

	return !cfg_proxy_option(b, "httplog") &&
		!cfg_proxy_option(b, "redispatch") &&
		cfg_proxy_option(b, "dontlognull");
}

static bool option_args(const struct config *cfg)
{
	const struct cfg_option *o =
		cfg_proxy_option(config_find_proxy(cfg, "b"), "httpchk");

	return o && o->args == NULL;
}

static bool server_negations(const struct config *cfg)
{
	const struct cfg_server *s = srv(cfg, "b", "s1");

	return s && s->o.check == 0 && s->o.backup == 0 &&
		s->o.disabled == 0 && s->o.maxconn == 0 && s->o.weight == 1 &&
		s->o.rise == 2 && s->o.fall == 3 && s->o.inter_ms == 2000;
}

static bool default_server_negations(const struct config *cfg)
{
	const struct cfg_proxy *b = config_find_proxy(cfg, "b");
	const struct cfg_server *s = srv(cfg, "b", "s1");

	return b->default_server.check == 0 && b->default_server.backup == 0 &&
		s->o.check == 0 && s->o.backup == 0;
}

static bool proxy_scalars(const struct config *cfg)
{
	const struct cfg_proxy *b = config_find_proxy(cfg, "b");
	const struct cfg_proxy *f = config_find_proxy(cfg, "f");

	return b->mode == CFG_MODE_TCP && b->balance == CFG_BALANCE_ROUNDROBIN &&
		b->retries == 3 && f->maxconn == 0;
}

static bool check_expect_negated(const struct config *cfg)
{
	const struct cfg_proxy *b = config_find_proxy(cfg, "b");

	return b->http_check_expect_neg == 1 &&
		strcmp(b->http_check_expect, "status 200") == 0;
}

/* A proxy after a second defaults section has none of the first one's
 * settings, even those no keyword can un-set (a timeout, default_backend,
 * stats): the printer must put it after its own defaults. */
static bool second_defaults(const struct config *cfg)
{
	const struct cfg_proxy *c = config_find_proxy(cfg, "c");

	return c->timeout_ms[CFG_TO_CLIENT] == CFG_UNSET &&
		c->default_backend == NULL && c->stats_enabled == 0 &&
		c->stats_uri == NULL && c->http_check_expect == NULL &&
		cfg_proxy_option(c, "httplog") == NULL;
}

#define HAP_TAIL "backend x\n    server x1 198.51.100.9:80\n"

static const struct inherit_case cases[] = {
	{ "real_server turns off inhibit_on_failure",
	  VS_HEAD "    inhibit_on_failure\n"
	  "    real_server 198.51.100.1 80 {\n        inhibit_on_failure false\n    }\n"
	  "    real_server 198.51.100.2 80 {\n    }\n}\n",
	  NULL, rs_inhibit_off },
	{ "real_server back to the default delay_loop",
	  VS_HEAD "    delay_loop 10\n"
	  "    real_server 198.51.100.1 80 {\n        delay_loop 60\n"
	  "        TCP_CHECK {\n        }\n    }\n}\n",
	  NULL, rs_delay_loop },
	{ "real_server back to the default timeouts and retries",
	  VS_HEAD "    connect_timeout 3\n    retry 4\n    delay_before_retry 3\n"
	  "    warmup 7\n"
	  "    real_server 198.51.100.1 80 {\n        connect_timeout 5\n"
	  "        retry 1\n        delay_before_retry 1\n        warmup 0\n"
	  "    }\n}\n",
	  NULL, rs_timeouts },
	{ "checker back to the defaults its real_server changed",
	  VS_HEAD "    real_server 198.51.100.1 80 {\n        connect_timeout 3\n"
	  "        retry 4\n"
	  "        TCP_CHECK {\n            connect_timeout 5\n            retry 1\n"
	  "        }\n    }\n}\n",
	  NULL, checker_back },
	{ "real_server back to NAT under a DR virtual_server",
	  VS_HEAD "    lvs_method DR\n"
	  "    real_server 198.51.100.1 80 {\n        lvs_method NAT\n    }\n}\n",
	  NULL, rs_method_nat },
	{ "MISC_CHECK misc_timeout apart from its delay_loop",
	  VS_HEAD "    real_server 198.51.100.1 80 {\n"
	  "        MISC_CHECK {\n            misc_path /bin/true\n"
	  "            delay_loop 10\n            misc_timeout 60\n"
	  "        }\n    }\n}\n",
	  NULL, misc_timeout },
	{ "vrrp_instance back to version 2 and the built-in garp values",
	  "global_defs {\n    vrrp_version 3\n    vrrp_garp_master_delay 9\n"
	  "    vrrp_garp_master_repeat 2\n}\n"
	  "vrrp_instance V {\n" VI_BODY "    version 2\n"
	  "    garp_master_delay 5\n    garp_master_repeat 5\n}\n",
	  NULL, vrrp_global },
	{ "track_script back to weight 0",
	  "vrrp_script chk {\n    script /bin/true\n    weight 10\n}\n"
	  "vrrp_instance V {\n" VI_BODY "    track_script {\n"
	  "        chk weight 0\n    }\n}\n",
	  NULL, track_weight },
	{ "no option for what the defaults set",
	  NULL,
	  "defaults\n    mode http\n    option httplog\n    option redispatch\n"
	  "    option dontlognull\n"
	  "backend b\n    no option httplog\n    no option redispatch\n",
	  no_option },
	{ "an option without the arguments the defaults gave it",
	  NULL,
	  "defaults\n    mode http\n    option httpchk GET /health\n"
	  "backend b\n    option httpchk\n",
	  option_args },
	{ "server options back to the built-in values",
	  NULL,
	  "defaults\n    default-server check backup disabled maxconn 10 "
	  "weight 9 rise 5 fall 7 inter 9s\n"
	  "backend b\n    server s1 198.51.100.1:80 no-check no-backup enabled "
	  "maxconn 0 weight 1 rise 2 fall 3 inter 2s\n",
	  server_negations },
	{ "default-server in a proxy undoes the defaults' default-server",
	  NULL,
	  "defaults\n    default-server check backup\n"
	  "backend b\n    default-server no-check no-backup\n"
	  "    server s1 198.51.100.1:80\n",
	  default_server_negations },
	{ "mode, balance, retries and maxconn back to the built-in values",
	  NULL,
	  "defaults\n    mode http\n    balance leastconn\n    retries 7\n"
	  "    maxconn 100\n"
	  "backend b\n    mode tcp\n    balance roundrobin\n    retries 3\n"
	  "    server s1 198.51.100.1:80\n"
	  "frontend f\n    bind 192.0.2.1:80\n    maxconn 0\n    default_backend b\n",
	  proxy_scalars },
	{ "http-check expect negated in the proxy",
	  NULL,
	  "defaults\n    mode http\n    http-check expect status 200\n"
	  "backend b\n    http-check expect ! status 200\n",
	  check_expect_negated },
	{ "a second defaults section resets what no keyword un-sets",
	  NULL,
	  "defaults\n    mode http\n    timeout client 30s\n    option httplog\n"
	  "    stats uri /s\n    http-check expect status 200\n"
	  "    default_backend x\n" HAP_TAIL
	  "defaults\n    mode http\n"
	  "backend c\n    server c1 198.51.100.3:80\n",
	  second_defaults },
};

#define N_CASES ((int)(sizeof(cases) / sizeof(*cases)))

START_TEST(inherit_case)
{
	const struct inherit_case *c = &cases[_i];
	struct strbuf diag = STRBUF_INIT;
	struct config *cfg = load_text(c->kad, c->hap, &diag);

	ck_assert_msg(cfg != NULL, "%s: does not load:\n%s", c->name,
		      strbuf_str(&diag));
	ck_assert_msg(c->holds(cfg), "%s: the child does not hold what the "
		      "text says", c->name);
	check_round_trip(cfg, c->name);
	config_free(cfg);
	strbuf_free(&diag);
}
END_TEST

/* keepalived's true/false words, and a bad one. */
START_TEST(inhibit_words)
{
	static const char *const off[] = { "false", "off", "no" };
	static const char *const on[] = { "true", "on", "yes" };
	char text[256];
	char *err;

	for (size_t i = 0; i < 3; i++) {
		struct config *cfg;

		snprintf(text, sizeof(text), VS_HEAD "    inhibit_on_failure %s\n"
			 "    real_server 198.51.100.1 80 {\n"
			 "        inhibit_on_failure %s\n    }\n}\n", on[i], off[i]);
		cfg = load_text(text, NULL, NULL);
		ck_assert_int_eq(cfg->vs[0]->co.inhibit_on_failure, 1);
		ck_assert_int_eq(rs0(cfg)->co.inhibit_on_failure, 0);
		config_free(cfg);
	}
	err = load_text_fail(VS_HEAD "    inhibit_on_failure maybe\n}\n", NULL);
	ck_assert_str_eq(err, "test.conf:2: 'inhibit_on_failure' expects "
			 "nothing, true or false, got 'maybe'\n");
	free(err);
}
END_TEST

Suite *config_inherit_suite(void)
{
	Suite *s = suite_create("config-inherit");
	TCase *t = tcase_create("inherit");

	tcase_add_loop_test(t, inherit_case, 0, N_CASES);
	tcase_add_test(t, inhibit_words);
	suite_add_tcase(s, t);
	return s;
}
