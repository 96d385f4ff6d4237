/* px_h1.h: the HTTP/1.1 message parser of mode http (px_h1.c), strict
 * per RFC 9112: request and response heads, and the chunked body
 * framing. Pure functions over bytes (no sockets, no allocation), so the
 * fuzzers drive them exactly as the sessions do.
 *
 * A head is parsed in one call once it is complete; the caller keeps the
 * bytes read so far and calls again after each read. Header fields are
 * kept as offsets into the caller's buffer, so nothing is copied.
 */
#ifndef SOFTLB_PROXY_PX_H1_H
#define SOFTLB_PROXY_PX_H1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PX_H1_MAXHDR 101	/* HAProxy's tune.http.maxhdr default */

/* What a call returns: more bytes needed, a complete valid head, or the
 * HTTP status to answer (400, 414, 431, 501; a response error is always
 * answered 502 by the caller). */
enum {
	PX_H1_MORE = 0,
	PX_H1_DONE = 1,
};

enum px_h1_method {
	PX_M_OTHER = 0,
	PX_M_GET = 1,
	PX_M_HEAD = 2,
	PX_M_CONNECT = 3,
	PX_M_OPTIONS = 4,
};

/* How the body of a message is delimited. */
enum px_h1_body {
	PX_BODY_NONE = 0,	/* no body (GET without CL, HEAD response, 1xx, 204, 304) */
	PX_BODY_CL = 1,		/* exactly cl bytes */
	PX_BODY_CHUNKED = 2,	/* Transfer-Encoding ending in chunked */
	PX_BODY_CLOSE = 3,	/* response only: until the server closes */
};

/* One header field: offsets and lengths in the head's buffer (the name,
 * and the value with its surrounding whitespace trimmed). */
struct px_h1_hdr {
	uint16_t n, nl, v, vl;
};

/* Header fields the parser recognises (kind of each field). */
enum px_h1_hkind {
	PX_H_OTHER = 0,
	PX_H_CL = 1,
	PX_H_TE = 2,
	PX_H_CONNECTION = 3,
	PX_H_HOST = 4,
	PX_H_UPGRADE = 5,
	PX_H_KEEPALIVE = 6,	/* Keep-Alive, Proxy-Connection: hop by hop */
	PX_H_XFF = 7,		/* the forwardfor header (name given by the caller) */
	PX_H_H2SETTINGS = 8,
};

struct px_h1_msg {
	size_t head_len;	/* bytes of the head, the final empty line included */
	int minor;		/* HTTP/1.minor */
	/* request */
	enum px_h1_method method;
	uint16_t meth, meth_len, tgt, tgt_len;	/* offsets in the buffer */
	uint16_t path, path_len;	/* the target without scheme://authority */
	/* response */
	int status;
	/* framing and connection */
	enum px_h1_body body;
	uint64_t cl;
	bool conn_close;	/* Connection: close */
	bool conn_keepalive;	/* Connection: keep-alive */
	bool conn_upgrade;	/* Connection: upgrade */
	bool upgrade;		/* an Upgrade field worth passing (not h2c) */
	bool te_and_cl;		/* response only: both, TE used, CL dropped */
	bool has_xff;
	unsigned nh;
	struct px_h1_hdr h[PX_H1_MAXHDR];
	unsigned char kind[PX_H1_MAXHDR];	/* enum px_h1_hkind of each field */
};

/* Parses the request head at buf[0..len). limit: the largest head
 * accepted. xff: the forwardfor header's name (for m->has_xff), or NULL.
 * Returns PX_H1_MORE (incomplete and len < limit), PX_H1_DONE (m filled),
 * or the status to answer: 400 malformed, 414 request line too long, 431
 * head too long, 501 a transfer coding softlb does not do. */
int px_h1_request(const char *buf, size_t len, size_t limit, const char *xff,
		  struct px_h1_msg *m);

/* Parses a response head at buf[0..len) to a request of method req and
 * HTTP/1.req_minor. Returns PX_H1_MORE, PX_H1_DONE or 502. */
int px_h1_response(const char *buf, size_t len, size_t limit, enum px_h1_method req,
		   struct px_h1_msg *m);

/* The chunked body, checked as it streams through: the bytes are passed
 * on unchanged, only their framing is verified (sizes of at most 13 hex
 * digits, CRLF after every line and every chunk, extensions of tokens and
 * quoted strings, trailer fields well formed and bounded). */
struct px_h1_chunk {
	uint64_t left;		/* data bytes left in this chunk */
	int st;
	unsigned digits;
	unsigned trailer_bytes;
	bool quoted, escaped;
};

/* Checks in[0..len) as the next bytes of a chunked body. Returns how
 * many of them belong to the body (all of len unless the body ended
 * inside it, then *done is set), or -1 on a framing error. */
/* The value of hex digit c (either case), or -1. */
int px_h1_hexval(unsigned char c);

long px_h1_chunk_run(struct px_h1_chunk *c, const char *in, size_t len, bool *done);

/* RFC 9110 tchar. */
bool px_h1_tchar(unsigned char c);

#endif
