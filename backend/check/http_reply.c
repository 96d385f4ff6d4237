/* The strict HTTP reply parser (http_reply.h). */
#include "config.h"

#include "check/http_reply.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

void http_reply_init(struct http_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->content_length = -1;
}

bool http_reply_has_status(const struct http_reply *r)
{
	return r->state > HTTP_REPLY_S_LINE && r->state != HTTP_REPLY_S_ERROR;
}

static int fail(struct http_reply *r, const char *why)
{
	r->state = HTTP_REPLY_S_ERROR;
	snprintf(r->error, sizeof(r->error), "%s", why);
	return HTTP_REPLY_ERROR;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Checks a whole status line (without its end): "HTTP/" 1*DIGIT "."
 * 1*DIGIT SP 3DIGIT [ SP reason ]. Sets r->status. */
static int parse_status_line(struct http_reply *r)
{
	const char *p = r->line, *end = r->line + r->line_len;
	int code;

	if (r->line_len < 5 || memcmp(p, "HTTP/", 5) != 0)
		return fail(r, "not an HTTP reply (no HTTP/ version on the first line)");
	p += 5;
	if (p == end || !is_digit(*p))
		return fail(r, "bad HTTP version on the status line");
	while (p < end && is_digit(*p))
		p++;
	if (p == end || *p != '.')
		return fail(r, "bad HTTP version on the status line");
	p++;
	if (p == end || !is_digit(*p))
		return fail(r, "bad HTTP version on the status line");
	while (p < end && is_digit(*p))
		p++;
	if (p == end || *p != ' ')
		return fail(r, "no status code on the status line");
	p++;
	if (end - p < 3 || !is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) ||
	    (end - p > 3 && p[3] != ' '))
		return fail(r, "the status code is not 3 digits");
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (code < 100 || code > 599)
		return fail(r, "status code out of 100-599");
	r->status = code;
	return HTTP_REPLY_MORE;
}

/* Transfer-Encoding: the body is chunked when the last coding is
 * "chunked"; with any other last coding it runs to the close (RFC 9112,
 * 6.3). */
static int parse_te(struct http_reply *r, const char *p, const char *end)
{
	const char *last = p;

	if (r->content_length >= 0)
		return fail(r, "both Transfer-Encoding and Content-Length");
	for (const char *q = p; q < end; q++)
		if (*q == ',')
			last = q + 1;
	while (last < end && (*last == ' ' || *last == '\t'))
		last++;
	while (end > last && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (r->chunked)
		return fail(r, "chunked is not the last transfer coding");
	r->te_seen = true;
	r->chunked = end - last == 7 && strncasecmp(last, "chunked", 7) == 0;
	return HTTP_REPLY_MORE;
}

/* Looks at one complete header line for what a check needs. */
static int parse_header(struct http_reply *r)
{
	static const char cl[] = "content-length:", te[] = "transfer-encoding:";
	const char *p = r->hdr, *end = r->hdr + r->hdr_len;
	int64_t v = 0;

	if (r->hdr_len >= sizeof(te) - 1 && strncasecmp(p, te, sizeof(te) - 1) == 0)
		return parse_te(r, p + sizeof(te) - 1, end);
	if (r->hdr_len < sizeof(cl) - 1 || strncasecmp(p, cl, sizeof(cl) - 1) != 0)
		return HTTP_REPLY_MORE;
	if (r->te_seen)
		return fail(r, "both Transfer-Encoding and Content-Length");
	p += sizeof(cl) - 1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end)
		return fail(r, "empty Content-Length");
	for (; p < end; p++) {
		if (!is_digit(*p) || v > (INT64_MAX - 9) / 10)
			return fail(r, "bad Content-Length");
		v = v * 10 + (*p - '0');
	}
	if (r->content_length >= 0 && r->content_length != v)
		return fail(r, "two different Content-Length headers");
	r->content_length = v;
	return HTTP_REPLY_MORE;
}

/* A control byte other than tab before the body is refused: a NUL or an
 * escape has no business in a status line or a header. */
static bool bad_byte(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
}

