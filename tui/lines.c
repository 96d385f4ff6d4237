#include "config.h"

#include "lines.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* Appends a line made of text (taken over, text is left empty), cut to
 * width: a line is never wider, even when the essential columns alone
 * are wider than a very small window. */
static struct line *push_w(struct lines *l, enum line_kind kind, struct strbuf *text, int width)
{
	struct line *ln;

	if (text->data && layout_text_width(text->data) > width) {
		struct strbuf cut = STRBUF_INIT;

		layout_cell(&cut, text->data, width, false);
		strbuf_free(text);
		*text = cut;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	ln = &l->v[l->n++];
	memset(ln, 0, sizeof(*ln));
	ln->kind = kind;
	ln->text = text->data ? strbuf_detach(text) : xstrdup("");
	return ln;
}

/* A row line, its text laid out later by lines_text(). */
static struct line *push_row(struct lines *l, const struct vrow *row, size_t tbl)
{
	struct line *ln;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	ln = &l->v[l->n++];
	memset(ln, 0, sizeof(*ln));
	ln->kind = LINE_ROW;
	ln->row = row;
	ln->tbl = tbl;
	ln->state = row->state;
	return ln;
}

/* lines_build's width is always the one meant. */
#define push(l, kind, text) push_w(l, kind, text, width)

void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	free(l->tl);
	memset(l, 0, sizeof(*l));
}

/* A title rule: "── VRRP ───..." (or "-- VRRP ---..."). */
static void rule(struct strbuf *b, const char *title, int width, bool ascii)
{
	const char *h = ascii ? "-" : "\u2500";
	int used = 0;

	for (; used < 2 && used < width; used++)
		strbuf_puts(b, h);
	if (used < width) {
		struct strbuf t = STRBUF_INIT;

		strbuf_printf(&t, " %s ", title);
		if (layout_text_width(strbuf_str(&t)) > width - used) {
			layout_cell(b, strbuf_str(&t), width - used, false);
			used = width;
		} else {
			strbuf_puts(b, strbuf_str(&t));
			used += layout_text_width(strbuf_str(&t));
		}
		strbuf_free(&t);
	}
	for (; used < width; used++)
		strbuf_puts(b, h);
}

void lines_build(struct lines *out, const struct view *v, int width, bool ascii)
{
	struct strbuf b = STRBUF_INIT;

	lines_free(out);
	if (width < 1)
		width = 1;
	out->width = width;
	for (size_t i = 0; i < v->header.len; i++) {
		layout_cell(&b, v->header.items[i], width, false);
		push(out, LINE_HEADER, &b);
	}
	out->n_header = out->n;
	for (size_t t = 0; t < v->ntables; t++) {
		const struct vtable *tb = &v->tables[t];
		bool shown[32];
		int w[32];
		size_t nc = tb->ncols < 32 ? tb->ncols : 32, l_tbl;

		if (t > 0)
			push(out, LINE_BLANK, &b);
		rule(&b, tb->title, width, ascii);
		push(out, LINE_TITLE, &b);
		{
			int want0 = layout_text_width(tb->cols[0].title);

			/* A big table knows its widest name without building rows. */
			if (tb->src)
				want0 = tb->want0;
			for (size_t r = 0; !tb->src && r < tb->nrows; r++) {
				const char *c0 = tb->rows[r].cells[0] ? tb->rows[r].cells[0] : "";
				int cw = layout_text_width(c0) + tb->rows[r].indent;

				if (cw > want0)
					want0 = cw;
			}
			layout_fit(tb->cols, nc, width, want0, shown, w);
		}
		if (tb->note && (tb->nrows == 0)) {
			struct strbuf n = STRBUF_INIT;

			strbuf_printf(&n, "  %s", tb->note);
			layout_cell(&b, strbuf_str(&n), width, false);
			strbuf_free(&n);
			push(out, LINE_NOTE, &b);
			continue;
		}
		for (size_t c = 0, first = 1; c < nc; c++) {
			if (!shown[c])
				continue;
			if (!first)
				strbuf_putc(&b, ' ');
			first = 0;
			layout_cell(&b, tb->cols[c].title, w[c], tb->cols[c].right);
		}
		push(out, LINE_COLS, &b);
		l_tbl = out->ntl;
		out->tl = xreallocarray(out->tl, out->ntl + 1, sizeof(*out->tl));
		out->tl[out->ntl].tb = tb;
		out->tl[out->ntl].nc = nc;
		memcpy(out->tl[out->ntl].shown, shown, sizeof(shown));
		memcpy(out->tl[out->ntl].w, w, sizeof(w));
		out->ntl++;
		for (size_t r = 0; r < tb->nrows; r++)
			push_row(out, &tb->rows[r], l_tbl);
	}
	strbuf_free(&b);
}

const char *lines_text(struct lines *l, size_t i)
{
	struct line *ln = &l->v[i];
	const struct lines_tbl *lt;
	const struct vrow *row = ln->row;
	struct strbuf b = STRBUF_INIT;
	size_t st_off = 0, st_len = 0;
	int width = l->width;

	if (ln->text)
		return ln->text;
	lt = &l->tl[ln->tbl];
	view_row_ready(row);
	for (size_t c = 0, first = 1; c < lt->nc; c++) {
		const char *cell = row->cells[c] ? row->cells[c] : "";
		int cw = lt->w[c];

		if (!lt->shown[c])
			continue;
		if (!first)
			strbuf_putc(&b, ' ');
		first = 0;
		if (c == 0 && row->indent > 0) {
			/* A child row: indented under its parent. */
			int ind = row->indent < cw ? row->indent : cw;

			for (int k = 0; k < ind; k++)
				strbuf_putc(&b, ' ');
			cw -= ind;
		}
		if ((int)c == row->state_col) {
			st_off = b.len;
			layout_cell(&b, cell, cw, lt->tb->cols[c].right);
			st_len = b.len - st_off;
		} else {
			layout_cell(&b, cell, cw, lt->tb->cols[c].right);
		}
	}
	/* A tagged row: a '*' in its first column. */
	if (row->tagged && b.len > 0 && b.data[0] == ' ')
		b.data[0] = '*';
	if (b.data && layout_text_width(b.data) > width) {
		struct strbuf cut = STRBUF_INIT;

		layout_cell(&cut, b.data, width, false);
		strbuf_free(&b);
		b = cut;
	}
	ln->text = b.data ? strbuf_detach(&b) : xstrdup("");
	ln->st_off = st_off;
	ln->st_len = row->state != VST_NONE ? st_len : 0;
	return ln->text;
}

void lines_print(FILE *fp, struct lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *text = lines_text(l, i);
		size_t len = strlen(text);

		while (len > 0 && text[len - 1] == ' ')
			len--;
		fprintf(fp, "%.*s\n", (int)len, text);
		/* Printed once: a big table's rows need not stay in memory. */
		if (l->v[i].kind == LINE_ROW) {
			free(l->v[i].text);
			l->v[i].text = NULL;
		}
	}
}
