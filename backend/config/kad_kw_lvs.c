#include "config.h"

#include "config/conf.h"

/* The keepalived keywords of virtual_server_group, virtual_server,
 * real_server and the checkers: their setters, then their table. */

#include "config/kad_parse.h"
#include "config/kad_setters.h"
#include "config/model.h"
#include "config/value.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_S (24LL * 3600 * 1000)

/* The kernel's schedulers (net/netfilter/ipvs/ip_vs_*.c). */
static const char *const schedulers[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq",
	"fo", "ovf", "mh", "twos",
};

#define SCHED_HELP "a scheduler (rr wrr lc wlc lblc lblcr dh sh sed nq " \
	"fo ovf mh twos)"

/* ================================================================ */
/* virtual_server_group */

KAD_SETTER(set_vs_group)
{
	struct config *cfg = obj;
	struct cfg_vs_group *g;

	if (config_find_vs_group(cfg, st->argv[1])) {
		kad_error(p, st, "duplicate virtual_server_group '%s'",
			  st->argv[1]);
		return false;
	}
	g = CFG_APPEND(cfg->vs_groups, cfg->n_vs_groups, cfg->cap_vs_groups);
	g->name = xstrdup(st->argv[1]);
	g->loc.file = st->file;
	g->loc.line = st->line;
	*child = g;
	return true;
}

/* IP[-LAST] PORT, or fwmark N */
static bool line_vsg_entry(struct kad_parser *p, const struct kad_stmt *st,
			   void *obj)
{
	struct cfg_vs_group *g = obj;
	struct cfg_vsg_entry e;
	long long v;

	memset(&e, 0, sizeof(e));
	e.range_last = CFG_UNSET;
	e.port = CFG_UNSET;
	if (st->argc != 3)
		return kad_expects(p, st, 1, "'IP[-LAST] PORT' or 'fwmark N'");
	if (strcmp(st->argv[1], "fwmark") == 0) {
		if (!cfg_parse_int(st->argv[2], 1, UINT32_MAX, &v))
			return kad_expects(p, st, 2, "a firewall mark from 1 "
					   "to 4294967295");
		e.is_fwmark = true;
		e.fwmark = (uint32_t)v;
	} else {
		char *a = xstrdup(st->argv[1]);
		char *dash = strrchr(a, '-');
		bool ok;

		if (dash)
			*dash = '\0';
		ok = cfg_parse_addr(a, &e.addr);
		if (ok && dash && e.addr.af == CFG_AF_INET4) {
			ok = cfg_parse_int(dash + 1, 0, 255, &v);
			e.range_last = (int)v;
		} else if (ok && dash) {
			/* keepalived reads an IPv6 range's end in hex, like
			 * the address it ends: 2001:db8::1-ff */
			char *end = NULL;
			unsigned long x = strtoul(dash + 1, &end, 16);

			ok = dash[1] && isxdigit((unsigned char)dash[1]) &&
				!*end && x <= 0xffff;
			e.range_last = (int)x;
		}
		free(a);
		if (!ok)
			return kad_expects(p, st, 1, "an address or a range "
					   "like 192.0.2.1-10 or 2001:db8::1-ff");
		if (!kad_arg_port(p, st, 2, true, &e.port))
			return false;
	}
	*CFG_APPEND(g->entries, g->n_entries, g->cap_entries) = e;
	return true;
}

/* ================================================================ */
/* virtual_server */

/* virtual_server IP PORT | fwmark N | group NAME. Port 0 is allowed: it
 * is a persistent all-ports service in IPVS. */
