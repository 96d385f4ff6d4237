#include "config.h"

#include "config/conf.h"

/* The keepalived keywords of global_defs, vrrp_script, vrrp_sync_group
 * and vrrp_instance: their setters, then their table. */

#include "config/edit.h"
#include "config/kad_parse.h"
#include "config/kad_setters.h"
#include "config/model.h"
#include "config/value.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_S (24LL * 3600 * 1000)	/* a day: beyond any sane timer */

/* ================================================================ */
/* global_defs */

KAD_SETTER(set_global_defs)
{
	struct cfg_global *g = &((struct config *)obj)->global;

	(void)p;
	/* several global_defs blocks add up; write memory puts the one
	 * block back where the first was */
	if (!g->loc.file) {
		g->loc.file = st->file;
		g->loc.line = st->line;
	}
	*child = g;
	return true;
}

KAD_SET_STR(set_router_id, struct cfg_global, router_id)
KAD_SET_INT(set_vrrp_version, struct cfg_global, vrrp_version, 2, 3)
KAD_SET_SECONDS(set_g_garp_delay, struct cfg_global,
		vrrp_garp_master_delay_ms, MAX_S)
KAD_SET_INT(set_g_garp_repeat, struct cfg_global, vrrp_garp_master_repeat,
	    1, 255)
KAD_SET_SECONDS(set_g_garp_refresh, struct cfg_global,
		vrrp_garp_master_refresh_ms, MAX_S)
KAD_SET_INT(set_g_garp_refresh_repeat, struct cfg_global,
	    vrrp_garp_master_refresh_repeat, 1, 255)
KAD_SET_FLAG(set_script_security, struct cfg_global, enable_script_security)
KAD_SET_STR(set_script_user, struct cfg_global, script_user)
KAD_SET_FLAG(set_skip_check_adv, struct cfg_global, vrrp_skip_check_adv_addr)
KAD_SET_FLAG(set_vrrp_strict, struct cfg_global, vrrp_strict)
KAD_SET_FLAG(set_g_v3_as_v2, struct cfg_global, v3_checksum_as_v2)
KAD_SET_FLAG(set_snmp_vrrp, struct cfg_global, enable_snmp_vrrp)
KAD_SET_FLAG(set_snmp_checker, struct cfg_global, enable_snmp_checker)
KAD_SET_FLAG(set_snmp_rfcv2, struct cfg_global, enable_snmp_rfcv2)
KAD_SET_FLAG(set_snmp_rfcv3, struct cfg_global, enable_snmp_rfcv3)
KAD_SET_FLAG(set_snmp_proxy, struct cfg_global, enable_snmp_proxy)
KAD_SET_FLAG(set_traps, struct cfg_global, enable_traps)

/* enable_snmp_rfc: keepalived's shorthand for both VRRP MIBs. */
static bool set_snmp_rfc(struct kad_parser *p, const struct kad_stmt *st, void *obj,
			 void **child)
{
	struct cfg_global *g = obj;

	(void)p; (void)st; (void)child;
	g->enable_snmp_rfcv2 = 1;
	g->enable_snmp_rfcv3 = 1;
	return true;
}

/* snmp_socket unix:PATH | udp:HOST:PORT | tcp:HOST:PORT | PATH (as
 * net-snmp's agentXSocket takes it). */
static bool set_snmp_socket(struct kad_parser *p, const struct kad_stmt *st, void *obj,
			    void **child)
{
	struct cfg_global *g = obj;
	const char *a = st->argv[1];

	(void)child;
	if (!*a || strpbrk(a, " \t\"'#!"))
		return kad_expects(p, st, 1, "unix:PATH, tcp:HOST:PORT or udp:HOST:PORT");
	free(g->snmp_socket);
	g->snmp_socket = xstrdup(a);
	return true;
}

/* softlb_metrics [ADDR:]PORT: softlb's own keyword (keepalived logs
 * "Unknown keyword" and carries on; its -t fails): the Prometheus
 * endpoint for an install without a haproxy file. A bare port is on
 * 127.0.0.1; an address is IPv4 or [IPv6], as --metrics takes them. */
static bool set_metrics(struct kad_parser *p, const struct kad_stmt *st, void *obj,
			void **child)
{
	struct cfg_global *g = obj;
	const char *a = st->argv[1];
	struct cfg_endpoint ep;
	long long port;

	(void)child;
	if (!cfg_parse_int(a, 1, 65535, &port) && !config_parse_endpoint(a, 1, &ep))
		return kad_expects(p, st, 1, "[ADDR:]PORT (a port 1-65535, a.b.c.d:port or "
				   "[ipv6]:port)");
	free(g->softlb_metrics);
	g->softlb_metrics = xstrdup(a);
	return true;
}

