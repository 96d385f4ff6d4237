/* http_reply-t.h: the state of the strict HTTP reply parser (types only;
 * see http_reply.h). */
#ifndef SOFTLB_CHECK_HTTP_REPLY_T_H
#define SOFTLB_CHECK_HTTP_REPLY_T_H

#include <stddef.h>
#include <stdint.h>

/* Longest status line accepted, end included. */
#define HTTP_REPLY_LINE_MAX 1024
/* Longest header line, and all header bytes together. */
#define HTTP_REPLY_HDR_LINE_MAX 8192
#define HTTP_REPLY_HDRS_MAX 65536

/* Parser states, in order:
 *
 *   LINE --CRLF--> HEADERS --empty line--> BODY --Content-Length--> DONE
 *     |               |                     |
 *     +---------------+---> ERROR <---------+  (bad byte, too long, ...)
 *
 * BODY ends at DONE when Content-Length bytes came, or at the peer's
 * close (http_reply_eof). */
enum http_reply_state {
	HTTP_REPLY_S_LINE = 0,
	HTTP_REPLY_S_HEADERS = 1,
	HTTP_REPLY_S_BODY = 2,
	HTTP_REPLY_S_DONE = 3,
	HTTP_REPLY_S_ERROR = 4,
};

struct http_reply {
	enum http_reply_state state;
	int status;			/* 100-599 once past LINE */
	char line[HTTP_REPLY_LINE_MAX];	/* the status line so far */
	size_t line_len;
	char hdr[HTTP_REPLY_HDR_LINE_MAX];	/* the header line so far */
	size_t hdr_len;
	size_t hdrs_total;
	int64_t content_length;		/* -1: not given */
	uint64_t body_len;
	char error[128];		/* why, in ERROR */
};

/* Receives body bytes as they come. */
typedef void (*http_body_fn)(const char *data, size_t len, void *arg);

#endif