KAD_SETTER(set_virtual_server)
{
	struct config *cfg = obj;
	struct cfg_virtual_server id, *vs;
	long long v;

	cfg_virtual_server_init(&id);
	if (strcmp(st->argv[1], "fwmark") == 0) {
		id.kind = CFG_VS_FWMARK;
		if (!cfg_parse_int(st->argv[2], 1, UINT32_MAX, &v))
			return kad_expects(p, st, 2, "a firewall mark from 1 "
					   "to 4294967295");
		id.fwmark = (uint32_t)v;
	} else if (strcmp(st->argv[1], "group") == 0) {
		id.kind = CFG_VS_GROUP;
		id.group = st->argv[2];
	} else {
		id.kind = CFG_VS_ADDR;
		if (!kad_arg_addr(p, st, 1, &id.ep.addr) ||
		    !kad_arg_port(p, st, 2, true, &id.ep.port))
			return false;
	}
	/* the protocol is not known yet: duplicates are found at the end */
	vs = config_vs_append(cfg, cfg_vs_new());
	vs->kind = id.kind;
	vs->fwmark = id.fwmark;
	vs->ep = id.ep;
	vs->group = id.kind == CFG_VS_GROUP ? xstrdup(id.group) : NULL;
	vs->loc.file = st->file;
	vs->loc.line = st->line;
	*child = vs;
	return true;
}

KAD_SETTER(set_lb_algo)
{
	struct cfg_virtual_server *vs = obj;
	const char *s = st->argv[1];

	(void)child;
	if (strlen(s) > 15)
		return kad_expects(p, st, 1, "a scheduler name of at most 15 "
				   "characters");
	for (size_t i = 0; i < sizeof(schedulers) / sizeof(*schedulers); i++) {
		if (strcmp(s, schedulers[i]) == 0) {
			strcpy(vs->lb_algo, s);
			return true;
		}
	}
	return kad_expects(p, st, 1, SCHED_HELP);
}

static bool parse_lb_kind(struct kad_parser *p, const struct kad_stmt *st,
			  enum cfg_lb_kind *out)
{
	if (strcmp(st->argv[1], "NAT") == 0)
		*out = CFG_LB_KIND_NAT;
	else if (strcmp(st->argv[1], "DR") == 0)
		*out = CFG_LB_KIND_DR;
	else if (strcmp(st->argv[1], "TUN") == 0)
		*out = CFG_LB_KIND_TUN;
	else
		return kad_expects(p, st, 1, "NAT, DR or TUN");
	return true;
}

/* The tunnel options after "TUN" (keepalived 2.1+: `lvs_method TUN
 * [type ipip|gue|gre] [port N] [nocsum|csum|remcsum]`). The kernel and
 * ipvsadm agree on what fits: GUE is UDP and needs its port (the kernel
 * refuses GUE without one, EINVAL), IP-in-IP has no options, and remote
 * checksum offload is a GUE option. Refusing here names the line instead
 * of a kernel error at apply time. */
static bool parse_tunnel(struct kad_parser *p, const struct kad_stmt *st,
			 enum cfg_lb_kind kind, struct cfg_tunnel *out)
{
	struct cfg_tunnel t = { CFG_TUN_UNSET, 0, CFG_TUN_CSUM_UNSET };
	size_t port_at = 0, csum_at = 0;

