/* One client session on a worker.
 *
 *   accept --(mode http)--> HEAD: read the request head (bounded)
 *     |                       |
 *     v                       v
 *   CONNECT: pick a server, non-blocking connect within timeout connect
 *     |  failure, retries left: TURNAROUND (min(timeout connect, 1 s)),
 *     |  then CONNECT again, to another server on the last retry with
 *     |  option redispatch (HAProxy's rule)
 *     v
 *   RELAY: both directions through bounded buffers; an end of stream on
 *     one side is passed on as shutdown(SHUT_WR) once its buffer drained
 *     (half-close); the session ends when both directions are shut, on
 *     an error, or after timeout client / timeout server of inactivity.
 *
 * In mode http the first request head is checked and rewritten
 * (X-Forwarded-For, Connection: close); what follows is relayed as is
 * (HAProxy 1.4's tunnel mode). 502, 503 and 504 answer a server that
 * fails before its first byte, no server, and a server timeout.
 */
#include "config.h"

#include "proxy/proxy_int.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "core/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum px_sess_state {
	PX_S_HEAD = 0,
	PX_S_CONNECT = 1,
	PX_S_TURNAROUND = 2,
	PX_S_RELAY = 3,
	PX_S_QUEUE = 4,		/* every server at its maxconn: waits for a
				 * slot, at most timeout queue */
};

/* One direction: data read from one side waiting to be written to the
 * other. Read only when empty, so at most PX_BUF_SIZE is held. */
struct px_half {
	char *buf;
	size_t len, off;
	bool eof;		/* the source ended its stream */
	bool shut;		/* passed on: shutdown(dst, SHUT_WR) */
};

struct px_session {
	struct px_session *prev, *next;
	struct px_session *qprev, *qnext;	/* in the worker's queue */
	bool queued;
	struct px_worker *w;
	struct px_snapshot *snap;	/* a reference: fe, be, srv live in it */
	struct px_proxy *fe, *be;
	struct px_server *srv;		/* the one connecting or connected */
	struct px_server *failed;	/* the one whose connect last failed */
	int cfd, sfd;
	uint32_t cev, sev;		/* events watched */
	struct sockaddr_storage cli, dst;
	enum px_sess_state st;
	int retries_left;
	bool srv_counted;		/* srv's cur includes us */
	bool be_counted;
	bool replied;			/* the server sent its first byte */
	struct loop_timer tm;
	uint64_t deadline;		/* HEAD, CONNECT, TURNAROUND */
	uint64_t last_c, last_s;	/* RELAY: last activity on each side */
	struct px_half c2s, s2c;
	char *key;			/* http balancing key, or NULL */
	size_t key_len;
	uint64_t head_in;		/* mode http: client bytes read with the
					 * head, counted on the frontend then and
					 * on the backend and server once one is
					 * connected */
};

static void session_free(struct px_session *s);
static void pump(struct px_session *s, bool read_c, bool read_s);
static void connect_failed(struct px_session *s);
static void start_connect(struct px_session *s);

static struct px_ctr *ctr(struct px_worker *w, struct px_stats *st)
{
	return &st->slots[w->idx];
}

static void set_events(struct px_session *s, int fd, uint32_t *cur, uint32_t want)
{
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
	s->deadline = loop_now_ms(l) + (uint64_t)ms;
	loop_timer_start(l, &s->tm, (uint64_t)ms);
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
	if (s->sfd >= 0) {
		loop_del_fd(s->w->loop, s->sfd);
		close(s->sfd);
		s->sfd = -1;
		s->sev = 0;
	}
}

/* Answers an HTTP error (mode http only, before any server byte) and
 * ends the session. */
static void fail_session(struct px_session *s, int http_status)
{
	if (s->fe->mode == CFG_MODE_HTTP && http_status && !s->replied) {
		const char *msg = px_http_error(http_status);
		ssize_t n = write(s->cfd, msg, strlen(msg));
		int i = http_status == 502 ? 0 : http_status == 503 ? 1 : http_status == 504 ? 2 : -1;

		(void)n;
		if (i >= 0)
			px_add(&ctr(s->w, s->fe->st)->http_err[i], 1);
	}
	session_free(s);
}

/* ------------------------------------------------------------------ */
/* Timers                                                              */

