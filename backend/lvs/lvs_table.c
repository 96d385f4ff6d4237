/* show table lvs [since GEN]: the kernel's IPVS table with what softlbd
 * wants of it, as a terse table (ctl/table_out.h) for softlbtop: one row
 * per service (server empty) and per real server, in ipvsadm's order,
 * the values of `show lvs json` and, for a service softlbd manages, of
 * `show virtual-server json` (configured weight, state). One dump of the
 * kernel per request, as ipvsadm -Ln does; a row is formatted again
 * only when one of its values changed (its fingerprint), the others are
 * copied from the last text (ctl/table_out.h).
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
#include "lvs/lvs_fmt.h"
#include "util/xalloc.h"

static const char *const cols[] = {
	"service", "family", "protocol", "address", "port", "fwmark", "scheduler", "managed",
	"server", "forward", "weight", "config_weight", "state", "active_conns",
	"inactive_conns", "conns", "inpkts", "outpkts", "inbytes", "outbytes",
};

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

static void put_service(struct strbuf *out, const struct ipvs_service *svc, bool managed,
			const char *name)
{
	const struct ipvs_service_key *k = &svc->key;
	char a[INET6_ADDRSTRLEN];

	tbl_str(out, name);
	tbl_str(out, k->af == AF_INET6 ? "inet6" : "inet");
	if (k->fwmark) {
		tbl_str(out, NULL);
		tbl_str(out, NULL);
		tbl_str(out, NULL);
		tbl_u64(out, k->fwmark);
	} else {
		if (!inet_ntop(k->af, k->addr.raw, a, sizeof(a)))
			snprintf(a, sizeof(a), "?");
		tbl_str(out, lvs_proto_name(k->protocol));
		tbl_str(out, a);
		tbl_u64(out, k->port);
		tbl_str(out, NULL);
	}
	tbl_str(out, svc->sched_name);
	tbl_u64(out, managed ? 1 : 0);
}

/* The fingerprint of a service's identity (its key's bytes, scheduler,
 * managed or not): in every row of the service, as every row prints it. */
static uint64_t fp_service(const struct ipvs_service *svc, bool managed)
{
	uint64_t h = tbl_fp_u64(TBL_FP_INIT, (uint64_t)svc->key.fwmark << 32 | svc->key.port);

	for (int b = 0; b < 4; b++) {
		uint32_t x;

		memcpy(&x, svc->key.addr.raw + 4 * b, 4);
		h = tbl_fp_u64(h, x);
	}
	h = tbl_fp_u64(h, (uint64_t)svc->key.af << 16 | svc->key.protocol);
	h = tbl_fp_str(h, svc->sched_name);
	return tbl_fp_u64(h, managed ? 1 : 0);
}

static uint64_t fp_dest(uint64_t h, const struct ipvs_dest *d, const struct lvs_dest_want *w)
{
	h = tbl_fp_u64(h, (uint64_t)d->port << 32 | d->fwd);
	for (int b = 0; b < 4; b++) {
		uint32_t x;

		memcpy(&x, d->addr.raw + 4 * b, 4);
		h = tbl_fp_u64(h, x);
	}
	h = tbl_fp_u64(h, (uint64_t)(uint32_t)d->weight << 32 | d->active_conns);
	h = tbl_fp_u64(h, d->inact_conns);
	h = tbl_fp_u64(h, w ? (uint64_t)(uint32_t)w->cfg_weight << 8 | w->state : ~0ULL);
	return fp_stats(h, &d->stats);
}