	for (size_t i = 2; i < st->argc; i++) {
		const char *w = st->argv[i];

		if (kind != CFG_LB_KIND_TUN) {
			kad_error(p, st, "'%s %s' takes no tunnel options, got "
				  "'%s' (they apply to TUN only)", st->argv[0],
				  st->argv[1], w);
			return false;
		}
		if (strcmp(w, "type") == 0) {
			const char *v = ++i < st->argc ? st->argv[i] : "";

			if (strcmp(v, "ipip") == 0)
				t.type = CFG_TUN_IPIP;
			else if (strcmp(v, "gue") == 0)
				t.type = CFG_TUN_GUE;
			else if (strcmp(v, "gre") == 0)
				t.type = CFG_TUN_GRE;
			else
				return kad_expects(p, st, i,
						   "a tunnel type (ipip, gue or gre)");
		} else if (strcmp(w, "port") == 0) {
			if (!kad_arg_port(p, st, ++i, false, &t.port))
				return false;
			port_at = i;
		} else if (strcmp(w, "nocsum") == 0) {
			t.csum = CFG_TUN_NOCSUM;
			csum_at = i;
		} else if (strcmp(w, "csum") == 0) {
			t.csum = CFG_TUN_CSUM;
			csum_at = i;
		} else if (strcmp(w, "remcsum") == 0) {
			t.csum = CFG_TUN_REMCSUM;
			csum_at = i;
		} else {
			return kad_expects(p, st, i, "type, port, nocsum, csum "
					   "or remcsum");
		}
	}
	if (t.type == CFG_TUN_GUE && !t.port) {
		kad_error(p, st, "'%s TUN type gue' needs 'port PORT' (GUE's "
			  "UDP port)", st->argv[0]);
		return false;
	}
	if (port_at && t.type != CFG_TUN_GUE) {
		kad_error(p, st, "'port %s' is GUE's UDP port: it needs 'type "
			  "gue', not %s", st->argv[port_at],
			  t.type == CFG_TUN_GRE ? "gre" : "ipip");
		return false;
	}
	if (csum_at && (t.type == CFG_TUN_UNSET || t.type == CFG_TUN_IPIP)) {
		kad_error(p, st, "'%s' applies to gue and gre tunnels, not "
			  "ipip", st->argv[csum_at]);
		return false;
	}
	if (t.csum == CFG_TUN_REMCSUM && t.type != CFG_TUN_GUE) {
		kad_error(p, st, "'remcsum' (remote checksum offload) applies "
			  "to gue tunnels only, not gre");
		return false;
	}
	*out = t;
	return true;
}

KAD_SETTER(set_lb_kind)
{
	enum cfg_lb_kind *kind;
	struct cfg_tunnel *tun;

	(void)child;
	if (p->ctx == KAD_RS) {
		kind = &((struct cfg_real_server *)obj)->lb_kind;
		tun = &((struct cfg_real_server *)obj)->tun;
	} else {
		kind = &((struct cfg_virtual_server *)obj)->lb_kind;
		tun = &((struct cfg_virtual_server *)obj)->tun;
	}
	return parse_lb_kind(p, st, kind) && parse_tunnel(p, st, *kind, tun);
}

KAD_SETTER(set_protocol)
{
	struct cfg_virtual_server *vs = obj;

	(void)child;
	if (strcmp(st->argv[1], "TCP") == 0)
		vs->protocol = CFG_PROTO_TCP;
	else if (strcmp(st->argv[1], "UDP") == 0)
		vs->protocol = CFG_PROTO_UDP;
	else if (strcmp(st->argv[1], "SCTP") == 0)
		vs->protocol = CFG_PROTO_SCTP;
	else
		return kad_expects(p, st, 1, "TCP, UDP or SCTP");
	return true;
}

/* family inet|inet6, for fwmark services whose family has no address
 * to come from. */
KAD_SETTER(set_family)
{
	struct cfg_virtual_server *vs = obj;

	(void)child;
	if (strcmp(st->argv[1], "inet") == 0)
		vs->af = CFG_AF_INET4;
	else if (strcmp(st->argv[1], "inet6") == 0)
		vs->af = CFG_AF_INET6;
	else
		return kad_expects(p, st, 1, "inet or inet6");
	return true;
}

/* The kernel takes a persistence timeout in whole seconds. */
KAD_SETTER(set_persistence_timeout)
{
	struct cfg_virtual_server *vs = obj;
	int v;

	(void)child;
	if (!kad_arg_int(p, st, 1, 0, CFG_PERSISTENCE_MAX_S, &v))
		return false;
	vs->persistence_timeout_ms = (int64_t)v * 1000;
	return true;
}

/* A netmask (IPv4) or a prefix length (IPv6), stored as a mask. */
KAD_SETTER(set_persistence_granularity)
{
	struct cfg_virtual_server *vs = obj;
	struct cfg_addr a;
	long long len;

	(void)child;
	if (cfg_parse_addr(st->argv[1], &a) && a.af == CFG_AF_INET4) {
		vs->persistence_granularity = a;
		return true;
	}
	if (cfg_parse_int(st->argv[1], 1, 128, &len)) {
		memset(&a, 0, sizeof(a));
		a.af = CFG_AF_INET6;
		for (int i = 0; i < len; i++)
			a.b[i / 8] |= (unsigned char)(0x80 >> (i % 8));
		vs->persistence_granularity = a;
		return true;
	}
	return kad_expects(p, st, 1, "an IPv4 netmask or an IPv6 prefix "
			   "length");
}

