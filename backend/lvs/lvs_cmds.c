/* lvs_cmds: the LVS engine's commands. The show lvs family prints exactly
 * what ipvsadm -Ln (and --stats, --rate, --timeout, --daemon, -Lnc) would,
 * so operators' eyes and scripts carry over; each also answers in JSON.
 * show virtual-server adds what ipvsadm cannot know: the configured and
 * operator weights, health, and the progress of drains.
 */
#include "config.h"

#include "lvs/lvs_int.h"
#include "ctl/cmd_out.h"

#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "config/edit.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/runtime.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "lvs/ipvs.h"
#include "lvs/lvs_fmt.h"
#include "util/xalloc.h"

/* The running engine, or NULL after writing the 503 answer (in JSON too,
 * so programs get a parseable reason). */
static struct lvs_engine *engine_or_503(struct cmd_ctx *ctx, int *status)
{
	struct lvs_engine *e = lvs_engine_of(ctx->d);
	const char *why = e ? e->st.reason : "the LVS engine is not running";

	if (e && e->h)
		return e;
	*status = CTL_ERR_UNAVAILABLE;
	if (ctx->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "error", json_object_new_string(why));
		cmd_put_json(ctx, o);
	} else {
		strbuf_printf(ctx->out, "%% %s\n", why);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* ipvsadm's formats                                                   */

/* The listings write a line per service and per real server, 50,000 at
 * 10,000 services x 4, and printf's machinery (glibc's inet_ntop for
 * IPv4 is a sprintf too) was the biggest part of show lvs outside the
 * kernel. The helpers below write the same text directly (decimals with
 * strbuf_dec). */

/* Appends s left-justified in width columns, as printf's %-Ns. */
static void put_left(struct strbuf *out, const char *s, size_t width)
{
	static const char spaces[] = "                                ";
	size_t n = strlen(s);

	strbuf_append(out, s, n);
	while (n < width) {
		size_t k = width - n < sizeof(spaces) - 1 ? width - n : sizeof(spaces) - 1;

		strbuf_append(out, spaces, k);
		n += k;
	}
}

/* Appends v left-justified in width columns, as %-Nd / %-Nu. */
static void put_num_left(struct strbuf *out, long long v, size_t width)
{
	char t[STRBUF_DEC_LEN];

	put_left(out, v < 0 ? strbuf_dec(t, 0ULL - (unsigned long long)v, true)
			    : strbuf_dec(t, (unsigned long long)v, false), width);
}

/* ipvsadm's scheduler flags: named for sh and mh, numbered otherwise. */
static void sched_flags(const struct ipvs_service *s, struct strbuf *out)
{
	const char *names[3] = { "flag-1", "flag-2", "flag-3" };
	const uint32_t bits[3] = { IPVS_SVC_F_SCHED1, IPVS_SVC_F_SCHED2, IPVS_SVC_F_SCHED3 };
	const char *sep = "";

	if (!strcmp(s->sched_name, "sh")) {
		names[0] = "sh-fallback";
		names[1] = "sh-port";
	} else if (!strcmp(s->sched_name, "mh")) {
		names[0] = "mh-fallback";
		names[1] = "mh-port";
	}
	for (int i = 0; i < 3; i++) {
		if (s->flags & bits[i]) {
			strbuf_printf(out, "%s%s", sep, names[i]);
			sep = ",";
		}
	}
}

/* ipvsadm's print_largenum (without --exact). */
static void largenum(struct strbuf *out, uint64_t i)
{
	if (i < 100000000ULL)
		strbuf_printf(out, "%9llu", (unsigned long long)i);
	else if (i < 1000000000ULL)
		strbuf_printf(out, "%8lluK", (unsigned long long)(i / 1000));
	else if (i < 100000000000ULL)
		strbuf_printf(out, "%8lluM", (unsigned long long)(i / 1000000));
	else if (i < 100000000000000ULL)
		strbuf_printf(out, "%8lluG", (unsigned long long)(i / 1000000000ULL));
	else
		strbuf_printf(out, "%8lluT", (unsigned long long)(i / 1000000000000ULL));
}

enum lvs_fmt {
	FMT_DEFAULT = 0,
	FMT_STATS,
	FMT_RATE,
};

static void put_service_line(struct strbuf *out, const struct ipvs_service *s, enum lvs_fmt f)
{
	char name[96];

	lvs_svc_name(&s->key, LVS_NAME_IPVSADM, name, sizeof(name));
	if (f == FMT_STATS) {
		strbuf_printf(out, "%-33s", name);
		largenum(out, s->stats.conns);
		largenum(out, s->stats.inpkts);
		largenum(out, s->stats.outpkts);
		largenum(out, s->stats.inbytes);
		largenum(out, s->stats.outbytes);
	} else if (f == FMT_RATE) {
		strbuf_printf(out, "%-33s %8llu %8llu %8llu", name,
			      (unsigned long long)s->stats.cps, (unsigned long long)s->stats.inpps,
			      (unsigned long long)s->stats.outpps);
		largenum(out, s->stats.inbps);
		largenum(out, s->stats.outbps);
	} else {
		strbuf_puts(out, name);
		strbuf_putc(out, ' ');
		strbuf_puts(out, s->sched_name);
		if (s->flags & (IPVS_SVC_F_SCHED1 | IPVS_SVC_F_SCHED2 | IPVS_SVC_F_SCHED3)) {
			strbuf_puts(out, " (");
			sched_flags(s, out);
			strbuf_putc(out, ')');
		}
		if (s->flags & IPVS_SVC_F_PERSISTENT) {
			strbuf_printf(out, " persistent %u", s->timeout);
			if (s->key.af == AF_INET && s->prefix != 32) {
				uint32_t m = s->prefix ? htonl(0xffffffffu << (32 - s->prefix)) : 0;
				char t[INET_ADDRSTRLEN];

				inet_ntop(AF_INET, &m, t, sizeof(t));
				strbuf_printf(out, " mask %s", t);
			}
			if (s->key.af == AF_INET6 && s->prefix != 128)
				strbuf_printf(out, " mask %u", s->prefix);
			if (s->pe_name[0])
				strbuf_printf(out, " pe %s", s->pe_name);
		}
		if (s->flags & IPVS_SVC_F_ONEPACKET)
			strbuf_puts(out, " ops");
	}
	strbuf_putc(out, '\n');
}

static void put_dest_line(struct strbuf *out, const struct ipvs_dest *d, enum lvs_fmt f)
{
	char name[80];

	lvs_addrport(d->af, &d->addr, d->port, name, sizeof(name));
	if (d->af != AF_INET6)
		name[28] = '\0';
	if (f == FMT_STATS) {
		strbuf_printf(out, "  -> %-28s", name);
		largenum(out, d->stats.conns);
		largenum(out, d->stats.inpkts);
		largenum(out, d->stats.outpkts);
		largenum(out, d->stats.inbytes);
		largenum(out, d->stats.outbytes);
		strbuf_putc(out, '\n');
	} else if (f == FMT_RATE) {
		strbuf_printf(out, "  -> %-28s %8llu %8llu %8llu", name,
			      (unsigned long long)d->stats.cps, (unsigned long long)d->stats.inpps,
			      (unsigned long long)d->stats.outpps);
		largenum(out, d->stats.inbps);
		largenum(out, d->stats.outbps);
		strbuf_putc(out, '\n');
	} else {
		/* "  -> %-28s %-7s %-6d %-10u %-10u\n" */
		strbuf_puts(out, "  -> ");
		put_left(out, name, 28);
		strbuf_putc(out, ' ');
		put_left(out, ipvs_fwd_name(d->fwd), 7);
		strbuf_putc(out, ' ');
		put_num_left(out, d->weight, 6);
		strbuf_putc(out, ' ');
		put_num_left(out, d->active_conns, 10);
		strbuf_putc(out, ' ');
		put_num_left(out, d->inact_conns, 10);
		strbuf_putc(out, '\n');
	}
}

static struct json_object *stats_json(const struct ipvs_stats *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "conns", json_object_new_int64((int64_t)s->conns));
	json_object_object_add(o, "inpkts", json_object_new_int64((int64_t)s->inpkts));
	json_object_object_add(o, "outpkts", json_object_new_int64((int64_t)s->outpkts));
	json_object_object_add(o, "inbytes", json_object_new_int64((int64_t)s->inbytes));
	json_object_object_add(o, "outbytes", json_object_new_int64((int64_t)s->outbytes));
	json_object_object_add(o, "cps", json_object_new_int64((int64_t)s->cps));
	json_object_object_add(o, "inpps", json_object_new_int64((int64_t)s->inpps));
	json_object_object_add(o, "outpps", json_object_new_int64((int64_t)s->outpps));
	json_object_object_add(o, "inbps", json_object_new_int64((int64_t)s->inbps));
	json_object_object_add(o, "outbps", json_object_new_int64((int64_t)s->outbps));
	return o;
}

