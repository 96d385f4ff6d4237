#include "config.h"

#include "config/conf.h"

/* Parser behaviour, one property per test: inheritance, old syntax,
 * limits, messages. The corpus suite covers whole files. */

#include "suites.h"
#include "config/model.h"
#include "config/value.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- */
/* keepalived */

START_TEST(kad_inheritance_vs_rs_checker)
{
	struct config *cfg = load_text(
		"virtual_server 192.0.2.1 80 {\n"
		"  delay_loop 10\n  connect_timeout 4\n  lb_kind DR\n"
		"  real_server 198.51.100.1 80 {\n"
		"    connect_timeout 2\n"
		"    TCP_CHECK {\n      retry 5\n    }\n"
		"  }\n"
		"  real_server 198.51.100.2 80 {\n"
		"    lvs_method TUN\n"
		"    HTTP_GET {\n      url {\n        path /\n      }\n    }\n"
		"  }\n"
		"}\n", NULL, NULL);
	const struct cfg_virtual_server *vs = cfg->vs[0];

	ck_assert_int_eq(vs->co.delay_loop_ms, 10000);
	ck_assert_int_eq(vs->rs[0].co.delay_loop_ms, 10000);
	ck_assert_int_eq(vs->rs[0].co.connect_timeout_ms, 2000);
	ck_assert_int_eq(vs->rs[0].checkers[0].co.connect_timeout_ms, 2000);
	ck_assert_int_eq(vs->rs[0].checkers[0].co.retry, 5);
	ck_assert_int_eq(vs->rs[0].checkers[0].co.delay_loop_ms, 10000);
	ck_assert_int_eq(vs->rs[1].checkers[0].co.connect_timeout_ms, 4000);
	ck_assert_int_eq(vs->rs[1].checkers[0].co.retry, 1);
	ck_assert_int_eq(vs->rs[0].lb_kind, CFG_LB_KIND_DR);
	ck_assert_int_eq(vs->rs[1].lb_kind, CFG_LB_KIND_TUN);
	ck_assert_int_eq(vs->rs[0].weight, 1);
	ck_assert_str_eq(vs->lb_algo, "wlc");
	config_free(cfg);
}
END_TEST

START_TEST(kad_comments_everywhere)
{
	struct config *cfg = load_text(
		"! top\n# top\nvirtual_server 192.0.2.1 80 {#c\n"
		"  real_server 192.0.2.2 80 {  #c\n"
		"    weight 3 ! trailing\n"
		"    notify_up \"/bin/echo # not a comment\"\n"
		"  }\n}\n", NULL, NULL);

	ck_assert_int_eq(cfg->vs[0]->rs[0].weight, 3);
	ck_assert_str_eq(cfg->vs[0]->rs[0].notify_up,
			 "/bin/echo # not a comment");
	config_free(cfg);
}
END_TEST

START_TEST(kad_ipv6)
{
	struct config *cfg = load_text(
		"vrrp_instance V6 {\n  interface eth0\n  virtual_router_id 7\n"
		"  version 3\n  advert_int 0.5\n"
		"  virtual_ipaddress {\n    2001:db8::10/64 dev eth0\n  }\n}\n"
		"virtual_server 2001:db8::10 443 {\n"
		"  persistence_granularity 64\n"
		"  real_server 2001:db8::21 443 {\n  }\n}\n", NULL, NULL);
	char buf[CFG_ADDRSTRLEN];

	ck_assert_int_eq(cfg->vrrp[0].advert_int_ms, 500);
	ck_assert_str_eq(cfg_format_addr(&cfg->vrrp[0].vips[0].addr, buf),
			 "2001:db8::10");
	ck_assert_int_eq(cfg->vrrp[0].vips[0].prefix, 64);
	ck_assert_int_eq(cfg->vs[0]->af, CFG_AF_INET6);
	ck_assert_str_eq(cfg_format_addr(&cfg->vs[0]->persistence_granularity,
					 buf), "ffff:ffff:ffff:ffff::");
	config_free(cfg);
}
END_TEST