/* KEYWORD [BOOL]: keepalived's on|off|true|false|yes|no, on when absent. */
static bool arg_bool(struct kad_parser *p, const struct kad_stmt *st, int *out)
{
	static const char *const on[] = { "on", "true", "yes" };
	static const char *const off[] = { "off", "false", "no" };

	if (st->argc < 2) {
		*out = 1;
		return true;
	}
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(st->argv[1], on[i]) == 0) {
			*out = 1;
			return true;
		}
		if (strcmp(st->argv[1], off[i]) == 0) {
			*out = 0;
			return true;
		}
	}
	return kad_expects(p, st, 1, "on, off, true, false, yes or no");
}

/* lvs_id is keepalived 1.x's name for router_id. */
KAD_SETTER(set_lvs_id)
{
	struct cfg_global *g = obj;

	(void)child;
	kad_warn(p, st, "'lvs_id' is deprecated; use 'router_id'");
	kad_arg_join(st, 1, &g->router_id);
	return true;
}

static bool set_mcast_group(struct kad_parser *p, const struct kad_stmt *st,
			    struct cfg_addr *out, enum cfg_af af)
{
	struct cfg_addr a;

	if (!cfg_parse_addr(st->argv[1], &a) || a.af != af)
		return kad_expects(p, st, 1, af == CFG_AF_INET4 ?
				   "an IPv4 multicast address" :
				   "an IPv6 multicast address");
	*out = a;
	return true;
}

KAD_SETTER(set_mcast4)
{
	(void)child;
	return set_mcast_group(p, st, &((struct cfg_global *)obj)->mcast_group4,
			       CFG_AF_INET4);
}

KAD_SETTER(set_mcast6)
{
	(void)child;
	return set_mcast_group(p, st, &((struct cfg_global *)obj)->mcast_group6,
			       CFG_AF_INET6);
}

/* lvs_timeouts [tcp N] [tcpfin N] [udp N], seconds. */
KAD_SETTER(set_lvs_timeouts)
{
	struct cfg_global *g = obj;

	(void)child;
	for (size_t i = 1; i < st->argc; i += 2) {
		int64_t *dst;
		int v;

		if (strcmp(st->argv[i], "tcp") == 0)
			dst = &g->lvs_timeout_tcp_ms;
		else if (strcmp(st->argv[i], "tcpfin") == 0)
			dst = &g->lvs_timeout_tcpfin_ms;
		else if (strcmp(st->argv[i], "udp") == 0)
			dst = &g->lvs_timeout_udp_ms;
		else
			return kad_expects(p, st, i, "tcp, tcpfin or udp");
		if (i + 1 >= st->argc)
			return kad_expects(p, st, i + 1, "a time in seconds");
		if (!kad_arg_int(p, st, i + 1, 0, 31536000, &v))
			return false;
		*dst = (int64_t)v * 1000;
	}
	return true;
}

/* lvs_sync_daemon IF [INSTANCE | inst NAME] [id N] [maxlen N] [port N]
 * [ttl N] [group IP] */
KAD_SETTER(set_lvs_sync_daemon)
{
	struct cfg_lvs_sync_daemon *s = &((struct cfg_global *)obj)->sync;
	size_t i = 2;

	(void)child;
	kad_arg_str(st, 1, &s->interface);
	while (i < st->argc) {
		const char *k = st->argv[i];
		bool last = i + 1 >= st->argc;

		if (i == 2 && strcmp(k, "inst") != 0 && strcmp(k, "id") != 0 &&
		    strcmp(k, "maxlen") != 0 && strcmp(k, "port") != 0 &&
		    strcmp(k, "ttl") != 0 && strcmp(k, "group") != 0) {
			kad_arg_str(st, i, &s->instance);
			i++;
			continue;
		}
		if (last)
			return kad_expects(p, st, i + 1, "a value");
		if (strcmp(k, "inst") == 0)
			kad_arg_str(st, i + 1, &s->instance);
		else if (strcmp(k, "id") == 0) {
			if (!kad_arg_int(p, st, i + 1, 0, 255, &s->id))
				return false;
		} else if (strcmp(k, "maxlen") == 0) {
			if (!kad_arg_int(p, st, i + 1, 1, 65507, &s->maxlen))
				return false;
		} else if (strcmp(k, "port") == 0) {
			if (!kad_arg_port(p, st, i + 1, false, &s->port))
				return false;
		} else if (strcmp(k, "ttl") == 0) {
			if (!kad_arg_int(p, st, i + 1, 1, 255, &s->ttl))
				return false;
		} else if (strcmp(k, "group") == 0) {
			if (!kad_arg_addr(p, st, i + 1, &s->group))
				return false;
		} else {
			return kad_expects(p, st, i,
					   "inst, id, maxlen, port, ttl or group");
		}
		i += 2;
	}
	return true;
}

/* ================================================================ */
/* vrrp_script */

