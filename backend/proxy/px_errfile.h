/* px_errfile.h: softlb's own HTTP answers (400, 408, 503, ...), HAProxy's
 * built-in texts or a proxy's `errorfile` (px_errfile.c). */
#ifndef SOFTLB_PROXY_PX_ERRFILE_H
#define SOFTLB_PROXY_PX_ERRFILE_H

struct cfg_proxy;
struct px_proxy;

/* The errorfile answers of cp (read and checked at load; see
 * config/hap_kw_errfile.c), or NULL when it has none. */
struct px_errfiles *px_errfiles_build(const struct cfg_proxy *cp);
void px_errfiles_free(struct px_errfiles *e);

/* The whole answer for status, as HAProxy picks it: once the request was
 * routed, the backend's errorfile, then the frontend's; before (be NULL)
 * the frontend's; else the built-in text. Never NULL; no NUL inside. */
const char *px_http_answer(const struct px_proxy *fe, const struct px_proxy *be, int status);

#endif