struct msg_case {
	const char *text;
	const char *expected;
};

static const struct msg_case kad_errors[] = {
	{ "vrrp_instance A {\n  prority 100\n}\n",
	  "test.conf:2: unknown keyword 'prority' in vrrp_instance; did you "
	  "mean 'priority'?\n" },
	{ "vrrp_instance A {\n  interface e\n  virtual_router_id 256\n}\n",
	  "test.conf:3: 'virtual_router_id' expects an integer from 1 to 255, "
	  "got '256'\n" },
	{ "vrrp_instance A {\n  interface e\n  virtual_router_id 1\n"
	  "  priority 0\n}\n",
	  "test.conf:4: 'priority' expects an integer from 1 to 255, got '0'\n" },
	{ "virtual_server 10.0.0.1 80 {\n  lb_algo wlcx\n}\n",
	  "test.conf:2: 'lb_algo' expects a scheduler (rr wrr lc wlc lblc "
	  "lblcr dh sh sed nq fo ovf mh twos), got 'wlcx'\n" },
	{ "virtual_server 10.0.0.1 80 {\n  lb_algo abcdefghijklmnop\n}\n",
	  "test.conf:2: 'lb_algo' expects a scheduler name of at most 15 "
	  "characters, got 'abcdefghijklmnop'\n" },
	{ "virtual_server 10.0.0.1 65536 {\n}\n",
	  "test.conf:1: 'virtual_server' expects a port from 0 to 65535, got "
	  "'65536'\n" },
	{ "virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n"
	  "  weight 65536\n }\n}\n",
	  "test.conf:3: 'weight' expects an integer from 0 to 65535, got "
	  "'65536'\n" },
	{ "vrrp_instance A {\n  weight 5\n}\n",
	  "test.conf:2: 'weight' is not allowed in vrrp_instance\n" },
	{ "global_defs {\n  router_id a\n",
	  "test.conf:1: unterminated block: '{' is never closed\n" },
	{ "global_defs {\n  router_id \"a\n}\n",
	  "test.conf:2: unterminated quoted string\n" },
	{ "}\n", "test.conf:1: unexpected '}' with no open block\n" },
	{ "vrrp_instance A {\n  priority\n}\n",
	  "test.conf:2: 'priority' expects an integer from 1 to 255, got "
	  "nothing\n" },
	{ "vrrp_instance A {\n  nopreempt yes\n}\n",
	  "test.conf:2: 'nopreempt' expects no arguments, got extra 'yes'\n" },
	{ "vrrp_instance A {\n  interface e\n  virtual_router_id 1\n"
	  "  advert_int 0\n}\n",
	  "test.conf:4: 'advert_int' expects a time in seconds from 0.01 to "
	  "255, in steps of 0.01, got '0'\n" },
};

START_TEST(kad_error_messages)
{
	char *got = load_text_fail(kad_errors[_i].text, NULL);

	ck_assert_str_eq(got, kad_errors[_i].expected);
	free(got);
}
END_TEST

START_TEST(kad_nul_byte)
{
	static const char text[] = "global_defs {\n\0}\n";
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct config *cfg = config_load_buffers("n.conf", text,
						 sizeof(text) - 1, NULL, NULL,
						 0, &d);

	ck_assert_ptr_null(cfg);
	config_diag_format(&d, &sb);
	ck_assert_str_eq(strbuf_str(&sb), "n.conf:2: NUL byte in file\n");
	strbuf_free(&sb);
	config_diag_free(&d);
}
END_TEST

START_TEST(kad_nesting_limit)
{
	struct strbuf t = STRBUF_INIT;
	char *got;

	for (int i = 0; i < 40; i++)
		strbuf_puts(&t, "global_defs {\n");
	got = load_text_fail(strbuf_str(&t), NULL);
	ck_assert_str_eq(got, "test.conf:33: blocks nested deeper than 32 "
			 "levels\n");
	free(got);
	strbuf_free(&t);
}
END_TEST