/* The kernel's persistence engines (net/netfilter/ipvs/ip_vs_pe_*.c):
 * it refuses any other name (ENOENT), so the parser does first, with the
 * line. */
static const char *const pe_names[] = { "sip" };

/* persistence_engine NAME: IPVS consults the engine only for persistent
 * services; without persistence_timeout validate() warns (the kernel
 * takes it, and it does nothing). */
KAD_SETTER(set_persistence_engine)
{
	struct cfg_virtual_server *vs = obj;
	const char *s = st->argv[1];

	(void)child;
	for (size_t i = 0; i < sizeof(pe_names) / sizeof(*pe_names); i++) {
		if (strcmp(s, pe_names[i]) == 0) {
			snprintf(vs->pe_name, sizeof(vs->pe_name), "%s", s);
			vs->pe_loc.file = st->file;
			vs->pe_loc.line = st->line;
			return true;
		}
	}
	return kad_expects(p, st, 1, "a persistence engine (sip)");
}

KAD_SET_FLAG(set_ops, struct cfg_virtual_server, ops)
KAD_SET_FLAG(set_alpha, struct cfg_virtual_server, alpha)
KAD_SET_FLAG(set_omega, struct cfg_virtual_server, omega)
KAD_SET_INT(set_quorum, struct cfg_virtual_server, quorum, 1, 65535)
KAD_SET_INT(set_hysteresis, struct cfg_virtual_server, hysteresis, 0, 65535)
KAD_SET_STR(set_quorum_up, struct cfg_virtual_server, quorum_up)
KAD_SET_STR(set_quorum_down, struct cfg_virtual_server, quorum_down)
KAD_SET_FLAG(set_sorry_inhibit, struct cfg_virtual_server,
	     sorry_server_inhibit)

KAD_SETTER(set_sorry_server)
{
	struct cfg_virtual_server *vs = obj;

	(void)child;
	return kad_arg_addr(p, st, 1, &vs->sorry_server.addr) &&
		kad_arg_port(p, st, 2, true, &vs->sorry_server.port);
}

/* sh-port, sh-fallback, mh-port, mh-fallback, flag-1..3: scheduler
 * flags, kept by name for the LVS engine. */
KAD_SETTER(set_sched_flag)
{
	struct cfg_virtual_server *vs = obj;

	(void)p; (void)child;
	if (!strvec_contains(&vs->sched_flags, st->argv[0]))
		strvec_push(&vs->sched_flags, st->argv[0]);
	strvec_sort_unique(&vs->sched_flags);
	return true;
}

/* ================================================================ */
/* Options of the checker chain (virtual_server, real_server, checker) */

KAD_SETTER(set_delay_loop)
{
	(void)child;
	return kad_arg_seconds(p, st, 1, MAX_S,
			       &kad_check_opts(p, obj)->delay_loop_ms);
}

KAD_SETTER(set_warmup)
{
	(void)child;
	return kad_arg_seconds(p, st, 1, MAX_S,
			       &kad_check_opts(p, obj)->warmup_ms);
}

KAD_SETTER(set_connect_timeout)
{
	(void)child;
	return kad_arg_seconds(p, st, 1, 3600000,
			       &kad_check_opts(p, obj)->connect_timeout_ms);
}

KAD_SETTER(set_retry)
{
	(void)child;
	if (strcmp(st->argv[0], "nb_get_retry") == 0)
		kad_warn(p, st, "'nb_get_retry' is deprecated; use 'retry'");
	return kad_arg_int(p, st, 1, 0, 1000, &kad_check_opts(p, obj)->retry);
}

