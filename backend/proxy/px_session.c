/* One client session on a worker.
 *
 *   accept --(mode http)--> HEAD: wait for a request head (bounded, timeout
 *     |                       |   http-request; between requests timeout
 *     |                       |   http-keep-alive, then a silent close)
 *     |                       v   parsed strictly (px_h1.c); an error is
 *     |                       |   answered (400, 405, 414, 431, 501) and
 *     |                       |   the connection closed (CLOSING)
 *     v                       v
 *   CONNECT: pick a server for this request (every algorithm, per
 *     |  request), take an idle connection to it from the worker's pool
 *     |  (http-reuse) or connect within timeout connect
 *     |  failure, retries left: TURNAROUND (min(timeout connect, 1 s)),
 *     |  then CONNECT again, to another server on the last retry with
 *     |  option redispatch (HAProxy's rule)
 *     v
 *   RELAY: both directions through bounded buffers (px_dir). In mode tcp
 *     both are a tunnel: an end of stream is passed on as shutdown once
 *     drained (half-close). In mode http each direction carries one
 *     message at a time: the head rewritten (px_http.c), the body framed
 *     by Content-Length or chunked (checked as it passes), or until the
 *     server closes; 1xx answers pass, 101 after an Upgrade turns both
 *     ways into a tunnel. When request and response are both complete
 *     the transaction ends: the server connection goes to the pool (or
 *     is closed: http-server-close, the server's Connection: close), the
 *     client connection back to HEAD (keep-alive) or to CLOSING.
 *     Pipelined requests wait in the client buffer, unread beyond it,
 *     and are taken one by one: answers come back in order.
 *   CLOSING: our side shut (after a last answer); what the client still
 *     sends is read and dropped for a moment, so the kernel does not
 *     reset the connection over the answer.
 *
 * 502, 503 and 504 answer a server that fails before its response,
 * no server, and a server timeout; nothing is ever parsed after an error.
 *
 * On an accept-proxy bind a session starts in PROXYHDR: the PROXY header
 * (px_proxyproto.c) is read first, within timeout client (5 s without
 * one); its source becomes the client's address (balancing, forwardfor,
 * logs) and what follows it is the first request or stream bytes. A bad
 * header or the timeout closes the connection without a word.
 * A send-proxy server gets the header before the first byte of each new
 * connection; such connections serve one client only (no pool).
 * mode tcp with option splice-*: each direction moves through a pipe
 * with splice() (px_splice.c) once its buffer is empty.
 */
#include "config.h"

#include "proxy/proxy_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "proxy/px_cookie.h"
#include "proxy/px_errfile.h"
#include "proxy/px_proxyproto.h"
#include "proxy/px_page.h"
#include "proxy/px_rules.h"
#include "proxy/px_sni.h"
#include "proxy/px_svc.h"
#include "proxy/px_tls.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum px_sess_state {
	PX_S_HEAD = 0,
	PX_S_CONNECT = 1,
	PX_S_TURNAROUND = 2,
	PX_S_RELAY = 3,
	PX_S_QUEUE = 4,		/* every server at its maxconn: waits for a
				 * slot, at most timeout queue */
	PX_S_CLOSING = 5,
	PX_S_PROXYHDR = 6,	/* accept-proxy: reading the PROXY header */
	PX_S_PAGE = 7,		/* writing the stats page (rs.hd), then CLOSING */
	PX_S_INSPECT = 8,	/* mode tcp: tcp-request content waits for data
				 * (inspect-delay), e.g. a ClientHello's SNI */
	PX_S_TARPIT = 9,	/* http-request tarpit: held, then answered */
	PX_S_TLSHS = 10,	/* ssl bind: the TLS handshake, within timeout
				 * client (5 s without one) */
	PX_S_SVC = 11,		/* waiting for the control plane's answer
				 * (px_svc.h), within timeout client */
	PX_S_SVCOUT = 12,	/* writing that answer (rs.hd); then the next
				 * request (keep-alive) or CLOSING */
	PX_S_BODY = 13,		/* a stats admin POST: reading its body */
};

#define PX_PROXYHDR_TIMEOUT_MS 5000	/* without timeout client */

/* Where a direction's current message is. */
enum px_msg {
	PX_MSG_HEAD = 0,	/* waiting for a head */
	PX_MSG_CL = 1,		/* body: left bytes to go */
	PX_MSG_CHUNKED = 2,	/* body: chunked, checked by ck */
	PX_MSG_CLOSE = 3,	/* body: until the server closes */
	PX_MSG_DONE = 4,	/* complete: nothing more read for now */
	PX_MSG_TUNNEL = 5,	/* mode tcp, or after 101: bytes as they come */
};

/* One direction: bytes read from one side, written to the other. A
 * rewritten head (hd) goes first, then the bytes of buf cleared by the
 * framing (fwd); bytes beyond (a pipelined request) wait. buf is
 * allocated on demand and freed when empty between requests. Small
 * fields last, so the struct has no holes (every idle keep-alive client
 * holds two). */
struct px_dir {
	char *buf;
	size_t len, off, fwd;
	struct strbuf hd;
	size_t hd_off;
	uint64_t left;
	struct px_h1_chunk ck;
	struct px_pipe pp;	/* splicing: its pipe (rfd -1: none) */
	enum px_msg ms;
	bool eof;		/* the source ended its stream */
	bool shut;		/* passed on: shutdown(dst, SHUT_WR) */
	bool spliced;		/* moving through pp from now on */
	bool bulk;		/* a read filled the buffer (splice-auto) */
};

/* An address as a session keeps it: an IPv4 or IPv6 socket address in
 * 28 bytes, where a sockaddr_storage takes 128 (two per session, held by
 * every idle keep-alive client). ss_of() lends one out as the
 * sockaddr_storage the other modules take. */
union px_sa {
	struct sockaddr sa;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
};

/* One session. Ordered by size (pointers, then 64-bit counters, then
 * ints, then flags) so that no padding is wasted: its size is most of
 * what an idle keep-alive client costs. */
struct px_session {
	struct px_session *prev, *next;
	struct px_session *qprev, *qnext;	/* in the worker's queue */
	struct px_worker *w;
	struct px_snapshot *snap;	/* a reference: fe, be, srv live in it */
	struct px_proxy *fe, *be;
	struct px_server *srv;		/* the one connecting or connected */
	struct px_server *failed;	/* the one whose connect last failed */
	struct px_server *forced;	/* use-server's choice for this request */
	struct loop_timer tm;
	uint64_t last_c, last_s;	/* RELAY: last activity on each side */
	struct px_dir rq, rs;		/* client to server, server to client */
	char *key;			/* http balancing key, or NULL */
	size_t key_len;
	uint64_t pending_in;		/* client bytes read while no server was
					 * connected: credited to the backend and
					 * server once one is */
	struct px_stats *priv;		/* http-reuse never: the server of the
					 * connection kept in sfd between requests */
	struct px_logtx lx;		/* what its log line will say (px_log.h) */
	struct px_ck_txn ck;		/* cookie persistence of this request */
	struct px_tls *ctls, *stls;	/* TLS on cfd / sfd (px_tls.h), NULL: plain */
	char *fc_sni;		/* SNI the client sent, NULL if none (set by the
				 * TLS layer; allocated only then) */
	union px_sa cli, dst;
	int tarpit_status;		/* PX_S_TARPIT: the answer at the end */
	int cfd, sfd;
	uint32_t cev, sev;		/* events watched */
	enum px_sess_state st;
	int retries_left;
	/* mode http: the transaction in progress */
	unsigned n_req;			/* requests on this client connection */
	enum px_h1_method req_method;
	int req_minor;
	bool queued;
	bool srv_counted;		/* srv's cur includes us */
	bool be_counted;
	bool replied;			/* the server's answer started reaching
					 * the client: no error answer now */
	bool req_upgrade;
	bool cli_close;			/* close the client after this answer */
	bool srv_close;			/* do not keep the server connection */
	bool reused;			/* the server connection came from the pool */
	bool replay;			/* rq.hd is the whole of a bodyless
					 * idempotent request sent on a reused
					 * connection: until its answer starts, it
					 * is sent again (from rq.hd, kept until the
					 * transaction ends: no copy) on a new
					 * connection if the server closed the idle
					 * one */
	bool no_pool;			/* that retry: a new connection */
	bool fc_ssl;		/* the client side is TLS (set by the TLS layer) */
	/* A request a service answers (px_svc.h) */
	const char *applet;	/* the log's server: "<PROMEX>", "<STATS>"; NULL: none */
	uint32_t svc_slot;	/* PX_S_SVC: the slot it waits in */
	uint64_t post_cl;	/* PX_S_BODY: the body's length */
	char *post_user;	/* PX_S_BODY: the stats auth user, NULL if none
				 * (allocated: a session keeps no room for it) */
};

/* a as the sockaddr_storage other modules read (by family: only the
 * bytes of a's family are copied), in tmp. */
static const struct sockaddr_storage *ss_of(const union px_sa *a, struct sockaddr_storage *tmp)
{
	memcpy(tmp, a, sizeof(*a));
	return tmp;
}

/* Keeps ss (an IPv4 or IPv6 address) in a. */
static void sa_keep(union px_sa *a, const struct sockaddr_storage *ss)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET6)
		memcpy(a, ss, sizeof(a->in6));
	else if (ss->ss_family == AF_INET)
		memcpy(a, ss, sizeof(a->in4));
	else
		a->sa.sa_family = ss->ss_family;
}

static void session_free(struct px_session *s);
static void pump(struct px_session *s, bool read_c, bool read_s);
static void connect_failed(struct px_session *s);
static void start_connect(struct px_session *s);
static void head_ready(struct px_session *s);
static void rs_reset(struct px_session *s);
static void start_session(struct px_session *s);
static void page_start(struct px_session *s, const struct px_h1_msg *m);
static void page_write(struct px_session *s);
static void service_start(struct px_session *s, const struct px_h1_msg *m);
static void svc_write(struct px_session *s);
static void read_body(struct px_session *s);
static void tcp_decide(struct px_session *s);
static void answer_local(struct px_session *s, enum px_verdict v, int status,
			 const struct strbuf *ans);
static void read_head(struct px_session *s);
static void client_tls_step(struct px_session *s);
static bool srv_tls_step(struct px_session *s);

/* Every write to a counter goes through here: the slot's change stamp
 * moves first (the counter follows within the same event), so a reader
 * that saw the stamp stay the same over a whole interval knows that the
 * slot's counters did too (px_table.c). */
static struct px_ctr *ctr(struct px_worker *w, struct px_stats *st)
{
	struct px_ctr *c = &st->slots[w->idx];

	px_add(&c->changes, 1);
	return c;
}

static bool http(const struct px_session *s)
{
	return s->fe->mode == CFG_MODE_HTTP;
}

/* The TLS layer of fd, one of the session's sockets (NULL: plain). */
static struct px_tls *tls_of(const struct px_session *s, int fd)
{
	return fd < 0 ? NULL : fd == s->cfd ? s->ctls : fd == s->sfd ? s->stls : NULL;
}

static void set_events(struct px_session *s, int fd, uint32_t *cur, uint32_t want)
{
	want = px_io_events(tls_of(s, fd), want);
	if (fd < 0 || *cur == want)
		return;
	if (loop_mod_fd(s->w->loop, fd, want) == 0)
		*cur = want;
}

static void arm(struct px_session *s, int64_t ms)
{
	struct loop *l = s->w->loop;

	if (ms < 0) {
		loop_timer_stop(l, &s->tm);
		return;
	}
	loop_timer_start(l, &s->tm, (uint64_t)ms);
}

/* Buffers come from and go back to the worker's small cache, so a busy
 * keep-alive connection costs no allocation per request while an idle
 * one holds no buffer. */
static char *buf_get(struct px_worker *w)
{
	if (w->n_bufs)
		return w->bufs[--w->n_bufs];
	return xmalloc(PX_BUF_SIZE);
}

static void dir_clear(struct px_worker *w, struct px_dir *d)
{
	if (d->buf && w->n_bufs < PX_BUF_CACHE)
		w->bufs[w->n_bufs++] = d->buf;
	else
		free(d->buf);
	d->buf = NULL;
	d->len = d->off = d->fwd = 0;
	strbuf_free(&d->hd);
	d->hd_off = 0;
	px_pipe_put(w, &d->pp);
	d->spliced = false;
}

