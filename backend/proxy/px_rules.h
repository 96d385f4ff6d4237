/* px_rules.h: the actions of a proxy's L7 rules (px_rules.c), run by the
 * sessions (px_session.c) over the compiled rules of px_acl.h.
 *
 * Header actions rewrite the head in place in the session's buffer (the
 * room left by PX_HTTP_HEAD_MAX is HAProxy's maxrewrite) and parse it
 * again, so the rules after them, the balancing key and the head sent on
 * all see the rewritten request exactly as a server will.
 */
#ifndef SOFTLB_PROXY_PX_RULES_H
#define SOFTLB_PROXY_PX_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "proxy/px_acl.h"
#include "proxy/px_h1.h"

struct strbuf;

enum px_verdict {
	PX_V_GO = 0,		/* carry on */
	PX_V_DENY = 1,		/* answer *status and close */
	PX_V_TARPIT = 2,	/* hold the client, then answer *status */
	PX_V_ANSWER = 3,	/* answer holds a whole response (redirect, return) */
	PX_V_FAIL = 4,		/* a rewrite did not fit or broke the head: 500 */
	PX_V_SERVICE = 5,	/* use-service: a service answers (prometheus-exporter) */
};

/* A head being rewritten in place: buf[0..len) holds it and what
 * follows (body bytes, a pipelined request), in room for cap bytes. */
struct px_head {
	char *buf;
	size_t len, cap;
	struct px_h1_msg *m;
	bool rsp;			/* a response (to req_method) */
	enum px_h1_method req_method;
	const char *xff;		/* the forwardfor name the request was parsed with */
};

/* tcp-request connection rules of fe: false when the connection is
 * rejected. */
bool px_rules_conn_ok(const struct px_proxy *fe, const struct px_rctx *x);
/* tcp-request content rules of fe: false when rejected. */
bool px_rules_content_ok(const struct px_proxy *fe, const struct px_rctx *x);
/* The backend for this request or connection: the first use_backend whose
 * condition holds, else fe's default (NULL: none). */
struct px_proxy *px_rules_backend(const struct px_proxy *fe, const struct px_rctx *x);
/* use-server of be: the server a rule names, or NULL (balance). */
struct px_server *px_rules_server(const struct px_proxy *be, const struct px_rctx *x);

/* http-request then redirect rules of p over the request in h. On
 * PX_V_ANSWER the whole answer is in answer; on DENY / TARPIT the status
 * to answer is in *status. */
enum px_verdict px_rules_http_req(const struct px_proxy *p, struct px_rctx *x, struct px_head *h,
				  struct strbuf *answer, int *status);
/* http-response rules of p over the response in h (x->rbuf / x->rm set
 * by the caller to h's). PX_V_DENY: answer 502. */
enum px_verdict px_rules_http_rsp(const struct px_proxy *p, struct px_rctx *x, struct px_head *h);

/* stats admin if|unless COND of p: whether the request in x may use the
 * stats page's admin form (false when p has no such line). */
bool px_rules_stats_admin(const struct px_proxy *p, const struct px_rctx *x);

/* The whole answer softlb sends for status (deny, tarpit, a failed
 * rewrite), with Connection: close. */
void px_rules_error(int status, struct strbuf *out);

#endif
