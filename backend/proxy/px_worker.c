/* A worker thread: its own event loop, a mailbox for snapshots, the
 * listener sockets of its current snapshot, and the sessions it accepted.
 * Nothing here is touched by another thread except the mailbox, the stop
 * flag and the eventfd (and the counters, read-only from outside). */
#include "config.h"

#include "proxy/proxy_int.h"
#include "proxy/px_svc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Sessions now on this worker against the limits of fe (the frontend's
 * maxconn and the global one). */
static bool fe_full(const struct px_worker *w, const struct px_proxy *fe)
{
	const struct px_snapshot *s = w->snap;
	uint64_t cur = px_ld(&fe->st->slots[w->idx].cur);

	if (fe->maxconn > 0 && cur >= (uint64_t)fe->maxconn)
		return true;
	return s->global_maxconn > 0 && w->n_sessions >= (size_t)s->global_maxconn;
}

static void on_accept(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct px_watch *wa = arg;
	struct px_worker *w = wa->w;

	(void)l;
	(void)events;
	/* A bounded batch, so one busy listener cannot starve the rest. */
	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage peer;
		socklen_t peer_len;
		int cfd;

		if (fe_full(w, wa->fe)) {
			/* The kernel's accept queue holds the rest until a
			 * session ends (HAProxy's frontend maxconn). */
			loop_mod_fd(w->loop, fd, 0);
			wa->paused = true;
			return;
		}
		/* The peer's address comes with the accept: no getpeername()
		 * per connection. */
		peer_len = sizeof(peer);
		cfd = accept4(fd, (struct sockaddr *)&peer, &peer_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				/* Out of descriptors: stop accepting (else epoll
				 * reports the listener forever) until a session
				 * ends and frees one. */
				log_warn("proxy %s: accept: %s; pausing until a session ends",
					 wa->fe->name, strerror(errno));
				loop_mod_fd(w->loop, fd, 0);
				wa->paused = true;
			}
			return;
		}
		px_session_accept(w, wa->fe, cfd, &peer, peer_len, wa->accept_proxy, wa->tls);
	}
}

void px_worker_resume_listeners(struct px_worker *w)
{
	for (size_t i = 0; i < w->n_watches; i++) {
		struct px_watch *wa = w->watches[i];

		if (wa->paused && !fe_full(w, wa->fe)) {
			wa->paused = false;
			loop_mod_fd(w->loop, wa->fd, EPOLLIN);
		}
	}
}

/* Moves the worker to snapshot s: keeps the listeners that stay, watches
 * the new ones, forgets the removed ones, cuts sessions of servers now
 * in maintenance, then drops the old snapshot. */
static void switch_snapshot(struct px_worker *w, struct px_snapshot *s)
{
	struct px_watch **nw = xcalloc(s->n_binds ? s->n_binds : 1, sizeof(*nw));
	struct px_snapshot *old = w->snap;

	for (size_t i = 0; i < w->n_watches; i++)
		w->watches[i]->keep = false;
	for (size_t b = 0; b < s->n_binds; b++) {
		struct px_watch *wa = NULL;

		for (size_t i = 0; i < w->n_watches && !wa; i++)
			if (w->watches[i]->l == s->binds[b].l)
				wa = w->watches[i];
		if (!wa) {
			wa = xcalloc(1, sizeof(*wa));
			wa->w = w;
			wa->l = s->binds[b].l;
			wa->fd = wa->l->fds[w->idx];
			if (loop_add_fd(w->loop, wa->fd, EPOLLIN, on_accept, wa) < 0)
				log_err("proxy: cannot watch %s: %s", wa->l->key, strerror(errno));
		}
		wa->keep = true;
		wa->fe = s->binds[b].fe;
		wa->accept_proxy = s->binds[b].accept_proxy;
		wa->tls = s->binds[b].tls;
		nw[b] = wa;
	}
	for (size_t i = 0; i < w->n_watches; i++) {
		if (w->watches[i]->keep)
			continue;
		loop_del_fd(w->loop, w->watches[i]->fd);
		free(w->watches[i]);
	}
	free(w->watches);
	w->watches = nw;
	w->n_watches = s->n_binds;
	w->snap = s;
	atomic_store(&w->gen, s->gen);
	px_session_cut_maint(w);
	px_pool_cut(w, s);
	px_worker_resume_listeners(w);
	/* Listeners closed by this unref are no longer in our epoll. */
	px_snapshot_unref(old);
}

