/* show table proxy [since GEN]: the proxies and their servers as a terse
 * table (ctl/table_out.h), for softlbtop. The same values as `show proxy
 * json`, with the same names, one row per proxy (server empty) and per
 * server; fields a row does not have are empty. A client that has the
 * current generation gets one header line.
 *
 * What a request costs when little changed: each counter block carries a
 * change stamp its worker moves whenever it writes (px_ctr.changes), the
 * snapshot a generation, the health checks theirs (check_results_gen).
 * A row whose stamp was the same at the last two requests, in the same
 * snapshot and with the same check results, is taken as it was: its
 * counters are not summed, its check not looked up, its fingerprint not
 * computed again (two requests, not one: the stamp moves just before the
 * counter it announces, so a row read between the two is read once more).
 * A request with nothing changed thus reads one stamp per worker and row
 * and nothing else of it; only changed rows are summed, fingerprinted and
 * formatted again, the others copied from the last text.
 */
#include "config.h"

#include "proxy/proxy_int.h"
#include "proxy/px_show.h"

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
	/* The summary's alone (its last five): */
	"servers", "srv_up", "srv_drain", "srv_maint", "srv_down",
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
	bool filled;		/* ci, status, m and fp are this request's */
	const uint32_t *counts;	/* the summary: servers up, drain, maint, down */
};

/* What the last requests saw of each row of one table (see the top of
 * this file). */
struct memo {
	uint64_t snap_gen, check_gen;
	size_t n;
	uint64_t *stamp;	/* the row's change stamps, summed over the slots */
	uint64_t *fp;		/* its fingerprint */
	bool *settled;		/* its stamp was the same at the last two requests */
	uint32_t (*counts)[4];	/* the summary: a proxy's servers by status */
};

struct px_table_memo {
	struct memo full, sum;
	struct tbl_cache sum_cache;	/* the summary's last reply */
};

static void memo_clear(struct memo *m)
{
	free(m->stamp);
	free(m->fp);
	free(m->settled);
	free(m->counts);
	memset(m, 0, sizeof(*m));
}

void px_table_memo_free(struct px_table_memo *m)
{
	if (!m)
		return;
	memo_clear(&m->full);
	memo_clear(&m->sum);
	tbl_cache_free(&m->sum_cache);
	free(m);
}

static uint64_t stamp_of(const struct px_stats *st)
{
	uint64_t v = 0;

	for (size_t i = 0; i < st->n_slots; i++)
		v += px_ld(&st->slots[i].changes);
	return v;
}

/* The check index, built at the first row that needs it. */
struct ck_lazy {
	struct check_engine *ce;
	struct ck_ix ix;
	bool built;
};

static const struct check_member_info *ck_get(struct ck_lazy *l, const char *g, const char *m)
{
	if (!l->ce)
		return NULL;
	if (!l->built) {
		check_visit_members(l->ce, ck_add, &l->ix);
		if (l->ix.n)
			qsort(l->ix.v, l->ix.n, sizeof(*l->ix.v), ck_cmp);
		l->built = true;
	}
	return ck_find(&l->ix, g, m);
}

static uint64_t fp_sums(uint64_t h, const struct px_sums *m);

/* Reads r's values and computes its fingerprint. */
static void fill_row(struct row *r, const struct px_snapshot *snap, struct ck_lazy *ck)
{
	const struct px_proxy *p = r->p;
	const struct px_server *s = r->s;

	r->filled = true;
	/* A new snapshot (a reload) makes every row new: kinds, modes and
	 * addresses are not in the fingerprints. */
	r->fp = tbl_fp_u64(TBL_FP_INIT, snap->gen);
	r->fp = tbl_fp_str(r->fp, p->name);
	if (!s) {
		r->status = px_show_proxy_status(p);
		px_stats_sum(p->st, &r->m);
		r->fp = tbl_fp_str(r->fp, r->status);
		r->fp = fp_sums(r->fp, &r->m);
		return;
	}
	r->ci = ck_get(ck, p->name, s->name);
	r->status = px_show_srv_status(s, r->ci);
	px_stats_sum(s->st, &r->m);
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
		px_show_addr(r->s, t);
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
	if (r->counts) {
		tbl_u64(out, r->p->n_srv);
		for (int c = 0; c < 4; c++)
			tbl_u64(out, r->counts[c]);
	}
	tbl_row_end(out);
}

/* The summary's count of a server: up, drain, maint, down (softlbtop's
 * header counts the same way from the status an operator sees). */
static int count_class(const char *status)
{
	if (!strncmp(status, "DRAIN", 5) || !strcmp(status, "NOLB"))
		return 1;
	if (!strncmp(status, "MAINT", 5))
		return 2;
	if (!strncmp(status, "UP", 2))
		return 0;
	return 3;
}

static void proxy_counts(const struct px_proxy *p, struct ck_lazy *ck, uint32_t out[4])
{
	memset(out, 0, 4 * sizeof(*out));
	for (size_t j = 0; j < p->n_srv; j++) {
		const struct px_server *sv = &p->srv[j];

		out[count_class(px_show_srv_status(sv, ck_get(ck, p->name, sv->name)))]++;
	}
}