static struct json_object *dest_json(const struct ipvs_dest *d)
{
	struct json_object *o = json_object_new_object();
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(d->af, d->addr.raw, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	json_object_object_add(o, "address", json_object_new_string(a));
	json_object_object_add(o, "port", json_object_new_int(d->port));
	json_object_object_add(o, "forward", json_object_new_string(ipvs_fwd_name(d->fwd)));
	json_object_object_add(o, "weight", json_object_new_int(d->weight));
	json_object_object_add(o, "upper_threshold", json_object_new_int64(d->u_threshold));
	json_object_object_add(o, "lower_threshold", json_object_new_int64(d->l_threshold));
	json_object_object_add(o, "active_conns", json_object_new_int64(d->active_conns));
	json_object_object_add(o, "inactive_conns", json_object_new_int64(d->inact_conns));
	json_object_object_add(o, "persistent_conns", json_object_new_int64(d->persist_conns));
	json_object_object_add(o, "stats", stats_json(&d->stats));
	return o;
}

static struct json_object *service_json(const struct lvs_engine *e, const struct ipvs_service *s)
{
	struct json_object *o = json_object_new_object();
	struct strbuf f = STRBUF_INIT;
	char a[INET6_ADDRSTRLEN];

	json_object_object_add(o, "family", json_object_new_string(s->key.af == AF_INET6 ? "inet6"
										      : "inet"));
	if (s->key.fwmark) {
		json_object_object_add(o, "fwmark", json_object_new_int64(s->key.fwmark));
	} else {
		if (!inet_ntop(s->key.af, s->key.addr.raw, a, sizeof(a)))
			snprintf(a, sizeof(a), "?");
		json_object_object_add(o, "protocol", json_object_new_string(lvs_proto_name(s->key.protocol)));
		json_object_object_add(o, "address", json_object_new_string(a));
		json_object_object_add(o, "port", json_object_new_int(s->key.port));
	}
	json_object_object_add(o, "scheduler", json_object_new_string(s->sched_name));
	sched_flags(s, &f);
	json_object_object_add(o, "scheduler_flags", json_object_new_string(strbuf_str(&f)));
	strbuf_free(&f);
	json_object_object_add(o, "persistent",
			       json_object_new_boolean(!!(s->flags & IPVS_SVC_F_PERSISTENT)));
	json_object_object_add(o, "persistence_timeout", json_object_new_int64(s->timeout));
	json_object_object_add(o, "persistence_prefix", json_object_new_int(s->prefix));
	json_object_object_add(o, "one_packet",
			       json_object_new_boolean(!!(s->flags & IPVS_SVC_F_ONEPACKET)));
	json_object_object_add(o, "pe", json_object_new_string(s->pe_name));
	json_object_object_add(o, "managed", json_object_new_boolean(
				       lvs_desired_find(&e->want, &s->key) != NULL));
	json_object_object_add(o, "stats", stats_json(&s->stats));
	return o;
}

/* show lvs, show lvs stats, show lvs rate: the kernel's table, sorted as
 * ipvsadm sorts it. */
static int show_table(struct cmd_ctx *ctx, enum lvs_fmt f)
{
	struct strbuf err = STRBUF_INIT;
	struct json_object *root = NULL, *arr = NULL;
	struct ipvs_info info;
	struct lvs_dump dump;
	int status = CTL_OK;
	struct lvs_engine *e = engine_or_503(ctx, &status);

	if (!e)
		return status;
	if (ipvs_get_info(e->h, &info, &err) < 0 || lvs_dump_take(e->h, &dump, &err) < 0) {
		strbuf_printf(ctx->out, "%% %s", strbuf_str(&err));
		strbuf_free(&err);
		return CTL_ERR_INTERNAL;
	}
	if (ctx->json) {
		char v[32];

		snprintf(v, sizeof(v), "%u.%u.%u", (info.version >> 16) & 0xff,
			 (info.version >> 8) & 0xff, info.version & 0xff);
		root = json_object_new_object();
		arr = json_object_new_array();
		json_object_object_add(root, "version", json_object_new_string(v));
		json_object_object_add(root, "conn_tab_size", json_object_new_int64(info.conn_tab_size));
		json_object_object_add(root, "services", arr);
	} else {
		strbuf_printf(ctx->out, "IP Virtual Server version %u.%u.%u (size=%u)\n",
			      (info.version >> 16) & 0xff, (info.version >> 8) & 0xff,
			      info.version & 0xff, info.conn_tab_size);
		if (f == FMT_DEFAULT)
			strbuf_puts(ctx->out, "Prot LocalAddress:Port Scheduler Flags\n"
				    "  -> RemoteAddress:Port           Forward Weight ActiveConn "
				    "InActConn\n");
		else
			strbuf_printf(ctx->out, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
				      "Prot LocalAddress:Port",
				      f == FMT_STATS ? "Conns" : "CPS", f == FMT_STATS ? "InPkts" : "InPPS",
				      f == FMT_STATS ? "OutPkts" : "OutPPS",
				      f == FMT_STATS ? "InBytes" : "InBPS",
				      f == FMT_STATS ? "OutBytes" : "OutBPS");
	}
	for (size_t i = 0; i < dump.n; i++) {
		const struct ipvs_dest *dests = dump.dests[i];
		size_t nd = dump.nd[i];
		struct json_object *so = NULL, *da = NULL;

		if (arr) {
			so = service_json(e, &dump.svcs[i]);
			da = json_object_new_array();
			json_object_object_add(so, "real_servers", da);
			json_object_array_add(arr, so);
		} else {
			put_service_line(ctx->out, &dump.svcs[i], f);
		}
		for (size_t j = 0; j < nd; j++) {
			if (da)
				json_object_array_add(da, dest_json(&dests[j]));
			else
				put_dest_line(ctx->out, &dests[j], f);
		}
	}
	if (root)
		cmd_put_json(ctx, root);
	lvs_dump_free(&dump);
	strbuf_free(&err);
	return CTL_OK;
}

static int cmd_show_lvs(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	if (cmd_arg_has(args, "stats"))
		return show_table(ctx, FMT_STATS);
	if (cmd_arg_has(args, "rate"))
		return show_table(ctx, FMT_RATE);
	return show_table(ctx, FMT_DEFAULT);
}

static int cmd_show_timeout(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct strbuf err = STRBUF_INIT;
	struct ipvs_timeouts t;
	int status = CTL_OK;
	struct lvs_engine *e = engine_or_503(ctx, &status);

	(void)args;
	if (!e)
		return status;
	if (ipvs_get_timeouts(e->h, &t, &err) < 0) {
		strbuf_printf(ctx->out, "%% %s", strbuf_str(&err));
		strbuf_free(&err);
		return CTL_ERR_INTERNAL;
	}
	if (ctx->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "tcp", json_object_new_int64(t.tcp));
		json_object_object_add(o, "tcpfin", json_object_new_int64(t.tcp_fin));
		json_object_object_add(o, "udp", json_object_new_int64(t.udp));
		cmd_put_json(ctx, o);
	} else {
		strbuf_printf(ctx->out, "Timeout (tcp tcpfin udp): %u %u %u\n", t.tcp, t.tcp_fin, t.udp);
	}
	return CTL_OK;
}

