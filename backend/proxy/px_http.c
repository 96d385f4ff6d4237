/* mode http: the heads as they are sent on, rebuilt from what px_h1.c
 * parsed (so only checked bytes go out, with CRLF line ends), with
 * X-Forwarded-For (the seed's lost client address), one Content-Length,
 * the hop-by-hop Connection fields replaced by ours; the balancing key of
 * a request; and the error answers. */
#include "config.h"

#include "proxy/proxy_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "proxy/px_cookie.h"
#include "util/strbuf.h"

/* The value of parameter name in the query of target, or NULL. */
static const char *url_param(const char *t, size_t tl, const char *name, size_t *vl)
{
	const char *q = memchr(t, '?', tl), *end = t + tl;
	size_t nl = strlen(name);

	if (!q)
		return NULL;
	for (const char *p = q + 1; p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *e = amp ? amp : end;

		if ((size_t)(e - p) > nl && p[nl] == '=' && strncmp(p, name, nl) == 0) {
			*vl = (size_t)(e - p - (ptrdiff_t)nl - 1);
			return p + nl + 1;
		}
		p = e + 1;
	}
	return NULL;
}

void px_http_key(const struct px_proxy *be, const char *buf, const struct px_h1_msg *m,
		 const char **key, size_t *key_len)
{
	*key = NULL;
	*key_len = 0;
	switch (be->balance) {
	case CFG_BALANCE_URI:
		/* HAProxy hashes the path (the part before '?' by default). */
		*key = buf + m->path;
		*key_len = m->path_len;
		{
			const char *q = memchr(*key, '?', *key_len);

			if (q)
				*key_len = (size_t)(q - *key);
		}
		break;
	case CFG_BALANCE_URL_PARAM:
		if (be->balance_arg)
			*key = url_param(buf + m->path, m->path_len, be->balance_arg, key_len);
		break;
	case CFG_BALANCE_HDR:
		for (unsigned i = 0; be->balance_arg && i < m->nh; i++) {
			const struct px_h1_hdr *h = &m->h[i];

			if (strlen(be->balance_arg) == h->nl &&
			    strncasecmp(buf + h->n, be->balance_arg, h->nl) == 0 && h->vl) {
				*key = buf + h->v;
				*key_len = h->vl;
				break;
			}
		}
		break;
	default:
		break;
	}
}

static bool in_net(const struct sockaddr_storage *a, const struct px_xff *x)
{
	const unsigned char *p, *q = x->net;
	unsigned bits = x->bits, n;

	if (a->ss_family != x->af)
		return false;
	p = a->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)a)->sin6_addr.s6_addr
				     : (const unsigned char *)&((const struct sockaddr_in *)a)->sin_addr;
	n = bits / 8;
	if (memcmp(p, q, n) != 0)
		return false;
	if (bits % 8) {
		unsigned char mask = (unsigned char)(0xff << (8 - bits % 8));

		return (p[n] & mask) == (q[n] & mask);
	}
	return true;
}

/* The forwardfor settings in force: the frontend's, else the backend's
 * (HAProxy applies either). */
static const struct px_xff *xff_of(const struct px_proxy *fe, const struct px_proxy *be)
{
	if (fe->xff.on)
		return &fe->xff;
	if (be->xff.on)
		return &be->xff;
	return NULL;
}

const char *px_http_xff_name(const struct px_proxy *fe, const struct px_proxy *be)
{
	const struct px_xff *x = xff_of(fe, be);

	return x ? x->name : NULL;
}

/* Content-Length: N as a field, without printf: once per message, so
 * the formatter's cost showed in the profile. */
static void put_cl(struct strbuf *out, uint64_t v)
{
	char b[40];
	size_t i = sizeof(b);

	b[--i] = '\n';
	b[--i] = '\r';
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	strbuf_puts(out, "Content-Length: ");
	strbuf_append(out, b + i, sizeof(b) - i);
}

/* The client's address as X-Forwarded-For writes it. IPv4 by hand
 * (glibc's inet_ntop formats it with sprintf), IPv6 with inet_ntop. */
static void put_ip(struct strbuf *out, const struct sockaddr_storage *cli)
{
	char ip[INET6_ADDRSTRLEN] = "";

	if (cli->ss_family == AF_INET) {
		const unsigned char *a =
			(const unsigned char *)&((const struct sockaddr_in *)cli)->sin_addr;
		size_t n = 0;

		for (int k = 0; k < 4; k++) {
			unsigned v = a[k];

			if (k)
				ip[n++] = '.';
			if (v >= 100)
				ip[n++] = (char)('0' + v / 100);
			if (v >= 10)
				ip[n++] = (char)('0' + v / 10 % 10);
			ip[n++] = (char)('0' + v % 10);
		}
		strbuf_append(out, ip, n);
		return;
	}
	if (cli->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)cli)->sin6_addr, ip, sizeof(ip));
	strbuf_puts(out, ip);
}

static void field(struct strbuf *out, const char *buf, const struct px_h1_hdr *h)
{
	strbuf_append(out, buf + h->n, h->nl);
	strbuf_puts(out, ": ");
	strbuf_append(out, buf + h->v, h->vl);
	strbuf_puts(out, "\r\n");
}

