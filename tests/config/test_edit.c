#include "config.h"

#include "config/edit.h"

/* Model editing for configure mode: config_clone over the corpus, and
 * each edit checked against the model that loading the equivalent text
 * gives (so a new object is initialised exactly as the parser would),
 * before and after the print → load validation. */

#include "suites.h"
#include "config/model.h"
#include "config/value.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char base_kad[] =
	"vrrp_sync_group G {\n  group {\n    VI_1\n  }\n}\n"
	"vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 1\n"
	"  priority 100\n  virtual_ipaddress {\n    192.0.2.10\n  }\n}\n"
	"vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 2\n}\n"
	"virtual_server 192.0.2.10 80 {\n  lb_algo rr\n  lb_kind DR\n"
	"  delay_loop 10\n"
	"  real_server 198.51.100.1 80 {\n    weight 3\n  }\n"
	"  real_server 198.51.100.2 80 {\n    weight 1\n    lvs_method NAT\n  }\n}\n";

static const char base_hap[] =
	"defaults\n  mode http\n  balance leastconn\n  timeout client 30s\n"
	"  default-server inter 3s weight 5\n"
	"frontend f\n  bind :80\n  default_backend b\n"
	"backend b\n  server s1 198.51.100.1:80 check\n";

/* Loads the base texts. */
static struct config *base(void)
{
	return load_text(base_kad, base_hap, NULL);
}

/* Asserts that edited describes what loading kad and hap gives, both as
 * edited and once validated; returns the validated model. Takes
 * ownership of edited. */
static struct config *check_as_text(struct config *edited, const char *kad,
				    const char *hap)
{
	struct config *want = load_text(kad, hap, NULL);
	struct strbuf err = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct config *checked;

	config_print_keepalived(edited, &a);
	config_print_haproxy(edited, &a);
	config_print_keepalived(want, &b);
	config_print_haproxy(want, &b);
	ck_assert_msg(config_equal(edited, want), "edited:\n%s\nwanted:\n%s",
		      strbuf_str(&a), strbuf_str(&b));
	checked = config_edit_finish(edited, &err);
	ck_assert_msg(checked != NULL, "validation failed: %s", strbuf_str(&err));
	ck_assert(config_equal(checked, want));
	config_free(want);
	strbuf_free(&err);
	strbuf_free(&a);
	strbuf_free(&b);
	return checked;
}

/* Replaces the first occurrence of from with to in text; caller frees. */
static char *subst(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	struct strbuf sb = STRBUF_INIT;

	ck_assert_msg(at != NULL, "'%s' not in the text", from);
	strbuf_append(&sb, text, (size_t)(at - text));
	strbuf_puts(&sb, to);
	strbuf_puts(&sb, at + strlen(from));
	return strbuf_detach(&sb);
}

/* Asserts an edit failed with exactly msg (one line). */
static void check_err(int rc, struct strbuf *err, const char *msg)
{
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(strbuf_str(err), msg);
	strbuf_reset(err);
}

static struct config_vs_key vs_key(const char *addrport, const char *proto)
{
	struct config_vs_key key;
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(config_vs_key_addr(&key, addrport, proto, &err), 0);
	strbuf_free(&err);
	return key;
}

/* ================================================================ */
/* Clone */

static glob_t good_files;

static void good_files_load(void)
{
	char pattern[4096];

	if (good_files.gl_pathc)
		return;
	snprintf(pattern, sizeof(pattern), "%s/*.conf", corpus_dir("good"));
	glob(pattern, 0, NULL, &good_files);
	snprintf(pattern, sizeof(pattern), "%s/*.cfg", corpus_dir("good"));
	glob(pattern, good_files.gl_pathc ? GLOB_APPEND : 0, NULL, &good_files);
}