KAD_SETTER(set_delay_before_retry)
{
	(void)child;
	return kad_arg_seconds(p, st, 1, MAX_S,
			       &kad_check_opts(p, obj)->delay_before_retry_ms);
}

/* inhibit_on_failure [BOOL]: as in keepalived 2, an optional true/false
 * (on/off, yes/no), so a real server can turn off what its virtual
 * server turned on. */
KAD_SETTER(set_inhibit_on_failure)
{
	static const char *const yes[] = { "true", "on", "yes" };
	static const char *const no[] = { "false", "off", "no" };
	int *dst = &kad_check_opts(p, obj)->inhibit_on_failure;

	(void)child;
	if (st->argc == 1) {
		*dst = 1;
		return true;
	}
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(st->argv[1], yes[i]) == 0) {
			*dst = 1;
			return true;
		}
		if (strcmp(st->argv[1], no[i]) == 0) {
			*dst = 0;
			return true;
		}
	}
	return kad_expects(p, st, 1, "nothing, true or false");
}

KAD_SETTER(set_virtualhost)
{
	(void)child;
	kad_arg_str(st, 1, &kad_check_opts(p, obj)->virtualhost);
	return true;
}

/* ================================================================ */
/* real_server */

KAD_SETTER(set_real_server)
{
	struct cfg_virtual_server *vs = obj;
	struct cfg_endpoint ep;
	struct cfg_real_server *rs, *dup;

	if (!kad_arg_addr(p, st, 1, &ep.addr))
		return false;
	/* fwmark services forward every port: the port may be left out */
	if (st->argc == 2) {
		ep.port = 0;
	} else if (!kad_arg_port(p, st, 2, true, &ep.port)) {
		return false;
	}
	dup = cfg_vs_find_rs(vs, &ep);
	if (dup) {
		kad_error(p, st, "duplicate real_server %s %s (first at "
			  "line %d)", st->argv[1], st->argc > 2 ?
			  st->argv[2] : "0", dup->loc.line);
		return false;
	}
	rs = CFG_APPEND(vs->rs, vs->n_rs, vs->cap_rs);
	cfg_real_server_init(rs);
	rs->ep = ep;
	rs->loc.file = st->file;
	rs->loc.line = st->line;
	*child = rs;
	return true;
}

KAD_SET_INT(set_weight, struct cfg_real_server, weight, 0, CFG_RS_WEIGHT_MAX)
KAD_SET_INT(set_uthreshold, struct cfg_real_server, uthreshold, 0, 65535)
KAD_SET_INT(set_lthreshold, struct cfg_real_server, lthreshold, 0, 65535)
KAD_SET_STR(set_notify_up, struct cfg_real_server, notify_up)
KAD_SET_STR(set_notify_down, struct cfg_real_server, notify_down)

static bool add_checker(struct kad_parser *p, const struct kad_stmt *st,
			void *obj, void **child, enum cfg_check_kind kind)
{
	struct cfg_real_server *rs = obj;
	struct cfg_checker *c = CFG_APPEND(rs->checkers, rs->n_checkers,
					   rs->cap_checkers);

	(void)p; (void)st;
	cfg_checker_init(c, kind);
	*child = c;
	return true;
}

KAD_SETTER(set_tcp_check)
{
	return add_checker(p, st, obj, child, CFG_CHECK_TCP);
}

KAD_SETTER(set_http_get)
{
	return add_checker(p, st, obj, child, CFG_CHECK_HTTP);
}

KAD_SETTER(set_ssl_get)
{
	return add_checker(p, st, obj, child, CFG_CHECK_SSL);
}

KAD_SETTER(set_misc_check)
{
	return add_checker(p, st, obj, child, CFG_CHECK_MISC);
}

/* ================================================================ */
/* Checkers */

KAD_SET_ADDR(set_connect_ip, struct cfg_checker, connect_ip)
KAD_SET_ADDR(set_bindto, struct cfg_checker, bindto)

