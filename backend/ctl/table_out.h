/* table_out: the terse table form of big show replies, and a cache that
 * lets a handler answer again without formatting when nothing changed.
 *
 * The JSON forms cost json-c an object per field and pretty-printing; at
 * 10,000 servers that is most of what watching softlbd costs. A terse
 * table (docs/control-protocol.md, "Terse tables") is one header line,
 * one line of column names and one line per row, fields separated by a
 * TAB, strings with '\\', TAB, LF and CR escaped as \\ \t \n \r. It is
 * meant for programs (softlbtop); people and scripts keep the JSON.
 *
 * A handler computes a fingerprint of every value it would print (cheap:
 * no formatting) and asks tbl_cache_fresh(); only when that says the
 * values changed does it format the rows again. Each change of the
 * fingerprint is a new generation; a client that names the generation it
 * already has ("since GEN") is answered with the header line alone,
 * marked "unchanged". A cache belongs to the engine that owns the
 * command and is used only on the control thread.
 *
 * Within a new generation, a handler may also give each row its own
 * fingerprint (tbl_row_reuse): a row whose fingerprint is the one the
 * same row had in the last text is copied from it, not formatted again;
 * under traffic only the rows whose counters moved cost formatting.
 */
#ifndef SOFTLB_CTL_TABLE_OUT_H
#define SOFTLB_CTL_TABLE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#define TBL_VERSION 1

struct tbl_cache {
	bool valid;
	uint64_t fp;		/* fingerprint of the values of text */
	uint64_t gen;		/* generation of text: 1, 2, ... */
	size_t rows;
	struct strbuf text;	/* the column line and the rows */
	/* Per row of text: its fingerprint and where it starts; and those
	 * of the text before (kept while the next one is built). */
	uint64_t *row_fp, *old_fp;
	size_t *row_off, *old_off;
	size_t n_rows, n_old, cap_rows, cap_old;
	struct strbuf old;
};

void tbl_cache_init(struct tbl_cache *c);
void tbl_cache_free(struct tbl_cache *c);

/* FNV-1a steps, for a fingerprint: start from TBL_FP_INIT. */
#define TBL_FP_INIT 0xcbf29ce484222325ULL
uint64_t tbl_fp_u64(uint64_t h, uint64_t v);
uint64_t tbl_fp_str(uint64_t h, const char *s);	/* NULL differs from "" */

/* True when c holds the text of fingerprint fp. Otherwise c is emptied
 * for the caller to fill (tbl_cols, rows, then tbl_cache_done) and its
 * generation moves on. */
bool tbl_cache_fresh(struct tbl_cache *c, uint64_t fp);
void tbl_cache_done(struct tbl_cache *c, size_t rows);

/* Row number row of the text being built, whose values have fingerprint
 * fp: when the last text's row of that number had the same, it is copied
 * to the text and true is returned; otherwise the caller formats it
 * (its fields, then tbl_row_end) and false is returned. Rows are given in
 * order, after tbl_cols. */
bool tbl_row_reuse(struct tbl_cache *c, size_t row, uint64_t fp);

/* The column line: names separated by TABs. */
void tbl_cols(struct strbuf *out, const char *const *names, size_t n);

/* One field of a row, each followed by a TAB; tbl_row_end turns the last
 * TAB into the row's newline. */
void tbl_str(struct strbuf *out, const char *s);	/* NULL: an empty field */
void tbl_u64(struct strbuf *out, uint64_t v);
void tbl_i64(struct strbuf *out, int64_t v);
void tbl_row_end(struct strbuf *out);

/* The reply: "softlb-table 1 NAME gen G rows N\n" and the cached text,
 * or "softlb-table 1 NAME gen G unchanged\n" when since == G. */
void tbl_reply(struct strbuf *out, const char *name, const struct tbl_cache *c, uint64_t since);

#endif