KAD_SETTER(set_vrrp_script)
{
	struct config *cfg = obj;
	struct cfg_vrrp_script *s;

	if (config_find_script(cfg, st->argv[1])) {
		kad_error(p, st, "duplicate vrrp_script '%s'", st->argv[1]);
		return false;
	}
	s = CFG_APPEND(cfg->scripts, cfg->n_scripts, cfg->cap_scripts);
	cfg_vrrp_script_init(s);
	s->name = xstrdup(st->argv[1]);
	s->loc.file = st->file;
	s->loc.line = st->line;
	*child = s;
	return true;
}

KAD_SET_STR(set_script, struct cfg_vrrp_script, script)
KAD_SET_SECONDS(set_script_interval, struct cfg_vrrp_script, interval_ms,
		MAX_S)
KAD_SET_SECONDS(set_script_timeout, struct cfg_vrrp_script, timeout_ms,
		MAX_S)
KAD_SET_INT(set_script_weight, struct cfg_vrrp_script, weight, -253, 253)
KAD_SET_INT(set_script_rise, struct cfg_vrrp_script, rise, 1, 1000)
KAD_SET_INT(set_script_fall, struct cfg_vrrp_script, fall, 1, 1000)
KAD_SET_STR(set_script_user_s, struct cfg_vrrp_script, user)

/* ================================================================ */
/* vrrp_sync_group */

KAD_SETTER(set_sync_group)
{
	struct config *cfg = obj;
	struct cfg_sync_group *sg;

	if (config_find_sync_group(cfg, st->argv[1])) {
		kad_error(p, st, "duplicate vrrp_sync_group '%s'", st->argv[1]);
		return false;
	}
	sg = CFG_APPEND(cfg->sync_groups, cfg->n_sync_groups,
			cfg->cap_sync_groups);
	sg->name = xstrdup(st->argv[1]);
	strvec_init(&sg->members);
	sg->loc.file = st->file;
	sg->loc.line = st->line;
	*child = sg;
	return true;
}

KAD_SET_SAME(set_sync_members)

static bool line_sync_member(struct kad_parser *p, const struct kad_stmt *st,
			     void *obj)
{
	struct cfg_sync_group *sg = obj;

	for (size_t i = 1; i < st->argc; i++) {
		if (strvec_contains(&sg->members, st->argv[i])) {
			kad_error(p, st, "'%s' is twice in vrrp_sync_group '%s'",
				  st->argv[i], sg->name);
			return false;
		}
		strvec_push(&sg->members, st->argv[i]);
	}
	return true;
}

KAD_SET_STR(set_sg_notify_master, struct cfg_sync_group, notify_master)
KAD_SET_STR(set_sg_notify_backup, struct cfg_sync_group, notify_backup)
KAD_SET_STR(set_sg_notify_fault, struct cfg_sync_group, notify_fault)
KAD_SET_STR(set_sg_notify, struct cfg_sync_group, notify)

/* ================================================================ */
/* vrrp_instance */

KAD_SETTER(set_vrrp_instance)
{
	struct config *cfg = obj;
	struct cfg_vrrp_instance *vi;

	if (config_find_vrrp(cfg, st->argv[1])) {
		kad_error(p, st, "duplicate vrrp_instance '%s'", st->argv[1]);
		return false;
	}
	vi = CFG_APPEND(cfg->vrrp, cfg->n_vrrp, cfg->cap_vrrp);
	cfg_vrrp_instance_init(vi);
	vi->name = xstrdup(st->argv[1]);
	vi->loc.file = st->file;
	vi->loc.line = st->line;
	*child = vi;
	return true;
}

KAD_SETTER(set_state)
{
	struct cfg_vrrp_instance *vi = obj;

	(void)child;
	if (strcmp(st->argv[1], "MASTER") == 0)
		vi->state = CFG_VRRP_STATE_MASTER;
	else if (strcmp(st->argv[1], "BACKUP") == 0)
		vi->state = CFG_VRRP_STATE_BACKUP;
	else
		return kad_expects(p, st, 1, "MASTER or BACKUP");
	return true;
}

KAD_SET_STR(set_interface, struct cfg_vrrp_instance, interface)
KAD_SET_INT(set_vrid, struct cfg_vrrp_instance, vrid, 1, 255)
KAD_SET_INT(set_priority, struct cfg_vrrp_instance, priority, 1, CFG_VRRP_PRIORITY_MAX)
KAD_SET_INT(set_version, struct cfg_vrrp_instance, version, 2, 3)

/* VRRPv3 counts in centiseconds, v2 in seconds; 0 would flood the
 * link and every receiver drops it. */
KAD_SETTER(set_advert_int)
{
	struct cfg_vrrp_instance *vi = obj;
	int64_t ms;

	(void)child;
	if (!cfg_parse_seconds(st->argv[1], 255000, &ms) || ms < 10 ||
	    ms % 10)
		return kad_expects(p, st, 1, "a time in seconds from 0.01 to "
				   "255, in steps of 0.01");
	vi->advert_int_ms = ms;
	return true;
}