KAD_SETTER(set_connect_port)
{
	(void)child;
	return kad_arg_port(p, st, 1, false,
			    &((struct cfg_checker *)obj)->connect_port);
}

KAD_SETTER(set_bind_port)
{
	(void)child;
	return kad_arg_port(p, st, 1, false,
			    &((struct cfg_checker *)obj)->bind_port);
}

KAD_SETTER(set_http_protocol)
{
	struct cfg_checker *c = obj;

	(void)child;
	if (strcmp(st->argv[1], "1.0") != 0 && strcmp(st->argv[1], "1.1") != 0 &&
	    strcmp(st->argv[1], "1.0C") != 0 && strcmp(st->argv[1], "1.0c") != 0)
		return kad_expects(p, st, 1, "1.0, 1.0C or 1.1");
	kad_arg_str(st, 1, &c->http_protocol);
	return true;
}

KAD_SET_STR(set_misc_path, struct cfg_checker, misc_path)
KAD_SET_SECONDS(set_misc_timeout, struct cfg_checker, misc_timeout_ms, MAX_S)
KAD_SET_FLAG(set_misc_dynamic, struct cfg_checker, misc_dynamic)
KAD_SET_STR(set_check_user, struct cfg_checker, user)

KAD_SETTER(set_url)
{
	struct cfg_checker *c = obj;

	(void)p; (void)st;
	*child = CFG_APPEND(c->urls, c->n_urls, c->cap_urls);
	return true;
}

KAD_SET_STR(set_url_path, struct cfg_url, path)

/* An MD5 hex digest; lowercased so that comparing is plain strcmp. */
KAD_SETTER(set_url_digest)
{
	struct cfg_url *u = obj;
	const char *s = st->argv[1];

	(void)child;
	if (strlen(s) != 32 || strspn(s, "0123456789abcdefABCDEF") != 32)
		return kad_expects(p, st, 1, "an MD5 digest of 32 hex digits");
	kad_arg_str(st, 1, &u->digest);
	for (char *q = u->digest; *q; q++)
		if (*q >= 'A' && *q <= 'F')
			*q = (char)(*q - 'A' + 'a');
	return true;
}

/* status_code 200 | 200-299 | 200 301-302 ... */
KAD_SETTER(set_url_status)
{
	struct cfg_url *u = obj;

	(void)child;
	for (size_t i = 1; i < st->argc; i++) {
		char *s = xstrdup(st->argv[i]);
		char *dash = strchr(s, '-');
		long long lo, hi;
		bool ok;

		if (dash)
			*dash = '\0';
		ok = cfg_parse_int(s, 100, 599, &lo);
		hi = lo;
		if (ok && dash)
			ok = cfg_parse_int(dash + 1, 100, 599, &hi) && hi >= lo;
		free(s);
		if (!ok)
			return kad_expects(p, st, i, "HTTP status codes or "
					   "ranges from 100 to 599");
		struct cfg_status_range *r = CFG_APPEND(u->codes, u->n_codes,
							u->cap_codes);
		r->lo = (int)lo;
		r->hi = (int)hi;
	}
	return true;
}

/* ================================================================ */
/* The table */

#define T KAD_TOP
#define VS KAD_VS
#define RS KAD_RS
#define CK KAD_CHECKERS
#define NET (KAD_TCP | KAD_HTTP)
#define NONE KAD_BODY_NONE
#define BLOCK KAD_BODY_BLOCK
#define LIST KAD_BODY_LIST

#define LB_KIND_HELP "NAT, DR or TUN [type ipip|gue|gre] [port PORT] " \
	"[nocsum|csum|remcsum]"

