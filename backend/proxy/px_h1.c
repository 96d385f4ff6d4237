/* The HTTP/1.1 parser of mode http (px_h1.h): strict RFC 9112, the
 * reference cases of http-hardening.md. Anything a proxy could read one
 * way and a server another (smuggling) is refused rather than repaired:
 * bare LF or CR, obs-fold, whitespace before a colon, control bytes in a
 * value, two Content-Lengths that differ, Content-Length with
 * Transfer-Encoding in a request, a Transfer-Encoding that is not exactly
 * "chunked", a second Host, an absolute-form target whose authority is
 * not the Host. */
#include "config.h"

#include "proxy/px_h1.h"

#include <string.h>
#include <strings.h>

bool px_h1_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* field-vchar, SP and HTAB: what a value may hold (obs-text included). */
static bool vchar(unsigned char c)
{
	return c == ' ' || c == '\t' || (c > 0x20 && c != 0x7f);
}

static bool eq(const char *p, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(p, lit, n) == 0;
}

/* Finds the end of the line starting at p (before end): its length up
 * to CR LF in *ll. Returns 1 found, 0 not yet, -1 a bare CR or LF. */
static int line_end(const char *p, const char *end, size_t *ll)
{
	for (const char *q = p; q < end; q++) {
		if (*q == '\n')
			return -1;
		if (*q == '\r') {
			if (q + 1 >= end)
				return 0;
			if (q[1] != '\n')
				return -1;
			*ll = (size_t)(q - p);
			return 1;
		}
	}
	return 0;
}

/* Walks a comma-separated list value: calls back each element, trimmed.
 * Returns -1 for an empty element (",chunked", "chunked,", "a,,b") or
 * when fn does. */
static int list_each(const char *v, size_t vl, int (*fn)(const char *e, size_t el, void *arg),
		     void *arg)
{
	size_t i = 0;

	for (;;) {
		size_t s, e;

		while (i < vl && (v[i] == ' ' || v[i] == '\t'))
			i++;
		s = i;
		while (i < vl && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e == s || fn(v + s, e - s, arg) < 0)
			return -1;
		if (i >= vl)
			return 0;
		i++;	/* the comma */
	}
}

/* Content-Length: 1*DIGIT, at most 15 digits (no sign, no hex, no
 * space inside); every element of every field the same. */