START_TEST(kad_not_implemented_once)
{
	struct strbuf d = STRBUF_INIT;
	struct config *cfg = load_text(
		"global_defs {\n  notification_email {\n    a@b\n  }\n"
		"  smtp_server 127.0.0.1\n  smtp_connect_timeout 30\n"
		"  notification_email_from x@y\n  smtp_server 127.0.0.2\n}\n",
		NULL, &d);

	ck_assert_str_eq(strbuf_str(&d),
		"test.conf:2: warning: 'notification_email' accepted, not "
		"implemented\n"
		"test.conf:5: warning: 'smtp_server' accepted, not implemented\n"
		"test.conf:6: warning: 'smtp_connect_timeout' accepted, not "
		"implemented\n"
		"test.conf:7: warning: 'notification_email_from' accepted, not "
		"implemented\n");
	strbuf_free(&d);
	config_free(cfg);
}
END_TEST

/* persistence_engine reaches the model and the printer; without a
 * persistence_timeout it loads (the kernel takes it) with a warning at
 * its own line, since IPVS would never use it. */
START_TEST(kad_persistence_engine)
{
	struct strbuf d = STRBUF_INIT, out = STRBUF_INIT;
	struct config *cfg = load_text(
		"virtual_server 192.0.2.1 5060 {\n  protocol UDP\n"
		"  persistence_timeout 30\n  persistence_engine sip\n}\n",
		NULL, &d);

	ck_assert_str_eq(strbuf_str(&d), "");
	ck_assert_str_eq(cfg->vs[0]->pe_name, "sip");
	config_print_keepalived(cfg, &out);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out),
				     "\n    persistence_engine sip\n"));
	config_free(cfg);
	strbuf_free(&d);
	strbuf_free(&out);

	cfg = load_text("virtual_server 192.0.2.1 5060 {\n  protocol UDP\n"
			"  persistence_engine sip\n}\n", NULL, &d);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(strbuf_str(&d),
		"test.conf:3: warning: 'persistence_engine sip' has no effect "
		"without persistence_timeout (IPVS uses it only for persistent "
		"services)\n");
	config_free(cfg);
	strbuf_free(&d);
}
END_TEST

/* lvs_method TUN's tunnel options reach the model; a real server without
 * its own lvs_method inherits the virtual server's tunnel with the method,
 * one with its own keeps its own; the printer writes back what was set. */
START_TEST(kad_tunnel)
{
	struct strbuf d = STRBUF_INIT, out = STRBUF_INIT;
	struct config *cfg = load_text(
		"virtual_server 192.0.2.1 80 {\n"
		"  lvs_method TUN type gue port 6081 remcsum\n"
		"  real_server 198.51.100.1 80 {\n  }\n"
		"  real_server 198.51.100.2 80 {\n"
		"    lb_kind TUN type gre csum\n  }\n"
		"  real_server 198.51.100.3 80 {\n"
		"    lvs_method TUN\n  }\n}\n", NULL, &d);

	ck_assert_str_eq(strbuf_str(&d), "");
	ck_assert_int_eq(cfg->vs[0]->tun.type, CFG_TUN_GUE);
	ck_assert_int_eq(cfg->vs[0]->tun.port, 6081);
	ck_assert_int_eq(cfg->vs[0]->tun.csum, CFG_TUN_REMCSUM);
	ck_assert_int_eq(cfg->vs[0]->rs[0].tun.type, CFG_TUN_GUE);
	ck_assert_int_eq(cfg->vs[0]->rs[0].tun.port, 6081);
	ck_assert_int_eq(cfg->vs[0]->rs[1].tun.type, CFG_TUN_GRE);
	ck_assert_int_eq(cfg->vs[0]->rs[1].tun.port, 0);
	ck_assert_int_eq(cfg->vs[0]->rs[1].tun.csum, CFG_TUN_CSUM);
	ck_assert_int_eq(cfg->vs[0]->rs[2].tun.type, CFG_TUN_UNSET);
	config_print_keepalived(cfg, &out);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out),
		"\n    lvs_method TUN type gue port 6081 remcsum\n"));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out),
		"\n        lvs_method TUN type gre csum\n"));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out),
		"\n        lvs_method TUN\n"));
	config_free(cfg);
	strbuf_free(&d);
	strbuf_free(&out);

	{
		char *err = load_text_fail("virtual_server 192.0.2.1 80 {\n"
					   "  lvs_method NAT type gre\n}\n", NULL);

		ck_assert_str_eq(err, "test.conf:2: 'lvs_method NAT' takes no "
				 "tunnel options, got 'type' (they apply to "
				 "TUN only)\n");
		free(err);
	}
}
END_TEST