static int feed_body(struct http_reply *r, const char *data, size_t len, http_body_fn body,
		     void *arg)
{
	if (r->content_length >= 0 &&
	    (uint64_t)r->content_length - r->body_len < (uint64_t)len)
		len = (size_t)((uint64_t)r->content_length - r->body_len);
	if (len && body)
		body(data, len, arg);
	r->body_len += len;
	if (r->content_length >= 0 && r->body_len == (uint64_t)r->content_length) {
		r->state = HTTP_REPLY_S_DONE;
		return HTTP_REPLY_DONE;
	}
	return HTTP_REPLY_MORE;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The end of a chunk-size line: data next, or the trailer after the last
 * (zero-size) chunk. */
static void chunk_size_done(struct http_reply *r)
{
	r->chunk = r->chunk_left ? HTTP_CHUNK_DATA : HTTP_CHUNK_TRAILER;
	r->hdr_len = 0;
}

/* Decodes a chunked body (see enum http_chunk_state); the data of the
 * chunks goes to body. */
static int feed_chunked(struct http_reply *r, const char *data, size_t len, http_body_fn body,
			void *arg)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)data[i];

		if (r->chunk == HTTP_CHUNK_DATA) {
			size_t n = len - i;

			if ((uint64_t)n > r->chunk_left)
				n = (size_t)r->chunk_left;
			if (body)
				body(data + i, n, arg);
			r->body_len += n;
			r->chunk_left -= n;
			i += n;
			if (r->chunk_left == 0)
				r->chunk = HTTP_CHUNK_DATA_CR;
			continue;
		}
		i++;
		if (r->chunk <= HTTP_CHUNK_SIZE_LF &&
		    ++r->chunk_line_len > HTTP_REPLY_CHUNK_LINE_MAX)
			return fail(r, "chunk-size line longer than 1024 bytes");
		switch (r->chunk) {
		case HTTP_CHUNK_SIZE: {
			int h = hex_value(c);

			if (h >= 0) {
				/* 63 bits at most: no size can wrap. */
				if (r->chunk_left > (UINT64_MAX >> 1) >> 4)
					return fail(r, "chunk size too large");
				r->chunk_left = r->chunk_left << 4 | (uint64_t)h;
				r->chunk_digits = true;
				break;
			}
			if (!r->chunk_digits)
				return fail(r, "bad chunk size (not hex)");
			if (c == ' ' || c == '\t')
				r->chunk = HTTP_CHUNK_SIZE_WS;
			else if (c == ';')
				r->chunk = HTTP_CHUNK_EXT;
			else if (c == '\r')
				r->chunk = HTTP_CHUNK_SIZE_LF;
			else if (c == '\n')
				chunk_size_done(r);
			else
				return fail(r, "bad chunk size (not hex)");
			break;
		}
		case HTTP_CHUNK_SIZE_WS:
			if (c == ';')
				r->chunk = HTTP_CHUNK_EXT;
			else if (c == '\r')
				r->chunk = HTTP_CHUNK_SIZE_LF;
			else if (c == '\n')
				chunk_size_done(r);
			else if (c != ' ' && c != '\t')
				return fail(r, "bad chunk size (not hex)");
			break;
		case HTTP_CHUNK_EXT:
			if (c == '\r')
				r->chunk = HTTP_CHUNK_SIZE_LF;
			else if (c == '\n')
				chunk_size_done(r);
			else if (bad_byte(c))
				return fail(r, "control byte in a chunk extension");
			break;
		case HTTP_CHUNK_SIZE_LF:
			if (c != '\n')
				return fail(r, "bad chunk-size line (CR without LF)");
			chunk_size_done(r);
			break;
		case HTTP_CHUNK_DATA_CR:
		case HTTP_CHUNK_DATA_LF:
			/* CRLF, or a bare LF as everywhere else here. */
			if (c == '\r' && r->chunk == HTTP_CHUNK_DATA_CR) {
				r->chunk = HTTP_CHUNK_DATA_LF;
				break;
			}
			if (c != '\n')
				return fail(r, "chunk data longer than its size");
			r->chunk = HTTP_CHUNK_SIZE;
			r->chunk_left = 0;
			r->chunk_line_len = 0;
			r->chunk_digits = false;
			break;
		case HTTP_CHUNK_TRAILER:
			/* Header lines, within the header limits, ignored. */
			if (bad_byte(c))
				return fail(r, "control byte in the trailer");
			if (++r->hdrs_total > HTTP_REPLY_HDRS_MAX)
				return fail(r, "headers and trailer longer than 64 KiB");
			if (c == '\n') {
				if (r->hdr_len && r->hdr[r->hdr_len - 1] == '\r')
					r->hdr_len--;
				if (r->hdr_len == 0) {
					r->state = HTTP_REPLY_S_DONE;
					return HTTP_REPLY_DONE;
				}
				r->hdr_len = 0;
				break;
			}
			if (r->hdr_len >= sizeof(r->hdr))
				return fail(r, "trailer line longer than 8 KiB");
			r->hdr[r->hdr_len++] = (char)c;
			break;
		case HTTP_CHUNK_DATA:
			break;
		}
	}
	return HTTP_REPLY_MORE;
}

