#include "config.h"

#include "ptable.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Unescapes the field that starts at p in place (\\ \t \n \r), up to the
 * TAB or LF that ends it; returns where the field ended (its TAB or LF,
 * now a NUL, or the end). */
static char *field_end(char *p, char *end, char *sep)
{
	char *w = p;

	while (p < end && *p != '\t' && *p != '\n') {
		if (*p == '\\' && p + 1 < end) {
			switch (p[1]) {
			case 't': *w++ = '\t'; p += 2; continue;
			case 'n': *w++ = '\n'; p += 2; continue;
			case 'r': *w++ = '\r'; p += 2; continue;
			case '\\': *w++ = '\\'; p += 2; continue;
			}
		}
		*w++ = *p++;
	}
	*sep = p < end ? *p : '\n';
	if (p < end)
		*p = '\0';
	*w = '\0';
	return p;
}

enum ptable_parse ptable_parse(const char *body, size_t len, const char *name,
			       struct ptable **out, struct strbuf *err)
{
	struct ptable *t;
	char *p, *end, *nl, sep;
	char tname[32], word[16], head[160];
	unsigned long long gen = 0, rows = 0;
	int version = 0;
	size_t cap;

	*out = NULL;
	nl = memchr(body, '\n', len);
	/* The header line alone, terminated: the body need not be. */
	if (nl && (size_t)(nl - body) < sizeof(head)) {
		memcpy(head, body, (size_t)(nl - body));
		head[nl - body] = '\0';
	} else {
		nl = NULL;
	}
	if (!nl || sscanf(head, "softlb-table %d %31s gen %llu %15s", &version, tname, &gen, word) != 4 ||
	    version != 1 || strcmp(tname, name) != 0) {
		strbuf_printf(err, "line 1 of show table %s: not a table of version 1", name);
		return PTABLE_ERROR;
	}
	if (strcmp(word, "unchanged") == 0)
		return PTABLE_UNCHANGED;
	if (strcmp(word, "rows") != 0 ||
	    sscanf(head, "softlb-table %*d %*s gen %*u rows %llu", &rows) != 1) {
		strbuf_printf(err, "line 1 of show table %s: no row count", name);
		return PTABLE_ERROR;
	}
	t = xcalloc(1, sizeof(*t));
	t->refs = 1;
	t->gen = gen;
	t->buf = xmalloc(len + 1);
	memcpy(t->buf, body, len);
	t->buf[len] = '\0';
	end = t->buf + len;
	p = t->buf + (nl - body) + 1;
	/* The column line. */
	cap = 32;
	t->names = xcalloc(cap, sizeof(*t->names));
	do {
		char *f = p;

		p = field_end(p, end, &sep) + 1;
		if (t->ncols == cap) {
			cap *= 2;
			t->names = xreallocarray(t->names, cap, sizeof(*t->names));
		}
		t->names[t->ncols++] = f;
	} while (sep == '\t' && p < end);
	if (rows > len / (t->ncols ? t->ncols : 1) + 1) {
		strbuf_printf(err, "line 1 of show table %s: %llu rows cannot fit in %zu bytes", name,
			      rows, len);
		ptable_unref(t);
		return PTABLE_ERROR;
	}
	t->cell = xcalloc(rows * t->ncols + 1, sizeof(*t->cell));
	for (size_t r = 0; r < rows; r++) {
		size_t c = 0;

		if (p >= end) {
			strbuf_printf(err, "show table %s: %zu rows of %llu came", name, r, rows);
			ptable_unref(t);
			return PTABLE_ERROR;
		}
		do {
			char *f = p;

			p = field_end(p, end, &sep) + 1;
			if (c < t->ncols)
				t->cell[r * t->ncols + c] = f;
			c++;
		} while (sep == '\t');
		if (c != t->ncols) {
			strbuf_printf(err, "line %zu of show table %s: %zu fields, %zu columns", r + 3,
				      name, c, t->ncols);
			ptable_unref(t);
			return PTABLE_ERROR;
		}
	}
	t->nrows = rows;
	*out = t;
	return PTABLE_NEW;
}