static bool dir_pending(const struct px_dir *d)
{
	return d->hd_off < d->hd.len || d->fwd > 0 || d->pp.len > 0;
}

/* ------------------------------------------------------------------ */
/* Log lines (px_log.c renders and sends them)                         */

/* HAProxy's termination state of s, ending now: who or what ended it
 * (first letter) and in which phase (second). answered: the status we
 * answered with ourselves, 0 for none. */
static void term_of(const struct px_session *s, int answered, char t[2])
{
	char phase = '-';

	switch (s->st) {
	case PX_S_HEAD:
	case PX_S_INSPECT:
	case PX_S_TARPIT:
	case PX_S_TLSHS:
	case PX_S_PROXYHDR: phase = 'R'; break;
	case PX_S_QUEUE: phase = 'Q'; break;
	case PX_S_CONNECT:
	case PX_S_TURNAROUND: phase = 'C'; break;
	case PX_S_RELAY:
		phase = http(s) && s->rs.ms == PX_MSG_HEAD && !s->lx.t_rsp ? 'H' : 'D';
		break;
	case PX_S_CLOSING:
	case PX_S_SVC:
	case PX_S_SVCOUT:
	case PX_S_BODY:
	case PX_S_PAGE: break;
	}
	t[1] = phase;
	switch (answered) {
	case 0:
		t[0] = s->lx.ender ? s->lx.ender
		       : s->st == PX_S_HEAD || s->st == PX_S_PROXYHDR || s->st == PX_S_QUEUE ||
				 s->st == PX_S_CONNECT || s->st == PX_S_TURNAROUND
			       ? 'C'
			       : '-';
		if (t[0] == '-')
			t[1] = '-';
		return;
	case 408: t[0] = 'c'; t[1] = 'R'; return;
	case 503:
		t[0] = s->st == PX_S_QUEUE ? 's' : s->lx.conn_timeout ? 's' : 'S';
		t[1] = s->st == PX_S_QUEUE ? 'Q' : 'C';
		return;
	case 502: t[0] = s->lx.bad_rsp ? 'P' : 'S'; return;
	case 504: t[0] = 's'; t[1] = 'H'; return;
	case 500:
		if (s->st == PX_S_TARPIT) {
			t[0] = 'P';
			t[1] = 'T';
			return;
		}
		t[0] = 'P';
		return;
	default: t[0] = 'P'; return;	/* 400, 405, 413, 414, 431, 501: refused */
	}
}

/* Logs the request (or tcp connection) in progress, once. */
static void log_req(struct px_session *s, int answered, bool normal)
{
	struct sockaddr_storage ta[2];	/* the session's addresses, lent out */
	const struct px_logcfg *lc = s->fe->log;
	struct px_logrec r;

	if (!s->lx.active)
		return;
	s->lx.active = false;
	if (!lc || lc->kind != PX_LOG_FORMAT)
		return;
	memset(&r, 0, sizeof(r));
	if (normal && s->applet) {
		/* answered here, in the request phase: HAProxy's LR */
		r.term[0] = 'L';
		r.term[1] = 'R';
	} else if (normal) {
		r.term[0] = r.term[1] = '-';
	}
	else
		term_of(s, answered, r.term);
	if (http(s) && s->be->ck) {
		/* HAProxy's cookie flags: N N when no cookie was looked at */
		s->lx.ck[0] = s->ck.cli ? s->ck.cli : 'N';
		s->lx.ck[1] = s->ck.srvf ? s->ck.srvf : 'N';
	}
	if (answered)
		s->lx.status = answered;
	else if (s->st == PX_S_HEAD && s->lx.status < 0 && http(s))
		s->lx.status = 400;	/* HAProxy's <BADREQ> lines say 400 */
	r.tx = &s->lx;
	r.fe = s->fe;
	r.be = s->be;
	r.srv_name = s->srv ? s->srv->name : s->applet;
	r.srv_addr = s->srv ? &s->srv->addr : NULL;
	r.cli = ss_of(&s->cli, &ta[0]);
	r.fe_addr = ss_of(&s->dst, &ta[1]);
	r.http = http(s);
	r.ssl = s->fc_ssl;
	r.now = loop_now_ms(s->w->loop);
	px_log_counts(s->snap, &r, s->be, s->srv ? s->srv->st : NULL);
	px_log_emit(&s->w->log, lc, &r);
}

/* No format option: HAProxy's one line per connection, at accept. */
static void log_connect(struct px_session *s)
{
	struct sockaddr_storage ta[2];
	struct px_logrec r;
	struct strbuf b = STRBUF_INIT;

	memset(&r, 0, sizeof(r));
	r.tx = &s->lx;
	r.fe = s->fe;
	r.cli = ss_of(&s->cli, &ta[0]);
	r.fe_addr = ss_of(&s->dst, &ta[1]);
	px_log_render(s->fe->log, &r, &b);
	strbuf_puts(&b, http(s) ? "HTTP)" : "TCP)");
	px_log_send(&s->w->log, s->fe->log, PX_LOG_INFO, b.data, b.len);
	strbuf_free(&b);
}

/* The next request of a keep-alive connection starts its own line. */
static void lx_next(struct px_session *s)
{
	uint64_t now = loop_now_ms(s->w->loop);
	struct timespec acc = s->lx.wall_accept;

	px_logtx_clear(&s->lx);
	memset(&s->lx, 0, sizeof(s->lx));
	s->lx.t0 = now;
	s->lx.wall_accept = acc;
	s->lx.status = -1;
}

/* Takes s out of the queue; harmless when it is not in it. */
static void queue_remove(struct px_session *s)
{
	struct px_worker *w = s->w;

	if (!s->queued)
		return;
	s->queued = false;
	if (s->qprev)
		s->qprev->qnext = s->qnext;
	else
		w->qhead = s->qnext;
	if (s->qnext)
		s->qnext->qprev = s->qprev;
	else
		w->qtail = s->qprev;
	s->qprev = s->qnext = NULL;
	px_sub(&ctr(w, s->be->st)->qcur, 1);
	if (s->lx.t_qstart) {
		s->lx.tw += loop_now_ms(w->loop) - s->lx.t_qstart;
		s->lx.t_qstart = 0;
	}
}

/* Waits for a server of s->be to have room (HAProxy's queue, in arrival
 * order), at most timeout queue (default: timeout connect). */
static void queue_add(struct px_session *s)
{
	struct px_worker *w = s->w;
	struct px_ctr *c = ctr(w, s->be->st);
	int64_t t = s->be->t_queue >= 0 ? s->be->t_queue : s->be->t_connect;

	s->st = PX_S_QUEUE;
	s->queued = true;
	s->lx.t_qstart = loop_now_ms(w->loop);
	s->qprev = w->qtail;
	s->qnext = NULL;
	if (w->qtail)
		w->qtail->qnext = s;
	else
		w->qhead = s;
	w->qtail = s;
	px_add(&c->qcur, 1);
	if (px_ld(&c->qcur) > px_ld(&c->qmax))
		atomic_store_explicit(&c->qmax, px_ld(&c->qcur), memory_order_relaxed);
	arm(s, t);
}

/* A server slot of the backend with counters st freed: the oldest
 * session waiting for that backend tries again. */
static void queue_kick(struct px_worker *w, struct px_stats *st)
{
	for (struct px_session *q = w->qhead; q; q = q->qnext)
		if (q->be->st == st) {
			queue_remove(q);
			loop_timer_stop(w->loop, &q->tm);
			start_connect(q);
			return;
		}
}

static void srv_release(struct px_session *s)
{
	if (s->srv && s->srv_counted) {
		px_sub(&ctr(s->w, s->srv->st)->cur, 1);
		s->srv_counted = false;
	}
}

static void close_server(struct px_session *s)
{
	s->priv = NULL;
	px_tls_free(s->stls);
	s->stls = NULL;
	if (s->sfd >= 0) {
		/* close() drops the watch (nothing else shares the fd): no
		 * EPOLL_CTL_DEL, one system call per connection fewer. */
		loop_close_fd(s->w->loop, s->sfd);
		s->sfd = -1;
		s->sev = 0;
	}
}

static void on_closing(struct px_session *s)
{
	char junk[4096];

	for (int i = 0; i < 16; i++) {
		ssize_t n = px_io_read(s->ctls, s->cfd, junk, sizeof(junk));

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0)
			break;
	}
	session_free(s);
}

/* Our last word is out: shut our side of the client connection and drop
 * what it still sends for a moment (a close with unread bytes would make
 * the kernel reset the connection, and the client could lose the
 * answer), then end. */
static void close_gracefully(struct px_session *s)
{
	struct px_stats *be_st = s->be->st;
	bool freed = s->srv && s->srv_counted;

	loop_timer_stop(s->w->loop, &s->tm);
	queue_remove(s);
	close_server(s);
	srv_release(s);
	if (freed)
		queue_kick(s->w, be_st);
	dir_clear(s->w, &s->rq);
	dir_clear(s->w, &s->rs);
	px_io_shutdown(s->ctls, s->cfd);
	s->st = PX_S_CLOSING;
	set_events(s, s->cfd, &s->cev, EPOLLIN);
	arm(s, 1000);
}

/* Answers an HTTP error (mode http only, while no answer of the server
 * reached the client) and ends the session: nothing more is parsed on
 * it. */
static void fail_session(struct px_session *s, int http_status)
{
	if (http(s) && http_status && !s->replied) {
		/* errorfile: the frontend's before the request was routed,
		 * the backend's then the frontend's after (HAProxy's order) */
		bool routed = s->st != PX_S_HEAD && s->st != PX_S_PROXYHDR;
		const char *msg = px_http_answer(s->fe, routed ? s->be : NULL, http_status);

		/* HAProxy counts the bytes of its own 5xx answers in %B. */
		if (http_status >= 500)
			s->lx.bytes_out += strlen(msg);
		log_req(s, http_status, false);
		struct iovec iov = { (void *)msg, strlen(msg) };
		ssize_t n = px_io_writev(s->ctls, s->cfd, &iov, 1);
		int i = http_status == 502 ? 0 : http_status == 503 ? 1 : http_status == 504 ? 2 : -1;

		(void)n;
		if (i >= 0)
			px_add(&ctr(s->w, s->fe->st)->http_err[i], 1);
		px_add(&ctr(s->w, s->fe->st)->hrsp[px_hrsp_class(http_status)], 1);
		close_gracefully(s);
		return;
	}
	session_free(s);
}

/* ------------------------------------------------------------------ */
/* Timers                                                              */

/* What each side is waited for in RELAY: the client while its request
 * body is coming or our answer to it is not written; the server while
 * its response is not complete or our request to it not written. So
 * a slow server meets timeout server (504) even when timeout client is
 * the same or shorter: the client is not the one being waited for. */
static bool wait_client(const struct px_session *s)
{
	if (!http(s) || s->rq.ms == PX_MSG_TUNNEL)
		return true;
	return s->rq.ms == PX_MSG_CL || s->rq.ms == PX_MSG_CHUNKED || dir_pending(&s->rs);
}

static bool wait_server(const struct px_session *s)
{
	if (!http(s) || s->rs.ms == PX_MSG_TUNNEL)
		return true;
	return s->rs.ms != PX_MSG_DONE || dir_pending(&s->rq);
}

static void relay_timer(struct px_session *s)
{
	struct loop *l = s->w->loop;
	uint64_t now = loop_now_ms(l), next = UINT64_MAX;
	bool tunnel = s->rq.ms == PX_MSG_TUNNEL && http(s);
	int64_t tc = tunnel && s->be->t_tunnel >= 0 ? s->be->t_tunnel : s->fe->t_client;
	int64_t ts = tunnel && s->be->t_tunnel >= 0 ? s->be->t_tunnel : s->be->t_server;

	/* A half-closed side waits at most timeout client-fin / server-fin:
	 * the client's once it ended its stream or we ended ours to it, the
	 * server's likewise. */
	if (s->fe->t_client_fin >= 0 && (s->rq.eof || s->rs.shut) &&
	    (tc < 0 || s->fe->t_client_fin < tc))
		tc = s->fe->t_client_fin;
	if (s->be->t_server_fin >= 0 && (s->rs.eof || s->rq.shut) &&
	    (ts < 0 || s->be->t_server_fin < ts))
		ts = s->be->t_server_fin;

	if (ts >= 0 && wait_server(s)) {
		uint64_t d = s->last_s + (uint64_t)ts;

		if (d <= now) {
			s->lx.ender = 's';
			if (!s->replied && http(s)) {
				px_add(&ctr(s->w, s->be->st)->eresp, 1);
				fail_session(s, 504);
			} else {
				session_free(s);
			}
			return;
		}
		next = d;
	}
	if (tc >= 0 && wait_client(s)) {
		uint64_t d = s->last_c + (uint64_t)tc;

		if (d <= now && !(s->rq.shut && s->rs.shut)) {
			s->lx.ender = 'c';
			session_free(s);
			return;
		}
		if (d < next)
			next = d;
	}
	if (next != UINT64_MAX)
		loop_timer_start(l, &s->tm, next > now ? next - now : 0);
	else
		loop_timer_stop(l, &s->tm);
}