/* vrrp_strict corrects what keepalived corrects, with a warning each,
 * and the model holds the corrected values. */
START_TEST(kad_vrrp_strict_warnings)
{
	struct strbuf d = STRBUF_INIT;
	struct config *cfg = load_text(
		"global_defs {\n  vrrp_strict\n}\n"
		"vrrp_instance A {\n  state MASTER\n  interface e\n"
		"  virtual_router_id 1\n  priority 100\n  preempt_delay 5\n"
		"  authentication {\n    auth_type PASS\n    auth_pass x\n  }\n"
		"  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n"
		"vrrp_instance B {\n  interface e\n  virtual_router_id 2\n"
		"  strict_mode off\n  unicast_peer {\n    192.0.2.3\n  }\n}\n",
		NULL, &d);

	ck_assert_str_eq(strbuf_str(&d),
		"test.conf:4: warning: vrrp_instance 'A': strict mode: state "
		"MASTER must match being the address owner (priority 255); "
		"using state BACKUP\n"
		"test.conf:4: warning: vrrp_instance 'A': strict mode does not "
		"support authentication; ignored\n"
		"test.conf:4: warning: vrrp_instance 'A': strict mode does not "
		"support preempt_delay; ignored\n");
	ck_assert_int_eq(cfg->vrrp[0].state, CFG_VRRP_STATE_BACKUP);
	ck_assert_int_eq(cfg->vrrp[0].auth_type, CFG_VRRP_AUTH_NONE);
	ck_assert_int_eq(cfg->vrrp[0].preempt_delay_ms, 0);
	ck_assert_int_eq(cfg->vrrp[0].strict_mode, 1);
	ck_assert_int_eq(cfg->vrrp[1].strict_mode, 0);
	strbuf_free(&d);
	config_free(cfg);
}
END_TEST

/* VRRP weights are signed and -1 is a weight like any other: neither a
 * script's nor a track entry's -1 may read as "unset". */
START_TEST(kad_vrrp_weight_minus_one)
{
	struct strbuf d = STRBUF_INIT;
	struct config *cfg = load_text(
		"vrrp_script chk {\n  script /bin/true\n  weight -1\n}\n"
		"vrrp_script chk2 {\n  script /bin/true\n  weight 10\n}\n"
		"vrrp_instance A {\n  interface e\n  virtual_router_id 1\n"
		"  track_script {\n    chk\n    chk2 weight -1\n  }\n"
		"  track_interface {\n    e weight -1\n  }\n}\n",
		NULL, &d);

	ck_assert_str_eq(strbuf_str(&d), "");
	ck_assert_int_eq(cfg->scripts[0].weight, -1);
	ck_assert_int_eq(cfg->scripts[1].weight, 10);
	ck_assert_int_eq(cfg->vrrp[0].track_scripts[0].weight, -1);
	ck_assert_int_eq(cfg->vrrp[0].track_scripts[1].weight, -1);
	ck_assert_int_eq(cfg->vrrp[0].track_ifs[0].weight, -1);
	strbuf_free(&d);
	config_free(cfg);
}
END_TEST