static int cmd_show_daemon(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct strbuf err = STRBUF_INIT;
	struct ipvs_daemon dm[2];
	struct json_object *arr = NULL;
	size_t n = 0;
	int status = CTL_OK;
	struct lvs_engine *e = engine_or_503(ctx, &status);

	(void)args;
	if (!e)
		return status;
	if (ipvs_list_daemons(e->h, dm, &n, &err) < 0) {
		strbuf_printf(ctx->out, "%% %s", strbuf_str(&err));
		strbuf_free(&err);
		return CTL_ERR_INTERNAL;
	}
	if (ctx->json)
		arr = json_object_new_array();
	/* ipvsadm lists the master first. */
	for (uint32_t role = IPVS_DAEMON_MASTER; role <= IPVS_DAEMON_BACKUP; role++) {
		for (size_t i = 0; i < n; i++) {
			const struct ipvs_daemon *d = &dm[i];
			char g[INET6_ADDRSTRLEN] = "";

			if (!(d->state & role))
				continue;
			if (d->mcast_af && !inet_ntop(d->mcast_af, d->mcast_group.raw, g, sizeof(g)))
				g[0] = '\0';
			if (arr) {
				struct json_object *o = json_object_new_object();

				json_object_object_add(o, "state", json_object_new_string(
					role == IPVS_DAEMON_MASTER ? "master" : "backup"));
				json_object_object_add(o, "interface",
						       json_object_new_string(d->mcast_ifn));
				json_object_object_add(o, "syncid", json_object_new_int64(d->syncid));
				json_object_object_add(o, "maxlen", json_object_new_int(d->sync_maxlen));
				json_object_object_add(o, "group", json_object_new_string(g));
				json_object_object_add(o, "port", json_object_new_int(d->mcast_port));
				json_object_object_add(o, "ttl", json_object_new_int(d->mcast_ttl));
				json_object_array_add(arr, o);
				continue;
			}
			strbuf_printf(ctx->out, "%s sync daemon (mcast=%s, syncid=%u",
				      role == IPVS_DAEMON_MASTER ? "master" : "backup", d->mcast_ifn,
				      d->syncid);
			if (d->sync_maxlen)
				strbuf_printf(ctx->out, ", maxlen=%u", d->sync_maxlen);
			if (g[0])
				strbuf_printf(ctx->out, ", group=%s", g);
			if (d->mcast_port)
				strbuf_printf(ctx->out, ", port=%u", d->mcast_port);
			if (d->mcast_ttl)
				strbuf_printf(ctx->out, ", ttl=%u", d->mcast_ttl);
			strbuf_puts(ctx->out, ")\n");
		}
	}
	if (arr)
		cmd_put_json(ctx, arr);
	return CTL_OK;
}