const struct kad_kw kad_kw_lvs[] = {
	{ "virtual_server_group", T, 1, 1, LIST, 0, set_vs_group,
	  line_vsg_entry, "a group name" },
	{ "virtual_server", T, 2, 2, BLOCK, KAD_VS, set_virtual_server, NULL,
	  "'IP PORT', 'fwmark N' or 'group NAME'" },

	/* virtual_server */
	{ "lb_algo", VS, 1, 1, NONE, 0, set_lb_algo, NULL, SCHED_HELP },
	{ "lvs_sched", VS, 1, 1, NONE, 0, set_lb_algo, NULL, SCHED_HELP },
	{ "lb_kind", VS | RS, 1, 8, NONE, 0, set_lb_kind, NULL,
	  LB_KIND_HELP },
	{ "lvs_method", VS | RS, 1, 8, NONE, 0, set_lb_kind, NULL,
	  LB_KIND_HELP },
	{ "protocol", VS, 1, 1, NONE, 0, set_protocol, NULL,
	  "TCP, UDP or SCTP" },
	{ "family", VS, 1, 1, NONE, 0, set_family, NULL, "inet or inet6" },
	{ "persistence_timeout", VS, 1, 1, NONE, 0, set_persistence_timeout,
	  NULL, "an integer from 0 to " CFG_STR(CFG_PERSISTENCE_MAX_S) },
	{ "persistence_granularity", VS, 1, 1, NONE, 0,
	  set_persistence_granularity, NULL,
	  "an IPv4 netmask or an IPv6 prefix length" },
	{ "persistence_engine", VS, 1, 1, NONE, 0, set_persistence_engine,
	  NULL, "a persistence engine (sip)" },
	{ "ops", VS, 0, 0, NONE, 0, set_ops, NULL, "no arguments" },
	{ "alpha", VS, 0, 0, NONE, 0, set_alpha, NULL, "no arguments" },
	{ "omega", VS, 0, 0, NONE, 0, set_omega, NULL, "no arguments" },
	{ "quorum", VS, 1, 1, NONE, 0, set_quorum, NULL,
	  "an integer from 1 to 65535" },
	{ "hysteresis", VS, 1, 1, NONE, 0, set_hysteresis, NULL,
	  "an integer from 0 to 65535" },
	{ "quorum_up", VS, 1, KAD_MANY, NONE, 0, set_quorum_up, NULL,
	  "a command line" },
	{ "quorum_down", VS, 1, KAD_MANY, NONE, 0, set_quorum_down, NULL,
	  "a command line" },
	{ "sorry_server", VS, 2, 2, NONE, 0, set_sorry_server, NULL,
	  "an address and a port" },
	{ "sorry_server_inhibit", VS, 0, 0, NONE, 0, set_sorry_inhibit, NULL,
	  "no arguments" },
	{ "sh-port", VS, 0, 0, NONE, 0, set_sched_flag, NULL, "no arguments" },
	{ "sh-fallback", VS, 0, 0, NONE, 0, set_sched_flag, NULL,
	  "no arguments" },
	{ "mh-port", VS, 0, 0, NONE, 0, set_sched_flag, NULL, "no arguments" },
	{ "mh-fallback", VS, 0, 0, NONE, 0, set_sched_flag, NULL,
	  "no arguments" },
	{ "real_server", VS, 1, 2, KAD_BODY_OPT_BLOCK, KAD_RS, set_real_server,
	  NULL, "an address and a port" },
	KAD_REFUSE("ha_suspend", VS, CONFIG_CHANGES_ROUTE),
	KAD_NOTIMPL("lvs_timeouts", VS),

	/* the checker chain */
	{ "delay_loop", VS | RS | CK, 1, 1, NONE, 0, set_delay_loop, NULL,
	  "a time in seconds" },
	{ "warmup", VS | RS | CK, 1, 1, NONE, 0, set_warmup, NULL,
	  "a time in seconds" },
	{ "connect_timeout", VS | RS | NET, 1, 1, NONE, 0, set_connect_timeout,
	  NULL, "a time in seconds" },
	{ "retry", VS | RS | CK, 1, 1, NONE, 0, set_retry, NULL,
	  "an integer from 0 to 1000" },
	{ "nb_get_retry", VS | RS | CK, 1, 1, NONE, 0, set_retry, NULL,
	  "an integer from 0 to 1000" },
	{ "delay_before_retry", VS | RS | CK, 1, 1, NONE, 0,
	  set_delay_before_retry, NULL, "a time in seconds" },
	{ "inhibit_on_failure", VS | RS, 0, 1, NONE, 0, set_inhibit_on_failure,
	  NULL, "nothing, true or false" },
	{ "virtualhost", VS | RS | KAD_HTTP, 1, 1, NONE, 0, set_virtualhost,
	  NULL, "a host name" },

	/* real_server */
	{ "weight", RS, 1, 1, NONE, 0, set_weight, NULL,
	  "an integer from 0 to " CFG_STR(CFG_RS_WEIGHT_MAX) },
	{ "uthreshold", RS, 1, 1, NONE, 0, set_uthreshold, NULL,
	  "an integer from 0 to 65535" },
	{ "lthreshold", RS, 1, 1, NONE, 0, set_lthreshold, NULL,
	  "an integer from 0 to 65535" },
	{ "notify_up", RS, 1, KAD_MANY, NONE, 0, set_notify_up, NULL,
	  "a command line" },
	{ "notify_down", RS, 1, KAD_MANY, NONE, 0, set_notify_down, NULL,
	  "a command line" },
	{ "TCP_CHECK", RS, 0, 0, KAD_BODY_OPT_BLOCK, KAD_TCP, set_tcp_check,
	  NULL, "no arguments" },
	{ "HTTP_GET", RS, 0, 0, BLOCK, KAD_HTTP, set_http_get, NULL,
	  "no arguments" },
	{ "SSL_GET", RS, 0, 0, BLOCK, KAD_HTTP, set_ssl_get, NULL,
	  "no arguments" },
	{ "MISC_CHECK", RS, 0, 0, BLOCK, KAD_MISC, set_misc_check, NULL,
	  "no arguments" },
	KAD_REFUSE("SMTP_CHECK", RS, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("DNS_CHECK", RS, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("BFD_CHECK", RS, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("PING_CHECK", RS, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("FILE_CHECK", RS, CONFIG_CHANGES_ROUTE),

	/* checkers */
	{ "connect_ip", NET, 1, 1, NONE, 0, set_connect_ip, NULL,
	  "an IPv4 or IPv6 address" },
	{ "connect_port", NET, 1, 1, NONE, 0, set_connect_port, NULL,
	  "a port from 1 to 65535" },
	{ "bindto", NET, 1, 1, NONE, 0, set_bindto, NULL,
	  "an IPv4 or IPv6 address" },
	{ "bind_port", NET, 1, 1, NONE, 0, set_bind_port, NULL,
	  "a port from 1 to 65535" },
	{ "http_protocol", KAD_HTTP, 1, 1, NONE, 0, set_http_protocol, NULL,
	  "1.0, 1.0C or 1.1" },
	{ "url", KAD_HTTP, 0, 0, BLOCK, KAD_URL, set_url, NULL,
	  "no arguments" },
	{ "path", KAD_URL, 1, 1, NONE, 0, set_url_path, NULL, "a URL path" },
	{ "digest", KAD_URL, 1, 1, NONE, 0, set_url_digest, NULL,
	  "an MD5 digest of 32 hex digits" },
	{ "status_code", KAD_URL, 1, KAD_MANY, NONE, 0, set_url_status, NULL,
	  "HTTP status codes or ranges from 100 to 599" },
	{ "misc_path", KAD_MISC, 1, KAD_MANY, NONE, 0, set_misc_path, NULL,
	  "a command line" },
	{ "misc_timeout", KAD_MISC, 1, 1, NONE, 0, set_misc_timeout, NULL,
	  "a time in seconds" },
	{ "misc_dynamic", KAD_MISC, 0, 0, NONE, 0, set_misc_dynamic, NULL,
	  "no arguments" },
	{ "user", KAD_MISC, 1, 2, NONE, 0, set_check_user, NULL,
	  "a user and an optional group" },
	KAD_NOTIMPL("ssl_ca", T),
	{ NULL, 0, 0, 0, NONE, 0, NULL, NULL, NULL, NULL },
};