int http_reply_feed(struct http_reply *r, const char *data, size_t len, http_body_fn body,
		    void *arg)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)data[i];

		switch (r->state) {
		case HTTP_REPLY_S_LINE:
			if (bad_byte(c))
				return fail(r, c ? "control byte in the status line"
						 : "NUL byte in the status line");
			i++;
			if (c == '\n') {
				if (r->line_len && r->line[r->line_len - 1] == '\r')
					r->line_len--;
				if (parse_status_line(r) < 0)
					return HTTP_REPLY_ERROR;
				r->state = HTTP_REPLY_S_HEADERS;
				break;
			}
			if (r->line_len >= sizeof(r->line))
				return fail(r, "status line longer than 1024 bytes");
			r->line[r->line_len++] = (char)c;
			break;
		case HTTP_REPLY_S_HEADERS:
			if (bad_byte(c))
				return fail(r, c ? "control byte in the headers"
						 : "NUL byte in the headers");
			i++;
			if (++r->hdrs_total > HTTP_REPLY_HDRS_MAX)
				return fail(r, "headers longer than 64 KiB");
			if (c == '\n') {
				if (r->hdr_len && r->hdr[r->hdr_len - 1] == '\r')
					r->hdr_len--;
				if (r->hdr_len == 0) {
					r->state = HTTP_REPLY_S_BODY;
					r->hdr_len = 0;
					if (r->content_length == 0) {
						r->state = HTTP_REPLY_S_DONE;
						return HTTP_REPLY_DONE;
					}
					break;
				}
				if (parse_header(r) < 0)
					return HTTP_REPLY_ERROR;
				r->hdr_len = 0;
				break;
			}
			if (r->hdr_len >= sizeof(r->hdr))
				return fail(r, "header line longer than 8 KiB");
			r->hdr[r->hdr_len++] = (char)c;
			break;
		case HTTP_REPLY_S_BODY:
			if (r->chunked)
				return feed_chunked(r, data + i, len - i, body, arg);
			return feed_body(r, data + i, len - i, body, arg);
		case HTTP_REPLY_S_DONE:
			return HTTP_REPLY_DONE;
		case HTTP_REPLY_S_ERROR:
			return HTTP_REPLY_ERROR;
		}
	}
	if (r->state == HTTP_REPLY_S_DONE)
		return HTTP_REPLY_DONE;
	return r->state == HTTP_REPLY_S_ERROR ? HTTP_REPLY_ERROR : HTTP_REPLY_MORE;
}

int http_reply_eof(struct http_reply *r)
{
	switch (r->state) {
	case HTTP_REPLY_S_LINE:
		return fail(r, r->line_len ? "connection closed in the status line"
					   : "connection closed without a reply");
	case HTTP_REPLY_S_HEADERS:
		return fail(r, "connection closed in the headers");
	case HTTP_REPLY_S_BODY:
		if (r->chunked)
			return fail(r, "connection closed inside the chunked body");
		if (r->content_length >= 0 && r->body_len < (uint64_t)r->content_length)
			return fail(r, "connection closed before the whole body (Content-Length)");
		r->state = HTTP_REPLY_S_DONE;
		return HTTP_REPLY_DONE;
	case HTTP_REPLY_S_DONE:
		return HTTP_REPLY_DONE;
	case HTTP_REPLY_S_ERROR:
		break;
	}
	return HTTP_REPLY_ERROR;
}
