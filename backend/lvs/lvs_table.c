/* show table lvs [since GEN]: the kernel's IPVS table with what softlbd
 * wants of it, as a terse table (ctl/table_out.h) for softlbtop: one row
 * per service (server empty) and per real server, in ipvsadm's order,
 * the values of `show lvs json` and, for a service softlbd manages, of
 * `show virtual-server json` (configured weight, state). One dump of the
 * kernel per request, as ipvsadm -Ln does; the text is formatted again
 * only when a value changed.
 */
#include "config.h"

#include "lvs/lvs_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/daemon.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "ctl/table_out.h"
#include "lvs/ipvs.h"
#include "util/xalloc.h"

static const char *const cols[] = {
	"service", "family", "protocol", "address", "port", "fwmark", "scheduler", "managed",
	"server", "forward", "weight", "config_weight", "state", "active_conns",
	"inactive_conns", "conns", "inpkts", "outpkts", "inbytes", "outbytes",
};

static const char *proto_name(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP: return "TCP";
	case IPPROTO_UDP: return "UDP";
	case IPPROTO_SCTP: return "SCTP";
	default: return "?";
	}
}

static void addr_text(uint16_t af, const union ipvs_addr *a, char *buf, size_t size)
{
	if (!inet_ntop(af, a->raw, buf, (socklen_t)size))
		snprintf(buf, size, "?");
}

/* "192.0.2.1:80", "[2001:db8::1]:80" */
static void addrport(uint16_t af, const union ipvs_addr *a, uint16_t port, char *buf, size_t size)
{
	char t[INET6_ADDRSTRLEN];

	addr_text(af, a, t, sizeof(t));
	snprintf(buf, size, af == AF_INET6 ? "[%s]:%u" : "%s:%u", t, port);
}

/* The service's name as softlbtop keys it: "TCP 192.0.2.10:80", "FWM 7". */
static void svc_name(const struct ipvs_service_key *k, char *buf, size_t size)
{
	char ap[80];

	if (k->fwmark) {
		snprintf(buf, size, k->af == AF_INET6 ? "FWM %u IPv6" : "FWM %u", k->fwmark);
		return;
	}
	addrport(k->af, &k->addr, k->port, ap, sizeof(ap));
	snprintf(buf, size, "%s %s", proto_name(k->protocol), ap);
}

/* libipvs's order, as show lvs (lvs_cmds.c) sorts: ipvsadm's own. */
static int addr_cmp(uint16_t af, const union ipvs_addr *a, const union ipvs_addr *b)
{
	int r = 0;

	for (int i = 0; i < (af == AF_INET6 ? 4 : 1) && !r; i++) {
		uint32_t x, y;

		memcpy(&x, a->raw + 4 * i, 4);
		memcpy(&y, b->raw + 4 * i, 4);
		r = (int)(ntohl(x) - ntohl(y));
	}
	return r;
}

static int svc_cmp(const void *pa, const void *pb)
{
	const struct ipvs_service_key *a = &((const struct ipvs_service *)pa)->key;
	const struct ipvs_service_key *b = &((const struct ipvs_service *)pb)->key;
	int r = (int)(a->fwmark - b->fwmark);

	if (!r)
		r = a->af - b->af;
	if (!r)
		r = a->protocol - b->protocol;
	if (!r)
		r = addr_cmp(a->af, &a->addr, &b->addr);
	return r ? r : a->port - b->port;
}

static int dest_cmp(const void *pa, const void *pb)
{
	const struct ipvs_dest *a = pa, *b = pb;
	int r = addr_cmp(a->af, &a->addr, &b->addr);

	return r ? r : a->port - b->port;
}

static const char *rs_state_name(enum lvs_rs_state s)
{
	switch (s) {
	case LVS_RS_DRAINING: return "draining";
	case LVS_RS_DISABLED: return "disabled";
	case LVS_RS_DOWN: return "down";
	case LVS_RS_SORRY: return "sorry-server";
	case LVS_RS_NO_QUORUM: return "no-quorum";
	default: return "up";
	}
}

