/* proxy_int.h: what the files of the proxy engine share (not for other
 * engines; they use proxy.h).
 *
 *   proxy.c        the module: workers, snapshots posted on every change
 *   px_snap.c      builds a snapshot from the model, overrides and checks
 *   px_listen.c    listening sockets (IP_FREEBIND, SO_REUSEPORT)
 *   px_worker.c    a worker thread: its loop, mailbox, listeners, accept
 *   px_session.c   one client session: connect, retries, relay, timeouts
 *   px_http.c      mode http: the request head, X-Forwarded-For, errors
 *   px_lb.c        balancing algorithms
 *   px_cmds.c      show proxy
 */
#ifndef SOFTLB_PROXY_PROXY_INT_H
#define SOFTLB_PROXY_PROXY_INT_H

#include <pthread.h>

#include "core/loop.h"
#include "core/module.h"
#include "proxy/proxy-t.h"
#include "proxy/proxy.h"

struct softlbd;
struct config;
struct strbuf;
struct px_session;

/* A listener socket a worker watches. Allocated one by one: the loop
 * keeps a pointer to it. */
struct px_watch {
	struct px_worker *w;
	struct px_listener *l;		/* referenced by the snapshot it came from */
	int fd;
	struct px_proxy *fe;		/* in the worker's current snapshot */
	bool paused;			/* maxconn reached: not accepting */
	bool keep;			/* scratch while switching snapshots */
};

struct px_worker {
	size_t idx;
	size_t n_workers;
	pthread_t thread;
	bool started;
	struct loop *loop;
	int efd;			/* eventfd: a snapshot or stop is waiting */
	_Atomic(struct px_snapshot *) mailbox;
	atomic_bool stop;
	atomic_uint_fast64_t gen;	/* generation in use, for show proxy */
	/* Worker-private below. */
	struct px_snapshot *snap;
	struct px_watch **watches;
	size_t n_watches;
	struct px_session *sessions;	/* doubly linked */
	struct px_session *qhead, *qtail;	/* waiting for a server slot */
	size_t n_sessions;
	uint64_t rng;
	struct px_server **scratch;	/* px_lb_pick's candidates */
	size_t cap_scratch;
};

struct px_engine {
	struct softlbd *d;
	struct module_status st;
	size_t n_workers;
	struct px_worker *workers;
	struct px_snapshot *snap;	/* the newest, as posted */
	uint64_t gen;
	struct px_stats **stats;	/* registry: every counter block of snap,
					 * found by name when the next one is built */
	size_t n_stats;
	bool subscribed;
};

/* Snapshots (px_snap.c). */
struct px_snapshot *px_snapshot_build(struct px_engine *e, const struct config *cfg,
				      struct strbuf *err);
void px_snapshot_ref(struct px_snapshot *s);
void px_snapshot_unref(struct px_snapshot *s);
void px_stats_unref(struct px_stats *st);

/* Listeners (px_listen.c): the listener of ep, the running snapshot's own
 * when it has that address (so a reload reuses its sockets), else a new
 * one; NULL with the reason in err. */
struct px_listener *px_listener_get(struct px_engine *e, const struct cfg_endpoint *ep,
				    struct px_snapshot *old, struct strbuf *err);
void px_listener_unref(struct px_listener *l);

/* Workers (px_worker.c). */
int px_worker_start(struct px_engine *e, size_t idx, struct strbuf *err);
/* Hands s (one reference, the worker's) to w. */
void px_worker_post(struct px_worker *w, struct px_snapshot *s);
void px_worker_stop(struct px_worker *w);
/* A session ended: let paused listeners accept again. */
void px_worker_resume_listeners(struct px_worker *w);

/* Sessions (px_session.c). */
void px_session_accept(struct px_worker *w, struct px_proxy *fe, int cfd);
/* After a snapshot switch: cut the sessions of servers now MAINT. */
void px_session_cut_maint(struct px_worker *w);
void px_session_free_all(struct px_worker *w);

/* Balancing (px_lb.c): a server of be for a new connection, or NULL.
 * avoid (may be NULL) is skipped when another server can take it. */
struct px_server *px_lb_pick(struct px_worker *w, struct px_proxy *be,
			     const struct sockaddr_storage *client, const char *hash_key,
			     size_t hash_len, const struct px_server *avoid);
bool px_server_usable(const struct px_worker *w, const struct px_server *s);
/* Whether be has a server that would take a connection but for its
 * maxconn: then a session waits in the queue rather than failing. */
bool px_lb_all_full(const struct px_proxy *be);

/* mode http (px_http.c). */
enum px_http_status {
	PX_HTTP_MORE = 0,	/* the head is not complete yet */
	PX_HTTP_DONE = 1,	/* complete and valid */
	PX_HTTP_BAD = -1,	/* malformed, or longer than PX_HTTP_HEAD_MAX */
};

/* The request head at the start of buf[0..len): when complete and valid,
 * its length in *head_len. */
enum px_http_status px_http_head(const char *buf, size_t len, size_t *head_len);
/* Writes the head again to out, checked line by line: X-Forwarded-For
 * with the client's address appended when p->forwardfor, Connection:
 * close when p->server_close. The balancing key (uri, url_param, hdr)
 * goes to *key / *key_len (pointing into head; NULL when none). Returns
 * 0, or -1 when a line is malformed. */
int px_http_rewrite(const struct px_proxy *fe, const struct px_proxy *be, const char *head,
		    size_t head_len, const struct sockaddr_storage *client, struct strbuf *out,
		    const char **key, size_t *key_len);
/* The whole answer for an error status (400, 408, 502, 503, 504). */
const char *px_http_error(int status);

/* Counters (written by their worker only). */
static inline uint64_t px_ld(_Atomic uint64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

static inline void px_add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

static inline void px_sub(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) - n,
			      memory_order_relaxed);
}

/* One more session now on c: cur, max and total. */
static inline void px_ctr_open(struct px_ctr *c)
{
	uint64_t cur = px_ld(&c->cur) + 1;

	atomic_store_explicit(&c->cur, cur, memory_order_relaxed);
	if (cur > px_ld(&c->max))
		atomic_store_explicit(&c->max, cur, memory_order_relaxed);
	px_add(&c->total, 1);
}

/* Commands (px_cmds.c). */
int px_cmds_register(struct softlbd *d, struct strbuf *err);
struct px_engine *px_engine_of(struct softlbd *d);
const char *px_srv_state_name(enum px_srv_state s);

#endif
