/* check: the health-check engine (types in check-t.h).
 *
 * Every check runs in the control-plane loop as a non-blocking state
 * machine (sockets) or through the script runner (MISC_CHECK): no thread
 * or process per check. Targets come from the configuration model;
 * check_engine_apply() rebuilds them on every reload or edit and keeps
 * the state, counters and timers of each target whose definition did not
 * change.
 *
 * Effects: the engine itself changes nothing outside softlbd. Engines that
 * act on results (LVS: remove or weight 0 a real server, sorry server,
 * quorum; proxy: mark a server DOWN) subscribe with check_subscribe() and
 * hear every transition and weight change; at their own start they read
 * the current state with check_member_state().
 */
#ifndef SOFTLB_CHECK_CHECK_H
#define SOFTLB_CHECK_CHECK_H

#include <stdbool.h>
#include <time.h>

#include "check/check-t.h"

struct softlbd;
struct loop;
struct config;
struct strbuf;
struct script_runner;
struct module_ops;

/* A new engine on loop l; scripts may be NULL (MISC_CHECK then fails with
 * a reason). Free with check_engine_free(). */
struct check_engine *check_engine_new(struct loop *l, struct script_runner *scripts);
/* Stops every check and frees the engine. */
void check_engine_free(struct check_engine *e);
/* softlbd stopping: stops every check, runs keepalived's omega
 * notify_down of each real server that was up, runs the loop until those
 * scripts end (at most 5 s), then frees the engine. */
void check_engine_shutdown(struct check_engine *e);

/* Makes the targets those of cfg (NULL: none). A target whose name and
 * definition are unchanged keeps its state and counters; a changed one
 * starts afresh; a removed one stops. Returns 0, or -1 with the reason in
 * err (a target that cannot be built: then nothing changed). */
int check_engine_apply(struct check_engine *e, const struct config *cfg, struct strbuf *err);

/* Observers: fn(change, arg) on every transition and weight change, in
 * subscription order. Returns 0, or -1 when 16 are already subscribed. */
int check_subscribe(struct check_engine *e, check_observer_fn fn, void *arg);
void check_unsubscribe(struct check_engine *e, check_observer_fn fn, void *arg);

/* The state of a server as its checks see it, for engines starting up:
 * 1 when every target of (group, member) is UP, 0 when any is DOWN, -1
 * when it has no checks. group and member as in struct check_change. */
int check_member_state(const struct check_engine *e, const char *group, const char *member);

/* What another engine shows of a member's check (show proxy): the first
 * target of (group, member). */
struct check_member_info {
	enum check_state state;
	char progress[24];	/* "UP", "UP 1/3", "DOWN 1/2" */
	enum check_code code;	/* last result */
	char reason[192];	/* last result in words */
	time_t last_check;	/* wall clock of the last result, 0: none yet */
	unsigned latency_ms;
};

/* A number that moves whenever a check's result or state, or the set of
 * targets, changes: a reader that saw the same number before knows that
 * check_member_info() answers as it did then, for every member (show
 * table proxy skips its per-member lookups on that). */
uint64_t check_results_gen(const struct check_engine *e);

/* Fills *out for (group, member); returns 0, or -1 when it has no check. */
int check_member_info(const struct check_engine *e, const char *group, const char *member,
		      struct check_member_info *out);

/* Calls fn(group, member, info, arg) for every target, in the engine's
 * order: one pass, for a reader that needs the info of many members
 * (the runtime socket's show stat indexes them once instead of asking
 * check_member_info() for each). Pointers are valid during the call. */
typedef void (*check_member_fn)(const char *group, const char *member,
				const struct check_member_info *info, void *arg);
void check_visit_members(const struct check_engine *e, check_member_fn fn, void *arg);

/* Counts for show status. */
void check_engine_counts(const struct check_engine *e, size_t *targets, size_t *up,
			 size_t *down, size_t *paused);
/* TCP sockets the checks made, and connections made on a reused one. */
void check_engine_socket_counts(const struct check_engine *e, uint64_t *opened,
				uint64_t *reused);

/* The engine of a running softlbd (the check module's state), or NULL. */
struct check_engine *check_engine_of(struct softlbd *d);

/* Names. */
const char *check_code_name(enum check_code c);	/* "L4OK" */
const char *check_state_name(enum check_state s);	/* "UP" */

/* The "check" module (module.c) and its commands. */
extern const struct module_ops check_module;

#endif
