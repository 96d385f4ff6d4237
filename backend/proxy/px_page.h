/* px_page.h: the stats page of a mode http proxy (px_page.c), answered
 * on the worker that parsed the request. */
#ifndef SOFTLB_PROXY_PX_PAGE_H
#define SOFTLB_PROXY_PX_PAGE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;
struct px_page;
struct px_proxy;
struct px_snapshot;
struct px_h1_msg;
struct px_svc_msg;

/* Whether request m (its head in buf) is for the page: its path starts
 * with the page's uri, as HAProxy matches `stats uri`. */
bool px_page_match(const struct px_page *pg, const char *buf, const struct px_h1_msg *m);

/* Appends to out the whole answer (head and body, Connection: close):
 * 200 with the HTML page or the CSV (;csv), 401 with the realm when
 * stats auth is set and the credentials are missing or wrong (checked in
 * constant time), 405 for methods other than GET and HEAD. admin: stats
 * admin's condition held for this request: each backend's table is a
 * form, and the path's ;st=CODE shows HAProxy's status line. */
void px_page_answer(const struct px_snapshot *snap, const struct px_proxy *fe, const char *buf,
		    const struct px_h1_msg *m, bool admin, struct strbuf *out);

/* A POST to the page (HAProxy's admin form). */
enum px_page_post {
	PX_PAGE_POST_READ = 0,		/* read the body (m->cl bytes), then px_page_form() */
	PX_PAGE_POST_ANSWERED = 1,	/* out holds the answer */
};
/* Checks a POST before its body is read: 401 without valid credentials,
 * 303 ;st=DENY when admin is false, ;st=IVAL for a chunked body, ;st=EXCD
 * for one longer than room (HAProxy reads at most a buffer). On READ the
 * auth user (or "") is in user[0..cap). */
enum px_page_post px_page_post_start(const struct px_page *pg, const char *buf,
				     const struct px_h1_msg *m, bool admin, size_t room,
				     char *user, size_t cap, struct strbuf *out);
/* Decodes an application/x-www-form-urlencoded body into msg's b,
 * action and s fields (other fields are ignored). Returns 0, or -1 with
 * a 400 answer naming the fault (bad percent-encoding, a control
 * character) in out. */
int px_page_form(const char *body, size_t len, struct px_svc_msg *msg, struct strbuf *out);
/* 303 See Other to the page's uri;st=st. */
void px_page_redirect(const struct px_page *pg, const char *st, struct strbuf *out);

#endif