static int cmd_show_table_proxy(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct px_engine *e = ctx->d ? px_engine_of(ctx->d) : NULL;
	long long since = cmd_arg_num(args, "gen", -1);
	bool summary = cmd_arg_has(args, "summary");
	const struct px_snapshot *snap;
	struct ck_lazy ck = { 0 };
	struct tbl_cache *cache;
	struct memo *mm;
	struct row *rows;
	size_t n = 0, k = 0;
	uint64_t fp = TBL_FP_INIT, cgen;
	bool same_snap, same_checks;

	if (!e || !e->snap) {
		strbuf_puts(ctx->out, "% the proxy engine is not running\n");
		return CTL_ERR_UNAVAILABLE;
	}
	snap = e->snap;
	ck.ce = check_engine_of(ctx->d);
	cgen = ck.ce ? check_results_gen(ck.ce) : 0;
	for (size_t i = 0; i < snap->n_proxies; i++)
		n += 1 + (summary ? 0 : snap->proxies[i].n_srv);
	if (!e->memo) {
		e->memo = xcalloc(1, sizeof(*e->memo));
		tbl_cache_init(&e->memo->sum_cache);
	}
	mm = summary ? &e->memo->sum : &e->memo->full;
	cache = summary ? &e->memo->sum_cache : &e->table;
	same_snap = mm->n == n && mm->stamp && mm->snap_gen == snap->gen;
	same_checks = same_snap && mm->check_gen == cgen;
	if (!same_snap) {
		/* Other rows (or none yet): nothing of the last request holds. */
		memo_clear(mm);
		mm->n = n;
		mm->stamp = xcalloc(n ? n : 1, sizeof(*mm->stamp));
		mm->fp = xcalloc(n ? n : 1, sizeof(*mm->fp));
		mm->settled = xcalloc(n ? n : 1, sizeof(*mm->settled));
		if (summary)
			mm->counts = xcalloc(n ? n : 1, sizeof(*mm->counts));
	}
	rows = xcalloc(n ? n : 1, sizeof(*rows));
	for (size_t i = 0; i < snap->n_proxies; i++) {
		const struct px_proxy *p = &snap->proxies[i];
		size_t last = summary ? 0 : p->n_srv;

		for (size_t j = 0; j <= last; j++, k++) {
			struct row *r = &rows[k];
			const struct px_server *sv = j ? &p->srv[j - 1] : NULL;
			uint64_t st = stamp_of(sv ? sv->st : p->st);

			r->p = p;
			r->s = sv;
			if (summary)
				r->counts = mm->counts[k];
			if (same_checks && mm->settled[k] && mm->stamp[k] == st) {
				r->fp = mm->fp[k];	/* as it was: nothing read */
			} else {
				fill_row(r, snap, &ck);
				if (summary) {
					/* Server states move with the snapshot and the checks only. */
					if (!same_checks)
						proxy_counts(p, &ck, mm->counts[k]);
					for (int c = 0; c < 4; c++)
						r->fp = tbl_fp_u64(r->fp, r->counts[c]);
				}
				mm->fp[k] = r->fp;
				mm->settled[k] = same_snap && mm->stamp[k] == st;
			}
			mm->stamp[k] = st;
			fp = tbl_fp_u64(fp, r->fp);
		}
	}
	mm->snap_gen = snap->gen;
	mm->check_gen = cgen;
	fp = tbl_fp_u64(fp, n);
	if (!tbl_cache_fresh(cache, fp)) {
		struct strbuf t = STRBUF_INIT;

		strbuf_reserve(&cache->text, n * 160);
		tbl_cols(&cache->text, cols, sizeof(cols) / sizeof(cols[0]) - (summary ? 0 : 5));
		for (size_t i = 0; i < n; i++) {
			if (tbl_row_reuse(cache, i, rows[i].fp))
				continue;
			if (!rows[i].filled)
				fill_row(&rows[i], snap, &ck);
			put_row(&cache->text, &rows[i], &t);
		}
		strbuf_free(&t);
		tbl_cache_done(cache, n);
	}
	tbl_reply(ctx->out, summary ? "proxy-summary" : "proxy", cache, since < 0 ? 0 : (uint64_t)since);
	free(rows);
	free(ck.ix.v);
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
	{ "show table proxy summary [since (0-9223372036854775807)$gen]",
	  "Show running system information\n"
	  "A terse table for programs (docs/control-protocol.md)\n"
	  "Proxies and their servers, the fields of show proxy json\n"
	  "The proxies alone, with their servers counted by status\n"
	  "Answer only when the table changed since a generation\n"
	  "The generation the caller has\n",
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_table_proxy, NULL, 0 },
};

int px_table_register(struct softlbd *d, struct strbuf *err)
{
	return grammar_add_table(d->grammar, px_table_cmds,
				 sizeof(px_table_cmds) / sizeof(px_table_cmds[0]), err);
}