static int cl_elem(const char *e, size_t el, void *arg)
{
	uint64_t *cl = arg, v = 0;

	if (el > 15)
		return -1;
	for (size_t i = 0; i < el; i++) {
		if (e[i] < '0' || e[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(e[i] - '0');
	}
	if (*cl != UINT64_MAX && *cl != v)
		return -1;
	*cl = v;
	return 0;
}

struct te_state {
	unsigned n;
	bool last_chunked;
	bool chunked_before;
};

static int te_elem(const char *e, size_t el, void *arg)
{
	struct te_state *t = arg;

	for (size_t i = 0; i < el; i++)
		if (!px_h1_tchar((unsigned char)e[i]))
			return -1;	/* parameters are not for us */
	if (t->last_chunked)
		t->chunked_before = true;	/* chunked, then something */
	t->last_chunked = eq(e, el, "chunked");
	t->n++;
	return 0;
}

struct conn_state {
	struct px_h1_msg *m;
	bool framing;		/* lists Content-Length, Transfer-Encoding or Host */
};

static int conn_elem(const char *e, size_t el, void *arg)
{
	struct conn_state *c = arg;

	for (size_t i = 0; i < el; i++)
		if (!px_h1_tchar((unsigned char)e[i]))
			return -1;
	if (eq(e, el, "close"))
		c->m->conn_close = true;
	else if (eq(e, el, "keep-alive"))
		c->m->conn_keepalive = true;
	else if (eq(e, el, "upgrade"))
		c->m->conn_upgrade = true;
	else if (eq(e, el, "content-length") || eq(e, el, "transfer-encoding") ||
		 eq(e, el, "host"))
		c->framing = true;
	return 0;
}

static int upg_elem(const char *e, size_t el, void *arg)
{
	bool *h2c = arg;

	if (el >= 3 && strncasecmp(e, "h2c", 3) == 0)
		*h2c = true;
	return 0;
}

/* "HTTP/1.0" or "HTTP/1.1": the minor version, or -1. */
static int version(const char *p, size_t n)
{
	if (n != 8 || memcmp(p, "HTTP/1.", 7) != 0 || (p[7] != '0' && p[7] != '1'))
		return -1;
	return p[7] - '0';
}

/* Host (and an absolute-form authority): reg-name / IP-literal and an
 * optional port; no userinfo, no space, no comma. */
static bool host_ok(const char *v, size_t vl)
{
	for (size_t i = 0; i < vl; i++) {
		unsigned char c = (unsigned char)v[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("-._~!$&'()*+;=:%[]", c)))
			return false;
	}
	return true;
}

/* The request line; fills the method, target and version of m. Returns
 * 0 or a status. */
static int request_line(const char *buf, size_t ll, struct px_h1_msg *m)
{
	size_t i = 0, ts;
	const char *t;

	while (i < ll && px_h1_tchar((unsigned char)buf[i]))
		i++;
	if (i == 0 || i >= ll || buf[i] != ' ')
		return 400;
	m->meth = 0;
	m->meth_len = (uint16_t)i;
	if (eq(buf, i, "GET"))
		m->method = PX_M_GET;
	else if (eq(buf, i, "HEAD"))
		m->method = PX_M_HEAD;
	else if (eq(buf, i, "CONNECT"))
		m->method = PX_M_CONNECT;
	else if (eq(buf, i, "OPTIONS"))
		m->method = PX_M_OPTIONS;
	/* Method names are case-sensitive: "get" is another method. */
	if (m->method != PX_M_OTHER && memcmp(buf, m->method == PX_M_GET ? "GET" :
					      m->method == PX_M_HEAD ? "HEAD" :
					      m->method == PX_M_CONNECT ? "CONNECT" : "OPTIONS",
					      i) != 0)
		m->method = PX_M_OTHER;
	ts = ++i;
	/* VCHAR only: no CTL, no SP inside, no '#' (a fragment is never sent). */
	while (i < ll && (unsigned char)buf[i] > ' ' && (unsigned char)buf[i] < 0x7f) {
		if (buf[i] == '#')
			return 400;
		i++;
	}
	if (i == ts || i >= ll || buf[i] != ' ')
		return 400;
	m->tgt = (uint16_t)ts;
	m->tgt_len = (uint16_t)(i - ts);
	m->minor = version(buf + i + 1, ll - i - 1);
	if (m->minor < 0)
		return 400;
	t = buf + ts;
	m->path = m->tgt;
	m->path_len = m->tgt_len;
	if (m->method == PX_M_CONNECT)
		return 0;	/* refused later, once the head is whole */
	if (t[0] == '/')
		return 0;	/* origin-form */
	if (m->tgt_len == 1 && t[0] == '*')
		return m->method == PX_M_OPTIONS ? 0 : 400;	/* asterisk-form */
	/* absolute-form: http:// or https:// authority [path] */
	{
		size_t sl = m->tgt_len >= 7 && strncasecmp(t, "http://", 7) == 0 ? 7
			  : m->tgt_len >= 8 && strncasecmp(t, "https://", 8) == 0 ? 8 : 0;
		size_t a = sl;

		if (!sl)
			return 400;	/* "GET admin", authority-form */
		while (a < m->tgt_len && t[a] != '/' && t[a] != '?')
			a++;
		if (a == sl || !host_ok(t + sl, a - sl))
			return 400;
		m->path = (uint16_t)(ts + a);
		m->path_len = (uint16_t)(m->tgt_len - a);
	}
	return 0;
}

static int status_line(const char *buf, size_t ll, struct px_h1_msg *m)
{
	if (ll < 12 || (m->minor = version(buf, 8)) < 0 || buf[8] != ' ')
		return -1;
	for (int i = 9; i < 12; i++)
		if (buf[i] < '0' || buf[i] > '9')
			return -1;
	m->status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
	if (m->status < 100)
		return -1;
	if (ll > 12 && buf[12] != ' ')
		return -1;
	for (size_t i = 13; i < ll; i++)
		if (!vchar((unsigned char)buf[i]))
			return -1;
	return 0;
}

/* The fields after the first line: syntax, limits, and what each is.
 * Returns PX_H1_DONE, PX_H1_MORE, or a status (400 / 431). */
static int fields(const char *buf, size_t len, size_t limit, size_t start, const char *xff,
		  struct px_h1_msg *m)
{
	const char *end = buf + (len < limit ? len : limit);
	const char *p = buf + start;

	m->nh = 0;
	for (;;) {
		size_t ll, nl, vs, ve;
		int r = line_end(p, end, &ll);
		const char *colon;

		if (r < 0)
			return 400;
		if (r == 0)
			return len >= limit ? 431 : PX_H1_MORE;
		if (ll == 0) {
			m->head_len = (size_t)(p - buf) + 2;
			return PX_H1_DONE;
		}
		/* obs-fold, or whitespace before the first field. */
		if (p[0] == ' ' || p[0] == '\t')
			return 400;
		colon = memchr(p, ':', ll);
		if (!colon || colon == p)
			return 400;
		nl = (size_t)(colon - p);
		for (size_t i = 0; i < nl; i++)
			if (!px_h1_tchar((unsigned char)p[i]))
				return 400;	/* also a space before the colon */
		vs = nl + 1;
		while (vs < ll && (p[vs] == ' ' || p[vs] == '\t'))
			vs++;
		ve = ll;
		while (ve > vs && (p[ve - 1] == ' ' || p[ve - 1] == '\t'))
			ve--;
		for (size_t i = vs; i < ve; i++)
			if (!vchar((unsigned char)p[i]))
				return 400;	/* NUL, CTL */
		if (m->nh == PX_H1_MAXHDR)
			return 400;
		m->h[m->nh].n = (uint16_t)(p - buf);
		m->h[m->nh].nl = (uint16_t)nl;
		m->h[m->nh].v = (uint16_t)(p - buf + (ptrdiff_t)vs);
		m->h[m->nh].vl = (uint16_t)(ve - vs);
		m->kind[m->nh] = eq(p, nl, "content-length")	? PX_H_CL
			       : eq(p, nl, "transfer-encoding") ? PX_H_TE
			       : eq(p, nl, "connection")	? PX_H_CONNECTION
			       : eq(p, nl, "host")		? PX_H_HOST
			       : eq(p, nl, "upgrade")		? PX_H_UPGRADE
			       : eq(p, nl, "keep-alive") || eq(p, nl, "proxy-connection") ? PX_H_KEEPALIVE
			       : eq(p, nl, "http2-settings")	? PX_H_H2SETTINGS
			       : xff && eq(p, nl, xff)		? PX_H_XFF
								: PX_H_OTHER;
		if (m->kind[m->nh] == PX_H_XFF)
			m->has_xff = true;
		m->nh++;
		p += ll + 2;
	}
}

/* Framing from the fields: Content-Length, Transfer-Encoding,
 * Connection, Upgrade. Returns 0 or -1 (malformed), or 501 (request: a
 * coding other than chunked). */
static int framing(const char *buf, struct px_h1_msg *m, bool req, unsigned *n_te,
		   bool *has_cl)
{
	struct te_state te = { 0 };
	struct conn_state cs = { .m = m };
	uint64_t cl = UINT64_MAX;
	bool h2c = false, upg = false;

	*has_cl = false;
	*n_te = 0;
	for (unsigned i = 0; i < m->nh; i++) {
		const char *v = buf + m->h[i].v;
		size_t vl = m->h[i].vl;

		switch (m->kind[i]) {
		case PX_H_CL:
			*has_cl = true;
			if (list_each(v, vl, cl_elem, &cl) < 0)
				return -1;
			break;
		case PX_H_TE:
			(*n_te)++;
			if (list_each(v, vl, te_elem, &te) < 0)
				return -1;
			break;
		case PX_H_CONNECTION:
			if (list_each(v, vl, conn_elem, &cs) < 0)
				return -1;
			break;
		case PX_H_UPGRADE:
			upg = true;
			if (list_each(v, vl, upg_elem, &h2c) < 0)
				return -1;
			break;
		default:
			break;
		}
	}
	if (cs.framing)
		return -1;	/* F16: never drop framing fields as hop-by-hop */
	m->upgrade = upg && !h2c && m->conn_upgrade;
	m->cl = *has_cl ? cl : 0;
	if (*n_te) {
		if (te.chunked_before)
			return -1;	/* chunked applied twice, or not last */
		if (req) {
			if (*n_te > 1 || te.n != 1)
				return te.last_chunked ? 501 : -1;
			if (!te.last_chunked)
				return -1;	/* F5: a request must end in chunked */
			m->body = PX_BODY_CHUNKED;
		} else {
			m->body = te.last_chunked ? PX_BODY_CHUNKED : PX_BODY_CLOSE;
		}
	} else if (*has_cl) {
		m->body = PX_BODY_CL;
	} else {
		m->body = req ? PX_BODY_NONE : PX_BODY_CLOSE;
	}
	return 0;
}

int px_h1_request(const char *buf, size_t len, size_t limit, const char *xff,
		  struct px_h1_msg *m)
{
	size_t ll = 0;
	unsigned n_te, n_host = 0;
	bool has_cl;
	int r;

	memset(m, 0, offsetof(struct px_h1_msg, h));
	if (limit > UINT16_MAX)
		limit = UINT16_MAX;
	r = line_end(buf, buf + (len < limit ? len : limit), &ll);
	if (r < 0)
		return 400;
	if (r == 0) {
		if (len < limit)
			return PX_H1_MORE;
		/* No end of line within the limit: a target too long, unless
		 * the line is broken already. */
		return memchr(buf, ' ', limit) ? 414 : 400;
	}
	r = request_line(buf, ll, m);
	if (r)
		return r;
	r = fields(buf, len, limit, ll + 2, xff, m);
	if (r != PX_H1_DONE)
		return r;
	r = framing(buf, m, true, &n_te, &has_cl);
	if (r)
		return r < 0 ? 400 : r;
	if (n_te && has_cl)
		return 400;	/* F1: both framings; refused, never guessed */
	if (n_te && m->minor == 0)
		return 400;	/* F7: chunked is not HTTP/1.0 */
	for (unsigned i = 0; i < m->nh; i++) {
		if (m->kind[i] != PX_H_HOST)
			continue;
		if (++n_host > 1 || !host_ok(buf + m->h[i].v, m->h[i].vl))
			return 400;	/* R4 */
		/* R3: an absolute-form authority must be the Host. */
		if (m->path != m->tgt) {
			const char *t = buf + m->tgt;
			size_t sl = t[4] == ':' ? 7 : 8, al = (size_t)(m->path - m->tgt) - sl;

			if (al != m->h[i].vl || strncasecmp(t + sl, buf + m->h[i].v, al) != 0)
				return 400;
		}
	}
	if (m->minor == 1 && n_host == 0)
		return 400;	/* R4: HTTP/1.1 needs a Host */
	if (m->method == PX_M_CONNECT)
		return 405;	/* no tunnels on demand through mode http */
	return PX_H1_DONE;
}

int px_h1_response(const char *buf, size_t len, size_t limit, enum px_h1_method req,
		   struct px_h1_msg *m)
{
	size_t ll = 0;
	unsigned n_te;
	bool has_cl;
	int r;

	memset(m, 0, offsetof(struct px_h1_msg, h));
	if (limit > UINT16_MAX)
		limit = UINT16_MAX;
	r = line_end(buf, buf + (len < limit ? len : limit), &ll);
	if (r < 0)
		return 502;
	if (r == 0)
		return len < limit ? PX_H1_MORE : 502;
	if (status_line(buf, ll, m) < 0)
		return 502;
	r = fields(buf, len, limit, ll + 2, NULL, m);
	if (r == PX_H1_MORE)
		return r;
	if (r != PX_H1_DONE)
		return 502;
	if (framing(buf, m, false, &n_te, &has_cl))
		return 502;
	if (n_te && has_cl)
		m->te_and_cl = true;	/* P3: TE wins; CL dropped; close after */
	if (m->status < 200 || m->status == 204 || m->status == 304 || req == PX_M_HEAD) {
		/* Never a body; a CL here describes the GET's (HEAD, 304). */
		if (m->status == 204 && (n_te > 0 || (has_cl && m->cl != 0)))
			return 502;
		m->body = PX_BODY_NONE;
	}
	return PX_H1_DONE;
}

/* ------------------------------------------------------------------ */
/* Chunked bodies                                                      */

enum {
	CK_SIZE = 0,	/* hex digits of a size */
	CK_EXT,		/* ;ext after the size */
	CK_SIZE_LF,	/* CR seen after the size line */
	CK_DATA,
	CK_DATA_CR,	/* after the data: CR */
	CK_DATA_LF,
	CK_TR_START,	/* start of a trailer line, or the final CRLF */
	CK_TR_LINE,
	CK_TR_LF,
	CK_END_LF,	/* CR of the final empty line seen */
};

#define PX_H1_CHUNK_DIGITS 13		/* HAProxy's cap: sizes below 2^52 */
#define PX_H1_TRAILER_MAX 16384

int px_h1_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long px_h1_chunk_run(struct px_h1_chunk *c, const char *in, size_t len, bool *done)
{
	size_t i = 0;

	*done = false;
	while (i < len) {
		unsigned char b = (unsigned char)in[i];

		switch (c->st) {
		case CK_SIZE:
			if (px_h1_hexval(b) >= 0) {
				if (++c->digits > PX_H1_CHUNK_DIGITS)
					return -1;
				c->left = c->left * 16 + (uint64_t)px_h1_hexval(b);
			} else if (c->digits == 0) {
				return -1;	/* " 1", "+1", ";x" */
			} else if (b == ';') {
				c->st = CK_EXT;
			} else if (b == '\r') {
				c->st = CK_SIZE_LF;
			} else {
				return -1;	/* "1_0", "0x1", "1 ;", a bare LF */
			}
			i++;
			break;
		case CK_EXT:
			if (c->quoted) {
				if (c->escaped)
					c->escaped = false;
				else if (b == '\\')
					c->escaped = true;
				else if (b == '"')
					c->quoted = false;
				else if (b != '\t' && (b < 0x20 || b == 0x7f))
					return -1;	/* CR, LF inside quotes */
			} else if (b == '"') {
				c->quoted = true;
			} else if (b == '\r') {
				c->st = CK_SIZE_LF;
			} else if (!px_h1_tchar(b) && b != ';' && b != '=' && b != ' ' && b != '\t') {
				return -1;
			}
			i++;
			break;
		case CK_SIZE_LF:
			if (b != '\n')
				return -1;
			i++;
			c->digits = 0;
			c->st = c->left ? CK_DATA : CK_TR_START;
			break;
		case CK_DATA: {
			size_t n = len - i < c->left ? len - i : (size_t)c->left;

			i += n;
			c->left -= n;
			if (!c->left)
				c->st = CK_DATA_CR;
			break;
		}
		case CK_DATA_CR:
			if (b != '\r')
				return -1;	/* data longer than its size */
			c->st = CK_DATA_LF;
			i++;
			break;
		case CK_DATA_LF:
			if (b != '\n')
				return -1;
			c->st = CK_SIZE;
			i++;
			break;
		case CK_TR_START:
			if (b == '\r') {
				c->st = CK_END_LF;
			} else if (px_h1_tchar(b)) {
				c->st = CK_TR_LINE;	/* a trailer field: checked, passed on */
			} else {
				return -1;
			}
			i++;
			break;
		case CK_TR_LINE:
			if (b == '\r')
				c->st = CK_TR_LF;
			else if (!vchar(b) && b != ':')
				return -1;
			i++;
			break;
		case CK_TR_LF:
			if (b != '\n')
				return -1;
			c->st = CK_TR_START;
			i++;
			break;
		case CK_END_LF:
			if (b != '\n')
				return -1;
			i++;
			*done = true;
			return (long)i;
		default:
			return -1;
		}
		if (c->st >= CK_TR_START && ++c->trailer_bytes > PX_H1_TRAILER_MAX)
			return -1;
	}
	return (long)i;
}
