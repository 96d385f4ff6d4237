/* proto: the control socket's wire format (docs/control-protocol.md).
 *
 * Every message is a frame: one header line of ASCII, then a body of the
 * length the header announces. The body is never interpreted by the framing
 * layer, so a show command may return any bytes and the reader still knows
 * exactly where the reply ends.
 *
 *   request:  "<verb> <length>[ <flag>...]\n" <body>
 *   reply:    "<status> <node> <length>\n" <body>
 *
 * verb is exec, complete or describe; flags are words (only "json" today);
 * status is a three-digit code (enum ctl_status); node is the shell mode the
 * session is in after the request ("view", "config", ...).
 *
 * On connect the daemon sends one reply frame, the greeting: status 200 with
 * "key=value" lines (version, host, role, user), or 403 with a one-line
 * reason, after which it closes.
 *
 * This module is shared by the daemon and by every client (shell, monitor);
 * it does no I/O.
 */
#ifndef SOFTLB_CTL_PROTO_H
#define SOFTLB_CTL_PROTO_H

#include <stddef.h>

#include "util/strbuf.h"

/* Largest request body the daemon accepts. A command line is short; 64 KiB
 * leaves room for pasted configuration without letting one client make the
 * daemon buffer megabytes. */
#define CTL_REQUEST_MAX (64u * 1024u)
/* Largest header line, either direction. */
#define CTL_HEADER_MAX 128u
/* Largest reply body a client accepts (a full running-config or a big
 * table as JSON fits many times over). */
#define CTL_REPLY_MAX (256u * 1024u * 1024u)
/* Longest node (mode) name in a reply header. */
#define CTL_NODE_MAX 32u

enum ctl_verb {
	CTL_VERB_EXEC = 0,	/* run a command line */
	CTL_VERB_COMPLETE,	/* candidates for the last word of a line */
	CTL_VERB_DESCRIBE,	/* the tokens that may come next, with help */
	CTL_VERB_COUNT
};

/* Reply status codes: the first digit tells a script everything it needs. */
enum ctl_status {
	CTL_OK = 200,			/* done; body is the output */
	CTL_BYE = 221,			/* done, and the session ends (exit/quit) */
	CTL_ERR_SYNTAX = 400,		/* unknown, ambiguous, incomplete or malformed */
	CTL_ERR_DENIED = 403,		/* the caller's role may not do this */
	CTL_ERR_NOTFOUND = 404,		/* the object named does not exist */
	CTL_ERR_TOOBIG = 413,		/* request larger than CTL_REQUEST_MAX */
	CTL_ERR_FAILED = 422,		/* understood but refused (bad value, apply failed) */
	CTL_ERR_INTERNAL = 500,		/* a bug or a system error inside softlbd */
	CTL_ERR_UNAVAILABLE = 503,	/* the engine needed is not running */
};

#define CTL_FLAG_JSON 0x1u	/* show commands answer in JSON */

/* Result of a decoder. */
enum ctl_decode {
	CTL_DECODE_OK = 0,	/* one frame decoded; *used bytes belong to it */
	CTL_DECODE_AGAIN,	/* not enough bytes yet */
	CTL_DECODE_MALFORMED,	/* header is not a valid frame header */
	CTL_DECODE_TOOBIG,	/* header announces a body over the limit */
};

struct ctl_request {
	enum ctl_verb verb;
	unsigned flags;		/* CTL_FLAG_* */
	const char *body;	/* points into the decoder's input, not NUL-terminated */
	size_t len;
};

struct ctl_reply {
	int status;			/* enum ctl_status value */
	char node[CTL_NODE_MAX];	/* NUL-terminated */
	const char *body;		/* points into the decoder's input */
	size_t len;
};

const char *ctl_verb_name(enum ctl_verb verb);
/* A short English name for a status code ("ok", "permission denied"). */
const char *ctl_status_name(int status);

void ctl_encode_request(struct strbuf *out, enum ctl_verb verb, unsigned flags,
			const char *body, size_t len);
void ctl_encode_reply(struct strbuf *out, int status, const char *node,
		      const char *body, size_t len);

/* Decodes the request at the start of buf[0..len). On CTL_DECODE_OK, *req
 * points into buf and *used is the frame's size. On MALFORMED or TOOBIG, err
 * says why in words fit for the client. */
enum ctl_decode ctl_decode_request(const char *buf, size_t len, size_t max_body,
				   struct ctl_request *req, size_t *used,
				   struct strbuf *err);
/* Same for a reply (used by clients). */
enum ctl_decode ctl_decode_reply(const char *buf, size_t len, size_t max_body,
				 struct ctl_reply *rep, size_t *used,
				 struct strbuf *err);

#endif
