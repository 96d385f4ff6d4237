/* view: what a screen shows, built from a snapshot, as plain data.
 *
 * A view is a few header lines and a list of tables; a table is a title,
 * its columns (layout_col: width and priority) and rows of cells. Every
 * string from the daemon is made visible here (visible_append, one line)
 * before it reaches a cell, so the drawing code never sees a control
 * character. Both the curses screen and --once draw the same view.
 *
 * Rates come from a rate_store fed once per snapshot (view_feed_rates);
 * building a view only reads them, so a redraw (a key, a resize) never
 * changes a rate.
 */
#ifndef SOFTLB_TUI_VIEW_H
#define SOFTLB_TUI_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "fetch.h"
#include "layout.h"
#include "rate.h"
#include "util/strvec.h"

enum tui_screen {
	SCR_OVERVIEW = 0,
	SCR_LVS,
	SCR_PROXY,
	SCR_VRRP,
	SCR_EVENTS,
	SCR_CHECKS,
	SCR_COUNT
};

/* "overview", "lvs", ... */
const char *screen_name(enum tui_screen s);
/* The screen named name (a unique prefix will do), or -1. */
int screen_by_name(const char *name);

/* The colour class of a state; the text label is always shown too. */
enum vstate {
	VST_NONE = 0,
	VST_UP,		/* green */
	VST_DRAIN,	/* yellow: draining, or a check moving */
	VST_DOWN,	/* red */
	VST_MAINT,	/* magenta */
	VST_BACKUP,	/* dim */
};

/* Maps a state label of the daemon ("UP 1/3", "draining", "BACKUP") to
 * its colour class. */
enum vstate vstate_of(const char *label);

struct vsrc;

struct vrow {
	int indent;		/* blanks before the first cell (a child row) */
	enum vstate state;
	int state_col;		/* the cell drawn in the state's colour, or -1 */
	char **cells;		/* one per column, visible text, owned */
	char *action;		/* command prefix of operator actions ("server web s1"), or NULL */
	char *what;		/* what an action touches, in words (visible), or NULL */
	char *detail;		/* the show command Enter drills into ("show check web/s1"), or NULL */
	enum vkind { VK_NONE = 0, VK_SERVER, VK_REAL_SERVER, VK_VRRP } kind; /* what action names */
	char *group;		/* its backend or service (visible), for a confirmation */
	long long load;		/* its sessions or connections now */
	bool tagged;		/* in view_opts.tags */
	char *event_key;	/* its object in the event journal ("server web/s1"), or NULL */
	/* A row of a big table is built when it is needed (drawn, matched
	 * against a filter, acted on): until then cells is NULL and src
	 * and src_row say where its values are. view_row_ready() builds it. */
	const struct vsrc *src;
	size_t src_row;
};

/* Builds r's cells and texts when it is a row not built yet. Rows are
 * made ready in place: a view's rows are data of the view, not of the
 * caller, so this takes the const pointer the lines hold. */
void view_row_ready(const struct vrow *r);

struct vtable {
	char *title;
	const struct layout_col *cols;
	size_t ncols;
	struct vrow *rows;
	size_t nrows, cap;
	char *note;		/* shown under the title (no data, and why) */
	struct vsrc *src;	/* the values of rows built when needed, or NULL */
	int want0;		/* with src: the widest first cell, indent included */
};

struct view {
	struct strvec header;	/* lines above the tables, visible */
	struct vtable *tables;
	size_t ntables;
};

struct view_opts {
	bool ascii;		/* sparklines in ASCII */
	const char *filter;	/* "" or NULL: everything; "state:down"; or text */
	const char *sort;	/* a column title to sort by, or NULL: the daemon's order */
	bool sort_desc;		/* largest first */
	const struct strvec *tags;	/* actions of the tagged rows, or NULL */
};

/* The title of column i of the screen's main table, or NULL past the
 * last (to step through the sort columns with < and >). */
const char *screen_column(enum tui_screen scr, size_t i);

/* Compares two cells as the screen shows them: numbers by value (with
 * their k/M/G suffixes, and "-" below every number), anything else as
 * text, ignoring case. Exposed for tests. */
int view_cell_cmp(const char *a, const char *b);

void view_init(struct view *v);
void view_free(struct view *v);

/* Feeds every counter of s into rs (then sweeps). */
void view_feed_rates(struct rate_store *rs, const struct snapshot *s);

/* Builds screen scr into v (freed first). */
void view_build(struct view *v, enum tui_screen scr, const struct snapshot *s,
		const struct fetch *f, const struct rate_store *rs, const struct view_opts *o);

/* Builds the drill-down view of one object: the header of the main
 * views, then every field of obj (the JSON reply of detail_cmd),
 * flattened to "path  value" rows, or err when there is none; then the
 * journal's events of event_key (when not NULL), newest first. */
void view_build_detail(struct view *v, const char *detail_cmd, struct json_object *obj,
		       const char *err, const char *event_key, const struct snapshot *s,
		       const struct fetch *f, const struct rate_store *rs);

/* Number formats, exposed for tests: a rate ("-" when r < 0), a count,
 * a byte rate, a duration in milliseconds. out holds at least 16 bytes. */
void view_fmt_rate(char *out, size_t cap, double r);
void view_fmt_count(char *out, size_t cap, long long v);
void view_fmt_dur(char *out, size_t cap, long long ms);

/* A sparkline of vals[0..n) in width columns, newest right. */
void view_sparkline(struct strbuf *out, const double *vals, size_t n, int width, bool ascii);

#endif