/* show lvs connections: the kernel's connection table, as ipvsadm -Lnc
 * prints it. */
struct conns_out {
	struct strbuf text;		/* the entries, when not JSON */
	struct json_object *arr;	/* the entries in JSON, or NULL */
};

static int put_conn(const struct ipvs_conn *c, void *arg)
{
	struct conns_out *co = arg;

	if (co->arr) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "protocol", json_object_new_string(c->protocol));
		json_object_object_add(o, "expires_s", json_object_new_int64(c->expires_s));
		json_object_object_add(o, "state", json_object_new_string(c->state));
		json_object_object_add(o, "source", json_object_new_string(c->source));
		json_object_object_add(o, "virtual", json_object_new_string(c->virtual));
		json_object_object_add(o, "destination", json_object_new_string(c->destination));
		json_object_array_add(co->arr, o);
	} else {
		strbuf_printf(&co->text, "%-3s %02u:%02u  %-11s %-18s %-18s %-18s\n", c->protocol,
			      c->expires_s / 60, c->expires_s % 60, c->state, c->source,
			      c->virtual, c->destination);
	}
	return 0;
}

static int cmd_show_conns(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct conns_out co = { STRBUF_INIT, NULL };
	struct strbuf err = STRBUF_INIT;
	int status = CTL_OK;
	struct lvs_engine *e = engine_or_503(ctx, &status);

	(void)args;
	if (!e)
		return status;
	if (ctx->json)
		co.arr = json_object_new_array();
	if (ipvs_conn_read(NULL, put_conn, &co, &err) < 0) {
		strbuf_printf(ctx->out, "%% %s\n", strbuf_str(&err));
		status = CTL_ERR_INTERNAL;
	} else if (co.arr) {
		cmd_put_json(ctx, co.arr);
		co.arr = NULL;
	} else {
		strbuf_puts(ctx->out, "IPVS connection entries\n"
			    "pro expire state       source             virtual            destination\n");
		strbuf_append(ctx->out, strbuf_str(&co.text), co.text.len);
	}
	json_object_put(co.arr);
	strbuf_free(&co.text);
	strbuf_free(&err);
	return status;
}