static void on_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct px_session *s = arg;
	uint64_t now = loop_now_ms(l), next = UINT64_MAX;

	(void)t;
	switch (s->st) {
	case PX_S_HEAD:
		fail_session(s, 408);
		return;
	case PX_S_CONNECT:
		/* L4 timeout: like a refused connect, retried. */
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
	case PX_S_RELAY:
		break;
	}
	if (s->fe->t_client >= 0) {
		uint64_t d = s->last_c + (uint64_t)s->fe->t_client;

		if (d <= now && !(s->c2s.shut && s->s2c.shut)) {
			session_free(s);
			return;
		}
		next = d;
	}
	if (s->be->t_server >= 0) {
		uint64_t d = s->last_s + (uint64_t)s->be->t_server;

		if (d <= now) {
			if (!s->replied && s->fe->mode == CFG_MODE_HTTP) {
				px_add(&ctr(s->w, s->be->st)->eresp, 1);
				fail_session(s, 504);
			} else {
				session_free(s);
			}
			return;
		}
		if (d < next)
			next = d;
	}
	if (next != UINT64_MAX)
		loop_timer_start(l, &s->tm, next - now);
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
	struct px_ctr *c = ctr(s->w, s->srv->st);

	px_add(&c->total, 1);
	if (px_ld(&c->cur) > px_ld(&c->max))
		atomic_store_explicit(&c->max, px_ld(&c->cur), memory_order_relaxed);
	if (s->head_in) {
		if (s->be != s->fe)
			px_add(&ctr(s->w, s->be->st)->bytes_in, s->head_in);
		px_add(&c->bytes_in, s->head_in);
		s->head_in = 0;
	}
	s->st = PX_S_RELAY;
	s->last_c = s->last_s = loop_now_ms(s->w->loop);
	loop_timer_stop(s->w->loop, &s->tm);
	{
		int64_t a = s->fe->t_client, b = s->be->t_server;
		int64_t first = a < 0 ? b : b < 0 ? a : (a < b ? a : b);

		if (first >= 0)
			loop_timer_start(s->w->loop, &s->tm, (uint64_t)first);
	}
	pump(s, true, true);
}

static struct px_proxy *proxy_by_stats(struct px_snapshot *snap, const struct px_stats *st)
{
	for (size_t i = 0; i < snap->n_proxies; i++)
		if (snap->proxies[i].st == st)
			return &snap->proxies[i];
	return NULL;
}

/* A session that waited (queue, turnaround) while the worker moved to a
 * newer snapshot picks its server from the newer one, so a server that
 * went DOWN or MAINT meanwhile is seen. Counter blocks are the identity:
 * the counts already taken stay right. */
static void rebase(struct px_session *s)
{
	struct px_snapshot *now = s->w->snap;
	struct px_proxy *fe, *be;

	if (s->snap == now || s->srv_counted)
		return;
	fe = proxy_by_stats(now, s->fe->st);
	be = proxy_by_stats(now, s->be->st);
	if (!fe || !be)
		return;		/* gone from the configuration: stay as started */
	if (s->failed) {
		struct px_server *f = NULL;

		for (size_t i = 0; i < be->n_srv && !f; i++)
			if (be->srv[i].st == s->failed->st)
				f = &be->srv[i];
		s->failed = f;
	}
	px_snapshot_ref(now);
	px_snapshot_unref(s->snap);
	s->snap = now;
	s->fe = fe;
	s->be = be;
	s->srv = NULL;
}

