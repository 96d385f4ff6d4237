/* softlbtop: the full-screen live monitor of softlbd.
 *
 * It reads the daemon only through the control socket, like the shell:
 * one snapshot of JSON show commands per refresh (fetch), rates from the
 * counters' deltas (rate), a view of the chosen screen (view), laid out
 * to the window's width (lines), drawn with ncurses here. Operator
 * actions are the shell's own commands, sent on the same connection, so
 * the daemon audits them as it audits the shell.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "client/ctl_client.h"
#include "fetch.h"
#include "lines.h"
#include "rate.h"
#include "term.h"
#include "view.h"
#include "visible.h"
#include "util/strbuf.h"
#include "util/strvec.h"
#include "util/xalloc.h"

struct opts {
	const char *socket;
	double interval;	/* seconds */
	bool no_color, ascii, readonly, once;
	bool interval_given;	/* -d was given: --once measures rates over it */
	int screen;
};

struct app {
	struct opts o;
	struct fetch f;
	struct snapshot snap;
	bool have_snap;
	struct rate_store *rates;
	struct view view;
	struct lines lines;
	int screen;
	size_t top;		/* first body line shown */
	size_t sel;		/* the selected line (a LINE_ROW), or SIZE_MAX */
	bool paused, help;
	char filter[128];
	int sort_idx;		/* column of screen_column() to sort by, or -1 */
	bool dirty;		/* the view must be built again (new data, other options) */
	int built_cols;		/* the width the lines were laid out for */
	struct strvec tags;	/* actions of the tagged rows (space) */
	bool sort_desc;
	struct strbuf msg;	/* the status line's message (visible text) */
	bool msg_error;
	uint64_t next_refresh;
	char last_ok[16];	/* wall time of the last good snapshot */
	int wake_fd;
	char *detail_cmd;		/* the drill-down open (Enter), or NULL */
	char *detail_events;		/* its object in the journal, or NULL */
	size_t saved_sel, saved_top;	/* where the list was */
	struct fetch_reply detail;	/* its last answer */
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: softlbtop [-s SOCKET] [-d SECONDS] [--no-color] [--ascii] [--readonly]\n"
		"                 [--once] [--screen NAME]\n"
		"  -s, --socket PATH   softlbd's control socket (default %s, or $SOFTLB_SOCKET)\n"
		"  -d, --delay SECONDS refresh interval (default 1; 0.2 to 3600)\n"
		"      --no-color      no colours (also with NO_COLOR set, or TERM=dumb)\n"
		"      --ascii         ASCII lines and sparklines (also in a non-UTF-8 locale)\n"
		"      --readonly      no operator actions\n"
		"      --once          print one plain frame of the screen and exit (with -d:\n"
		"                      two snapshots that far apart, so rates are shown)\n"
		"      --screen NAME   overview, lvs, proxy, vrrp, events, checks\n"
		"  -h, --help          this help\n"
		"Keys: Tab/1-6 screens, arrows j k PgUp PgDn Home End move, / filter,\n"
		"s > < sort, I invert, Enter details,\n"
		"p pause, + - interval, ? help, q quit; operators: d drain, x disable,\n"
		"e enable, r restore, w weight (servers), f handover (VRRP).\n",
		CTL_DEFAULT_SOCKET);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	enum { OPT_NOCOLOR = 256, OPT_ASCII, OPT_READONLY, OPT_ONCE, OPT_SCREEN };
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "delay", required_argument, NULL, 'd' },
		{ "no-color", no_argument, NULL, OPT_NOCOLOR },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "readonly", no_argument, NULL, OPT_READONLY },
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "screen", required_argument, NULL, OPT_SCREEN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("SOFTLB_SOCKET");
	int c;

	o->socket = env && *env ? env : CTL_DEFAULT_SOCKET;
	o->interval = 1.0;
	o->screen = SCR_OVERVIEW;
	while ((c = getopt_long(argc, argv, "s:d:h", lo, NULL)) != -1) {
		char *end;

		switch (c) {
		case 's':
			o->socket = optarg;
			break;
		case 'd':
			errno = 0;
			o->interval = strtod(optarg, &end);
			o->interval_given = true;
			if (errno || end == optarg || *end || o->interval < 0.2 || o->interval > 3600) {
				fprintf(stderr, "softlbtop: -d '%s': a number of seconds from 0.2 to 3600\n",
					optarg);
				return 2;
			}
			break;
		case OPT_NOCOLOR:
			o->no_color = true;
			break;
		case OPT_ASCII:
			o->ascii = true;
			break;
		case OPT_READONLY:
			o->readonly = true;
			break;
		case OPT_ONCE:
			o->once = true;
			break;
		case OPT_SCREEN:
			o->screen = screen_by_name(optarg);
			if (o->screen < 0) {
				fprintf(stderr, "softlbtop: --screen '%s': one of overview, lvs, proxy, "
					"vrrp, events, checks\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "softlbtop: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Data. */

static void wall_time(char *buf, size_t cap)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, cap, "%H:%M:%S", &tm);
}

/* What the screen shown needs beyond the header (fetch.h): a drill-down
 * shows its object alone, fetched by itself. */
static unsigned screen_needs(const struct app *a)
{
	if (a->detail_cmd)
		return 0;
	switch (a->screen) {
	case SCR_OVERVIEW: return FETCH_PROXY_SMALL | FETCH_VRRP_DETAIL;
	case SCR_PROXY: return FETCH_PROXY;
	case SCR_VRRP: return FETCH_VRRP_DETAIL;
	default: return 0;
	}
}

/* One refresh: reconnect if needed, snapshot, events, rates. */
static void app_refresh(struct app *a)
{
	uint64_t gen = a->f.generation;

	if (!fetch_connect(&a->f, FETCH_TIMEOUT_MS))
		return;
	if (a->f.generation != gen)
		rate_store_clear(a->rates);	/* a new daemon: old baselines mean nothing */
	{
		/* Only a whole snapshot replaces the last one: while the
		 * daemon is away, the screen keeps what it last saw. */
		struct snapshot s;

		memset(&s, 0, sizeof(s));
		if (!fetch_snapshot(&a->f, &s, screen_needs(a))) {
			snapshot_free(&s);
			return;
		}
		snapshot_free(&a->snap);
		a->snap = s;
	}
	a->dirty = true;
	fetch_events(&a->f);
	if (a->detail_cmd)
		fetch_show(&a->f, a->detail_cmd, &a->detail);
	a->have_snap = true;
	view_feed_rates(a->rates, &a->snap);
	wall_time(a->last_ok, sizeof(a->last_ok));
}

/* After a screen switch or leaving a drill-down: when the snapshot lacks
 * what the screen shows, a new one at once (paused or not), so the new
 * screen is never drawn empty until the next refresh. */
static void screen_changed(struct app *a)
{
	unsigned need = screen_needs(a);

	if (a->have_snap && !fetch_snapshot_has(&a->snap, need) && fetch_connected(&a->f)) {
		app_refresh(a);
		a->next_refresh = fetch_now_ms() + (uint64_t)(a->o.interval * 1000.0);
	}
}

/* The selected row, built (a big table builds its rows when needed), or
 * NULL. */
static const struct vrow *sel_row(const struct app *a)
{
	const struct vrow *row;

	if (a->sel == SIZE_MAX || a->sel >= a->lines.n || !(row = a->lines.v[a->sel].row))
		return NULL;
	view_row_ready(row);
	return row;
}

static bool can_act(const struct app *a)
{
	return !a->o.readonly && (strcmp(a->f.role, "operator") == 0 || strcmp(a->f.role, "admin") == 0);
}

/* ------------------------------------------------------------------ */
/* --once */

static int once_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (c && atoi(c) >= 20)
		return atoi(c);
	return 160;
}

static int run_once(struct app *a)
{
	enum ctl_connect_error why;
	struct strbuf err = STRBUF_INIT;
	struct ctl_client *probe = ctl_client_connect(a->o.socket, 5000, &why, &err);
	struct view_opts vo = { a->o.ascii, "" };

	if (!probe) {
		fprintf(stderr, "softlbtop: %s\n", strbuf_str(&err));
		strbuf_free(&err);
		return why == CTL_CONNECT_DENIED ? 3 : 2;
	}
	ctl_client_close(probe);
	strbuf_free(&err);
	app_refresh(a);
	if (a->have_snap && a->o.interval_given) {
		/* A second snapshot -d seconds later: the rates are filled. */
		struct timespec ts = { (time_t)a->o.interval,
				       (long)((a->o.interval - (double)(time_t)a->o.interval) * 1e9) };

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		a->have_snap = false;
		app_refresh(a);
	}
	if (!a->have_snap) {
		fprintf(stderr, "softlbtop: %s\n", strbuf_str(&a->f.why));
		return 2;
	}
	view_build(&a->view, a->o.screen, &a->snap, &a->f, a->rates, &vo);
	lines_build(&a->lines, &a->view, once_width(), a->o.ascii);
	lines_print(stdout, &a->lines);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------ */
/* Drawing. */

static const char *const screen_titles[SCR_COUNT] = {
	"Overview", "LVS", "Proxy", "VRRP", "Events", "Checks",
};

static attr_t state_attr(enum vstate s)
{
	bool c = term_has_color();

	switch (s) {
	case VST_UP: return c ? COLOR_PAIR(1) : A_NORMAL;
	case VST_DRAIN: return c ? COLOR_PAIR(2) | A_BOLD : A_BOLD;
	case VST_DOWN: return c ? COLOR_PAIR(3) | A_BOLD : A_BOLD;
	case VST_MAINT: return c ? COLOR_PAIR(4) : A_UNDERLINE;
	case VST_BACKUP: return A_DIM;
	default: return A_NORMAL;
	}
}

/* Writes text (exactly the window's width) at row y. */
static void put_line(int y, const char *text, attr_t attr)
{
	move(y, 0);
	clrtoeol();
	attron(attr);
	addstr(text);
	attroff(attr);
}

/* A line of our own text, cut or padded to the width. */
static void put_text(int y, const char *text, attr_t attr)
{
	struct strbuf b = STRBUF_INIT;

	layout_cell(&b, text, COLS, false);
	/* The last column of the last row would scroll some terminals:
	 * leave it blank. */
	if (y == LINES - 1 && b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	put_line(y, strbuf_str(&b), attr);
	strbuf_free(&b);
}

static void draw_row_line(int y, struct lines *l, size_t i, bool selected)
{
	const char *text = lines_text(l, i);
	const struct line *ln = &l->v[i];
	size_t len = strlen(text);
	size_t off = ln->st_off < len ? ln->st_off : len;
	size_t n = ln->st_len;
	attr_t base = (selected ? A_REVERSE : A_NORMAL) | (ln->row && ln->row->tagged ? A_BOLD : 0);

	if (off + n > len)
		n = len - off;
	if (n == 0 || ln->state == VST_NONE) {
		put_line(y, text, base | (ln->kind == LINE_COLS ? A_BOLD : 0) |
			 (ln->kind == LINE_TITLE ? A_BOLD : 0));
		return;
	}
	move(y, 0);
	attron(base);
	addnstr(text, (int)off);
	attroff(base);
	attron(base | state_attr(ln->state));
	addnstr(text + off, (int)n);
	attroff(base | state_attr(ln->state));
	attron(base);
	addstr(text + off + n);
	attroff(base);
}

static size_t body_rows(void)
{
	return LINES > 3 ? (size_t)(LINES - 3) : 1;	/* tab bar, banner/header... */
}

static const char *help_text[] = {
	"softlbtop keys",
	"",
	"  Tab, Shift-Tab, 1-6   switch screens (overview, LVS, proxy, VRRP, events, checks)",
	"  Up Down j k           select a row        PgUp PgDn Home End   move by pages",
	"  Enter                 the selected row's details (check history, VRRP); Esc back",
	"  /                     filter rows: text, state:down, COLUMN:text (engine:lvs); empty = all",
	"  s > <  I              sort by the next / previous column; I inverts",
	"  p                     pause / resume refreshing",
	"  + -                   refresh interval",
	"  q                     quit",
	"",
	"Operators (not with --readonly), on the selected row, after a confirmation:",
	"  space tags a row (u untags all): then an action applies to every tagged row",
	"  d drain  x disable (maint)  e enable  r restore  w weight  (a proxy server or LVS real server)",
	"  f handover, x disable, e enable                       (a VRRP instance)",
	"",
	"Any key closes this help.",
};

static void draw(struct app *a)
{
	struct view_opts vo = { a->o.ascii, a->filter,
				a->sort_idx >= 0 ? screen_column(a->screen, (size_t)a->sort_idx) : NULL,
				a->sort_desc, &a->tags };
	int y = 0;
	size_t nrows, body_start;
	struct strbuf b = STRBUF_INIT;
	char t[16];

	erase();
	/* Building the view costs what the data costs (10,000 rows: a large
	 * part of a refresh); moving the selection needs none of it. */
	if (a->have_snap && (a->dirty || a->built_cols != COLS)) {
		a->dirty = false;
		a->built_cols = COLS;
		if (a->detail_cmd)
			view_build_detail(&a->view, a->detail_cmd, a->detail.obj,
					  strbuf_str(&a->detail.err), a->detail_events, &a->snap,
					  &a->f, a->rates);
		else
			view_build(&a->view, a->screen, &a->snap, &a->f, a->rates, &vo);
		lines_build(&a->lines, &a->view, COLS, a->o.ascii);
	}
	/* The tab bar. */
	strbuf_puts(&b, "softlbtop");
	for (int i = 0; i < SCR_COUNT; i++)
		strbuf_printf(&b,  i == a->screen ? " [%d %s]" : " %d %s", i + 1, screen_titles[i]);
	wall_time(t, sizeof(t));
	strbuf_printf(&b, "  %s%gs %s", a->paused ? "PAUSED " : "", a->o.interval, t);
	put_text(y++, strbuf_str(&b), A_REVERSE);
	strbuf_reset(&b);
	if (!fetch_connected(&a->f)) {
		strbuf_puts(&b, "reconnecting: ");
		visible_puts(&b, a->f.why.len ? strbuf_str(&a->f.why) : "connecting");
		if (a->have_snap)
			strbuf_printf(&b, " (data below from %s)", a->last_ok);
		put_text(y++, strbuf_str(&b), term_has_color() ? COLOR_PAIR(5) | A_BOLD
							      : A_REVERSE | A_BOLD);
		strbuf_reset(&b);
	}
	if (a->help) {
		for (size_t i = 0; i < sizeof(help_text) / sizeof(help_text[0]) && y < LINES - 1; i++)
			put_text(y++, help_text[i], i == 0 ? A_BOLD : A_NORMAL);
		strbuf_free(&b);
		refresh();
		return;
	}
	for (size_t i = 0; i < a->lines.n_header && y < LINES - 1; i++)
		put_line(y++, a->lines.v[i].text, A_NORMAL);
	body_start = a->lines.n_header;
	nrows = LINES - 1 > y ? (size_t)(LINES - 1 - y) : 0;
	/* Keep the selection on a row and in sight. */
	if (a->sel != SIZE_MAX && (a->sel >= a->lines.n || a->sel < body_start ||
				   a->lines.v[a->sel].kind != LINE_ROW))
		a->sel = SIZE_MAX;
	if (a->sel == SIZE_MAX)
		for (size_t i = body_start; i < a->lines.n; i++)
			if (a->lines.v[i].kind == LINE_ROW) {
				a->sel = i;
				break;
			}
	if (a->top < body_start)
		a->top = body_start;
	if (a->sel != SIZE_MAX) {
		if (a->sel < a->top)
			a->top = a->sel;
		if (nrows > 0 && a->sel >= a->top + nrows)
			a->top = a->sel - nrows + 1;
	}
	if (a->top > body_start && a->lines.n - a->top < nrows)
		a->top = a->lines.n > nrows + body_start ? a->lines.n - nrows : body_start;
	for (size_t i = a->top; i < a->lines.n && nrows > 0; i++, nrows--)
		draw_row_line(y++, &a->lines, i, i == a->sel);
	(void)body_rows;
	/* The status line: a message, or the keys. */
	if (a->msg.len) {
		put_text(LINES - 1, strbuf_str(&a->msg), a->msg_error ? A_BOLD : A_NORMAL);
	} else {
		/* The filter and the sort first: they must not be cut off at
		 * 80 columns. */
		if (a->filter[0]) {
			strbuf_puts(&b, "filter: ");
			visible_puts(&b, a->filter);
			strbuf_puts(&b, "  ");
		}
		if (vo.sort)
			strbuf_printf(&b, "sort: %s %s  ", vo.sort, a->sort_desc ? "(desc)" : "(asc)");
		strbuf_puts(&b, "q quit  Tab screens  / filter  p pause  +- delay  ? help");
		if (can_act(a))
			strbuf_puts(&b, "  d drain x disable e enable r restore w weight f handover");
		else
			strbuf_puts(&b, a->o.readonly ? "  (read-only)" : "  (view role)");
		put_text(LINES - 1, strbuf_str(&b), A_DIM);
	}
	strbuf_free(&b);
	refresh();
}

/* ------------------------------------------------------------------ */
/* Input. */

/* Waits for one key, still obeying stop signals and resizes. Returns ERR
 * when a stop was asked. */
static int wait_key(struct app *a)
{
	for (;;) {
		struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { a->wake_fd, POLLIN, 0 } };
		int ch;

		if (term_stop_requested())
			return ERR;
		ch = getch();
		if (ch != ERR)
			return ch;
		poll(p, 2, 1000);
		term_woken();
	}
}

/* Reads a line at the bottom row after prompt; returns false on Esc. */
static bool read_line(struct app *a, const char *prompt, char *buf, size_t cap)
{
	size_t len = strlen(buf);

	for (;;) {
		struct strbuf b = STRBUF_INIT;
		int ch;

		strbuf_printf(&b, "%s", prompt);
		visible_puts(&b, buf);
		strbuf_putc(&b, '_');
		put_text(LINES - 1, strbuf_str(&b), A_BOLD);
		strbuf_free(&b);
		refresh();
		ch = wait_key(a);
		if (ch == KEY_RESIZE)
			continue;	/* drawn again at the new last row */
		if (ch == ERR || ch == 27)
			return false;
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			return true;
		if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
			if (len > 0)
				buf[--len] = '\0';
		} else if (ch == 21) {	/* Ctrl-U */
			len = 0;
			buf[0] = '\0';
		} else if (ch >= 0x20 && ch < 0x7f && len + 1 < cap) {
			buf[len++] = (char)ch;
			buf[len] = '\0';
		}
	}
}

/* True when every word of an action is safe to send: printable ASCII,
 * no blank inside a name (a name with a blank would become two words and
 * name something else). The daemon refuses control characters anyway. */
static bool action_safe(const char *action)
{
	for (const char *p = action; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return false;
	return true;
}

static size_t word_count(const char *s)
{
	size_t n = 0;

	for (bool in = false; *s; s++) {
		if (*s == ' ')
			in = false;
		else if (!in) {
			in = true;
			n++;
		}
	}
	return n;
}

/* The verb of key ch for a row of kind k, and its label; NULL when that
 * kind does not take it. */
static const char *verb_of(int ch, enum vkind k, const char **label)
{
	bool vrrp = k == VK_VRRP;

	switch (ch) {
	case 'd': *label = "Drain"; return vrrp ? NULL : "drain";
	case 'x': *label = "Disable"; return "disable";
	case 'e': *label = "Enable"; return "enable";
	case 'r': *label = "Restore the configured state of"; return vrrp ? NULL : "restore";
	case 'f': *label = "Hand over"; return vrrp ? "handover" : NULL;
	case 'w': *label = "Set the weight of"; return vrrp ? NULL : "weight";
	}
	return NULL;
}

/* A name of a server is one word: "server PX SRV" is 3 words, "vrrp
 * NAME" 2, "real-server RS of VS PROTO" or "... of fwmark N" 5. */
static bool row_typable(const struct vrow *r)
{
	size_t want = r->kind == VK_VRRP ? 2u : r->kind == VK_SERVER ? 3u : 5u;

	return action_safe(r->action) && word_count(r->action) == want;
}

/* "2 servers in 1 backend, 37 sessions; 1 real server in TCP
 * 192.0.2.10:80, 120 connections": what the rows touch. */
static void describe(struct strbuf *out, const struct vrow *const *rows, size_t n)
{
	static const char *const one[] = { "", "server", "real server", "VRRP instance" };
	static const char *const grp[] = { "", "backend", "service", "" };
	static const char *const load[] = { "", "sessions", "connections", "" };
	bool first = true;

	if (n == 1) {
		strbuf_puts(out, rows[0]->what ? rows[0]->what : rows[0]->action);
		return;
	}
	for (int k = VK_SERVER; k <= VK_VRRP; k++) {
		struct strvec groups = STRVEC_INIT;
		size_t cnt = 0;
		long long sum = 0;

		for (size_t i = 0; i < n; i++) {
			if ((int)rows[i]->kind != k)
				continue;
			cnt++;
			sum += rows[i]->load;
			if (rows[i]->group && !strvec_contains(&groups, rows[i]->group))
				strvec_push(&groups, rows[i]->group);
		}
		if (cnt) {
			if (!first)
				strbuf_puts(out, "; ");
			first = false;
			strbuf_printf(out, "%zu %s%s", cnt, one[k], cnt > 1 ? "s" : "");
			if (k != VK_VRRP) {
				if (groups.len == 1)
					strbuf_printf(out, " in %s %s", grp[k], groups.items[0]);
				else
					strbuf_printf(out, " in %zu %ss", groups.len, grp[k]);
				strbuf_printf(out, ", %lld %s", sum, load[k]);
			}
		}
		strvec_free(&groups);
	}
}

/* The operator action of key ch: on the tagged rows if any, else on the
 * selected row; asked first, then one command per row. */
static void act(struct app *a, int ch)
{
	const struct vrow **rows = NULL;
	const char *verb = NULL, *label = "";
	struct strbuf q = STRBUF_INIT, cmd = STRBUF_INIT, out = STRBUF_INIT, first_err = STRBUF_INIT;
	char weight[16] = "";
	size_t n = 0, ok = 0, skipped = 0;
	int k;

	strbuf_reset(&a->msg);
	a->msg_error = true;
	if (!can_act(a)) {
		strbuf_puts(&a->msg, a->o.readonly ? "read-only: no actions (--readonly)"
						   : "your role may not change anything");
		return;
	}
	if (a->tags.len) {
		for (size_t t = 0; t < a->view.ntables; t++)
			for (size_t r = 0; r < a->view.tables[t].nrows; r++) {
				const struct vrow *row = &a->view.tables[t].rows[r];

				if (!row->tagged)
					continue;
				if (!verb_of(ch, row->kind, &label)) {
					skipped++;
					continue;
				}
				rows = xreallocarray(rows, n + 1, sizeof(*rows));
				rows[n++] = row;
			}
	} else if (sel_row(a) && sel_row(a)->action) {
		const struct vrow *row = sel_row(a);

		if (verb_of(ch, row->kind, &label)) {
			rows = xmalloc(sizeof(*rows));
			rows[n++] = row;
		} else {
			strbuf_puts(&a->msg, row->kind == VK_VRRP ? "a VRRP instance takes f (handover), x and e"
								  : "a server takes d, x, e, r and w");
			return;
		}
	}
	if (n == 0) {
		strbuf_puts(&a->msg, a->tags.len ? "no tagged row takes that action"
						 : "select a server, a real server or a VRRP instance first");
		free(rows);
		return;
	}
	verb = verb_of(ch, rows[0]->kind, &label);
	for (size_t i = 0; i < n; i++)
		if (!row_typable(rows[i])) {
			strbuf_puts(&a->msg, "this object's name cannot be typed as a command; use the shell");
			free(rows);
			return;
		}
	if (ch == 'w') {
		char *end;
		long w;

		if (!read_line(a, "new weight: ", weight, sizeof(weight))) {
			a->msg_error = false;
			strbuf_puts(&a->msg, "cancelled");
			free(rows);
			return;
		}
		w = strtol(weight, &end, 10);
		if (!weight[0] || *end || w < 0 || w > 65535) {
			strbuf_puts(&a->msg, "a weight is a number");
			free(rows);
			return;
		}
		snprintf(weight, sizeof(weight), "%ld", w);
	}
	strbuf_printf(&q, "%s ", label);
	describe(&q, rows, n);
	if (ch == 'w')
		strbuf_printf(&q, " to %s", weight);
	if (skipped)
		strbuf_printf(&q, " (%zu tagged that do not take it left out)", skipped);
	strbuf_puts(&q, "? [y/N] ");
	/* A resize is no answer: the question is asked again where the
	 * new last row is (a late SIGWINCH used to cancel it). */
	do {
		put_text(LINES - 1, strbuf_str(&q), A_BOLD | A_REVERSE);
		refresh();
		k = wait_key(a);
	} while (k == KEY_RESIZE);
	strbuf_free(&q);
	if (k != 'y' && k != 'Y') {
		a->msg_error = false;
		strbuf_puts(&a->msg, "cancelled");
		free(rows);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int st;

		strbuf_reset(&cmd);
		verb = verb_of(ch, rows[i]->kind, &label);
		if (ch == 'w')
			strbuf_printf(&cmd, "%s weight %s", rows[i]->action, weight);
		else
			strbuf_printf(&cmd, "%s %s", rows[i]->action, verb);
		st = fetch_exec(&a->f, strbuf_str(&cmd), &out);
		if (st == 200)
			ok++;
		/* The answer to show: the one action's, or the first refusal. */
		if ((n == 1 || st != 200) && (st == 200 || first_err.len == 0)) {
			struct strbuf *m = st == 200 ? &a->msg : &first_err;
			char *nl = out.len ? memchr(out.data, '\n', out.len) : NULL;

			if (st == 200)
				strbuf_puts(m, "done: ");
			else if (st < 0)
				strbuf_puts(m, "failed: ");
			else
				strbuf_printf(m, "refused (%d): ", st);
			visible_puts(m, strbuf_str(&cmd));
			if (out.len) {
				strbuf_puts(m, ": ");
				visible_append(m, out.data, nl ? (size_t)(nl - out.data) : out.len, true);
			}
		}
		if (st < 0)
			break;
	}
	a->msg_error = ok != n;
	if (n > 1 || ok != n) {
		strbuf_reset(&a->msg);
		if (n > 1)
			strbuf_printf(&a->msg, "%zu of %zu done", ok, n);
		if (first_err.len)
			strbuf_printf(&a->msg, "%s%s", n > 1 ? "; " : "", strbuf_str(&first_err));
	}
	if (a->tags.len && ok == n)
		strvec_free(&a->tags);
	strbuf_free(&cmd);
	strbuf_free(&out);
	strbuf_free(&first_err);
	free(rows);
	a->next_refresh = 0;	/* show the effect at once */
}

static void move_sel(struct app *a, long delta)
{
	size_t i = a->sel;
	long step = delta > 0 ? 1 : -1;
	long left = labs(delta);

	if (i == SIZE_MAX)
		return;
	while (left > 0) {
		size_t j = i;
		bool found = false;

		while ((step > 0 && j + 1 < a->lines.n) || (step < 0 && j > a->lines.n_header)) {
			j = (size_t)((long)j + step);
			if (a->lines.v[j].kind == LINE_ROW) {
				found = true;
				break;
			}
		}
		if (!found)
			break;
		i = j;
		left--;
	}
	/* At the first row, show the title above it too. */
	if (step < 0 && i == a->sel)
		a->top = a->lines.n_header;
	a->sel = i;
}

/* Enter: the selected row's own show command (its check and history,
 * an instance's details), fetched now and at every refresh. */
static void open_detail(struct app *a)
{
	const struct vrow *row;

	if (!(row = sel_row(a)) ||
	    !row->detail) {
		strbuf_puts(&a->msg, "nothing more to show for this row");
		return;
	}
	a->detail_cmd = xstrdup(row->detail);
	a->detail_events = row->event_key ? xstrdup(row->event_key) : NULL;
	fetch_show(&a->f, a->detail_cmd, &a->detail);
	a->saved_sel = a->sel;
	a->saved_top = a->top;
	a->sel = SIZE_MAX;
	a->top = 0;
}

static void close_detail(struct app *a)
{
	free(a->detail_cmd);
	a->detail_cmd = NULL;
	free(a->detail_events);
	a->detail_events = NULL;
	fetch_reply_free(&a->detail);
	a->sel = a->saved_sel;
	a->top = a->saved_top;
	screen_changed(a);
}

/* Space: tags or untags the selected row (one with actions), and moves
 * to the next, as in htop. */
static void tag(struct app *a)
{
	const struct vrow *row;
	struct strvec keep = STRVEC_INIT;
	bool was = false;

	if (!(row = sel_row(a)) ||
	    !row->action) {
		strbuf_puts(&a->msg, "only a server, a real server or a VRRP instance can be tagged");
		return;
	}
	for (size_t i = 0; i < a->tags.len; i++) {
		if (strcmp(a->tags.items[i], row->action) == 0)
			was = true;
		else
			strvec_push(&keep, a->tags.items[i]);
	}
	if (!was)
		strvec_push(&keep, row->action);
	strvec_free(&a->tags);
	a->tags = keep;
	strbuf_printf(&a->msg, "%zu tagged (space: tag, u: untag all)", a->tags.len);
	move_sel(a, 1);
}

static bool key_inner(struct app *a, int ch);

/* Handles one key; returns false to quit. Marks the view for building
 * again when the key changed what it shows. */
static bool key(struct app *a, int ch)
{
	int screen = a->screen, sort = a->sort_idx;
	bool desc = a->sort_desc, go;
	size_t ntags = a->tags.len;
	const char *detail = a->detail_cmd;
	char filter[sizeof(a->filter)];

	memcpy(filter, a->filter, sizeof(filter));
	go = key_inner(a, ch);
	if (screen != a->screen || sort != a->sort_idx || desc != a->sort_desc ||
	    ntags != a->tags.len || detail != a->detail_cmd ||
	    memcmp(filter, a->filter, sizeof(filter)) != 0 || ch == KEY_RESIZE)
		a->dirty = true;
	return go;
}

static bool key_inner(struct app *a, int ch)
{
	static const double steps[] = { 0.2, 0.5, 1, 2, 5, 10, 30, 60 };
	size_t page = body_rows();

	if (a->help) {
		a->help = false;
		return true;
	}
	if (ch != KEY_RESIZE)
		strbuf_reset(&a->msg);
	if (a->detail_cmd && (ch == 27 || ch == '\n' || ch == '\r' || ch == KEY_ENTER ||
			      ch == KEY_BACKSPACE || ch == KEY_LEFT || ch == 127)) {
		close_detail(a);
		return true;
	}
	switch (ch) {
	case '\n': case '\r': case KEY_ENTER: case KEY_RIGHT:
		open_detail(a);
		break;
	case 'q':
	case 'Q':
		return false;
	case '\t':
		if (a->detail_cmd)
			close_detail(a);
		a->screen = (a->screen + 1) % SCR_COUNT;
		a->sort_idx = -1;
		a->sel = SIZE_MAX;
		a->top = 0;
		screen_changed(a);
		break;
	case KEY_BTAB:
		a->screen = (a->screen + SCR_COUNT - 1) % SCR_COUNT;
		a->sort_idx = -1;
		a->sel = SIZE_MAX;
		a->top = 0;
		screen_changed(a);
		break;
	case '1': case '2': case '3': case '4': case '5': case '6':
		if (a->detail_cmd)
			close_detail(a);
		a->screen = ch - '1';
		a->sort_idx = -1;
		a->sel = SIZE_MAX;
		a->top = 0;
		screen_changed(a);
		break;
	case KEY_DOWN: case 'j':
		move_sel(a, 1);
		break;
	case KEY_UP: case 'k':
		move_sel(a, -1);
		break;
	case ' ':
		tag(a);
		break;
	case 'u':
		strvec_free(&a->tags);
		strbuf_puts(&a->msg, "no row tagged");
		break;
	case KEY_NPAGE: case 'J':
		move_sel(a, (long)page);
		break;
	case KEY_PPAGE:
		move_sel(a, -(long)page);
		break;
	case KEY_HOME: case 'g':
		move_sel(a, -(long)a->lines.n);
		break;
	case KEY_END: case 'G':
		move_sel(a, (long)a->lines.n);
		break;
	case '>': case 's': case '<': {
		int n = 0;

		while (screen_column(a->screen, (size_t)n))
			n++;
		/* -1 (the daemon's order), then each column, round. */
		a->sort_idx = ch == '<' ? (a->sort_idx < 0 ? n - 1 : a->sort_idx - 1)
					: (a->sort_idx + 1 >= n ? -1 : a->sort_idx + 1);
		break;
	}
	case 'I':
		a->sort_desc = !a->sort_desc;
		break;
	case 'p':
		a->paused = !a->paused;
		a->next_refresh = 0;
		break;
	case '+':
	case '-':
		for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
			if (ch == '+' && steps[i] > a->o.interval + 1e-9) {
				a->o.interval = steps[i];
				break;
			}
			if (ch == '-' && steps[sizeof(steps) / sizeof(steps[0]) - 1 - i] <
						 a->o.interval - 1e-9) {
				a->o.interval = steps[sizeof(steps) / sizeof(steps[0]) - 1 - i];
				break;
			}
		}
		a->next_refresh = 0;
		break;
	case '/': {
		char buf[sizeof(a->filter)];

		snprintf(buf, sizeof(buf), "%s", a->filter);
		if (read_line(a, "filter (text, state:down; empty: all): ", buf, sizeof(buf)))
			snprintf(a->filter, sizeof(a->filter), "%s", buf);
		a->sel = SIZE_MAX;
		a->top = 0;
		break;
	}
	case '?': case 'h': case KEY_F(1):
		a->help = true;
		break;
	case 'd': case 'x': case 'e': case 'r': case 'f': case 'w':
		if (a->detail_cmd)
			strbuf_puts(&a->msg, "back to the list first (Esc)");
		else
			act(a, ch);
		break;
	case 12:	/* Ctrl-L */
		clearok(curscr, TRUE);
		break;
	default:
		break;
	}
	return true;
}

/* TERM=dumb (no cursor addressing): plain frames, one per refresh, as
 * --once prints them, until a stop signal or a line starting with q. */
static int run_dumb(struct app *a)
{
	struct view_opts vo = { a->o.ascii, "" };

	a->wake_fd = term_signals_init();
	while (!term_stop_requested()) {
		struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { a->wake_fd, POLLIN, 0 } };
		char t[16], line[64];

		app_refresh(a);
		wall_time(t, sizeof(t));
		if (!fetch_connected(&a->f)) {
			struct strbuf b = STRBUF_INIT;

			visible_puts(&b, strbuf_str(&a->f.why));
			printf("--- %s reconnecting: %s\n", t, strbuf_str(&b));
			strbuf_free(&b);
		} else if (a->have_snap) {
			printf("--- %s softlbtop, %s (q and Enter to quit)\n", t, screen_name(a->screen));
			view_build(&a->view, a->screen, &a->snap, &a->f, a->rates, &vo);
			lines_build(&a->lines, &a->view, once_width(), true);
			lines_print(stdout, &a->lines);
		}
		fflush(stdout);
		if (poll(p, 2, (int)(a->o.interval * 1000.0)) > 0 && (p[0].revents & (POLLIN | POLLHUP))) {
			if (!fgets(line, sizeof(line), stdin) || line[0] == 'q')
				break;
		}
		term_woken();
	}
	return 0;
}

