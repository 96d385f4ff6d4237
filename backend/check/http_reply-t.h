/* http_reply-t.h: the state of the strict HTTP reply parser (types only;
 * see http_reply.h). */
#ifndef SOFTLB_CHECK_HTTP_REPLY_T_H
#define SOFTLB_CHECK_HTTP_REPLY_T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest status line accepted, end included. */
#define HTTP_REPLY_LINE_MAX 1024
/* Longest header line, and all header bytes together. */
#define HTTP_REPLY_HDR_LINE_MAX 8192
#define HTTP_REPLY_HDRS_MAX 65536

/* Longest chunk-size line (size and extensions) of a chunked body. */
#define HTTP_REPLY_CHUNK_LINE_MAX 1024

/* Parser states, in order:
 *
 *   LINE --CRLF--> HEADERS --empty line--> BODY --Content-Length--> DONE
 *     |               |                     |    --last chunk,
 *     |               |                     |      trailer-->
 *     +---------------+---> ERROR <---------+  (bad byte, too long, ...)
 *
 * BODY ends at DONE when Content-Length bytes came, after the last chunk
 * and its trailer (Transfer-Encoding: chunked), or at the peer's close
 * (http_reply_eof). */
enum http_reply_state {
	HTTP_REPLY_S_LINE = 0,
	HTTP_REPLY_S_HEADERS = 1,
	HTTP_REPLY_S_BODY = 2,
	HTTP_REPLY_S_DONE = 3,
	HTTP_REPLY_S_ERROR = 4,
};

/* Inside a chunked body (RFC 9112, 7.1):
 *
 *   SIZE -hex-> SIZE -BWS-> SIZE_WS -;-> EXT -CRLF-> DATA (size bytes)
 *     ^                                     |          |
 *     |                   size 0: TRAILER <-+          v
 *     +---------------------------- CRLF <--- DATA_CR, DATA_LF
 *
 * TRAILER takes header lines up to an empty one, then DONE. */
enum http_chunk_state {
	HTTP_CHUNK_SIZE = 0,	/* hex digits of the size */
	HTTP_CHUNK_SIZE_WS = 1,	/* blanks after the size */
	HTTP_CHUNK_EXT = 2,	/* ;name=value extensions, ignored */
	HTTP_CHUNK_SIZE_LF = 3,	/* CR seen, LF wanted */
	HTTP_CHUNK_DATA = 4,	/* chunk_left bytes of data */
	HTTP_CHUNK_DATA_CR = 5,	/* the CRLF after the data */
	HTTP_CHUNK_DATA_LF = 6,
	HTTP_CHUNK_TRAILER = 7,	/* trailer fields, then an empty line */
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
	bool te_seen;			/* a Transfer-Encoding header came */
	bool chunked;			/* ... and its last coding is chunked */
	enum http_chunk_state chunk;
	uint64_t chunk_left;		/* SIZE: the size so far; DATA: left */
	size_t chunk_line_len;		/* bytes of this chunk-size line */
	bool chunk_digits;		/* SIZE: a digit came */
	uint64_t body_len;
	char error[128];		/* why, in ERROR */
};

/* Receives body bytes as they come. */
typedef void (*http_body_fn)(const char *data, size_t len, void *arg);

#endif