KAD_SET_SAME(set_authentication)

KAD_SETTER(set_auth_type)
{
	struct cfg_vrrp_instance *vi = obj;

	(void)child;
	if (strcmp(st->argv[1], "PASS") == 0)
		vi->auth_type = CFG_VRRP_AUTH_PASS;
	else if (strcmp(st->argv[1], "AH") == 0)
		vi->auth_type = CFG_VRRP_AUTH_AH;
	else
		return kad_expects(p, st, 1, "PASS or AH");
	return true;
}

/* The VRRPv2 authentication field is 8 bytes; keepalived truncates a
 * longer password silently, which then fails against a peer that was
 * given the full one. */
KAD_SETTER(set_auth_pass)
{
	struct cfg_vrrp_instance *vi = obj;

	(void)child;
	if (strlen(st->argv[1]) > 8 || !st->argv[1][0])
		return kad_expects(p, st, 1, "a password of 1 to 8 characters");
	kad_arg_str(st, 1, &vi->auth_pass);
	return true;
}

KAD_SET_SAME(set_vip_list)

/* ADDR[/PREFIX] [brd X] [dev IF] [scope S] [label L] */
static bool parse_vip(struct kad_parser *p, const struct kad_stmt *st,
		      struct cfg_vip *v)
{
	char *addr = xstrdup(st->argv[1]);
	char *slash = strchr(addr, '/');
	long long prefix;
	bool ok;

	memset(v, 0, sizeof(*v));
	if (slash)
		*slash = '\0';
	ok = cfg_parse_addr(addr, &v->addr);
	v->prefix = v->addr.af == CFG_AF_INET6 ? 128 : 32;
	if (ok && slash) {
		ok = cfg_parse_int(slash + 1, 0, v->prefix, &prefix);
		v->prefix = (int)prefix;
	}
	free(addr);
	if (!ok)
		return kad_expects(p, st, 1, "an address with an optional "
				   "/prefix");
	for (size_t i = 2; i < st->argc; i += 2) {
		const char *k = st->argv[i];

		if (i + 1 >= st->argc)
			return kad_expects(p, st, i + 1, "a value");
		if (strcmp(k, "brd") == 0) {
			if (!kad_arg_addr(p, st, i + 1, &v->brd))
				return false;
		} else if (strcmp(k, "dev") == 0) {
			kad_arg_str(st, i + 1, &v->dev);
		} else if (strcmp(k, "scope") == 0) {
			kad_arg_str(st, i + 1, &v->scope);
		} else if (strcmp(k, "label") == 0) {
			kad_arg_str(st, i + 1, &v->label);
		} else {
			return kad_expects(p, st, i, "brd, dev, scope or label");
		}
	}
	return true;
}

static bool line_vip(struct kad_parser *p, const struct kad_stmt *st,
		     void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	struct cfg_vip v;

	if (!parse_vip(p, st, &v)) {
		cfg_vip_free(&v);
		return false;
	}
	*CFG_APPEND(vi->vips, vi->n_vips, vi->cap_vips) = v;
	return true;
}

static bool line_vip_excluded(struct kad_parser *p, const struct kad_stmt *st,
			      void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	struct cfg_vip v;

	if (!parse_vip(p, st, &v)) {
		cfg_vip_free(&v);
		return false;
	}
	*CFG_APPEND(vi->vips_excluded, vi->n_vips_excluded,
		    vi->cap_vips_excluded) = v;
	return true;
}

KAD_SET_FLAG(set_nopreempt, struct cfg_vrrp_instance, nopreempt)
KAD_SET_SECONDS(set_preempt_delay, struct cfg_vrrp_instance,
		preempt_delay_ms, 1000000)

/* NAME [weight N] */
static bool parse_track(struct kad_parser *p, const struct kad_stmt *st,
			struct cfg_track *t)
{
	t->name = NULL;
	t->weight = CFG_UNSET_WEIGHT;
	if (st->argc == 4 && strcmp(st->argv[2], "weight") == 0) {
		if (!kad_arg_int(p, st, 3, -254, 254, &t->weight))
			return false;
	} else if (st->argc != 2) {
		return kad_expects(p, st, 2, "a name and an optional "
				   "'weight N'");
	}
	t->name = xstrdup(st->argv[1]);
	return true;
}

static bool line_track_if(struct kad_parser *p, const struct kad_stmt *st,
			  void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	struct cfg_track t;

	if (!parse_track(p, st, &t))
		return false;
	*CFG_APPEND(vi->track_ifs, vi->n_track_ifs, vi->cap_track_ifs) = t;
	return true;
}

