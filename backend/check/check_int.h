/* check_int.h: what the engine (check.c) shares with its checkers
 * (check_tcp.c, check_http.c, check_misc.c), its builder (check_build.c),
 * its event ring and its commands. Not for other engines: they use
 * check.h.
 */
#ifndef SOFTLB_CHECK_CHECK_INT_H
#define SOFTLB_CHECK_CHECK_INT_H

#include "check/check.h"
#include "core/loop.h"
#include "util/strbuf.h"

#define CHECK_MAX_OBSERVERS 16
#define CHECK_EVENTS_MAX 1024

struct event_journal;

struct check_target {
	struct check_engine *e;
	char *name;			/* see check-t.h */
	char *sig;			/* the definition as text: equal sig,
					 * equal check (apply keeps its state) */
	char *group, *member;		/* for observers (struct check_change) */
	struct check_def def;
	const struct check_ops *ops;
	void *ssl_ctx;			/* SSL_CTX of its own when def.ca_file
					 * (check_tls.c), else NULL: the
					 * engine's, which verifies nothing */

	enum check_state state;
	bool fresh;			/* no result yet */
	bool paused;
	bool running;			/* a run is in progress */
	int succ, fails;		/* consecutive, toward rise / fall */
	int weight;			/* misc_dynamic weight, -1: none */
	enum check_code code;		/* last result */
	char reason[192];		/* last result in words */
	unsigned latency_ms;		/* duration of the last run */
	time_t since;			/* wall clock of the last transition */
	uint64_t since_ms;		/* monotonic, same */
	time_t last_check;		/* wall clock of the last result */
	uint64_t runs, n_ok, n_failed;

	/* One timer per target: while idle it is the next run, while
	 * running the run's timeout (a run and a wait never overlap). Half
	 * the heap operations of two timers at 10,000 checks a second. */
	struct loop_timer timer;
	uint64_t run_start_ms;
	bool connected;			/* the run is past connect */
	enum check_code timeout_code;	/* what a timeout after connect is */
	const char *timeout_what;	/* "response", "TLS handshake" */
	int fd;				/* the run's socket, or -1 */
	bool fd_pooled;			/* fd goes back to the pool at close */
	bool fd_watched;		/* fd is in the loop */
	loop_fd_fn on_event;		/* the checker's handler of fd */
	void *io;			/* the checker's state for this run */
	size_t probe_idx;		/* HTTP: which url */
	uint64_t script_id;		/* MISC: the running script, 0: none */

	/* keepalived real_server notify_up / notify_down (split; empty:
	 * none) and the user they run as. Not part of sig: a reload that
	 * changes only these keeps the check's state (apply moves them). */
	struct strvec notify_up, notify_down;
	char *notify_user;
	/* keepalived omega on the virtual server: notify_down also runs when
	 * an up real server goes away (removed by a reload, or softlbd
	 * stopping). Moved by apply like the scripts. */
	bool omega;
};

/* A notify script still running. */
struct check_notify_run {
	uint64_t id;			/* the runner's */
	char *what;			/* for the log, owned */
};

struct check_observer {
	check_observer_fn fn;
	void *arg;
};

/* Closed TCP sockets, still watched by the loop, that the next checks
 * connect again (check_conn.c). The cap bounds the descriptors held by
 * a burst of checks in flight at once. */
#define CHECK_POOL_MAX 512
struct check_sock_pool {
	int fd[CHECK_POOL_MAX];
	size_t n;
};

struct check_engine {
	struct loop *loop;
	struct event_journal *journal;	/* the daemon's (core/events.h); may be NULL */
	struct script_runner *scripts;
	struct check_target **targets;	/* sorted by name */
	size_t n_targets;
	struct check_events events;
	struct check_observer obs[CHECK_MAX_OBSERVERS];
	size_t n_obs;
	uint64_t rng;			/* xorshift state for start spreading */
	void *ssl_ctx;			/* SSL_CTX, made at the first SSL_GET */
	struct check_notify_run *notify;
	size_t n_notify, cap_notify;
	struct check_sock_pool pools[2];	/* IPv4, IPv6 */
	uint64_t sockets_opened, sockets_reused;
	uint64_t results_gen;		/* check_results_gen() */
};

/* Checkers. */
extern const struct check_ops check_tcp_ops;
extern const struct check_ops check_http_ops;
extern const struct check_ops check_misc_ops;