START_TEST(test_clone_corpus)
{
	const char *path;
	size_t n;
	bool kad;
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf msg = STRBUF_INIT;
	struct config *cfg, *copy;

	ck_assert_msg((size_t)_i < good_files.gl_pathc, "no corpus under %s",
		      corpus_dir("good"));
	path = good_files.gl_pathv[_i];
	n = strlen(path);
	kad = n > 5 && strcmp(path + n - 5, ".conf") == 0;
	cfg = kad ? config_load(path, NULL, true, false, &d) :
		config_load(NULL, path, false, true, &d);
	config_diag_format(&d, &msg);
	ck_assert_msg(cfg != NULL, "%s: %s", path, strbuf_str(&msg));
	config_diag_free(&d);
	copy = config_clone(cfg, &d);
	strbuf_reset(&msg);
	config_diag_format(&d, &msg);
	ck_assert_msg(copy != NULL, "%s: clone failed: %s", path, strbuf_str(&msg));
	ck_assert_msg(config_equal(cfg, copy), "%s: clone differs", path);
	/* the copy still knows the files, for `write memory` */
	ck_assert_str_eq(copy->kad_path ? copy->kad_path : "-",
			 cfg->kad_path ? cfg->kad_path : "-");
	ck_assert_str_eq(copy->hap_path ? copy->hap_path : "-",
			 cfg->hap_path ? cfg->hap_path : "-");
	config_free(copy);
	config_free(cfg);
	config_diag_free(&d);
	strbuf_free(&msg);
}
END_TEST

START_TEST(test_clone_both_and_empty)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct config *cfg = base(), *copy = config_clone(cfg, &d);
	struct config *empty = config_new_empty(), *ecopy;

	ck_assert_ptr_nonnull(copy);
	ck_assert(config_equal(cfg, copy));
	ck_assert_uint_eq(d.len, 0);
	ecopy = config_clone(empty, &d);
	ck_assert_ptr_nonnull(ecopy);
	ck_assert(config_equal(empty, ecopy));
	ck_assert_ptr_null(ecopy->kad_path);
	config_free(ecopy);
	config_free(empty);
	config_free(copy);
	config_free(cfg);
	config_diag_free(&d);
}
END_TEST

START_TEST(test_finish_refuses)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();

	/* a value no edit function would set: the parser is the backstop */
	strcpy(cfg->vs[0]->lb_algo, "bogus");
	ck_assert_ptr_null(config_edit_finish(cfg, &err));
	ck_assert_msg(strstr(strbuf_str(&err), "'lvs_sched' expects") != NULL,
		      "%s", strbuf_str(&err));
	strbuf_free(&err);
}
END_TEST

/* ================================================================ */
/* Keys */

START_TEST(test_vs_keys)
{
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	struct config_vs_key key, back;
	struct cfg_endpoint ep;

	ck_assert_int_eq(config_vs_key_addr(&key, "[2001:db8::1]:443", "udp", &err), 0);
	config_vs_key_format(&key, &text);
	ck_assert_str_eq(strbuf_str(&text), "[2001:db8::1]:443 udp");
	ck_assert_int_eq(config_vs_key_parse(&back, strbuf_str(&text), &err), 0);
	ck_assert(back.kind == CFG_VS_ADDR && back.protocol == CFG_PROTO_UDP);
	ck_assert(cfg_endpoint_equal(&back.ep, &key.ep));
	strbuf_reset(&text);
	config_vs_key_fwmark(&key, 7);
	config_vs_key_format(&key, &text);
	ck_assert_str_eq(strbuf_str(&text), "fwmark 7");
	ck_assert_int_eq(config_vs_key_parse(&back, "fwmark 7", &err), 0);
	ck_assert(back.kind == CFG_VS_FWMARK && back.fwmark == 7);
	strbuf_reset(&text);
	ck_assert_int_eq(config_vs_key_group(&key, "web", "sctp", &err), 0);
	config_vs_key_format(&key, &text);
	ck_assert_str_eq(strbuf_str(&text), "group web sctp");
	ck_assert_int_eq(config_vs_key_parse(&back, "group web sctp", &err), 0);
	ck_assert(back.kind == CFG_VS_GROUP && back.protocol == CFG_PROTO_SCTP);
	ck_assert_str_eq(back.group, "web");
	check_err(config_vs_key_parse(&back, "group web", &err), &err,
		  "'group web' does not name a virtual-server\n");
	check_err(config_vs_key_group(&key, "a{b", "tcp", &err), &err,
		  "'a{b' is not a virtual-server-group name\n");
	check_err(config_vs_key_addr(&key, "192.0.2.1:80", "icmp", &err), &err,
		  "protocol 'icmp' is not tcp, udp or sctp\n");
	check_err(config_vs_key_addr(&key, "2001:db8::1:80", "tcp", &err), &err,
		  "virtual-server '2001:db8::1:80' is not ADDR:PORT (a.b.c.d:port "
		  "or [ipv6]:port, port 0-65535)\n");
	ck_assert(!config_parse_endpoint("192.0.2.1:65536", 0, &ep));
	ck_assert(!config_parse_endpoint("192.0.2.1:0", 1, &ep));
	ck_assert(!config_parse_endpoint("192.0.2.1", 0, &ep));
	ck_assert(config_parse_endpoint("192.0.2.1:0", 0, &ep));
	strbuf_free(&err);
	strbuf_free(&text);
}
END_TEST

