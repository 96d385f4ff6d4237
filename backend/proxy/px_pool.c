/* Idle server connections: after a response that leaves its server
 * connection reusable, the session gives the connection to its worker's
 * pool and keeps nothing (an idle keep-alive client holds no server
 * connection, no buffer). The next request to that server, from any
 * session of the worker, takes it instead of connecting (http-reuse).
 *
 * Bounded per server and worker (pool-max-conn, default PX_POOL_MAX; -1
 * no bound, 0 no pool), each closed after pool-purge-delay idle (default
 * PX_POOL_PURGE_MS; the purge runs at most once a second, or at the
 * shortest delay in use), and closed as soon as the
 * server closes it or sends anything (an idle connection has nothing to
 * say; bytes there would be taken for the next response). A server's
 * identity is its counter block, shared by successive snapshots. */
#include "config.h"

#include "proxy/proxy_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "util/xalloc.h"

struct px_idle {
	struct px_idle *prev, *next;
	struct px_worker *w;
	struct px_stats *st;		/* a reference */
	struct sockaddr_storage addr;	/* where it goes: a reload may keep a
					 * server's name and change its address */
	int fd;
	uint64_t since;
	uint64_t purge_ms;
};

/* Records are kept for reuse, up to the most a busy worker holds at
 * once in practice: a connection goes to the pool and back once per
 * request, and a malloc/free pair per request showed in the profile. */
#define PX_IDLE_SPARE_MAX 256

static struct px_idle *idle_new(struct px_worker *w)
{
	struct px_idle *i = w->idle_spare;

	if (!i)
		return xcalloc(1, sizeof(*i));
	w->idle_spare = i->next;
	w->n_idle_spare--;
	memset(i, 0, sizeof(*i));
	return i;
}

static void idle_release(struct px_worker *w, struct px_idle *i)
{
	if (w->n_idle_spare >= PX_IDLE_SPARE_MAX) {
		free(i);
		return;
	}
	i->next = w->idle_spare;
	w->idle_spare = i;
	w->n_idle_spare++;
}

static void idle_free(struct px_idle *i)
{
	struct px_worker *w = i->w;

	if (i->prev)
		i->prev->next = i->next;
	else
		w->idle = i->next;
	if (i->next)
		i->next->prev = i->prev;
	w->n_idle--;
	i->st->slots[w->idx].n_idle--;
	loop_close_fd(w->loop, i->fd);
	px_stats_unref(i->st);
	idle_release(w, i);
}

static void on_idle(struct loop *l, int fd, uint32_t events, void *arg)
{
	(void)l;
	(void)fd;
	(void)events;
	idle_free(arg);	/* closed by the server, or unexpected bytes */
}

/* How often the purge runs: once a second, or at the shortest delay. */
static uint64_t purge_tick(const struct px_worker *w)
{
	uint64_t t = 1000;

	for (const struct px_idle *i = w->idle; i; i = i->next)
		if (i->purge_ms < t)
			t = i->purge_ms ? i->purge_ms : 1;
	return t;
}

static void on_purge(struct loop *l, struct loop_timer *t, void *arg)
{
	struct px_worker *w = arg;
	uint64_t now = loop_now_ms(l);
	struct px_idle *i, *next;

	(void)t;
	for (i = w->idle; i; i = next) {
		next = i->next;
		if (now - i->since >= i->purge_ms)
			idle_free(i);
	}
	if (w->idle)
		loop_timer_start(l, &w->purge, purge_tick(w));
}

void px_pool_init(struct px_worker *w)
{
	loop_timer_init(&w->purge, on_purge, w);
}

int px_pool_take(struct px_worker *w, const struct px_server *srv)
{
	/* The newest first: the least likely to be closed by the server. */
	for (struct px_idle *i = w->idle; i; i = i->next)
		if (i->st == srv->st && memcmp(&i->addr, &srv->addr, sizeof(i->addr)) == 0) {
			int fd = i->fd;

			i->fd = -1;
			if (i->prev)
				i->prev->next = i->next;
			else
				w->idle = i->next;
			if (i->next)
				i->next->prev = i->prev;
			w->n_idle--;
			i->st->slots[w->idx].n_idle--;
			px_stats_unref(i->st);
			idle_release(w, i);
			return fd;
		}
	return -1;
}

bool px_pool_put(struct px_worker *w, const struct px_server *srv, int fd)
{
	struct px_idle *i;
	size_t n = srv->st->slots[w->idx].n_idle;

	/* A server without a port takes the port each client reached: its
	 * connections are not interchangeable. */
	if ((srv->pool_max >= 0 && n >= (size_t)srv->pool_max) || srv->state != PX_SRV_UP || srv->client_port)
		return false;
	i = idle_new(w);
	i->w = w;
	i->st = srv->st;
	atomic_fetch_add(&i->st->refs, 1);
	i->addr = srv->addr;
	i->fd = fd;
	i->since = loop_now_ms(w->loop);
	i->purge_ms = (uint64_t)srv->pool_purge_ms;
	/* Watched as the session watched it (EPOLLIN: a FIN makes it
	 * readable too, a reset is always reported), so the hand-over costs
	 * no epoll_ctl() either way (two per request before: a tenth of the
	 * proxy's system calls). */
	if (loop_give_fd(w->loop, fd, EPOLLIN, on_idle, i) < 0) {
		px_stats_unref(i->st);
		idle_release(w, i);
		return false;
	}
	i->next = w->idle;
	if (w->idle)
		w->idle->prev = i;
	w->idle = i;
	w->n_idle++;
	i->st->slots[w->idx].n_idle++;
	if (!loop_timer_pending(&w->purge) || i->purge_ms < 1000)
		loop_timer_start(w->loop, &w->purge, purge_tick(w));
	return true;
}

void px_pool_cut(struct px_worker *w, const struct px_snapshot *snap)
{
	struct px_idle *i, *next;

	for (i = w->idle; i; i = next) {
		bool cut = !snap;

		next = i->next;
		for (size_t p = 0; snap && p < snap->n_proxies; p++)
			for (size_t k = 0; k < snap->proxies[p].n_srv; k++)
				if (snap->proxies[p].srv[k].st == i->st &&
				    snap->proxies[p].srv[k].state != PX_SRV_UP)
					cut = true;
		if (cut)
			idle_free(i);
	}
	if (!snap && loop_timer_pending(&w->purge))
		loop_timer_stop(w->loop, &w->purge);
	while (!snap && w->idle_spare) {	/* the worker stops */
		i = w->idle_spare;
		w->idle_spare = i->next;
		free(i);
	}
	if (!snap)
		w->n_idle_spare = 0;
}
