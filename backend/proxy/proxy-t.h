/* proxy-t.h: types of the TCP/HTTP proxy engine (types only; see proxy.h).
 *
 * Threads and who owns what:
 *
 *   control plane (main loop)            worker thread 0..n-1 (own loop)
 *   -------------------------            -------------------------------
 *   builds a px_snapshot from the        takes the newest snapshot from its
 *   model + runtime overrides + check    mailbox, adds/removes its listener
 *   states; posts it to every worker's   fds, balances and relays sessions,
 *   mailbox (atomic exchange) and        writes its own counter slots
 *   wakes it (eventfd)
 *   reads every worker's counter slot
 *   and sums them (show proxy)
 *
 * A snapshot is immutable once posted and reference counted: the control
 * plane holds one reference, each worker one, each session one (so a
 * session keeps the server it was sent to after a reload removes it).
 * Counters live in px_stats blocks shared by successive snapshots (same
 * proxy or server name): one cache-line-aligned slot per worker, written
 * by that worker alone with relaxed atomics, read by the control plane.
 * Listeners are reference counted too, so a reload that keeps an address
 * keeps its sockets (no connection in the accept queue is lost).
 *
 * Server state in a snapshot:
 *
 *   UP     takes new sessions
 *   DRAIN  operator drain: no new sessions, existing ones finish
 *   DOWN   its health check failed (rise/fall): no new sessions,
 *          existing ones finish (HAProxy's default)
 *   MAINT  `disabled` in the configuration, or operator disable: no new
 *          sessions, and the worker cuts the existing ones
 */
#ifndef SOFTLB_PROXY_PROXY_T_H
#define SOFTLB_PROXY_PROXY_T_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "config/model-t.h"

#define PX_MAX_WORKERS 64
#define PX_BUF_SIZE 16384	/* per direction and session (tune.bufsize) */
#define PX_HTTP_HEAD_MAX (PX_BUF_SIZE - 1024)	/* a longer head is refused (431, or
						 * 502 from a server): HAProxy keeps
						 * tune.maxrewrite free for rewrites */
#define PX_BUF_CACHE 64		/* free buffers a worker keeps for reuse */
#define PX_POOL_MAX 100		/* idle server connections per server and worker */
#define PX_POOL_PURGE_MS 5000	/* an idle server connection is closed after this */

enum px_srv_state {
	PX_SRV_UP = 0,
	PX_SRV_DRAIN = 1,
	PX_SRV_DOWN = 2,
	PX_SRV_MAINT = 3,
};

/* One worker's counters of one proxy or server. Only that worker writes
 * (load + store, no read-modify-write needed); others only read. */
struct px_ctr {
	alignas(64) _Atomic uint64_t cur;	/* sessions now */
	_Atomic uint64_t changes;	/* bumped each time the worker takes the
					 * slot to write (px_session.c's ctr()):
					 * a reader that sees the same sum over the
					 * slots as before knows no counter moved
					 * (show table proxy, px_table.c) */
	_Atomic uint64_t max;		/* most at once */
	_Atomic uint64_t total;		/* sessions ever */
	_Atomic uint64_t bytes_in;	/* from clients */
	_Atomic uint64_t bytes_out;	/* to clients */
	_Atomic uint64_t econ;		/* failed connections to a server */
	_Atomic uint64_t eresp;		/* errors on an established server side */
	_Atomic uint64_t denied;	/* refused: maxconn, no server */
	_Atomic uint64_t retries;	/* connection retries */
	_Atomic uint64_t redispatches;	/* retries sent to another server */
	_Atomic uint64_t http_err[3];	/* 502, 503, 504 sent */
	_Atomic uint64_t hrsp[6];	/* mode http: responses by class, 1xx .. 5xx,
					 * other (frontend: every answer sent, its
					 * own errors too; backend, server: theirs) */
	_Atomic uint64_t requests;	/* mode http: requests (frontend: parsed;
					 * backend, server: sent) */
	_Atomic uint64_t reused;	/* requests sent on a kept server connection */
	_Atomic uint64_t qcur;		/* backend: sessions waiting for a server */
	_Atomic uint64_t qmax;
	/* The worker's private balancing state (never read by others). */
	int64_t rr_cw;			/* smooth weighted round robin */
	uint32_t rr_next;		/* leastconn tie rotation */
	uint32_t src_next;		/* next source address (px_source.c) */
	uint32_t port_next;		/* next source port of a range */
	uint32_t n_idle;		/* its connections in the worker's idle pool
					 * (px_pool.c: a count, not a walk, per put) */
	bool cut;			/* set while switching snapshots: MAINT */
};

/* The counters of one proxy or server: one slot per worker. */
struct px_stats {
	_Atomic int refs;
	char *key;			/* "web" or "web/s1" */
	size_t n_slots;
	struct px_ctr *slots;		/* n_slots, aligned */
};

/* A listening address: one SO_REUSEPORT socket per worker. */
struct px_listener {
	_Atomic int refs;
	char *key;			/* "192.0.2.1:80" */
	size_t n_fds;
	int *fds;			/* one per worker */
};

/* The addresses connections to a server leave from (source). */
struct px_source {
	int n;				/* 0: the kernel chooses */
	struct sockaddr_storage addr[CFG_SOURCE_MAX];
	socklen_t addr_len;
	int port_lo, port_hi;		/* 0: the kernel's ephemeral range */
	bool usesrc_clientip;		/* from the client's address (transparent) */
};