/* ------------------------------------------------------------------ */
/* show virtual-server                                                 */

/* One service of a virtual server: its real servers as configured, as
 * overridden, and as the kernel has them, then the drains in progress. */
static void put_vs_service(struct cmd_ctx *ctx, struct lvs_engine *e,
			   const struct lvs_svc_want *s, struct json_object *arr)
{
	struct strbuf err = STRBUF_INIT;
	struct ipvs_dest *kd = NULL;
	size_t nk = 0;
	char name[96];
	bool in_kernel = ipvs_list_dests(e->h, &s->svc.key, &kd, &nk, &err) == 0;
	uint64_t now = loop_now_ms(e->d->loop);
	struct json_object *so = NULL, *ra = NULL, *dra = NULL;

	lvs_svc_name(&s->svc.key, LVS_NAME_IPVSADM, name, sizeof(name));
	if (arr) {
		so = json_object_new_object();
		ra = json_object_new_array();
		dra = json_object_new_array();
		json_object_object_add(so, "virtual_server", json_object_new_string(s->vs_name));
		json_object_object_add(so, "service", json_object_new_string(name));
		json_object_object_add(so, "scheduler", json_object_new_string(s->svc.sched_name));
		json_object_object_add(so, "in_kernel", json_object_new_boolean(in_kernel));
		json_object_object_add(so, "real_servers", ra);
		json_object_object_add(so, "draining", dra);
		json_object_array_add(arr, so);
	} else {
		strbuf_printf(ctx->out, "virtual-server %s: service %s %s%s\n", s->vs_name, name,
			      s->svc.sched_name, in_kernel ? "" : " (NOT in the kernel)");
		strbuf_printf(ctx->out, "  %-30s %-8s %-9s %-13s %-7s %-8s %s\n", "REAL SERVER",
			      "METHOD", "CONFIG", "STATE", "KERNEL", "ACTIVE", "INACTIVE");
	}
	for (size_t i = 0; i < s->n_dests; i++) {
		const struct lvs_dest_want *dw = &s->dests[i];
		const struct ipvs_dest *k = NULL;
		char ap[80], kw[16] = "-";

		for (size_t j = 0; j < nk && !k; j++)
			if (kd[j].af == dw->dest.af && kd[j].port == dw->dest.port &&
			    memcmp(kd[j].addr.raw, dw->dest.addr.raw, 16) == 0)
				k = &kd[j];
		lvs_addrport(dw->dest.af, &dw->dest.addr, dw->dest.port, ap, sizeof(ap));
		if (k)
			snprintf(kw, sizeof(kw), "%d", k->weight);
		if (ra) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "address", json_object_new_string(ap));
			json_object_object_add(o, "forward",
					       json_object_new_string(ipvs_fwd_name(dw->dest.fwd)));
			json_object_object_add(o, "config_weight", json_object_new_int(dw->cfg_weight));
			json_object_object_add(o, "wanted_weight", json_object_new_int(dw->dest.weight));
			json_object_object_add(o, "state",
					       json_object_new_string(lvs_rs_state_name(dw->state)));
			/* DOWN is what the desired state made of a failed
			 * check (it comes first: lvs_desired.c's add_dests). */
			json_object_object_add(o, "health_up",
					       json_object_new_boolean(dw->state != LVS_RS_DOWN));
			json_object_object_add(o, "in_kernel", json_object_new_boolean(k != NULL));
			json_object_object_add(o, "kernel_weight",
					       k ? json_object_new_int(k->weight) : NULL);
			json_object_object_add(o, "active_conns",
					       json_object_new_int64(k ? k->active_conns : 0));
			json_object_object_add(o, "inactive_conns",
					       json_object_new_int64(k ? k->inact_conns : 0));
			json_object_array_add(ra, o);
			continue;
		}
		strbuf_printf(ctx->out, "  %-30s %-8s %-9d %-13s %-7s %-8u %u\n", ap,
			      ipvs_fwd_name(dw->dest.fwd), dw->cfg_weight, lvs_rs_state_name(dw->state),
			      kw, k ? k->active_conns : 0, k ? k->inact_conns : 0);
	}
	for (size_t i = 0; i < e->n_drains; i++) {
		const struct lvs_drain *dr = &e->drains[i];
		char ap[80];
		unsigned long long el = (now - dr->started_ms) / 1000;
		unsigned long long to = (dr->deadline_ms - dr->started_ms) / 1000;

		if (!lvs_key_equal(&dr->key, &s->svc.key))
			continue;
		lvs_addrport(dr->dest.af, &dr->dest.addr, dr->dest.port, ap, sizeof(ap));
		if (dra) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "address", json_object_new_string(ap));
			json_object_object_add(o, "elapsed_s", json_object_new_int64((int64_t)el));
			json_object_object_add(o, "timeout_s", json_object_new_int64((int64_t)to));
			json_object_object_add(o, "start_active", json_object_new_int64(dr->start_active));
			json_object_object_add(o, "active", json_object_new_int64(dr->active));
			json_object_array_add(dra, o);
			continue;
		}
		strbuf_printf(ctx->out, "  draining %s (no longer configured): %llu s of %llu s, "
			      "%u of %u active connections left\n", ap, el, to, dr->active,
			      dr->start_active);
	}
	free(kd);
	strbuf_free(&err);
}