static void on_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct px_session *s = arg;

	(void)l;
	(void)t;
	switch (s->st) {
	case PX_S_HEAD:
		/* Part of a request: 408. Nothing of one: a first request is
		 * answered 408 too, an idle keep-alive connection just closed. */
		if (s->rq.len > s->rq.off || s->n_req == 0)
			fail_session(s, 408);
		else
			session_free(s);
		return;
	case PX_S_CONNECT:
		/* L4 timeout: like a refused connect, retried. */
		s->lx.conn_timeout = true;
		connect_failed(s);
		return;
	case PX_S_TURNAROUND:
		start_connect(s);
		return;
	case PX_S_QUEUE:
		queue_remove(s);
		px_add(&ctr(s->w, s->be->st)->denied, 1);
		fail_session(s, 503);
		return;
	case PX_S_TLSHS:
		s->lx.active = false;	/* no request: no log line */
		/* fall through */
	case PX_S_CLOSING:
	case PX_S_PROXYHDR:
	case PX_S_PAGE:
		session_free(s);
		return;
	case PX_S_RELAY:
		relay_timer(s);
		return;
	case PX_S_INSPECT:
		tcp_decide(s);	/* inspect-delay is over: decide with what came */
		return;
	case PX_S_TARPIT:
		answer_local(s, PX_V_DENY, s->tarpit_status, NULL);
		return;
	case PX_S_SVC:
		/* The control plane did not answer in time: its answer,
		 * if it comes, finds the slot given up. */
		px_svc_forget(s->w, s, s->svc_slot);
		s->st = PX_S_SVCOUT;
		fail_session(s, 504);
		return;
	case PX_S_SVCOUT:
		session_free(s);
		return;
	case PX_S_BODY:
		fail_session(s, 408);
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Connecting                                                          */

static void on_server(struct loop *l, int fd, uint32_t events, void *arg);

static void connect_failed(struct px_session *s)
{
	int64_t turn;

	px_add(&ctr(s->w, s->srv->st)->econ, 1);
	px_add(&ctr(s->w, s->be->st)->econ, 1);
	s->failed = s->srv;
	close_server(s);
	srv_release(s);
	if (s->retries_left <= 0) {
		fail_session(s, 503);
		return;
	}
	s->retries_left--;
	s->lx.retries++;
	px_add(&ctr(s->w, s->be->st)->retries, 1);
	px_add(&ctr(s->w, s->failed->st)->retries, 1);
	/* HAProxy waits a moment before retrying, so a restarting server
	 * is not hammered. */
	turn = s->be->t_connect >= 0 && s->be->t_connect < 1000 ? s->be->t_connect : 1000;
	s->st = PX_S_TURNAROUND;
	arm(s, turn);
}

static void connected(struct px_session *s)
{
	struct sockaddr_storage ta[2];	/* the session's addresses, lent out */
	struct px_ctr *c = ctr(s->w, s->srv->st);

	px_add(&c->total, 1);
	if (http(s)) {
		px_add(&c->requests, 1);
		if (s->be != s->fe)
			px_add(&ctr(s->w, s->be->st)->requests, 1);
		if (s->reused)
			px_add(&c->reused, 1);
	}
	if (px_ld(&c->cur) > px_ld(&c->max))
		atomic_store_explicit(&c->max, px_ld(&c->cur), memory_order_relaxed);
	if (s->pending_in) {
		if (s->be != s->fe)
			px_add(&ctr(s->w, s->be->st)->bytes_in, s->pending_in);
		px_add(&c->bytes_in, s->pending_in);
		s->pending_in = 0;
	}
	if (s->srv->send_proxy && !s->reused && !s->stls) {
		/* A new connection: the PROXY header goes before anything,
		 * ahead of a request head already waiting in rq.hd. */
		char hdr[PX_PP_V1_MAX + 64];
		size_t n = px_pp_build(s->srv->send_proxy, ss_of(&s->cli, &ta[0]),
					       ss_of(&s->dst, &ta[1]), hdr, sizeof(hdr));
		struct strbuf nb = STRBUF_INIT;

		strbuf_append(&nb, hdr, n);
		if (s->rq.hd.len > s->rq.hd_off)
			strbuf_append(&nb, s->rq.hd.data + s->rq.hd_off, s->rq.hd.len - s->rq.hd_off);
		strbuf_free(&s->rq.hd);
		s->rq.hd = nb;
		s->rq.hd_off = 0;
	}
	s->st = PX_S_RELAY;
	s->last_c = s->last_s = loop_now_ms(s->w->loop);
	if (!s->lx.t_conn)
		s->lx.t_conn = s->last_c;
	s->replay = s->reused && http(s) && s->rq.ms == PX_MSG_DONE && !s->rq.fwd &&
		    !s->rq.hd_off && s->rq.hd.len &&
		    (s->req_method == PX_M_GET || s->req_method == PX_M_HEAD ||
		     s->req_method == PX_M_OPTIONS);
	loop_timer_stop(s->w->loop, &s->tm);
	relay_timer(s);
	/* Write what is ready; reads wait for epoll (level-triggered: bytes
	 * already there are reported at once), no read that would only
	 * find nothing. */
	pump(s, false, false);
}

static struct px_proxy *proxy_by_stats(struct px_snapshot *snap, const struct px_stats *st)
{
	for (size_t i = 0; i < snap->n_proxies; i++)
		if (snap->proxies[i].st == st)
			return &snap->proxies[i];
	return NULL;
}

/* A session that waited (queue, turnaround, keep-alive) while the worker
 * moved to a newer snapshot picks its server from the newer one, so a
 * server that went DOWN or MAINT meanwhile is seen. Counter blocks are
 * the identity: the counts already taken stay right. */
static void rebase(struct px_session *s)
{
	struct px_snapshot *now = s->w->snap;
	struct px_proxy *fe, *be;

	if (s->snap == now || s->srv_counted)
		return;
	fe = proxy_by_stats(now, s->fe->st);
	be = proxy_by_stats(now, s->be->st);
	if (!fe || !be || (fe->backend != be && !fe->rules))
		return;		/* gone from the configuration: stay as started
				 * (use_backend rules may have chosen any) */
	if (s->failed) {
		struct px_server *f = NULL;

		for (size_t i = 0; i < be->n_srv && !f; i++)
			if (be->srv[i].st == s->failed->st)
				f = &be->srv[i];
		s->failed = f;
	}
	if (s->ck.srv) {
		/* the cookie's server, in the newer snapshot (or none) */
		struct px_server *c = NULL;

		for (size_t i = 0; i < be->n_srv && !c; i++)
			if (be->srv[i].st == s->ck.srv->st)
				c = &be->srv[i];
		s->ck.srv = c;
	}
	if (s->forced) {
		/* use-server's choice, in the newer snapshot (or none) */
		struct px_server *f = NULL;

		for (size_t i = 0; i < be->n_srv && !f; i++)
			if (be->srv[i].st == s->forced->st)
				f = &be->srv[i];
		s->forced = f;
	}
	px_snapshot_ref(now);
	px_snapshot_unref(s->snap);
	s->snap = now;
	s->fe = fe;
	s->be = be;
	s->srv = NULL;
}

/* A request sent on a reused server connection met its end before any
 * byte of an answer (the server closed the idle connection as we sent):
 * a bodyless idempotent request is sent again on a new connection, as
 * HAProxy does, instead of answering 502. Returns true when it was. */
static bool retry_reused(struct px_session *s)
{
	if (!http(s) || !s->reused || s->replied || !s->replay || s->rs.len ||
	    s->rs.ms != PX_MSG_HEAD || s->lx.t_rsp)
		return false;
	close_server(s);
	srv_release(s);
	rs_reset(s);
	s->replay = false;
	s->rq.hd_off = 0;	/* rq.hd still holds the whole request */
	s->reused = false;
	s->no_pool = true;
	s->failed = NULL;
	start_connect(s);
	return true;
}

/* Picks a server and starts connecting to it (or takes an idle
 * connection to it). */
static void start_connect(struct px_session *s)
{
	struct sockaddr_storage ta[2];	/* the session's addresses, lent out */
	struct px_worker *w = s->w;
	const struct px_server *avoid = NULL;
	struct px_server *srv;
	struct sockaddr_storage to;
	int fd;

	rebase(s);

	/* Without redispatch a retry goes to the same server; with it, the
	 * last retry goes elsewhere. The first attempt picks freely. */
	if (s->failed && !(s->be->redispatch && s->retries_left == 0)) {
		srv = s->failed;
	} else {
		bool full = false;

		if (s->failed) {
			avoid = s->failed;
			s->lx.redispatched = true;
			px_add(&ctr(w, s->be->st)->redispatches, 1);
			/* persistence broken: the answer sets the new server */
			s->ck.srv = NULL;
			s->ck.direct = false;
		}
		/* The cookie's server first, then use-server's: HAProxy's
		 * server rules only run when persistence assigned none. */
		srv = px_cookie_server(w, &s->ck, &full);
		if (full) {
			queue_add(s);	/* wait for the cookie's server */
			return;
		}
		if (!srv && s->forced && !s->failed && px_server_usable(w, s->forced))
			srv = s->forced;
		if (!srv)
			srv = px_lb_pick(w, s->be, ss_of(&s->cli, &ta[0]), s->key, s->key_len, avoid);
	}
	if (!srv && px_lb_all_full(s->be)) {
		queue_add(s);
		return;
	}
	if (!srv) {
		px_add(&ctr(w, s->be->st)->denied, 1);
		fail_session(s, 503);
		return;
	}
	s->srv = srv;
	s->st = PX_S_CONNECT;
	if (!s->lx.t_cstart)
		s->lx.t_cstart = loop_now_ms(w->loop);
	px_add(&ctr(w, srv->st)->cur, 1);
	s->srv_counted = true;
	if (!s->be_counted) {
		/* A listen section's frontend and backend are one proxy,
		 * counted once (at accept). */
		if (s->be != s->fe)
			px_ctr_open(ctr(w, s->be->st));
		s->be_counted = true;
	}
	/* http-reuse: safe never sends a session's first request on a
	 * kept connection (its client may be one that never sends more). */
	s->reused = false;
	if (s->sfd >= 0 && s->priv == srv->st && s->st == PX_S_CONNECT && !s->failed &&
	    !s->no_pool) {
		s->reused = true;
		set_events(s, s->sfd, &s->sev, 0);
		connected(s);
		return;
	}
	close_server(s);	/* a kept connection to another server */
	s->priv = NULL;
	if (http(s) && !s->failed && !srv->send_proxy && !srv->tls && !s->no_pool &&
	    (s->be->reuse == PX_REUSE_ALWAYS || (s->be->reuse == PX_REUSE_SAFE && s->n_req > 1))) {
		fd = px_pool_take(w, srv);
		if (fd >= 0) {
			s->sfd = fd;
			s->sev = 0;
			if (loop_give_fd(w->loop, fd, EPOLLIN, on_server, s) == 0) {
				s->sev = EPOLLIN;
				s->reused = true;
				connected(s);
				return;
			}
			loop_close_fd(w->loop, fd);
			s->sfd = -1;
		}
	}
	to = srv->addr;
	if (srv->client_port) {
		uint16_t port = s->dst.sa.sa_family == AF_INET6 ? s->dst.in6.sin6_port
								 : s->dst.in4.sin_port;

		if (to.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&to)->sin6_port = port;
		else
			((struct sockaddr_in *)&to)->sin_port = port;
	}
	fd = px_source_connect(w, srv, &to, srv->addr_len, ss_of(&s->cli, &ta[0]));
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			log_warn("proxy %s: socket: %s", s->be->name, strerror(errno));
			srv_release(s);
			fail_session(s, 503);
			return;
		}
		connect_failed(s);	/* refused at once, or no source port left */
		return;
	}
	s->sfd = fd;
	s->sev = EPOLLOUT;
	if (loop_add_fd(w->loop, fd, EPOLLOUT, on_server, s) < 0) {
		close(fd);
		s->sfd = -1;
		srv_release(s);
		fail_session(s, 503);
		return;
	}
	arm(s, s->be->t_connect);
}

