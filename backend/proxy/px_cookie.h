/* px_cookie.h: cookie persistence in mode http (px_cookie.c), HAProxy's
 * `cookie NAME insert|rewrite|prefix ...` with `server ... cookie VALUE`.
 *
 *   request   the first cookie NAME of the Cookie fields names a server
 *             (the value up to '~' or '|'; '|' starts insert mode's
 *             dates, checked against maxidle / maxlife): a server UP or
 *             DRAIN (HAProxy keeps persistent users on a drained server)
 *             takes the request, a DOWN one only with option persist, a
 *             MAINT one never; otherwise the request is balanced. The
 *             cookie is removed before the server sees it (insert +
 *             indirect) or its prefix is (prefix mode).
 *   connect   a failed connection is retried on that server, the last
 *             retry elsewhere with option redispatch (the session's
 *             retry rules); a server at its maxconn makes the request
 *             wait in the backend's queue for it.
 *   response  the server's own Set-Cookie NAME is dropped (insert),
 *             rewritten to the server's value (rewrite) or prefixed with
 *             it (prefix); insert mode adds Set-Cookie exactly as
 *             HAProxy 2.6 writes it, with Cache-Control: private for a
 *             cacheable answer under nocache.
 *
 * Each step records HAProxy's cookie flags for the log (%tsc).
 */
#ifndef SOFTLB_PROXY_PX_COOKIE_H
#define SOFTLB_PROXY_PX_COOKIE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "proxy/px_h1.h"

struct px_worker;
struct px_proxy;
struct px_server;
struct strbuf;

/* One request's persistence state (in its session). */
struct px_ck_txn {
	struct px_server *srv;	/* named by the request's cookie and usable */
	bool direct;		/* the request went to srv because of it */
	bool post;		/* a POST (postonly) */
	bool get_head;		/* GET or HEAD: its answer may be cached (nocache) */
	bool sck_found;		/* the server set NAME itself (preserve) */
	uint32_t first, last;	/* the cookie's dates (s); 0: none */
	char cli, srvf;		/* log flags: N I D V E O U / N I U P R D; 0: no cookie */
};

/* Reads the request's Cookie fields for be (which has a cookie). */
void px_cookie_request(const struct px_proxy *be, const char *buf, const struct px_h1_msg *m,
		       time_t now, struct px_ck_txn *t);
/* h is a field of a request to be (with a cookie): when it is a Cookie
 * field, appends what replaces it (maybe nothing) to out and returns
 * true. */
bool px_cookie_req_field(const struct px_proxy *be, const char *buf, const struct px_h1_hdr *h,
			 struct strbuf *out);
/* The server t's cookie sends a new connection to, or NULL (balance).
 * *full: it is that server but it is at its maxconn (wait for it). */
struct px_server *px_cookie_server(const struct px_worker *w, struct px_ck_txn *t, bool *full);
/* h is a field of srv's final response: when it is a Set-Cookie of be's
 * cookie, appends what replaces it to out and returns true. */
bool px_cookie_rsp_field(const struct px_proxy *be, const struct px_server *srv,
			 struct px_ck_txn *t, const char *buf, const struct px_h1_hdr *h,
			 struct strbuf *out);
/* After the response's fields: the Set-Cookie insert mode adds (and
 * Cache-Control: private under nocache). */
void px_cookie_rsp_end(const struct px_proxy *be, const struct px_server *srv,
		       struct px_ck_txn *t, const char *buf, const struct px_h1_msg *m, time_t now,
		       struct strbuf *out);

/* HAProxy's 5-character date encoding (30 bits, MSB first, base64
 * alphabet); b64 returns -1 for anything else. */
void px_cookie_s30tob64(uint32_t v, char out[5]);
int32_t px_cookie_b64tos30(const char *in);

#endif