static int run_interactive(struct app *a)
{
	char err[256];
	const char *t = getenv("TERM");

	if (!t || !*t || strcmp(t, "dumb") == 0)
		return run_dumb(a);

	a->wake_fd = term_signals_init();
	if (a->wake_fd < 0) {
		perror("softlbtop: pipe");
		return 1;
	}
	if (!term_start(!a->o.no_color, err, sizeof(err))) {
		fprintf(stderr, "softlbtop: %s\n", err);
		return 1;
	}
	a->sel = SIZE_MAX;
	a->sort_idx = -1;
	for (;;) {
		uint64_t now = fetch_now_ms();
		struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { a->wake_fd, POLLIN, 0 } };
		int timeout, ch;
		bool go = true;

		if (term_stop_requested())
			break;
		if (now >= a->next_refresh && (!a->paused || !a->have_snap || !fetch_connected(&a->f))) {
			app_refresh(a);
			now = fetch_now_ms();
			a->next_refresh = now + (uint64_t)(a->o.interval * 1000.0);
			draw(a);
		}
		timeout = a->next_refresh > now ? (int)(a->next_refresh - now) : 0;
		if (a->paused && fetch_connected(&a->f))
			timeout = 1000;	/* the clock in the tab bar */
		if (poll(p, 2, timeout) < 0 && errno != EINTR)
			break;
		if (term_woken())
			clearok(curscr, TRUE);	/* back from Ctrl-Z */
		if (term_stop_requested())
			break;
		/* A draw after each key: the next key (typed ahead, or sent
		 * by a script) acts on the screen this one made. */
		while (go && (ch = getch()) != ERR) {
			go = key(a, ch);
			if (go)
				draw(a);
		}
		if (!go)
			break;
		draw(a);
	}
	term_stop();
	return 0;
}

int main(int argc, char **argv)
{
	struct app a;
	const char *nc = getenv("NO_COLOR"), *t = getenv("TERM");
	int rc;

	memset(&a, 0, sizeof(a));
	setlocale(LC_ALL, "");
	rc = parse_opts(argc, argv, &a.o);
	if (rc)
		return rc;
	/* https://no-color.org: set and not empty. */
	if ((nc && *nc) || (t && strcmp(t, "dumb") == 0))
		a.o.no_color = true;
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		a.o.ascii = true;
	a.screen = a.o.screen;
	fetch_init(&a.f, a.o.socket);
	a.rates = rate_store_new();
	view_init(&a.view);
	strbuf_init(&a.msg);
	rc = a.o.once ? run_once(&a) : run_interactive(&a);
	free(a.detail_cmd);
	free(a.detail_events);
	fetch_reply_free(&a.detail);
	strvec_free(&a.tags);
	lines_free(&a.lines);
	view_free(&a.view);
	snapshot_free(&a.snap);
	rate_store_free(a.rates);
	fetch_free(&a.f);
	strbuf_free(&a.msg);
	return rc;
}