static bool line_track_script(struct kad_parser *p, const struct kad_stmt *st,
			      void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	struct cfg_track t;

	if (!parse_track(p, st, &t))
		return false;
	*CFG_APPEND(vi->track_scripts, vi->n_track_scripts,
		    vi->cap_track_scripts) = t;
	return true;
}

KAD_SET_STR(set_notify_master, struct cfg_vrrp_instance, notify_master)
KAD_SET_STR(set_notify_backup, struct cfg_vrrp_instance, notify_backup)
KAD_SET_STR(set_notify_fault, struct cfg_vrrp_instance, notify_fault)
KAD_SET_STR(set_notify_stop, struct cfg_vrrp_instance, notify_stop)
KAD_SET_STR(set_notify, struct cfg_vrrp_instance, notify)
KAD_SET_ADDR(set_unicast_src, struct cfg_vrrp_instance, unicast_src_ip)
KAD_SET_ADDR(set_mcast_src, struct cfg_vrrp_instance, mcast_src_ip)

static bool line_unicast_peer(struct kad_parser *p, const struct kad_stmt *st,
			      void *obj)
{
	struct cfg_vrrp_instance *vi = obj;
	struct cfg_addr a;

	if (st->argc != 2)
		return kad_expects(p, st, 2, "one address per line");
	if (!kad_arg_addr(p, st, 1, &a))
		return false;
	*CFG_APPEND(vi->unicast_peers, vi->n_unicast_peers,
		    vi->cap_unicast_peers) = a;
	return true;
}

KAD_SET_SECONDS(set_garp_delay, struct cfg_vrrp_instance,
		garp_master_delay_ms, MAX_S)
KAD_SET_INT(set_garp_repeat, struct cfg_vrrp_instance, garp_master_repeat,
	    1, 255)
KAD_SET_SECONDS(set_garp_refresh, struct cfg_vrrp_instance,
		garp_master_refresh_ms, MAX_S)
KAD_SET_INT(set_garp_refresh_repeat, struct cfg_vrrp_instance,
	    garp_master_refresh_repeat, 1, 255)
KAD_SET_FLAG(set_dont_track_primary, struct cfg_vrrp_instance,
	     dont_track_primary)

KAD_SETTER(set_strict_mode)
{
	(void)child;
	return arg_bool(p, st, &((struct cfg_vrrp_instance *)obj)->strict_mode);
}

/* Not keepalived's old_unicast_checksum (which put the multicast group in
 * the pseudo-header): this one leaves the pseudo-header out, as v2 does,
 * for peers that compute the v3 checksum that way. */
KAD_SETTER(set_v3_as_v2)
{
	(void)child;
	return arg_bool(p, st,
			&((struct cfg_vrrp_instance *)obj)->v3_checksum_as_v2);
}

/* ================================================================ */
/* vrrp_strict / strict_mode, as keepalived 2.2 enforces them when it
 * completes an instance: what cannot work is an error, what it corrects
 * is a warning that says so, and the correction is made here so that the
 * printed configuration is what runs. Called before defaults merge. */

void kad_vrrp_strict_check(struct kad_parser *p, struct cfg_vrrp_instance *vi)
{
	struct kad_stmt at = { vi->loc.file, vi->loc.line, NULL, 0, false };
	int prio = vi->priority == CFG_UNSET ? 100 : vi->priority;
	bool strict = vi->strict_mode != CFG_UNSET ? vi->strict_mode > 0
						   : p->cfg->global.vrrp_strict > 0;

	if (!strict)
		return;
	if (!vi->n_vips)
		kad_error(p, &at, "vrrp_instance '%s': strict mode needs at least "
			  "one virtual_ipaddress", vi->name);
	if (vi->n_unicast_peers)
		kad_error(p, &at, "vrrp_instance '%s': strict mode does not allow "
			  "unicast_peer (RFC VRRP is multicast)", vi->name);
	if (vi->state != CFG_VRRP_STATE_UNSET &&
	    (vi->state == CFG_VRRP_STATE_MASTER) != (prio == 255)) {
		kad_warn(p, &at, "vrrp_instance '%s': strict mode: state %s must "
			 "match being the address owner (priority 255); using "
			 "state %s", vi->name,
			 vi->state == CFG_VRRP_STATE_MASTER ? "MASTER" : "BACKUP",
			 prio == 255 ? "MASTER" : "BACKUP");
		vi->state = prio == 255 ? CFG_VRRP_STATE_MASTER
					: CFG_VRRP_STATE_BACKUP;
	}
	if (vi->auth_type == CFG_VRRP_AUTH_PASS ||
	    vi->auth_type == CFG_VRRP_AUTH_AH) {
		kad_warn(p, &at, "vrrp_instance '%s': strict mode does not "
			 "support authentication; ignored", vi->name);
		vi->auth_type = CFG_VRRP_AUTH_NONE;
		free(vi->auth_pass);
		vi->auth_pass = NULL;
	}
	if (vi->preempt_delay_ms != CFG_UNSET && vi->preempt_delay_ms > 0) {
		kad_warn(p, &at, "vrrp_instance '%s': strict mode does not "
			 "support preempt_delay; ignored", vi->name);
		vi->preempt_delay_ms = 0;
	}
	if (vi->n_vips && vi->vips[0].addr.af == CFG_AF_INET6 &&
	    !(vi->vips[0].addr.b[0] == 0xfe &&
	      (vi->vips[0].addr.b[1] & 0xc0) == 0x80))
		kad_warn(p, &at, "vrrp_instance '%s': strict mode: the first IPv6 "
			 "virtual_ipaddress should be link-local", vi->name);
}