static const struct lvs_dest_want *want_dest(const struct lvs_svc_want *w, const struct ipvs_dest *d)
{
	for (size_t i = 0; w && i < w->n_dests; i++)
		if (w->dests[i].dest.af == d->af && w->dests[i].dest.port == d->port &&
		    memcmp(w->dests[i].dest.addr.raw, d->addr.raw, 16) == 0)
			return &w->dests[i];
	return NULL;
}

static uint64_t fp_stats(uint64_t h, const struct ipvs_stats *s)
{
	h = tbl_fp_u64(h, s->conns);
	h = tbl_fp_u64(h, s->inpkts);
	h = tbl_fp_u64(h, s->outpkts);
	h = tbl_fp_u64(h, s->inbytes);
	return tbl_fp_u64(h, s->outbytes);
}

static void put_stats(struct strbuf *out, const struct ipvs_stats *s)
{
	tbl_u64(out, s->conns);
	tbl_u64(out, s->inpkts);
	tbl_u64(out, s->outpkts);
	tbl_u64(out, s->inbytes);
	tbl_u64(out, s->outbytes);
}

struct svc_rows {
	struct ipvs_service *svc;
	const struct lvs_svc_want *want;
	struct ipvs_dest *dests;
	size_t nd;
};

static void put_service(struct strbuf *out, const struct svc_rows *r, const char *name)
{
	const struct ipvs_service_key *k = &r->svc->key;
	char a[INET6_ADDRSTRLEN];

	tbl_str(out, name);
	tbl_str(out, k->af == AF_INET6 ? "inet6" : "inet");
	if (k->fwmark) {
		tbl_str(out, NULL);
		tbl_str(out, NULL);
		tbl_str(out, NULL);
		tbl_u64(out, k->fwmark);
	} else {
		addr_text(k->af, &k->addr, a, sizeof(a));
		tbl_str(out, proto_name(k->protocol));
		tbl_str(out, a);
		tbl_u64(out, k->port);
		tbl_str(out, NULL);
	}
	tbl_str(out, r->svc->sched_name);
	tbl_u64(out, r->want ? 1 : 0);
}