/* ================================================================ */
/* Virtual servers */

START_TEST(test_vs_add)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = config_new_empty();
	struct config_vs_key key = vs_key("192.0.2.20:443", "udp");
	struct config_vs_change none = CONFIG_VS_CHANGE_NONE;
	bool created = false;

	ck_assert_int_eq(config_edit_vs_set(cfg, &key, &none, &created, &err), 0);
	ck_assert(created);
	cfg = check_as_text(cfg, "virtual_server 192.0.2.20 443 {\n"
			    "  protocol UDP\n}\n", NULL);
	/* again: it exists, nothing changes */
	ck_assert_int_eq(config_edit_vs_set(cfg, &key, &none, &created, &err), 0);
	ck_assert(!created);
	ck_assert_uint_eq(cfg->n_vs, 1);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_vs_add_fwmark_with_settings)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = config_new_empty();
	struct config_vs_key key;
	struct config_vs_change ch = { "sh", CFG_LB_KIND_TUN, 300 };

	config_vs_key_fwmark(&key, 9);
	ck_assert_int_eq(config_edit_vs_set(cfg, &key, &ch, NULL, &err), 0);
	cfg = check_as_text(cfg, "virtual_server fwmark 9 {\n  lvs_sched sh\n"
			    "  lvs_method TUN\n  persistence_timeout 300\n}\n", NULL);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_vs_change)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	struct config_vs_key key = vs_key("192.0.2.10:80", "tcp");
	struct config_vs_change ch = { "wrr", CFG_LB_KIND_TUN, 60 };
	char *want;

	ck_assert_int_eq(config_edit_vs_set(cfg, &key, &ch, NULL, &err), 0);
	/* the real server that had the DR of its virtual server follows the
	 * new method; the one that set NAT keeps it */
	want = subst(base_kad, "  lb_algo rr\n  lb_kind DR\n",
		     "  lb_algo wrr\n  lb_kind TUN\n  persistence_timeout 60\n");
	cfg = check_as_text(cfg, want, base_hap);
	ck_assert_int_eq(cfg->vs[0]->rs[0].lb_kind, CFG_LB_KIND_TUN);
	ck_assert_int_eq(cfg->vs[0]->rs[1].lb_kind, CFG_LB_KIND_NAT);
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

/* A command names only the method, so changing it drops the tunnel
 * options of the old one, on the virtual server and on the real server
 * that inherited them; the result still prints as a file that loads. */
START_TEST(test_vs_method_drops_tunnel)
{
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct config *cfg = load_text("virtual_server 192.0.2.10 80 {\n"
		"  lvs_method TUN type gue port 6081 csum\n"
		"  real_server 198.51.100.1 80 {\n  }\n}\n", NULL, NULL);
	struct config_vs_key key = vs_key("192.0.2.10:80", "tcp");
	struct config_vs_change ch = { NULL, CFG_LB_KIND_DR, -1 };

	ck_assert_int_eq(cfg->vs[0]->rs[0].tun.type, CFG_TUN_GUE);
	ck_assert_int_eq(config_edit_vs_set(cfg, &key, &ch, NULL, &err), 0);
	ck_assert_int_eq(cfg->vs[0]->tun.type, CFG_TUN_UNSET);
	ck_assert_int_eq(cfg->vs[0]->tun.port, 0);
	ck_assert_int_eq(cfg->vs[0]->rs[0].lb_kind, CFG_LB_KIND_DR);
	ck_assert_int_eq(cfg->vs[0]->rs[0].tun.type, CFG_TUN_UNSET);
	config_print_keepalived(cfg, &out);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "\n    lvs_method DR\n"));
	ck_assert_ptr_null(strstr(strbuf_str(&out), "gue"));
	config_free(cfg);
	strbuf_free(&err);
	strbuf_free(&out);
}
END_TEST