/* ================================================================ */
/* The table */

#define G KAD_GLOBAL
#define T KAD_TOP
#define S KAD_SCRIPT
#define Y KAD_SYNC
#define V KAD_VRRP
#define NONE KAD_BODY_NONE
#define BLOCK KAD_BODY_BLOCK
#define LIST KAD_BODY_LIST

const struct kad_kw kad_kw_vrrp[] = {
	/* top level */
	{ "global_defs", T, 0, 0, BLOCK, G, set_global_defs, NULL,
	  "no arguments" },
	{ "vrrp_script", T, 1, 1, BLOCK, S, set_vrrp_script, NULL,
	  "a script name" },
	{ "vrrp_sync_group", T, 1, 1, BLOCK, Y, set_sync_group, NULL,
	  "a group name" },
	{ "vrrp_instance", T, 1, 1, BLOCK, V, set_vrrp_instance, NULL,
	  "an instance name" },
	KAD_REFUSE("static_ipaddress", T, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("static_routes", T, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("static_rules", T, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("vrrp_track_file", T, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("vrrp_track_process", T, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("linkbeat_interfaces", T, CONFIG_CHANGES_ROUTE),
	KAD_NOTIMPL("garp_group", T),
	KAD_REFUSE("net_namespace", T, CONFIG_CHANGES_ROUTE),

	/* global_defs */
	{ "router_id", G, 1, 1, NONE, 0, set_router_id, NULL, "a name" },
	{ "lvs_id", G, 1, 1, NONE, 0, set_lvs_id, NULL, "a name" },
	{ "vrrp_version", G, 1, 1, NONE, 0, set_vrrp_version, NULL,
	  "2 or 3" },
	{ "vrrp_mcast_group4", G, 1, 1, NONE, 0, set_mcast4, NULL,
	  "an IPv4 multicast address" },
	{ "vrrp_mcast_group6", G, 1, 1, NONE, 0, set_mcast6, NULL,
	  "an IPv6 multicast address" },
	{ "vrrp_garp_master_delay", G, 1, 1, NONE, 0, set_g_garp_delay, NULL,
	  "a time in seconds" },
	{ "vrrp_garp_master_repeat", G, 1, 1, NONE, 0, set_g_garp_repeat,
	  NULL, "a count from 1 to 255" },
	{ "vrrp_garp_master_refresh", G, 1, 1, NONE, 0, set_g_garp_refresh,
	  NULL, "a time in seconds" },
	{ "vrrp_garp_master_refresh_repeat", G, 1, 1, NONE, 0,
	  set_g_garp_refresh_repeat, NULL, "a count from 1 to 255" },
	{ "enable_script_security", G, 0, 0, NONE, 0, set_script_security,
	  NULL, "no arguments" },
	{ "script_user", G, 1, 2, NONE, 0, set_script_user, NULL,
	  "a user and an optional group" },
	{ "vrrp_skip_check_adv_addr", G, 0, 0, NONE, 0, set_skip_check_adv,
	  NULL, "no arguments" },
	{ "vrrp_strict", G, 0, 0, NONE, 0, set_vrrp_strict, NULL,
	  "no arguments" },
	{ "v3_checksum_as_v2", G, 0, 0, NONE, 0, set_g_v3_as_v2, NULL,
	  "no arguments" },
	{ "lvs_timeouts", G, 2, 6, NONE, 0, set_lvs_timeouts, NULL,
	  "[tcp N] [tcpfin N] [udp N]" },
	{ "lvs_sync_daemon", G, 1, 13, NONE, 0, set_lvs_sync_daemon, NULL,
	  "IF [INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group IP]" },
	KAD_NOTIMPL("notification_email", G),
	KAD_NOTIMPL("notification_email_from", G),
	KAD_NOTIMPL("smtp_server", G),
	KAD_NOTIMPL("smtp_helo_name", G),
	KAD_NOTIMPL("smtp_connect_timeout", G),
	KAD_NOTIMPL("smtp_alert", G | Y | V | KAD_VS | KAD_RS),
	KAD_NOTIMPL("smtp_alert_vrrp", G),
	KAD_NOTIMPL("smtp_alert_checker", G),
	{ "enable_traps", G, 0, 0, NONE, 0, set_traps, NULL, "no arguments" },
	{ "enable_snmp_vrrp", G, 0, 0, NONE, 0, set_snmp_vrrp, NULL, "no arguments" },
	{ "enable_snmp_checker", G, 0, 0, NONE, 0, set_snmp_checker, NULL,
	  "no arguments" },
	{ "enable_snmp_rfc", G, 0, 0, NONE, 0, set_snmp_rfc, NULL, "no arguments" },
	{ "enable_snmp_rfcv2", G, 0, 0, NONE, 0, set_snmp_rfcv2, NULL, "no arguments" },
	{ "enable_snmp_rfcv3", G, 0, 0, NONE, 0, set_snmp_rfcv3, NULL, "no arguments" },
	{ "enable_snmp_proxy", G, 0, 0, NONE, 0, set_snmp_proxy, NULL, "no arguments" },
	{ "snmp_socket", G, 1, 1, NONE, 0, set_snmp_socket, NULL,
	  "unix:PATH, tcp:HOST:PORT or udp:HOST:PORT" },
	{ "softlb_metrics", G, 1, 1, NONE, 0, set_metrics, NULL, "[ADDR:]PORT" },
	KAD_NOTIMPL("lvs_flush", G),
	KAD_REFUSE("vrrp_iptables", G, CONFIG_CHANGES_ADMIT),
	KAD_REFUSE("vrrp_ipsets", G, CONFIG_CHANGES_ADMIT),
	KAD_NOTIMPL("max_auto_priority", G),
	KAD_NOTIMPL("vrrp_no_swap", G),
	KAD_NOTIMPL("checker_no_swap", G),
	KAD_NOTIMPL("vrrp_priority", G),
	KAD_NOTIMPL("checker_priority", G),
	KAD_NOTIMPL("dynamic_interfaces", G),
	KAD_REFUSE("vrrp_check_unicast_src", G, CONFIG_CHANGES_ADMIT),
	KAD_NOTIMPL("vrrp_garp_interval", G),
	KAD_NOTIMPL("vrrp_gna_interval", G),
	KAD_REFUSE("vrrp_lower_prio_no_advert", G, CONFIG_CHANGES_SEND),
	KAD_REFUSE("vrrp_higher_prio_send_advert", G, CONFIG_CHANGES_SEND),
	KAD_NOTIMPL("vrrp_startup_delay", G),
	KAD_NOTIMPL("default_interface", G),

	/* vrrp_script */
	{ "script", S, 1, KAD_MANY, NONE, 0, set_script, NULL,
	  "a command line" },
	{ "interval", S, 1, 1, NONE, 0, set_script_interval, NULL,
	  "a time in seconds" },
	{ "timeout", S, 1, 1, NONE, 0, set_script_timeout, NULL,
	  "a time in seconds" },
	{ "weight", S, 1, 1, NONE, 0, set_script_weight, NULL,
	  "an integer from -253 to 253" },
	{ "rise", S, 1, 1, NONE, 0, set_script_rise, NULL,
	  "an integer from 1 to 1000" },
	{ "fall", S, 1, 1, NONE, 0, set_script_fall, NULL,
	  "an integer from 1 to 1000" },
	{ "user", S, 1, 2, NONE, 0, set_script_user_s, NULL,
	  "a user and an optional group" },
	KAD_REFUSE("init_fail", S, CONFIG_CHANGES_ROUTE),

	/* vrrp_sync_group */
	{ "group", Y, 0, 0, LIST, 0, set_sync_members, line_sync_member,
	  "vrrp_instance names, one or more per line" },
	{ "notify_master", Y, 1, KAD_MANY, NONE, 0, set_sg_notify_master,
	  NULL, "a command line" },
	{ "notify_backup", Y, 1, KAD_MANY, NONE, 0, set_sg_notify_backup,
	  NULL, "a command line" },
	{ "notify_fault", Y, 1, KAD_MANY, NONE, 0, set_sg_notify_fault,
	  NULL, "a command line" },
	{ "notify", Y, 1, KAD_MANY, NONE, 0, set_sg_notify, NULL,
	  "a command line" },
	KAD_REFUSE("global_tracking", Y, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("sync_group_tracking_weight", Y, CONFIG_CHANGES_ROUTE),

	/* vrrp_instance */
	{ "state", V, 1, 1, NONE, 0, set_state, NULL, "MASTER or BACKUP" },
	{ "interface", V, 1, 1, NONE, 0, set_interface, NULL,
	  "an interface name" },
	{ "virtual_router_id", V, 1, 1, NONE, 0, set_vrid, NULL,
	  "an integer from 1 to 255" },
	{ "priority", V, 1, 1, NONE, 0, set_priority, NULL,
	  "an integer from 1 to " CFG_STR(CFG_VRRP_PRIORITY_MAX) },
	{ "advert_int", V, 1, 1, NONE, 0, set_advert_int, NULL,
	  "a time in seconds" },
	{ "version", V, 1, 1, NONE, 0, set_version, NULL, "2 or 3" },
	{ "authentication", V, 0, 0, BLOCK, KAD_AUTH, set_authentication,
	  NULL, "no arguments" },
	{ "auth_type", KAD_AUTH, 1, 1, NONE, 0, set_auth_type, NULL,
	  "PASS or AH" },
	{ "auth_pass", KAD_AUTH, 1, 1, NONE, 0, set_auth_pass, NULL,
	  "a password of 1 to 8 characters" },
	{ "virtual_ipaddress", V, 0, 0, LIST, 0, set_vip_list, line_vip,
	  "ADDR[/PREFIX] [brd X] [dev IF] [scope S] [label L] per line" },
	{ "virtual_ipaddress_excluded", V, 0, 0, LIST, 0, set_vip_list,
	  line_vip_excluded,
	  "ADDR[/PREFIX] [brd X] [dev IF] [scope S] [label L] per line" },
	{ "nopreempt", V, 0, 0, NONE, 0, set_nopreempt, NULL, "no arguments" },
	{ "preempt_delay", V, 1, 1, NONE, 0, set_preempt_delay, NULL,
	  "a time in seconds" },
	{ "track_interface", V, 0, 0, LIST, 0, set_vip_list, line_track_if,
	  "IF [weight N] per line" },
	{ "track_script", V, 0, 0, LIST, 0, set_vip_list, line_track_script,
	  "NAME [weight N] per line" },
	{ "notify_master", V, 1, KAD_MANY, NONE, 0, set_notify_master, NULL,
	  "a command line" },
	{ "notify_backup", V, 1, KAD_MANY, NONE, 0, set_notify_backup, NULL,
	  "a command line" },
	{ "notify_fault", V, 1, KAD_MANY, NONE, 0, set_notify_fault, NULL,
	  "a command line" },
	{ "notify_stop", V, 1, KAD_MANY, NONE, 0, set_notify_stop, NULL,
	  "a command line" },
	{ "notify", V, 1, KAD_MANY, NONE, 0, set_notify, NULL,
	  "a command line" },
	{ "unicast_src_ip", V, 1, 1, NONE, 0, set_unicast_src, NULL,
	  "an IPv4 or IPv6 address" },
	{ "unicast_peer", V, 0, 0, LIST, 0, set_vip_list, line_unicast_peer,
	  "one address per line" },
	{ "mcast_src_ip", V, 1, 1, NONE, 0, set_mcast_src, NULL,
	  "an IPv4 or IPv6 address" },
	{ "garp_master_delay", V, 1, 1, NONE, 0, set_garp_delay, NULL,
	  "a time in seconds" },
	{ "garp_master_repeat", V, 1, 1, NONE, 0, set_garp_repeat, NULL,
	  "a count from 1 to 255" },
	{ "garp_master_refresh", V, 1, 1, NONE, 0, set_garp_refresh, NULL,
	  "a time in seconds" },
	{ "garp_master_refresh_repeat", V, 1, 1, NONE, 0,
	  set_garp_refresh_repeat, NULL, "a count from 1 to 255" },
	{ "dont_track_primary", V, 0, 0, NONE, 0, set_dont_track_primary,
	  NULL, "no arguments" },
	{ "strict_mode", V, 0, 1, NONE, 0, set_strict_mode, NULL,
	  "on or off (on when absent)" },
	{ "v3_checksum_as_v2", V, 0, 1, NONE, 0, set_v3_as_v2, NULL,
	  "on or off (on when absent)" },
	KAD_REFUSE("use_vmac", V, CONFIG_CHANGES_SEND),
	KAD_REFUSE("vmac_xmit_base", V, CONFIG_CHANGES_SEND),
	KAD_REFUSE("native_ipv6", V, CONFIG_CHANGES_SEND),
	KAD_NOTIMPL("accept", V),
	KAD_REFUSE("no_accept", V, CONFIG_CHANGES_ADMIT),
	KAD_NOTIMPL("debug", V),
	KAD_REFUSE("virtual_routes", V, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("virtual_rules", V, CONFIG_CHANGES_ROUTE),
	KAD_REFUSE("lvs_sync_daemon_interface", V, CONFIG_CHANGES_ROUTE),
	KAD_NOTIMPL("garp_lower_prio_delay", V),
	KAD_NOTIMPL("garp_lower_prio_repeat", V),
	KAD_REFUSE("lower_prio_no_advert", V, CONFIG_CHANGES_SEND),
	KAD_REFUSE("higher_prio_send_advert", V, CONFIG_CHANGES_SEND),
	KAD_NOTIMPL("kernel_rx_buf_size", V),
	{ NULL, 0, 0, 0, NONE, 0, NULL, NULL, NULL, NULL },
};
