/* Requests from worker sessions to the control plane and their answers
 * (px_svc.h): two kinds of queue, each a list under its own mutex and an
 * eventfd. The engine's queue is read by the control-plane loop; each
 * worker's by that worker's loop (through its existing eventfd). A
 * mutex is held only to link or unlink a list, never while answering. */
#include "config.h"

#include "proxy/px_svc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/daemon.h"
#include "core/log.h"
#include "proxy/proxy_int.h"
#include "util/xalloc.h"

struct px_svc_queue {
	pthread_mutex_t mu;
	struct px_svc_msg *head, *tail;
};

/* The engine's end: requests from every worker. */
struct px_svc_hub {
	struct px_svc_queue q;
	struct px_engine *e;
	int efd;
	bool watched;			/* efd is in the daemon's loop */
};

/* A worker's end: answers for it, and who waits for them. */
struct px_svc_box {
	struct px_svc_queue q;
	struct {
		struct px_session *s;	/* NULL: free */
		uint64_t gen;
	} slot[PX_SVC_INFLIGHT];
	size_t n_used;
	uint64_t next_gen;
};

struct px_svc_msg *px_svc_msg_new(enum px_svc_kind kind)
{
	struct px_svc_msg *m = xcalloc(1, sizeof(*m));

	m->kind = kind;
	strvec_init(&m->servers);
	strbuf_init(&m->body);
	return m;
}

void px_svc_msg_free(struct px_svc_msg *m)
{
	if (!m)
		return;
	free(m->backend);
	free(m->action);
	free(m->who);
	strvec_free(&m->servers);
	strbuf_free(&m->body);
	free(m);
}

static void queue_init(struct px_svc_queue *q)
{
	pthread_mutex_init(&q->mu, NULL);
	q->head = q->tail = NULL;
}

static void queue_push(struct px_svc_queue *q, struct px_svc_msg *m)
{
	m->next = NULL;
	pthread_mutex_lock(&q->mu);
	if (q->tail)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
	pthread_mutex_unlock(&q->mu);
}

/* The whole list, now the caller's. */
static struct px_svc_msg *queue_take(struct px_svc_queue *q)
{
	struct px_svc_msg *m;

	pthread_mutex_lock(&q->mu);
	m = q->head;
	q->head = q->tail = NULL;
	pthread_mutex_unlock(&q->mu);
	return m;
}

static void queue_fini(struct px_svc_queue *q)
{
	struct px_svc_msg *m = queue_take(q);

	while (m) {
		struct px_svc_msg *next = m->next;

		px_svc_msg_free(m);
		m = next;
	}
	pthread_mutex_destroy(&q->mu);
}

static void wake_fd(int fd, const char *who)
{
	uint64_t one = 1;

	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_warn("proxy: %s: eventfd: %s", who, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Control plane                                                       */

static void answer(struct px_engine *e, struct px_svc_msg *m)
{
	struct softlbd *d = e->d;

	switch (m->kind) {
	case PX_SVC_PROMETHEUS:
		/* The metrics module registers its renderer: the proxy knows
		 * no other engine by name. */
		if (d->services.prometheus && d->services.prometheus(d, &m->body) == 0) {
			m->status = 200;
		} else {
			strbuf_reset(&m->body);
			m->status = 503;
		}
		break;
	case PX_SVC_STATS_ADMIN:
		px_page_admin_apply(e, m);
		break;
	}
}

static void on_hub(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct px_svc_hub *h = arg;
	struct px_engine *e = h->e;
	struct px_svc_msg *m;
	uint64_t v;

	(void)l;
	(void)events;
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_warn("proxy: service queue: eventfd: %s", strerror(errno));
	m = queue_take(&h->q);
	while (m) {
		struct px_svc_msg *next = m->next;
		struct px_worker *w = m->worker < e->n_workers ? &e->workers[m->worker] : NULL;

		answer(e, m);
		if (w && w->svc) {
			queue_push(&w->svc->q, m);
			wake_fd(w->efd, "service answer");
		} else {
			px_svc_msg_free(m);
		}
		m = next;
	}
}

int px_svc_init(struct px_engine *e, struct strbuf *err)
{
	struct px_svc_hub *h = xcalloc(1, sizeof(*h));

	queue_init(&h->q);
	h->e = e;
	e->svc = h;
	h->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (h->efd < 0 || loop_add_fd(e->d->loop, h->efd, EPOLLIN, on_hub, h) < 0) {
		strbuf_printf(err, "proxy: service queue: %s", strerror(errno));
		return -1;
	}
	h->watched = true;
	for (size_t i = 0; i < e->n_workers; i++) {
		struct px_svc_box *b = xcalloc(1, sizeof(*b));

		queue_init(&b->q);
		e->workers[i].svc = b;
		e->workers[i].hub = h;
	}
	return 0;
}

void px_svc_fini(struct px_engine *e)
{
	struct px_svc_hub *h = e->svc;

	for (size_t i = 0; e->workers && i < e->n_workers; i++) {
		struct px_svc_box *b = e->workers[i].svc;

		if (!b)
			continue;
		queue_fini(&b->q);
		free(b);
		e->workers[i].svc = NULL;
		e->workers[i].hub = NULL;
	}
	if (!h)
		return;
	if (h->watched)
		loop_del_fd(e->d->loop, h->efd);
	if (h->efd >= 0)
		close(h->efd);
	queue_fini(&h->q);
	free(h);
	e->svc = NULL;
}

/* ------------------------------------------------------------------ */
/* Worker                                                              */

bool px_svc_post(struct px_worker *w, struct px_session *s, struct px_svc_msg *m,
		 uint32_t *slot)
{
	struct px_svc_box *b = w->svc;
	uint32_t i;

	if (!b || !w->hub || b->n_used >= PX_SVC_INFLIGHT)
		return false;
	for (i = 0; i < PX_SVC_INFLIGHT && b->slot[i].s; i++)
		;
	b->slot[i].s = s;
	b->slot[i].gen = ++b->next_gen;
	b->n_used++;
	m->worker = w->idx;
	m->slot = i;
	m->gen = b->slot[i].gen;
	*slot = i;
	queue_push(&w->hub->q, m);
	wake_fd(w->hub->efd, "service request");
	return true;
}

void px_svc_forget(struct px_worker *w, const struct px_session *s, uint32_t slot)
{
	struct px_svc_box *b = w->svc;

	if (!b || slot >= PX_SVC_INFLIGHT || b->slot[slot].s != s)
		return;
	b->slot[slot].s = NULL;
	b->n_used--;
}

void px_svc_drain(struct px_worker *w)
{
	struct px_svc_msg *m;

	if (!w->svc)
		return;
	m = queue_take(&w->svc->q);
	while (m) {
		struct px_svc_msg *next = m->next;
		struct px_svc_box *b = w->svc;
		struct px_session *s = NULL;

		if (m->slot < PX_SVC_INFLIGHT && b->slot[m->slot].s && b->slot[m->slot].gen == m->gen) {
			s = b->slot[m->slot].s;
			b->slot[m->slot].s = NULL;
			b->n_used--;
		}
		if (s)
			px_session_svc_done(s, m);
		else
			px_svc_msg_free(m);	/* its session ended while it waited */
		m = next;
	}
}

size_t px_svc_inflight(const struct px_worker *w)
{
	return w->svc ? w->svc->n_used : 0;
}
