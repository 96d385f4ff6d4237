/* lvs_int: the LVS engine's internal interface, shared by the files of
 * backend/lvs (and its unit test) only; the rest of softlbd includes
 * lvs.h. */
#ifndef SOFTLB_LVS_LVS_INT_H
#define SOFTLB_LVS_LVS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/loop.h"
#include "lvs/lvs.h"

struct config;
struct config_changeset;
struct grammar;
struct runtime_state;

/* Follows the health-check engine: every UP/DOWN of a real server's checks
 * goes to lvs_set_rs_up(); at start, the checks' current view is read. */
void lvs_health_start(struct softlbd *d);
void lvs_health_stop(struct softlbd *d);

/* Arms the reconcile timer (every interval, every second while a real
 * server drains). */
void lvs_schedule(struct lvs_engine *e);

/* ---- lvs_changed.c ---- */

/* Marks virtual server vk changed: its desired state is rebuilt and its
 * services brought in line with the kernel at the next flush. Marking
 * twice is marking once; marking a key the model does not have removes
 * whatever softlbd still wants for it. */
void lvs_mark(struct lvs_engine *e, const struct cfg_vs_key *vk);
/* Marks what a configuration change touches: the virtual servers of its
 * virtual_server, real_server and virtual_server_group items, the
 * timeouts and the sync daemon for global_defs and VRRP items. Each
 * virtual server an item names comes with its object in the model the
 * flush will read (cs->new_cfg; cs->old_cfg when back, to roll back), so
 * the flush looks nothing up. */
void lvs_mark_changeset(struct lvs_engine *e, const struct config_changeset *cs, bool back);
/* Compares the operator overrides in force with those last acted on and
 * marks the virtual servers of those that differ. */
void lvs_mark_overrides(struct lvs_engine *e);
/* The flush: rebuilds the desired state of every marked virtual server
 * from cfg (the running model, or the one being applied), then reads and
 * edits in the kernel only the services that rebuild touched, batched.
 * strict: stop at the first kernel refusal and return -1 with it in err
 * (a configuration change, which is then rolled back); otherwise log each
 * failure and carry on. Returns 0 when nothing was marked. */
int lvs_flush(struct lvs_engine *e, const struct config *cfg, bool strict, struct strbuf *err);
/* Adds and removes the loop's before-sleep hook that flushes the marks
 * of each loop pass (health transitions) in one go. */
void lvs_changed_start(struct lvs_engine *e);
void lvs_changed_stop(struct lvs_engine *e);
/* The model the index was built from is about to change or go: from now
 * on its hits are checked and its misses confirmed by a rebuild. */
void lvs_cfg_index_reset(struct lvs_engine *e);
/* The virtual server of the model with key vk, or NULL (a hash lookup;
 * the index is rebuilt when cfg is not the model it was built for). */
const struct cfg_virtual_server *lvs_cfg_find(struct lvs_engine *e, const struct config *cfg,
					      const struct cfg_vs_key *vk);
void lvs_changed_free(struct lvs_engine *e);
/* vk lost a service to another virtual server naming the same one: it
 * is marked again when a service leaves the desired state. */
void lvs_shadow(struct lvs_engine *e, const struct cfg_vs_key *vk);

/* ---- lvs_key.c ---- */

uint16_t lvs_af(enum cfg_af af);
uint16_t lvs_proto(enum cfg_proto p);
void lvs_vs_key_of(const struct cfg_virtual_server *vs, struct cfg_vs_key *k);
/* From the name the diff and the check engine give a virtual server
 * (cfg_vs_identity: "TCP 192.0.2.10:80", "fwmark 7 (IPv4)", "TCP group
 * web"). Returns 0, or -1 when text is none of those. */
int lvs_vs_key_from_identity(const char *text, struct cfg_vs_key *k);
/* The virtual server(s) an override key names ("real-server VS RS"):
 * one, or two for "fwmark N" (either family); 0 when key is not a real
 * server's. */
size_t lvs_vs_keys_of_override(const char *key, struct cfg_vs_key out[2]);

/* ---- lvs_desired.c ---- */

/* Builds want from cfg (may be NULL), the runtime overrides rt (may be
 * NULL) and the health table of e. Replaces e->want's previous contents:
 * at start; every later change rebuilds only what it marked
 * (lvs_desired_rebuild_vs). */
void lvs_desired_build(struct lvs_engine *e, const struct config *cfg,
		       const struct runtime_state *rt);
