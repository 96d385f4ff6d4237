/* proxy: the TCP/HTTP proxy engine (types in proxy-t.h).
 *
 * HAProxy's listen, frontend and backend sections run in worker threads,
 * each with its own event loop; the control plane feeds them immutable
 * snapshots of the configuration, the operator's overrides and the
 * health checks, and sums their counters for `show proxy`.
 */
#ifndef SOFTLB_PROXY_PROXY_H
#define SOFTLB_PROXY_PROXY_H

struct module_ops;

/* The "proxy" module (module.c). */
extern const struct module_ops proxy_module;

#endif
