/* lvs-t.h: the LVS engine's types: the desired IPVS state built from the
 * model, what softlbd owns in the kernel, and the real servers draining.
 * Types only; the functions are in lvs.h.
 *
 * The engine keeps three pictures apart:
 *
 *   desired   what the configuration plus the operator's overrides and the
 *             health checks ask for (built whole at start, then rebuilt
 *             one virtual server at a time: those a change marked,
 *             lvs_changed.c)
 *   kernel    what IPVS holds (read at every reconcile pass, never cached)
 *   owned     what softlbd may delete: services and real servers that were
 *             in its desired state at some point (added or adopted), so a
 *             service someone else made with ipvsadm is left alone
 */
#ifndef SOFTLB_LVS_LVS_T_H
#define SOFTLB_LVS_LVS_T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/vs_key.h"
#include "core/loop-t.h"
#include "core/module.h"
#include "ctl/table_out.h"
#include "lvs/ipvs-t.h"
#include "util/hindex.h"

/* Why a real server has the weight it has (for show virtual-server). */
enum lvs_rs_state {
	LVS_RS_UP = 0,		/* as configured (or operator weight) */
	LVS_RS_DRAINING,	/* operator drain: weight 0, kept */
	LVS_RS_DISABLED,	/* operator disable: removed (weight 0 if inhibit) */
	LVS_RS_DOWN,		/* health check down: removed (weight 0 if inhibit) */
	LVS_RS_SORRY,		/* the sorry server, in while the quorum is lost */
	LVS_RS_NO_QUORUM,	/* up, but out while the quorum is lost and the
				 * sorry server serves (weight 0 if inhibit) */
};

/* One real server as softlbd wants it. */
struct lvs_dest_want {
	struct ipvs_dest dest;
	char *key;		/* runtime key, "real-server 192.0.2.10:80 tcp 198.51.100.11:80";
				 * NULL for a sorry server; owned */
	int cfg_weight;		/* weight in the configuration */
	enum lvs_rs_state state;
	bool absent;		/* must not be in the kernel (disabled or down
				 * without inhibit_on_failure): deleted at once,
				 * without draining */
};

/* A virtual server's typed identity is config's (config/vs_key.h:
 * struct cfg_vs_key, its hash and comparison): what the changed set,
 * the desired state and the model's index are keyed by, so that finding
 * the virtual server of a real server, an override or a health report
 * is a hash lookup, not a walk over the configuration formatting names.
 * The engine's keys always know their family (lvs_vs_key_of: a fwmark
 * of no family is IPv4, as IPVS takes it), so its comparison is exact. */

/* One IPVS service as softlbd wants it; a virtual_server_group gives
 * several, all naming the same virtual server. */
struct lvs_svc_want {
	struct ipvs_service svc;
	struct cfg_vs_key vs;	/* the virtual server it comes from */
	char *vs_name;		/* the virtual server's identity ("TCP
				 * 192.0.2.10:80", "group NAME"); owned */
	struct lvs_dest_want *dests;
	size_t n_dests, cap_dests;
};

/* A hash index (util/hindex.h) over an array the engine owns and grows
 * (so it moves): its items are positions (+ 1), resolved through the
 * array and key function each call names (lvs_index.c). */
struct lvs_index {
	struct hindex h;
	const void *arr;	/* as of the last call */
	const struct ipvs_service_key *(*svc_at)(const void *arr, size_t i);
	const struct cfg_vs_key *(*vs_at)(const void *arr, size_t i);
};

struct lvs_desired {
	struct lvs_svc_want *svcs;
	size_t n_svcs, cap_svcs;
	struct lvs_index idx;		/* over svcs[].svc.key */
	struct lvs_index vs_idx;	/* over svcs[].vs (several per group) */
	struct ipvs_timeouts timeouts;	/* 0: leave the kernel's */
	bool want_daemon;
	struct ipvs_daemon daemon;
};

/* A real server of an owned service, by identity. */
struct lvs_dest_id {
	uint16_t af;
	union ipvs_addr addr;
	uint16_t port;
	bool seen;		/* was in the kernel at the last pass */
};

/* A service softlbd owns, with the real servers of it that it owns. */
struct lvs_owned {
	struct ipvs_service_key key;
	bool seen;		/* was in the kernel at the last pass */
	bool dead;		/* deleted: skipped until the array is compacted */
	struct lvs_dest_id *dests;
	size_t n_dests, cap_dests;
};

/* A real server removed from the configuration, on its way out: weight 0
 * until its active connections reach 0 or the drain timeout passes. */
struct lvs_drain {
	struct ipvs_service_key key;
	struct lvs_dest_id dest;
	uint64_t started_ms;	/* monotonic */
	uint64_t deadline_ms;
	uint32_t start_active;	/* active connections when it started */
	uint32_t active;	/* at the last pass */
};

/* A real server a health check reported down (lvs_set_rs_up), or whose
 * MISC_CHECK with misc_dynamic set its weight (lvs_set_rs_weight). */
struct lvs_health {
	struct cfg_rs_key key;	/* typed: a report formats nothing */
	bool up;
	int weight;		/* dynamic weight, or -1 */
};

