/* The actions of the L7 rules (px_rules.h): which backend and server,
 * what is refused or answered here, and rewrites of request and response
 * heads. */
#include "config.h"

#include "proxy/px_rules.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "proxy/proxy_int.h"
#include "proxy/px_acl_pat.h"
#include "util/strbuf.h"

/* ------------------------------------------------------------------ */
/* Connections and routing                                             */

static bool tcp_rules(const struct px_rules *r, enum rule_set set, const struct px_rctx *x)
{
	for (size_t i = 0; r && r->has[set] && i < r->prog.n_rules; i++) {
		const struct rule *ru = &r->prog.rules[i];

		if (ru->set != set || !px_cond(r, &ru->cond, x))
			continue;
		return ru->act == RA_ACCEPT;
	}
	return true;	/* no rule decided: accepted */
}

bool px_rules_conn_ok(const struct px_proxy *fe, const struct px_rctx *x)
{
	return tcp_rules(fe->rules, RS_TCP_CONN, x);
}

bool px_rules_content_ok(const struct px_proxy *fe, const struct px_rctx *x)
{
	return tcp_rules(fe->rules, RS_TCP_CONTENT, x);
}

struct px_proxy *px_rules_backend(const struct px_proxy *fe, const struct px_rctx *x)
{
	const struct px_rules *r = fe->rules;

	for (size_t i = 0; r && r->has[RS_USE_BACKEND] && i < r->prog.n_rules; i++) {
		const struct rule *ru = &r->prog.rules[i];

		if (ru->set == RS_USE_BACKEND && px_cond(r, &ru->cond, x))
			return r->x[i].be;
	}
	return fe->backend;
}

struct px_server *px_rules_server(const struct px_proxy *be, const struct px_rctx *x)
{
	const struct px_rules *r = be->rules;

	for (size_t i = 0; r && r->has[RS_USE_SERVER] && i < r->prog.n_rules; i++) {
		const struct rule *ru = &r->prog.rules[i];

		if (ru->set == RS_USE_SERVER && px_cond(r, &ru->cond, x))
			return r->x[i].srv;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Answers                                                             */

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500
		? "Client Error" : "Server Error";
	}
}

void px_rules_error(int status, struct strbuf *out)
{
	char body[128];
	int n;

	/* HAProxy's wording for its own 403 and 500. */
	if (status == 403)
		n = snprintf(body, sizeof(body), "<html><body><h1>403 Forbidden</h1>\n"
			     "Request forbidden by administrative rules.\n</body></html>\n");
	else
		n = snprintf(body, sizeof(body), "<html><body><h1>%d %s</h1>\n</body></html>\n",
			     status, reason(status));
	strbuf_printf(out, "HTTP/1.1 %d %s\r\nContent-Length: %d\r\nCache-Control: no-cache\r\n"
		      "Content-Type: text/html\r\nConnection: close\r\n\r\n%s", status,
		      reason(status), n, body);
}

/* ------------------------------------------------------------------ */
/* Values: text and %[sample]                                          */

static void put_addr(struct strbuf *out, const struct sockaddr_storage *ss)
{
	char tmp[64];
	const void *a = NULL;
	int af = ss->ss_family;

	if (af == AF_INET) {
		a = &((const struct sockaddr_in *)ss)->sin_addr;
	} else if (af == AF_INET6) {
		const unsigned char *b = ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

		a = b;
		if (memcmp(b, mapped, 12) == 0) {
			af = AF_INET;
			a = b + 12;
		}
	}
	if (a && inet_ntop(af, a, tmp, sizeof(tmp)))
		strbuf_puts(out, tmp);
}

/* The last comma-separated value of the last field name of m (HAProxy's
 * hdr() as a sample), or nothing. */
static void put_hdr(struct strbuf *out, const char *buf, const struct px_h1_msg *m,
		    const char *name)
{
	size_t nl = strlen(name);

	for (unsigned i = m->nh; i-- > 0;) {
		const struct px_h1_hdr *h = &m->h[i];
		const char *v = buf + h->v, *c, *e = buf + h->v + h->vl;

		if (h->nl != nl || strncasecmp(buf + h->n, name, nl) != 0)
			continue;
		for (c = e; c > v && c[-1] != ','; c--)
			;
		while (c < e && (*c == ' ' || *c == '\t'))
			c++;
		strbuf_append(out, c, (size_t)(e - c));
		return;
	}
}

/* Appends the value of f. Returns false when it would hold a byte a
 * header may not (CR, LF, NUL): the rewrite fails instead. */