/* ------------------------------------------------------------------ */
/* Framing (mode http)                                                 */

/* tmp: where the session's addresses are lent to x (as long as x). */
static void rctx_init(const struct px_session *s, struct px_rctx *x,
		      struct sockaddr_storage tmp[2])
{
	memset(x, 0, sizeof(*x));
	x->w = s->w;
	x->be = s->be;
	x->cli = ss_of(&s->cli, &tmp[0]);
	x->dst = ss_of(&s->dst, &tmp[1]);
	x->fc_ssl = s->fc_ssl;
	x->fc_sni = s->fc_sni;
}

/* http-response rules of the backend, then of the frontend, over the
 * final response head m at the start of s->rs. Returns 0, or -1 when the
 * session ended (denied or a failed rewrite: 502). */
static int response_rules(struct px_session *s, struct px_h1_msg *m)
{
	struct sockaddr_storage ta[2];	/* the session's addresses, lent out */
	struct px_dir *d = &s->rs;
	struct px_head h = { d->buf + d->off, d->len - d->off, PX_BUF_SIZE - d->off, m, true,
			     s->req_method, NULL };
	struct px_rctx x;
	enum px_verdict v;

	if (!s->be->rules && !s->fe->rules)
		return 0;
	rctx_init(s, &x, ta);
	v = px_rules_http_rsp(s->be, &x, &h);
	if (v == PX_V_GO && s->fe != s->be)
		v = px_rules_http_rsp(s->fe, &x, &h);
	d->len = d->off + h.len;
	if (v == PX_V_GO)
		return 0;
	px_add(&ctr(s->w, s->fe->st)->denied, 1);
	fail_session(s, 502);
	return -1;
}

/* The response head at the start of s->rs: parsed, rewritten into
 * rs.hd, and its body framing set. Returns 0, or -1 when the session
 * ended. */
static int response_head(struct px_session *s)
{
	struct px_dir *d = &s->rs;
	struct px_h1_msg *m = &s->w->msg;	/* scratch: never held across calls */
	int r = px_h1_response(d->buf + d->off, d->len - d->off, PX_HTTP_HEAD_MAX,
			       s->req_method, m);

	if (r == PX_H1_MORE) {
		if (d->eof) {
			/* Closed before a whole head: 502 (HAProxy's), unless a
			 * 1xx went out already. */
			px_add(&ctr(s->w, s->be->st)->eresp, 1);
			px_add(&ctr(s->w, s->srv->st)->eresp, 1);
			fail_session(s, 502);
			return -1;
		}
		return 0;
	}
	if (r != PX_H1_DONE || (m->status == 101 && !s->req_upgrade)) {
		s->lx.bad_rsp = true;
		px_add(&ctr(s->w, s->be->st)->eresp, 1);
		px_add(&ctr(s->w, s->srv->st)->eresp, 1);
		fail_session(s, 502);
		return -1;
	}
	if (m->status >= 200 && response_rules(s, m) < 0)
		return -1;
	if (m->status >= 200 || m->status == 101) {
		/* The final answer: decide what each connection becomes. */
		bool srv_keep = m->minor == 1 ? !m->conn_close : m->conn_keepalive;

		s->lx.t_rsp = loop_now_ms(s->w->loop);
		s->lx.status = m->status;
		{
			int k = px_hrsp_class(m->status);

			px_add(&ctr(s->w, s->fe->st)->hrsp[k], 1);
			if (s->be != s->fe)
				px_add(&ctr(s->w, s->be->st)->hrsp[k], 1);
			px_add(&ctr(s->w, s->srv->st)->hrsp[k], 1);
		}

		if (!srv_keep || m->body == PX_BODY_CLOSE || m->te_and_cl)
			s->srv_close = true;
		if (m->body == PX_BODY_CLOSE || m->te_and_cl)
			s->cli_close = true;	/* P3, P7: the client cannot tell the end */
	}
	if (s->fe->caps && m->status >= 200)
		px_log_capture(s->fe->caps->rsp, s->fe->caps->n_rsp, d->buf + d->off, m,
			       &s->lx.cap_rsp, &s->lx.n_cap_rsp);
	px_http_rsp_out_ck(d->buf + d->off, m, s->cli_close, s->req_minor, s->be, s->srv, &s->ck,
			   &d->hd);
	d->off += m->head_len;
	if (m->status == 101) {
		s->rs.ms = PX_MSG_TUNNEL;
		s->rq.ms = PX_MSG_TUNNEL;
		s->rq.fwd = s->rq.len - s->rq.off;
	} else if (m->status < 200) {
		d->ms = PX_MSG_HEAD;	/* the final answer follows */
	} else {
		switch (m->body) {
		case PX_BODY_NONE:
			d->ms = PX_MSG_DONE;
			break;
		case PX_BODY_CL:
			d->left = m->cl;
			d->ms = m->cl ? PX_MSG_CL : PX_MSG_DONE;
			break;
		case PX_BODY_CHUNKED:
			memset(&d->ck, 0, sizeof(d->ck));
			d->ms = PX_MSG_CHUNKED;
			break;
		case PX_BODY_CLOSE:
			d->ms = PX_MSG_CLOSE;
			break;
		}
	}
	return 0;
}

/* Clears the bytes of d's message that are in its buffer for writing;
 * parses a response head. Returns 0, or -1 when the session ended. */
static int advance(struct px_session *s, struct px_dir *d, bool req)
{
	for (;;) {
		size_t avail = d->len - d->off - d->fwd;

		switch (d->ms) {
		case PX_MSG_HEAD:
			/* Requests are parsed in HEAD state only (read_head);
			 * one response head at a time, once the last one
			 * (a 1xx) is written. */
			if (req || d->hd_off < d->hd.len || d->fwd)
				return 0;
			if (d->len == d->off) {
				if (!d->eof)
					return 0;
				/* Closed before any byte of an answer. */
				if (retry_reused(s))
					return -1;
				px_add(&ctr(s->w, s->be->st)->eresp, 1);
				px_add(&ctr(s->w, s->srv->st)->eresp, 1);
				fail_session(s, 502);
				return -1;
			}
			strbuf_reset(&d->hd);
			d->hd_off = 0;
			if (response_head(s) < 0)
				return -1;
			if (d->ms == PX_MSG_HEAD && d->hd.len)
				return 0;	/* a 1xx to write first */
			if (d->ms == PX_MSG_HEAD)
				return 0;
			continue;
		case PX_MSG_CL: {
			size_t n = avail < d->left ? avail : (size_t)d->left;

			d->fwd += n;
			d->left -= n;
			if (!d->left)
				d->ms = PX_MSG_DONE;
			else if (d->eof)
				goto truncated;
			return 0;
		}
		case PX_MSG_CHUNKED: {
			bool done = false;
			long n = px_h1_chunk_run(&d->ck, d->buf + d->off + d->fwd, avail, &done);

			if (n < 0) {
				if (req) {
					fail_session(s, 400);
				} else {
					px_add(&ctr(s->w, s->be->st)->eresp, 1);
					px_add(&ctr(s->w, s->srv->st)->eresp, 1);
					fail_session(s, 502);
				}
				return -1;
			}
			d->fwd += (size_t)n;
			if (done)
				d->ms = PX_MSG_DONE;
			else if (d->eof)
				goto truncated;
			return 0;
		}
		case PX_MSG_CLOSE:
			d->fwd += avail;
			if (d->eof)
				d->ms = PX_MSG_DONE;
			return 0;
		case PX_MSG_TUNNEL:
			d->fwd += avail;
			return 0;
		case PX_MSG_DONE:
			return 0;
		}
	}
truncated:
	/* A side closed inside a body: the message cannot complete. */
	if (!req) {
		px_add(&ctr(s->w, s->be->st)->eresp, 1);
		px_add(&ctr(s->w, s->srv->st)->eresp, 1);
	}
	if (!req && !s->replied)
		fail_session(s, 502);
	else
		session_free(s);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Relaying                                                            */

/* Bytes from the client (in) or to it (out), on the frontend, the backend
 * (when it is another proxy) and the server. */
static void count_bytes(struct px_session *s, bool in, uint64_t n)
{
	struct px_stats *st[3] = { s->fe->st, s->be != s->fe ? s->be->st : NULL,
				   s->srv ? s->srv->st : NULL };

	if (in)
		s->lx.bytes_in += n;
	else
		s->lx.bytes_out += n;

	for (int i = 0; i < 3; i++) {
		if (!st[i])
			continue;
		px_add(in ? &ctr(s->w, st[i])->bytes_in : &ctr(s->w, st[i])->bytes_out, n);
	}
}

/* mode tcp: whether direction d (to_server: the request way) moves by
 * splice from now on. Only once its buffer is empty (what came first,
 * a PROXY header included, is out), and only with a pipe to spare. */
static bool splice_start(struct px_session *s, struct px_dir *d, bool to_server)
{
	bool want;

	if (http(s) || d->ms != PX_MSG_TUNNEL || dir_pending(d) || d->len != d->off ||
	    s->ctls || s->stls)
		return false;	/* TLS: the bytes must pass through OpenSSL */
	want = to_server ? s->fe->splice_req || s->be->splice_req
			 : s->fe->splice_rsp || s->be->splice_rsp;
	/* splice-auto: once a read filled the buffer (a bulk transfer), not
	 * for small exchanges where a copy costs less than two splices. */
	if (!want && (s->fe->splice_auto || s->be->splice_auto))
		want = d->bulk;
	if (!want || !px_pipe_get(s->w, &d->pp))
		return false;
	d->spliced = true;
	/* The buffer is not needed any more: back to the cache, or freed. */
	if (d->buf && s->w->n_bufs < PX_BUF_CACHE)
		s->w->bufs[s->w->n_bufs++] = d->buf;
	else
		free(d->buf);
	d->buf = NULL;
	d->len = d->off = d->fwd = 0;
	return true;
}

static void count_bytes(struct px_session *s, bool in, uint64_t n);

/* transfer() for a spliced direction. */
static int splice_dir(struct px_session *s, int src, int dst, struct px_dir *d, bool to_server,
		      bool may_read, bool *act_src, bool *act_dst)
{
	size_t in = 0, out = 0;
	bool eof = d->eof;
	int r = px_splice_move(&d->pp, src, dst, may_read, &in, &out, &eof);

	if (in) {
		*act_src = true;
		count_bytes(s, to_server, (uint64_t)in);
	}
	if (out) {
		*act_dst = true;
		if (!to_server)
			s->replied = true;
	}
	if (r < 0) {
		px_add(&ctr(s->w, s->be->st)->eresp, 1);
		px_add(&ctr(s->w, s->srv->st)->eresp, 1);
		return -1;
	}
	d->eof = eof;
	if (d->eof && !d->pp.len && !d->shut) {
		px_io_shutdown(tls_of(s, dst), dst);
		d->shut = true;
	}
	return 0;
}

/* Moves one direction from src to dst. Returns 0, -1 when the session
 * must end (an error on either side), -2 when it ended already.
 * *act_src / *act_dst tell whether each side moved data. */
static int transfer(struct px_session *s, int src, int dst, struct px_dir *d, bool to_server,
		    bool may_read, bool *act_src, bool *act_dst)
{
	if ((d->spliced && d->pp.rfd >= 0) || (!d->spliced && splice_start(s, d, to_server)))
		return splice_dir(s, src, dst, d, to_server, may_read, act_src, act_dst);
	/* Pending data is written first; then the source is read only when
	 * epoll said it is readable, and read again only after a full
	 * buffer (a short read drained it: level-triggered epoll tells us
	 * when more comes). */
	for (int round = 0; round < 8; round++) {
		ssize_t n;
		size_t room;

		while (d->hd_off < d->hd.len || d->fwd) {
			/* The head and the body cleared behind it in one call. */
			struct iovec iov[2];
			int cnt = 0;
			size_t want = 0, hd_left = d->hd.len - d->hd_off;

			if (hd_left) {
				iov[cnt].iov_base = d->hd.data + d->hd_off;
				iov[cnt++].iov_len = hd_left;
				want += hd_left;
			}
			if (d->fwd) {
				iov[cnt].iov_base = d->buf + d->off;
				iov[cnt++].iov_len = d->fwd;
				want += d->fwd;
			}
			n = px_io_writev(tls_of(s, dst), dst, iov, cnt);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					return 0;
				if (to_server && retry_reused(s))
					return -2;
				if (!s->lx.ender)
					s->lx.ender = to_server ? 'S' : 'C';
				if (to_server) {
					px_add(&ctr(s->w, s->be->st)->eresp, 1);
					px_add(&ctr(s->w, s->srv->st)->eresp, 1);
				}
				return -1;
			}
			*act_dst = true;
			if (!to_server && n > 0)
				s->replied = true;	/* no error answer from now on */
			{
				size_t h = (size_t)n < hd_left ? (size_t)n : hd_left;

				d->hd_off += h;
				d->off += (size_t)n - h;
				d->fwd -= (size_t)n - h;
			}
			if ((size_t)n < want)
				return 0;
		}
		/* Written: the head goes, unless it is a request kept for a
		 * replay (retry_reused) until its transaction ends. */
		if (d->hd_off && d->hd_off >= d->hd.len && !(d == &s->rq && s->replay)) {
			strbuf_reset(&d->hd);
			d->hd_off = 0;
		}
		if (d->off == d->len)
			d->off = d->len = 0;
		if (advance(s, d, !!to_server) < 0)
			return -2;
		if (d->fwd || (d->hd.len && d->hd_off < d->hd.len))
			continue;	/* the framing cleared more: write it */
		/* A complete request leaves the client readable (what comes
		 * is the next request: it waits in the buffer, bounded), so
		 * keep-alive costs no epoll change per request; a complete
		 * response is not read past. */
		if (d->eof || !may_read || (d->ms == PX_MSG_DONE && !to_server))
			break;
		if (!d->buf)
			d->buf = buf_get(s->w);
		if (d->len == PX_BUF_SIZE && d->off) {
			memmove(d->buf, d->buf + d->off, d->len - d->off);
			d->len -= d->off;
			d->off = 0;
		}
		room = PX_BUF_SIZE - d->len;
		if (!room) {
			/* A response head that does not fit. */
			if (http(s) && !to_server && d->ms == PX_MSG_HEAD) {
				fail_session(s, 502);
				return -2;
			}
			break;
		}
		n = px_io_read(tls_of(s, src), src, d->buf + d->len, room);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			if (!to_server && retry_reused(s))
				return -2;
			if (!s->lx.ender)
				s->lx.ender = to_server ? 'C' : 'S';
			if (!to_server) {
				/* The server side failed (reset). */
				px_add(&ctr(s->w, s->be->st)->eresp, 1);
				px_add(&ctr(s->w, s->srv->st)->eresp, 1);
				if (!s->replied && http(s)) {
					fail_session(s, 502);
					return -2;
				}
			}
			return -1;
		}
		if (n == 0) {
			d->eof = true;
			/* In mode http an end of stream inside a message is
			 * an abort; in a tunnel it is how things end. */
			if (http(s) && d->ms != PX_MSG_TUNNEL && !s->lx.ender)
				s->lx.ender = to_server ? 'C' : 'S';
			if (advance(s, d, !!to_server) < 0)
				return -2;
			if (http(s) && to_server && d->ms != PX_MSG_TUNNEL)
				s->cli_close = true;	/* the client is done: close after */
			continue;
		}
		*act_src = true;
		d->len += (size_t)n;
		count_bytes(s, to_server, (uint64_t)n);
		if ((size_t)n < room)
			may_read = false;
		else if (room == PX_BUF_SIZE)
			d->bulk = true;
	}
	if (d->eof && !dir_pending(d) && !d->shut && (!http(s) || d->ms == PX_MSG_TUNNEL)) {
		px_io_shutdown(tls_of(s, dst), dst);
		d->shut = true;
	}
	return 0;
}

