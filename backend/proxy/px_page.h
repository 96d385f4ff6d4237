/* px_page.h: the stats page of a mode http proxy (px_page.c), answered
 * on the worker that parsed the request. */
#ifndef SOFTLB_PROXY_PX_PAGE_H
#define SOFTLB_PROXY_PX_PAGE_H

#include <stdbool.h>

struct strbuf;
struct px_page;
struct px_proxy;
struct px_snapshot;
struct px_h1_msg;

/* Whether request m (its head in buf) is for the page: its path starts
 * with the page's uri, as HAProxy matches `stats uri`. */
bool px_page_match(const struct px_page *pg, const char *buf, const struct px_h1_msg *m);

/* Appends to out the whole answer (head and body, Connection: close):
 * 200 with the HTML page or the CSV (;csv), 401 with the realm when
 * stats auth is set and the credentials are missing or wrong (checked in
 * constant time), 405 for methods other than GET and HEAD. */
void px_page_answer(const struct px_snapshot *snap, const struct px_proxy *fe, const char *buf,
		    const struct px_h1_msg *m, struct strbuf *out);

#endif