struct ptable *ptable_ref(struct ptable *t)
{
	if (t)
		t->refs++;
	return t;
}

void ptable_unref(struct ptable *t)
{
	if (!t || --t->refs > 0)
		return;
	free(t->buf);
	free(t->names);
	free(t->cell);
	free(t);
}

int ptable_col(const struct ptable *t, const char *name)
{
	for (size_t i = 0; t && i < t->ncols; i++)
		if (strcmp(t->names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *ptable_str(const struct ptable *t, size_t row, int col)
{
	if (!t || col < 0 || row >= t->nrows)
		return "";
	return t->cell[row * t->ncols + (size_t)col];
}

long long ptable_num(const struct ptable *t, size_t row, int col)
{
	const char *s = ptable_str(t, row, col);

	return *s ? strtoll(s, NULL, 10) : 0;
}

/* ------------------------------------------------------------------ */
/* From JSON: the terse text written again, then parsed as one. */

static const char *const px_cols[] = {
	"proxy", "server", "type", "mode", "status", "state", "weight", "backup", "address",
	"check_status", "check_reason", "last_check", "cur", "max", "total", "bytes_in",
	"bytes_out", "econ", "eresp", "denied", "retries", "redispatches", "http_502",
	"http_503", "http_504", "queue_cur", "queue_max", "requests", "reused", "hrsp_1xx",
	"hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other",
};
#define PX_NCOLS (sizeof(px_cols) / sizeof(px_cols[0]))

static void put_field(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': strbuf_puts(b, "\\\\"); break;
		case '\t': strbuf_puts(b, "\\t"); break;
		case '\n': strbuf_puts(b, "\\n"); break;
		case '\r': strbuf_puts(b, "\\r"); break;
		default: strbuf_putc(b, *s); break;
		}
	}
}

static void json_row(struct strbuf *b, struct json_object *px, struct json_object *sv)
{
	for (size_t c = 0; c < PX_NCOLS; c++) {
		struct json_object *src = sv ? sv : px, *v = NULL;
		const char *k = px_cols[c];

		if (c > 0)
			strbuf_putc(b, '\t');
		if (c == 0) {
			src = px;
			k = "name";
		} else if (c == 1) {
			if (!sv)
				continue;
			k = "name";
		} else if (c == 2 || c == 3) {
			src = px;
		}
		if (!json_object_object_get_ex(src, k, &v) || !v)
			continue;
		if (json_object_is_type(v, json_type_boolean))
			strbuf_putc(b, json_object_get_boolean(v) ? '1' : '0');
		else if (!json_object_is_type(v, json_type_array) && !json_object_is_type(v, json_type_object))
			put_field(b, json_object_get_string(v));
	}
	strbuf_putc(b, '\n');
}

struct ptable *ptable_from_proxy_json(struct json_object *arr)
{
	struct strbuf b = STRBUF_INIT, err = STRBUF_INIT, body = STRBUF_INIT;
	struct ptable *t = NULL;
	size_t rows = 0;

	if (!arr || !json_object_is_type(arr, json_type_array))
		return NULL;
	for (size_t c = 0; c < PX_NCOLS; c++) {
		if (c)
			strbuf_putc(&b, '\t');
		strbuf_puts(&b, px_cols[c]);
	}
	strbuf_putc(&b, '\n');
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *px = json_object_array_get_idx(arr, i), *ss = NULL;

		json_row(&b, px, NULL);
		rows++;
		if (!json_object_object_get_ex(px, "servers", &ss) ||
		    !json_object_is_type(ss, json_type_array))
			continue;
		for (size_t j = 0; j < json_object_array_length(ss); j++, rows++)
			json_row(&b, px, json_object_array_get_idx(ss, j));
	}
	strbuf_printf(&body, "softlb-table 1 proxy gen 0 rows %zu\n", rows);
	strbuf_append(&body, b.data, b.len);
	if (ptable_parse(body.data, body.len, "proxy", &t, &err) != PTABLE_NEW)
		t = NULL;
	strbuf_free(&b);
	strbuf_free(&err);
	strbuf_free(&body);
	return t;
}
