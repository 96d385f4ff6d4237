/* show table proxy [since GEN]: the proxies and their servers as a terse
 * table (ctl/table_out.h), for softlbtop. The same values as `show proxy
 * json`, with the same names, one row per proxy (server empty) and per
 * server; fields a row does not have are empty. The reply is formatted
 * again only when a value changed; a client that has the current
 * generation gets one header line.
 */
#include "config.h"

#include "proxy/proxy_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "config/model.h"
#include "core/daemon.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "ctl/table_out.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char *const cols[] = {
	"proxy", "server", "type", "mode", "status", "state", "weight", "backup", "address",
	"check_status", "check_reason", "last_check", "cur", "max", "total", "bytes_in",
	"bytes_out", "econ", "eresp", "denied", "retries", "redispatches", "http_502",
	"http_503", "http_504", "queue_cur", "queue_max", "requests", "reused", "hrsp_1xx",
	"hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other",
};

/* The health checks' view of every member, indexed once per request
 * (check_member_info() walks every target: at 10,000 servers asking it
 * for each would be 10^8 comparisons). */
struct ck_ent {
	const char *group, *member;	/* the check engine's, valid for the request */
	struct check_member_info ci;
};

struct ck_ix {
	struct ck_ent *v;
	size_t n, cap;
};

static void ck_add(const char *g, const char *m, const struct check_member_info *ci, void *arg)
{
	struct ck_ix *ix = arg;

	if (ix->n == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 64;
		ix->v = xreallocarray(ix->v, ix->cap, sizeof(*ix->v));
	}
	ix->v[ix->n].group = g;
	ix->v[ix->n].member = m;
	ix->v[ix->n++].ci = *ci;
}

static int ck_cmp(const void *pa, const void *pb)
{
	const struct ck_ent *a = pa, *b = pb;
	int c = strcmp(a->group, b->group);

	return c ? c : strcmp(a->member, b->member);
}

static const struct check_member_info *ck_find(const struct ck_ix *ix, const char *g,
					       const char *m)
{
	struct ck_ent key = { .group = g, .member = m };
	const struct ck_ent *e;

	if (!ix->n)
		return NULL;
	e = bsearch(&key, ix->v, ix->n, sizeof(*ix->v), ck_cmp);
	return e ? &e->ci : NULL;
}

/* What one row prints, gathered before any formatting. */
struct row {
	const struct px_proxy *p;
	const struct px_server *s;	/* NULL: the proxy's row */
	const struct check_member_info *ci;
	const char *status;
	struct px_sums m;
	uint64_t fp;		/* of everything the row prints */
};

static const char *proxy_status(const struct px_proxy *p)
{
	if (p->kind == CFG_PROXY_FRONTEND)
		return "OPEN";
	if (p->n_srv == 0)
		return "UP";
	for (size_t i = 0; i < p->n_srv; i++)
		if (p->srv[i].state == PX_SRV_UP && p->srv[i].weight > 0)
			return "UP";
	return "DOWN";
}

static void addr_text(const struct px_server *s, struct strbuf *out)
{
	char ip[INET6_ADDRSTRLEN];
	unsigned port;

	if (s->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&s->addr;

		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		port = ntohs(a->sin6_port);
		strbuf_printf(out, "[%s]", ip);
	} else {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&s->addr;

		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		port = ntohs(a->sin_port);
		strbuf_puts(out, ip);
	}
	if (!s->client_port)
		strbuf_printf(out, ":%u", port);
}

static uint64_t fp_sums(uint64_t h, const struct px_sums *m)
{
	const uint64_t v[] = { m->cur, m->max, m->total, m->bin, m->bout, m->econ, m->eresp,
			       m->denied, m->retries, m->redisp, m->http[0], m->http[1],
			       m->http[2], m->qcur, m->qmax, m->req, m->reused, m->hrsp[0],
			       m->hrsp[1], m->hrsp[2], m->hrsp[3], m->hrsp[4], m->hrsp[5] };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		h = tbl_fp_u64(h, v[i]);
	return h;
}

static void put_sums(struct strbuf *out, const struct px_sums *m)
{
	tbl_u64(out, m->cur);
	tbl_u64(out, m->max);
	tbl_u64(out, m->total);
	tbl_u64(out, m->bin);
	tbl_u64(out, m->bout);
	tbl_u64(out, m->econ);
	tbl_u64(out, m->eresp);
	tbl_u64(out, m->denied);
	tbl_u64(out, m->retries);
	tbl_u64(out, m->redisp);
	tbl_u64(out, m->http[0]);
	tbl_u64(out, m->http[1]);
	tbl_u64(out, m->http[2]);
	tbl_u64(out, m->qcur);
	tbl_u64(out, m->qmax);
	tbl_u64(out, m->req);
	tbl_u64(out, m->reused);
	for (int k = 0; k < 6; k++)
		tbl_u64(out, m->hrsp[k]);
}