static void on_wake(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct px_worker *w = arg;
	struct px_snapshot *s;
	uint64_t v;

	(void)events;
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_warn("proxy worker %zu: eventfd: %s", w->idx, strerror(errno));
	s = atomic_exchange(&w->mailbox, NULL);
	if (s)
		switch_snapshot(w, s);
	/* Answers of the control plane to sessions waiting (px_svc.h). */
	px_svc_drain(w);
	if (atomic_load(&w->stop))
		loop_stop(l);
}

static void *worker_main(void *arg)
{
	struct px_worker *w = arg;
	char name[16];

	snprintf(name, sizeof(name), "softlbd-px%zu", w->idx);
	pthread_setname_np(pthread_self(), name);
	on_wake(w->loop, w->efd, EPOLLIN, w);
	if (!atomic_load(&w->stop))
		loop_run(w->loop);
	/* Stopping: sessions and listeners go now. */
	px_session_free_all(w);
	px_pool_cut(w, NULL);
	px_pipe_free_all(w);
	px_logger_close(&w->log);
	while (w->n_bufs)
		free(w->bufs[--w->n_bufs]);
	for (size_t i = 0; i < w->n_watches; i++) {
		loop_del_fd(w->loop, w->watches[i]->fd);
		free(w->watches[i]);
	}
	free(w->watches);
	w->watches = NULL;
	w->n_watches = 0;
	px_snapshot_unref(w->snap);
	w->snap = NULL;
	return NULL;
}

int px_worker_start(struct px_engine *e, size_t idx, struct strbuf *err)
{
	struct px_worker *w = &e->workers[idx];
	sigset_t all, old;
	int rc;

	w->idx = idx;
	w->n_workers = e->n_workers;
	w->rng = 0x9e3779b97f4a7c15ull ^ (idx + 1);
	atomic_init(&w->mailbox, NULL);
	atomic_init(&w->stop, false);
	atomic_init(&w->gen, 0);
	w->loop = loop_new();
	px_pool_init(w);
	px_logger_init(&w->log);
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (!w->loop || w->efd < 0 || loop_add_fd(w->loop, w->efd, EPOLLIN, on_wake, w) < 0) {
		strbuf_printf(err, "proxy worker %zu: %s", idx, strerror(errno));
		return -1;
	}
	/* An empty snapshot to start with, so w->snap is never NULL. */
	w->snap = xcalloc(1, sizeof(*w->snap));
	atomic_init(&w->snap->refs, 1);
	/* Signals stay with the control plane. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		strbuf_printf(err, "proxy worker %zu: pthread_create: %s", idx, strerror(rc));
		return -1;
	}
	w->started = true;
	return 0;
}

static void wake(struct px_worker *w)
{
	uint64_t one = 1;

	if (write(w->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_warn("proxy worker %zu: eventfd: %s", w->idx, strerror(errno));
}

void px_worker_post(struct px_worker *w, struct px_snapshot *s)
{
	/* A snapshot the worker has not taken yet is replaced: only the
	 * newest matters. */
	px_snapshot_unref(atomic_exchange(&w->mailbox, s));
	wake(w);
}

void px_worker_stop(struct px_worker *w)
{
	if (w->started) {
		atomic_store(&w->stop, true);
		wake(w);
		pthread_join(w->thread, NULL);
		w->started = false;
	} else if (w->snap) {
		px_snapshot_unref(w->snap);
		w->snap = NULL;
	}
	px_snapshot_unref(atomic_exchange(&w->mailbox, NULL));
	if (w->loop) {
		if (w->efd >= 0)
			loop_del_fd(w->loop, w->efd);
		loop_free(w->loop);
		w->loop = NULL;
	}
	if (w->efd >= 0)
		close(w->efd);
	w->efd = -1;
}