/* Ends the running run of t: the checker's abort() cleans up whatever is
 * left, then the result moves the state machine, records an event on a
 * transition, tells the observers and schedules the next run. The
 * checker must not touch t's run state after calling it. */
void check_run_end(struct check_target *t, bool ok, enum check_code code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Sets a misc_dynamic weight, telling observers when it changes. */
void check_set_weight(struct check_target *t, int weight);

/* Opens t->fd, non-blocking, bound as the definition says, and starts
 * connecting to def.addr; on_event runs on its events (EPOLLOUT first).
 * Arms the connect timeout. Returns 0, or -1 after ending the run
 * (SOCKERR, L4CON). */
int check_conn_open(struct check_target *t, loop_fd_fn on_event);
/* On the first event (its epoll events): returns true when the
 * connection is up, and then with io_next arms the I/O timeout (a checker
 * that is done once connected passes false); false after ending the run
 * with L4CON. */
bool check_conn_established(struct check_target *t, uint32_t events, bool io_next);
/* Closes t->fd if open; with reset, by RST (no TIME_WAIT left on our
 * side by thousands of checks), and then a reuse_socket checker's socket
 * goes back to the pool instead of being closed. */
void check_conn_close(struct check_target *t, bool reset);
/* Watches other events on t->fd (not for a reuse_socket checker, whose
 * watch is one-shot). */
void check_conn_watch(struct check_target *t, uint32_t events);
/* Closes the pool's sockets (the engine is going). */
void check_conn_pool_free(struct check_engine *e);

/* "3 s", "0.5 s", "1.25 s" */
void check_put_secs(struct strbuf *out, unsigned ms);

/* Builds the targets of cfg into a new sorted array (check_build.c).
 * Returns 0, or -1 with the reason in err. */
int check_build_targets(struct check_engine *e, const struct config *cfg,
			struct check_target ***out, size_t *n_out, struct strbuf *err);
void check_target_free(struct check_target *t);
/* TLS checks that verify (check_tls.c): t's own SSL_CTX from
 * t->def.ca_file. Returns 0, or -1 with "ca-file F: why" in err. */
int check_tls_ctx(struct check_target *t, struct strbuf *err);
void check_tls_ctx_free(void *ctx);
/* After a failed handshake on ssl (an SSL *): true with the certificate
 * verification error in out when that is why it failed. */
bool check_tls_verify_error(void *ssl, struct strbuf *out);
/* The check's SSL of a run: its own context or the engine's, with the
 * SNI and the name to verify set. NULL when out of memory. */
void *check_tls_new(struct check_target *t);
struct check_target *check_find(const struct check_engine *e, const char *name);
/* Starts, pauses, resumes or runs a target now (check_cmds.c). */
void check_target_pause(struct check_target *t);
void check_target_resume(struct check_target *t);
/* Returns 0, or -1 when a run is already in progress. */
int check_target_run_now(struct check_target *t);
/* "UP", "UP 1/3", "DOWN 1/2" */
void check_progress(const struct check_target *t, struct strbuf *out);
const char *check_kind_label(const struct check_target *t);

/* The event ring (check_events.c). */
void check_events_init(struct check_events *ev, size_t cap);
void check_events_free(struct check_events *ev);
/* Appends a copy of ev (target copied too); the oldest goes when full. */
void check_events_push(struct check_events *ring, const struct check_event *ev,
		       const char *target);
/* The i-th newest event, or NULL past the end. */
const struct check_event *check_events_newest(const struct check_events *ring, size_t i);
/* One line: "UP -> DOWN: HTTP 503, expected 200 (check 3 ms, UP for 2m05s)" */
void check_event_describe(const struct check_event *ev, struct strbuf *out);

/* notify_up / notify_down (check_notify.c). After t moved from `from`
 * to its state: runs its real server's script when that server as a
 * whole changed state. */
void check_notify_transition(struct check_target *t, enum check_state from);
/* omega: t (a target of targets[0..n), sorted) goes away with its real
 * server (why: "softlbd stopping", "removed by a reload"): runs its
 * notify_down when its VS has omega, the real server was up (every
 * target of it UP) and t is the first target of that real server. */
void check_notify_gone(struct check_engine *e, struct check_target *const *targets, size_t n,
		       size_t idx, const char *why);
/* Forgets (cancels) the notify scripts still running. */
void check_notify_free(struct check_engine *e);

/* Commands (check_cmds.c). */
int check_cmds_register(struct softlbd *d, struct strbuf *err);

#endif
