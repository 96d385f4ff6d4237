/* px_svc.h: requests from a worker-thread session to the control plane,
 * and their answers (px_svc.c).
 *
 * Some answers a session gives need the control plane: the Prometheus
 * text (metrics_render() reads every engine through the show commands)
 * and the stats page's admin actions (runtime_set() journals and audits
 * them). Neither thread may block on the other, and they share no
 * mutable state: a session posts a message to the engine's queue and
 * waits in its own state; the control plane answers into the same
 * message and posts it back to the worker's queue. Each queue is a list
 * under its own mutex plus an eventfd that wakes the loop reading it.
 *
 * Ownership moves with the message: the worker's until posted, the
 * control plane's until answered, the worker's again after. A session
 * that ends while it waits gives up its slot; the answer, when it comes,
 * finds the slot's generation changed and is freed (slot and generation
 * are what match an answer to its session, never a pointer).
 *
 *     session                 worker queue          engine queue / control plane
 *     px_svc_post() --------------------------------> on_hub(): answer()
 *        (PX_S_SVC)             <-------------------- px_svc_reply (worker efd)
 *     px_svc_drain() -> px_session_svc_done(s, msg)
 */
#ifndef SOFTLB_PROXY_PX_SVC_H
#define SOFTLB_PROXY_PX_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"
#include "util/strvec.h"

struct px_engine;
struct px_worker;
struct px_session;
struct strbuf;

/* Requests one worker may have waiting at once; one more is answered
 * 503 by the session (px_svc_post() returns false). */
#define PX_SVC_INFLIGHT 8

enum px_svc_kind {
	PX_SVC_PROMETHEUS = 0,	/* use-service prometheus-exporter */
	PX_SVC_STATS_ADMIN = 1,	/* a stats page admin POST (px_page_admin.c) */
};

struct px_svc_msg {
	struct px_svc_msg *next;	/* in the queue it sits in */
	enum px_svc_kind kind;
	size_t worker;			/* who asked: answered on its queue */
	uint32_t slot;			/* the session's slot on that worker */
	uint64_t gen;			/* the slot's generation when it asked */
	/* PX_SVC_STATS_ADMIN's arguments, decoded (owned) */
	char *backend;			/* b=: a name, or "#ID" */
	char *action;			/* action= */
	struct strvec servers;		/* every s= */
	char *who;			/* the journal's user: "stats-page 127.0.0.1 bob" */
	/* The answer, written by the control plane. */
	int status;			/* PROMETHEUS: 200, or 503 (no metrics module) */
	struct strbuf body;		/* PROMETHEUS: the samples */
	const char *st;			/* STATS_ADMIN: HAProxy's st= code ("DONE" ...) */
};

/* A message of kind, owned by the caller (px_svc_msg_free()). */
struct px_svc_msg *px_svc_msg_new(enum px_svc_kind kind);
void px_svc_msg_free(struct px_svc_msg *m);

/* Engine side (control plane). px_svc_init() before the workers start:
 * the engine's queue and its eventfd in the daemon's loop; each worker
 * gets its queue and slots. Returns 0, or -1 with the reason in err.
 * px_svc_fini() after the workers stopped: frees what is still queued
 * either way. */
int px_svc_init(struct px_engine *e, struct strbuf *err);
void px_svc_fini(struct px_engine *e);

/* Worker side. Posts m (ownership passes) for session s, which then
 * waits; its slot is in *slot. False when the worker already has
 * PX_SVC_INFLIGHT requests waiting: m stays the caller's. */
bool px_svc_post(struct px_worker *w, struct px_session *s, struct px_svc_msg *m,
		 uint32_t *slot);
/* Session s ends or stops waiting in slot: its answer will be dropped
 * (nothing happens when the slot is no longer s's). */
void px_svc_forget(struct px_worker *w, const struct px_session *s, uint32_t slot);
/* The worker's eventfd fired: hands every answer that came to its
 * session (px_session_svc_done(), which takes the message), freeing
 * those whose session is gone. */
void px_svc_drain(struct px_worker *w);
/* Requests waiting on this worker (show proxy detail, tests). */
size_t px_svc_inflight(const struct px_worker *w);

/* px_session.c: the answer to s's request (ownership passes). */
void px_session_svc_done(struct px_session *s, struct px_svc_msg *m);

/* The control plane's answer to a stats admin request (px_page_admin.c):
 * checks the backend, the action and each server against the running
 * snapshot, applies what it can through runtime_set(), and sets m->st. */
void px_page_admin_apply(struct px_engine *e, struct px_svc_msg *m);

#endif
