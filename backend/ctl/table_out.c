/* table_out: terse tables and their cache (see table_out.h). */
#include "config.h"

#include "ctl/table_out.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void tbl_cache_init(struct tbl_cache *c)
{
	memset(c, 0, sizeof(*c));
	strbuf_init(&c->text);
}

void tbl_cache_free(struct tbl_cache *c)
{
	strbuf_free(&c->text);
	strbuf_free(&c->old);
	free(c->row_fp);
	free(c->old_fp);
	free(c->row_off);
	free(c->old_off);
	memset(c, 0, sizeof(*c));
}

uint64_t tbl_fp_u64(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (i * 8)) & 0xff;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t tbl_fp_str(uint64_t h, const char *s)
{
	if (!s)
		return tbl_fp_u64(h, 0x5a5a5a5a5a5a5a5aULL);
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	/* The end of the string is part of it: "ab","c" is not "a","bc". */
	h ^= 0xff;
	h *= 0x100000001b3ULL;
	return h;
}

bool tbl_cache_fresh(struct tbl_cache *c, uint64_t fp)
{
	if (c->valid && c->fp == fp)
		return true;
	c->valid = false;
	c->fp = fp;
	c->gen++;
	c->rows = 0;
	/* The last text becomes the one rows are copied from. */
	{
		struct strbuf t = c->old;
		uint64_t *f = c->old_fp;
		size_t *o = c->old_off, cap = c->cap_old;

		c->old = c->text;
		c->text = t;
		c->old_fp = c->row_fp;
		c->old_off = c->row_off;
		c->cap_old = c->cap_rows;
		c->n_old = c->n_rows;
		c->row_fp = f;
		c->row_off = o;
		c->cap_rows = cap;
		c->n_rows = 0;
	}
	strbuf_reset(&c->text);
	return false;
}

bool tbl_row_reuse(struct tbl_cache *c, size_t row, uint64_t fp)
{
	if (row != c->n_rows)
		return false;	/* not in order: no bookkeeping, format it */
	if (c->n_rows == c->cap_rows) {
		c->cap_rows = c->cap_rows ? c->cap_rows * 2 : 256;
		c->row_fp = xreallocarray(c->row_fp, c->cap_rows, sizeof(*c->row_fp));
		c->row_off = xreallocarray(c->row_off, c->cap_rows, sizeof(*c->row_off));
	}
	c->row_fp[c->n_rows] = fp;
	c->row_off[c->n_rows++] = c->text.len;
	if (row < c->n_old && c->old_fp[row] == fp) {
		size_t from = c->old_off[row];
		size_t to = row + 1 < c->n_old ? c->old_off[row + 1] : c->old.len;

		strbuf_append(&c->text, c->old.data + from, to - from);
		return true;
	}
	return false;
}

void tbl_cache_done(struct tbl_cache *c, size_t rows)
{
	c->rows = rows;
	c->valid = true;
}

void tbl_cols(struct strbuf *out, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tbl_str(out, names[i]);
	tbl_row_end(out);
}

void tbl_str(struct strbuf *out, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		switch (*p) {
		case '\\': strbuf_puts(out, "\\\\"); break;
		case '\t': strbuf_puts(out, "\\t"); break;
		case '\n': strbuf_puts(out, "\\n"); break;
		case '\r': strbuf_puts(out, "\\r"); break;
		default: strbuf_putc(out, *p); break;
		}
	}
	strbuf_putc(out, '\t');
}

void tbl_u64(struct strbuf *out, uint64_t v)
{
	char b[24];
	size_t n = sizeof(b);

	/* By hand: printf's parsing is most of the cost at 280,000 fields. */
	b[--n] = '\t';
	do {
		b[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	strbuf_append(out, b + n, sizeof(b) - n);
}

void tbl_i64(struct strbuf *out, int64_t v)
{
	if (v < 0) {
		strbuf_putc(out, '-');
		tbl_u64(out, (uint64_t)0 - (uint64_t)v);
	} else {
		tbl_u64(out, (uint64_t)v);
	}
}

void tbl_row_end(struct strbuf *out)
{
	if (out->len > 0 && out->data[out->len - 1] == '\t')
		out->data[out->len - 1] = '\n';
	else
		strbuf_putc(out, '\n');
}

void tbl_reply(struct strbuf *out, const char *name, const struct tbl_cache *c, uint64_t since)
{
	if (since == c->gen) {
		strbuf_printf(out, "softlb-table %d %s gen %" PRIu64 " unchanged\n", TBL_VERSION, name,
			      c->gen);
		return;
	}
	strbuf_printf(out, "softlb-table %d %s gen %" PRIu64 " rows %zu\n", TBL_VERSION, name,
		      c->gen, c->rows);
	strbuf_append(out, c->text.data ? c->text.data : "", c->text.len);
}