START_TEST(test_vs_refused)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	struct config_vs_key key = vs_key("192.0.2.10:80", "tcp");
	struct config_vs_change ch = CONFIG_VS_CHANGE_NONE;

	ch.scheduler = "wrrr";
	check_err(config_edit_vs_set(cfg, &key, &ch, NULL, &err), &err,
		  "unknown scheduler 'wrrr'; did you mean 'wrr'? (the kernel has "
		  "rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos)\n");
	ch.scheduler = "round-robin-please";
	check_err(config_edit_vs_set(cfg, &key, &ch, NULL, &err), &err,
		  "unknown scheduler 'round-robin-please' (the kernel has "
		  "rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos)\n");
	ch.scheduler = NULL;
	ch.persistence_s = 2678401;
	check_err(config_edit_vs_set(cfg, &key, &ch, NULL, &err), &err,
		  "persistence-timeout 2678401 is out of range (0-2678400 seconds)\n");
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_vs_delete)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	struct config_vs_key key = vs_key("192.0.2.10:80", "tcp");
	struct config_vs_key udp = vs_key("192.0.2.10:80", "udp");
	char *want;

	/* the protocol is part of the identity */
	check_err(config_edit_vs_delete(cfg, &udp, &err), &err,
		  "virtual-server 192.0.2.10:80 udp does not exist\n");
	ck_assert_int_eq(config_edit_vs_delete(cfg, &key, &err), 0);
	want = strndup(base_kad, (size_t)(strstr(base_kad, "virtual_server 192") -
					  base_kad));
	cfg = check_as_text(cfg, want, base_hap);
	check_err(config_edit_vs_delete(cfg, &key, &err), &err,
		  "virtual-server 192.0.2.10:80 tcp does not exist\n");
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

/* ================================================================ */
/* Real servers */

START_TEST(test_rs_add)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	struct config_vs_key key = vs_key("192.0.2.10:80", "tcp");
	bool created = false;
	char *want;

	/* defaults: weight 1, the virtual server's method and checker
	 * options (delay_loop 10) */
	ck_assert_int_eq(config_edit_rs_set(cfg, &key, "198.51.100.3:8080", -1,
					    CFG_LB_KIND_UNSET, &created, &err), 0);
	ck_assert(created);
	ck_assert_int_eq(config_edit_rs_set(cfg, &key, "198.51.100.4:80", 100,
					    CFG_LB_KIND_NAT, NULL, &err), 0);
	want = subst(base_kad, "    lvs_method NAT\n  }\n}\n",
		     "    lvs_method NAT\n  }\n"
		     "  real_server 198.51.100.3 8080 {\n  }\n"
		     "  real_server 198.51.100.4 80 {\n    weight 100\n"
		     "    lvs_method NAT\n  }\n}\n");
	cfg = check_as_text(cfg, want, base_hap);
	ck_assert_int_eq(cfg->vs[0]->rs[2].co.delay_loop_ms, 10000);
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_rs_change)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	struct config_vs_key key = vs_key("192.0.2.10:80", "tcp");
	bool created = true;
	char *want, *want2;

	/* weight alone keeps the method; method alone keeps the weight */
	ck_assert_int_eq(config_edit_rs_set(cfg, &key, "198.51.100.1:80", 0,
					    CFG_LB_KIND_UNSET, &created, &err), 0);
	ck_assert(!created);
	ck_assert_int_eq(config_edit_rs_set(cfg, &key, "198.51.100.2:80", -1,
					    CFG_LB_KIND_DR, NULL, &err), 0);
	want = subst(base_kad, "weight 3", "weight 0");
	want2 = subst(want, "    lvs_method NAT\n", "");
	cfg = check_as_text(cfg, want2, base_hap);
	free(want);
	free(want2);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_rs_refused)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	struct config_vs_key key = vs_key("192.0.2.10:80", "tcp");
	struct config_vs_key other = vs_key("192.0.2.99:80", "tcp");

	check_err(config_edit_rs_set(cfg, &key, "198.51.100.1:80", 65536,
				     CFG_LB_KIND_UNSET, NULL, &err), &err,
		  "weight 65536 is out of range (0-65535)\n");
	check_err(config_edit_rs_set(cfg, &key, "198.51.100.1", -1,
				     CFG_LB_KIND_UNSET, NULL, &err), &err,
		  "real-server '198.51.100.1' is not ADDR:PORT (a.b.c.d:port or "
		  "[ipv6]:port, port 0-65535)\n");
	check_err(config_edit_rs_set(cfg, &other, "198.51.100.1:80", -1,
				     CFG_LB_KIND_UNSET, NULL, &err), &err,
		  "virtual-server 192.0.2.99:80 tcp does not exist\n");
	check_err(config_edit_rs_set(cfg, &key, "[2001:db8::5]:80", -1,
				     CFG_LB_KIND_UNSET, NULL, &err), &err,
		  "real-server [2001:db8::5]:80 is IPv6 but its virtual-server is "
		  "IPv4; only method tun can mix IPv4 and IPv6\n");
	/* tunnelled, the families may differ */
	ck_assert_int_eq(config_edit_rs_set(cfg, &key, "[2001:db8::5]:80", -1,
					    CFG_LB_KIND_TUN, NULL, &err), 0);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_rs_delete)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	struct config_vs_key key = vs_key("192.0.2.10:80", "tcp");
	char *want;

	ck_assert_int_eq(config_edit_rs_delete(cfg, &key, "198.51.100.1:80", &err), 0);
	want = subst(base_kad, "  real_server 198.51.100.1 80 {\n    weight 3\n  }\n", "");
	cfg = check_as_text(cfg, want, base_hap);
	check_err(config_edit_rs_delete(cfg, &key, "198.51.100.1:80", &err), &err,
		  "real-server 198.51.100.1:80 does not exist in virtual-server "
		  "192.0.2.10:80 tcp\n");
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

