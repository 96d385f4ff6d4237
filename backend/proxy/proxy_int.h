/* proxy_int.h: what the files of the proxy engine share (not for other
 * engines; they use proxy.h).
 *
 *   proxy.c        the module: workers, snapshots posted on every change
 *   px_snap.c      builds a snapshot from the model, overrides and checks
 *   px_listen.c    listening sockets (IP_FREEBIND, SO_REUSEPORT)
 *   px_worker.c    a worker thread: its loop, mailbox, listeners, accept
 *   px_session.c   one client session: connect, retries, relay, timeouts
 *   px_h1.c        mode http: the HTTP/1.1 parser (px_h1.h)
 *   px_http.c      mode http: heads as sent on, X-Forwarded-For, errors
 *   px_cookie.c    mode http: cookie persistence (px_cookie.h)
 *   px_errfile.c   mode http: errorfile answers (px_errfile.h)
 *   px_pool.c      idle server connections kept for other requests
 *   px_lb.c        balancing algorithms
 *   px_chash.c     hash-type consistent: the hash ring
 *   px_proxyproto.c  the PROXY protocol header (px_proxyproto.h)
 *   px_source.c    connecting from the source addresses
 *   px_splice.c    mode tcp: splice() through pipes
 *   px_log.c       syslog lines: httplog, tcplog, log-format, alerts
 *   px_tls*.c      TLS: contexts built with the snapshot, handshakes and
 *                  I/O in the workers (px_tls.h)
 *   px_cmds.c      show proxy
 *   px_stat.c      HAProxy's CSV statistics (show stat, the page's ;csv)
 *   px_page.c      the stats page, answered by a worker
 *   px_cli*.c      the runtime socket (stats socket), in the control plane
 *   px_svc.c       requests from sessions to the control plane (px_svc.h)
 *   px_page_admin.c  the stats page's admin actions, in the control plane
 */
#ifndef SOFTLB_PROXY_PROXY_INT_H
#define SOFTLB_PROXY_PROXY_INT_H

#include <pthread.h>

#include "core/loop.h"
#include "core/module.h"
#include "ctl/table_out.h"
#include "proxy/proxy-t.h"
#include "proxy/proxy.h"
#include "proxy/px_h1.h"
#include "proxy/px_acl_pat.h"
#include "proxy/px_log.h"

struct softlbd;
struct config;
struct strbuf;
struct px_session;
struct px_idle;
struct px_cli;
struct px_svc_hub;
struct px_svc_box;

/* A listener socket a worker watches. Allocated one by one: the loop
 * keeps a pointer to it. */