static int cmd_show_vs(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct json_object *arr = NULL;
	struct strbuf want = STRBUF_INIT;
	int status = CTL_OK;
	struct lvs_engine *e = engine_or_503(ctx, &status);
	size_t shown = 0;

	if (!e)
		return status;
	if (cmd_arg_has(args, "fwmark") || cmd_arg(args, "vs")) {
		struct config_vs_key k;
		const struct cfg_virtual_server *vs;

		if (cmd_arg_has(args, "fwmark")) {
			config_vs_key_fwmark(&k, (uint32_t)cmd_arg_num(args, "mark", 0));
		} else if (config_vs_key_addr(&k, cmd_arg(args, "vs"),
					      cmd_arg_has(args, "udp") ? "udp"
					      : cmd_arg_has(args, "sctp") ? "sctp" : "tcp",
					      &want) < 0) {
			strbuf_printf(ctx->out, "%% %s\n", strbuf_str(&want));
			strbuf_free(&want);
			return CTL_ERR_FAILED;
		}
		vs = ctx->d->config ? config_edit_find_vs(ctx->d->config, &k) : NULL;
		strbuf_reset(&want);
		if (!vs) {
			config_vs_key_format(&k, &want);
			strbuf_printf(ctx->out, "%% no such virtual server: %s\n", strbuf_str(&want));
			strbuf_free(&want);
			return CTL_ERR_NOTFOUND;
		}
		cfg_vs_identity(vs, &want);
	}
	if (ctx->json)
		arr = json_object_new_array();
	for (size_t i = 0; i < e->want.n_svcs; i++) {
		const struct lvs_svc_want *s = &e->want.svcs[i];

		if (want.len && strcmp(s->vs_name, strbuf_str(&want)) != 0)
			continue;
		if (shown++ && !arr)
			strbuf_putc(ctx->out, '\n');
		put_vs_service(ctx, e, s, arr);
	}
	if (arr)
		cmd_put_json(ctx, arr);
	else if (!shown)
		strbuf_puts(ctx->out, "no virtual servers configured\n");
	strbuf_free(&want);
	return CTL_OK;
}

