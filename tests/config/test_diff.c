#include "config.h"

#include "config/conf.h"

/* config_diff(): one test per kind of change. Each loads an old and a
 * new text and checks the exact list of changes. */

#include "suites.h"
#include "config/changeset.h"

#include <stdlib.h>
#include <string.h>

static const char base_kad[] =
	"global_defs {\n  router_id a\n}\n"
	"vrrp_script chk {\n  script /bin/true\n}\n"
	"vrrp_sync_group G {\n  group {\n    VI_1\n  }\n}\n"
	"vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 1\n"
	"  priority 100\n  virtual_ipaddress {\n    192.0.2.10\n  }\n"
	"  track_script {\n    chk\n  }\n}\n"
	"vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 2\n}\n"
	"virtual_server 192.0.2.10 80 {\n  lb_algo rr\n"
	"  real_server 198.51.100.1 80 {\n    weight 1\n"
	"    TCP_CHECK {\n      connect_timeout 3\n    }\n  }\n"
	"  real_server 198.51.100.2 80 {\n    weight 1\n  }\n}\n";

static const char base_hap[] =
	"global\n  maxconn 1000\n"
	"defaults\n  mode http\n  timeout client 30s\n"
	"frontend f\n  bind :80\n  default_backend b\n"
	"backend b\n  balance roundrobin\n"
	"  server s1 198.51.100.1:80 weight 10 check\n"
	"  server s2 198.51.100.2:80 weight 10 check\n";

/* Replaces the first occurrence of from with to in text; caller frees. */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	struct strbuf sb = STRBUF_INIT;

	ck_assert_msg(at != NULL, "'%s' not in the base text", from);
	strbuf_append(&sb, text, (size_t)(at - text));
	strbuf_puts(&sb, to);
	strbuf_puts(&sb, at + strlen(from));
	return strbuf_detach(&sb);
}

static void collect(const struct config_change_item *it, void *arg)
{
	strbuf_printf(arg, "%s %s %s%s%s\n", config_obj_kind_name(it->kind),
		      it->id, config_change_name(it->change),
		      it->fields ? ": " : "", it->fields ? it->fields : "");
	/* the objects handed over match the change */
	ck_assert(it->change == CONFIG_ADDED || it->old_obj != NULL);
	ck_assert(it->change == CONFIG_REMOVED || it->new_obj != NULL);
}

struct diff_case {
	const char *name;
	bool hap;		/* edit the haproxy text, else keepalived */
	const char *from;
	const char *to;
	const char *expected;
};