/* Keep-alive: waits for the next request on the client connection, or
 * takes it at once when it is already here (pipelined), after an answer
 * relayed from a server or written by a service. */
static void next_request(struct px_session *s)
{
	rs_reset(s);
	s->rq.ms = PX_MSG_HEAD;
	s->rq.fwd = 0;
	strbuf_free(&s->rq.hd);
	s->rq.hd_off = 0;
	s->replied = false;
	s->retries_left = s->be->retries;
	free(s->key);
	s->key = NULL;
	s->key_len = 0;
	s->st = PX_S_HEAD;
	if (s->rq.len > s->rq.off) {
		int64_t t = s->fe->t_http_request >= 0 ? s->fe->t_http_request : s->fe->t_client;

		arm(s, t);
		head_ready(s);
		return;
	}
	dir_clear(s->w, &s->rq);
	{
		int64_t t = s->fe->t_keepalive >= 0	 ? s->fe->t_keepalive
			    : s->fe->t_http_request >= 0 ? s->fe->t_http_request
							 : s->fe->t_client;

		arm(s, t);
	}
	set_events(s, s->cfd, &s->cev, EPOLLIN);
	if (px_io_pending(s->ctls))
		read_head(s);	/* already decrypted: epoll will not say */
}

/* mode http: request and response are both complete (all written) or
 * the response is and the request cannot go on. Returns true when the
 * session went on to its next state. */
static bool txn_end(struct px_session *s)
{
	struct px_worker *w = s->w;
	struct px_stats *be_st = s->be->st;
	bool keep_srv, freed;

	if (s->rs.ms != PX_MSG_DONE || dir_pending(&s->rs))
		return false;
	if (s->rq.ms != PX_MSG_DONE || dir_pending(&s->rq)) {
		/* Answered before the whole request was sent (an early
		 * error): neither connection can carry on. */
		s->cli_close = true;
		s->srv_close = true;
	}
	if (s->rs.len > s->rs.off)
		s->srv_close = true;	/* P4: bytes after the response */
	keep_srv = !s->srv_close && !s->fe->server_close && !s->be->server_close &&
		   !s->fe->httpclose && !s->be->httpclose && s->sfd >= 0 && s->srv;
	freed = s->srv_counted;
	if (keep_srv && (s->be->reuse == PX_REUSE_NEVER || s->srv->send_proxy || s->stls)) {
		/* Kept for this session's next request to the same server
		 * (HAProxy's never: no sharing between sessions). */
		s->priv = s->srv->st;
		set_events(s, s->sfd, &s->sev, EPOLLRDHUP);
	} else if (keep_srv) {
		int fd = s->sfd;

		s->sfd = -1;
		s->sev = 0;
		if (!px_pool_put(w, s->srv, fd))
			loop_close_fd(w->loop, fd);
	} else {
		close_server(s);
	}
	srv_release(s);
	log_req(s, 0, true);
	lx_next(s);
	memset(&s->ck, 0, sizeof(s->ck));
	s->replay = false;
	s->no_pool = false;
	s->srv = NULL;
	s->failed = NULL;
	if (freed)
		queue_kick(w, be_st);
	if (s->cli_close || s->fe->httpclose || s->be->httpclose) {
		close_gracefully(s);
		return true;
	}
	next_request(s);
	return true;
}

/* Moves data both ways; read_c / read_s: that side is readable. */
static void pump(struct px_session *s, bool read_c, bool read_s)
{
	bool rc = false, wc = false, rs = false, ws = false;
	uint64_t now = loop_now_ms(s->w->loop);
	int r;

	/* Bytes OpenSSL decrypted already are readable whatever epoll says. */
	read_c = read_c || px_io_pending(s->ctls);
	read_s = read_s || px_io_pending(s->stls);

	r = transfer(s, s->cfd, s->sfd, &s->rq, true, read_c, &rc, &ws);
	if (r == -2)
		return;
	if (r == 0)
		r = transfer(s, s->sfd, s->cfd, &s->rs, false, read_s, &rs, &wc);
	if (r == -2)
		return;
	if (r < 0 || (s->rq.shut && s->rs.shut)) {
		session_free(s);
		return;
	}
	if (http(s) && s->rs.ms != PX_MSG_TUNNEL) {
		if (txn_end(s))
			return;
		if (s->rs.eof && s->rs.ms != PX_MSG_DONE) {
			session_free(s);	/* unreachable: advance ended it */
			return;
		}
	}
	if (rc || wc)
		s->last_c = now;
	if (rs || ws)
		s->last_s = now;
	/* A half-closed side changes which timeout applies (client-fin,
	 * server-fin): the timer is set again then too. */
	if (rc || wc || rs || ws || s->rq.shut || s->rs.shut)
		relay_timer(s);
	set_events(s, s->cfd, &s->cev,
		   (s->rq.eof || (s->rq.len == PX_BUF_SIZE && s->rq.off == 0) || dir_pending(&s->rq)
			    ? 0u
			    : EPOLLIN) |
		   (dir_pending(&s->rs) ? EPOLLOUT : 0u));
	set_events(s, s->sfd, &s->sev,
		   (s->rs.eof || s->rs.ms == PX_MSG_DONE || dir_pending(&s->rs) ? 0u : EPOLLIN) |
		   (dir_pending(&s->rq) ? EPOLLOUT : 0u));
}

static void on_server(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct px_session *s = arg;

	(void)l;
	if (s->st == PX_S_CONNECT) {
		int err = 0;
		socklen_t len = sizeof(err);

		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err || (events & (EPOLLERR | EPOLLHUP))) {
			connect_failed(s);
			return;
		}
		if (s->srv->tls && !srv_tls_step(s))
			return;
		connected(s);
		return;
	}
	events = px_io_ready(s->stls, events);
	if (s->st == PX_S_HEAD && fd == s->sfd) {
		close_server(s);	/* a kept connection closed by its server */
		s->priv = NULL;
		return;
	}
	if (s->st != PX_S_RELAY)
		return;
	if ((events & (EPOLLHUP | EPOLLERR)) && s->rs.eof) {
		session_free(s);	/* as for the client: gone for good */
		return;
	}
	pump(s, false, (events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) != 0);
}

/* ------------------------------------------------------------------ */
/* The request head (mode http)                                        */

static void rs_reset(struct px_session *s)
{
	dir_clear(s->w, &s->rs);
	s->rs.ms = PX_MSG_HEAD;
	s->rs.eof = false;
	s->rs.shut = false;
}

/* ------------------------------------------------------------------ */
/* L7 rules (px_rules.h)                                               */

/* The request goes to be from now on (use_backend): the old backend's
 * session count is given back (it is taken again at connect). */
static void switch_backend(struct px_session *s, struct px_proxy *be)
{
	if (be == s->be)
		return;
	if (s->be_counted && s->be != s->fe)
		px_sub(&ctr(s->w, s->be->st)->cur, 1);
	s->be_counted = false;
	s->be = be;
	s->retries_left = be->retries;
}

/* Answers here instead of a server: a redirect or return (ans), a deny
 * (status), the end of a tarpit; then closes, as for the stats page. */
static void answer_local(struct px_session *s, enum px_verdict v, int status,
			 const struct strbuf *ans)
{
	if (v == PX_V_TARPIT) {
		s->tarpit_status = status;
		s->st = PX_S_TARPIT;
		set_events(s, s->cfd, &s->cev, 0);
		/* HAProxy's timeout tarpit defaults to timeout connect. */
		arm(s, s->fe->t_connect >= 0 ? s->fe->t_connect : 5000);
		return;
	}
	strbuf_reset(&s->rs.hd);
	s->rs.hd_off = 0;
	if (v == PX_V_ANSWER && ans) {
		strbuf_append(&s->rs.hd, ans->data, ans->len);
		log_req(s, status, true);
	} else {
		px_rules_error(status, &s->rs.hd);
		if (v == PX_V_DENY)
			px_add(&ctr(s->w, s->fe->st)->denied, 1);
		log_req(s, status, false);
	}
	s->st = PX_S_PAGE;
	s->replied = true;
	arm(s, s->fe->t_client >= 0 ? s->fe->t_client : 10000);
	page_write(s);
}