START_TEST(kad_fwmark_and_group)
{
	struct config *cfg = load_text(
		"virtual_server_group G {\n  10.0.0.1-10 80\n  fwmark 5\n}\n"
		"virtual_server group G {\n  real_server 10.0.1.1 80 {\n  }\n}\n"
		"virtual_server fwmark 9 {\n  persistence_timeout 0\n"
		"  real_server 10.0.1.2 {\n  }\n}\n", NULL, NULL);

	ck_assert_int_eq(cfg->vs[0]->kind, CFG_VS_GROUP);
	ck_assert_int_eq(cfg->vs_groups[0].entries[0].range_last, 10);
	ck_assert(cfg->vs_groups[0].entries[1].is_fwmark);
	ck_assert_int_eq(cfg->vs[1]->kind, CFG_VS_FWMARK);
	ck_assert_int_eq(cfg->vs[1]->fwmark, 9);
	ck_assert_int_eq(cfg->vs[1]->rs[0].ep.port, 0);
	ck_assert_int_eq(cfg->vs[1]->af, CFG_AF_INET4);
	config_free(cfg);
}
END_TEST

START_TEST(load_missing_files)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct config *cfg;

	cfg = config_load("/nonexistent/k.conf", "/nonexistent/h.cfg", false,
			  false, &d);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_uint_eq(cfg->n_vs + cfg->n_proxies, 0);
	ck_assert_uint_eq(d.len, 0);
	config_free(cfg);
	cfg = config_load("/nonexistent/k.conf", NULL, true, false, &d);
	ck_assert_ptr_null(cfg);
	config_diag_format(&d, &sb);
	ck_assert_str_eq(strbuf_str(&sb), "/nonexistent/k.conf: cannot read: "
			 "No such file or directory\n");
	strbuf_free(&sb);
	config_diag_free(&d);
}
END_TEST

/* ---------------------------------------------------------------- */
/* haproxy */

START_TEST(hap_defaults_and_no_option)
{
	struct config *cfg = load_text(NULL,
		"defaults\n  mode http\n  option redispatch\n  option httplog\n"
		"  timeout connect 5s\n  default-server inter 3s rise 4\n"
		"backend b\n  no option redispatch\n  timeout connect 1500ms\n"
		"  server s1 192.0.2.1:80 check fall 5\n"
		"  server s2 192.0.2.2 weight 0 backup\n"
		"frontend f\n  bind :80\n  default_backend b\n", NULL);
	const struct cfg_proxy *b = config_find_proxy(cfg, "b");
	const struct cfg_proxy *f = config_find_proxy(cfg, "f");

	ck_assert_ptr_null(cfg_proxy_option(b, "redispatch"));
	ck_assert_ptr_nonnull(cfg_proxy_option(b, "httplog"));
	ck_assert_ptr_nonnull(cfg_proxy_option(f, "redispatch"));
	ck_assert_int_eq(b->mode, CFG_MODE_HTTP);
	ck_assert_int_eq(b->timeout_ms[CFG_TO_CONNECT], 1500);
	ck_assert_int_eq(f->timeout_ms[CFG_TO_CONNECT], 5000);
	ck_assert_int_eq(b->servers[0].o.inter_ms, 3000);
	ck_assert_int_eq(b->servers[0].o.fastinter_ms, 3000);
	ck_assert_int_eq(b->servers[0].o.rise, 4);
	ck_assert_int_eq(b->servers[0].o.fall, 5);
	ck_assert_int_eq(b->servers[0].o.check, 1);
	ck_assert_int_eq(b->servers[1].ep.port, CFG_UNSET);
	ck_assert_int_eq(b->servers[1].o.weight, 0);
	ck_assert_int_eq(b->servers[1].o.backup, 1);
	ck_assert_int_eq(f->binds[0].addr.af, CFG_AF_ANY);
	ck_assert_int_eq(f->binds[0].port, 80);
	config_free(cfg);
}
END_TEST

