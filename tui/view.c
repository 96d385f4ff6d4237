#include "config.h"

#include "view.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/strbuf.h"
#include "util/xalloc.h"
#include "visible.h"

static const char *const screen_names[SCR_COUNT] = {
	"overview", "lvs", "proxy", "vrrp", "events", "checks",
};

const char *screen_name(enum tui_screen s)
{
	return (unsigned)s < SCR_COUNT ? screen_names[s] : "?";
}

int screen_by_name(const char *name)
{
	size_t n = strlen(name);
	int found = -1;

	for (int i = 0; i < SCR_COUNT; i++) {
		if (strcmp(screen_names[i], name) == 0)
			return i;
		if (n > 0 && strncmp(screen_names[i], name, n) == 0)
			found = found == -1 ? i : -2;
	}
	return found < 0 ? -1 : found;
}

enum vstate vstate_of(const char *l)
{
	if (!l || !*l)
		return VST_NONE;
	/* A check moving ("UP 1/3", "DOWN 1/2") is on its way: yellow. */
	if (strchr(l, '/'))
		return VST_DRAIN;
	if (!strcasecmp(l, "UP") || !strcasecmp(l, "MASTER") || !strcasecmp(l, "OPEN") ||
	    !strcasecmp(l, "running") || !strcasecmp(l, "L4OK") || !strcasecmp(l, "L7OK"))
		return VST_UP;
	if (!strcasecmp(l, "DRAIN") || !strcasecmp(l, "draining") || !strcasecmp(l, "NOLB") ||
	    !strcasecmp(l, "sorry-server") || !strcasecmp(l, "no-quorum"))
		return VST_DRAIN;
	if (!strcasecmp(l, "MAINT") || !strcasecmp(l, "disabled") || !strcasecmp(l, "paused") ||
	    !strcasecmp(l, "INIT") || !strcasecmp(l, "stopped"))
		return VST_MAINT;
	if (!strcasecmp(l, "BACKUP"))
		return VST_BACKUP;
	if (!strcasecmp(l, "DOWN") || !strcasecmp(l, "FAULT") || !strcasecmp(l, "unavailable") ||
	    !strcasecmp(l, "failed"))
		return VST_DOWN;
	return VST_NONE;
}

/* ------------------------------------------------------------------ */
/* JSON access: absent or mistyped fields read as "" or 0, so a daemon of
 * another version shows what it has. */

static struct json_object *jget(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, k, &v))
		return NULL;
	return v;
}

static const char *jstr(struct json_object *o, const char *k)
{
	struct json_object *v = jget(o, k);

	return v && !json_object_is_type(v, json_type_null) ? json_object_get_string(v) : "";
}

static long long jint(struct json_object *o, const char *k)
{
	struct json_object *v = jget(o, k);

	return v ? (long long)json_object_get_int64(v) : 0;
}

static bool jbool(struct json_object *o, const char *k)
{
	struct json_object *v = jget(o, k);

	return v && json_object_get_boolean(v);
}