struct px_chash;
struct cfg_cookie;
struct px_errfiles;

/* capture request|response header NAME len N of a frontend (px_log.c). */
struct px_capture {
	char *name;
	size_t len;
};
struct px_captures {
	struct px_capture *req, *rsp;
	size_t n_req, n_rsp;
};
struct px_rules;
struct px_tls_ctx;

struct px_server {
	char *name;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	bool client_port;		/* no port: the one the client reached */
	int weight;			/* effective: configured or operator */
	int maxconn;			/* per worker share; 0: none */
	bool backup;
	enum px_srv_state state;
	bool checked;			/* has a health check */
	int send_proxy;			/* PROXY header version first: 0, 1, 2 */
	struct px_source src;		/* the server's, else the backend's */
	int sid;			/* 1, 2, ... in the proxy (show stat) */
	int iweight;			/* configured weight (get weight "initial") */
	struct px_stats *st;
	int pool_max;			/* idle connections kept per worker
					 * (pool-max-conn; -1: no bound) */
	int64_t pool_purge_ms;		/* pool-purge-delay */
	char *cookie;			/* cookie VALUE (persistence), or NULL */
	struct px_tls_ctx *tls;		/* ssl: TLS to it (px_tls.h), NULL: plain */
	const char *tls_sni;		/* sni str(NAME): in tls, NULL none */
	bool tls_sni_client;		/* sni ssl_fc_sni: the client's */
};

/* The stats page of a proxy (stats enable / uri / ...; px_page.c). */
struct px_page {
	char *uri;			/* prefix of the paths served; "/haproxy?stats" */
	int refresh_s;			/* 0: no refresh */
	char *realm;			/* Basic auth realm */
	char **auth;			/* "user:password", n_auth of them; none: open */
	size_t n_auth;
	bool hide_version;
	bool legends;			/* stats show-legends: addr and algo shown */
};

/* option forwardfor [except NET] [header NAME] [if-none] */
struct px_xff {
	bool on;
	bool if_none;		/* only when the request has none */
	bool has_except;	/* not for clients in af/net/bits */
	int af;
	unsigned char net[16];
	unsigned bits;
	char name[64];		/* "X-Forwarded-For" */
};

/* http-reuse: when an idle server connection serves another request. */
enum px_reuse {
	PX_REUSE_SAFE = 0,	/* not a session's first request (HAProxy's default) */
	PX_REUSE_NEVER = 1,	/* never: one server connection per client session */
	PX_REUSE_ALWAYS = 2,	/* any request */
};

struct px_proxy {
	char *name;
	enum cfg_proxy_kind kind;
	enum cfg_proxy_mode mode;
	enum cfg_balance balance;
	char *balance_arg;		/* hdr(NAME), url_param NAME; or NULL */
	int64_t t_connect, t_client, t_server, t_queue, t_http_request; /* ms, -1: none */
	int64_t t_keepalive, t_tunnel;	/* ms, -1: none */
	int retries;
	bool redispatch;
	bool allbackups;
	struct px_xff xff;
	bool server_close;		/* http-server-close: one request per
					 * server connection */
	bool httpclose;			/* httpclose: one request per client
					 * connection too */
	enum px_reuse reuse;
	int maxconn;			/* frontend, per worker share; 0: none */
	bool splice_req, splice_rsp;	/* mode tcp: splice() each way ... */
	bool splice_auto;		/* ... or once a transfer fills a buffer */
	bool avalanche;			/* hash-type ... avalanche */
	struct px_chash *chash;		/* hash-type consistent: the ring; NULL:
					 * map-based */
	struct px_proxy *backend;	/* where its sessions go (listen: itself),
					 * NULL: nowhere (refused) */
	struct px_server *srv;
	size_t n_srv;
	struct px_stats *st;
	int iid;			/* 2, 3, ... in configuration order (show stat) */
	struct px_page *page;		/* its stats page, or NULL */
	struct px_logcfg *log;		/* its logging (px_log.h), NULL: none */
	int64_t t_client_fin, t_server_fin;	/* ms, -1: none */
	struct cfg_cookie *ck;		/* cookie persistence (px_cookie.h), or NULL */
	bool persist;			/* option persist */
	struct px_errfiles *errfiles;	/* errorfile answers (px_errfile.c), or NULL */
	struct px_captures *caps;	/* capture request|response header, or NULL */
	struct px_rules *rules;		/* its L7 rules (px_acl.h), NULL: none */
};

struct px_bind {
	struct px_listener *l;
	struct px_proxy *fe;
	bool accept_proxy;		/* a PROXY header comes first */
	struct px_tls_ctx *tls;		/* ssl: its contexts (px_tls.h), NULL: plain */
};

struct px_snapshot {
	_Atomic int refs;
	uint64_t gen;
	int global_maxconn;		/* per worker share; 0: none */
	int maxpipes;			/* per worker share of maxpipes */
	int maxconn;			/* global maxconn in force (set or derived); 0: none */
	time_t started;			/* softlbd's start, wall clock */
	int pid;
	int iid0;			/* the first proxy's iid: 2 with a stats
					 * socket (HAProxy's GLOBAL proxy is 1), else 1 */
	char node[64];			/* the host name (show info's node) */
	struct px_proxy *proxies;
	size_t n_proxies;
	struct px_bind *binds;
	size_t n_binds;
};

#endif
