/* fetch: one structured snapshot of softlbd per refresh, over the control
 * socket, and the connection that survives the daemon going away.
 *
 * The monitor is a client like the shell: it sends the JSON forms of the
 * show commands through backend/client/ctl_client and keeps the parsed
 * replies (json-c objects) until the next refresh. When a request fails
 * the connection is dropped and the next refresh reconnects; the caller
 * shows a "reconnecting" banner meanwhile and the last data it had.
 *
 * The event journal (`show events since SEQ json`) is polled with the
 * last sequence number seen. A daemon that does not know the command
 * answers "% Unknown command": the journal is then marked unsupported and
 * asked again only after a reconnect (a new daemon may know it).
 */
#ifndef SOFTLB_TUI_FETCH_H
#define SOFTLB_TUI_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "ptable.h"
#include "util/strbuf.h"

/* Each wait for the daemon is bounded (an idle timeout: a large reply
 * that keeps coming is never cut): a daemon that stopped answering must
 * not freeze the screen for long. */
#define FETCH_TIMEOUT_MS 5000

/* The most events kept for the screen. */
#define FETCH_EVENTS_MAX 500

enum fetch_events_support {
	FETCH_EVENTS_UNKNOWN = 0,	/* not asked yet */
	FETCH_EVENTS_YES,
	FETCH_EVENTS_NO,		/* the daemon answered "Unknown command" */
};

/* One show command's answer. obj is set on status 200 with a body that
 * parses; otherwise err says why (the daemon's "error" field, its "% ..."
 * message, or a parse error). */
struct fetch_reply {
	struct json_object *obj;
	struct strbuf err;
};

struct snapshot {
	uint64_t t_ms;			/* CLOCK_MONOTONIC when taken */
	struct fetch_reply status;	/* show status json */
	struct fetch_reply lvs;		/* its err only: the table is lt */
	struct ptable *lt;		/* show table lvs, one reference: the
					 * kernel's services and real servers
					 * with softlbd's wanted weights and states */
	struct fetch_reply proxy;	/* its err only: the table is pt */
	struct ptable *pt;		/* show table proxy (or show proxy json
					 * from an older daemon), one reference;
					 * NULL when the screen does not need it */
	struct ptable *ps;		/* show table proxy summary: the proxies
					 * alone with their servers counted, for
					 * the header; NULL from an older daemon */
	struct fetch_reply vrrp;	/* show vrrp json */
	struct fetch_reply checks;	/* show checks json */
	struct json_object *vrrp_detail; /* array of show vrrp NAME json, or NULL */
};

struct fetch {
	char *socket_path;
	struct ctl_client *client;	/* NULL while disconnected */
	bool ever_connected;
	uint64_t generation;		/* bumped at each new connection */
	struct strbuf why;		/* why the last connect or request failed */
	char host[128], role[32], user[64], version[32];

	enum fetch_events_support events_support;
	uint64_t events_seq;		/* last seq seen */
	struct json_object *events;	/* array, oldest first, at most FETCH_EVENTS_MAX */

	/* The last proxy table (a reference), kept to ask softlbd only for
	 * a newer one ("since GEN"); table_no: the daemon has no terse
	 * form, the JSON is asked instead (until a reconnect). */
	struct ptable *proxy_last, *lvs_last, *sum_last;
	bool table_no;
	bool sum_no;			/* no summary: the header reads pt */
};

/* What a snapshot holds besides the header's data (the daemon's status,
 * VRRP, checks, the proxy summary and the LVS table, which the header
 * sums): only what the screen shown needs, so a screen without the
 * proxy table does not cost softlbd 10,000 rows a refresh. */
enum fetch_need {
	FETCH_PROXY = 1,		/* the proxy table, every server */
	FETCH_PROXY_SMALL = 2,		/* it too while it has at most
					 * FETCH_SMALL_SERVERS servers (the
					 * overview: a few rows to see; at
					 * 10,000 servers, the proxies alone) */
	FETCH_VRRP_DETAIL = 4,		/* show vrrp NAME of every instance */
};

#define FETCH_SMALL_SERVERS 200

void fetch_init(struct fetch *f, const char *socket_path);
void fetch_free(struct fetch *f);

/* Connects if not connected. Returns true when connected. */
bool fetch_connect(struct fetch *f, int timeout_ms);
bool fetch_connected(const struct fetch *f);
void fetch_disconnect(struct fetch *f, const char *why);

/* Takes a snapshot into *s (which it frees first): the header's data and
 * what need (enum fetch_need bits) asks. Returns false when the
 * connection failed on the way (then disconnected; *s holds what came). */
bool fetch_snapshot(struct fetch *f, struct snapshot *s, unsigned need);

/* Whether s holds what need asks (a screen switched to can be drawn from
 * it, or wants a snapshot at once). */
bool fetch_snapshot_has(const struct snapshot *s, unsigned need);
void snapshot_free(struct snapshot *s);

/* Runs one show command in JSON into r (freed first). Returns false when
 * the connection failed (then dropped). */
bool fetch_show(struct fetch *f, const char *line, struct fetch_reply *r);
void fetch_reply_free(struct fetch_reply *r);

/* Polls the event journal; new events are appended to f->events. */
bool fetch_events(struct fetch *f);

/* Runs one command line (an operator action). Returns the reply status
 * (or -1 when the connection failed) and the daemon's text in out. */
int fetch_exec(struct fetch *f, const char *line, struct strbuf *out);

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t fetch_now_ms(void);

#endif