START_TEST(hap_time_units)
{
	static const struct {
		const char *in;
		long long ms;
	} cases[] = {
		{ "5000", 5000 }, { "1500us", 2 }, { "250ms", 250 },
		{ "5s", 5000 }, { "2m", 120000 }, { "1h", 3600000 },
		{ "1d", 86400000 },
	};
	int64_t v;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		ck_assert(cfg_parse_hap_time(cases[i].in, 2147483647LL, &v));
		ck_assert_int_eq(v, cases[i].ms);
	}
	ck_assert(!cfg_parse_hap_time("5x", 2147483647LL, &v));
	ck_assert(!cfg_parse_hap_time("25d", 2147483647LL, &v));
	ck_assert(!cfg_parse_hap_time("", 2147483647LL, &v));
}
END_TEST

START_TEST(hap_old_syntax_warnings)
{
	struct strbuf d = STRBUF_INIT;
	struct config *cfg = load_text(NULL,
		"global\n  nbproc 1\ndefaults\n  contimeout 5000\n"
		"  clitimeout 50000\n  srvtimeout 90s\n"
		"listen old 0.0.0.0:80,0.0.0.0:81\n  option forceclose\n"
		"  server a 192.0.2.1:80\n", &d);

	ck_assert_str_eq(strbuf_str(&d),
		"test.cfg:2: warning: 'nbproc' is deprecated (HAProxy 2.5 "
		"removed it); use 'nbthread'\n"
		"test.cfg:4: warning: 'contimeout' is deprecated; use 'timeout "
		"connect 5s'\n"
		"test.cfg:5: warning: 'clitimeout' is deprecated; use 'timeout "
		"client 50s'\n"
		"test.cfg:6: warning: 'srvtimeout' is deprecated; use 'timeout "
		"server 90s'\n"
		"test.cfg:7: warning: 'listen NAME ADDR:PORT' is deprecated; use "
		"'bind 0.0.0.0:80,0.0.0.0:81' in the section\n"
		"test.cfg:8: warning: 'option forceclose' is deprecated; use "
		"'option httpclose'\n");
	ck_assert_uint_eq(cfg->proxies[0].n_binds, 2);
	ck_assert_int_eq(cfg->proxies[0].timeout_ms[CFG_TO_SERVER], 90000);
	ck_assert_ptr_nonnull(cfg_proxy_option(&cfg->proxies[0], "httpclose"));
	strbuf_free(&d);
	config_free(cfg);
}
END_TEST

START_TEST(hap_ipv6_binds)
{
	struct config *cfg = load_text(NULL,
		"frontend f\n  bind :::443\n  bind [2001:db8::1]:8443\n"
		"  bind ipv6@:8080\n  bind ipv4@*:8081\n  default_backend b\n"
		"backend b\n  server s 2001:db8::2\n  server t [2001:db8::3]:80\n"
		"  server u [2001:db8::4]:8080 check addr 2001:db8::99 port 9000\n",
		NULL);
	const struct cfg_proxy *f = &cfg->proxies[0], *b = &cfg->proxies[1];
	char buf[CFG_ADDRSTRLEN];

	ck_assert_str_eq(cfg_format_addr(&f->binds[0].addr, buf), "::");
	ck_assert_int_eq(f->binds[0].port, 443);
	ck_assert_str_eq(cfg_format_addr(&f->binds[1].addr, buf),
			 "2001:db8::1");
	ck_assert_int_eq(f->binds[2].addr.af, CFG_AF_INET6);
	ck_assert_int_eq(f->binds[3].addr.af, CFG_AF_INET4);
	ck_assert_int_eq(b->servers[0].ep.port, CFG_UNSET);
	ck_assert_int_eq(b->servers[1].ep.port, 80);
	ck_assert_int_eq(b->servers[2].ep.port, 8080);
	ck_assert_int_eq(b->servers[2].o.port, 9000);
	config_free(cfg);
}
END_TEST

