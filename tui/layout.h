/* layout: which table columns fit in a width, and text cut to columns.
 *
 * Every table of the monitor is a list of columns, each with a width and
 * a priority. The first column (the object's name) is elastic: it gets
 * what the others leave, down to its minimum. When the window is too
 * narrow, columns are dropped, least important first (the highest
 * priority number; among equals, the rightmost), until the rest fit; so
 * a table never wraps and the name and state always stay.
 */
#ifndef SOFTLB_TUI_LAYOUT_H
#define SOFTLB_TUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct layout_col {
	const char *title;
	int width;	/* columns it takes (the elastic first column: its minimum) */
	int prio;	/* 0 = never dropped; higher = dropped earlier */
	bool right;	/* right-aligned (numbers) */
};

/* Columns are separated by one blank. */
#define LAYOUT_GAP 1

/* Chooses the columns of cols[0..n) that fit in width terminal columns.
 * On return shown[i] says whether column i is kept, and w[i] its width.
 * Spare columns go first to column 0, up to want0 (the width its longest
 * text needs), then to the last column kept when it is free text (left-
 * aligned, such as a reason), else to column 0 again. Returns the total width used (at most width, unless even
 * the priority-0 columns do not fit, in which case they are all kept and
 * the caller cuts the line). */
int layout_fit(const struct layout_col *cols, size_t n, int width, int want0, bool *shown, int *w);

/* Terminal columns of the UTF-8 text s (which holds no controls: it went
 * through visible_append). */
int layout_text_width(const char *s);

/* Appends s to out cut or padded to exactly width columns, right-aligned
 * when right. A cut string ends with "~" (ASCII, so it never needs a
 * wide glyph). */
void layout_cell(struct strbuf *out, const char *s, int width, bool right);

#endif
