/* metrics: softlbd's Prometheus endpoint.
 *
 * A small HTTP/1.1 listener in the control-plane loop (started with
 * `softlbd --metrics [ADDR:]PORT`, loopback when no address is given)
 * that answers GET /metrics with the text exposition format, version
 * 0.0.4. It is read-only: each scrape runs the same `show ... json`
 * commands the shell runs, with the view role, and turns their answers
 * into samples, so a scrape and `softlb -c '... json'` always agree.
 *
 * Families (README.md, section Prometheus, lists them with labels):
 * softlb_* for the daemon, LVS, VRRP and checks; haproxy_frontend_*,
 * haproxy_backend_* and haproxy_server_* with HAProxy's exporter names for
 * the proxy. Every series is one configured or kernel object: the
 * number of series is a fixed multiple of the objects, never of traffic.
 */
#ifndef SOFTLB_METRICS_METRICS_H
#define SOFTLB_METRICS_METRICS_H

struct softlbd;
struct strbuf;

/* The "metrics" module (core/module.c lists it). */
extern const struct module_ops metrics_module;

/* Writes one scrape's worth of samples to out. Returns 0. */
int metrics_render(struct softlbd *d, struct strbuf *out);

/* Appends value to out escaped for a label value: backslash, double
 * quote and newline become \\, \" and \n. */
void metrics_escape_label(const char *value, struct strbuf *out);

#endif
