/* events: the daemon's one event journal.
 *
 * Everything that changes state — a health transition, a VRRP state
 * change, an LVS apply result or drift repair, a configuration reload or
 * shell edit, an operator override, an engine error — is appended here
 * as one event with a sequence number, monotonic and wall-clock times,
 * the engine, the object's key, the old and new state, the reason and,
 * for what an operator did, who. The journal is a bounded ring: the
 * oldest event goes first, and the sequence numbers say how many went.
 *
 * Readers poll with `show events since SEQ` (the monitor, the SNMP
 * agent): a poll costs nothing when nothing happened. In the daemon,
 * events_subscribe() calls a function for every new event. Everything
 * runs on the control-plane thread.
 */
#ifndef SOFTLB_CORE_EVENTS_H
#define SOFTLB_CORE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum event_engine {
	EVENT_CORE = 0,
	EVENT_CONFIG,
	EVENT_RUNTIME,
	EVENT_CHECK,
	EVENT_VRRP,
	EVENT_LVS,
	EVENT_PROXY,
	EVENT_SNMP,
	EVENT_ENGINE_COUNT,
};

enum event_kind {
	EVENT_HEALTH = 0,	/* a health check's verdict changed */
	EVENT_STATE,		/* an engine object's state changed (VRRP) */
	EVENT_APPLY,		/* an engine applied, or refused, a change */
	EVENT_DRIFT,		/* the kernel differed and was repaired */
	EVENT_RELOAD,		/* the configuration files were re-read */
	EVENT_EDIT,		/* a configure-mode line changed the model */
	EVENT_OVERRIDE,		/* an operator override was set or dropped */
	EVENT_ERROR,		/* something failed */
	EVENT_KIND_COUNT,
};

/* Who did it, for what an operator did. */
struct event_actor {
	char user[64];
	uid_t uid;
	const char *role;	/* "admin", "operator", "view"; static */
};

/* What a producer hands to events_add(); strings are copied. object is
 * the key as `show events object` matches it: "rs TCP 192.0.2.10:80
 * 198.51.100.11:80", "vs TCP 192.0.2.10:80", "server web/s1", "proxy
 * web", "vrrp VI_1", "config", ... */
struct event_spec {
	enum event_engine engine;
	enum event_kind kind;
	const char *object;
	const char *old_state;	/* NULL: none */
	const char *new_state;	/* NULL: none */
	const char *reason;	/* NULL: none */
	const struct event_actor *by;	/* NULL: the daemon itself */
};

struct event {
	uint64_t seq;		/* 1, 2, ... never reused */
	uint64_t mono_ms;	/* CLOCK_MONOTONIC */
	int64_t wall_ms;	/* CLOCK_REALTIME, ms since the epoch */
	enum event_engine engine;
	enum event_kind kind;
	char *object;
	char *old_state;	/* NULL: none */
	char *new_state;
	char *reason;
	bool has_actor;
	struct event_actor by;
};

struct event_journal;

typedef void (*event_fn)(const struct event *ev, void *arg);

/* A journal keeping the newest capacity events (at least 1). */
struct event_journal *events_new(size_t capacity);
void events_free(struct event_journal *j);

/* Appends an event and tells the subscribers. Returns its sequence
 * number. j may be NULL (unit tests of engines): nothing happens. */
uint64_t events_add(struct event_journal *j, const struct event_spec *spec);

/* Calls fn for every event appended from now on, until unsubscribed.
 * Returns 0, or -1 when the subscriber list is full. */
int events_subscribe(struct event_journal *j, event_fn fn, void *arg);
void events_unsubscribe(struct event_journal *j, event_fn fn, void *arg);

/* The sequence numbers held: oldest and newest (0 and 0 when empty);
 * last_seq is also the newest ever appended. */
uint64_t events_oldest_seq(const struct event_journal *j);
uint64_t events_last_seq(const struct event_journal *j);
size_t events_capacity(const struct event_journal *j);
/* The event with sequence number seq, or NULL when it left the ring or
 * does not exist yet. */
const struct event *events_get(const struct event_journal *j, uint64_t seq);

const char *event_engine_name(enum event_engine e);
const char *event_kind_name(enum event_kind k);
/* EVENT_ENGINE_COUNT when name is no engine's name. */
enum event_engine event_engine_parse(const char *name);

#endif
