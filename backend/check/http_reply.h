/* http_reply: a strict, bounded, incremental parser of HTTP/1.x replies,
 * for the HTTP health checks (types in http_reply-t.h).
 *
 * Only what a check needs: the status (a 3-digit code 100-599 after
 * "HTTP/x.y " on the first line, nothing else counts), the end of the
 * headers, Content-Length, and the body bytes, decoded when the body is
 * chunked (Transfer-Encoding: chunked). Anything malformed is an error
 * with a reason in words, never a guess: a line without the version or
 * the code, a status line over 1 KiB, a header line over 8 KiB or
 * headers over 64 KiB together, a NUL or control byte before the body,
 * both Transfer-Encoding and Content-Length, a chunk size that is not
 * hex or does not fit in 63 bits, a chunk-size line over 1 KiB, chunk
 * data not followed by CRLF, a trailer over the header limits. Bytes may come split anywhere, one at a time included.
 * No allocation: the struct is the whole state.
 */
#ifndef SOFTLB_CHECK_HTTP_REPLY_H
#define SOFTLB_CHECK_HTTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "check/http_reply-t.h"

enum {
	HTTP_REPLY_ERROR = -1,	/* r->error says why */
	HTTP_REPLY_MORE = 0,	/* feed more */
	HTTP_REPLY_DONE = 1,	/* complete (Content-Length reached) */
};

void http_reply_init(struct http_reply *r);
/* Feeds len bytes; body bytes go to body(data, n, arg) when body is not
 * NULL. Bytes after DONE are ignored. Returns HTTP_REPLY_MORE, _DONE or
 * _ERROR (and stays in ERROR). */
int http_reply_feed(struct http_reply *r, const char *data, size_t len, http_body_fn body,
		    void *arg);
/* The peer closed. Returns HTTP_REPLY_DONE when the headers were complete
 * and the body is whole (all of Content-Length when given, the last chunk
 * and trailer when chunked), else HTTP_REPLY_ERROR with the reason. */
int http_reply_eof(struct http_reply *r);
/* True once the status is known. */
bool http_reply_has_status(const struct http_reply *r);

#endif