/* Picks a server and starts connecting to it. */
static void start_connect(struct px_session *s)
{
	struct px_worker *w = s->w;
	const struct px_server *avoid = NULL;
	struct px_server *srv;
	struct sockaddr_storage to;
	int fd, one = 1;

	rebase(s);

	/* Without redispatch a retry goes to the same server; with it, the
	 * last retry goes elsewhere. The first attempt picks freely. */
	if (s->failed && !(s->be->redispatch && s->retries_left == 0)) {
		srv = s->failed;
	} else {
		if (s->failed) {
			avoid = s->failed;
			px_add(&ctr(w, s->be->st)->redispatches, 1);
		}
		srv = px_lb_pick(w, s->be, &s->cli, s->key, s->key_len, avoid);
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
	px_add(&ctr(w, srv->st)->cur, 1);
	s->srv_counted = true;
	if (!s->be_counted) {
		/* A listen section's frontend and backend are one proxy,
		 * counted once (at accept). */
		if (s->be != s->fe)
			px_ctr_open(ctr(w, s->be->st));
		s->be_counted = true;
	}
	to = srv->addr;
	if (srv->client_port) {
		uint16_t port = s->dst.ss_family == AF_INET6
			? ((struct sockaddr_in6 *)&s->dst)->sin6_port
			: ((struct sockaddr_in *)&s->dst)->sin_port;

		if (to.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&to)->sin6_port = port;
		else
			((struct sockaddr_in *)&to)->sin_port = port;
	}
	fd = socket(to.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("proxy %s: socket: %s", s->be->name, strerror(errno));
		srv_release(s);
		fail_session(s, 503);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s->sfd = fd;
	if (connect(fd, (struct sockaddr *)&to, srv->addr_len) < 0 && errno != EINPROGRESS) {
		connect_failed(s);
		return;
	}
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
/* Relaying                                                            */

/* Bytes from the client (in) or to it (out), on the frontend, the backend
 * (when it is another proxy) and the server. */
static void count_bytes(struct px_session *s, bool in, uint64_t n)
{
	struct px_stats *st[3] = { s->fe->st, s->be != s->fe ? s->be->st : NULL, s->srv->st };

	for (int i = 0; i < 3; i++) {
		if (!st[i])
			continue;
		px_add(in ? &ctr(s->w, st[i])->bytes_in : &ctr(s->w, st[i])->bytes_out, n);
	}
}

/* Moves one direction from src to dst. Returns 0, or -1 when the
 * session must end (an error on either side). *act_src / *act_dst tell
 * whether each side moved data. */
static int transfer(struct px_session *s, int src, int dst, struct px_half *h, bool to_server,
		    bool may_read, bool *act_src, bool *act_dst)
{
	/* Pending data is written first; then the source is read only when
	 * epoll said it is readable, and read again only after a full
	 * buffer (a short read drained it: level-triggered epoll tells us
	 * when more comes). Half the system calls of reading until EAGAIN. */
	for (int round = 0; round < 8; round++) {
		if (h->off < h->len) {
			ssize_t n = write(dst, h->buf + h->off, h->len - h->off);

			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					return 0;
				if (!to_server)
					return -1;
				px_add(&ctr(s->w, s->be->st)->eresp, 1);
				px_add(&ctr(s->w, s->srv->st)->eresp, 1);
				return -1;
			}
			h->off += (size_t)n;
			*act_dst = true;
			if (h->off < h->len)
				return 0;
			h->off = h->len = 0;
		}
		if (h->eof || !may_read)
			break;
		if (!h->buf)
			h->buf = xmalloc(PX_BUF_SIZE);
		ssize_t n = read(src, h->buf, PX_BUF_SIZE);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			if (!to_server) {
				/* The server side failed (reset). */
				px_add(&ctr(s->w, s->be->st)->eresp, 1);
				px_add(&ctr(s->w, s->srv->st)->eresp, 1);
				if (!s->replied && s->fe->mode == CFG_MODE_HTTP) {
					fail_session(s, 502);
					return -2;
				}
			}
			return -1;
		}
		if (n == 0) {
			h->eof = true;
			if (!to_server && !s->replied && s->fe->mode == CFG_MODE_HTTP) {
				px_add(&ctr(s->w, s->be->st)->eresp, 1);
				px_add(&ctr(s->w, s->srv->st)->eresp, 1);
				fail_session(s, 502);
				return -2;
			}
			break;
		}
		*act_src = true;
		h->len = (size_t)n;
		h->off = 0;
		if (!to_server)
			s->replied = true;
		count_bytes(s, to_server, (uint64_t)n);
		if (n < PX_BUF_SIZE)
			may_read = false;
	}
	if (h->eof && h->off >= h->len && !h->shut) {
		shutdown(dst, SHUT_WR);
		h->shut = true;
	}
	return 0;
}

/* Moves data both ways; read_c / read_s: that side is readable. */
static void pump(struct px_session *s, bool read_c, bool read_s)
{
	bool rc = false, wc = false, rs = false, ws = false;
	uint64_t now = loop_now_ms(s->w->loop);
	int r;

	r = transfer(s, s->cfd, s->sfd, &s->c2s, true, read_c, &rc, &ws);
	if (r == -2)
		return;
	if (r == 0)
		r = transfer(s, s->sfd, s->cfd, &s->s2c, false, read_s, &rs, &wc);
	if (r == -2)
		return;
	if (r < 0 || (s->c2s.shut && s->s2c.shut)) {
		session_free(s);
		return;
	}
	if (rc || wc)
		s->last_c = now;
	if (rs || ws)
		s->last_s = now;
	set_events(s, s->cfd, &s->cev,
		   (s->c2s.eof ? 0u : (s->c2s.off >= s->c2s.len ? EPOLLIN : 0u)) |
		   (s->s2c.off < s->s2c.len ? EPOLLOUT : 0u));
	set_events(s, s->sfd, &s->sev,
		   (s->s2c.eof ? 0u : (s->s2c.off >= s->s2c.len ? EPOLLIN : 0u)) |
		   (s->c2s.off < s->c2s.len ? EPOLLOUT : 0u));
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
		connected(s);
		return;
	}
	pump(s, false, (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0);
}

/* ------------------------------------------------------------------ */
/* The request head (mode http)                                        */

static void read_head(struct px_session *s)
{
	struct px_half *h = &s->c2s;
	struct strbuf out = STRBUF_INIT;
	const char *key = NULL;
	size_t head_len = 0, key_len = 0;
	enum px_http_status st;
	ssize_t n;

	if (!h->buf)
		h->buf = xmalloc(PX_HTTP_HEAD_MAX + 1);
	n = read(s->cfd, h->buf + h->len, PX_HTTP_HEAD_MAX - h->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		session_free(s);	/* gone before a whole request */
		return;
	}
	h->len += (size_t)n;
	s->head_in += (uint64_t)n;
	px_add(&ctr(s->w, s->fe->st)->bytes_in, (uint64_t)n);
	st = px_http_head(h->buf, h->len, &head_len);
	if (st == PX_HTTP_MORE && h->len < PX_HTTP_HEAD_MAX)
		return;
	if (st != PX_HTTP_DONE ||
	    px_http_rewrite(s->fe, s->be, h->buf, head_len, &s->cli, &out, &key, &key_len) < 0) {
		strbuf_free(&out);
		fail_session(s, 400);
		return;
	}
	if (key) {
		s->key = xstrndup(key, key_len);
		s->key_len = key_len;
	}
	/* The rewritten head, then whatever of the body came with it. The
	 * buffer may exceed PX_BUF_SIZE once, here; it drains first. */
	{
		size_t rest = h->len - head_len;
		char *nb = xmalloc(out.len + rest > PX_BUF_SIZE ? out.len + rest : PX_BUF_SIZE);

		memcpy(nb, out.data, out.len);
		memcpy(nb + out.len, h->buf + head_len, rest);
		free(h->buf);
		h->buf = nb;
		h->len = out.len + rest;
		h->off = 0;
	}
	strbuf_free(&out);
	set_events(s, s->cfd, &s->cev, 0);
	start_connect(s);
}

static void on_client(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct px_session *s = arg;

	(void)l;
	(void)fd;
	switch (s->st) {
	case PX_S_HEAD:
		read_head(s);
		return;
	case PX_S_RELAY:
		pump(s, (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0, false);
		return;
	default:
		/* Connecting: the client is not read; a hang-up now is seen
		 * when relaying starts. */
		if (events & (EPOLLERR | EPOLLHUP))
			session_free(s);
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Life                                                                */

void px_session_accept(struct px_worker *w, struct px_proxy *fe, int cfd)
{
	struct px_session *s;
	socklen_t len;
	int one = 1;

	if (!fe->backend) {
		/* No default_backend: nothing can serve it. */
		px_add(&ctr(w, fe->st)->denied, 1);
		if (fe->mode == CFG_MODE_HTTP) {
			const char *msg = px_http_error(503);
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
	s->be = fe->backend;
	s->cfd = cfd;
	s->sfd = -1;
	s->retries_left = s->be->retries;
	len = sizeof(s->cli);
	getpeername(cfd, (struct sockaddr *)&s->cli, &len);
	len = sizeof(s->dst);
	getsockname(cfd, (struct sockaddr *)&s->dst, &len);
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	loop_timer_init(&s->tm, on_timer, s);
	s->next = w->sessions;
	if (w->sessions)
		w->sessions->prev = s;
	w->sessions = s;
	w->n_sessions++;
	px_ctr_open(ctr(w, fe->st));
	if (loop_add_fd(w->loop, cfd, 0, on_client, s) < 0) {
		session_free(s);
		return;
	}
	if (fe->mode == CFG_MODE_HTTP) {
		s->st = PX_S_HEAD;
		set_events(s, cfd, &s->cev, EPOLLIN);
		arm(s, fe->t_http_request >= 0 ? fe->t_http_request : fe->t_client);
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
	queue_remove(s);
	close_server(s);
	srv_release(s);
	if (s->cfd >= 0) {
		loop_del_fd(w->loop, s->cfd);
		close(s->cfd);
	}
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
	free(s->c2s.buf);
	free(s->s2c.buf);
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
		if (s->srv && s->srv->st->slots[w->idx].cut && s->st != PX_S_HEAD)
			session_free(s);
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