/* http-request and redirect rules of the frontend, the choice of the
 * backend (use_backend), then the backend's rules and use-server.
 * Returns 0, or -1 when the request was answered here. */
static int request_rules(struct px_session *s, struct px_h1_msg *m)
{
	struct sockaddr_storage ta[2];	/* the session's addresses, lent out */
	struct px_dir *d = &s->rq;
	const char *xff = px_http_xff_name(s->fe, s->be);
	struct px_head h = { d->buf, d->len, PX_BUF_SIZE, m, false, PX_M_OTHER, xff };
	struct strbuf ans = STRBUF_INIT;
	struct px_proxy *be = s->be;
	struct px_rctx x;
	int status = 0;
	enum px_verdict v;

	s->forced = NULL;
	if (!s->fe->rules && !s->be->rules && !(s->fe->backend && s->fe->backend->rules))
		return 0;
	rctx_init(s, &x, ta);
	x.buf = d->buf;
	x.m = m;
	/* tcp-request content in mode http: evaluated for every request,
	 * before the http-request rules; reject closes without an answer. */
	if (s->fe->rules && s->fe->rules->has[RS_TCP_CONTENT] && !px_rules_content_ok(s->fe, &x)) {
		px_add(&ctr(s->w, s->fe->st)->denied, 1);
		session_free(s);
		return -1;
	}
	v = px_rules_http_req(s->fe, &x, &h, &ans, &status);
	if (v == PX_V_GO) {
		/* a listen section may switch too (its default: itself) */
		be = px_rules_backend(s->fe, &x);
		if (!be)
			be = s->fe;	/* no backend: 503, as HAProxy answers */
		x.be = be;
		if (be != s->fe && be->rules && be->rules->has[RS_TCP_CONTENT] &&
		    !px_rules_content_ok(be, &x)) {
			px_add(&ctr(s->w, s->fe->st)->denied, 1);
			session_free(s);
			return -1;
		}
		if (be != s->fe)
			v = px_rules_http_req(be, &x, &h, &ans, &status);
	}
	d->len = h.len;
	if (v == PX_V_SERVICE) {
		strbuf_free(&ans);
		service_start(s, m);
		return -1;
	}
	if (v != PX_V_GO) {
		if (v == PX_V_ANSWER)
			status = atoi(ans.data + 9);	/* "HTTP/1.1 NNN" */
		answer_local(s, v, status, &ans);
		strbuf_free(&ans);
		return -1;
	}
	strbuf_free(&ans);
	switch_backend(s, be);
	if (px_http_xff_name(s->fe, s->be) != xff &&
	    px_h1_request(d->buf, d->len, PX_BUF_SIZE, px_http_xff_name(s->fe, s->be), m) !=
		    PX_H1_DONE) {
		fail_session(s, 400);
		return -1;
	}
	s->forced = px_rules_server(s->be, &x);
	return 0;
}

/* mode tcp: bytes that came while tcp-request content waits (inspect-
 * delay). Decides as soon as a whole ClientHello is here (or what came
 * cannot be one), or the buffer is full. */
static void tcp_inspect(struct px_session *s, bool do_read)
{
	struct px_dir *d = &s->rq;
	const unsigned char *sni;
	size_t sni_len;

	if (!d->buf)
		d->buf = buf_get(s->w);
	if (do_read) {
		/* Through the TLS layer: on an ssl bind the rules look at
		 * what the client sent inside TLS. */
		ssize_t n = px_io_read(s->ctls, s->cfd, d->buf + d->len, PX_BUF_SIZE - d->len);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			session_free(s);	/* gone before the rules decided */
			return;
		}
		while (px_io_pending(s->ctls) && d->len + (size_t)n < PX_BUF_SIZE) {
			ssize_t m = px_io_read(s->ctls, s->cfd, d->buf + d->len + (size_t)n,
					       PX_BUF_SIZE - d->len - (size_t)n);

			if (m <= 0)
				break;
			n += m;
		}
		d->len += (size_t)n;
		s->pending_in += (uint64_t)n;
		s->lx.bytes_in += (uint64_t)n;
		px_add(&ctr(s->w, s->fe->st)->bytes_in, (uint64_t)n);
	}
	if (px_sni_peek((const unsigned char *)d->buf + d->off, d->len - d->off, &sni, &sni_len) ==
		    PX_SNI_MORE &&
	    d->len < PX_BUF_SIZE)
		return;
	tcp_decide(s);
}

/* mode tcp: tcp-request content rules, then use_backend, over what came
 * (req.ssl_sni reads the ClientHello in it). */
static void tcp_decide(struct px_session *s)
{
	struct sockaddr_storage ta[2];	/* the session's addresses, lent out */
	struct px_dir *d = &s->rq;
	struct px_rctx x;
	const unsigned char *sni = NULL;
	size_t sni_len = 0;
	struct px_proxy *be;

	loop_timer_stop(s->w->loop, &s->tm);
	rctx_init(s, &x, ta);
	if (d->buf && d->len > d->off &&
	    px_sni_peek((const unsigned char *)d->buf + d->off, d->len - d->off, &sni, &sni_len) ==
		    PX_SNI_DONE &&
	    sni) {
		x.sni = (const char *)sni;
		x.sni_len = sni_len;
	}
	if (!px_rules_content_ok(s->fe, &x)) {
		px_add(&ctr(s->w, s->fe->st)->denied, 1);
		session_free(s);
		return;
	}
	be = px_rules_backend(s->fe, &x);
	if (!be) {
		px_add(&ctr(s->w, s->fe->st)->denied, 1);
		session_free(s);	/* no backend: closed, as HAProxy does in mode tcp */
		return;
	}
	/* the backend's own tcp-request content rules, once it is chosen */
	if (be != s->fe && !px_rules_content_ok(be, &x)) {
		px_add(&ctr(s->w, s->fe->st)->denied, 1);
		session_free(s);
		return;
	}
	switch_backend(s, be);
	s->forced = px_rules_server(s->be, &x);
	s->st = PX_S_CONNECT;
	start_connect(s);
}

/* A request head may be complete at the start of s->rq: parse it, and
 * send it on its way (or answer the error and close). */
static void head_ready(struct px_session *s)
{
	struct sockaddr_storage ta[2];	/* the session's addresses, lent out */
	struct px_dir *d = &s->rq;
	struct px_h1_msg *m;
	const char *key = NULL;
	size_t key_len = 0;
	int r;

	if (d->off) {
		memmove(d->buf, d->buf + d->off, d->len - d->off);
		d->len -= d->off;
		d->off = 0;
	}
	m = &s->w->msg;	/* scratch: released before start_connect */
	r = px_h1_request(d->buf, d->len, PX_HTTP_HEAD_MAX, px_http_xff_name(s->fe, s->be), m);
	if (r == PX_H1_MORE) {
		if (d->eof)
			session_free(s);	/* gone inside a head */
		else
			set_events(s, s->cfd, &s->cev, EPOLLIN);
		return;
	}
	if (r != PX_H1_DONE) {
		fail_session(s, r);
		return;
	}
	s->n_req++;
	px_add(&ctr(s->w, s->fe->st)->requests, 1);
	/* HAProxy refuses a body on an HTTP/1.0 GET, HEAD or DELETE (413,
	 * its h1-accept-payload-with-any-method being off): servers of that
	 * age may not expect one, and would take it for the next request. */
	if (m->minor == 0 && (m->body == PX_BODY_CHUNKED || (m->body == PX_BODY_CL && m->cl)) &&
	    (m->method == PX_M_GET || m->method == PX_M_HEAD ||
	     (m->meth_len == 6 && memcmp(d->buf + m->meth, "DELETE", 6) == 0))) {
		s->lx.t_head = loop_now_ms(s->w->loop);
		fail_session(s, 413);
		return;
	}
	s->lx.t_head = loop_now_ms(s->w->loop);
	if (!s->lx.t_first) {
		/* A pipelined request: it was here when the last one ended. */
		s->lx.t_first = s->lx.t_head;
		clock_gettime(CLOCK_REALTIME, &s->lx.wall_req);
	}
	s->lx.active = true;
	if (s->fe->log && s->fe->log->kind == PX_LOG_FORMAT) {
		/* The request line, for %r (HAProxy keeps 1024 bytes of it):
		 * kept only when a line will be written (log_req). */
		const char *eol = memchr(d->buf, '\n', m->head_len);
		size_t n = eol ? (size_t)(eol - d->buf) : 0;

		if (n && d->buf[n - 1] == '\r')
			n--;
		free(s->lx.rline);
		s->lx.rline = xstrndup(d->buf, n < 1024 ? n : 1024);
	}
	/* Captures see the request as it came, before any rule rewrote it. */
	if (s->fe->caps)
		px_log_capture(s->fe->caps->req, s->fe->caps->n_req, d->buf, m, &s->lx.cap_req,
			       &s->lx.n_cap_req);
	if (request_rules(s, m) < 0)
		return;
	if (s->fe->page && px_page_match(s->fe->page, d->buf, m)) {
		page_start(s, m);
		return;
	}
	s->req_method = m->method;
	s->req_minor = m->minor;
	s->req_upgrade = m->upgrade;
	s->cli_close = (m->minor == 1 ? m->conn_close : !m->conn_keepalive) || s->fe->httpclose ||
		       s->be->httpclose;
	s->srv_close = false;
	if (s->be->ck)
		px_cookie_request(s->be, d->buf, m, time(NULL), &s->ck);
	else
		memset(&s->ck, 0, sizeof(s->ck));
	px_http_key(s->be, d->buf, m, &key, &key_len);
	free(s->key);
	s->key = key ? xstrndup(key, key_len) : NULL;
	s->key_len = key ? key_len : 0;
	strbuf_reset(&d->hd);
	d->hd_off = 0;
	px_http_req_out(s->fe, s->be, d->buf, m, ss_of(&s->cli, &ta[0]),
			s->fe->server_close || s->be->server_close || s->fe->httpclose ||
				s->be->httpclose,
			&d->hd);
	d->off = m->head_len;
	d->fwd = 0;
	switch (m->body) {
	case PX_BODY_CL:
		d->left = m->cl;
		d->ms = m->cl ? PX_MSG_CL : PX_MSG_DONE;
		break;
	case PX_BODY_CHUNKED:
		memset(&d->ck, 0, sizeof(d->ck));
		d->ms = PX_MSG_CHUNKED;
		break;
	default:
		d->ms = PX_MSG_DONE;
		break;
	}
	/* What of the body came with the head is cleared now. */
	if (d->ms == PX_MSG_CL) {
		size_t n = d->len - d->off < d->left ? d->len - d->off : (size_t)d->left;

		d->fwd = n;
		d->left -= n;
		if (!d->left)
			d->ms = PX_MSG_DONE;
	} else if (d->ms == PX_MSG_CHUNKED) {
		bool done = false;
		long n = px_h1_chunk_run(&d->ck, d->buf + d->off, d->len - d->off, &done);

		if (n < 0) {
			fail_session(s, 400);
			return;
		}
		d->fwd = (size_t)n;
		if (done)
			d->ms = PX_MSG_DONE;
	}
	rs_reset(s);
	/* The client stays watched: an event while connecting turns the
	 * watch off then (on_client), saving two epoll changes per request
	 * when the connection comes from the pool. */
	start_connect(s);
}

/* Writes what is left of the answer in rs.hd. Returns 1 when all is
 * out, 0 when the rest waits for the socket, -1 when the session ended
 * (the client went away). */
static int write_answer(struct px_session *s)
{
	struct strbuf *a = &s->rs.hd;

	while (s->rs.hd_off < a->len) {
		struct iovec iov = { a->data + s->rs.hd_off, a->len - s->rs.hd_off };
		ssize_t n = px_io_writev(s->ctls, s->cfd, &iov, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			set_events(s, s->cfd, &s->cev, EPOLLOUT);
			return 0;
		}
		if (n <= 0) {
			session_free(s);	/* the client went away */
			return -1;
		}
		s->rs.hd_off += (size_t)n;
		px_add(&ctr(s->w, s->fe->st)->bytes_out, (uint64_t)n);
	}
	strbuf_free(a);
	strbuf_init(a);
	s->rs.hd_off = 0;
	return 1;
}