static const struct diff_case cases[] = {
	{ "nothing", false, "router_id a", "router_id a", "" },
	{ "comment only", false, "router_id a", "router_id a # same", "" },
	{ "global_defs", false, "router_id a", "router_id b",
	  "global_defs global_defs changed: router_id\n" },
	{ "rs weight", false, "    weight 1\n    TCP", "    weight 5\n    TCP",
	  "real_server TCP 192.0.2.10:80 198.51.100.1:80 changed: weight\n" },
	{ "rs checker", false, "connect_timeout 3", "connect_timeout 4",
	  "real_server TCP 192.0.2.10:80 198.51.100.1:80 changed: checkers\n" },
	{ "rs added", false, "  real_server 198.51.100.2 80 {",
	  "  real_server 198.51.100.3 80 {\n  }\n"
	  "  real_server 198.51.100.2 80 {",
	  "real_server TCP 192.0.2.10:80 198.51.100.3:80 added\n" },
	{ "rs removed", false, "  real_server 198.51.100.2 80 {\n    weight 1\n"
	  "  }\n", "",
	  "real_server TCP 192.0.2.10:80 198.51.100.2:80 removed\n" },
	{ "vs changed", false, "lb_algo rr", "lb_algo wrr",
	  "virtual_server TCP 192.0.2.10:80 changed: lb_algo\n" },
	{ "vs persistence engine", false, "lb_algo rr",
	  "lb_algo rr\n  persistence_timeout 60\n  persistence_engine sip",
	  "virtual_server TCP 192.0.2.10:80 changed: "
	  "persistence_timeout_ms,pe_name\n" },
	{ "vs tunnel", false, "lb_algo rr",
	  "lb_algo rr\n  lb_kind TUN type gue port 6081",
	  "virtual_server TCP 192.0.2.10:80 changed: "
	  "lb_kind,tun.type,tun.port\n"
	  "real_server TCP 192.0.2.10:80 198.51.100.1:80 changed: "
	  "lb_kind,tun.type,tun.port\n"
	  "real_server TCP 192.0.2.10:80 198.51.100.2:80 changed: "
	  "lb_kind,tun.type,tun.port\n" },
	{ "rs tunnel", false, "    weight 1\n    TCP",
	  "    weight 1\n    lvs_method TUN type gre csum\n    TCP",
	  "real_server TCP 192.0.2.10:80 198.51.100.1:80 changed: "
	  "lb_kind,tun.type,tun.csum\n" },
	{ "vs inherited", false, "lb_algo rr", "lb_algo rr\n  delay_loop 5",
	  "virtual_server TCP 192.0.2.10:80 changed: delay_loop_ms\n"
	  "real_server TCP 192.0.2.10:80 198.51.100.1:80 changed: "
	  "delay_loop_ms,checkers\n"
	  "real_server TCP 192.0.2.10:80 198.51.100.2:80 changed: "
	  "delay_loop_ms\n" },
	{ "vs protocol is identity", false, "lb_algo rr",
	  "lb_algo rr\n  protocol UDP",
	  "virtual_server TCP 192.0.2.10:80 removed\n"
	  "virtual_server UDP 192.0.2.10:80 added\n" },
	{ "vs added", false, "virtual_server 192.0.2.10 80 {",
	  "virtual_server 192.0.2.11 80 {\n}\nvirtual_server 192.0.2.10 80 {",
	  "virtual_server TCP 192.0.2.11:80 added\n" },
	{ "vrrp priority", false, "priority 100", "priority 120",
	  "vrrp_instance VI_1 changed: priority\n" },
	{ "vrrp vips", false, "192.0.2.10\n  }", "192.0.2.10\n    192.0.2.11\n  }",
	  "vrrp_instance VI_1 changed: vips\n" },
	{ "vrrp removed", false,
	  "vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 2\n}\n",
	  "", "vrrp_instance VI_2 removed\n" },
	{ "vrrp added", false, "vrrp_instance VI_2 {",
	  "vrrp_instance VI_3 {\n  interface eth1\n  virtual_router_id 3\n}\n"
	  "vrrp_instance VI_2 {", "vrrp_instance VI_3 added\n" },
	{ "sync group", false, "    VI_1\n  }", "    VI_1\n    VI_2\n  }",
	  "vrrp_sync_group G changed: members\n" },
	{ "script", false, "script /bin/true", "script /bin/false",
	  "vrrp_script chk changed: script\n" },
	{ "script weight reaches instance", false, "script /bin/true",
	  "script /bin/true\n  weight 10",
	  "vrrp_script chk changed: weight\n"
	  "vrrp_instance VI_1 changed: track_scripts\n" },
	{ "hap global", true, "maxconn 1000", "maxconn 2000",
	  "global global changed: maxconn\n" },
	{ "server weight", true, "s2 198.51.100.2:80 weight 10",
	  "s2 198.51.100.2:80 weight 20", "server b/s2 changed: weight\n" },
	{ "server address", true, "s2 198.51.100.2:80", "s2 198.51.100.9:80",
	  "server b/s2 changed: ep\n" },
	{ "server added", true, "  server s2",
	  "  server s3 198.51.100.3:80\n  server s2",
	  "server b/s3 added\n" },
	{ "server removed", true,
	  "  server s2 198.51.100.2:80 weight 10 check\n", "",
	  "server b/s2 removed\n" },
	{ "proxy changed", true, "balance roundrobin", "balance leastconn",
	  "proxy b changed: balance\n" },
	{ "proxy added", true, "\nbackend b\n",
	  "\nbackend c\n  server x 198.51.100.7:80\nbackend b\n",
	  "proxy c added\n" },
	{ "proxy removed", true, "frontend f\n  bind :80\n  default_backend b\n",
	  "", "proxy f removed\n" },
	{ "defaults reach proxies", true, "timeout client 30s",
	  "timeout client 40s",
	  "defaults #1 changed: timeout\n"
	  "proxy f changed: timeout\n"
	  "proxy b changed: timeout\n" },
};