static size_t jlen(struct json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static struct json_object *jat(struct json_object *a, size_t i)
{
	return json_object_array_get_idx(a, i);
}

static char *vis(const char *s)
{
	struct strbuf b = STRBUF_INIT;

	visible_append(&b, s, strlen(s), true);
	if (!b.data)
		return xstrdup("");
	return strbuf_detach(&b);
}

/* ------------------------------------------------------------------ */
/* Numbers. */

static void scaled(char *out, size_t cap, double v)
{
	static const char units[] = " kMGTP";
	int u = 0;

	while (v >= 999.5 && u < 5) {
		v /= 1000.0;
		u++;
	}
	if (u == 0)
		snprintf(out, cap, v < 9.95 && v != (double)(long long)v ? "%.1f" : "%.0f", v);
	else
		snprintf(out, cap, v < 9.95 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

void view_fmt_rate(char *out, size_t cap, double r)
{
	if (r < 0)
		snprintf(out, cap, "-");
	else
		scaled(out, cap, r);
}

void view_fmt_count(char *out, size_t cap, long long v)
{
	if (v < 0)
		snprintf(out, cap, "-");
	else if (v < 100000)
		snprintf(out, cap, "%lld", v);
	else
		scaled(out, cap, (double)v);
}

void view_fmt_dur(char *out, size_t cap, long long ms)
{
	long long s = ms / 1000;

	if (ms < 0)
		snprintf(out, cap, "-");
	else if (s < 60)
		snprintf(out, cap, "%llds", s);
	else if (s < 3600)
		snprintf(out, cap, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, cap, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(out, cap, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

void view_sparkline(struct strbuf *out, const double *vals, size_t n, int width, bool ascii)
{
	static const char *const utf8[] = { "\u2581", "\u2582", "\u2583", "\u2584",
					    "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char asc[] = "_.-:=+*#";
	size_t start = n > (size_t)width ? n - (size_t)width : 0;
	double max = 0;

	for (size_t i = start; i < n; i++)
		if (vals[i] > max)
			max = vals[i];
	for (int k = (int)(n - start); k < width; k++)
		strbuf_putc(out, ' ');
	for (size_t i = start; i < n; i++) {
		int lvl = max > 0 ? (int)(vals[i] / max * 7.0 + 0.5) : 0;

		if (lvl < 0)
			lvl = 0;
		if (lvl > 7)
			lvl = 7;
		if (ascii)
			strbuf_putc(out, asc[lvl]);
		else
			strbuf_puts(out, utf8[lvl]);
	}
}

/* ------------------------------------------------------------------ */
/* Tables and rows. */

void view_init(struct view *v)
{
	memset(v, 0, sizeof(*v));
	strvec_init(&v->header);
}

/* Where the rows of a big table take their values from when they are
 * built (view_row_ready): the table and the rates, held by the view. */
struct vsrc {
	struct ptable *pt;		/* a reference */
	const struct rate_store *rs;	/* the monitor's, which outlives views */
	bool ascii;
	size_t ncols;
	void (*fill)(const struct vsrc *src, struct vrow *r);
	/* The value a row sorts by in column c: a number (true), or text. */
	bool (*key)(const struct vsrc *src, const struct vrow *r, size_t c, double *num,
		    const char **text);
	int c_hrsp[6];
	int lc[16];			/* the LVS table's columns */
	struct json_object *checks;	/* a reference: show checks, for LVS rows */
	int c_proxy, c_server, c_status, c_weight, c_backup, c_cur, c_max, c_total, c_econ,
	    c_eresp, c_retries, c_redisp, c_qcur, c_mode, c_check_status, c_check_reason;
	int c_servers, c_srv_up;	/* the proxy summary's (fetch.h), else -1 */
};

static void vsrc_free(struct vsrc *src)
{
	if (!src)
		return;
	ptable_unref(src->pt);
	json_object_put(src->checks);
	free(src);
}

static void row_free(const struct vtable *tb, struct vrow *r)
{
	if (r->cells)
		for (size_t c = 0; c < tb->ncols; c++)
			free(r->cells[c]);
	free(r->cells);
	free(r->action);
	free(r->what);
	free(r->detail);
	free(r->group);
	free(r->event_key);
	r->cells = NULL;
}

void view_row_ready(const struct vrow *r)
{
	if (r->cells || !r->src)
		return;
	/* The one place a row is written through the lines' pointer: a
	 * view's rows belong to the view, and building one changes nothing
	 * it shows. */
	r->src->fill(r->src, (struct vrow *)r);
}

void view_free(struct view *v)
{
	for (size_t t = 0; t < v->ntables; t++) {
		struct vtable *tb = &v->tables[t];

		for (size_t r = 0; r < tb->nrows; r++)
			row_free(tb, &tb->rows[r]);
		free(tb->rows);
		free(tb->title);
		free(tb->note);
		vsrc_free(tb->src);
	}
	free(v->tables);
	strvec_free(&v->header);
	view_init(v);
}

static struct vtable *add_table(struct view *v, const char *title, const struct layout_col *cols,
				size_t ncols)
{
	struct vtable *tb;

	v->tables = xreallocarray(v->tables, v->ntables + 1, sizeof(*v->tables));
	tb = &v->tables[v->ntables++];
	memset(tb, 0, sizeof(*tb));
	tb->title = xstrdup(title);
	tb->cols = cols;
	tb->ncols = ncols;
	return tb;
}

static void set_note(struct vtable *tb, const char *daemon_text)
{
	free(tb->note);
	tb->note = vis(daemon_text);
}

static struct vrow *add_row(struct vtable *tb, int indent)
{
	struct vrow *r;

	if (tb->nrows == tb->cap) {
		tb->cap = tb->cap ? tb->cap * 2 : 16;
		tb->rows = xreallocarray(tb->rows, tb->cap, sizeof(*tb->rows));
	}
	r = &tb->rows[tb->nrows++];
	memset(r, 0, sizeof(*r));
	r->indent = indent;
	r->state_col = -1;
	r->cells = xcalloc(tb->ncols, sizeof(char *));
	return r;
}

/* A row built later (view_row_ready): no cells yet. */
static struct vrow *add_row_lazy(struct vtable *tb, int indent)
{
	struct vrow *r;

	if (tb->nrows == tb->cap) {
		tb->cap = tb->cap ? tb->cap * 2 : 16;
		tb->rows = xreallocarray(tb->rows, tb->cap, sizeof(*tb->rows));
	}
	r = &tb->rows[tb->nrows++];
	memset(r, 0, sizeof(*r));
	r->indent = indent;
	r->state_col = -1;
	return r;
}

/* Sets cell c to our own text (numbers, labels we wrote). */
static void cellf(struct vtable *tb, struct vrow *r, size_t c, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void cellf(struct vtable *tb, struct vrow *r, size_t c, const char *fmt, ...)
{
	struct strbuf b = STRBUF_INIT;
	va_list ap;

	if (c >= tb->ncols)
		return;
	va_start(ap, fmt);
	strbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(r->cells[c]);
	r->cells[c] = b.data ? strbuf_detach(&b) : xstrdup("");
}

/* Sets cell c to text from the daemon, made visible. */
static void cellv(struct vtable *tb, struct vrow *r, size_t c, const char *daemon_text)
{
	if (c >= tb->ncols)
		return;
	free(r->cells[c]);
	r->cells[c] = vis(daemon_text);
}

static void cell_rate(struct vtable *tb, struct vrow *r, size_t c, const struct rate_store *rs,
		      const char *key)
{
	char b[24];

	view_fmt_rate(b, sizeof(b), rate_store_get(rs, key));
	cellf(tb, r, c, "%s", b);
}

static void cell_count(struct vtable *tb, struct vrow *r, size_t c, long long v)
{
	char b[24];

	view_fmt_count(b, sizeof(b), v);
	cellf(tb, r, c, "%s", b);
}

static void cell_state(struct vtable *tb, struct vrow *r, size_t c, const char *label)
{
	cellv(tb, r, c, label);
	r->state = vstate_of(label);
	r->state_col = (int)c;
}

static void cell_spark(struct vtable *tb, struct vrow *r, size_t c, const struct rate_store *rs,
		       const char *key, int width, bool ascii)
{
	double h[RATE_HISTORY];
	size_t n = rate_store_history(rs, key, h, RATE_HISTORY);
	struct strbuf b = STRBUF_INIT;

	view_sparkline(&b, h, n, width, ascii);
	if (c < tb->ncols) {
		free(r->cells[c]);
		r->cells[c] = b.data ? strbuf_detach(&b) : xstrdup("");
	}
	strbuf_free(&b);
}

/* The filter: "state:WORD" keeps rows whose state cell starts with WORD
 * (case-insensitive), "COLUMN:WORD" those whose cell in that column does
 * (engine:lvs); any other text keeps rows with it in some cell (an
 * address with a port, "192.0.2.1:80", matches no column title, so it is
 * text). A row kept keeps its parent too (handled by the builders). */
static bool row_matches(const struct vtable *tb, const struct vrow *r, const char *filter)
{
	const char *colon;

	if (!filter || !*filter)
		return true;
	view_row_ready(r);
	if (strncasecmp(filter, "state:", 6) == 0) {
		const char *w = filter + 6;

		return r->state_col >= 0 && r->cells[r->state_col] &&
		       strncasecmp(r->cells[r->state_col], w, strlen(w)) == 0;
	}
	/* "COLUMN:text" (engine:lvs, kind:override): that column's cell
	 * starts with text; a table without such a column keeps nothing. */
	colon = strchr(filter, ':');
	if (colon && colon > filter && !strchr(filter, ' ')) {
		size_t n = (size_t)(colon - filter);

		for (size_t c = 0; c < tb->ncols; c++)
			if (strlen(tb->cols[c].title) == n && strncasecmp(tb->cols[c].title, filter, n) == 0)
				return r->cells[c] && strncasecmp(r->cells[c], colon + 1,
								  strlen(colon + 1)) == 0;
	}
	for (size_t c = 0; c < tb->ncols; c++)
		if (r->cells[c] && strcasestr(r->cells[c], filter))
			return true;
	return false;
}

/* Drops the rows after index from that the filter does not keep, and the
 * parent at index from too when none of its children is kept and it is
 * not kept itself. */
static void filter_group(struct vtable *tb, size_t from, const char *filter)
{
	size_t keep = from + 1, kept_children = 0;

	if (!filter || !*filter || from >= tb->nrows)
		return;
	for (size_t i = from + 1; i < tb->nrows; i++) {
		struct vrow *r = &tb->rows[i];

		if (row_matches(tb, r, filter)) {
			tb->rows[keep++] = *r;
			kept_children++;
		} else {
			row_free(tb, r);
		}
	}
	tb->nrows = keep;
	if (kept_children == 0 && !row_matches(tb, &tb->rows[from], filter)) {
		struct vrow *r = &tb->rows[from];

		row_free(tb, r);
		tb->nrows = from;
	}
}

/* ------------------------------------------------------------------ */
/* Keys of counters in the rate store. */

static const char *const lvs_counters[] = { "conns", "inpkts", "outpkts", "inbytes", "outbytes" };
static const char *const px_counters[] = { "total", "bytes_in", "bytes_out", "errors" };

static void px_key(struct strbuf *k, const struct ptable *t, size_t row, int c_proxy, int c_server,
		   const char *counter);

/* "ENGINE|OBJECT|COUNTER" or "ENGINE|OBJECT|SERVER|COUNTER": a rate's
 * key ("lvs|TCP 192.0.2.10:80|192.0.2.11:80|conns", "px|web|s1|total"). */
static void rate_key(struct strbuf *k, const char *engine, const struct ptable *t, size_t row,
		     int c_obj, int c_server, const char *counter)
{
	const char *sv = ptable_str(t, row, c_server);

	strbuf_reset(k);
	strbuf_puts(k, engine);
	strbuf_putc(k, '|');
	strbuf_puts(k, ptable_str(t, row, c_obj));
	if (*sv) {
		strbuf_putc(k, '|');
		strbuf_puts(k, sv);
	}
	strbuf_putc(k, '|');
	strbuf_puts(k, counter);
}

static void lvs_key(struct strbuf *k, const struct ptable *t, size_t row, int c_svc, int c_server,
		    const char *counter)
{
	rate_key(k, "lvs", t, row, c_svc, c_server, counter);
}

void view_feed_rates(struct rate_store *rs, const struct snapshot *s)
{
	struct strbuf k = STRBUF_INIT;
	if (s->lt) {
		const struct ptable *t = s->lt;
		int c_svc = ptable_col(t, "service"), c_server = ptable_col(t, "server");
		int cc[5];

		for (size_t c = 0; c < 5; c++)
			cc[c] = ptable_col(t, lvs_counters[c]);
		for (size_t i = 0; i < t->nrows; i++)
			for (size_t c = 0; c < 5; c++) {
				lvs_key(&k, t, i, c_svc, c_server, lvs_counters[c]);
				rate_store_update(rs, strbuf_str(&k), (uint64_t)ptable_num(t, i, cc[c]),
						  s->t_ms);
			}
	}
	/* The proxies: every server's when the screen has them, else the
	 * summary's proxies (the same keys, so a proxy's rate goes on). */
	if (s->pt || s->ps) {
		const struct ptable *t = s->pt ? s->pt : s->ps;
		int c_proxy = ptable_col(t, "proxy"), c_server = ptable_col(t, "server");
		int cc[4] = { ptable_col(t, "total"), ptable_col(t, "bytes_in"),
			      ptable_col(t, "bytes_out"), -1 };
		int ce[5] = { ptable_col(t, "econ"), ptable_col(t, "eresp"), ptable_col(t, "http_502"),
			      ptable_col(t, "http_503"), ptable_col(t, "http_504") };

		for (size_t i = 0; i < t->nrows; i++) {
			for (size_t c = 0; c < 4; c++) {
				long long v = 0;

				if (c < 3)
					v = ptable_num(t, i, cc[c]);
				else
					for (size_t e = 0; e < 5; e++)
						v += ptable_num(t, i, ce[e]);
				px_key(&k, t, i, c_proxy, c_server, px_counters[c]);
				rate_store_update(rs, strbuf_str(&k), (uint64_t)v, s->t_ms);
			}
		}
	}
	rate_store_sweep(rs);
	strbuf_free(&k);
}

/* ------------------------------------------------------------------ */
/* The tables. */

static const struct layout_col vrrp_cols[] = {
	{ "INSTANCE", 10, 0, false }, { "STATE", 7, 0, false }, { "FOR", 7, 3, true },
	{ "PRIO", 7, 2, true }, { "VRID", 4, 4, true }, { "IF", 8, 5, false },
	{ "MASTER", 15, 3, false }, { "VIPS", 18, 6, false },
};

static struct json_object *vrrp_detail_of(const struct snapshot *s, const char *name)
{
	for (size_t i = 0; i < jlen(s->vrrp_detail); i++)
		if (strcmp(jstr(jat(s->vrrp_detail, i), "name"), name) == 0)
			return jat(s->vrrp_detail, i);
	return NULL;
}

static void table_vrrp(struct view *v, const struct snapshot *s, const struct view_opts *o)
{
	struct vtable *tb = add_table(v, "VRRP", vrrp_cols, 8);
	struct json_object *list = s->vrrp.obj;

	if (!list) {
		set_note(tb, s->vrrp.err.len ? strbuf_str(&s->vrrp.err) : "no data");
		return;
	}
	if (jlen(list) == 0)
		set_note(tb, "no VRRP instance configured");
	for (size_t i = 0; i < jlen(list); i++) {
		struct json_object *in = jat(list, i);
		struct json_object *d = vrrp_detail_of(s, jstr(in, "name"));
		struct vrow *r = add_row(tb, 0);
		size_t first = tb->nrows - 1;
		char dur[24];

		cellv(tb, r, 0, jstr(in, "name"));
		cell_state(tb, r, 1, jstr(in, "state"));
		if (d) {
			view_fmt_dur(dur, sizeof(dur), jint(d, "state_for_ms"));
			cellf(tb, r, 2, "%s", dur);
		} else {
			cellf(tb, r, 2, "-");
		}
		cellf(tb, r, 3, "%lld/%lld", jint(in, "priority"), jint(in, "base_priority"));
		cellf(tb, r, 4, "%lld", jint(in, "vrid"));
		cellv(tb, r, 5, jstr(in, "interface"));
		cellv(tb, r, 6, jstr(in, "master"));
		cellv(tb, r, 7, jstr(in, "vips"));
		{
			struct strbuf a = STRBUF_INIT, w = STRBUF_INIT;

			strbuf_printf(&a, "vrrp %s", jstr(in, "name"));
			r->action = strbuf_detach(&a);
			strbuf_printf(&a, "show vrrp %s", jstr(in, "name"));
			r->detail = strbuf_detach(&a);
			strbuf_puts(&w, "VRRP instance ");
			visible_puts(&w, jstr(in, "name"));
			strbuf_puts(&w, " (");
			visible_puts(&w, jstr(in, "state"));
			strbuf_puts(&w, ")");
			r->what = strbuf_detach(&w);
			r->kind = VK_VRRP;
			r->group = vis(jstr(in, "name"));
			strbuf_printf(&a, "vrrp %s", jstr(in, "name"));
			r->event_key = strbuf_detach(&a);
		}
		filter_group(tb, first, o->filter);
	}
}

/* The VRRP screen's second table: each instance's details, one row per
 * fact (timers, counters, tracked objects, transitions). */
static const struct layout_col kv_cols[] = {
	{ "WHAT", 24, 0, false }, { "VALUE", 50, 1, false },
};

static void kv(struct vtable *tb, int indent, const char *k, const char *daemon_v)
{
	struct vrow *r = add_row(tb, indent);

	cellf(tb, r, 0, "%s", k);
	cellv(tb, r, 1, daemon_v);
}

static void table_vrrp_detail(struct view *v, const struct snapshot *s)
{
	for (size_t i = 0; i < jlen(s->vrrp_detail); i++) {
		struct json_object *d = jat(s->vrrp_detail, i), *st = jget(d, "stats");
		struct json_object *tr = jget(d, "transitions"), *ts = jget(d, "track_scripts");
		struct json_object *ti = jget(d, "tracked_interfaces"), *pr = jget(d, "priority");
		struct strbuf t = STRBUF_INIT, b = STRBUF_INIT;
		struct vtable *tb;
		struct vrow *r;

		strbuf_puts(&t, "VRRP ");
		visible_puts(&t, jstr(d, "name"));
		tb = add_table(v, strbuf_str(&t), kv_cols, 2);
		strbuf_free(&t);
		r = add_row(tb, 0);
		cellf(tb, r, 0, "state");
		cell_state(tb, r, 1, jstr(d, "state"));
		strbuf_printf(&b, "effective %lld, configured %lld, override %lld, tracking %+lld",
			      jint(pr, "effective"), jint(pr, "configured"), jint(pr, "override"),
			      jint(pr, "track_delta"));
		kv(tb, 0, "priority", strbuf_str(&b));
		strbuf_reset(&b);
		strbuf_printf(&b, "%s (priority %lld)", jstr(d, "master"), jint(d, "master_priority"));
		kv(tb, 0, "master", strbuf_str(&b));
		strbuf_reset(&b);
		strbuf_printf(&b, "%lld ms (v%lld, %s)", jint(d, "advert_int_ms"), jint(d, "version"),
			      jstr(d, "interface"));
		kv(tb, 0, "advert interval", strbuf_str(&b));
		strbuf_reset(&b);
		strbuf_printf(&b, "sent %lld, received %lld, became master %lld",
			      jint(st, "advertiseSent"), jint(st, "advertiseRcvd"),
			      jint(st, "becomeMaster"));
		kv(tb, 0, "adverts", strbuf_str(&b));
		strbuf_reset(&b);
		/* Every counter of a drop reason that is not zero. */
		if (st && json_object_is_type(st, json_type_object)) {
			json_object_object_foreach(st, key, val) {
				if (strstr(key, "Errors") || strstr(key, "Auth") || strstr(key, "auth") ||
				    strstr(key, "invalid")) {
					if (json_object_get_int64(val) != 0)
						strbuf_printf(&b, "%s%s %lld", b.len ? ", " : "", key,
							      (long long)json_object_get_int64(val));
				}
			}
		}
		kv(tb, 0, "drops", b.len ? strbuf_str(&b) : "none");
		strbuf_reset(&b);
		if (jget(d, "sync_group") && !json_object_is_type(jget(d, "sync_group"), json_type_null))
			kv(tb, 0, "sync group", jstr(d, "sync_group"));
		for (size_t j = 0; j < jlen(ti); j++) {
			strbuf_reset(&b);
			strbuf_printf(&b, "%s", json_object_to_json_string_ext(jat(ti, j),
						JSON_C_TO_STRING_PLAIN));
			kv(tb, 2, "tracked interface", strbuf_str(&b));
		}
		for (size_t j = 0; j < jlen(ts); j++) {
			strbuf_reset(&b);
			strbuf_printf(&b, "%s", json_object_to_json_string_ext(jat(ts, j),
						JSON_C_TO_STRING_PLAIN));
			kv(tb, 2, "track script", strbuf_str(&b));
		}
		for (size_t j = jlen(tr); j-- > 0;) {
			struct json_object *x = jat(tr, j);

			strbuf_reset(&b);
			strbuf_printf(&b, "%s -> %s: %s", jstr(x, "from"), jstr(x, "to"),
				      jstr(x, "reason"));
			kv(tb, 2, jstr(x, "time"), strbuf_str(&b));
		}
		strbuf_free(&b);
	}
}

static const struct layout_col lvs_cols[] = {
	{ "SERVICE / REAL SERVER", 22, 0, false }, { "STATE", 9, 0, false },
	{ "SCHED/FWD", 9, 5, false }, { "WEIGHT", 9, 2, true }, { "ACTIVE", 7, 1, true },
	{ "INACT", 7, 3, true }, { "CONN/S", 7, 1, true }, { "PKT/S IN", 8, 6, true },
	{ "PKT/S OUT", 9, 7, true }, { "B/S IN", 7, 4, true }, { "B/S OUT", 7, 4, true },
	{ "CONN/S 60s", 12, 8, false }, { "CHECK", 24, 9, false },
};
#define LVS_NCOLS (sizeof(lvs_cols) / sizeof(lvs_cols[0]))

static int text_width_capped(const char *s, int indent)
{
	/* The widest first cell decides the first column; a name is shown
	 * made visible, so its width is at least its length in bytes of
	 * plain text. Measured on the visible form only when not plain. */
	int w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f) {
			char *v = vis(s);

			w = layout_text_width(v);
			free(v);
			return w + indent;
		}
		w++;
	}
	return w + indent;
}

/* The check of an LVS real server: its target starts "VS/RS/". */
static struct json_object *check_of(struct json_object *checks, const char *prefix)
{
	size_t n = strlen(prefix);

	for (size_t i = 0; i < jlen(checks); i++) {
		struct json_object *c = jat(checks, i);

		if (strncmp(jstr(c, "target"), prefix, n) == 0)
			return c;
	}
	return NULL;
}

/* LVS columns of show table lvs, as vsrc.lc indexes them. */
enum { LC_SERVICE, LC_FAMILY, LC_PROTOCOL, LC_ADDRESS, LC_PORT, LC_FWMARK, LC_SCHED, LC_MANAGED,
       LC_SERVER, LC_FORWARD, LC_WEIGHT, LC_CFG_WEIGHT, LC_STATE, LC_ACTIVE, LC_INACTIVE,
       LC_COUNT };
static const char *const lc_names[LC_COUNT] = {
	"service", "family", "protocol", "address", "port", "fwmark", "scheduler", "managed",
	"server", "forward", "weight", "config_weight", "state", "active_conns", "inactive_conns",
};

#define LS(i, c) ptable_str(t, i, src->lc[c])
#define LN(i, c) ptable_num(t, i, src->lc[c])

/* "real-server RS of VS tcp" or "real-server RS of fwmark N": the words
 * the shell uses for a real server's overrides. */
static void rs_action(struct strbuf *out, const struct vsrc *src, size_t i)
{
	const struct ptable *t = src->pt;
	const char *rs = LS(i, LC_SERVER);

	if (*LS(i, LC_FWMARK)) {
		strbuf_printf(out, "real-server %s of fwmark %s", rs, LS(i, LC_FWMARK));
		return;
	}
	strbuf_printf(out, "real-server %s of ", rs);
	if (strcmp(LS(i, LC_FAMILY), "inet6") == 0)
		strbuf_printf(out, "[%s]:%s", LS(i, LC_ADDRESS), LS(i, LC_PORT));
	else
		strbuf_printf(out, "%s:%s", LS(i, LC_ADDRESS), LS(i, LC_PORT));
	strbuf_putc(out, ' ');
	for (const char *p = LS(i, LC_PROTOCOL); *p; p++)
		strbuf_putc(out, (char)tolower((unsigned char)*p));
}

/* The state shown: softlbd's for a real server it manages, else the
 * kernel's weight says. */
static const char *lvs_state(const struct vsrc *src, size_t i)
{
	const struct ptable *t = src->pt;

	if (!*LS(i, LC_SERVER))
		return LN(i, LC_MANAGED) ? "UP" : "unmanaged";
	if (*LS(i, LC_STATE))
		return LS(i, LC_STATE);
	return LN(i, LC_WEIGHT) > 0 ? "up" : "weight 0";
}

static void lvs_fill(const struct vsrc *src, struct vrow *r)
{
	const struct ptable *t = src->pt;
	size_t i = r->src_row;
	bool server = *LS(i, LC_SERVER) != '\0';
	struct strbuf k = STRBUF_INIT;
	struct vtable tb = { .ncols = LVS_NCOLS };
	enum vstate st = r->state;
	static const size_t col[] = { 6, 7, 8, 9, 10 };

	r->cells = xcalloc(LVS_NCOLS, sizeof(char *));
	cellv(&tb, r, 0, server ? LS(i, LC_SERVER) : LS(i, LC_SERVICE));
	cell_state(&tb, r, 1, lvs_state(src, i));
	r->state = st;
	cellv(&tb, r, 2, server ? LS(i, LC_FORWARD) : LS(i, LC_SCHED));
	if (server) {
		if (*LS(i, LC_CFG_WEIGHT))
			cellf(&tb, r, 3, "%lld/%lld", LN(i, LC_CFG_WEIGHT), LN(i, LC_WEIGHT));
		else
			cellf(&tb, r, 3, "%lld", LN(i, LC_WEIGHT));
	}
	cell_count(&tb, r, 4, LN(i, LC_ACTIVE));
	cell_count(&tb, r, 5, LN(i, LC_INACTIVE));
	for (size_t c = 0; c < 5; c++) {
		lvs_key(&k, t, i, src->lc[LC_SERVICE], src->lc[LC_SERVER], lvs_counters[c]);
		cell_rate(&tb, r, col[c], src->rs, strbuf_str(&k));
		if (c == 0)
			cell_spark(&tb, r, 11, src->rs, strbuf_str(&k), lvs_cols[11].width, src->ascii);
	}
	if (server && !*LS(i, LC_FWMARK)) {
		struct json_object *chk;

		/* The check: "ADDR:PORT/RS/" targets. */
		strbuf_reset(&k);
		strbuf_printf(&k, "%s:%s/%s/", LS(i, LC_ADDRESS), LS(i, LC_PORT), LS(i, LC_SERVER));
		chk = check_of(src->checks, strbuf_str(&k));
		if (chk) {
			struct strbuf dc = STRBUF_INIT;

			strbuf_printf(&dc, "show check %s", jstr(chk, "target"));
			r->detail = strbuf_detach(&dc);
			strbuf_reset(&k);
			strbuf_printf(&k, "%s %s", jstr(chk, "code"), jstr(chk, "reason"));
			cellv(&tb, r, 12, strbuf_str(&k));
		}
	}
	if (server && LN(i, LC_MANAGED)) {
		struct strbuf act = STRBUF_INIT, what = STRBUF_INIT;

		rs_action(&act, src, i);
		r->action = strbuf_detach(&act);
		strbuf_puts(&what, "1 real server ");
		visible_puts(&what, LS(i, LC_SERVER));
		strbuf_puts(&what, " in ");
		visible_puts(&what, LS(i, LC_SERVICE));
		strbuf_printf(&what, ", %lld connections", LN(i, LC_ACTIVE));
		r->what = strbuf_detach(&what);
		r->group = vis(LS(i, LC_SERVICE));
		strbuf_printf(&act, "rs %s %s", LS(i, LC_SERVICE), LS(i, LC_SERVER));
		r->event_key = strbuf_detach(&act);
	}
	strbuf_free(&k);
}

static bool lvs_sortkey(const struct vsrc *src, const struct vrow *r, size_t c, double *num,
			const char **text)
{
	const struct ptable *t = src->pt;
	size_t i = r->src_row;
	bool server = *LS(i, LC_SERVER) != '\0';

	*text = "";
	switch (c) {
	case 0:
		*text = server ? LS(i, LC_SERVER) : LS(i, LC_SERVICE);
		return false;
	case 1:
		*text = lvs_state(src, i);
		return false;
	case 2:
		*text = server ? LS(i, LC_FORWARD) : LS(i, LC_SCHED);
		return false;
	case 3:
		*num = !server ? -1 : *LS(i, LC_CFG_WEIGHT) ? (double)LN(i, LC_CFG_WEIGHT)
							   : (double)LN(i, LC_WEIGHT);
		return true;
	case 4: *num = (double)LN(i, LC_ACTIVE); return true;
	case 5: *num = (double)LN(i, LC_INACTIVE); return true;
	case 6: case 7: case 8: case 9: case 10: case 11: {
		struct strbuf k = STRBUF_INIT;

		lvs_key(&k, t, i, src->lc[LC_SERVICE], src->lc[LC_SERVER],
			lvs_counters[c == 11 ? 0 : c - 6]);
		*num = rate_store_get(src->rs, strbuf_str(&k));
		strbuf_free(&k);
		return true;
	}
	default:
		/* The check's text needs the row built. */
		view_row_ready(r);
		*text = r->cells[c] ? r->cells[c] : "";
		return false;
	}
}

static void lvs_setup(struct vsrc *src, const struct snapshot *s)
{
	src->checks = json_object_get(s->checks.obj);
	for (size_t c = 0; c < LC_COUNT; c++)
		src->lc[c] = ptable_col(src->pt, lc_names[c]);
}

static bool lvs_child(const struct vsrc *src, size_t i)
{
	const struct ptable *t = src->pt;

	return *LS(i, LC_SERVER) != '\0';
}

static const char *lvs_row(const struct vsrc *src, size_t i, bool server, struct vrow *r)
{
	const struct ptable *t = src->pt;

	r->state = vstate_of(lvs_state(src, i));
	if (!server && !LN(i, LC_MANAGED))
		r->state = VST_NONE;
	if (server && LN(i, LC_MANAGED)) {
		r->kind = VK_REAL_SERVER;
		r->load = LN(i, LC_ACTIVE);
	}
	return server ? LS(i, LC_SERVER) : LS(i, LC_SERVICE);
}

#undef LS
#undef LN

static const struct layout_col px_cols[] = {
	{ "PROXY / SERVER", 16, 0, false }, { "STATUS", 9, 0, false }, { "WEIGHT", 6, 3, true },
	{ "CUR", 6, 1, true }, { "MAX", 6, 5, true }, { "SESS/S", 7, 1, true },
	{ "B/S IN", 7, 2, true }, { "B/S OUT", 7, 2, true }, { "ERR/S", 6, 4, true },
	{ "TOTAL", 8, 6, true }, { "ECON", 6, 7, true }, { "ERESP", 6, 7, true },
	{ "RETR", 5, 8, true }, { "REDIS", 5, 9, true }, { "QUEUE", 5, 7, true },
	{ "SESS/S 60s", 12, 8, false }, { "CHECK", 26, 6, false },
	/* HTTP responses by class, totals (mode http; 0 in mode tcp). */
	{ "1XX", 5, 10, true }, { "2XX", 6, 8, true }, { "3XX", 5, 10, true },
	{ "4XX", 5, 9, true }, { "5XX", 5, 8, true }, { "OTHER", 5, 10, true },
};
#define PX_NCOLS (sizeof(px_cols) / sizeof(px_cols[0]))

static const char *const hrsp_names[] = { "hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx",
					   "hrsp_5xx", "hrsp_other" };

/* The proxy table's rows are built when needed: at 10,000 servers a
 * refresh lays out only the rows on screen (and all of them only for a
 * filter, which matches shown text). */
static void px_src_cols(struct vsrc *src)
{
	const struct ptable *t = src->pt;

	src->c_proxy = ptable_col(t, "proxy");
	src->c_server = ptable_col(t, "server");
	src->c_status = ptable_col(t, "status");
	src->c_weight = ptable_col(t, "weight");
	src->c_backup = ptable_col(t, "backup");
	src->c_cur = ptable_col(t, "cur");
	src->c_max = ptable_col(t, "max");
	src->c_total = ptable_col(t, "total");
	src->c_econ = ptable_col(t, "econ");
	src->c_eresp = ptable_col(t, "eresp");
	src->c_retries = ptable_col(t, "retries");
	src->c_redisp = ptable_col(t, "redispatches");
	src->c_qcur = ptable_col(t, "queue_cur");
	src->c_mode = ptable_col(t, "mode");
	src->c_check_status = ptable_col(t, "check_status");
	src->c_check_reason = ptable_col(t, "check_reason");
	src->c_servers = ptable_col(t, "servers");
	src->c_srv_up = ptable_col(t, "srv_up");
	for (size_t k = 0; k < 6; k++)
		src->c_hrsp[k] = ptable_col(t, hrsp_names[k]);
}

static void px_key(struct strbuf *k, const struct ptable *t, size_t row, int c_proxy, int c_server,
		   const char *counter)
{
	rate_key(k, "px", t, row, c_proxy, c_server, counter);
}

/* A proxy row's "up/n": its servers (the rows after it) that are UP. */
static void px_up(const struct vsrc *src, size_t row, size_t *up, size_t *n)
{
	const struct ptable *t = src->pt;

	*up = *n = 0;
	if (src->c_servers >= 0) {	/* the summary: counted by softlbd */
		*n = (size_t)ptable_num(t, row, src->c_servers);
		*up = (size_t)ptable_num(t, row, src->c_srv_up);
		return;
	}
	for (size_t j = row + 1; j < t->nrows && *ptable_str(t, j, src->c_server); j++) {
		(*n)++;
		if (strncmp(ptable_str(t, j, src->c_status), "UP", 2) == 0)
			(*up)++;
	}
}

static void px_fill(const struct vsrc *src, struct vrow *r)
{
	const struct ptable *t = src->pt;
	size_t i = r->src_row;
	const char *pname = ptable_str(t, i, src->c_proxy);
	const char *sname = ptable_str(t, i, src->c_server);
	static const size_t rcol[] = { 5, 6, 7, 8 };
	struct strbuf k = STRBUF_INIT;
	struct vtable tb = { .ncols = PX_NCOLS };
	enum vstate st = r->state;

	r->cells = xcalloc(PX_NCOLS, sizeof(char *));
	cellv(&tb, r, 0, *sname ? sname : pname);
	cell_state(&tb, r, 1, ptable_str(t, i, src->c_status));
	r->state = st;	/* the builder's, backup servers dim */
	if (!*sname) {
		size_t up, n;

		px_up(src, i, &up, &n);
		if (n > 0)
			cellf(&tb, r, 2, "%zu/%zu", up, n);
	} else {
		cellf(&tb, r, 2, "%lld%s", ptable_num(t, i, src->c_weight),
		      ptable_num(t, i, src->c_backup) ? "b" : "");
	}
	cell_count(&tb, r, 3, ptable_num(t, i, src->c_cur));
	cell_count(&tb, r, 4, ptable_num(t, i, src->c_max));
	for (size_t c = 0; c < 4; c++) {
		px_key(&k, t, i, src->c_proxy, src->c_server, px_counters[c]);
		cell_rate(&tb, r, rcol[c], src->rs, strbuf_str(&k));
		if (c == 0)
			cell_spark(&tb, r, 15, src->rs, strbuf_str(&k), px_cols[15].width, src->ascii);
	}
	cell_count(&tb, r, 9, ptable_num(t, i, src->c_total));
	cell_count(&tb, r, 10, ptable_num(t, i, src->c_econ));
	cell_count(&tb, r, 11, ptable_num(t, i, src->c_eresp));
	cell_count(&tb, r, 12, ptable_num(t, i, src->c_retries));
	cell_count(&tb, r, 13, ptable_num(t, i, src->c_redisp));
	cell_count(&tb, r, 14, ptable_num(t, i, src->c_qcur));
	for (size_t h = 0; h < 6; h++)
		if (src->c_hrsp[h] >= 0)	/* an older daemon has none */
			cell_count(&tb, r, 17 + h, ptable_num(t, i, src->c_hrsp[h]));
	if (!*sname) {
		cellv(&tb, r, 16, ptable_str(t, i, src->c_mode));
	} else {
		struct strbuf act = STRBUF_INIT, what = STRBUF_INIT;
		const char *cs = ptable_str(t, i, src->c_check_status);

		strbuf_reset(&k);
		strbuf_printf(&k, "%s %s", cs, ptable_str(t, i, src->c_check_reason));
		cellv(&tb, r, 16, strbuf_str(&k));
		strbuf_printf(&act, "server %s %s", pname, sname);
		r->action = strbuf_detach(&act);
		if (*cs) {
			strbuf_printf(&act, "show check %s/%s", pname, sname);
			r->detail = strbuf_detach(&act);
		}
		strbuf_puts(&what, "1 server (");
		visible_puts(&what, sname);
		strbuf_puts(&what, ") in 1 backend (");
		visible_puts(&what, pname);
		strbuf_printf(&what, "), %lld sessions", ptable_num(t, i, src->c_cur));
		r->what = strbuf_detach(&what);
		r->group = vis(pname);
		strbuf_printf(&act, "server %s/%s", pname, sname);
		r->event_key = strbuf_detach(&act);
	}
	strbuf_free(&k);
}

static bool px_sortkey(const struct vsrc *src, const struct vrow *r, size_t c, double *num,
		       const char **text)
{
	const struct ptable *t = src->pt;
	size_t i = r->src_row;
	bool server = *ptable_str(t, i, src->c_server) != '\0';
	static const char *const rate_of[] = { [5] = "total", [6] = "bytes_in", [7] = "bytes_out",
					       [8] = "errors", [15] = "total" };

	*text = "";
	switch (c) {
	case 0:
		*text = server ? ptable_str(t, i, src->c_server) : ptable_str(t, i, src->c_proxy);
		return false;
	case 1:
		*text = ptable_str(t, i, src->c_status);
		return false;
	case 2:
		if (server) {
			*num = (double)ptable_num(t, i, src->c_weight);
		} else {
			size_t up, n;

			px_up(src, i, &up, &n);
			*num = n ? (double)up : -1;
		}
		return true;
	case 3: *num = (double)ptable_num(t, i, src->c_cur); return true;
	case 4: *num = (double)ptable_num(t, i, src->c_max); return true;
	case 9: *num = (double)ptable_num(t, i, src->c_total); return true;
	case 10: *num = (double)ptable_num(t, i, src->c_econ); return true;
	case 11: *num = (double)ptable_num(t, i, src->c_eresp); return true;
	case 12: *num = (double)ptable_num(t, i, src->c_retries); return true;
	case 13: *num = (double)ptable_num(t, i, src->c_redisp); return true;
	case 14: *num = (double)ptable_num(t, i, src->c_qcur); return true;
	case 17: case 18: case 19: case 20: case 21: case 22:
		*num = (double)ptable_num(t, i, src->c_hrsp[c - 17]);
		return true;
	case 5: case 6: case 7: case 8: case 15: {
		struct strbuf k = STRBUF_INIT;

		px_key(&k, t, i, src->c_proxy, src->c_server, rate_of[c]);
		/* As shown: an unknown rate ("-") below every number. */
		*num = rate_store_get(src->rs, strbuf_str(&k));
		strbuf_free(&k);
		return true;
	}
	default:
		*text = ptable_str(t, i, src->c_check_status);
		if (!server)
			*text = ptable_str(t, i, src->c_mode);
		return false;
	}
}

static void px_setup(struct vsrc *src, const struct snapshot *s)
{
	(void)s;
	px_src_cols(src);
}

static bool px_child(const struct vsrc *src, size_t i)
{
	return *ptable_str(src->pt, i, src->c_server) != '\0';
}

static const char *px_row(const struct vsrc *src, size_t i, bool server, struct vrow *r)
{
	const struct ptable *t = src->pt;

	r->state = vstate_of(ptable_str(t, i, src->c_status));
	if (server) {
		if (ptable_num(t, i, src->c_backup) && r->state == VST_UP)
			r->state = VST_BACKUP;
		r->kind = VK_SERVER;
		r->load = ptable_num(t, i, src->c_cur);
	}
	return ptable_str(t, i, server ? src->c_server : src->c_proxy);
}

/* The two big tables, LVS and proxies, are built alike from a terse
 * table of softlbd: a row per service or proxy, its servers under it.
 * What differs is this description; big_table() does the rest. */
struct big_desc {
	const char *title;
	const struct layout_col *cols;
	size_t ncols;
	const char *empty;		/* the note of a table without rows */
	void (*fill)(const struct vsrc *src, struct vrow *r);
	bool (*key)(const struct vsrc *src, const struct vrow *r, size_t c, double *num,
		    const char **text);
	void (*setup)(struct vsrc *src, const struct snapshot *s);	/* column indices */
	bool (*child)(const struct vsrc *src, size_t i);	/* a server's row */
	/* Sets row i's state, kind and load; returns the name it shows. */
	const char *(*row)(const struct vsrc *src, size_t i, bool child, struct vrow *r);
};

static const struct big_desc lvs_desc = {
	"LVS", lvs_cols, LVS_NCOLS, "no virtual service in IPVS", lvs_fill, lvs_sortkey,
	lvs_setup, lvs_child, lvs_row,
};

static const struct big_desc px_desc = {
	"Proxies", px_cols, PX_NCOLS, "no proxy configured", px_fill, px_sortkey,
	px_setup, px_child, px_row,
};

/* Builds the table of d from t (or a note: why, when t is NULL). Rows
 * are made lazily: only their state and name now, their cells when
 * shown. */
static void big_table(struct view *v, const struct big_desc *d, struct ptable *t,
		      const struct fetch_reply *why, const struct snapshot *s,
		      const struct rate_store *rs, const struct view_opts *o)
{
	struct vtable *tb = add_table(v, d->title, d->cols, d->ncols);
	struct vsrc *src;
	size_t first = 0;

	if (!t) {
		set_note(tb, why->err.len ? strbuf_str(&why->err) : "no data");
		return;
	}
	if (t->nrows == 0)
		set_note(tb, d->empty);
	src = xcalloc(1, sizeof(*src));
	src->pt = ptable_ref(t);
	src->rs = rs;
	src->ascii = o->ascii;
	src->ncols = d->ncols;
	src->fill = d->fill;
	src->key = d->key;
	d->setup(src, s);
	tb->src = src;
	tb->want0 = layout_text_width(d->cols[0].title);
	for (size_t i = 0; i < t->nrows; i++) {
		bool child = d->child(src, i);
		struct vrow *r;
		int w;

		if (!child) {
			filter_group(tb, first, o->filter);
			first = tb->nrows;
		}
		r = add_row_lazy(tb, child ? 2 : 0);
		r->src = src;
		r->src_row = i;
		r->state_col = 1;
		w = text_width_capped(d->row(src, i, child, r), child ? 2 : 0);
		if (w > tb->want0)
			tb->want0 = w;
	}
	filter_group(tb, first, o->filter);
}

static void table_lvs(struct view *v, const struct snapshot *s, const struct rate_store *rs,
		      const struct view_opts *o)
{
	big_table(v, &lvs_desc, s->lt, &s->lvs, s, rs, o);
}

static void table_proxy(struct view *v, const struct snapshot *s, const struct rate_store *rs,
			const struct view_opts *o)
{
	/* The overview at many servers: the proxies alone (fetch.h). */
	big_table(v, &px_desc, s->pt ? s->pt : s->ps, &s->proxy, s, rs, o);
}

static const struct layout_col chk_cols[] = {
	{ "CHECK", 24, 0, false }, { "STATE", 9, 0, false }, { "CODE", 6, 1, false },
	{ "KIND", 9, 4, false }, { "LAT", 6, 3, true }, { "SINCE", 7, 2, true },
	{ "REASON", 30, 1, false },
};

static void table_checks(struct view *v, const struct snapshot *s, bool failing_only,
			 const struct view_opts *o)
{
	struct vtable *tb = add_table(v, failing_only ? "Failing checks" : "Checks", chk_cols, 7);
	size_t shown = 0;

	if (!s->checks.obj) {
		set_note(tb, s->checks.err.len ? strbuf_str(&s->checks.err) : "no data");
		return;
	}
	for (size_t i = 0; i < jlen(s->checks.obj); i++) {
		struct json_object *c = jat(s->checks.obj, i);
		const char *label = jbool(c, "paused") ? "paused" : jstr(c, "progress");
		struct vrow *r;
		char dur[24];

		if (failing_only && strcmp(jstr(c, "state"), "DOWN") != 0)
			continue;
		r = add_row(tb, 0);
		cellv(tb, r, 0, jstr(c, "target"));
		cell_state(tb, r, 1, label);
		{
			struct strbuf dc = STRBUF_INIT;

			strbuf_printf(&dc, "show check %s", jstr(c, "target"));
			r->detail = strbuf_detach(&dc);
		}
		cellv(tb, r, 2, jstr(c, "code"));
		cellv(tb, r, 3, jstr(c, "kind"));
		cellf(tb, r, 4, "%lldms", jint(c, "latency_ms"));
		view_fmt_dur(dur, sizeof(dur), jint(c, "since_s") * 1000);
		cellf(tb, r, 5, "%s", dur);
		cellv(tb, r, 6, jstr(c, "reason"));
		if (!row_matches(tb, r, o->filter)) {
			for (size_t x = 0; x < tb->ncols; x++)
				free(r->cells[x]);
			free(r->cells);
			free(r->detail);
			tb->nrows--;
			continue;
		}
		shown++;
	}
	if (shown == 0)
		set_note(tb, failing_only ? "none failing" : "no check configured");
}

static const struct layout_col ev_cols[] = {
	{ "OBJECT", 20, 0, false }, { "TIME", 12, 1, false }, { "ENGINE", 7, 2, false },
	{ "KIND", 8, 4, false }, { "CHANGE", 28, 0, false }, { "WHO", 14, 3, false },
	{ "REASON", 30, 1, false },
};

static void table_events(struct view *v, const struct fetch *f, size_t max, const struct view_opts *o,
			 const char *object)
{
	struct vtable *tb = add_table(v, object ? "Its events (newest first)" : "Events (newest first)",
				      ev_cols, 7);
	size_t n = jlen(f->events), shown = 0;

	if (f->events_support == FETCH_EVENTS_NO) {
		set_note(tb, "this softlbd has no event journal yet (show events since: Unknown command)");
		return;
	}
	for (size_t i = n; i-- > 0 && shown < max;) {
		struct json_object *e = jat(f->events, i);
		struct strbuf b = STRBUF_INIT;
		const char *t = jstr(e, "time");
		struct vrow *r;

		if (object && strcmp(jstr(e, "object"), object) != 0)
			continue;
		r = add_row(tb, 0);

		cellv(tb, r, 0, jstr(e, "object"));
		/* "2026-12-05T04:21:03.123Z": the time of day is what a
		 * screen needs. */
		if (strlen(t) > 11 && t[10] == 'T') {
			struct strbuf tm = STRBUF_INIT;

			strbuf_puts(&tm, t + 11);
			if (tm.len && tm.data[tm.len - 1] == 'Z')
				tm.data[--tm.len] = '\0';
			cellv(tb, r, 1, strbuf_str(&tm));
			strbuf_free(&tm);
		} else {
			cellv(tb, r, 1, t);
		}
		cellv(tb, r, 2, jstr(e, "engine"));
		cellv(tb, r, 3, jstr(e, "kind"));
		if (*jstr(e, "old") || *jstr(e, "new"))
			strbuf_printf(&b, "%s -> %s", jstr(e, "old"), jstr(e, "new"));
		cellv(tb, r, 4, b.data ? strbuf_str(&b) : "");
		r->state = vstate_of(jstr(e, "new"));
		r->state_col = 4;
		strbuf_reset(&b);
		if (*jstr(e, "user"))
			strbuf_printf(&b, "%s (%s)", jstr(e, "user"), jstr(e, "role"));
		cellv(tb, r, 5, b.data ? strbuf_str(&b) : "");
		cellv(tb, r, 6, jstr(e, "reason"));
		strbuf_free(&b);
		if (!row_matches(tb, r, o->filter)) {
			for (size_t x = 0; x < tb->ncols; x++)
				free(r->cells[x]);
			free(r->cells);
			tb->nrows--;
			continue;
		}
		shown++;
	}
	if (shown == 0)
		set_note(tb, f->events_support == FETCH_EVENTS_YES ? "no events" : "waiting for events");
}

/* ------------------------------------------------------------------ */
/* The header: who we talk to, and the totals. */

static void header(struct view *v, const struct snapshot *s, const struct fetch *f,
		   const struct rate_store *rs)
{
	struct strbuf b = STRBUF_INIT;
	struct json_object *st = s->status.obj, *eng = jget(st, "engines");
	long long n_up = 0, n_down = 0, n_drain = 0, n_maint = 0, failing = 0;
	double cps = 0, pin = 0, bin = 0, bout = 0, sps = 0, eps = 0;
	long long cur = 0;
	char dur[24], r1[24], r2[24], r3[24], r4[24];
	struct strbuf k = STRBUF_INIT;

	strbuf_puts(&b, "softlbd ");
	visible_puts(&b, *jstr(st, "version") ? jstr(st, "version") : f->version);
	strbuf_puts(&b, " on ");
	visible_puts(&b, *jstr(st, "host") ? jstr(st, "host") : f->host);
	view_fmt_dur(dur, sizeof(dur), jint(st, "uptime_s") * 1000);
	strbuf_printf(&b, ", up %s, %lld reloads; you: ", dur, jint(st, "reloads"));
	visible_puts(&b, f->user);
	strbuf_puts(&b, " (");
	visible_puts(&b, f->role);
	strbuf_puts(&b, ")");
	strvec_push(&v->header, strbuf_str(&b));

	if (s->lt) {
		const struct ptable *t = s->lt;
		int c_svc = ptable_col(t, "service"), c_server = ptable_col(t, "server");
		int c_state = ptable_col(t, "state");
		static const char *const what[] = { "conns", "inpkts", "inbytes", "outbytes" };
		double *sum[] = { &cps, &pin, &bin, &bout };

		for (size_t i = 0; i < t->nrows; i++) {
			const char *stt = ptable_str(t, i, c_state);

			if (!*ptable_str(t, i, c_server)) {
				for (size_t c = 0; c < 4; c++) {
					double x;

					lvs_key(&k, t, i, c_svc, c_server, what[c]);
					if ((x = rate_store_get(rs, strbuf_str(&k))) > 0)
						*sum[c] += x;
				}
				continue;
			}
			if (!*stt)	/* a real server softlbd does not manage */
				continue;
			if (!strcmp(stt, "up"))
				n_up++;
			else if (!strcmp(stt, "draining"))
				n_drain++;
			else if (!strcmp(stt, "disabled"))
				n_maint++;
			else
				n_down++;
		}
	}
	strbuf_reset(&b);
	if (s->lt) {
		view_fmt_rate(r1, sizeof(r1), cps);
		view_fmt_rate(r2, sizeof(r2), pin);
		view_fmt_rate(r3, sizeof(r3), bin);
		view_fmt_rate(r4, sizeof(r4), bout);
		strbuf_printf(&b, "LVS: %s conn/s, %s pkt/s in, %s/%s B/s in/out", r1, r2, r3, r4);
	} else {
		strbuf_puts(&b, "LVS: ");
		visible_puts(&b, s->lvs.err.len ? strbuf_str(&s->lvs.err) : "no data");
	}
	strvec_push(&v->header, strbuf_str(&b));

	/* The summary when softlbd has it (its proxies count their servers
	 * as below), else the table's every server. */
	if (s->ps || s->pt) {
		const struct ptable *t = s->ps ? s->ps : s->pt;
		int c_proxy = ptable_col(t, "proxy"), c_server = ptable_col(t, "server");
		int c_status = ptable_col(t, "status"), c_cur = ptable_col(t, "cur");
		int c_n[4] = { ptable_col(t, "srv_up"), ptable_col(t, "srv_drain"),
			       ptable_col(t, "srv_maint"), ptable_col(t, "srv_down") };

		for (size_t i = 0; i < t->nrows; i++) {
			const char *stt = ptable_str(t, i, c_status);
			double x;

			if (s->ps == t) {
				n_up += ptable_num(t, i, c_n[0]);
				n_drain += ptable_num(t, i, c_n[1]);
				n_maint += ptable_num(t, i, c_n[2]);
				n_down += ptable_num(t, i, c_n[3]);
			}
			if (!*ptable_str(t, i, c_server)) {
				cur += ptable_num(t, i, c_cur);
				px_key(&k, t, i, c_proxy, c_server, "total");
				if ((x = rate_store_get(rs, strbuf_str(&k))) > 0)
					sps += x;
				px_key(&k, t, i, c_proxy, c_server, "errors");
				if ((x = rate_store_get(rs, strbuf_str(&k))) > 0)
					eps += x;
				continue;
			}
			if (!strncmp(stt, "DRAIN", 5) || !strcmp(stt, "NOLB"))
				n_drain++;
			else if (!strncmp(stt, "MAINT", 5))
				n_maint++;
			else if (!strncmp(stt, "UP", 2))
				n_up++;
			else
				n_down++;
		}
	}
	for (size_t i = 0; i < jlen(s->checks.obj); i++)
		if (strcmp(jstr(jat(s->checks.obj, i), "state"), "DOWN") == 0)
			failing++;
	strbuf_reset(&b);
	view_fmt_rate(r1, sizeof(r1), sps);
	view_fmt_rate(r2, sizeof(r2), eps);
	strbuf_printf(&b, "Proxy: %lld sessions, %s sess/s, %s err/s", cur, r1, r2);
	strvec_push(&v->header, strbuf_str(&b));
	strbuf_reset(&b);
	strbuf_printf(&b, "Servers: %lld up, %lld down, %lld drain, %lld maint; checks failing: %lld of %zu",
		      n_up, n_down, n_drain, n_maint, failing, jlen(s->checks.obj));
	strvec_push(&v->header, strbuf_str(&b));
	/* An engine that cannot run says so (LVS has its line above); one
	 * the configuration does not use is no news. */
	for (size_t i = 0; i < jlen(eng); i++) {
		struct json_object *e = jat(eng, i);

		if (strcmp(jstr(e, "state"), "unavailable") == 0 &&
		    strcmp(jstr(e, "name"), "lvs") != 0) {
			strbuf_reset(&b);
			visible_puts(&b, jstr(e, "name"));
			strbuf_puts(&b, ": ");
			visible_puts(&b, jstr(e, "state"));
			strbuf_puts(&b, ", ");
			visible_puts(&b, jstr(e, "detail"));
			strvec_push(&v->header, strbuf_str(&b));
		}
	}
	strbuf_free(&b);
	strbuf_free(&k);
}

/* ------------------------------------------------------------------ */
/* Sorting: groups (a row at indent 0 and its children) by the parent's
 * cell, and the children of each group among themselves. */

/* A shown number back to its value: "1.2k" is 1200; false for text. */
static bool cell_number(const char *s, double *v)
{
	char *end;

	if (strcmp(s, "-") == 0) {
		*v = -1;
		return true;
	}
	*v = strtod(s, &end);
	if (end == s)
		return false;
	switch (*end) {
	case 'k': *v *= 1e3; end++; break;
	case 'M': *v *= 1e6; end++; break;
	case 'G': *v *= 1e9; end++; break;
	case 'T': *v *= 1e12; end++; break;
	}
	/* "150/150", "3m05s": compare the leading number. */
	return *end == '\0' || *end == '/' || *end == 'm' || *end == 's' || *end == 'h' ||
	       *end == 'd' || *end == 'b';
}

int view_cell_cmp(const char *a, const char *b)
{
	double x, y;

	if (cell_number(a, &x) && cell_number(b, &y))
		return x < y ? -1 : x > y;
	return strcasecmp(a, b);
}

struct sort_ctx {
	size_t col;
	bool desc;
};

/* qsort has no context argument: the one sort in progress is here (the
 * monitor has one thread). */
static struct sort_ctx sort_now;

static int row_cmp(const void *pa, const void *pb)
{
	const struct vrow *a = pa, *b = pb;
	const char *x, *y;
	int c;

	if (a->src && b->src && a->src->key) {
		/* A big table sorts on the values, never on what is shown:
		 * no row needs to be built for it. */
		double nx = 0, ny = 0;
		bool ix = a->src->key(a->src, a, sort_now.col, &nx, &x);
		bool iy = b->src->key(b->src, b, sort_now.col, &ny, &y);

		if (ix && iy)
			c = nx < ny ? -1 : nx > ny;
		else
			c = strcasecmp(ix ? "" : x, iy ? "" : y);
		return sort_now.desc ? -c : c;
	}
	view_row_ready(a);
	view_row_ready(b);
	x = a->cells[sort_now.col] ? a->cells[sort_now.col] : "";
	y = b->cells[sort_now.col] ? b->cells[sort_now.col] : "";
	c = view_cell_cmp(x, y);

	return sort_now.desc ? -c : c;
}

struct group {
	struct vrow *rows;	/* a copy of the group's rows */
	size_t n;
};

static int group_cmp(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	return row_cmp(&a->rows[0], &b->rows[0]);
}

static void sort_table(struct vtable *tb, const struct view_opts *o)
{
	struct group *g = NULL;
	size_t ng = 0, col = tb->ncols, k = 0;

	if (!o->sort || tb->nrows < 2)
		return;
	for (size_t c = 0; c < tb->ncols; c++)
		if (strcmp(tb->cols[c].title, o->sort) == 0)
			col = c;
	if (col == tb->ncols)
		return;
	sort_now.col = col;
	sort_now.desc = o->sort_desc;
	for (size_t i = 0; i < tb->nrows; i++) {
		if (i == 0 || tb->rows[i].indent == 0) {
			g = xreallocarray(g, ng + 1, sizeof(*g));
			g[ng].rows = &tb->rows[i];
			g[ng++].n = 0;
		}
		g[ng - 1].n++;
	}
	/* Children first, in place; then the groups, through a copy. */
	for (size_t i = 0; i < ng; i++)
		if (g[i].n > 2)
			qsort(g[i].rows + 1, g[i].n - 1, sizeof(struct vrow), row_cmp);
	{
		struct vrow *copy = xreallocarray(NULL, tb->nrows, sizeof(*copy));

		memcpy(copy, tb->rows, tb->nrows * sizeof(*copy));
		for (size_t i = 0; i < ng; i++)
			g[i].rows = copy + (g[i].rows - tb->rows);
		qsort(g, ng, sizeof(*g), group_cmp);
		for (size_t i = 0; i < ng; i++)
			for (size_t j = 0; j < g[i].n; j++)
				tb->rows[k++] = g[i].rows[j];
		free(copy);
	}
	free(g);
}

const char *screen_column(enum tui_screen scr, size_t i)
{
	const struct layout_col *cols;
	size_t n;

	switch (scr) {
	case SCR_LVS: cols = lvs_cols; n = LVS_NCOLS; break;
	case SCR_PROXY: case SCR_OVERVIEW: cols = px_cols; n = PX_NCOLS; break;
	case SCR_VRRP: cols = vrrp_cols; n = sizeof(vrrp_cols) / sizeof(vrrp_cols[0]); break;
	case SCR_EVENTS: cols = ev_cols; n = sizeof(ev_cols) / sizeof(ev_cols[0]); break;
	default: cols = chk_cols; n = sizeof(chk_cols) / sizeof(chk_cols[0]); break;
	}
	return i < n ? cols[i].title : NULL;
}

void view_build(struct view *v, enum tui_screen scr, const struct snapshot *s, const struct fetch *f,
		const struct rate_store *rs, const struct view_opts *o)
{
	view_free(v);
	header(v, s, f, rs);
	switch (scr) {
	case SCR_OVERVIEW:
		table_vrrp(v, s, o);
		table_lvs(v, s, rs, o);
		table_proxy(v, s, rs, o);
		table_checks(v, s, true, o);
		if (f->events_support != FETCH_EVENTS_NO)
			table_events(v, f, 5, o, NULL);
		break;
	case SCR_LVS:
		table_lvs(v, s, rs, o);
		break;
	case SCR_PROXY:
		table_proxy(v, s, rs, o);
		break;
	case SCR_VRRP:
		table_vrrp(v, s, o);
		table_vrrp_detail(v, s);
		break;
	case SCR_EVENTS:
		table_events(v, f, FETCH_EVENTS_MAX, o, NULL);
		break;
	case SCR_CHECKS:
	default:
		table_checks(v, s, false, o);
		break;
	}
	for (size_t t = 0; t < v->ntables; t++) {
		struct vtable *tb = &v->tables[t];

		sort_table(tb, o);
		for (size_t r = 0; o->tags && o->tags->len && r < tb->nrows; r++) {
			view_row_ready(&tb->rows[r]);
			tb->rows[r].tagged = tb->rows[r].action &&
					     strvec_contains(o->tags, tb->rows[r].action);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Drill-down: one object's JSON, flattened. */

static void flatten(struct vtable *tb, const char *path, struct json_object *o, int depth)
{
	struct strbuf p = STRBUF_INIT;

	if (depth > 8)
		return;
	if (o && json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, val) {
			strbuf_reset(&p);
			strbuf_printf(&p, "%s%s%s", path, *path ? "." : "", key);
			flatten(tb, strbuf_str(&p), val, depth + 1);
		}
	} else if (o && json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);

		if (n == 0) {
			struct vrow *r = add_row(tb, 0);

			cellv(tb, r, 0, path);
			cellf(tb, r, 1, "(none)");
		}
		/* Newest last in the daemon's lists; shown newest first. */
		for (size_t i = n; i-- > 0;) {
			strbuf_reset(&p);
			strbuf_printf(&p, "%s[%zu]", path, i);
			flatten(tb, strbuf_str(&p), json_object_array_get_idx(o, i), depth + 1);
		}
	} else {
		struct vrow *r = add_row(tb, 0);
		const char *v = o ? json_object_get_string(o) : "null";
		const char *last;

		cellv(tb, r, 0, path);
		cellv(tb, r, 1, v ? v : "null");
		last = strrchr(path, '.');
		last = last ? last + 1 : path;
		if (!strcmp(last, "state") || !strcmp(last, "progress") || !strcmp(last, "status") ||
		    !strcmp(last, "to") || !strcmp(last, "from"))
			cell_state(tb, r, 1, v ? v : "");
	}
	strbuf_free(&p);
}

void view_build_detail(struct view *v, const char *detail_cmd, struct json_object *obj,
		       const char *err, const char *event_key, const struct snapshot *s,
		       const struct fetch *f, const struct rate_store *rs)
{
	static const struct view_opts all = { false, NULL, NULL, false, NULL };

	struct strbuf t = STRBUF_INIT;
	struct vtable *tb;

	view_free(v);
	header(v, s, f, rs);
	strbuf_puts(&t, "Detail: ");
	visible_puts(&t, detail_cmd);
	strbuf_puts(&t, " (Esc or Enter: back)");
	tb = add_table(v, strbuf_str(&t), kv_cols, 2);
	strbuf_free(&t);
	if (!obj)
		set_note(tb, err && *err ? err : "waiting for the daemon");
	else
		flatten(tb, "", obj, 0);
	if (event_key && f->events_support != FETCH_EVENTS_NO)
		table_events(v, f, FETCH_EVENTS_MAX, &all, event_key);
}