static const struct msg_case hap_errors[] = {
	{ "defaults\n  balanse roundrobin\n",
	  "test.cfg:2: unknown keyword 'balanse' in defaults; did you mean "
	  "'balance'?\n" },
	{ "backend b\n  server s 192.0.2.1:80 weight 257\n",
	  "test.cfg:2: 'weight' expects an integer from 0 to 256, got '257'\n" },
	{ "defaults\n  timeout connect 5x\n",
	  "test.cfg:2: 'timeout connect' expects a time (a number with an "
	  "optional unit us, ms, s, m, h or d) up to 24d, got '5x'\n" },
	{ "defaults\n  option httplogg\n",
	  "test.cfg:2: unknown option 'httplogg'; did you mean 'httplog'?\n" },
	{ "mode http\n",
	  "test.cfg:1: 'mode' outside of a section (global, defaults, listen, "
	  "frontend or backend)\n" },
	{ "frontend f\n  bind :80\n  server s 192.0.2.1:80\n",
	  "test.cfg:3: 'server' is not allowed in frontend\n" },
	{ "frontend f\n  bind :80\n  default_backend nope\n",
	  "test.cfg:1: proxy 'f' has default_backend 'nope', which is not a "
	  "backend or listen section\n" },
	{ "backend b\n  balance hdr(\n",
	  "test.cfg:2: 'balance' expects roundrobin, static-rr, leastconn, "
	  "source, uri, url_param NAME, hdr(NAME), random or first, got "
	  "'hdr('\n" },
	{ "listen l\n  bind 0.0.0.0:0\n",
	  "test.cfg:2: 'bind' expects ADDR:PORT with a port from 1 to 65535, "
	  "got '0.0.0.0:0'\n" },
	{ "backend b\n  server s 192.0.2.1:80 chek\n",
	  "test.cfg:2: unknown server option 'chek'; did you mean 'check'?\n" },
	{ "backend b\n  stats auth \"admin\n",
	  "test.cfg:2: unterminated quoted string\n" },
};

START_TEST(hap_error_messages)
{
	char *got = load_text_fail(NULL, hap_errors[_i].text);

	ck_assert_str_eq(got, hap_errors[_i].expected);
	free(got);
}
END_TEST

START_TEST(did_you_mean_threshold)
{
	struct cfg_suggest s;

	cfg_suggest_init(&s, "xyz");
	cfg_suggest_try(&s, "priority");
	ck_assert_ptr_null(cfg_suggest_result(&s));
	cfg_suggest_init(&s, "virtual_routr_id");
	cfg_suggest_try(&s, "priority");
	cfg_suggest_try(&s, "virtual_router_id");
	ck_assert_str_eq(cfg_suggest_result(&s), "virtual_router_id");
}
END_TEST

Suite *config_parse_suite(void)
{
	Suite *s = suite_create("config-parse");
	TCase *k = tcase_create("keepalived");
	TCase *h = tcase_create("haproxy");

	tcase_add_test(k, kad_inheritance_vs_rs_checker);
	tcase_add_test(k, kad_comments_everywhere);
	tcase_add_test(k, kad_ipv6);
	tcase_add_loop_test(k, kad_error_messages, 0,
			    sizeof(kad_errors) / sizeof(*kad_errors));
	tcase_add_test(k, kad_nul_byte);
	tcase_add_test(k, kad_nesting_limit);
	tcase_add_test(k, kad_not_implemented_once);
	tcase_add_test(k, kad_fwmark_and_group);
	tcase_add_test(k, kad_vrrp_strict_warnings);
	tcase_add_test(k, kad_persistence_engine);
	tcase_add_test(k, kad_tunnel);
	tcase_add_test(k, kad_vrrp_weight_minus_one);
	tcase_add_test(k, load_missing_files);
	tcase_add_test(k, did_you_mean_threshold);
	suite_add_tcase(s, k);
	tcase_add_test(h, hap_defaults_and_no_option);
	tcase_add_test(h, hap_time_units);
	tcase_add_test(h, hap_old_syntax_warnings);
	tcase_add_test(h, hap_ipv6_binds);
	tcase_add_loop_test(h, hap_error_messages, 0,
			    sizeof(hap_errors) / sizeof(*hap_errors));
	suite_add_tcase(s, h);
	return s;
}