/* ================================================================ */
/* Proxies */

START_TEST(test_proxy_add)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	struct config_proxy_change ch = CONFIG_PROXY_CHANGE_NONE;
	bool created = false;
	char *want;

	/* a new proxy is a listen section that inherits the defaults */
	ck_assert_int_eq(config_edit_proxy_set(cfg, "web", &ch, &created, &err), 0);
	ck_assert(created);
	want = subst(base_hap, "check\n", "check\nlisten web\n");
	cfg = check_as_text(cfg, base_kad, want);
	ck_assert_int_eq(config_find_proxy(cfg, "web")->mode, CFG_MODE_HTTP);
	ck_assert_int_eq(config_find_proxy(cfg, "web")->balance,
			 CFG_BALANCE_LEASTCONN);
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_proxy_change)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = config_new_empty();
	struct config_proxy_change ch = { CFG_MODE_HTTP, CFG_BALANCE_SOURCE,
					  "192.0.2.30:80", NULL };
	struct config_proxy_change more = CONFIG_PROXY_CHANGE_NONE;

	ck_assert_int_eq(config_edit_proxy_set(cfg, "web", &ch, NULL, &err), 0);
	more.bind = "[2001:db8::30]:443";
	ck_assert_int_eq(config_edit_proxy_set(cfg, "web", &more, NULL, &err), 0);
	/* binding again what is bound changes nothing */
	ck_assert_int_eq(config_edit_proxy_set(cfg, "web", &more, NULL, &err), 0);
	cfg = check_as_text(cfg, NULL, "listen web\n  bind 192.0.2.30:80\n"
			    "  bind [2001:db8::30]:443\n  mode http\n"
			    "  balance source\n");
	more.bind = NULL;
	more.unbind = "192.0.2.30:80";
	ck_assert_int_eq(config_edit_proxy_set(cfg, "web", &more, NULL, &err), 0);
	check_err(config_edit_proxy_set(cfg, "web", &more, NULL, &err), &err,
		  "proxy 'web' has no bind 192.0.2.30:80\n");
	cfg = check_as_text(cfg, NULL, "listen web\n  bind [2001:db8::30]:443\n"
			    "  mode http\n  balance source\n");
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_proxy_refused)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	struct config_proxy_change ch = CONFIG_PROXY_CHANGE_NONE;

	check_err(config_edit_proxy_set(cfg, "web site", &ch, NULL, &err), &err,
		  "proxy name 'web site' is not valid: use letters, digits, '-', "
		  "'_', '.' and ':'\n");
	ch.bind = "192.0.2.1:80";
	check_err(config_edit_proxy_set(cfg, "b", &ch, NULL, &err), &err,
		  "'bind' is not allowed in backend 'b'\n");
	ch.bind = "192.0.2.1:0";
	check_err(config_edit_proxy_set(cfg, "web", &ch, NULL, &err), &err,
		  "bind '192.0.2.1:0' is not ADDR:PORT (a.b.c.d:port or "
		  "[ipv6]:port, port 1-65535)\n");
	ch.bind = NULL;
	ch.balance = CFG_BALANCE_FIRST;
	check_err(config_edit_proxy_set(cfg, "f", &ch, NULL, &err), &err,
		  "'balance' is not allowed in frontend 'f'\n");
	config_free(cfg);
	cfg = load_text(NULL, "listen a\n  bind 192.0.2.1:80\n", NULL);
	ch.balance = CFG_BALANCE_UNSET;
	ch.bind = "192.0.2.1:80";
	check_err(config_edit_proxy_set(cfg, "web", &ch, NULL, &err), &err,
		  "192.0.2.1:80 is already bound by proxy 'a'\n");
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_proxy_delete)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();

	check_err(config_edit_proxy_delete(cfg, "b", &err), &err,
		  "proxy 'b' is the default_backend of 'f'; change that first\n");
	check_err(config_edit_proxy_delete(cfg, "nope", &err), &err,
		  "proxy 'nope' does not exist\n");
	ck_assert_int_eq(config_edit_proxy_delete(cfg, "f", &err), 0);
	ck_assert_int_eq(config_edit_proxy_delete(cfg, "b", &err), 0);
	cfg = check_as_text(cfg, base_kad,
			    "defaults\n  mode http\n  balance leastconn\n"
			    "  timeout client 30s\n  default-server inter 3s weight 5\n");
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