/* A virtual server's quorum (keepalived's quorum / hysteresis): lost when
 * the weights of its live real servers sum below quorum - hysteresis,
 * gained again at quorum + hysteresis. */
struct lvs_quorum {
	char *vs_name;		/* as lvs_svc_want.vs_name; owned */
	bool up;
	bool seen;		/* in the last desired state built */
	/* keepalived's omega: quorum_down also runs when the virtual
	 * server goes away with its quorum up (removed by a reload, or
	 * softlbd stopping). Kept here, owned, since by then its
	 * configuration may be gone. */
	bool omega;
	char *down_line;	/* quorum_down, or NULL */
	char *user;		/* global_defs script_user, or NULL */
};

/* The configuration's virtual servers by key: keys[i] is cfg->vs[i]'s.
 * Built on demand for the model a flush reads, and kept when the model
 * is replaced by one of the same size (an edit replaces it for every
 * change): a hit is checked against the model it points into, and a
 * miss in a model it was not built from is confirmed by a rebuild, so a
 * stale index is never believed. */
struct lvs_cfg_index {
	bool built;
	const struct config *cfg;	/* the model it was built from; NULL
					 * once that may have changed */
	struct cfg_vs_key *keys;
	size_t n;
	struct lvs_index idx;		/* over keys */
	unsigned long builds;		/* how often it was built (tests) */
};

/* An operator override as the engine last acted on it (runtime.h), so
 * that a change of overrides marks only the virtual servers whose
 * overrides differ. */
struct lvs_rt_seen {
	char *key;		/* owned */
	int admin;		/* enum runtime_admin */
	int weight;
};

struct cfg_virtual_server;

/* What a configuration change already knows of a virtual server it
 * marks: its object in the model being applied (vs; NULL when that model
 * no longer has it), so that the flush finds it without a lookup. */
struct lvs_mark_hint {
	const struct config *cfg;	/* the model vs belongs to; NULL: no hint */
	const struct cfg_virtual_server *vs;
};

struct softlbd;
struct ipvs;
struct config;

/* The engine: the module's private state. */
struct lvs_engine {
	struct softlbd *d;
	struct tbl_cache table;		/* show table lvs's last reply (lvs_table.c) */
	struct ipvs *h;			/* NULL when IPVS is unavailable */
	struct module_status st;	/* UNAVAILABLE with its reason, or RUNNING */
	struct ipvs_info info;
	struct lvs_desired want;
	struct lvs_owned *owned;
	size_t n_owned, cap_owned;
	struct lvs_index owned_idx;	/* over owned[].key */
	size_t owned_dead;
	bool daemon_owned;		/* softlbd started the sync daemon */
	struct lvs_drain *drains;
	size_t n_drains, cap_drains;
	struct lvs_health *health;
	size_t n_health, cap_health;
	struct hindex health_idx;	/* over health[].key: 10,000 servers
					 * down must not make each report and
					 * each rebuild a walk of them all */
	struct lvs_quorum *quorum;
	size_t n_quorum, cap_quorum;
	uint64_t *scripts;		/* quorum_up/down runs not yet reported */
	size_t n_scripts, cap_scripts;
	bool vrrp_followed;		/* subscribed to VRRP state changes */
	bool starting;			/* in lvs_init, before the first pass */
	struct loop_timer timer;	/* the reconcile pass */
	uint64_t interval_ms;		/* between passes */
	uint64_t drain_timeout_ms;
	unsigned long passes;		/* reconcile passes so far */
	unsigned long repairs;		/* drift repaired by the timer */
	size_t routine_logged;		/* routine lines logged by this pass */
	size_t routine_quiet;		/* and those left to debug level */
	size_t dest_cursor;		/* where the timer's next pass starts
					 * reading real servers (lvs_reconcile.c) */
	char last_error[256];		/* last kernel error of a pass, or "" */

	/* The changed set (lvs_changed.c): virtual servers whose desired
	 * state must be rebuilt and whose services must be brought in line
	 * with the kernel, at the next flush (the loop's before-sleep hook,
	 * or at once for a configuration change or an override). */
	struct cfg_vs_key *marked;
	struct lvs_mark_hint *hints;	/* one per marked */
	size_t n_marked, cap_marked;
	struct lvs_index marked_idx;	/* over marked */
	bool mark_timeouts;		/* global_defs lvs_timeouts changed */
	bool mark_daemon;		/* the sync daemon's wish may have */
	/* Virtual servers that lost a service to another one naming the
	 * same service (a group entry that is also a virtual server):
	 * marked again when some service leaves the desired state. */
	struct cfg_vs_key *shadowed;
	size_t n_shadowed, cap_shadowed;
	struct lvs_cfg_index cfgx;
	struct lvs_rt_seen *rt_seen;
	size_t n_rt_seen, cap_rt_seen;
	bool hooked;			/* the before-sleep hook is added */
	unsigned long flushes;		/* flushes that had work */
	unsigned long flushed_vs;	/* virtual servers they rebuilt */
	unsigned long flushed_svcs;	/* services they brought in line */
};

#endif
