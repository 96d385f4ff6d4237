/* lvs: the LVS engine of softlbd. It turns the virtual servers of the
 * model (plus operator overrides and health-check results) into IPVS
 * services and real servers, and keeps the kernel that way.
 *
 *   lvs.c            the module: init, apply, status, stop; the timer
 *   lvs_desired.c    model + runtime + health -> desired state
 *   lvs_reconcile.c  desired vs kernel: adopt, add, edit in place, drain,
 *                    delete only what softlbd owns
 *   lvs_index.c      hash index of service keys
 *   lvs_cmds.c       show lvs ..., show virtual-server, clear lvs counters
 *
 * Only this folder includes libnl (through ipvs.h's implementation).
 */
#ifndef SOFTLB_LVS_LVS_H
#define SOFTLB_LVS_LVS_H

#include <stdbool.h>

#include "lvs/lvs-t.h"
#include "util/strbuf.h"

struct config;
struct grammar;
struct cfg_virtual_server;
struct cfg_real_server;
struct runtime_state;

/* The module (listed in core/module.c). */
extern const struct module_ops lvs_module;

/* The health-check hook: the check engine reports a real server up or
 * down by its runtime key ("real-server 192.0.2.10:80 tcp 198.51.100.11:80", as
 * runtime.c forms it; "real-server group NAME 198.51.100.11:80" for a
 * virtual_server_group). A server reported down leaves IPVS (or gets weight
 * 0 with inhibit_on_failure); the sorry server comes in when none is up.
 * Every server is up until reported otherwise. The kernel is updated at
 * once. Returns 0, or -1 with the reason in err (no LVS engine, or the
 * kernel refused). */
int lvs_set_rs_up(struct softlbd *d, const char *key, bool up, struct strbuf *err);

/* misc_dynamic: a MISC_CHECK's exit code set the real server's weight
 * (weight >= 0), as keepalived does; -1 goes back to the configured one.
 * The kernel is updated at once. Returns 0, or -1 with the reason. */
int lvs_set_rs_weight(struct softlbd *d, const char *key, int weight, struct strbuf *err);

/* The runtime key of a real server, as runtime.c forms it (malloc'd). */
char *lvs_rs_key(const struct cfg_virtual_server *vs, const struct cfg_real_server *rs);

/* Follows the health-check engine: every UP/DOWN of a real server's checks
 * goes to lvs_set_rs_up(); at start, the checks' current view is read. */
void lvs_health_start(struct softlbd *d);
void lvs_health_stop(struct softlbd *d);

/* The engine's state, or NULL when the module is not running. */
struct lvs_engine *lvs_engine_of(struct softlbd *d);

/* Rebuilds the desired state and reconciles the kernel with it. strict:
 * stop at the first kernel refusal and return -1 with it in err (apply);
 * otherwise log each failure and carry on (timer). */
int lvs_refresh(struct lvs_engine *e, const struct config *cfg, bool strict,
		struct strbuf *err);

/* ---- lvs_desired.c ---- */

/* Builds want from cfg (may be NULL), the runtime overrides rt (may be
 * NULL) and the health table of e. Replaces e->want's previous contents. */
void lvs_desired_build(struct lvs_engine *e, const struct config *cfg,
		       const struct runtime_state *rt);
void lvs_desired_free(struct lvs_desired *w);
/* Health of a real server by key: false only when reported down. */
bool lvs_health_up(const struct lvs_engine *e, const char *key);
/* Its misc_dynamic weight, or -1. */
int lvs_health_weight(const struct lvs_engine *e, const char *key);

/* ---- lvs_quorum.c ---- */

/* Around one desired-state build: quorum states of virtual servers not
 * evaluated in between are forgotten. */
void lvs_quorum_begin(struct lvs_engine *e);
void lvs_quorum_end(struct lvs_engine *e);
/* The quorum of virtual server vs (named vs_name) given the sum of its
 * live real servers' weights: true when up. A change is logged and runs
 * its quorum_up / quorum_down script, as user (global_defs script_user;
 * NULL: root). lvs_quorum_end() runs quorum_down for an omega virtual
 * server that left the configuration with its quorum up. */
bool lvs_quorum_eval(struct lvs_engine *e, const struct cfg_virtual_server *vs,
		     const char *vs_name, long sum, const char *user);
/* softlbd is stopping: quorum_down of every omega virtual server whose
 * quorum is up, then waits (running the loop, at most 5 s) until the
 * quorum scripts have ended. Call once nothing else can move a quorum. */
void lvs_quorum_shutdown(struct lvs_engine *e);
/* Forgets the quorum states and cancels the quorum scripts still running. */
void lvs_quorum_free(struct lvs_engine *e);

/* ---- lvs_vrrp.c ---- */

/* Follows the VRRP instances (the sync daemon is master while its
 * instance is MASTER, backup otherwise); no-op without a VRRP engine. */
void lvs_vrrp_start(struct lvs_engine *e);
void lvs_vrrp_stop(struct lvs_engine *e);
/* True / false when the instance name runs in the VRRP engine and is /
 * is not MASTER; -1 when there is no such instance running. */
int lvs_vrrp_is_master(const struct lvs_engine *e, const char *name);
/* The desired service with that key, or NULL. */
struct lvs_svc_want *lvs_desired_find(const struct lvs_desired *w,
				      const struct ipvs_service_key *key);

/* ---- lvs_reconcile.c ---- */

/* One pass: reads the kernel, adds what is missing, edits what differs,
 * drains and deletes what softlbd owns and no longer wants. first is the
 * pass at start (adoption is logged, nothing is "missing"). Returns 0, or
 * -1 with the first kernel refusal in err when strict. */
int lvs_reconcile(struct lvs_engine *e, bool strict, bool first, struct strbuf *err);
/* The timer's pass: as lvs_reconcile(), but it reads the real servers of
 * at most LVS_DEST_CHECKS_PER_PASS services that are in the kernel (in
 * turn, from where the last pass stopped, plus those with a drain in
 * progress): one dump per service, 10,000 of them, held the daemon's loop
 * (and every `show` behind it) for longer than the interval. */
#define LVS_DEST_CHECKS_PER_PASS 1000
int lvs_reconcile_some(struct lvs_engine *e, struct strbuf *err);
/* Frees the ownership and drain tables. */
void lvs_owned_free(struct lvs_engine *e);
/* The drain of that real server, or NULL. */
const struct lvs_drain *lvs_drain_find(const struct lvs_engine *e,
				       const struct ipvs_service_key *key,
				       const struct lvs_dest_id *dest);
bool lvs_key_equal(const struct ipvs_service_key *a, const struct ipvs_service_key *b);
bool lvs_dest_is(const struct ipvs_dest *d, const struct lvs_dest_id *id);

/* ---- lvs_index.c ---- */

/* Returns the key of element i of arr. */
typedef const struct ipvs_service_key *(*lvs_key_at_fn)(const void *arr, size_t i);

/* Indexes elements [0, n) of arr (any previous content is dropped). */
void lvs_index_build(struct lvs_index *ix, const void *arr, size_t n, lvs_key_at_fn key_at);
/* Adds element i (its key must not be indexed yet). */
void lvs_index_add(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at);
/* The index of the element with that key, or -1. */
long lvs_index_find(const struct lvs_index *ix, const void *arr, lvs_key_at_fn key_at,
		    const struct ipvs_service_key *key);
void lvs_index_free(struct lvs_index *ix);

/* ---- lvs_cmds.c ---- */

int lvs_cmds_register(struct grammar *g, struct strbuf *err);

#endif