/* ================================================================ */
/* Servers */

START_TEST(test_server_add)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	bool created = false;
	char *want;

	/* the proxy's default-server gives inter 3s and weight 5 */
	ck_assert_int_eq(config_edit_server_set(cfg, "b", "s2", "198.51.100.2:80",
						-1, -1, &created, &err), 0);
	ck_assert(created);
	ck_assert_int_eq(config_edit_server_set(cfg, "b", "s3",
						"[2001:db8::3]:8080", 10, 1,
						NULL, &err), 0);
	want = subst(base_hap, "s1 198.51.100.1:80 check\n",
		     "s1 198.51.100.1:80 check\n  server s2 198.51.100.2:80\n"
		     "  server s3 [2001:db8::3]:8080 weight 10 check\n");
	cfg = check_as_text(cfg, base_kad, want);
	ck_assert_int_eq(cfg_proxy_find_server(config_find_proxy(cfg, "b"),
					       "s2")->o.inter_ms, 3000);
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_server_change)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	bool created = true;
	char *want;

	ck_assert_int_eq(config_edit_server_set(cfg, "b", "s1", NULL, 7, 0,
						&created, &err), 0);
	ck_assert(!created);
	ck_assert_int_eq(config_edit_server_set(cfg, "b", "s1", "198.51.100.9:81",
						-1, -1, NULL, &err), 0);
	want = subst(base_hap, "s1 198.51.100.1:80 check",
		     "s1 198.51.100.9:81 weight 7");
	cfg = check_as_text(cfg, base_kad, want);
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_server_refused)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();

	check_err(config_edit_server_set(cfg, "b", "s9", "198.51.100.9:80", 257,
					 -1, NULL, &err), &err,
		  "weight 257 is out of range (0-256)\n");
	check_err(config_edit_server_set(cfg, "f", "s9", "198.51.100.9:80", -1,
					 -1, NULL, &err), &err,
		  "'server' is not allowed in frontend 'f'\n");
	check_err(config_edit_server_set(cfg, "x", "s9", "198.51.100.9:80", -1,
					 -1, NULL, &err), &err,
		  "proxy 'x' does not exist\n");
	check_err(config_edit_server_set(cfg, "b", "s9", NULL, -1, -1, NULL, &err),
		  &err, "server 's9' is new in 'b': give its ADDR:PORT\n");
	check_err(config_edit_server_set(cfg, "b", "s#9", "198.51.100.9:80", -1,
					 -1, NULL, &err), &err,
		  "server name 's#9' is not valid: use letters, digits, '-', '_', "
		  "'.' and ':'\n");
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_server_delete)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	char *want;

	ck_assert_int_eq(config_edit_server_delete(cfg, "b", "s1", &err), 0);
	want = subst(base_hap, "  server s1 198.51.100.1:80 check\n", "");
	cfg = check_as_text(cfg, base_kad, want);
	check_err(config_edit_server_delete(cfg, "b", "s1", &err), &err,
		  "server 's1' does not exist in proxy 'b'\n");
	check_err(config_edit_server_delete(cfg, "nope", "s1", &err), &err,
		  "proxy 'nope' does not exist\n");
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

