/* mode http: the request head, checked strictly (RFC 9112) and bounded
 * (PX_HTTP_HEAD_MAX), rewritten with X-Forwarded-For (the seed's lost
 * client address) and Connection: close, and the error answers. */
#include "config.h"

#include "proxy/proxy_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/strbuf.h"

enum px_http_status px_http_head(const char *buf, size_t len, size_t *head_len)
{
	for (size_t i = 0; i + 3 < len; i++) {
		if (buf[i] == '\0')
			return PX_HTTP_BAD;
		if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
			*head_len = i + 4;
			return i + 4 <= PX_HTTP_HEAD_MAX ? PX_HTTP_DONE : PX_HTTP_BAD;
		}
	}
	return len >= PX_HTTP_HEAD_MAX ? PX_HTTP_BAD : PX_HTTP_MORE;
}

/* RFC 9110 tchar. */
static bool tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* "METHOD SP target SP HTTP/1.x"; the target's extent in *t, *tl. */
static int request_line(const char *p, size_t len, const char **t, size_t *tl)
{
	size_t i = 0, ts;

	while (i < len && tchar((unsigned char)p[i]))
		i++;
	if (i == 0 || i >= len || p[i] != ' ')
		return -1;
	ts = ++i;
	while (i < len && (unsigned char)p[i] > ' ' && p[i] != 0x7f)
		i++;
	if (i == ts || i >= len || p[i] != ' ')
		return -1;
	*t = p + ts;
	*tl = i - ts;
	i++;
	if (len - i != 8 || memcmp(p + i, "HTTP/1.", 7) != 0 || (p[i + 7] != '0' && p[i + 7] != '1'))
		return -1;
	return 0;
}

static bool name_is(const char *p, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp(p, name, n) == 0;
}

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

int px_http_rewrite(const struct px_proxy *fe, const struct px_proxy *be, const char *head,
		    size_t head_len, const struct sockaddr_storage *client, struct strbuf *out,
		    const char **key, size_t *key_len)
{
	const char *p = head, *end = head + head_len - 2;	/* before the last CRLF */
	const char *target = NULL;
	size_t tl = 0;
	bool first = true, have_cl = false, have_te = false;

	*key = NULL;
	*key_len = 0;
	while (p < end) {
		const char *eol = memchr(p, '\r', (size_t)(end - p));
		size_t len;

		if (!eol || eol + 1 >= end + 2 || eol[1] != '\n')
			return -1;
		len = (size_t)(eol - p);
		if (memchr(p, '\n', len) || memchr(p, '\0', len))
			return -1;	/* a bare LF or a NUL inside a line */
		if (first) {
			if (request_line(p, len, &target, &tl) < 0)
				return -1;
			strbuf_append(out, p, len);
			strbuf_puts(out, "\r\n");
			first = false;
		} else {
			const char *colon = memchr(p, ':', len);
			size_t nl;

			/* No obs-fold, no space before the colon, a token name. */
			if (!colon || colon == p)
				return -1;
			nl = (size_t)(colon - p);
			for (size_t i = 0; i < nl; i++)
				if (!tchar((unsigned char)p[i]))
					return -1;
			if (name_is(p, nl, "content-length"))
				have_cl = true;
			if (name_is(p, nl, "transfer-encoding"))
				have_te = true;
			if (be->balance == CFG_BALANCE_HDR && be->balance_arg &&
			    name_is(p, nl, be->balance_arg) && !*key) {
				const char *v = colon + 1, *ve = p + len;

				while (v < ve && (*v == ' ' || *v == '\t'))
					v++;
				while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
					ve--;
				if (ve > v) {
					*key = v;
					*key_len = (size_t)(ve - v);
				}
			}
			/* Connection is replaced when the server side closes. */
			if (!(fe->server_close || be->server_close) || !name_is(p, nl, "connection")) {
				strbuf_append(out, p, len);
				strbuf_puts(out, "\r\n");
			}
		}
		p = eol + 2;
	}
	if (first || (have_cl && have_te))
		return -1;	/* no request line; or a smuggling attempt */
	if (be->balance == CFG_BALANCE_URI) {
		*key = target;
		*key_len = tl;
	} else if (be->balance == CFG_BALANCE_URL_PARAM && be->balance_arg) {
		*key = url_param(target, tl, be->balance_arg, key_len);
	}
	if (fe->forwardfor || be->forwardfor) {
		char ip[INET6_ADDRSTRLEN] = "";

		if (client->ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)client)->sin6_addr, ip,
				  sizeof(ip));
		else
			inet_ntop(AF_INET, &((const struct sockaddr_in *)client)->sin_addr, ip,
				  sizeof(ip));
		strbuf_printf(out, "X-Forwarded-For: %s\r\n", ip);
	}
	if (fe->server_close || be->server_close)
		strbuf_puts(out, "Connection: close\r\n");
	strbuf_puts(out, "\r\n");
	return 0;
}

const char *px_http_error(int status)
{
	switch (status) {
	case 400:
		return "HTTP/1.1 400 Bad Request\r\nContent-Length: 12\r\nConnection: close\r\n\r\nBad request\n";
	case 408:
		return "HTTP/1.1 408 Request Timeout\r\nContent-Length: 16\r\nConnection: close\r\n\r\nRequest timeout\n";
	case 502:
		return "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 12\r\nConnection: close\r\n\r\nBad gateway\n";
	case 504:
		return "HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 16\r\nConnection: close\r\n\r\nGateway timeout\n";
	default:
		return "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 20\r\nConnection: close\r\n\r\nService unavailable\n";
	}
}