/* Writes what is left of the stats page; once all is out, closes. */
static void page_write(struct px_session *s)
{
	if (write_answer(s) == 1)
		close_gracefully(s);
}

/* The answer in rs.hd goes out, then the session closes. */
static void page_out(struct px_session *s)
{
	s->st = PX_S_PAGE;
	s->replied = true;
	arm(s, s->fe->t_client >= 0 ? s->fe->t_client : 10000);
	page_write(s);
}

static bool is_post(const char *buf, const struct px_h1_msg *m)
{
	return m->meth_len == 4 && memcmp(buf + m->meth, "POST", 4) == 0;
}

/* The request m is for the proxy's stats page: answers it on this
 * worker (px_page.c) and closes, as HAProxy does with httpclose. A POST
 * to the admin form reads its body first (read_body). */
static void page_start(struct px_session *s, const struct px_h1_msg *m)
{
	const struct px_page *pg = s->fe->page;
	struct sockaddr_storage ta[2];
	struct px_rctx x;
	bool admin;

	rctx_init(s, &x, ta);
	x.buf = s->rq.buf;
	x.m = m;
	admin = px_rules_stats_admin(s->fe, &x);
	strbuf_reset(&s->rs.hd);
	s->rs.hd_off = 0;
	if (is_post(s->rq.buf, m)) {
		size_t room = PX_BUF_SIZE - m->head_len;
		char user[64] = "";

		if (px_page_post_start(pg, s->rq.buf, m, admin, room, user, sizeof(user),
				       &s->rs.hd) == PX_PAGE_POST_READ) {
			free(s->post_user);
			s->post_user = user[0] ? xstrdup(user) : NULL;
			s->post_cl = m->body == PX_BODY_CL ? m->cl : 0;
			s->rq.off = m->head_len;
			s->st = PX_S_BODY;
			s->applet = "<STATS>";
			arm(s, s->fe->t_http_request >= 0 ? s->fe->t_http_request
				: s->fe->t_client >= 0 ? s->fe->t_client : 10000);
			read_body(s);
			return;
		}
	} else {
		px_page_answer(s->snap, s->fe, s->rq.buf, m, admin, &s->rs.hd);
	}
	page_out(s);
}

/* The address of the client, for the journal's who. */
static void cli_text(const struct px_session *s, char *out, size_t cap)
{
	struct sockaddr_storage tmp;
	const struct sockaddr_storage *a = ss_of(&s->cli, &tmp);

	out[0] = 0;
	if (a->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)a)->sin_addr, out, (socklen_t)cap);
	else if (a->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)a)->sin6_addr, out,
			  (socklen_t)cap);
	if (!out[0])
		snprintf(out, cap, "unknown");
}

/* The whole form is here: decode it and ask the control plane. */
static void body_done(struct px_session *s)
{
	struct px_dir *d = &s->rq;
	struct px_svc_msg *msg = px_svc_msg_new(PX_SVC_STATS_ADMIN);
	char ip[INET6_ADDRSTRLEN];
	struct strbuf who = STRBUF_INIT;

	set_events(s, s->cfd, &s->cev, 0);
	strbuf_reset(&s->rs.hd);
	s->rs.hd_off = 0;
	if (px_page_form(d->buf + d->off, (size_t)s->post_cl, msg, &s->rs.hd) < 0) {
		px_svc_msg_free(msg);
		px_add(&ctr(s->w, s->fe->st)->hrsp[px_hrsp_class(400)], 1);
		log_req(s, 400, false);
		page_out(s);
		return;
	}
	if (!msg->backend || !msg->action || !msg->servers.len) {
		/* Nothing to do: no need to ask (HAProxy's NONE). */
		px_svc_msg_free(msg);
		px_page_redirect(s->fe->page, "NONE", &s->rs.hd);
		px_add(&ctr(s->w, s->fe->st)->hrsp[px_hrsp_class(303)], 1);
		log_req(s, 303, true);
		page_out(s);
		return;
	}
	cli_text(s, ip, sizeof(ip));
	strbuf_printf(&who, "stats-page %s", ip);
	if (s->post_user)
		strbuf_printf(&who, " user %s", s->post_user);
	msg->who = strbuf_detach(&who);
	s->cli_close = true;
	if (!px_svc_post(s->w, s, msg, &s->svc_slot)) {
		px_svc_msg_free(msg);
		s->st = PX_S_SVCOUT;
		fail_session(s, 503);
		return;
	}
	s->st = PX_S_SVC;
	arm(s, s->fe->t_client >= 0 ? s->fe->t_client : 10000);
}

/* PX_S_BODY: reads the POST's body, which fits in the buffer (checked
 * by px_page_post_start()). */
static void read_body(struct px_session *s)
{
	struct px_dir *d = &s->rq;

	while (d->len - d->off < s->post_cl) {
		ssize_t n = px_io_read(s->ctls, s->cfd, d->buf + d->len, PX_BUF_SIZE - d->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			set_events(s, s->cfd, &s->cev, EPOLLIN);
			return;
		}
		if (n <= 0) {
			session_free(s);	/* gone inside the body */
			return;
		}
		d->len += (size_t)n;
		s->lx.bytes_in += (uint64_t)n;
		px_add(&ctr(s->w, s->fe->st)->bytes_in, (uint64_t)n);
	}
	body_done(s);
}

/* http-request use-service prometheus-exporter: the control plane
 * renders the samples (px_svc.h); the session waits for them with its
 * client timeout, then answers and carries on with the next request. */
static void service_start(struct px_session *s, const struct px_h1_msg *m)
{
	struct px_svc_msg *msg = px_svc_msg_new(PX_SVC_PROMETHEUS);
	bool body = m->body == PX_BODY_CHUNKED || (m->body == PX_BODY_CL && m->cl);

	s->applet = "<PROMEX>";
	/* The frontend answers, not a backend: HAProxy logs fe fe/<PROMEX>.
	 * The next request chooses its backend again (request_rules). */
	switch_backend(s, s->fe);
	s->req_method = m->method;
	s->req_minor = m->minor;
	/* A request body is not read: the connection ends after the answer
	 * (the next bytes could not be told from a request). */
	s->cli_close = (m->minor == 1 ? m->conn_close : !m->conn_keepalive) || s->fe->httpclose ||
		       body;
	s->rq.off = m->head_len;
	set_events(s, s->cfd, &s->cev, 0);
	if (!px_svc_post(s->w, s, msg, &s->svc_slot)) {
		/* Too many waiting on this worker: HAProxy's answer to a
		 * service that cannot take more. */
		px_svc_msg_free(msg);
		s->st = PX_S_SVCOUT;
		fail_session(s, 503);
		return;
	}
	s->st = PX_S_SVC;
	arm(s, s->fe->t_client >= 0 ? s->fe->t_client : 10000);
}

void px_session_svc_done(struct px_session *s, struct px_svc_msg *m)
{
	struct strbuf *o = &s->rs.hd;
	int status = 0;

	strbuf_reset(o);
	s->rs.hd_off = 0;
	switch (m->kind) {
	case PX_SVC_PROMETHEUS:
		if (m->status != 200) {
			px_svc_msg_free(m);
			s->st = PX_S_SVCOUT;
			fail_session(s, 503);	/* no metrics module running */
			return;
		}
		status = 200;
		strbuf_printf(o, "HTTP/1.%d 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
			      "Content-Length: %zu\r\nCache-Control: no-cache\r\n%s\r\n",
			      s->req_minor == 0 ? 0 : 1, m->body.len,
			      s->cli_close ? "Connection: close\r\n"
			      : s->req_minor == 0 ? "Connection: keep-alive\r\n" : "");
		if (s->req_method != PX_M_HEAD)
			strbuf_append(o, m->body.data ? m->body.data : "", m->body.len);
		break;
	case PX_SVC_STATS_ADMIN:
		status = 303;
		s->cli_close = true;
		px_page_redirect(s->fe->page, m->st ? m->st : "UNKN", o);
		break;
	}
	px_svc_msg_free(m);
	px_add(&ctr(s->w, s->fe->st)->hrsp[px_hrsp_class(status)], 1);
	s->lx.bytes_out += o->len;
	log_req(s, status, true);
	s->st = PX_S_SVCOUT;
	s->replied = true;
	arm(s, s->fe->t_client >= 0 ? s->fe->t_client : 10000);
	svc_write(s);
}

/* After a service's answer: the next request on a keep-alive
 * connection, or the end. */
static void svc_next(struct px_session *s)
{
	s->applet = NULL;
	lx_next(s);
	if (s->cli_close) {
		close_gracefully(s);
		return;
	}
	next_request(s);
}

static void svc_write(struct px_session *s)
{
	if (write_answer(s) == 1)
		svc_next(s);
}

static void read_head(struct px_session *s)
{
	struct px_dir *d = &s->rq;
	ssize_t n;

	if (!d->buf)
		d->buf = buf_get(s->w);
	if (d->len == PX_BUF_SIZE && d->off) {
		memmove(d->buf, d->buf + d->off, d->len - d->off);
		d->len -= d->off;
		d->off = 0;
	}
	n = px_io_read(s->ctls, s->cfd, d->buf + d->len, PX_BUF_SIZE - d->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		session_free(s);	/* gone before a whole request */
		return;
	}
	/* TLS: the rest of a record OpenSSL holds comes with it (no epoll
	 * event would tell), up to the buffer's end. */
	while (px_io_pending(s->ctls) && d->len + (size_t)n < PX_BUF_SIZE) {
		ssize_t m = px_io_read(s->ctls, s->cfd, d->buf + d->len + n,
				       PX_BUF_SIZE - d->len - (size_t)n);

		if (m <= 0)
			break;
		n += m;
	}
	if (d->len == d->off && s->n_req > 0) {
		/* The first byte of a next request: timeout http-request from
		 * now on, no longer http-keep-alive. */
		arm(s, s->fe->t_http_request >= 0 ? s->fe->t_http_request : s->fe->t_client);
	}
	if (!s->lx.t_first) {
		s->lx.t_first = loop_now_ms(s->w->loop);
		clock_gettime(CLOCK_REALTIME, &s->lx.wall_req);
		s->lx.active = true;
	}
	s->lx.bytes_in += (uint64_t)n;
	d->len += (size_t)n;
	s->pending_in += (uint64_t)n;
	px_add(&ctr(s->w, s->fe->st)->bytes_in, (uint64_t)n);
	head_ready(s);
}

/* accept-proxy: the PROXY header, read into the request buffer; what
 * follows it stays there as the first bytes of the session. */
static void read_proxy_hdr(struct px_session *s)
{
	struct px_dir *d = &s->rq;
	struct px_pp_info pi;
	ssize_t n;
	int r;

	if (!d->buf)
		d->buf = buf_get(s->w);
	n = read(s->cfd, d->buf + d->len, PX_PP_MAX - d->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		session_free(s);	/* gone before a whole header */
		return;
	}
	d->len += (size_t)n;
	r = px_pp_parse(d->buf, d->len, &pi);
	if (r == PX_PP_MORE)
		return;
	if (r < 0) {
		/* Not a client of ours (or not through a balancer that
		 * speaks PROXY): refused without a word, as HAProxy does. */
		log_debug("proxy %s: PROXY header refused: %s", s->fe->name, pi.why);
		px_add(&ctr(s->w, s->fe->st)->denied, 1);
		session_free(s);
		return;
	}
	if (pi.has_addr) {
		sa_keep(&s->cli, &pi.src);
		sa_keep(&s->dst, &pi.dst);
	}
	d->off = (size_t)r;
	if (d->off == d->len)
		d->off = d->len = 0;
	s->pending_in += d->len - d->off;
	px_add(&ctr(s->w, s->fe->st)->bytes_in, d->len - d->off);
	loop_timer_stop(s->w->loop, &s->tm);
	start_session(s);
}