START_TEST(diff_case)
{
	const struct diff_case *c = &cases[_i];
	char *edited = edit(c->hap ? base_hap : base_kad, c->from, c->to);
	struct config *a = load_text(base_kad, base_hap, NULL);
	struct config *b = load_text(c->hap ? base_kad : edited,
				     c->hap ? edited : base_hap, NULL);
	struct strbuf got = STRBUF_INIT;
	size_t n = config_diff(a, b, collect, &got);

	ck_assert_msg(strcmp(strbuf_str(&got), c->expected) == 0,
		      "%s: got\n%swanted\n%s", c->name, strbuf_str(&got),
		      c->expected);
	ck_assert_int_eq(n == 0, config_equal(a, b));
	ck_assert(config_equal(a, a));
	strbuf_free(&got);
	config_free(a);
	config_free(b);
	free(edited);
}
END_TEST

/* Every change read backwards is the opposite change. */
START_TEST(diff_reversed)
{
	const struct diff_case *c = &cases[_i];
	char *edited = edit(c->hap ? base_hap : base_kad, c->from, c->to);
	struct config *a = load_text(base_kad, base_hap, NULL);
	struct config *b = load_text(c->hap ? base_kad : edited,
				     c->hap ? edited : base_hap, NULL);

	ck_assert_uint_eq(config_diff(a, b, NULL, NULL),
			  config_diff(b, a, NULL, NULL));
	config_free(a);
	config_free(b);
	free(edited);
}
END_TEST

/* The engines a change reaches: each engine's kinds mask, against a
 * changeset built from an edit of the base text. */
struct reach_case {
	const char *name;
	bool hap;
	const char *from;
	const char *to;
	bool vrrp, lvs, check, proxy;
};

static const struct reach_case reach[] = {
	{ "a VRRP priority", false, "priority 100", "priority 90",
	  true, true, false, false },
	{ "a real server weight", false, "    weight 1\n    TCP", "    weight 5\n    TCP",
	  false, true, true, false },
	{ "a proxy server weight", true, "s1 198.51.100.1:80 weight 10",
	  "s1 198.51.100.1:80 weight 20", false, false, true, true },
	{ "a haproxy global", true, "maxconn 1000", "maxconn 2000",
	  false, false, true, true },
	{ "global_defs", false, "router_id a", "router_id b",
	  true, true, true, false },
};

START_TEST(change_reaches_owners)
{
	const struct reach_case *c = &reach[_i];
	char *kad = c->hap ? strdup(base_kad) : edit(base_kad, c->from, c->to);
	char *hap = c->hap ? edit(base_hap, c->from, c->to) : strdup(base_hap);
	struct config *a = load_text(base_kad, base_hap, NULL);
	struct config *b = load_text(kad, hap, NULL);
	struct config_changeset cs, rev;

	ck_assert_uint_gt(config_changeset_build(&cs, a, b), 0);
	ck_assert_msg(config_changeset_touches(&cs, CONFIG_KINDS_VRRP) == c->vrrp,
		      "%s: vrrp", c->name);
	ck_assert_msg(config_changeset_touches(&cs, CONFIG_KINDS_LVS) == c->lvs,
		      "%s: lvs", c->name);
	ck_assert_msg(config_changeset_touches(&cs, CONFIG_KINDS_CHECK) == c->check,
		      "%s: check", c->name);
	ck_assert_msg(config_changeset_touches(&cs, CONFIG_KINDS_PROXY) == c->proxy,
		      "%s: proxy", c->name);
	/* the reverse change is the diff the other way round */
	config_changeset_reverse(&cs, &rev);
	ck_assert_ptr_eq(rev.old_cfg, b);
	ck_assert_uint_eq(rev.n_items, cs.n_items);
	ck_assert_uint_eq(rev.kinds, cs.kinds);
	for (size_t i = 0; i < rev.n_items; i++) {
		ck_assert_ptr_eq(rev.items[i].old_obj, cs.items[i].new_obj);
		ck_assert_str_eq(rev.items[i].id, cs.items[i].id);
	}
	config_changeset_free(&rev);
	config_changeset_free(&cs);
	config_free(a);
	config_free(b);
	free(kad);
	free(hap);
}
END_TEST

Suite *config_diff_suite(void)
{
	Suite *s = suite_create("config-diff");
	TCase *t = tcase_create("diff");

	tcase_add_loop_test(t, diff_case, 0, sizeof(cases) / sizeof(*cases));
	tcase_add_loop_test(t, diff_reversed, 0,
			    sizeof(cases) / sizeof(*cases));
	tcase_add_loop_test(t, change_reaches_owners, 0,
			    sizeof(reach) / sizeof(*reach));
	suite_add_tcase(s, t);
	return s;
}
