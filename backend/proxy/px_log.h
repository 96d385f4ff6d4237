/* px_log: the proxy's traffic logs (HAProxy's `log`, `option httplog`,
 * `option tcplog`, `log-format`), sent as syslog datagrams.
 *
 * Each worker (and the control plane, for server state alerts) owns a
 * px_logger: at most one non-blocking datagram socket per address family
 * (UDP IPv4, UDP IPv6, unix), made on first use and never connected, so
 * one socket serves every target. A send never waits: a full socket
 * drops the line and counts it (px_logger.dropped).
 *
 * A snapshot's proxy points at its px_logcfg (NULL: it logs nothing):
 * the targets with `log global` resolved, the tag, and the line format
 * compiled once. A session fills a px_logrec at the end of each request
 * (mode http) or of the connection (mode tcp); px_log_emit renders it
 * and sends it to every target whose level lets it through.
 */
#ifndef SOFTLB_PROXY_PX_LOG_H
#define SOFTLB_PROXY_PX_LOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "config/hap_log.h"

struct config;
struct cfg_proxy;
struct px_proxy;
struct px_snapshot;
struct px_stats;
struct strbuf;

#define PX_LOG_INFO 6
#define PX_LOG_ERR 3
#define PX_LOG_NOTICE 5
#define PX_LOG_ALERT 1
#define PX_LOG_EMERG 0

enum px_log_kind {
	PX_LOG_CONNECT = 0,	/* no format option: "Connect from ..." at accept */
	PX_LOG_FORMAT = 1,	/* httplog, tcplog or log-format: a line per request */
};

struct px_logcfg {
	struct cfg_log_target *t;
	size_t n;
	char tag[101];
	enum px_log_kind kind;
	struct cfg_logfmt fmt;
	bool dontlognull;
	bool sep_errors;	/* option log-separate-errors */
};

struct px_logger {
	int fd[3];			/* AF_INET, AF_INET6, AF_UNIX; -1: not yet */
	int pid;
	_Atomic uint64_t sent;		/* written by the owner, read by show proxy */
	_Atomic uint64_t dropped;
};

/* What a session knows of one request (or tcp connection) for its log
 * line. Times are monotonic milliseconds; 0 means "not reached". */
struct px_logtx {
	uint64_t t0;		/* accept, or the end of the previous request */
	uint64_t t_first;	/* first byte of this request */
	uint64_t t_head;	/* its head complete */
	uint64_t t_qstart;	/* entered the queue */
	uint64_t tw;		/* time spent in the queue */
	uint64_t t_cstart;	/* first connection attempt */
	uint64_t t_conn;	/* connected (or took a pooled connection) */
	uint64_t t_rsp;		/* final response head */
	uint64_t th;		/* the TLS handshake took (ms; %Th), first request only */
	struct timespec wall_accept, wall_req;
	uint64_t bytes_in, bytes_out;
	int status;		/* -1: none */
	unsigned retries;
	bool redispatched;
	bool active;		/* a request (or the tcp connection) to log */
	bool conn_timeout;	/* the last connect failure was a timeout */
	bool bad_rsp;		/* the server's answer was refused (PH) */
	char ender;		/* who ended the data phase: 'C', 'S', 'c', 's', 'K' or 0 */
	char ck[2];		/* cookie flags of %tsc; 0: no cookie (--) */
	char *rline;		/* the request line (owned), or NULL */
	char **cap_req, **cap_rsp;	/* captured values (owned), or NULL */
	size_t n_cap_req, n_cap_rsp;
};

/* Everything one line can show. */
struct px_logrec {
	const struct px_logtx *tx;
	const struct px_proxy *fe, *be;
	const char *srv_name;		/* NULL: <NOSRV> */
	const struct sockaddr_storage *cli, *fe_addr, *srv_addr;
	bool http;
	bool ssl;			/* the client side is TLS (%ft's '~') */
	uint64_t now;
	char term[2];
	unsigned ac, fc, bc, sc, bq;
};

/* The captures of cp (capture request|response header), NULL: none. */
struct px_captures *px_log_caps_build(const struct cfg_proxy *cp);
void px_log_caps_free(struct px_captures *c);
/* Captures the fields of a head (buf, m) into vals (n of them, owned,
 * NULL: absent): the last field of each name, cut at its length. */
struct px_capture;
struct px_h1_msg;
void px_log_capture(const struct px_capture *caps, size_t n, const char *buf,
		    const struct px_h1_msg *m, char ***vals, size_t *nvals);
/* Frees what a request's line held (the request line, captures). */
struct px_logtx;
void px_logtx_clear(struct px_logtx *x);

/* Builds the logging of proxy cp (NULL when it has no target). */
struct px_logcfg *px_log_build(const struct config *cfg, const struct cfg_proxy *cp);
void px_log_free(struct px_logcfg *lc);

void px_logger_init(struct px_logger *lg);
void px_logger_close(struct px_logger *lg);

/* Renders r with lc's format into out (no syslog header). */
void px_log_render(const struct px_logcfg *lc, const struct px_logrec *r, struct strbuf *out);
/* Sends msg at severity level to lc's targets. */
void px_log_send(struct px_logger *lg, const struct px_logcfg *lc, int level, const char *msg,
		 size_t len);
/* Renders and sends r: at info, or err for an error with
 * log-separate-errors. Honors dontlognull. */
void px_log_emit(struct px_logger *lg, const struct px_logcfg *lc, const struct px_logrec *r);

/* Counts of r's proxies and server now, summed over the workers. */
void px_log_counts(const struct px_snapshot *snap, struct px_logrec *r,
		   const struct px_proxy *be, const struct px_stats *srv_stats);

#endif