static int cmd_clear_counters(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct strbuf err = STRBUF_INIT;
	int status = CTL_OK;
	struct lvs_engine *e = engine_or_503(ctx, &status);

	(void)args;
	if (!e)
		return status;
	if (ipvs_zero(e->h, NULL, &err) < 0) {
		strbuf_printf(ctx->out, "%% %s", strbuf_str(&err));
		strbuf_free(&err);
		return CTL_ERR_FAILED;
	}
	strbuf_puts(ctx->out, "IPVS counters cleared\n");
	log_notice("IPVS counters cleared");
	return CTL_OK;
}

#define SHOW_HELP "Show running system information\n"
#define LVS_HELP "LVS: the kernel's IPVS table, as ipvsadm -Ln shows it\n"
#define JSON_HELP "Answer in JSON\n"
#define VS_HELP "Virtual servers with their real servers, runtime state and drains\n"

static const struct cmd_def lvs_cmds[] = {
	{ "show lvs [<stats|rate>] [json]",
	  SHOW_HELP LVS_HELP "Packet and byte counters (ipvsadm -Ln --stats)\n"
	  "Rates (ipvsadm -Ln --rate)\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_lvs, NULL, 0 },
	{ "show lvs timeout [json]", SHOW_HELP LVS_HELP "Connection timeouts: tcp tcpfin udp\n"
	  JSON_HELP, CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_timeout, NULL, 0 },
	{ "show lvs daemon [json]", SHOW_HELP LVS_HELP "Connection sync daemons\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_daemon, NULL, 0 },
	{ "show lvs connections [json]", SHOW_HELP LVS_HELP
	  "Connection table (ipvsadm -Lnc)\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_conns, NULL, 0 },
	{ "show virtual-server [json]", SHOW_HELP VS_HELP JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_vs, NULL, 0 },
	{ "show virtual-server ADDR:PORT$vs <tcp|udp|sctp> [json]",
	  SHOW_HELP VS_HELP "Virtual server address and port\nTCP\nUDP\nSCTP\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_vs, NULL, 0 },
	{ "show virtual-server fwmark (1-4294967295)$mark [json]",
	  SHOW_HELP VS_HELP "Virtual server by firewall mark\nFirewall mark\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_vs, NULL, 0 },
	{ "clear lvs counters", "Reset counters\nLVS\nEvery IPVS service's and real server's "
	  "counters (ipvsadm -Z)\n", CMD_IN_VIEW | CMD_IN_CONFIG_ANY, CTL_ROLE_ADMIN,
	  cmd_clear_counters, NULL, 0 },
};

int lvs_cmds_register(struct grammar *g, struct strbuf *err)
{
	return grammar_add_table(g, lvs_cmds, sizeof(lvs_cmds) / sizeof(lvs_cmds[0]), err);
}
