/* Cookie persistence (px_cookie.h). */
#include "config.h"

#include "proxy/proxy_int.h"
#include "proxy/px_cookie.h"

#include <string.h>
#include <strings.h>

#include "config/hap_cookie.h"
#include "util/strbuf.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void px_cookie_s30tob64(uint32_t v, char out[5])
{
	for (int i = 0; i < 5; i++) {
		out[i] = b64[(v >> 24) & 0x3f];
		v <<= 6;
	}
}

int32_t px_cookie_b64tos30(const char *in)
{
	int32_t v = 0;

	for (int i = 0; i < 5; i++) {
		const char *p = in[i] ? strchr(b64, in[i]) : NULL;

		if (!p)
			return -1;
		v = (v << 6) | (int32_t)(p - b64);
	}
	return v;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* One name=value of a Cookie field: [*p, end) is consumed up to the next
 * ';'. Returns false at the end. Names and values are trimmed; a part
 * without '=' has an empty value and eq false. */
struct ck_part {
	const char *n, *v, *raw;
	size_t nl, vl, rawl;
	bool eq;
};

static bool next_part(const char **p, const char *end, struct ck_part *c)
{
	const char *s = *p, *e, *eq;

	while (s < end && (is_ws(*s) || *s == ';'))
		s++;
	if (s >= end)
		return false;
	e = memchr(s, ';', (size_t)(end - s));
	if (!e)
		e = end;
	*p = e;
	while (e > s && is_ws(e[-1]))
		e--;
	c->raw = s;
	c->rawl = (size_t)(e - s);
	eq = memchr(s, '=', (size_t)(e - s));
	c->eq = eq != NULL;
	c->n = s;
	c->nl = (size_t)((eq ? eq : e) - s);
	while (c->nl && is_ws(s[c->nl - 1]))
		c->nl--;
	c->v = eq ? eq + 1 : e;
	while (c->v < e && is_ws(*c->v))
		c->v++;
	c->vl = (size_t)(e - c->v);
	return true;
}

static bool is_ours(const struct cfg_cookie *ck, const struct ck_part *c)
{
	return c->eq && c->nl == strlen(ck->name) && memcmp(c->n, ck->name, c->nl) == 0;
}

static bool name_is(const char *buf, const struct px_h1_hdr *h, const char *name)
{
	return h->nl == strlen(name) && strncasecmp(buf + h->n, name, h->nl) == 0;
}

/* ------------------------------------------------------------------ */
/* Request                                                             */

/* The value v of our cookie: which server it names, and its dates. */
static void judge(const struct px_proxy *be, const char *v, size_t vl, time_t now,
		  struct px_ck_txn *t)
{
	const struct cfg_cookie *ck = be->ck;
	const char *delim = memchr(v, '~', vl), *bar = memchr(v, '|', vl);
	bool down = false;

	if (!delim)
		delim = v + vl;
	if (bar && ck->mode == CFG_COOKIE_INSERT) {
		/* SERVER|LAST[|FIRST]: dates in 4-second steps */
		const char *end = v + vl;
		int32_t d;

		delim = bar;
		if (end - (bar + 1) >= 5 && (d = px_cookie_b64tos30(bar + 1)) > 0)
			t->last = (uint32_t)d << 2;
		bar = memchr(bar + 1, '|', (size_t)(end - (bar + 1)));
		if (bar && end - bar > 5 && (d = px_cookie_b64tos30(bar + 1)) > 0)
			t->first = (uint32_t)d << 2;
	}
	/* Too old or idle too long (or dated more than a day ahead): as if
	 * there were no cookie, and the answer sets a new one. */
	if (t->first && ck->maxlife_s &&
	    ((int64_t)now - t->first > ck->maxlife_s || (int64_t)t->first - now > 86400)) {
		t->cli = 'O';
		t->first = t->last = 0;
		return;
	}
	if (t->last && ck->maxidle_s &&
	    ((int64_t)now - t->last > ck->maxidle_s || (int64_t)t->last - now > 86400)) {
		t->cli = 'E';
		t->first = t->last = 0;
		return;
	}
	if (delim == v) {
		t->cli = 'I';	/* an empty server part names nobody */
		return;
	}
	/* The first server with that value that may take it; several may
	 * share a value (HAProxy's rule, e.g. a backup per server). */
	for (size_t i = 0; i < be->n_srv; i++) {
		struct px_server *s = &be->srv[i];

		if (!s->cookie || strlen(s->cookie) != (size_t)(delim - v) ||
		    memcmp(s->cookie, v, (size_t)(delim - v)) != 0)
			continue;
		if (s->state == PX_SRV_UP || s->state == PX_SRV_DRAIN) {
			t->cli = 'V';
			t->srv = s;
			return;
		}
		down = true;
		if (s->state == PX_SRV_DOWN && be->persist) {
			t->cli = 'D';
			t->srv = s;
			return;
		}
	}
	t->cli = down ? 'D' : 'I';
}

void px_cookie_request(const struct px_proxy *be, const char *buf, const struct px_h1_msg *m,
		       time_t now, struct px_ck_txn *t)
{
	memset(t, 0, sizeof(*t));
	t->cli = 'N';
	t->srvf = 'N';
	t->post = m->meth_len == 4 && memcmp(buf + m->meth, "POST", 4) == 0;
	t->get_head = m->method == PX_M_GET || m->method == PX_M_HEAD;
	for (unsigned i = 0; i < m->nh; i++) {
		const struct px_h1_hdr *h = &m->h[i];
		const char *p = buf + h->v, *end = p + h->vl;
		struct ck_part c;

		if (!name_is(buf, h, "Cookie"))
			continue;
		while (next_part(&p, end, &c)) {
			if (!is_ours(be->ck, &c))
				continue;
			/* The first one decides, as in HAProxy. */
			judge(be, c.v, c.vl, now, t);
			return;
		}
	}
}

bool px_cookie_req_field(const struct px_proxy *be, const char *buf, const struct px_h1_hdr *h,
			 struct strbuf *out)
{
	const struct cfg_cookie *ck = be->ck;
	const char *p = buf + h->v, *end = p + h->vl;
	struct ck_part c;
	size_t start = out->len;
	bool any = false, changed = false;

	if (!name_is(buf, h, "Cookie"))
		return false;
	if (ck->mode == CFG_COOKIE_REWRITE || (ck->mode == CFG_COOKIE_INSERT && !ck->indirect))
		return false;	/* passed on as it came */
	strbuf_append(out, buf + h->n, h->nl);
	strbuf_puts(out, ": ");
	while (next_part(&p, end, &c)) {
		const char *v = c.raw;
		size_t vl = c.rawl;

		if (is_ours(ck, &c)) {
			changed = true;
			if (ck->mode == CFG_COOKIE_INSERT)
				continue;	/* indirect: the server never sees it */
			/* prefix: SERVER~APPVALUE reaches the server as APPVALUE */
			{
				const char *tilde = memchr(c.v, '~', c.vl);

				if (tilde) {
					if (any)
						strbuf_puts(out, "; ");
					strbuf_append(out, c.n, c.nl);
					strbuf_putc(out, '=');
					strbuf_append(out, tilde + 1, c.vl - (size_t)(tilde + 1 - c.v));
					any = true;
					continue;
				}
			}
		}
		if (any)
			strbuf_puts(out, "; ");
		strbuf_append(out, v, vl);
		any = true;
	}
	if (!changed) {
		/* Nothing of ours: the field as it came. */
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return false;
	}
	if (!any) {
		out->len = start;	/* it held only our cookie: dropped */
		if (out->data)
			out->data[start] = '\0';
		return true;
	}
	strbuf_puts(out, "\r\n");
	return true;
}

struct px_server *px_cookie_server(const struct px_worker *w, struct px_ck_txn *t, bool *full)
{
	struct px_server *s = t->srv;

	*full = false;
	if (!s)
		return NULL;
	/* The state may have changed while the request waited. */
	if (s->state == PX_SRV_MAINT || (s->state == PX_SRV_DOWN && t->cli != 'D')) {
		t->srv = NULL;
		t->direct = false;
		return NULL;
	}
	if (s->maxconn > 0 &&
	    atomic_load_explicit(&s->st->slots[w->idx].cur, memory_order_relaxed) >=
		    (uint64_t)s->maxconn) {
		*full = true;
		return NULL;
	}
	t->direct = true;
	return s;
}

/* ------------------------------------------------------------------ */
/* Response                                                            */

bool px_cookie_rsp_field(const struct px_proxy *be, const struct px_server *srv,
			 struct px_ck_txn *t, const char *buf, const struct px_h1_hdr *h,
			 struct strbuf *out)
{
	const struct cfg_cookie *ck = be->ck;
	const char *p = buf + h->v, *end = p + h->vl, *rest;
	struct ck_part c;

	if (!name_is(buf, h, "Set-Cookie"))
		return false;
	if (!next_part(&p, end, &c) || !is_ours(ck, &c))
		return false;
	t->srvf = 'P';
	if (ck->preserve) {
		t->sck_found = true;
		return false;	/* the server's own: untouched */
	}
	if ((srv && ck->mode == CFG_COOKIE_INSERT) || (t->direct && ck->indirect)) {
		t->srvf = 'D';	/* ours replaces it, or the client has it */
		return true;
	}
	if (!srv || !srv->cookie)
		return false;
	/* rewrite: NAME=SERVER; prefix: NAME=SERVER~VALUE; the attributes
	 * after the value stay */
	rest = c.v + c.vl;
	strbuf_append(out, buf + h->n, h->nl);
	strbuf_puts(out, ": ");
	strbuf_append(out, c.n, c.nl);
	strbuf_putc(out, '=');
	strbuf_puts(out, srv->cookie);
	if (ck->mode == CFG_COOKIE_PREFIX) {
		strbuf_putc(out, '~');
		strbuf_append(out, c.v, c.vl);
	}
	strbuf_append(out, rest, (size_t)(end - rest));
	strbuf_puts(out, "\r\n");
	t->srvf = 'R';
	return true;
}

/* Whether HAProxy 2.6 takes the answer for one a shared cache may keep
 * (then nocache marks it private): a GET or HEAD, a status cacheable by
 * default, nothing forbidding it, and freshness or a validator. */
static bool cacheable(const struct px_ck_txn *t, const char *buf, const struct px_h1_msg *m)
{
	bool fresh = false, validator = false;

	if (!t->get_head)
		return false;
	switch (m->status) {
	case 200: case 203: case 204: case 206: case 300: case 301:
	case 404: case 405: case 410: case 414: case 501:
		break;
	default:
		return false;
	}
	for (unsigned i = 0; i < m->nh; i++) {
		const struct px_h1_hdr *h = &m->h[i];
		const char *v = buf + h->v, *end = v + h->vl;

		if (name_is(buf, h, "Pragma") && h->vl == 8 && strncasecmp(v, "no-cache", 8) == 0)
			return false;
		if (name_is(buf, h, "Expires"))
			fresh = true;
		if (name_is(buf, h, "ETag") || name_is(buf, h, "Last-Modified"))
			validator = true;
		if (!name_is(buf, h, "Cache-Control"))
			continue;
		while (v < end) {
			const char *comma = memchr(v, ',', (size_t)(end - v)), *e;
			size_t l;

			e = comma ? comma : end;
			while (v < e && is_ws(*v))
				v++;
			l = (size_t)(e - v);
			while (l && is_ws(v[l - 1]))
				l--;
			if ((l == 7 && strncasecmp(v, "private", 7) == 0) ||
			    (l == 8 && strncasecmp(v, "no-cache", 8) == 0) ||
			    (l == 8 && strncasecmp(v, "no-store", 8) == 0) ||
			    (l == 9 && strncasecmp(v, "max-age=0", 9) == 0) ||
			    (l == 10 && strncasecmp(v, "s-maxage=0", 10) == 0))
				return false;
			if ((l >= 7 && strncasecmp(v, "max-age", 7) == 0) ||
			    (l >= 8 && strncasecmp(v, "s-maxage", 8) == 0))
				fresh = true;
			v = comma ? comma + 1 : end;
		}
	}
	return fresh || validator;
}

void px_cookie_rsp_end(const struct px_proxy *be, const struct px_server *srv,
		       struct px_ck_txn *t, const char *buf, const struct px_h1_msg *m, time_t now,
		       struct strbuf *out)
{
	const struct cfg_cookie *ck = be->ck;
	uint32_t q = (uint32_t)((now + 3) >> 2);

	if (ck->mode != CFG_COOKIE_INSERT || !srv || (t->sck_found && ck->preserve))
		return;
	/* A new server, a date to refresh (every 4 s of activity), a first
	 * date to add or drop: HAProxy's conditions, in its order. */
	if (!(!t->direct || ((ck->maxidle_s || t->last) && (!t->last || (int64_t)t->last < now)) ||
	      (ck->maxlife_s && !t->first) || (!ck->maxlife_s && t->first)))
		return;
	if (ck->postonly && !t->post)
		return;
	strbuf_puts(out, "Set-Cookie: ");
	if (!srv->cookie) {
		/* A server without a value: the client forgets the cookie. */
		strbuf_printf(out, "%s=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/", ck->name);
	} else {
		strbuf_printf(out, "%s=%s", ck->name, srv->cookie);
		if (ck->maxidle_s || ck->maxlife_s) {
			char d[5];

			px_cookie_s30tob64(q, d);
			strbuf_putc(out, '|');
			strbuf_append(out, d, 5);
			if (ck->maxlife_s) {
				px_cookie_s30tob64(t->first ? t->first >> 2 : q, d);
				strbuf_putc(out, '|');
				strbuf_append(out, d, 5);
			}
		}
		strbuf_puts(out, "; path=/");
	}
	strbuf_puts(out, ck->domains);
	if (ck->httponly)
		strbuf_puts(out, "; HttpOnly");
	if (ck->secure)
		strbuf_puts(out, "; Secure");
	strbuf_puts(out, ck->attrs);
	strbuf_puts(out, "\r\n");
	t->srvf = srv->cookie && t->direct ? 'U' : 'I';
	if (ck->nocache && cacheable(t, buf, m))
		strbuf_puts(out, "Cache-Control: private\r\n");
}