/* ================================================================ */
/* VRRP */

START_TEST(test_vrrp_priority)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	char *want;

	ck_assert_int_eq(config_edit_vrrp_priority(cfg, "VI_1", 120, &err), 0);
	want = subst(base_kad, "priority 100", "priority 120");
	cfg = check_as_text(cfg, want, base_hap);
	check_err(config_edit_vrrp_priority(cfg, "VI_1", 0, &err), &err,
		  "priority 0 is out of range (1-255)\n");
	check_err(config_edit_vrrp_priority(cfg, "VI_1", 256, &err), &err,
		  "priority 256 is out of range (1-255)\n");
	check_err(config_edit_vrrp_priority(cfg, "VI_9", 120, &err), &err,
		  "vrrp-instance 'VI_9' does not exist; a new instance needs an "
		  "interface and a virtual_router_id: add it to keepalived.conf "
		  "and reload\n");
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_vrrp_delete)
{
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = base();
	char *want;

	check_err(config_edit_vrrp_delete(cfg, "VI_1", &err), &err,
		  "vrrp-instance 'VI_1' is in vrrp_sync_group 'G'; remove it there "
		  "first\n");
	ck_assert_int_eq(config_edit_vrrp_delete(cfg, "VI_2", &err), 0);
	want = subst(base_kad, "vrrp_instance VI_2 {\n  interface eth0\n"
		     "  virtual_router_id 2\n}\n", "");
	cfg = check_as_text(cfg, want, base_hap);
	check_err(config_edit_vrrp_delete(cfg, "VI_2", &err), &err,
		  "vrrp-instance 'VI_2' does not exist\n");
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

/* ================================================================ */
/* Virtual server groups */

static const char vsg_kad[] =
	"virtual_server_group web {\n  192.0.2.10 80\n}\n"
	"virtual_server group web {\n  lb_algo rr\n"
	"  real_server 198.51.100.1 80 {\n  }\n}\n";

START_TEST(test_vsg_edit)
{
	struct config_vsg_member range = { false, 0, "192.0.2.11:80", "192.0.2.20" };
	struct config_vsg_member v6 = { false, 0, "[2001:db8::1]:443", "2001:db8::ff" };
	struct config_vsg_member mark = { true, 7, NULL, NULL };
	struct config_vsg_member first = { false, 0, "192.0.2.10:80", NULL };
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = load_text(vsg_kad, NULL, NULL);
	bool created = true;
	char *want;

	ck_assert_int_eq(config_edit_vsg_set(cfg, "web", &created, &err), 0);
	ck_assert(!created);
	ck_assert_int_eq(config_edit_vsg_member(cfg, "web", &range, true, &err), 0);
	ck_assert_int_eq(config_edit_vsg_member(cfg, "web", &v6, true, &err), 0);
	ck_assert_int_eq(config_edit_vsg_member(cfg, "web", &mark, true, &err), 0);
	ck_assert_int_eq(config_edit_vsg_member(cfg, "web", &first, false, &err), 0);
	ck_assert_int_eq(config_edit_vsg_set(cfg, "api", &created, &err), 0);
	ck_assert(created);
	want = subst(vsg_kad, "  192.0.2.10 80\n", "  192.0.2.11-20 80\n"
		     "  2001:db8::1-ff 443\n  fwmark 7\n");
	{
		char *more = subst(want, "virtual_server group",
				   "virtual_server_group api {\n}\n"
				   "virtual_server group");

		free(want);
		want = more;
	}
	cfg = check_as_text(cfg, want, NULL);
	check_err(config_edit_vsg_member(cfg, "web", &mark, true, &err), &err,
		  "that member is already in virtual-server-group 'web'\n");
	check_err(config_edit_vsg_member(cfg, "web", &first, false, &err), &err,
		  "virtual-server-group 'web' has no such member\n");
	check_err(config_edit_vsg_member(cfg, "nope", &first, true, &err), &err,
		  "virtual-server-group 'nope' does not exist\n");
	range.to = "192.0.3.20";
	check_err(config_edit_vsg_member(cfg, "web", &range, true, &err), &err,
		  "range 192.0.2.11:80 to 192.0.3.20: the end must follow the "
		  "start and differ only in the last byte\n");
	range.to = "192.0.2.5";
	check_err(config_edit_vsg_member(cfg, "web", &range, true, &err), &err,
		  "range 192.0.2.11:80 to 192.0.2.5: the end must follow the "
		  "start and differ only in the last byte\n");
	range.to = "2001:db8::9";
	check_err(config_edit_vsg_member(cfg, "web", &range, true, &err), &err,
		  "range end '2001:db8::9' is not an IPv4 address\n");
	check_err(config_edit_vsg_delete(cfg, "web", &err), &err,
		  "virtual-server-group 'web' is used by virtual_server group web; "
		  "delete that first\n");
	check_err(config_edit_vsg_set(cfg, "a b", NULL, &err), &err,
		  "virtual-server-group name 'a b' is not valid: use letters, "
		  "digits, '-', '_', '.' and ':'\n");
	ck_assert_int_eq(config_edit_vsg_delete(cfg, "api", &err), 0);
	ck_assert_ptr_null(config_find_vs_group(cfg, "api"));
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

/* A proxy made in the shell goes after the last defaults section and
 * starts from it, as one typed at the end of the file would. */
START_TEST(test_proxy_add_after_defaults)
{
	static const char hap[] =
		"defaults\n  mode http\n  timeout client 30s\n"
		"backend a\n  server a1 198.51.100.1:80\n"
		"defaults\n  mode tcp\n  retries 5\n";
	struct config_proxy_change none = CONFIG_PROXY_CHANGE_NONE;
	struct strbuf err = STRBUF_INIT;
	struct config *cfg = load_text(NULL, hap, NULL);
	char *want;

	ck_assert_int_eq(config_edit_proxy_set(cfg, "n", &none, NULL, &err), 0);
	want = subst(hap, "retries 5\n", "retries 5\nlisten n\n");
	cfg = check_as_text(cfg, NULL, want);
	ck_assert_int_eq(config_find_proxy(cfg, "n")->retries, 5);
	ck_assert_int_eq(config_find_proxy(cfg, "n")->timeout_ms[CFG_TO_CLIENT],
			 CFG_UNSET);
	free(want);
	config_free(cfg);
	strbuf_free(&err);
}
END_TEST

Suite *edit_suite(void)
{
	Suite *s = suite_create("edit");
	TCase *tc = tcase_create("clone");

	/* at least one run, so that a missing corpus fails rather than
	 * passing with nothing tested */
	good_files_load();
	tcase_add_loop_test(tc, test_clone_corpus, 0,
			    good_files.gl_pathc ? (int)good_files.gl_pathc : 1);
	tcase_add_test(tc, test_clone_both_and_empty);
	tcase_add_test(tc, test_finish_refuses);
	suite_add_tcase(s, tc);

	tc = tcase_create("virtual-server");
	tcase_add_test(tc, test_vs_keys);
	tcase_add_test(tc, test_vs_add);
	tcase_add_test(tc, test_vs_add_fwmark_with_settings);
	tcase_add_test(tc, test_vs_change);
	tcase_add_test(tc, test_vs_method_drops_tunnel);
	tcase_add_test(tc, test_vs_refused);
	tcase_add_test(tc, test_vs_delete);
	tcase_add_test(tc, test_rs_add);
	tcase_add_test(tc, test_rs_change);
	tcase_add_test(tc, test_rs_refused);
	tcase_add_test(tc, test_rs_delete);
	suite_add_tcase(s, tc);

	tc = tcase_create("proxy");
	tcase_add_test(tc, test_proxy_add);
	tcase_add_test(tc, test_proxy_change);
	tcase_add_test(tc, test_proxy_refused);
	tcase_add_test(tc, test_proxy_delete);
	tcase_add_test(tc, test_server_add);
	tcase_add_test(tc, test_server_change);
	tcase_add_test(tc, test_server_refused);
	tcase_add_test(tc, test_server_delete);
	tcase_add_test(tc, test_proxy_add_after_defaults);
	suite_add_tcase(s, tc);

	tc = tcase_create("virtual-server-group");
	tcase_add_test(tc, test_vsg_edit);
	suite_add_tcase(s, tc);

	tc = tcase_create("vrrp");
	tcase_add_test(tc, test_vrrp_priority);
	tcase_add_test(tc, test_vrrp_delete);
	suite_add_tcase(s, tc);
	return s;
}