struct px_watch {
	struct px_worker *w;
	struct px_listener *l;		/* referenced by the snapshot it came from */
	int fd;
	struct px_proxy *fe;		/* in the worker's current snapshot */
	bool paused;			/* maxconn reached: not accepting */
	bool accept_proxy;		/* of the bind in the current snapshot */
	struct px_tls_ctx *tls;		/* of the bind in the current snapshot */
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
	struct px_idle *idle;		/* idle server connections (px_pool.c) */
	size_t n_idle;
	struct px_idle *idle_spare;	/* their freed records, for reuse (no
					 * allocation per request) */
	size_t n_idle_spare;
	struct loop_timer purge;	/* closes those idle too long */
	char *bufs[PX_BUF_CACHE];	/* free PX_BUF_SIZE buffers (px_session.c) */
	size_t n_bufs;
	struct px_h1_msg msg;		/* the head being parsed (scratch) */
	struct px_pipe *pipes;		/* free pipes kept for reuse (px_splice.c) */
	size_t n_free_pipes;
	size_t n_pipes;			/* pipes open, in use or free */
	struct px_logger log;		/* its syslog sockets (px_log.c) */
	/* Requests to the control plane (px_svc.h): the engine's queue it
	 * posts to, and its own answers and waiting sessions. */
	struct px_svc_hub *hub;
	struct px_svc_box *svc;
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
	struct px_cli *cli;		/* the runtime socket (px_cli.h), or NULL */
	struct px_pat_reg pats;		/* the ACL pattern sets of snap (px_acl_pat.h) */
	struct px_logger log;		/* the control plane's: server alerts */
	struct tbl_cache table;		/* show table proxy's last reply (px_table.c) */
	struct px_table_memo *memo;	/* and what it saw of each row (px_table.c) */
	struct px_svc_hub *svc;		/* requests from sessions (px_svc.h) */
	bool dry;			/* softlbd -t (px_verify.c): snapshots open
					 * no listener */
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

/* Sessions (px_session.c). peer[0..peer_len): the client's address as
 * accept4() gave it; accept_proxy: a PROXY header comes first; tls
 * (NULL: plain): the bind's TLS contexts, a handshake comes first. */
void px_session_accept(struct px_worker *w, struct px_proxy *fe, int cfd,
		       const struct sockaddr_storage *peer, socklen_t peer_len, bool accept_proxy,
		       struct px_tls_ctx *tls);
/* After a snapshot switch: cut the sessions of servers now MAINT. */
void px_session_cut_maint(struct px_worker *w);
void px_session_free_all(struct px_worker *w);

/* Balancing (px_lb.c): a server of be for a new connection, or NULL.
 * avoid (may be NULL) is skipped when another server can take it. */
struct px_server *px_lb_pick(struct px_worker *w, struct px_proxy *be,
			     const struct sockaddr_storage *client, const char *hash_key,
			     size_t hash_len, const struct px_server *avoid);
bool px_server_usable(const struct px_worker *w, const struct px_server *s);
/* The hash the hashing algorithms use (FNV-1a, then a final mix). */
uint64_t px_hash_bytes(const void *p, size_t len);

/* hash-type consistent (px_chash.c): a ring of weight-proportional
 * points per server of p (weight > 0), built with the snapshot. */
struct px_chash *px_chash_build(const struct px_proxy *p);
void px_chash_free(struct px_chash *c);
/* The first server of the ring at or after h that is among cand[0..n),
 * or NULL. */
struct px_server *px_chash_pick(const struct px_chash *c, struct px_proxy *be, uint64_t h,
				struct px_server *const *cand, size_t n);

/* Source addresses (px_source.c): a non-blocking socket to `to`, bound
 * to one of srv's source addresses (spread in turn; the next one when an
 * address has no port left), or with usesrc clientip to the client's
 * address cli, connect() started. Returns the fd, or -1 with errno. */
int px_source_connect(struct px_worker *w, const struct px_server *srv,
		      const struct sockaddr_storage *to, socklen_t to_len,
		      const struct sockaddr_storage *cli);

/* Pipes for splice (px_splice.c). */
struct px_pipe {
	int rfd, wfd;			/* -1: none */
	size_t len;			/* bytes in it */
};
/* A pipe for p, within the worker's share of maxpipes; false: none. */
bool px_pipe_get(struct px_worker *w, struct px_pipe *p);
/* Gives p back (kept when empty and the cache has room, else closed). */
void px_pipe_put(struct px_worker *w, struct px_pipe *p);
void px_pipe_free_all(struct px_worker *w);
/* Moves bytes src -> pipe -> dst. Returns 0, or -1 on an error (errno);
 * *in and *out: bytes read and written, *eof: src ended its stream. */
int px_splice_move(struct px_pipe *p, int src, int dst, bool may_read, size_t *in,
		   size_t *out, bool *eof);
/* Whether be has a server that would take a connection but for its
 * maxconn: then a session waits in the queue rather than failing. */
bool px_lb_all_full(const struct px_proxy *be);

/* mode http (px_http.c), over the heads px_h1.c parsed. */
/* The balancing key of request m for be (uri, url_param, hdr): pointers
 * into buf, or NULL. */
void px_http_key(const struct px_proxy *be, const char *buf, const struct px_h1_msg *m,
		 const char **key, size_t *key_len);
/* The forwardfor header name in force for fe and be, or NULL. */
const char *px_http_xff_name(const struct px_proxy *fe, const struct px_proxy *be);
/* Appends to out the request head to send to the server: the fields
 * received minus the hop-by-hop ones, one Content-Length, the
 * X-Forwarded-For of cli, and Connection: close when srv_close. */
void px_http_req_out(const struct px_proxy *fe, const struct px_proxy *be, const char *buf,
		     const struct px_h1_msg *m, const struct sockaddr_storage *cli, bool srv_close,
		     struct strbuf *out);
/* Appends to out the response head to send to the client (HTTP/1.cli_minor),
 * with Connection: close when cli_close. */
void px_http_rsp_out(const char *buf, const struct px_h1_msg *m, bool cli_close, int cli_minor,
		     struct strbuf *out);
/* The same, with be's cookie persistence applied for srv (px_cookie.h). */
struct px_ck_txn;
void px_http_rsp_out_ck(const char *buf, const struct px_h1_msg *m, bool cli_close,
			int cli_minor, const struct px_proxy *be, const struct px_server *srv,
			struct px_ck_txn *ck, struct strbuf *out);
/* The whole answer for an error status (400, 405, 408, 413, 414, 431,
 * 501, 502, 503, 504). */
const char *px_http_error(int status);

/* Idle server connections (px_pool.c), per worker and server (found by
 * the server's counter block, its identity across snapshots). */
void px_pool_init(struct px_worker *w);
/* An idle connection to srv, or -1. The caller owns the fd, still watched
 * by the worker's loop: it gives the watch a new owner (loop_rearm_fd),
 * one system call instead of a delete and an add. */
int px_pool_take(struct px_worker *w, const struct px_server *srv);
/* Keeps fd (watched; the pool takes the watch over) for another request
 * to srv; false when the pool of srv is full: the caller closes it. */
bool px_pool_put(struct px_worker *w, const struct px_server *srv, int fd);
/* Closes the idle connections of servers now MAINT (or all: NULL snap). */
void px_pool_cut(struct px_worker *w, const struct px_snapshot *snap);

/* Counters (written by their worker only). */
static inline uint64_t px_ld(_Atomic uint64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

/* Counters of a block, summed over its worker slots (px_stat.c): what
 * show proxy, show stat and the stats page all print. */
struct px_sums {
	uint64_t cur, max, total, bin, bout, econ, eresp, denied, retries, redisp, http[3];
	uint64_t qcur, qmax, req, reused;
	uint64_t hrsp[6];	/* 1xx, 2xx, 3xx, 4xx, 5xx, other */
};
void px_stats_sum(const struct px_stats *st, struct px_sums *o);

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

/* The class of an HTTP status for the hrsp counters: 0 for 1xx .. 4 for
 * 5xx, 5 for anything else. */
static inline int px_hrsp_class(int status)
{
	return status >= 100 && status < 600 ? status / 100 - 1 : 5;
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

/* show table proxy (px_table.c); px_table_memo_free() when the engine goes. */
struct px_table_memo;
void px_table_memo_free(struct px_table_memo *m);

/* Commands (px_cmds.c). */
int px_cmds_register(struct softlbd *d, struct strbuf *err);
int px_table_register(struct softlbd *d, struct strbuf *err);
struct px_engine *px_engine_of(struct softlbd *d);
const char *px_srv_state_name(enum px_srv_state s);

#endif
