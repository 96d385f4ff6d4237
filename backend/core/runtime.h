/* runtime: operator state set from the shell, kept apart from the
 * configuration.
 *
 * An operator who disables, drains or re-weights a server at 3 a.m. is not
 * editing the configuration: a reload must not undo it, write memory must
 * not save it, and everyone must see that it is in force. So it lives
 * here, keyed by the identity of the object, and survives every reload for
 * as long as the object exists. Engines ask runtime_lookup() when they
 * program a server.
 */
#ifndef SOFTLB_CORE_RUNTIME_H
#define SOFTLB_CORE_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config/model-t.h"
#include "util/strbuf.h"

struct softlbd;
struct config;
struct grammar;
struct runtime_state;

enum runtime_admin {
	RUNTIME_ENABLED = 0,	/* as configured */
	RUNTIME_DISABLED,	/* takes no traffic; existing connections cut */
	RUNTIME_DRAINING,	/* takes no new traffic; existing ones finish */
};

/* What an override is set on, typed: overrides are found by this key
 * through a hash index (util/hindex.h), never by formatting or scanning.
 * A key made for a lookup borrows its strings; an override owns its
 * copies. */
enum runtime_key_kind {
	RUNTIME_KEY_RS = 0,	/* a real server of an LVS virtual server */
	RUNTIME_KEY_SERVER,	/* a server of a proxy */
};

struct runtime_key {
	enum runtime_key_kind kind;
	/* RUNTIME_KEY_RS: the virtual server, as configure mode names it
	 * (config_vs_key: no family for a fwmark), then the real server. */
	enum cfg_vs_kind vs_kind;
	enum cfg_proto protocol;	/* address and group: TCP when unset;
					 * fwmark: CFG_PROTO_UNSET */
	struct cfg_endpoint vs_ep;	/* CFG_VS_ADDR */
	uint32_t fwmark;		/* CFG_VS_FWMARK */
	struct cfg_endpoint rs;
	const char *name;	/* RS of a CFG_VS_GROUP: the group; SERVER: the proxy */
	const char *server;	/* SERVER: the server */
};

/* Fill k for a lookup; k borrows the strings given. */
void runtime_key_rs(struct runtime_key *k, const struct config_vs_key *vs,
		    const struct cfg_endpoint *rs);
void runtime_key_rs_of(struct runtime_key *k, const struct cfg_virtual_server *vs,
		       const struct cfg_endpoint *rs);
void runtime_key_server(struct runtime_key *k, const char *proxy, const char *server);
/* "real-server 192.0.2.10:80 tcp 198.51.100.11:80", "real-server fwmark 7
 * 198.51.100.11:80", "real-server group G tcp 198.51.100.11:80",
 * "server web/s1": what show runtime and the log print. */
void runtime_key_format(const struct runtime_key *k, struct strbuf *out);
uint32_t runtime_key_hash(const struct runtime_key *k);
bool runtime_key_equal(const struct runtime_key *a, const struct runtime_key *b);

struct runtime_override {
	struct runtime_key id;	/* owns its strings */
	char *key;		/* id as text (runtime_key_format) */
	char *object;		/* the event journal's name of the object
				 * (what its set event said), or NULL */
	enum runtime_admin admin;
	int weight;		/* -1: the configured weight */
	time_t since;		/* when last set */
	char who[64];		/* user who set it */
};

struct event_actor;

/* What an operator does to an object. */
enum runtime_action {
	RUNTIME_ACT_ENABLE = 0,	/* takes traffic again (keeps a weight override) */
	RUNTIME_ACT_DISABLE,	/* MAINT */
	RUNTIME_ACT_DRAIN,	/* no new traffic */
	RUNTIME_ACT_WEIGHT,	/* weight until restored */
	RUNTIME_ACT_RESTORE,	/* back to the configuration */
};

/* The one path every override takes, from the shell or the runtime
 * socket: changes the override for key (the caller checked that the
 * object exists), journals it (object as the journal names it; by may be
 * NULL), writes the outcome to out and has the engines act on it. who is
 * recorded for show runtime. Returns 0, or -1 when an engine failed (its
 * words in warn; the override stays in force). */
int runtime_set(struct softlbd *d, const struct runtime_key *key, const char *object,
		enum runtime_action act,
		int weight, const char *who, const struct event_actor *by, struct strbuf *out,
		struct strbuf *warn);

struct runtime_state *runtime_new(void);
void runtime_free(struct runtime_state *rt);

/* The override for key, or NULL when the object runs as configured.
 * One hash lookup, whatever the number of overrides. */
const struct runtime_override *runtime_lookup(const struct runtime_state *rt,
					      const struct runtime_key *key);
/* Slots that lookup examines (tests: proof that it does not scan). */
size_t runtime_lookup_probes(const struct runtime_state *rt, const struct runtime_key *key);

/* The overrides in force, in no particular order, for an engine that
 * compares them with those it last acted on (the LVS engine marks only
 * the virtual servers whose overrides differ). */
size_t runtime_count(const struct runtime_state *rt);
const struct runtime_override *runtime_at(const struct runtime_state *rt, size_t i);

/* Drops overrides whose object is gone from cfg, writing one line per
 * dropped override to out and one event to journal (may be NULL), as
 * the reload or edit by `by` (NULL: the daemon) that dropped it. Called
 * after every configuration change. */
struct event_journal;
struct event_actor;
struct config_index;
void runtime_prune(struct runtime_state *rt, const struct config_index *cfg,
		   struct event_journal *journal, const struct event_actor *by,
		   struct strbuf *out);

/* Appends one comment line per override ("<prefix> runtime: KEY draining,
 * weight 5"), for show running-config. */
void runtime_format_comments(const struct runtime_state *rt, const char *prefix,
			     struct strbuf *out);

/* Adds the operator commands (real-server ... of ..., server ..., show
 * runtime). */
int runtime_register(struct grammar *g, struct strbuf *err);

#endif