void lvs_desired_free(struct lvs_desired *w);
/* Rebuilds the desired state of one virtual server, key vk, from vs (its
 * current configuration in cfg, or NULL when cfg no longer has it): its
 * services are dropped and built again. The key of every service dropped
 * or built is added to touched (once). Returns true when some service
 * left the desired state. */
struct lvs_keyset;
bool lvs_desired_rebuild_vs(struct lvs_engine *e, const struct config *cfg,
			    const struct cfg_vs_key *vk, const struct cfg_virtual_server *vs,
			    struct lvs_keyset *touched);
/* A set of service keys (the services a flush touches). */
struct lvs_keyset {
	struct ipvs_service_key *keys;
	size_t n, cap;
	struct lvs_index idx;
};
void lvs_keyset_add(struct lvs_keyset *ks, const struct ipvs_service_key *key);
void lvs_keyset_free(struct lvs_keyset *ks);
/* The timeouts and the sync daemon of cfg into the desired state. */
void lvs_desired_globals(struct lvs_engine *e, const struct config *cfg);
/* The health entry of key, or NULL (a hash lookup). */
const struct lvs_health *lvs_health_find(const struct lvs_engine *e, const struct cfg_rs_key *key);
/* Health of a real server by key: false only when reported down. */
bool lvs_health_up(const struct lvs_engine *e, const struct cfg_rs_key *key);
/* Its misc_dynamic weight, or -1. */
int lvs_health_weight(const struct lvs_engine *e, const struct cfg_rs_key *key);

/* ---- lvs_quorum.c ---- */

/* Around one desired-state build: quorum states of virtual servers not
 * evaluated in between are forgotten. */
void lvs_quorum_begin(struct lvs_engine *e);
void lvs_quorum_end(struct lvs_engine *e);
/* One virtual server left the configuration, or no longer has a sorry
 * server or quorum script: its quorum state is forgotten (omega runs
 * quorum_down). */
void lvs_quorum_forget(struct lvs_engine *e, const char *vs_name);
/* global_defs script_user changed: the quorum scripts run as user. */
void lvs_quorum_set_user(struct lvs_engine *e, const char *user);
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
/* Brings the n services keys in line with the desired state, reading and
 * editing only them: each is read (one get, or one dump of every service
 * when they are many), its real servers listed and edited, a missing one
 * added through a batch, an owned one no longer wanted deleted. strict
 * and err as lvs_reconcile(). */
int lvs_reconcile_keys(struct lvs_engine *e, const struct ipvs_service_key *keys, size_t n,
		       bool strict, struct strbuf *err);
/* Only the timeouts, or only the sync daemon (their global_defs, or a
 * VRRP instance, changed). */
int lvs_reconcile_timeouts(struct lvs_engine *e, bool strict, struct strbuf *err);
int lvs_reconcile_daemon(struct lvs_engine *e, bool strict, struct strbuf *err);
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
/* Adds element i, the last of arr (its key must not be indexed yet). */
void lvs_index_add(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at);
/* Removes element i's entry (arr still holding it). To move an element,
 * remove it, move it, add it again. */
void lvs_index_remove(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at);
/* Indexes element i again after it moved there (after a removal, so
 * there is room; any position). */
void lvs_index_reinsert(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at);
/* The index of the element with that key, or -1. */
long lvs_index_find(const struct lvs_index *ix, const void *arr, lvs_key_at_fn key_at,
		    const struct ipvs_service_key *key);
void lvs_index_free(struct lvs_index *ix);
/* The same over virtual-server keys; several elements may share a key
 * (lvs_vsx_find returns one of them). */
typedef const struct cfg_vs_key *(*lvs_vs_key_at_fn)(const void *arr, size_t i);
void lvs_vsx_build(struct lvs_index *ix, const void *arr, size_t n, lvs_vs_key_at_fn key_at);
void lvs_vsx_add(struct lvs_index *ix, const void *arr, size_t i, lvs_vs_key_at_fn key_at);
void lvs_vsx_remove(struct lvs_index *ix, const void *arr, size_t i, lvs_vs_key_at_fn key_at);
void lvs_vsx_reinsert(struct lvs_index *ix, const void *arr, size_t i, lvs_vs_key_at_fn key_at);
long lvs_vsx_find(const struct lvs_index *ix, const void *arr, lvs_vs_key_at_fn key_at,
		  const struct cfg_vs_key *key);

/* ---- lvs_cmds.c ---- */

int lvs_cmds_register(struct grammar *g, struct strbuf *err);
int lvs_table_register(struct grammar *g, struct strbuf *err);

#endif