void px_http_req_out(const struct px_proxy *fe, const struct px_proxy *be, const char *buf,
		     const struct px_h1_msg *m, const struct sockaddr_storage *cli, bool srv_close,
		     struct strbuf *out)
{
	const struct px_xff *x = xff_of(fe, be);
	bool cl_done = false;

	/* One allocation for the head (it rarely grows beyond what came):
	 * appended field by field, the buffer was reallocated several times
	 * per request. */
	strbuf_reserve(out, m->head_len + 128);
	strbuf_append(out, buf + m->meth, m->meth_len);
	strbuf_putc(out, ' ');
	strbuf_append(out, buf + m->tgt, m->tgt_len);
	strbuf_puts(out, m->minor ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n");
	for (unsigned i = 0; i < m->nh; i++) {
		const struct px_h1_hdr *h = &m->h[i];

		switch (m->kind[i]) {
		case PX_H_CONNECTION:
		case PX_H_KEEPALIVE:
			continue;	/* hop by hop: ours replace them */
		case PX_H_UPGRADE:
		case PX_H_H2SETTINGS:
			if (!m->upgrade)
				continue;	/* h2c (F17), or no Connection: upgrade */
			break;
		case PX_H_CL:
			if (cl_done)
				continue;
			cl_done = true;
			put_cl(out, m->cl);
			continue;
		default:
			if (be->ck && px_cookie_req_field(be, buf, h, out))
				continue;	/* rewritten or dropped (px_cookie.c) */
			break;
		}
		field(out, buf, h);
	}
	if (x && !(x->if_none && m->has_xff) && !(x->has_except && in_net(cli, x))) {
		strbuf_puts(out, x->name);
		strbuf_puts(out, ": ");
		put_ip(out, cli);
		strbuf_puts(out, "\r\n");
	}
	if (m->upgrade)
		strbuf_puts(out, "Connection: upgrade\r\n");
	else if (srv_close)
		strbuf_puts(out, "Connection: close\r\n");
	else if (m->minor == 0)
		strbuf_puts(out, "Connection: keep-alive\r\n");
	strbuf_puts(out, "\r\n");
}

void px_http_rsp_out(const char *buf, const struct px_h1_msg *m, bool cli_close, int cli_minor,
		     struct strbuf *out)
{
	px_http_rsp_out_ck(buf, m, cli_close, cli_minor, NULL, NULL, NULL, out);
}

void px_http_rsp_out_ck(const char *buf, const struct px_h1_msg *m, bool cli_close,
			int cli_minor, const struct px_proxy *be, const struct px_server *srv,
			struct px_ck_txn *ck, struct strbuf *out)
{
	/* Persistence acts on final answers only. */
	bool cookies = be && be->ck && ck && m->status >= 200;

	bool cl_done = false;

	strbuf_reserve(out, m->head_len + 128);	/* one allocation, as for requests */
	/* The status line as received, up to its CRLF (already checked). */
	{
		const char *eol = memchr(buf, '\r', m->head_len);

		strbuf_append(out, buf, (size_t)(eol - buf));
		strbuf_puts(out, "\r\n");
	}
	for (unsigned i = 0; i < m->nh; i++) {
		const struct px_h1_hdr *h = &m->h[i];

		switch (m->kind[i]) {
		case PX_H_CONNECTION:
		case PX_H_KEEPALIVE:
			continue;
		case PX_H_UPGRADE:
			if (m->status != 101)
				continue;
			break;
		case PX_H_CL:
			if (cl_done || m->te_and_cl)
				continue;	/* P3: TE wins */
			cl_done = true;
			put_cl(out, m->cl);
			continue;
		default:
			if (cookies && px_cookie_rsp_field(be, srv, ck, buf, h, out))
				continue;	/* rewritten or dropped (px_cookie.c) */
			break;
		}
		field(out, buf, h);
	}
	if (cookies)
		px_cookie_rsp_end(be, srv, ck, buf, m, time(NULL), out);
	if (m->status == 101)
		strbuf_puts(out, "Connection: upgrade\r\n");
	else if (m->status >= 200 && cli_close)
		strbuf_puts(out, "Connection: close\r\n");
	else if (m->status >= 200 && cli_minor == 0)
		strbuf_puts(out, "Connection: keep-alive\r\n");
	strbuf_puts(out, "\r\n");
}

const char *px_http_error(int status)
{
	switch (status) {
	case 400:
		return "HTTP/1.1 400 Bad Request\r\nContent-Length: 12\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nBad request\n";
	case 405:
		return "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 19\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nMethod not allowed\n";
	case 408:
		return "HTTP/1.1 408 Request Timeout\r\nContent-Length: 16\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nRequest timeout\n";
	case 413:
		return "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 18\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nPayload too large\n";
	case 414:
		return "HTTP/1.1 414 URI Too Long\r\nContent-Length: 13\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nURI too long\n";
	case 431:
		return "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 32\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nRequest header fields too large\n";
	case 501:
		return "HTTP/1.1 501 Not Implemented\r\nContent-Length: 16\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nNot implemented\n";
	case 502:
		return "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 12\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nBad gateway\n";
	case 504:
		return "HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 16\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nGateway timeout\n";
	default:
		return "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 20\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nService unavailable\n";
	}
}