static void put_row(struct strbuf *out, const struct row *r, struct strbuf *t)
{
	const struct px_proxy *p = r->p;

	tbl_str(out, p->name);
	tbl_str(out, r->s ? r->s->name : NULL);
	tbl_str(out, cfg_proxy_kind_name(p->kind));
	tbl_str(out, cfg_mode_name(p->mode));
	tbl_str(out, r->status);
	if (!r->s) {
		for (int i = 0; i < 7; i++)	/* state .. last_check */
			tbl_str(out, NULL);
	} else {
		tbl_str(out, px_srv_state_name(r->s->state));
		tbl_i64(out, r->s->weight);
		tbl_u64(out, r->s->backup ? 1 : 0);
		strbuf_reset(t);
		addr_text(r->s, t);
		tbl_str(out, strbuf_str(t));
		if (r->ci) {
			tbl_str(out, check_code_name(r->ci->code));
			tbl_str(out, r->ci->reason);
			tbl_i64(out, (int64_t)r->ci->last_check);
		} else {
			for (int i = 0; i < 3; i++)
				tbl_str(out, NULL);
		}
	}
	put_sums(out, &r->m);
	tbl_row_end(out);
}

static int cmd_show_table_proxy(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct px_engine *e = ctx->d ? px_engine_of(ctx->d) : NULL;
	struct check_engine *ce = ctx->d ? check_engine_of(ctx->d) : NULL;
	long long since = cmd_arg_num(args, "gen", -1);
	const struct px_snapshot *snap;
	struct ck_ix ix = { 0 };
	struct row *rows;
	size_t n = 0, k = 0;
	uint64_t fp = TBL_FP_INIT;

	if (!e || !e->snap) {
		strbuf_puts(ctx->out, "% the proxy engine is not running\n");
		return CTL_ERR_UNAVAILABLE;
	}
	snap = e->snap;
	if (ce) {
		check_visit_members(ce, ck_add, &ix);
		if (ix.n)
			qsort(ix.v, ix.n, sizeof(*ix.v), ck_cmp);
	}
	for (size_t i = 0; i < snap->n_proxies; i++)
		n += 1 + snap->proxies[i].n_srv;
	rows = xcalloc(n ? n : 1, sizeof(*rows));
	/* Every value, and the fingerprint of them all; no formatting yet. */
	for (size_t i = 0; i < snap->n_proxies; i++) {
		const struct px_proxy *p = &snap->proxies[i];
		struct row *r = &rows[k++];

		r->p = p;
		r->status = proxy_status(p);
		px_stats_sum(p->st, &r->m);
		/* A new snapshot (a reload) makes every row new: kinds, modes
		 * and addresses are not in the fingerprints. */
		r->fp = tbl_fp_u64(TBL_FP_INIT, snap->gen);
		r->fp = tbl_fp_str(r->fp, p->name);
		r->fp = tbl_fp_str(r->fp, r->status);
		r->fp = fp_sums(r->fp, &r->m);
		fp = tbl_fp_u64(fp, r->fp);
		for (size_t j = 0; j < p->n_srv; j++) {
			const struct px_server *s = &p->srv[j];

			r = &rows[k++];
			r->p = p;
			r->s = s;
			r->ci = ck_find(&ix, p->name, s->name);
			/* What an operator sees: MAINT / DRAIN / the check's progress. */
			if (s->state == PX_SRV_MAINT || s->state == PX_SRV_DRAIN || !r->ci)
				r->status = px_srv_state_name(s->state);
			else
				r->status = r->ci->progress;
			px_stats_sum(s->st, &r->m);
			r->fp = tbl_fp_u64(TBL_FP_INIT, snap->gen);
			r->fp = tbl_fp_str(r->fp, p->name);
			r->fp = tbl_fp_str(r->fp, s->name);
			r->fp = tbl_fp_str(r->fp, r->status);
			r->fp = tbl_fp_u64(r->fp, (uint64_t)(uint32_t)s->weight << 1 | (s->backup ? 1 : 0));
			r->fp = tbl_fp_u64(r->fp, (uint64_t)s->state);
			if (r->ci) {
				r->fp = tbl_fp_u64(r->fp, (uint64_t)r->ci->code);
				r->fp = tbl_fp_str(r->fp, r->ci->reason);
				r->fp = tbl_fp_u64(r->fp, (uint64_t)r->ci->last_check);
			} else {
				r->fp = tbl_fp_u64(r->fp, ~0ULL);
			}
			r->fp = fp_sums(r->fp, &r->m);
			fp = tbl_fp_u64(fp, r->fp);
		}
	}
	fp = tbl_fp_u64(fp, n);
	if (!tbl_cache_fresh(&e->table, fp)) {
		struct strbuf t = STRBUF_INIT;

		strbuf_reserve(&e->table.text, n * 160);
		tbl_cols(&e->table.text, cols, sizeof(cols) / sizeof(cols[0]));
		for (size_t i = 0; i < n; i++)
			if (!tbl_row_reuse(&e->table, i, rows[i].fp))
				put_row(&e->table.text, &rows[i], &t);
		strbuf_free(&t);
		tbl_cache_done(&e->table, n);
	}
	tbl_reply(ctx->out, "proxy", &e->table, since < 0 ? 0 : (uint64_t)since);
	free(rows);
	free(ix.v);
	return CTL_OK;
}

static const struct cmd_def px_table_cmds[] = {
	{ "show table proxy [since (0-9223372036854775807)$gen]",
	  "Show running system information\n"
	  "A terse table for programs (docs/control-protocol.md)\n"
	  "Proxies and their servers, the fields of show proxy json\n"
	  "Answer only when the table changed since a generation\n"
	  "The generation the caller has\n",
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_table_proxy, NULL, 0 },
};

int px_table_register(struct softlbd *d, struct strbuf *err)
{
	return grammar_add_table(d->grammar, px_table_cmds,
				 sizeof(px_table_cmds) / sizeof(px_table_cmds[0]), err);
}