static int cmd_show_table_lvs(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct lvs_engine *e = ctx->d ? lvs_engine_of(ctx->d) : NULL;
	long long since = cmd_arg_num(args, "gen", -1);
	struct strbuf err = STRBUF_INIT;
	struct ipvs_service *svcs = NULL;
	struct svc_rows *rows;
	size_t n = 0, nrows = 0;
	uint64_t fp = TBL_FP_INIT;

	if (!e || !e->h) {
		strbuf_printf(ctx->out, "%% %s\n", e ? e->st.reason : "the LVS engine is not running");
		return CTL_ERR_UNAVAILABLE;
	}
	if (ipvs_list_services(e->h, &svcs, &n, &err) < 0) {
		strbuf_printf(ctx->out, "%% %s\n", strbuf_str(&err));
		strbuf_free(&err);
		return CTL_ERR_INTERNAL;
	}
	if (n > 1)
		qsort(svcs, n, sizeof(*svcs), svc_cmp);
	rows = xcalloc(n ? n : 1, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		struct svc_rows *r = &rows[i];

		r->svc = &svcs[i];
		r->want = lvs_desired_find(&e->want, &svcs[i].key);
		if (ipvs_list_dests(e->h, &svcs[i].key, &r->dests, &r->nd, &err) < 0)
			strbuf_reset(&err);	/* deleted between the dumps: listed empty */
		if (r->nd > 1)
			qsort(r->dests, r->nd, sizeof(*r->dests), dest_cmp);
		nrows += 1 + r->nd;
		fp = tbl_fp_u64(fp, (uint64_t)svc_cmp(&svcs[i], &svcs[i ? i - 1 : i]));
		fp = tbl_fp_str(fp, svcs[i].sched_name);
		fp = tbl_fp_u64(fp, r->want ? 1 : 0);
		fp = tbl_fp_u64(fp, r->nd);
		fp = fp_stats(fp, &svcs[i].stats);
		for (size_t j = 0; j < r->nd; j++) {
			const struct ipvs_dest *d = &r->dests[j];
			const struct lvs_dest_want *w = want_dest(r->want, d);

			fp = tbl_fp_u64(fp, (uint64_t)d->port << 32 | d->fwd);
			for (int b = 0; b < 4; b++) {
				uint32_t x;

				memcpy(&x, d->addr.raw + 4 * b, 4);
				fp = tbl_fp_u64(fp, x);
			}
			fp = tbl_fp_u64(fp, (uint64_t)(uint32_t)d->weight << 32 | d->active_conns);
			fp = tbl_fp_u64(fp, d->inact_conns);
			fp = tbl_fp_u64(fp, w ? (uint64_t)(uint32_t)w->cfg_weight << 8 | w->state : ~0ULL);
			fp = fp_stats(fp, &d->stats);
		}
		/* The service itself: its key's bytes. */
		fp = tbl_fp_u64(fp, (uint64_t)svcs[i].key.fwmark << 32 | svcs[i].key.port);
		for (int b = 0; b < 4; b++) {
			uint32_t x;

			memcpy(&x, svcs[i].key.addr.raw + 4 * b, 4);
			fp = tbl_fp_u64(fp, x);
		}
		fp = tbl_fp_u64(fp, (uint64_t)svcs[i].key.af << 16 | svcs[i].key.protocol);
	}
	if (!tbl_cache_fresh(&e->table, fp)) {
		struct strbuf *out = &e->table.text;
		char name[96], ap[80];

		strbuf_reserve(out, nrows * 120);
		tbl_cols(out, cols, sizeof(cols) / sizeof(cols[0]));
		for (size_t i = 0; i < n; i++) {
			const struct svc_rows *r = &rows[i];

			svc_name(&r->svc->key, name, sizeof(name));
			put_service(out, r, name);
			for (int k = 0; k < 5; k++)	/* server .. config_weight, state */
				tbl_str(out, NULL);
			{
				uint64_t act = 0, inact = 0;

				for (size_t j = 0; j < r->nd; j++) {
					act += r->dests[j].active_conns;
					inact += r->dests[j].inact_conns;
				}
				tbl_u64(out, act);
				tbl_u64(out, inact);
			}
			put_stats(out, &r->svc->stats);
			tbl_row_end(out);
			for (size_t j = 0; j < r->nd; j++) {
				const struct ipvs_dest *d = &r->dests[j];
				const struct lvs_dest_want *w = want_dest(r->want, d);

				put_service(out, r, name);
				addrport(d->af, &d->addr, d->port, ap, sizeof(ap));
				tbl_str(out, ap);
				tbl_str(out, ipvs_fwd_name(d->fwd));
				tbl_i64(out, d->weight);
				if (w) {
					tbl_i64(out, w->cfg_weight);
					tbl_str(out, rs_state_name(w->state));
				} else {
					tbl_str(out, NULL);
					tbl_str(out, NULL);
				}
				tbl_u64(out, d->active_conns);
				tbl_u64(out, d->inact_conns);
				put_stats(out, &d->stats);
				tbl_row_end(out);
			}
		}
		tbl_cache_done(&e->table, nrows);
	}
	tbl_reply(ctx->out, "lvs", &e->table, since < 0 ? 0 : (uint64_t)since);
	for (size_t i = 0; i < n; i++)
		free(rows[i].dests);
	free(rows);
	free(svcs);
	strbuf_free(&err);
	return CTL_OK;
}

static const struct cmd_def lvs_table_cmds[] = {
	{ "show table lvs [since (0-9223372036854775807)$gen]",
	  "Show running system information\n"
	  "A terse table for programs (docs/control-protocol.md)\n"
	  "The kernel's IPVS table with softlbd's wanted weights and states\n"
	  "Answer only when the table changed since a generation\n"
	  "The generation the caller has\n",
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_table_lvs, NULL, 0 },
};

int lvs_table_register(struct grammar *g, struct strbuf *err)
{
	return grammar_add_table(g, lvs_table_cmds, sizeof(lvs_table_cmds) / sizeof(lvs_table_cmds[0]),
				 err);
}