static int cmd_show_table_lvs(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct lvs_engine *e = ctx->d ? lvs_engine_of(ctx->d) : NULL;
	long long since = cmd_arg_num(args, "gen", -1);
	struct strbuf err = STRBUF_INIT;
	struct lvs_dump dump;
	const struct lvs_svc_want **want;
	uint64_t *rfp, fp = TBL_FP_INIT;
	size_t nrows = 0, k = 0;

	if (!e || !e->h) {
		strbuf_printf(ctx->out, "%% %s\n", e ? e->st.reason : "the LVS engine is not running");
		return CTL_ERR_UNAVAILABLE;
	}
	/* The kernel's counters live in the kernel: one dump per request,
	 * as ipvsadm -Ln pays; what is saved is the formatting. */
	if (lvs_dump_take(e->h, &dump, &err) < 0) {
		strbuf_printf(ctx->out, "%% %s\n", strbuf_str(&err));
		strbuf_free(&err);
		return CTL_ERR_INTERNAL;
	}
	for (size_t i = 0; i < dump.n; i++)
		nrows += 1 + dump.nd[i];
	want = xcalloc(dump.n ? dump.n : 1, sizeof(*want));
	rfp = xcalloc(nrows ? nrows : 1, sizeof(*rfp));
	/* Each row's fingerprint, and the table's of them all. */
	for (size_t i = 0; i < dump.n; i++) {
		uint64_t sfp;
		uint64_t act = 0, inact = 0;

		want[i] = lvs_desired_find(&e->want, &dump.svcs[i].key);
		sfp = fp_service(&dump.svcs[i], want[i] != NULL);
		for (size_t j = 0; j < dump.nd[i]; j++) {
			const struct ipvs_dest *d = &dump.dests[i][j];

			act += d->active_conns;
			inact += d->inact_conns;
			rfp[k + 1 + j] = fp_dest(sfp, d, want_dest(want[i], d));
		}
		rfp[k] = fp_stats(tbl_fp_u64(tbl_fp_u64(sfp, act), inact), &dump.svcs[i].stats);
		for (size_t j = 0; j <= dump.nd[i]; j++)
			fp = tbl_fp_u64(fp, rfp[k + j]);
		k += 1 + dump.nd[i];
	}
	fp = tbl_fp_u64(fp, nrows);
	if (!tbl_cache_fresh(&e->table, fp)) {
		struct strbuf *out = &e->table.text;
		char name[96], ap[80];

		strbuf_reserve(out, nrows * 120);
		tbl_cols(out, cols, sizeof(cols) / sizeof(cols[0]));
		k = 0;
		for (size_t i = 0; i < dump.n; i++) {
			const struct ipvs_service *svc = &dump.svcs[i];
			const struct ipvs_dest *dests = dump.dests[i];

			lvs_svc_name(&svc->key, LVS_NAME_KEY, name, sizeof(name));
			if (!tbl_row_reuse(&e->table, k, rfp[k])) {
				uint64_t act = 0, inact = 0;

				put_service(out, svc, want[i] != NULL, name);
				for (int c = 0; c < 5; c++)	/* server .. config_weight, state */
					tbl_str(out, NULL);
				for (size_t j = 0; j < dump.nd[i]; j++) {
					act += dests[j].active_conns;
					inact += dests[j].inact_conns;
				}
				tbl_u64(out, act);
				tbl_u64(out, inact);
				put_stats(out, &svc->stats);
				tbl_row_end(out);
			}
			k++;
			for (size_t j = 0; j < dump.nd[i]; j++, k++) {
				const struct ipvs_dest *d = &dests[j];
				const struct lvs_dest_want *w;

				if (tbl_row_reuse(&e->table, k, rfp[k]))
					continue;
				w = want_dest(want[i], d);
				put_service(out, svc, want[i] != NULL, name);
				lvs_addrport(d->af, &d->addr, d->port, ap, sizeof(ap));
				tbl_str(out, ap);
				tbl_str(out, ipvs_fwd_name(d->fwd));
				tbl_i64(out, d->weight);
				if (w) {
					tbl_i64(out, w->cfg_weight);
					tbl_str(out, lvs_rs_state_name(w->state));
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
	free(rfp);
	free(want);
	lvs_dump_free(&dump);
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
