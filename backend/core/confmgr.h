/* confmgr: the running configuration of softlbd, and the one path every
 * change takes.
 *
 * Whether a change comes from SIGHUP, the `reload` command or a line typed
 * in configure mode, it goes the same way: a whole new model is built and
 * validated (the parsers do that), diffed against the running one, and
 * each engine is handed the old and new models to apply only their
 * differences. Only then does the new model become the running one. If
 * anything fails, the running model stays as it was and the errors go back
 * to whoever asked.
 */
#ifndef SOFTLB_CORE_CONFMGR_H
#define SOFTLB_CORE_CONFMGR_H

#include "core/events.h"
#include "util/strbuf.h"

struct softlbd;
struct config;
struct module_ops;
struct grammar;

/* Loads the files named by the options into d->config at start-up.
 * Warnings are logged. Returns 0, or -1 with the errors (one per line,
 * FILE:LINE: ...) in err: softlbd does not start on a bad configuration. */
int confmgr_start(struct softlbd *d, struct strbuf *err);
/* Frees the running model. */
void confmgr_stop(struct softlbd *d);

/* The running model's objects by typed key (config/index.h): virtual
 * servers, proxies, VRRP instances. Built on first use after each change
 * of the model; valid until the next change. Control-plane thread only. */
struct config_index;
const struct config_index *confmgr_index(struct softlbd *d);
/* Makes cfg (may be NULL) the running model, freeing the one before and
 * its index. The one way d->config changes (unit tests that run an
 * engine without confmgr use it too). */
void confmgr_set_running(struct softlbd *d, struct config *cfg);

/* Re-reads the files, then applies as confmgr_apply(). by is who asked
 * (NULL: a signal). Under systemd, tells it RELOADING=1 before and READY=1
 * with the outcome in STATUS= after. Returns 0 with a report of what changed in out, or -1
 * with the errors in out (the running configuration untouched). */
int confmgr_reload(struct softlbd *d, const struct event_actor *by, struct strbuf *out);

/* One line saying what runs (counts of each kind of object) and how many
 * reloads it took, for systemd's STATUS= (sdnotify.h). */
void confmgr_state_line(const struct softlbd *d, struct strbuf *out);

/* Makes new_cfg the running configuration: diffs it against the running
 * one, hands every engine the change, and swaps. Takes ownership of
 * new_cfg in every case. Returns 0 with one line per change in out
 * ("no changes" when none), or -1 with the reason in out, in which case
 * the running configuration is unchanged. Every change goes to the event
 * journal as how (EVENT_RELOAD, EVENT_EDIT) by by (NULL: the daemon). */
int confmgr_apply(struct softlbd *d, struct config *new_cfg, enum event_kind how,
		  const struct event_actor *by, struct strbuf *out);

/* Writes one line per difference from old_cfg to new_cfg:
 *   + real-server TCP 192.0.2.10:80 198.51.100.11:80
 *   ~ real-server TCP 192.0.2.10:80 198.51.100.11:80: weight
 *   - proxy web
 * Returns the number of differences. */
size_t confmgr_format_diff(const struct config *old_cfg, const struct config *new_cfg,
			   struct strbuf *out);

/* The "config" module: loads the configuration at start (see module.c). */
extern const struct module_ops config_module;

/* Adds the configuration commands (show running-config, show
 * startup-config, show config diff, reload, write memory). */
int confmgr_register(struct grammar *g, struct strbuf *err);

#endif