static void on_client(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct px_session *s = arg;

	(void)l;
	(void)fd;
	events = px_io_ready(s->ctls, events);
	switch (s->st) {
	case PX_S_TLSHS:
		client_tls_step(s);
		return;
	case PX_S_PROXYHDR:
		read_proxy_hdr(s);
		return;
	case PX_S_HEAD:
		read_head(s);
		return;
	case PX_S_RELAY:
		/* A hang-up is reported whatever we watch: once its end of
		 * stream was read, the client is gone for good (nothing can
		 * reach it), and waiting would spin. */
		if ((events & (EPOLLHUP | EPOLLERR)) && s->rq.eof) {
			session_free(s);
			return;
		}
		pump(s, (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0, false);
		return;
	case PX_S_CLOSING:
		on_closing(s);
		return;
	case PX_S_PAGE:
		if (events & (EPOLLERR | EPOLLHUP))
			session_free(s);
		else
			page_write(s);
		return;
	case PX_S_SVCOUT:
		if (events & (EPOLLERR | EPOLLHUP))
			session_free(s);
		else
			svc_write(s);
		return;
	case PX_S_BODY:
		read_body(s);
		return;
	case PX_S_INSPECT:
		tcp_inspect(s, true);
		return;
	default:
		/* Connecting: the client is not read; a hang-up now is seen
		 * when relaying starts. */
		if (events & (EPOLLERR | EPOLLHUP))
			session_free(s);
		else
			set_events(s, s->cfd, &s->cev, 0);
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Life                                                                */

/* tcp-request connection rules over a new connection's addresses. */
static bool conn_allowed(struct px_worker *w, const struct px_proxy *fe, int cfd)
{
	struct sockaddr_storage cli, dst;
	socklen_t len = sizeof(cli);
	struct px_rctx x;

	memset(&cli, 0, sizeof(cli));
	memset(&dst, 0, sizeof(dst));
	getpeername(cfd, (struct sockaddr *)&cli, &len);
	len = sizeof(dst);
	getsockname(cfd, (struct sockaddr *)&dst, &len);
	memset(&x, 0, sizeof(x));
	x.w = w;
	x.be = fe->backend;
	x.cli = &cli;
	x.dst = &dst;
	return px_rules_conn_ok(fe, &x);
}

void px_session_accept(struct px_worker *w, struct px_proxy *fe, int cfd,
		       const struct sockaddr_storage *peer, socklen_t peer_len, bool accept_proxy,
		       struct px_tls_ctx *tls)
{
	struct px_session *s;
	socklen_t len;
	int one = 1;

	if (fe->rules && fe->rules->has[RS_TCP_CONN] && !conn_allowed(w, fe, cfd)) {
		/* tcp-request connection reject: closed at once, before any
		 * session exists (HAProxy logs nothing either). */
		px_add(&ctr(w, fe->st)->denied, 1);
		close(cfd);
		return;
	}
	if (!fe->backend && !fe->page &&
	    !(fe->rules && (fe->rules->has[RS_USE_BACKEND] || fe->rules->has[RS_HTTP_REQ]))) {
		/* No default_backend: nothing can serve it. */
		px_add(&ctr(w, fe->st)->denied, 1);
		if (fe->mode == CFG_MODE_HTTP && !tls) {
			const char *msg = px_http_answer(fe, NULL, 503);
			ssize_t n = write(cfd, msg, strlen(msg));

			(void)n;
		}
		close(cfd);
		return;
	}
	s = xcalloc(1, sizeof(*s));
	s->w = w;
	s->snap = w->snap;
	px_snapshot_ref(s->snap);
	s->fe = fe;
	/* A frontend with a stats page and no backend serves the page;
	 * its other requests find no server (503). */
	s->be = fe->backend ? fe->backend : fe;
	s->cfd = cfd;
	s->sfd = -1;
	s->retries_left = s->be->retries;
	strbuf_init(&s->rq.hd);
	strbuf_init(&s->rs.hd);
	s->rq.pp.rfd = s->rq.pp.wfd = s->rs.pp.rfd = s->rs.pp.wfd = -1;
	if (peer_len > 0 && (peer->ss_family == AF_INET || peer->ss_family == AF_INET6)) {
		sa_keep(&s->cli, peer);
	} else {
		len = sizeof(s->cli);
		getpeername(cfd, (struct sockaddr *)&s->cli, &len);
	}
	len = sizeof(s->dst);
	getsockname(cfd, (struct sockaddr *)&s->dst, &len);
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	loop_timer_init(&s->tm, on_timer, s);

	s->lx.t0 = loop_now_ms(w->loop);
	clock_gettime(CLOCK_REALTIME, &s->lx.wall_accept);
	s->lx.wall_req = s->lx.wall_accept;
	s->lx.status = -1;
	s->lx.active = true;	/* the first request, or the tcp connection */
	if (fe->log && fe->log->kind == PX_LOG_CONNECT)
		log_connect(s);
	s->next = w->sessions;
	if (w->sessions)
		w->sessions->prev = s;
	w->sessions = s;
	w->n_sessions++;
	px_ctr_open(ctr(w, fe->st));
	/* Watched for reading from the start (what every kind of session
	 * waits for first; one that does not changes it): one epoll_ctl()
	 * per connection instead of two. */
	if (loop_add_fd(w->loop, cfd, EPOLLIN, on_client, s) < 0) {
		session_free(s);
		return;
	}
	s->cev = EPOLLIN;
	if (tls) {
		s->ctls = px_tls_accept(tls, cfd);
		if (!s->ctls) {
			s->lx.active = false;
			session_free(s);
			return;
		}
		s->st = PX_S_TLSHS;
		set_events(s, cfd, &s->cev, EPOLLIN);
		arm(s, fe->t_client >= 0 ? fe->t_client : PX_PROXYHDR_TIMEOUT_MS);
		return;
	}
	if (accept_proxy) {
		s->st = PX_S_PROXYHDR;
		set_events(s, cfd, &s->cev, EPOLLIN);
		arm(s, fe->t_client >= 0 ? fe->t_client : PX_PROXYHDR_TIMEOUT_MS);
		return;
	}
	start_session(s);
}

/* ssl bind: the handshake goes on; once done, the session starts as a
 * plain one would. A failed handshake ends it without a log line (no
 * request was made), as HAProxy does without log-separate-errors. */
static void client_tls_step(struct px_session *s)
{
	int r = px_tls_handshake(s->ctls);

	if (r == 0) {
		/* px_io_events turns this into what the handshake waits for */
		set_events(s, s->cfd, &s->cev, EPOLLIN);
		return;
	}
	if (r < 0) {
		log_debug("proxy %s: TLS handshake failed: %s", s->fe->name, px_tls_error(s->ctls));
		s->lx.active = false;
		session_free(s);
		return;
	}
	s->fc_ssl = true;
	{
		const char *sni = px_tls_sni(s->ctls);

		if (sni && *sni)
			s->fc_sni = xstrdup(sni);
	}
	s->lx.th = loop_now_ms(s->w->loop) - s->lx.t0;
	loop_timer_stop(s->w->loop, &s->tm);
	start_session(s);
}

/* ssl server: TCP is up; the PROXY header (plain, before TLS as HAProxy
 * sends it) and the handshake, within timeout connect. Returns true once
 * the handshake is done; false while waiting or after a failure (a
 * failed connect, retried like one). */
static bool srv_tls_step(struct px_session *s)
{
	struct sockaddr_storage ta[2];	/* the session's addresses, lent out */
	int r;

	if (!s->stls) {
		const char *sni = s->srv->tls_sni;

		if (s->srv->send_proxy) {
			char hdr[PX_PP_V1_MAX + 64];
			size_t n = px_pp_build(s->srv->send_proxy, ss_of(&s->cli, &ta[0]),
					       ss_of(&s->dst, &ta[1]), hdr, sizeof(hdr));

			if (write(s->sfd, hdr, n) != (ssize_t)n) {
				connect_failed(s);
				return false;
			}
		}
		if (s->srv->tls_sni_client)
			sni = s->fc_sni ? s->fc_sni : "";
		s->stls = px_tls_connect(s->srv->tls, s->sfd, sni);
		if (!s->stls) {
			connect_failed(s);
			return false;
		}
	}
	r = px_tls_handshake(s->stls);
	if (r == 0) {
		set_events(s, s->sfd, &s->sev, EPOLLOUT);
		return false;
	}
	if (r < 0) {
		log_debug("proxy %s: server %s: TLS handshake failed: %s", s->be->name,
			  s->srv->name, px_tls_error(s->stls));
		connect_failed(s);
		return false;
	}
	return true;
}

/* The session proper starts: the first request (mode http) or the
 * connection to a server (mode tcp). */
static void start_session(struct px_session *s)
{
	struct px_proxy *fe = s->fe;
	int cfd = s->cfd;

	if (fe->mode == CFG_MODE_HTTP) {
		s->st = PX_S_HEAD;
		set_events(s, cfd, &s->cev, EPOLLIN);
		arm(s, fe->t_http_request >= 0 ? fe->t_http_request : fe->t_client);
		if (s->rq.len > s->rq.off)
			head_ready(s);	/* came with the PROXY header */
		return;
	}
	s->rq.ms = PX_MSG_TUNNEL;
	s->rs.ms = PX_MSG_TUNNEL;
	if (fe->rules && fe->rules->prog.inspect_delay_ms > 0 &&
	    (fe->rules->has[RS_TCP_CONTENT] || fe->rules->has[RS_USE_BACKEND])) {
		s->st = PX_S_INSPECT;
		set_events(s, cfd, &s->cev, EPOLLIN);
		arm(s, fe->rules->prog.inspect_delay_ms);
		if (s->rq.len > s->rq.off)
			tcp_inspect(s, false);
		return;
	}
	if (fe->rules) {
		tcp_decide(s);
		return;
	}
	start_connect(s);
}

static void session_free(struct px_session *s)
{
	struct px_worker *w = s->w;

	bool freed_slot = s->srv && s->srv_counted;
	struct px_stats *be_st = s->be->st;

	loop_timer_stop(w->loop, &s->tm);
	if (s->st == PX_S_SVC)
		px_svc_forget(w, s, s->svc_slot);	/* its answer will be dropped */
	queue_remove(s);
	close_server(s);
	srv_release(s);
	log_req(s, 0, false);	/* after the server's release, as HAProxy counts */
	px_logtx_clear(&s->lx);
	free(s->fc_sni);
	free(s->post_user);
	px_tls_free(s->ctls);
	s->ctls = NULL;
	if (s->cfd >= 0)
		loop_close_fd(w->loop, s->cfd);	/* no EPOLL_CTL_DEL, as above */
	px_sub(&ctr(w, s->fe->st)->cur, 1);
	if (s->be_counted && s->be != s->fe)
		px_sub(&ctr(w, s->be->st)->cur, 1);
	if (s->prev)
		s->prev->next = s->next;
	else
		w->sessions = s->next;
	if (s->next)
		s->next->prev = s->prev;
	w->n_sessions--;
	dir_clear(s->w, &s->rq);
	dir_clear(s->w, &s->rs);
	free(s->key);
	/* The snapshot stays alive while be_st is used: the queue holds
	 * sessions with their own references. */
	if (freed_slot)
		queue_kick(w, be_st);
	px_snapshot_unref(s->snap);
	free(s);
	px_worker_resume_listeners(w);
}

void px_session_cut_maint(struct px_worker *w)
{
	struct px_snapshot *snap = w->snap;
	struct px_session *s, *next;
	bool any = false;

	/* Mark through the counter blocks, which are the servers' identity
	 * across snapshots. */
	for (size_t i = 0; i < snap->n_proxies; i++)
		for (size_t j = 0; j < snap->proxies[i].n_srv; j++) {
			struct px_server *srv = &snap->proxies[i].srv[j];

			srv->st->slots[w->idx].cut = srv->state == PX_SRV_MAINT;
			any = any || srv->state == PX_SRV_MAINT;
		}
	if (!any)
		return;
	for (s = w->sessions; s; s = next) {
		next = s->next;
		if (s->srv && s->srv_counted && s->srv->st->slots[w->idx].cut && s->st != PX_S_HEAD &&
		    s->st != PX_S_CLOSING) {
			s->lx.ender = 'K';	/* killed by the operator */
			session_free(s);
		}
	}
	for (size_t i = 0; i < snap->n_proxies; i++)
		for (size_t j = 0; j < snap->proxies[i].n_srv; j++)
			snap->proxies[i].srv[j].st->slots[w->idx].cut = false;
}

void px_session_free_all(struct px_worker *w)
{
	while (w->sessions)
		session_free(w->sessions);
}
