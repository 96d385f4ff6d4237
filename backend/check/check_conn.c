/* Connections shared by the socket checkers: open (bound as configured,
 * non-blocking), the first event, close by RST; and the engine's pool of
 * TCP sockets that checks reuse.
 *
 * Why a pool: at thousands of checks a second most of a TCP check's cost
 * is the kernel's, and a fair part of that is making and destroying the
 * socket itself (file, inode, sock, the epoll watch). A checker that is
 * done once connected (TCP_CHECK, HAProxy's plain check) ends its
 * connection with connect(AF_UNSPEC) instead of close(): the kernel
 * resets the connection exactly as close() with a zero linger does (one
 * RST, no TIME_WAIT), releases the local port, and leaves a closed socket
 * that the next check connects again, still watched by the loop. Measured
 * on a 2-core VM at 10,000 checks a second: 17% less CPU per check on
 * loopback, 27% with the server's side of the work elsewhere. The pool
 * holds no more sockets than were ever in flight at once (capped), so
 * idle targets hold no descriptors. */
#include "config.h"

#include "check/check_int.h"
#include "proxy/px_proxyproto.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* Which pool an address family's sockets go to. */
static struct check_sock_pool *pool_of(struct check_engine *e, int family)
{
	if (family == AF_INET)
		return &e->pools[0];
	if (family == AF_INET6)
		return &e->pools[1];
	return NULL;
}

/* A closed socket from the pool, or -1 when it is empty. */
static int pool_take(struct check_engine *e, int family)
{
	struct check_sock_pool *p = pool_of(e, family);

	if (!p || p->n == 0)
		return -1;
	e->sockets_reused++;
	return p->fd[--p->n];
}

/* Ends the connection on fd by disconnecting it, and keeps the socket for
 * the next check. False when it cannot be kept: the caller closes it. */
static bool pool_put(struct check_engine *e, int fd, int family)
{
	struct check_sock_pool *p = pool_of(e, family);
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int err = 0;
	socklen_t len = sizeof(err);

	if (!p || p->n >= CHECK_POOL_MAX)
		return false;
	/* From now on nothing from this socket reaches t: its one-shot watch
	 * may still fire once, for the disconnect, and is dropped. */
	loop_mute_fd(e->loop, fd);
	if (connect(fd, &unspec, sizeof(unspec)) < 0)
		return false;
	/* Resetting an established connection leaves ECONNRESET pending
	 * (6.1 and 6.18 alike, tests/unit/test_sock_reuse.c); read it now,
	 * or the next check would take it for its own failure. */
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return false;
	p->fd[p->n++] = fd;
	return true;
}

void check_conn_pool_free(struct check_engine *e)
{
	for (size_t i = 0; i < sizeof(e->pools) / sizeof(e->pools[0]); i++) {
		struct check_sock_pool *p = &e->pools[i];

		while (p->n > 0)
			loop_close_fd(e->loop, p->fd[--p->n]);
	}
}

int check_conn_open(struct check_target *t, loop_fd_fn on_event)
{
	struct check_engine *e = t->e;
	/* A socket bound to a source keeps that binding across a disconnect:
	 * such a target opens its own each time. */
	bool pooled = t->ops->reuse_socket && t->def.bind_len == 0;
	uint32_t events = pooled ? EPOLLOUT | EPOLLONESHOT : EPOLLOUT;
	int fd = pooled ? pool_take(e, t->def.addr.ss_family) : -1;
	bool watched = fd >= 0;
	int one = 1;

	if (fd < 0) {
		fd = socket(t->def.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    IPPROTO_TCP);
		if (fd < 0) {
			check_run_end(t, false, CHECK_CODE_SOCKERR, "cannot create a socket: %s",
				      strerror(errno));
			return -1;
		}
		e->sockets_opened++;
	}
	t->fd = fd;
	t->fd_pooled = pooled;
	t->fd_watched = watched;
	t->on_event = on_event;
	if (t->def.bind_len) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (const struct sockaddr *)&t->def.bind, t->def.bind_len) < 0) {
			check_run_end(t, false, CHECK_CODE_SOCKERR, "cannot bind the source: %s",
				      strerror(errno));
			return -1;
		}
	}
	if (connect(fd, (const struct sockaddr *)&t->def.addr, t->def.addr_len) < 0 &&
	    errno != EINPROGRESS) {
		int err = errno;

		check_run_end(t, false,
			      err == EADDRNOTAVAIL || err == EAGAIN ? CHECK_CODE_SOCKERR
								    : CHECK_CODE_L4CON,
			      "connect: %s", strerror(err));
		return -1;
	}
	/* A pooled socket is armed after connect: the watch then reports
	 * this connection's state, whatever the last one left. */
	if ((watched ? loop_rearm_fd(e->loop, fd, events, on_event, t)
		     : loop_add_fd(e->loop, fd, events, on_event, t)) < 0) {
		/* A watch that cannot be changed is not one to keep: the
		 * close forgets it and closes the socket. */
		t->fd_pooled = false;
		check_run_end(t, false, CHECK_CODE_SOCKERR, "cannot watch the socket: %s",
			      strerror(errno));
		return -1;
	}
	t->fd_watched = true;
	loop_timer_start(e->loop, &t->timer, t->def.connect_timeout_ms);
	return 0;
}

bool check_conn_established(struct check_target *t, uint32_t events, bool io_next)
{
	int err = 0;
	socklen_t len = sizeof(err);

	/* Writable without an error is connected: no getsockopt() for the
	 * common case, one system call fewer per check. */
	if ((events & (EPOLLERR | EPOLLHUP)) &&
	    getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		check_run_end(t, false, CHECK_CODE_L4CON, "%s", strerror(err));
		return false;
	}
	t->connected = true;
	if (t->def.send_proxy) {
		/* The PROXY header first, LOCAL (v2) or UNKNOWN (v1): the
		 * server then takes the check's own addresses. A few bytes
		 * on a new connection: the send buffer has room. */
		unsigned char hdr[64];
		size_t n = px_pp_build(t->def.send_proxy, NULL, NULL, hdr, sizeof(hdr));

		if (send(t->fd, hdr, n, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)n) {
			check_run_end(t, false, CHECK_CODE_L4CON, "cannot send the PROXY header: %s",
				      strerror(errno));
			return false;
		}
	}
	if (io_next)
		loop_timer_start(t->e->loop, &t->timer, t->def.io_timeout_ms);
	return true;
}

void check_conn_watch(struct check_target *t, uint32_t events)
{
	if (t->fd >= 0)
		loop_mod_fd(t->e->loop, t->fd, events);
}

void check_conn_close(struct check_target *t, bool reset)
{
	int fd = t->fd;

	if (fd < 0)
		return;
	t->fd = -1;
	/* Only a socket the loop watches can go back: the pool's sockets
	 * keep their watch between uses. */
	if (reset && t->fd_pooled && t->fd_watched &&
	    pool_put(t->e, fd, t->def.addr.ss_family))
		return;
	if (reset) {
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	/* close() drops the epoll watch: no EPOLL_CTL_DEL (the socket is
	 * SOCK_CLOEXEC and never dup'ed, so this is its only reference
	 * but for the instant of a fork of the script helper). */
	loop_close_fd(t->e->loop, fd);
}
