/* The stats page (HAProxy's `stats uri`): served by the proxy's own
 * listener, on its worker, for requests whose path starts with the
 * page's uri. HTML with a table per proxy, `;csv` (the CSV of
 * `show stat`), `;up` (no DOWN or MAINT servers), `;norefresh`. Built
 * from the worker's snapshot and the counters every worker writes
 * (relaxed atomic loads), so it needs nothing from the control plane.
 * The health-check detail (L4OK, "UP 1/3") lives in the control plane:
 * the page shows each server's state as of the snapshot (UP, DOWN,
 * MAINT, DRAIN, "no check"); the runtime socket shows the detail. */
#include "config.h"

#include "proxy/px_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "proxy/proxy_int.h"
#include "proxy/px_h1.h"
#include "proxy/px_stat.h"
#include "proxy/px_svc.h"
#include "config/model.h"
#include "util/strbuf.h"

bool px_page_match(const struct px_page *pg, const char *buf, const struct px_h1_msg *m)
{
	size_t ul = strlen(pg->uri);

	return m->path_len >= ul && memcmp(buf + m->path, pg->uri, ul) == 0;
}

/* ------------------------------------------------------------------ */
/* Basic auth                                                          */

static int b64(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 in[0..len) into out (at most cap bytes). Returns the
 * length, or -1 when it is not base64 or too long. */
static long b64_decode(const char *in, size_t len, unsigned char *out, size_t cap)
{
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0;

	while (len && in[len - 1] == '=')
		len--;
	for (size_t i = 0; i < len; i++) {
		int v = b64((unsigned char)in[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return (long)n;
}

/* Compares a[0..al) with the string b in time that depends on the
 * lengths only, never on where they first differ. True when equal. */
static bool ct_equal(const unsigned char *a, size_t al, const char *b)
{
	size_t bl = strlen(b);
	unsigned diff = al != bl;

	for (size_t i = 0; i < al; i++)
		diff |= a[i] ^ (unsigned char)(i < bl ? b[i] : 0);
	return diff == 0;
}

/* Whether the request carries credentials of one of the page's users.
 * Every user is compared, whichever matches, so the time taken does not
 * tell which one did. */
static bool authorized(const struct px_page *pg, const char *buf, const struct px_h1_msg *m,
		       char *user, size_t cap)
{
	unsigned char cred[512];
	long cl = -1;
	bool ok = false;

	if (cap)
		user[0] = 0;
	if (!pg->n_auth)
		return true;
	for (unsigned i = 0; i < m->nh; i++) {
		const char *n = buf + m->h[i].n, *v = buf + m->h[i].v;
		size_t vl = m->h[i].vl;

		if (m->h[i].nl != 13 || strncasecmp(n, "authorization", 13) != 0)
			continue;
		if (vl < 6 || strncasecmp(v, "basic ", 6) != 0)
			return false;
		v += 6;
		vl -= 6;
		while (vl && *v == ' ') {
			v++;
			vl--;
		}
		cl = b64_decode(v, vl, cred, sizeof(cred));
		break;
	}
	if (cl < 0)
		return false;
	for (size_t i = 0; i < pg->n_auth; i++)
		ok |= ct_equal(cred, (size_t)cl, pg->auth[i]);
	if (ok && cap) {
		/* The user part, for the journal's who (printable only). */
		size_t n = 0;

		for (long i = 0; i < cl && cred[i] != ':' && n + 1 < cap; i++)
			user[n++] = cred[i] > 0x20 && cred[i] < 0x7f ? (char)cred[i] : '?';
		user[n] = 0;
	}
	return ok;
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */

static void esc(struct strbuf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': strbuf_puts(out, "&lt;"); break;
		case '>': strbuf_puts(out, "&gt;"); break;
		case '&': strbuf_puts(out, "&amp;"); break;
		case '"': strbuf_puts(out, "&quot;"); break;
		case '\'': strbuf_puts(out, "&#39;"); break;
		default: strbuf_putc(out, *s); break;
		}
	}
}

struct page_ctx {
	struct strbuf *out;
	bool csv;
	bool up_only;
	bool admin;			/* stats admin's condition holds: forms */
	bool form;			/* the open table is inside a form */
	const struct px_proxy *open;	/* the proxy whose table is open */
};

static const char *cell(const struct px_stat_row *r, enum px_stat_field f)
{
	return r->v[f] ? r->v[f] : "";
}

/* The class of a row's line, as HAProxy's page colours it. */
static const char *row_class(const struct px_stat_row *r)
{
	const char *st = cell(r, PX_F_STATUS);
	bool bck = r->srv && r->srv->backup;

	if (r->type == PX_STAT_FE)
		return "frontend";
	if (r->type == PX_STAT_BE)
		return "backend";
	if (!strcmp(st, "MAINT"))
		return "maintain";
	if (!strcmp(st, "DRAIN"))
		return bck ? "backup_draining" : "active_draining";
	if (!strcmp(st, "DOWN"))
		return bck ? "backup_down" : "active_down";
	if (!strcmp(st, "no check"))
		return bck ? "backup_no_check" : "active_no_check";
	return bck ? "backup_up" : "active_up";
}

/* HAProxy's actions, as its page lists them; softlb does the first
 * three (an operator override, px_page_admin.c), the rest are shown
 * disabled, so nobody is led to think they were done. */
static const struct {
	const char *value, *label;
	bool can;
} actions[] = {
	{ "ready", "Set state to READY", true },
	{ "drain", "Set state to DRAIN", true },
	{ "maint", "Set state to MAINT", true },
	{ "dhlth", "Health: disable checks", false },
	{ "ehlth", "Health: enable checks", false },
	{ "hrunn", "Health: force UP", false },
	{ "hnolb", "Health: force NOLB", false },
	{ "hdown", "Health: force DOWN", false },
	{ "dagent", "Agent: disable checks", false },
	{ "eagent", "Agent: enable checks", false },
	{ "arunn", "Agent: force UP", false },
	{ "adown", "Agent: force DOWN", false },
	{ "shutdown", "Kill Sessions", false },
};

static void table_close(struct page_ctx *c)
{
	struct strbuf *out = c->out;

	if (!c->open)
		return;
	strbuf_puts(out, "</table><p>\n");
	if (c->form) {
		strbuf_puts(out, "Choose the action to perform on the checked servers : "
			    "<select name=action><option value=\"\"></option>");
		for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
			strbuf_printf(out, "<option value=\"%s\"%s>%s%s</option>", actions[i].value,
				      actions[i].can ? "" : " disabled", actions[i].label,
				      actions[i].can ? "" : " (not in softlb)");
		strbuf_printf(out, "</select><input type=\"hidden\" name=\"b\" value=\"#%d\">"
			      "&nbsp;<input type=\"submit\" value=\"Apply\"></form><p>\n",
			      c->open->iid);
	}
	c->open = NULL;
	c->form = false;
}

static void table_open(struct page_ctx *c, const struct px_proxy *p)
{
	struct strbuf *out = c->out;

	c->form = c->admin && p->kind != CFG_PROXY_FRONTEND && p->n_srv > 0;
	if (c->form)
		strbuf_puts(out, "<form method=\"post\">");
	strbuf_puts(out, "<table class=\"tbl\" width=\"100%\">\n<tr class=\"titre\">"
		    "<th class=\"pxname\" width=\"10%\"><a name=\"");
	esc(out, p->name);
	strbuf_puts(out, "\"></a>");
	esc(out, p->name);
	strbuf_printf(out, "</th><th class=\"empty\" width=\"90%%\">mode %s</th></tr>\n</table>\n",
		      cfg_mode_name(p->mode));
	strbuf_puts(out,
		    "<table class=\"tbl\" width=\"100%\">\n<tr class=\"titre\">");
	if (c->form) {
		/* HAProxy's select-all box: one click checks every server. */
		strbuf_puts(out, "<th rowspan=2 width=1><input type=\"checkbox\" onclick=\"for(c in "
			    "document.getElementsByClassName('");
		esc(out, p->name);
		strbuf_puts(out, "-checkbox')) document.getElementsByClassName('");
		esc(out, p->name);
		strbuf_puts(out, "-checkbox').item(c).checked = this.checked\"></th>");
	}
	strbuf_puts(out,
		    "<th rowspan=2></th><th colspan=3>Queue</th><th colspan=4>Sessions</th>"
		    "<th colspan=2>Bytes</th><th colspan=1>Denied</th><th colspan=2>Errors</th>"
		    "<th colspan=2>Warnings</th><th colspan=5>Server</th></tr>\n<tr class=\"titre\">"
		    "<th>Cur</th><th>Max</th><th>Limit</th>"
		    "<th>Cur</th><th>Max</th><th>Limit</th><th>Total</th>"
		    "<th>In</th><th>Out</th><th>Req</th><th>Conn</th><th>Resp</th>"
		    "<th>Retr</th><th>Redis</th>"
		    "<th>Status</th><th>Addr</th><th>Wght</th><th>Act</th><th>Bck</th></tr>\n");
}

/* The sessions' Total of an HTTP row, with HAProxy's tooltip: the
 * requests and the responses by class, each with its share of all
 * responses (the CSV's hrsp_1xx .. hrsp_other). */
static void total_cell(struct strbuf *out, const struct px_stat_row *r)
{
	static const char *const names[] = { "HTTP 1xx", "HTTP 2xx", "HTTP 3xx", "HTTP 4xx",
					     "HTTP 5xx", "other" };
	unsigned long long v[6], all = 0;

	for (int k = 0; k < 6; k++) {
		v[k] = strtoull(cell(r, (enum px_stat_field)(PX_F_HRSP_1XX + k)), NULL, 10);
		all += v[k];
	}
	strbuf_printf(out, "<td><u>%s<div class=tips><table class=det>", cell(r, PX_F_STOT));
	if (r->v[PX_F_REQ_TOT])
		strbuf_printf(out, "<tr><th>Cum. HTTP requests:</th><td>%s</td></tr>",
			      cell(r, PX_F_REQ_TOT));
	for (int k = 0; k < 6; k++)
		strbuf_printf(out, "<tr><th>- %s responses:</th><td>%llu</td><td>(%llu%%)</td></tr>",
			      names[k], v[k], all ? v[k] * 100 / all : 0);
	strbuf_puts(out, "</table></div></u></td>");
}

static void html_row(struct page_ctx *c, const struct px_stat_row *r)
{
	static const enum px_stat_field cols[] = {
		PX_F_QCUR, PX_F_QMAX, PX_F_QLIMIT, PX_F_SCUR, PX_F_SMAX, PX_F_SLIM, PX_F_STOT,
		PX_F_BIN, PX_F_BOUT, PX_F_DREQ, PX_F_ECON, PX_F_ERESP, PX_F_WRETR, PX_F_WREDIS,
		PX_F_STATUS, PX_F_ADDR, PX_F_WEIGHT, PX_F_ACT, PX_F_BCK,
	};
	struct strbuf *out = c->out;

	if (c->open != r->px) {
		table_close(c);
		table_open(c, r->px);
		c->open = r->px;
	}
	strbuf_printf(out, "<tr class=\"%s\">", row_class(r));
	if (c->form) {
		strbuf_puts(out, "<td>");
		if (r->type == PX_STAT_SRV) {
			strbuf_puts(out, "<input class='");
			esc(out, r->px->name);
			strbuf_puts(out, "-checkbox' type=\"checkbox\" name=\"s\" value=\"");
			esc(out, cell(r, PX_F_SVNAME));
			strbuf_puts(out, "\">");
		}
		strbuf_puts(out, "</td>");
	}
	strbuf_puts(out, "<td class=ac>");
	if (r->type == PX_STAT_SRV) {
		strbuf_puts(out, "<a name=\"");
		esc(out, r->px->name);
		strbuf_putc(out, '/');
		esc(out, cell(r, PX_F_SVNAME));
		strbuf_puts(out, "\"></a>");
		esc(out, cell(r, PX_F_SVNAME));
	} else {
		strbuf_puts(out, r->type == PX_STAT_FE ? "Frontend" : "Backend");
	}
	strbuf_puts(out, "</td>");
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		if (cols[i] == PX_F_STOT && r->v[PX_F_HRSP_1XX]) {
			total_cell(out, r);
			continue;
		}
		strbuf_puts(out, "<td>");
		esc(out, cell(r, cols[i]));
		strbuf_puts(out, "</td>");
	}
	strbuf_puts(out, "</tr>\n");
}

static void on_row(struct px_stat_row *r, void *arg)
{
	struct page_ctx *c = arg;

	if (c->up_only && r->type == PX_STAT_SRV && r->srv &&
	    (r->srv->state == PX_SRV_DOWN || r->srv->state == PX_SRV_MAINT))
		return;
	if (c->csv)
		px_stat_csv_row(r, c->out);
	else
		html_row(c, r);
}

static const char style[] =
	"<style type=\"text/css\"><!--\n"
	"body { font-family: arial, helvetica, sans-serif; font-size: 12px; }\n"
	"th,td { font-size: 10px; }\n"
	".titre { background: #20D0D0; color: #000000; font-weight: bold; text-align: center; }\n"
	".frontend, .backend { background: #e8e8d0; }\n"
	".active_down, .backup_down { background: #ff9090; }\n"
	".active_up { background: #c0ffc0; }\n"
	".backup_up { background: #b0d0ff; }\n"
	".active_draining { background: #20a0FF; }\n"
	".backup_draining { background: #cc9900; }\n"
	".active_no_check, .backup_no_check { background: #e0e0e0; }\n"
	".maintain { background: #c07820; }\n"
	"table.tbl { border-collapse: collapse; border-style: none; }\n"
	"table.tbl td { text-align: right; border: 1px solid gray; padding: 2px 3px; "
	"white-space: nowrap; }\n"
	"table.tbl td.ac { text-align: center; }\n"
	"table.tbl th { border: 1px solid gray; }\n"
	"table.tbl th.pxname { background: #b00040; color: #ffff40; font-weight: bold; "
	"padding: 2px 3px; white-space: nowrap; }\n"
	"table.tbl th.empty { border-style: none; background: white; }\n"
	"u { text-decoration: none; border-bottom: 1px dotted black; }\n"
	"div.tips { display: none; position: absolute; background: #ffffe0; "
	"border: 1px solid black; padding: 2px; text-align: left; }\n"
	"u:hover div.tips { display: block; }\n"
	"table.det th { text-align: left; border: none; }\n"
	"table.det td { border: none; }\n"
	"--></style>\n";

static void html_head(struct strbuf *out, const struct px_snapshot *snap,
		      const struct px_page *pg, time_t now)
{
	long up = snap->started && now > snap->started ? (long)(now - snap->started) : 0;
	uint64_t cur = 0;

	for (size_t i = 0; i < snap->n_proxies; i++)
		if (snap->proxies[i].kind != CFG_PROXY_BACKEND)
			for (size_t w = 0; w < snap->proxies[i].st->n_slots; w++)
				cur += px_ld(&snap->proxies[i].st->slots[w].cur);
	strbuf_puts(out, "<!DOCTYPE html>\n<html><head><title>Statistics Report for softlb"
		    "</title>\n<meta http-equiv=\"content-type\" content=\"text/html; "
		    "charset=utf-8\">\n");
	strbuf_puts(out, style);
	strbuf_puts(out, "</head>\n<body><h1>softlb");
	if (!pg->hide_version)
		strbuf_puts(out, " version " PACKAGE_VERSION);
	strbuf_puts(out, "</h1>\n<h2>Statistics Report for pid ");
	strbuf_printf(out, "%d on ", snap->pid);
	esc(out, snap->node);
	strbuf_printf(out, "</h2>\n<hr width=\"100%%\" class=\"hr\">\n<h3>&gt; General process "
		      "information</h3>\n<p>pid = %d<br>\nuptime = %ldd %ldh%02ldm%02lds<br>\n"
		      "maxconn = %d<br>\ncurrent conns = %llu<br>\n</p>\n",
		      snap->pid, up / 86400, (up % 86400) / 3600, (up % 3600) / 60, up % 60,
		      snap->maxconn, (unsigned long long)cur);
}

static void put_response(struct strbuf *out, const char *status, const char *ctype,
			 int refresh_s, const char *extra, const struct strbuf *body, bool head)
{
	strbuf_printf(out, "HTTP/1.1 %s\r\nCache-Control: no-cache\r\nConnection: close\r\n"
		      "Content-Type: %s\r\nContent-Length: %zu\r\n", status, ctype, body->len);
	if (refresh_s > 0)
		strbuf_printf(out, "Refresh: %d\r\n", refresh_s);
	if (extra)
		strbuf_puts(out, extra);
	strbuf_puts(out, "\r\n");
	if (!head)
		strbuf_append(out, body->data ? body->data : "", body->len);
}

/* HAProxy's status line for ;st=CODE after an admin action. */
static void status_line(struct strbuf *out, const struct px_page *pg, const char *rest, size_t rl)
{
	static const struct {
		const char *code, *cls, *text;
	} msgs[] = {
		{ "DONE", "active_up", "Action processed successfully." },
		{ "PART", "active_going_down", "Action partially processed.<br>Some server names "
		  "are probably unknown or ambiguous (duplicated names in the backend)." },
		{ "NONE", "active_going_down", "Nothing has changed." },
		{ "DENY", "active_down", "<b>Action denied.</b>" },
		{ "ERRP", "active_down", "Action not processed because of invalid parameters."
		  "<ul><li>The action is maybe unknown (softlb's page does ready, drain and "
		  "maint).</li><li>The backend name is probably unknown.</li><li>Some server "
		  "names are probably unknown.</li></ul>" },
		{ "EXCD", "active_down", "<b>Action not processed : the buffer couldn't store all "
		  "the data.<br>You should retry with less servers at a time.</b>" },
		{ "IVAL", "active_down", "<b>Invalid requests (unsupported method or chunked "
		  "encoded request).</b>" },
		{ "UNKN", "active_no_check", "Unexpected result." },
	};
	const char *st = memmem(rest, rl, ";st=", 4);

	if (!st)
		return;
	st += 4;
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		if ((size_t)(rest + rl - st) < 4 || memcmp(st, msgs[i].code, 4) != 0)
			continue;
		strbuf_printf(out, "<p><div class=%s><a class=lfsb href=\"", msgs[i].cls);
		esc(out, pg->uri);
		strbuf_printf(out, "\" title=\"Remove this message\">[X]</a> %s</div>\n",
			      msgs[i].text);
		return;
	}
}

static void unauthorized(const struct px_page *pg, struct strbuf *out)
{
	struct strbuf h = STRBUF_INIT, body = STRBUF_INIT;

	/* The realm is the operator's text: a '"' would end the quoted
	 * string early, and CR/LF would split the header. */
	strbuf_puts(&h, "WWW-Authenticate: Basic realm=\"");
	for (const char *r = pg->realm; *r; r++)
		strbuf_putc(&h, *r == '"' || *r == '\\' || *r == '\r' || *r == '\n' ? '\'' : *r);
	strbuf_puts(&h, "\"\r\n");
	strbuf_puts(&body, "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user "
		    "and password to access this content.\n</body></html>\n");
	put_response(out, "401 Unauthorized", "text/html", 0, strbuf_str(&h), &body, false);
	strbuf_free(&h);
	strbuf_free(&body);
}

void px_page_answer(const struct px_snapshot *snap, const struct px_proxy *fe, const char *buf,
		    const struct px_h1_msg *m, bool admin, struct strbuf *out)
{
	const struct px_page *pg = fe->page;
	const char *rest = buf + m->path + strlen(pg->uri);
	size_t rl = m->path_len - strlen(pg->uri);
	struct strbuf body = STRBUF_INIT;
	struct page_ctx c = { .out = &body, .admin = admin };
	bool head = m->method == PX_M_HEAD;
	time_t now = time(NULL);

	if (m->method != PX_M_GET && m->method != PX_M_HEAD) {
		strbuf_puts(&body, "<html><body><h1>405 Method Not Allowed</h1>\n"
			    "The stats page answers GET and HEAD");
		strbuf_puts(&body, admin ? ", and POST for its admin form.\n</body></html>\n"
			    : ".\n</body></html>\n");
		put_response(out, "405 Method Not Allowed", "text/html", 0,
			     admin ? "Allow: GET, HEAD, POST\r\n" : "Allow: GET, HEAD\r\n", &body,
			     false);
		strbuf_free(&body);
		return;
	}
	if (!authorized(pg, buf, m, NULL, 0)) {
		unauthorized(pg, out);
		strbuf_free(&body);
		return;
	}
	c.csv = memmem(rest, rl, ";csv", 4) != NULL;
	c.up_only = memmem(rest, rl, ";up", 3) != NULL;
	if (c.csv) {
		c.admin = false;
		px_stat_csv_header(&body);
		px_stat_rows(snap, now, pg->legends, on_row, &c);
		put_response(out, "200 OK", "text/plain", 0, NULL, &body, head);
	} else {
		bool norefresh = memmem(rest, rl, ";norefresh", 10) != NULL;

		html_head(&body, snap, pg, now);
		status_line(&body, pg, rest, rl);
		px_stat_rows(snap, now, pg->legends, on_row, &c);
		table_close(&c);
		strbuf_puts(&body, "</body></html>\n");
		put_response(out, "200 OK", "text/html", norefresh ? 0 : pg->refresh_s, NULL, &body,
			     head);
	}
	strbuf_free(&body);
}

/* ------------------------------------------------------------------ */
/* Admin POST                                                          */

void px_page_redirect(const struct px_page *pg, const char *st, struct strbuf *out)
{
	struct strbuf body = STRBUF_INIT;
	struct strbuf loc = STRBUF_INIT;

	/* The uri is the operator's (no CR or LF: the parser refused them). */
	strbuf_printf(&loc, "Location: %s;st=%s\r\n", pg->uri, st);
	put_response(out, "303 See Other", "text/html", 0, strbuf_str(&loc), &body, false);
	strbuf_free(&loc);
	strbuf_free(&body);
}

enum px_page_post px_page_post_start(const struct px_page *pg, const char *buf,
				     const struct px_h1_msg *m, bool admin, size_t room,
				     char *user, size_t cap, struct strbuf *out)
{
	if (!authorized(pg, buf, m, user, cap)) {
		unauthorized(pg, out);
		return PX_PAGE_POST_ANSWERED;
	}
	if (!admin) {
		px_page_redirect(pg, "DENY", out);
		return PX_PAGE_POST_ANSWERED;
	}
	if (m->body == PX_BODY_CHUNKED) {
		px_page_redirect(pg, "IVAL", out);
		return PX_PAGE_POST_ANSWERED;
	}
	/* HAProxy reads at most a buffer of form (tune.bufsize less its
	 * maxrewrite); so does softlb: what is left of the request buffer. */
	if (m->body == PX_BODY_CL && m->cl > room) {
		px_page_redirect(pg, "EXCD", out);
		return PX_PAGE_POST_ANSWERED;
	}
	return PX_PAGE_POST_READ;
}

/* Decodes one application/x-www-form-urlencoded token in[0..len) into a
 * new string. NULL with the reason in why when a '%' is not followed by
 * two hex digits or the result holds a NUL or a control character. */
static char *form_decode(const char *in, size_t len, size_t at, struct strbuf *why)
{
	struct strbuf o = STRBUF_INIT;

	for (size_t i = 0; i < len; i++) {
		char ch = in[i];

		if (ch == '+') {
			ch = ' ';
		} else if (ch == '%') {
			int hi = i + 2 < len ? px_h1_hexval((unsigned char)in[i + 1]) : -1;
			int lo = i + 2 < len ? px_h1_hexval((unsigned char)in[i + 2]) : -1;

			if (hi >= 0 && lo >= 0) {
				ch = (char)(hi * 16 + lo);
				i += 2;
			}
			if (hi < 0 || lo < 0) {
				strbuf_printf(why, "bad percent-encoding at byte %zu of the form "
					      "(a '%%' must be followed by two hex digits)", at + i + 1);
				strbuf_free(&o);
				return NULL;
			}
		}
		if ((unsigned char)ch < 0x20 || ch == 0x7f) {
			strbuf_printf(why, "control character (0x%02x) in the form at byte %zu",
				      (unsigned char)ch, at + i + 1);
			strbuf_free(&o);
			return NULL;
		}
		strbuf_putc(&o, ch);
	}
	return strbuf_detach(&o);
}

int px_page_form(const char *body, size_t len, struct px_svc_msg *msg, struct strbuf *out)
{
	struct strbuf why = STRBUF_INIT;
	size_t i = 0;

	while (i < len) {
		const char *amp = memchr(body + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - body) : len;
		const char *eq = memchr(body + i, '=', end - i);
		size_t kend = eq ? (size_t)(eq - body) : end;
		char *k, *v;

		if (end == i) {
			i++;
			continue;
		}
		k = form_decode(body + i, kend - i, i, &why);
		v = k ? form_decode(body + (eq ? kend + 1 : end), eq ? end - kend - 1 : 0,
				    eq ? kend + 1 : end, &why) : NULL;
		if (!k || !v) {
			struct strbuf b = STRBUF_INIT;

			free(k);
			strbuf_puts(&b, "<html><body><h1>400 Bad Request</h1>\nThe stats page's "
				    "form: ");
			esc(&b, strbuf_str(&why));
			strbuf_puts(&b, ".\n</body></html>\n");
			put_response(out, "400 Bad Request", "text/html", 0, NULL, &b, false);
			strbuf_free(&b);
			strbuf_free(&why);
			return -1;
		}
		if (strcmp(k, "s") == 0) {
			strvec_push_owned(&msg->servers, v);
			v = NULL;
		} else if (strcmp(k, "action") == 0) {
			free(msg->action);
			msg->action = v;
			v = NULL;
		} else if (strcmp(k, "b") == 0) {
			free(msg->backend);
			msg->backend = v;
			v = NULL;
		}
		/* other fields (HAProxy's scope, a browser's submit) are ignored */
		free(k);
		free(v);
		i = end + 1;
	}
	strbuf_free(&why);
	return 0;
}
