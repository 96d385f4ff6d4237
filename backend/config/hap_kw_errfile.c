/* errorfile CODE FILE: softlb's own answers (400, 408, 503, ...) taken
 * from a file, read and checked when the configuration loads, so a
 * missing, unreadable, oversized or malformed file refuses the
 * configuration at its line, and a reload reads it again. The model
 * keeps the answer as it will be sent: CRLF line ends, one
 * Content-Length, Connection: close (softlb closes after its own
 * answers), the body as in the file. */
#include "config.h"

#include "config/hap_parse.h"
#include "config/model.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ERRFILE_MAX 15360	/* a head and body that fit softlb's buffer */

/* HAProxy 2.6's errorfile codes. */
static const int codes[] = { 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 414, 425,
			     429, 431, 500, 501, 502, 503, 504 };

static bool tchar(unsigned char c)
{
	return c > 32 && c < 127 && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

/* Checks the response in f[0..n) and writes it to out as it is sent.
 * Returns NULL, or what is wrong. */
static const char *normalize(const char *f, size_t n, struct strbuf *out)
{
	const char *p = f, *end = f + n, *eol;
	long long cl = -1;
	size_t body;

	/* Status line: HTTP/1.x NNN [reason] */
	eol = memchr(p, '\n', n);
	if (!eol || n < 12 || (memcmp(p, "HTTP/1.0 ", 9) != 0 && memcmp(p, "HTTP/1.1 ", 9) != 0) ||
	    p[9] < '1' || p[9] > '5' || p[10] < '0' || p[10] > '9' || p[11] < '0' || p[11] > '9' ||
	    (p + 12 < eol && p[12] != ' ' && p[12] != '\r'))
		return "it does not start with a status line 'HTTP/1.x NNN reason'";
	{
		size_t ll = (size_t)(eol - p);

		if (ll && p[ll - 1] == '\r')
			ll--;
		for (size_t i = 0; i < ll; i++)
			if ((unsigned char)p[i] < 32 || p[i] == 127)
				return "its status line holds a control character";
		strbuf_append(out, p, ll);
		strbuf_puts(out, "\r\n");
	}
	p = eol + 1;
	for (;;) {
		const char *colon, *v, *ve;
		size_t ll;

		eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		if (!eol)
			return "its head does not end with an empty line";
		ll = (size_t)(eol - p);
		if (ll && p[ll - 1] == '\r')
			ll--;
		if (ll == 0) {
			p = eol + 1;
			break;
		}
		colon = memchr(p, ':', ll);
		if (!colon || colon == p)
			return "a header line is not 'Name: value'";
		for (const char *c = p; c < colon; c++)
			if (!tchar((unsigned char)*c))
				return "a header name is not a token";
		v = colon + 1;
		ve = p + ll;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		for (const char *c = v; c < ve; c++)
			if (((unsigned char)*c < 32 && *c != '\t') || *c == 127)
				return "a header value holds a control character";
		if ((size_t)(colon - p) == 17 && strncasecmp(p, "Transfer-Encoding", 17) == 0)
			return "it has a Transfer-Encoding (write the body plain, with a Content-Length)";
		if ((size_t)(colon - p) == 14 && strncasecmp(p, "Content-Length", 14) == 0) {
			char num[24];
			char *e;
			long long x;

			if (ve - v == 0 || ve - v > 15 || cl >= 0)
				return "its Content-Length is not one decimal number";
			memcpy(num, v, (size_t)(ve - v));
			num[ve - v] = '\0';
			x = strtoll(num, &e, 10);
			if (*e || num[0] < '0' || num[0] > '9')
				return "its Content-Length is not one decimal number";
			cl = x;
			p = eol + 1;
			continue;	/* written once, below */
		}
		if ((size_t)(colon - p) == 10 && (strncasecmp(p, "Connection", 10) == 0 ||
						  strncasecmp(p, "Keep-Alive", 10) == 0)) {
			p = eol + 1;
			continue;	/* ours replaces it */
		}
		strbuf_append(out, p, (size_t)(colon - p));
		strbuf_puts(out, ": ");
		strbuf_append(out, v, (size_t)(ve - v));
		strbuf_puts(out, "\r\n");
		p = eol + 1;
	}
	body = (size_t)(end - p);
	if (cl >= 0 && (size_t)cl != body)
		return "its Content-Length is not the length of the body that follows";
	strbuf_printf(out, "Content-Length: %zu\r\nConnection: close\r\n\r\n", body);
	strbuf_append(out, p, body);
	return NULL;
}

HAP_LOG_SETTER(hap_set_errorfile)
{
	struct cfg_proxy *px = p->px;
	long code = 0;
	bool known = false;
	char *e, *data;
	const char *why;
	struct strbuf item = STRBUF_INIT;
	size_t n = 0;
	FILE *f;

	code = strtol(l->argv[1], &e, 10);
	for (size_t i = 0; i < sizeof(codes) / sizeof(*codes); i++)
		known = known || codes[i] == code;
	if (*e || !known)
		return hap_expects(p, l, "errorfile", 1, "an HTTP status softlb or HAProxy "
				   "answers (200, 400, 401, 403, 404, 405, 407, 408, 410, 413, "
				   "414, 425, 429, 431, 500, 501, 502, 503, 504)");
	f = fopen(l->argv[2], "rb");
	if (!f) {
		hap_error(p, l, "'errorfile %ld': cannot read '%s': %s", code, l->argv[2],
			  strerror(errno));
		return false;
	}
	data = xmalloc(ERRFILE_MAX + 1);
	n = fread(data, 1, ERRFILE_MAX + 1, f);
	if (ferror(f)) {
		hap_error(p, l, "'errorfile %ld': cannot read '%s': %s", code, l->argv[2],
			  strerror(errno));
		fclose(f);
		free(data);
		return false;
	}
	fclose(f);
	if (n > ERRFILE_MAX) {
		hap_error(p, l, "'errorfile %ld': '%s' is larger than %d bytes", code, l->argv[2],
			  ERRFILE_MAX);
		free(data);
		return false;
	}
	if (memchr(data, '\0', n)) {
		hap_error(p, l, "'errorfile %ld': '%s' holds a NUL byte", code, l->argv[2]);
		free(data);
		return false;
	}
	if (strchr(l->argv[2], '\n')) {
		hap_error(p, l, "'errorfile %ld': a file name with a newline", code);
		free(data);
		return false;
	}
	strbuf_printf(&item, "%ld %s\n", code, l->argv[2]);
	why = normalize(data, n, &item);
	free(data);
	if (why) {
		hap_error(p, l, "'errorfile %ld': '%s' is not a valid HTTP response: %s", code,
			  l->argv[2], why);
		strbuf_free(&item);
		return false;
	}
	/* One answer per code: this one replaces an inherited or earlier one. */
	{
		char pre[16];
		int pl = snprintf(pre, sizeof(pre), "%ld ", code);

		for (size_t i = 0; i < px->errorfiles.len; i++)
			if (strncmp(px->errorfiles.items[i], pre, (size_t)pl) == 0) {
				free(px->errorfiles.items[i]);
				px->errorfiles.items[i] = strbuf_detach(&item);
				return true;
			}
	}
	strvec_push(&px->errorfiles, strbuf_str(&item));
	strbuf_free(&item);
	return true;
}
