/* proxy: the TCP/HTTP proxy engine (types in proxy-t.h).
 *
 * HAProxy's listen, frontend and backend sections run in worker threads,
 * each with its own event loop; the control plane feeds them immutable
 * snapshots of the configuration, the operator's overrides and the
 * health checks, and sums their counters for `show proxy`.
 */
#ifndef SOFTLB_PROXY_PROXY_H
#define SOFTLB_PROXY_PROXY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct module_ops;
struct softlbd;

/* The "proxy" module (module.c). */
extern const struct module_ops proxy_module;

struct config;
struct strbuf;

/* The proxy module's verify (px_verify.c, module.h): loads every file
 * cfg's proxies name, as apply does, opening no socket. 0, or -1 with
 * the reason in err (FILE:LINE and the file). */
int px_verify(const struct config *cfg, struct strbuf *err);

/* One proxy, or one of its servers, with its counters summed over the
 * workers, as other engines read them (the SNMP subagent). Pointers are
 * valid during the callback only. */
struct proxy_obj_info {
	const char *proxy;		/* its name */
	const char *server;		/* NULL: the proxy itself */
	const char *kind;		/* "listen", "frontend", "backend" */
	const char *mode;		/* "tcp", "http" */
	const char *status;		/* proxy: UP / DOWN / OPEN; server: UP / DRAIN / DOWN / MAINT */
	const struct sockaddr_storage *addr;	/* server's; NULL for a proxy */
	int weight;			/* server's effective weight */
	bool backup;
	uint64_t cur, max, total, bytes_in, bytes_out;
	uint64_t econ, eresp, denied, retries, redispatches;
	uint64_t http_502, http_503, http_504, qcur, qmax;
};
typedef void (*proxy_visit_fn)(const struct proxy_obj_info *o, void *arg);
/* Calls fn for every proxy of the running snapshot, each followed by its
 * servers. Returns 0, or -1 when the proxy engine does not run. */
int proxy_visit(struct softlbd *d, proxy_visit_fn fn, void *arg);

#endif
