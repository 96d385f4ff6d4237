/* ptable: a terse table of softlbd (`show table proxy`, see
 * docs/control-protocol.md) parsed into flat arrays.
 *
 * At 10,000 servers the JSON form cost the monitor a json-c object per
 * field each refresh; a terse table is one buffer, unescaped in place,
 * and an array of pointers to its fields, row by row. Numbers are read
 * from their text when asked (a refresh reads a few columns of each
 * row, not all). A table is shared by reference between the snapshot
 * that fetched it and the views built from it, so a view's rows stay
 * valid until the view itself is rebuilt.
 */
#ifndef SOFTLB_TUI_PTABLE_H
#define SOFTLB_TUI_PTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

struct json_object;

struct ptable {
	int refs;
	uint64_t gen;		/* softlbd's generation of the table */
	char *buf;		/* the body, owned; fields point into it */
	size_t ncols, nrows;
	const char **names;	/* ncols column names */
	const char **cell;	/* nrows * ncols fields, row by row */
};

enum ptable_parse {
	PTABLE_ERROR = -1,
	PTABLE_NEW = 0,		/* *out is a new table */
	PTABLE_UNCHANGED = 1,	/* the daemon's answer to "since GEN": keep the last */
};

/* Parses a reply body of table name. On PTABLE_NEW *out holds a table
 * with one reference; on an error err says where the body is wrong. */
enum ptable_parse ptable_parse(const char *body, size_t len, const char *name,
			       struct ptable **out, struct strbuf *err);

/* The proxy table built from `show proxy json` (a daemon without the
 * terse form): the same columns, one row per proxy and per server. */
struct ptable *ptable_from_proxy_json(struct json_object *arr);

struct ptable *ptable_ref(struct ptable *t);
void ptable_unref(struct ptable *t);

/* The index of column name, or -1 (an older daemon may lack one). */
int ptable_col(const struct ptable *t, const char *name);
/* Field (row, col) as text ("" for a column of -1), or as a number (0
 * for an empty or absent field). */
const char *ptable_str(const struct ptable *t, size_t row, int col);
long long ptable_num(const struct ptable *t, size_t row, int col);

#endif
