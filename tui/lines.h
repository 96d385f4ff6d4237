/* lines: a view laid out as lines of one width, ready to print.
 *
 * Tables become a title rule, a column header and rows, each exactly
 * width columns of text (layout_fit chooses the columns, layout_cell
 * cuts and pads), so nothing can wrap. Each line remembers where its
 * state cell is, for the colour, and which row it shows, for actions.
 * The curses screen and --once print the same lines.
 */
#ifndef SOFTLB_TUI_LINES_H
#define SOFTLB_TUI_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "view.h"

enum line_kind {
	LINE_HEADER = 0,	/* the view's header text */
	LINE_TITLE,		/* a table's title rule */
	LINE_COLS,		/* a table's column titles */
	LINE_ROW,		/* a row of a table */
	LINE_NOTE,		/* a table's note */
	LINE_BLANK,
};

struct line {
	enum line_kind kind;
	char *text;			/* exactly the width's columns, owned; a
					 * LINE_ROW's is NULL until lines_text() */
	enum vstate state;
	size_t st_off, st_len;		/* bytes of text in the state's colour (st_len 0: none) */
	const struct vrow *row;		/* LINE_ROW: the row (owned by the view) */
	size_t tbl;			/* LINE_ROW: its table's layout in lines.tl */
};

/* The columns chosen for one table. */
struct lines_tbl {
	const struct vtable *tb;
	size_t nc;
	bool shown[32];
	int w[32];
};

/* A row's text is laid out when it is asked for (drawn, printed): at
 * 10,000 rows a screen shows a few dozen. */
struct lines {
	struct line *v;
	size_t n, cap;
	size_t n_header;		/* the first lines that are the header */
	struct lines_tbl *tl;
	size_t ntl;
	int width;
};

void lines_build(struct lines *out, const struct view *v, int width, bool ascii);
void lines_free(struct lines *l);

/* Line i's text (laid out now if it was not yet), and its state's place. */
const char *lines_text(struct lines *l, size_t i);

/* --once: prints every line, trailing blanks trimmed. */
void lines_print(FILE *fp, struct lines *l);

#endif