static bool eval_fmt(const struct rule_fmt *f, const struct px_rctx *x, const char *buf,
		     const struct px_h1_msg *m, struct strbuf *out)
{
	size_t start = out->len;

	for (size_t i = 0; i < f->n; i++) {
		const struct rule_fmt_part *p = &f->p[i];

		switch (p->kind) {
		case RFM_TEXT:
			strbuf_puts(out, p->s);
			break;
		case RFM_SRC:
			put_addr(out, x->cli);
			break;
		case RFM_DST:
			put_addr(out, x->dst);
			break;
		case RFM_HDR:
			if (m)
				put_hdr(out, buf, m, p->s);
			break;
		case RFM_SSL_FC_SNI:
			if (x->fc_sni)
				strbuf_puts(out, x->fc_sni);
			break;
		case RFM_PATH:
			if (x->m) {
				const char *t = x->buf + x->m->path;
				const char *q = memchr(t, '?', x->m->path_len);

				strbuf_append(out, t, q ? (size_t)(q - t) : x->m->path_len);
			}
			break;
		}
	}
	for (size_t i = start; i < out->len; i++)
		if (out->data[i] == '\r' || out->data[i] == '\n' || out->data[i] == '\0')
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Rewriting a head                                                    */

/* Replaces the head at h->buf by nh, keeping what follows it, and parses
 * it again into h->m. */
static enum px_verdict put_head(struct px_head *h, const struct strbuf *nh)
{
	size_t old = h->m->head_len, rest = h->len - old;
	int r;

	if (nh->len + rest > h->cap || nh->len > PX_BUF_SIZE)
		return PX_V_FAIL;	/* beyond maxrewrite: HAProxy's 500 too */
	memmove(h->buf + nh->len, h->buf + old, rest);
	memcpy(h->buf, nh->data, nh->len);
	h->len = nh->len + rest;
	r = h->rsp ? px_h1_response(h->buf, h->len, PX_BUF_SIZE, h->req_method, h->m)
		   : px_h1_request(h->buf, h->len, PX_BUF_SIZE, h->xff, h->m);
	return r == PX_H1_DONE ? PX_V_GO : PX_V_FAIL;
}

static void start_line(const struct px_head *h, const char *target, size_t tlen,
		       struct strbuf *out)
{
	const struct px_h1_msg *m = h->m;

	if (h->rsp || !target) {
		const char *eol = memchr(h->buf, '\n', m->head_len);
		size_t n = (size_t)(eol - h->buf);

		if (n && h->buf[n - 1] == '\r')
			n--;
		strbuf_append(out, h->buf, n);
	} else {
		strbuf_append(out, h->buf + m->meth, m->meth_len);
		strbuf_putc(out, ' ');
		strbuf_append(out, target, tlen);
		strbuf_printf(out, " HTTP/1.%d", m->minor);
	}
	strbuf_puts(out, "\r\n");
}

static bool name_is(const struct px_head *h, unsigned i, const char *name)
{
	size_t nl = strlen(name);

	return h->m->h[i].nl == nl && strncasecmp(h->buf + h->m->h[i].n, name, nl) == 0;
}

static void put_field(struct strbuf *out, const char *buf, const struct px_h1_hdr *f)
{
	strbuf_append(out, buf + f->n, f->nl);
	strbuf_puts(out, ": ");
	strbuf_append(out, buf + f->v, f->vl);
	strbuf_puts(out, "\r\n");
}

/* One header action: set (drop then add), add, del, replace. */
static enum px_verdict edit_header(const struct px_rules *r, size_t ri, struct px_rctx *x,
				   struct px_head *h)
{
	const struct rule *ru = &r->prog.rules[ri];
	struct strbuf nh = STRBUF_INIT, val = STRBUF_INIT;
	enum px_verdict v = PX_V_GO;
	bool changed = false;

	if (ru->act != RA_DEL_HDR && ru->act != RA_REPLACE_HDR &&
	    !eval_fmt(&ru->fmt, x, h->buf, h->m, &val)) {
		strbuf_free(&val);
		return PX_V_FAIL;
	}
	start_line(h, NULL, 0, &nh);
	for (unsigned i = 0; i < h->m->nh; i++) {
		const struct px_h1_hdr *f = &h->m->h[i];

		if (!name_is(h, i, ru->name)) {
			put_field(&nh, h->buf, f);
			continue;
		}
		if (ru->act == RA_SET_HDR || ru->act == RA_DEL_HDR) {
			changed = true;
			continue;
		}
		if (ru->act == RA_REPLACE_HDR) {
			struct strbuf repl = STRBUF_INIT, out = STRBUF_INIT;

			if (!eval_fmt(&ru->fmt, x, h->buf, h->m, &repl)) {
				v = PX_V_FAIL;
			} else if (px_regex_replace(r->x[ri].re, h->buf + f->v, f->vl,
						    strbuf_str(&repl), &out)) {
				if (memchr(out.data ? out.data : "", '\r', out.len) ||
				    memchr(out.data ? out.data : "", '\n', out.len))
					v = PX_V_FAIL;
				strbuf_append(&nh, h->buf + f->n, f->nl);
				strbuf_puts(&nh, ": ");
				strbuf_append(&nh, out.data ? out.data : "", out.len);
				strbuf_puts(&nh, "\r\n");
				changed = true;
				strbuf_free(&repl);
				strbuf_free(&out);
				continue;
			}
			strbuf_free(&repl);
			strbuf_free(&out);
		}
		put_field(&nh, h->buf, f);
	}
	if (ru->act == RA_SET_HDR || ru->act == RA_ADD_HDR) {
		strbuf_printf(&nh, "%s: ", ru->name);
		strbuf_append(&nh, val.data ? val.data : "", val.len);
		strbuf_puts(&nh, "\r\n");
		changed = true;
	}
	strbuf_puts(&nh, "\r\n");
	if (v == PX_V_GO && changed)
		v = put_head(h, &nh);
	strbuf_free(&nh);
	strbuf_free(&val);
	return v;
}

/* set-path / set-query: the request line with a new target. */
static enum px_verdict edit_target(const struct rule *ru, struct px_rctx *x, struct px_head *h)
{
	const struct px_h1_msg *m = h->m;
	const char *t = h->buf + m->path;
	const char *q = memchr(t, '?', m->path_len);
	size_t plen = q ? (size_t)(q - t) : m->path_len;
	struct strbuf val = STRBUF_INIT, tgt = STRBUF_INIT, nh = STRBUF_INIT;
	enum px_verdict v;

	if (!eval_fmt(&ru->fmt, x, h->buf, h->m, &val) ||
	    memchr(val.data ? val.data : "", ' ', val.len)) {
		strbuf_free(&val);
		return PX_V_FAIL;
	}
	/* scheme://authority of an absolute-form target stays */
	strbuf_append(&tgt, h->buf + m->tgt, m->path - m->tgt);
	if (ru->act == RA_SET_PATH) {
		strbuf_append(&tgt, val.data ? val.data : "", val.len);
		if (q)
			strbuf_append(&tgt, q, m->path_len - plen);
	} else {
		strbuf_append(&tgt, t, plen);
		if (val.len) {
			strbuf_putc(&tgt, '?');
			strbuf_append(&tgt, val.data, val.len);
		}
	}
	start_line(h, tgt.data, tgt.len, &nh);
	for (unsigned i = 0; i < m->nh; i++)
		put_field(&nh, h->buf, &m->h[i]);
	strbuf_puts(&nh, "\r\n");
	v = put_head(h, &nh);
	strbuf_free(&val);
	strbuf_free(&tgt);
	strbuf_free(&nh);
	return v;
}

/* redirect: the Location and the answer (HAProxy's form: no body,
 * Content-Length 0, the connection closed after it here). */
static enum px_verdict redirect(const struct rule *ru, struct px_rctx *x, struct px_head *h,
				struct strbuf *answer)
{
	struct strbuf loc = STRBUF_INIT, val = STRBUF_INIT;
	const struct px_h1_msg *m = h->m;

	if (!eval_fmt(&ru->fmt, x, h->buf, m, &val)) {
		strbuf_free(&val);
		return PX_V_FAIL;
	}
	switch (ru->redir) {
	case RR_LOCATION:
		strbuf_append(&loc, val.data ? val.data : "", val.len);
		break;
	case RR_PREFIX:
		/* prefix / keeps the path alone (no "//") */
		if (!(val.len == 1 && val.data[0] == '/'))
			strbuf_append(&loc, val.data ? val.data : "", val.len);
		strbuf_append(&loc, h->buf + m->path, m->path_len);
		break;
	case RR_SCHEME:
		strbuf_append(&loc, val.data ? val.data : "", val.len);
		strbuf_puts(&loc, "://");
		for (unsigned i = 0; i < m->nh; i++)
			if (m->kind[i] == PX_H_HOST) {
				strbuf_append(&loc, h->buf + m->h[i].v, m->h[i].vl);
				break;
			}
		strbuf_append(&loc, h->buf + m->path, m->path_len);
		break;
	}
	strbuf_printf(answer, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\nLocation: %s\r\n"
		      "Cache-Control: no-cache\r\nConnection: close\r\n\r\n", ru->status,
		      reason(ru->status), strbuf_str(&loc));
	strbuf_free(&loc);
	strbuf_free(&val);
	return PX_V_ANSWER;
}

static void ret(const struct px_rules *r, size_t ri, struct strbuf *answer)
{
	const struct rule *ru = &r->prog.rules[ri];
	const struct px_rule_x *x = &r->x[ri];

	strbuf_printf(answer, "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n", ru->status,
		      reason(ru->status), x->body_len);
	if (ru->str)
		strbuf_printf(answer, "Content-Type: %s\r\n", ru->str);
	strbuf_puts(answer, "Cache-Control: no-cache\r\nConnection: close\r\n\r\n");
	if (x->body_len)
		strbuf_append(answer, x->body, x->body_len);
}

enum px_verdict px_rules_http_req(const struct px_proxy *p, struct px_rctx *x, struct px_head *h,
				  struct strbuf *answer, int *status)
{
	const struct px_rules *r = p->rules;
	bool allowed = false;

	if (!r)
		return PX_V_GO;
	for (size_t i = 0; i < r->prog.n_rules; i++) {
		const struct rule *ru = &r->prog.rules[i];
		enum px_verdict v = PX_V_GO;

		if ((ru->set != RS_HTTP_REQ || allowed) && ru->set != RS_REDIRECT)
			continue;
		/* x->buf / x->m follow the head as it is rewritten */
		x->buf = h->buf;
		x->m = h->m;
		if (!px_cond(r, &ru->cond, x))
			continue;
		switch (ru->act) {
		case RA_ALLOW:
			allowed = true;	/* no more http-request rules; redirects still apply */
			continue;
		case RA_DENY:
			*status = ru->status;
			return PX_V_DENY;
		case RA_TARPIT:
			*status = ru->status;
			return PX_V_TARPIT;
		case RA_REDIRECT:
			return redirect(ru, x, h, answer);
		case RA_RETURN:
			ret(r, i, answer);
			return PX_V_ANSWER;
		case RA_USE_SERVICE:
			return PX_V_SERVICE;
		case RA_AUTH: {
			static const char body[] = "<html><body><h1>401 Unauthorized</h1>\n"
						   "You need a valid user and password to access "
						   "this content.\n</body></html>\n";

			strbuf_printf(answer, "HTTP/1.1 401 Unauthorized\r\nContent-Length: %zu\r\n"
				      "Cache-Control: no-cache\r\nContent-Type: text/html\r\n"
				      "WWW-Authenticate: Basic realm=\"%s\"\r\nConnection: close\r\n"
				      "\r\n%s", sizeof(body) - 1, ru->str ? ru->str : p->name, body);
			return PX_V_ANSWER;
		}
		case RA_SET_HDR:
		case RA_ADD_HDR:
		case RA_DEL_HDR:
		case RA_REPLACE_HDR:
			v = edit_header(r, i, x, h);
			break;
		case RA_SET_PATH:
		case RA_SET_QUERY:
			v = edit_target(ru, x, h);
			break;
		default:
			break;
		}
		if (v != PX_V_GO) {
			*status = 500;
			return v;
		}
	}
	x->buf = h->buf;
	x->m = h->m;
	return PX_V_GO;
}

bool px_rules_stats_admin(const struct px_proxy *p, const struct px_rctx *x)
{
	const struct px_rules *r = p->rules;

	if (!r || !r->has[RS_STATS_ADMIN])
		return false;
	/* HAProxy: the first stats admin line whose condition holds. */
	for (size_t i = 0; i < r->prog.n_rules; i++) {
		const struct rule *ru = &r->prog.rules[i];

		if (ru->set == RS_STATS_ADMIN && px_cond(r, &ru->cond, x))
			return true;
	}
	return false;
}

enum px_verdict px_rules_http_rsp(const struct px_proxy *p, struct px_rctx *x, struct px_head *h)
{
	const struct px_rules *r = p->rules;

	if (!r || !r->has[RS_HTTP_RSP])
		return PX_V_GO;
	for (size_t i = 0; i < r->prog.n_rules; i++) {
		const struct rule *ru = &r->prog.rules[i];
		enum px_verdict v;

		if (ru->set != RS_HTTP_RSP)
			continue;
		x->rbuf = h->buf;
		x->rm = h->m;
		if (!px_cond(r, &ru->cond, x))
			continue;
		if (ru->act == RA_ALLOW)
			return PX_V_GO;
		if (ru->act == RA_DENY)
			return PX_V_DENY;
		v = edit_header(r, i, x, h);
		if (v != PX_V_GO)
			return v;
	}
	return PX_V_GO;
}
