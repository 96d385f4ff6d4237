/* lvs_reconcile: makes the kernel's IPVS table what softlbd wants, touching
 * only what differs and deleting only what softlbd owns.
 *
 * A pass reads the kernel (one dump of services, one of real servers per
 * service we want), then:
 *   - a wanted service or real server missing from the kernel is added
 *     (logged as drift repaired when it was there at the previous pass);
 *   - one that differs is changed in place (IPVS_CMD_SET_*: a weight
 *     change keeps connections and counters);
 *   - one that matches is adopted: at start, nothing is flushed, so a
 *     restart of softlbd drops no connection;
 *   - an owned service no longer wanted is deleted; an owned real server no
 *     longer configured is drained (weight 0) and deleted once its active
 *     connections reach 0 or the drain timeout passes;
 *   - anything else in the kernel (made by hand, by another tool) is left
 *     alone.
 * The same rules serve lvs_reconcile_keys(), which reads and edits only
 * the services a change touched (the changed set's flush), service by
 * service instead of from one dump of all.
 */
#include "config.h"

#include "lvs/lvs_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/daemon.h"
#include "core/events.h"
#include "core/log.h"
#include "lvs/ipvs.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------------ */
/* Ownership                                                           */

static const struct ipvs_service_key *owned_key_at(const void *arr, size_t i)
{
	return &((const struct lvs_owned *)arr)[i].key;
}

static const struct ipvs_service_key *svc_key_at(const void *arr, size_t i)
{
	return &((const struct ipvs_service *)arr)[i].key;
}

/* The live ownership record of key, or NULL. */
static struct lvs_owned *owned_find(struct lvs_engine *e, const struct ipvs_service_key *key)
{
	long i = lvs_index_find(&e->owned_idx, e->owned, owned_key_at, key);

	return i < 0 || e->owned[i].dead ? NULL : &e->owned[i];
}

/* Takes ownership of key (a new record, or a dead one revived). */
static struct lvs_owned *owned_get(struct lvs_engine *e, const struct ipvs_service_key *key)
{
	long i = lvs_index_find(&e->owned_idx, e->owned, owned_key_at, key);
	struct lvs_owned *o;

	if (i >= 0) {
		o = &e->owned[i];
		if (o->dead) {
			o->dead = false;
			o->seen = false;
			o->n_dests = 0;
			e->owned_dead--;
		}
		return o;
	}
	if (e->n_owned == e->cap_owned) {
		e->cap_owned = e->cap_owned ? e->cap_owned * 2 : 16;
		e->owned = xreallocarray(e->owned, e->cap_owned, sizeof(*e->owned));
	}
	o = &e->owned[e->n_owned++];
	memset(o, 0, sizeof(*o));
	o->key = *key;
	lvs_index_add(&e->owned_idx, e->owned, e->n_owned - 1, owned_key_at);
	return o;
}

static void owned_drop(struct lvs_engine *e, struct lvs_owned *o)
{
	o->dead = true;
	o->n_dests = 0;
	e->owned_dead++;
}

/* Removes dead records and re-indexes, once a pass. */
static void owned_compact(struct lvs_engine *e)
{
	size_t j = 0;

	if (!e->owned_dead)
		return;
	for (size_t i = 0; i < e->n_owned; i++) {
		if (e->owned[i].dead) {
			free(e->owned[i].dests);
			continue;
		}
		e->owned[j++] = e->owned[i];
	}
	e->n_owned = j;
	e->owned_dead = 0;
	lvs_index_build(&e->owned_idx, e->owned, e->n_owned, owned_key_at);
}

void lvs_owned_free(struct lvs_engine *e)
{
	for (size_t i = 0; i < e->n_owned; i++)
		free(e->owned[i].dests);
	free(e->owned);
	e->owned = NULL;
	e->n_owned = e->cap_owned = e->owned_dead = 0;
	lvs_index_free(&e->owned_idx);
	free(e->drains);
	e->drains = NULL;
	e->n_drains = e->cap_drains = 0;
}

bool lvs_dest_is(const struct ipvs_dest *d, const struct lvs_dest_id *id)
{
	return d->af == id->af && d->port == id->port &&
	       memcmp(d->addr.raw, id->addr.raw, d->af == AF_INET6 ? 16 : 4) == 0;
}

static void dest_id(struct lvs_dest_id *id, const struct ipvs_dest *d)
{
	memset(id, 0, sizeof(*id));
	id->af = d->af;
	id->addr = d->addr;
	id->port = d->port;
}

static struct lvs_dest_id *owned_dest_find(struct lvs_owned *o, const struct ipvs_dest *d)
{
	for (size_t i = 0; o && i < o->n_dests; i++)
		if (lvs_dest_is(d, &o->dests[i]))
			return &o->dests[i];
	return NULL;
}

static struct lvs_dest_id *owned_dest_get(struct lvs_owned *o, const struct ipvs_dest *d)
{
	struct lvs_dest_id *id = owned_dest_find(o, d);

	if (id)
		return id;
	if (o->n_dests == o->cap_dests) {
		o->cap_dests = o->cap_dests ? o->cap_dests * 2 : 4;
		o->dests = xreallocarray(o->dests, o->cap_dests, sizeof(*o->dests));
	}
	id = &o->dests[o->n_dests++];
	dest_id(id, d);
	return id;
}

static void owned_dest_drop(struct lvs_owned *o, const struct ipvs_dest *d)
{
	struct lvs_dest_id *id = owned_dest_find(o, d);

	if (id)
		*id = o->dests[--o->n_dests];
}

/* ------------------------------------------------------------------ */
/* Drains                                                              */

const struct lvs_drain *lvs_drain_find(const struct lvs_engine *e,
				       const struct ipvs_service_key *key,
				       const struct lvs_dest_id *dest)
{
	for (size_t i = 0; i < e->n_drains; i++) {
		const struct lvs_drain *dr = &e->drains[i];

		if (lvs_key_equal(&dr->key, key) && dr->dest.af == dest->af &&
		    dr->dest.port == dest->port &&
		    memcmp(dr->dest.addr.raw, dest->addr.raw, 16) == 0)
			return dr;
	}
	return NULL;
}

static struct lvs_drain *drain_of(struct lvs_engine *e, const struct ipvs_service_key *key,
				  const struct ipvs_dest *d)
{
	struct lvs_dest_id id;

	dest_id(&id, d);
	return (struct lvs_drain *)lvs_drain_find(e, key, &id);
}

static void drain_remove(struct lvs_engine *e, struct lvs_drain *dr)
{
	*dr = e->drains[--e->n_drains];
}

/* Forgets every drain of a service (deleted, or gone from the kernel). */
static void drains_forget_service(struct lvs_engine *e, const struct ipvs_service_key *key)
{
	for (size_t i = 0; i < e->n_drains;) {
		if (lvs_key_equal(&e->drains[i].key, key))
			drain_remove(e, &e->drains[i]);
		else
			i++;
	}
}

/* ------------------------------------------------------------------ */
/* Comparing                                                           */

static bool svc_differs(const struct ipvs_service *w, const struct ipvs_service *k)
{
	if (strcmp(w->sched_name, k->sched_name) != 0 || strcmp(w->pe_name, k->pe_name) != 0)
		return true;
	if ((w->flags & IPVS_SVC_F_USER_MASK) != (k->flags & IPVS_SVC_F_USER_MASK))
		return true;
	return (w->flags & IPVS_SVC_F_PERSISTENT) &&
	       (w->timeout != k->timeout || w->prefix != k->prefix);
}

static bool dest_differs(const struct ipvs_dest *w, const struct ipvs_dest *k)
{
	if (w->fwd != k->fwd || w->weight != k->weight || w->u_threshold != k->u_threshold ||
	    w->l_threshold != k->l_threshold)
		return true;
	return w->fwd == IPVS_FWD_TUNNEL &&
	       (w->tun_type != k->tun_type || w->tun_port != k->tun_port ||
		w->tun_flags != k->tun_flags);
}

/* ", tunnel gue port 6081 csum" for a TUN dest, "" otherwise: the edit
 * log names the tunnel, since a changed one is edited in place too. */
static const char *tunnel_text(const struct ipvs_dest *d, char buf[64])
{
	static const char *const types[] = { "ipip", "gue", "gre" };

	if (d->fwd != IPVS_FWD_TUNNEL)
		return "";
	snprintf(buf, 64, ", tunnel %s", d->tun_type < 3 ? types[d->tun_type] : "?");
	if (d->tun_type == IPVS_TUN_GUE)
		snprintf(buf + strlen(buf), 64 - strlen(buf), " port %u", d->tun_port);
	if (d->tun_flags & IPVS_TUN_F_REMCSUM)
		snprintf(buf + strlen(buf), 64 - strlen(buf), " remcsum");
	else if (d->tun_flags & IPVS_TUN_F_CSUM)
		snprintf(buf + strlen(buf), 64 - strlen(buf), " csum");
	return buf;
}

static const char *dest_text(const struct ipvs_dest *d, char buf[64])
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(d->af, d->addr.raw, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, 64, d->af == AF_INET6 ? "[%s]:%u" : "%s:%u", a, d->port);
	return buf;
}

/* One event in the daemon's journal: "vs KEY" or "rs KEY DEST". */
static void journal(struct lvs_engine *e, enum event_kind kind, const char *object,
		    const char *from, const char *to, const char *why)
{
	struct event_spec spec = { .engine = EVENT_LVS, .kind = kind, .object = object,
				   .old_state = from, .new_state = to, .reason = why };

	if (e->d)
		events_add(e->d->events, &spec);
}

/* Records a kernel refusal: in strict mode it ends the pass; otherwise it
 * is logged and kept for show status. Returns -1 when strict. */
static int refused(struct lvs_engine *e, bool strict, struct strbuf *msg, struct strbuf *err)
{
	char *nl;

	snprintf(e->last_error, sizeof(e->last_error), "%s", strbuf_str(msg));
	nl = strchr(e->last_error, '\n');
	if (nl)
		*nl = '\0';
	journal(e, EVENT_ERROR, "lvs", NULL, "refused by the kernel", e->last_error);
	/* Freed, not reset: many callers return at once (the buffer may
	 * still be used after, empty). */
	if (strict) {
		strbuf_puts(err, e->last_error);
		strbuf_free(msg);
		return -1;
	}
	log_err("%s", e->last_error);
	strbuf_free(msg);
	return 0;
}

/* The routine lines of a pass (a service or real server added or
 * adopted): the first LVS_ROUTINE_LOG_MAX at their level, the rest at
 * debug level only, counted in one line at the end of the pass. A start
 * with 10,000 services wrote 10,000 "added" lines, and a restart that
 * adopts them 50,000 "adopted" ones, that said no more than their count.
 * Repairs, changes, drains and errors are always logged. */
#define LVS_ROUTINE_LOG_MAX 100

/* The level to write the next routine line at, or -1 to skip it; counts
 * it either way. Callers test it before they format the line's names, so
 * the quiet ones (tens of thousands at a start) cost nothing. */
static int routine_prio(struct lvs_engine *e, int prio)
{
	if (e->routine_logged < LVS_ROUTINE_LOG_MAX) {
		e->routine_logged++;
		return prio;
	}
	e->routine_quiet++;
	return log_enabled(LOG_DEBUG) ? LOG_DEBUG : -1;
}

/* ------------------------------------------------------------------ */
/* Real servers                                                        */

/* Drains or deletes one owned real server that the configuration no
 * longer has. */
static int retire_dest(struct lvs_engine *e, struct lvs_owned *o, const struct ipvs_dest *kd,
		       bool strict, struct strbuf *err)
{
	struct strbuf msg = STRBUF_INIT;
	struct lvs_drain *dr = drain_of(e, &o->key, kd);
	uint64_t now = loop_now_ms(e->d->loop);
	char k[IPVS_KEY_STRLEN], dt[64];
	bool del = false;

	ipvs_key_format(&o->key, k);
	dest_text(kd, dt);
	if (!dr && kd->active_conns == 0) {
		log_notice("real server %s of %s no longer configured, no active connections: "
			   "deleted", dt, k);
		del = true;
	} else if (!dr) {
		struct ipvs_dest zero = *kd;

		zero.weight = 0;
		if (kd->weight != 0 && ipvs_edit_dest(e->h, &o->key, &zero, &msg) < 0)
			return refused(e, strict, &msg, err);
		if (e->n_drains == e->cap_drains) {
			e->cap_drains = e->cap_drains ? e->cap_drains * 2 : 4;
			e->drains = xreallocarray(e->drains, e->cap_drains, sizeof(*e->drains));
		}
		dr = &e->drains[e->n_drains++];
		memset(dr, 0, sizeof(*dr));
		dr->key = o->key;
		dest_id(&dr->dest, kd);
		dr->started_ms = now;
		dr->deadline_ms = now + e->drain_timeout_ms;
		dr->start_active = dr->active = kd->active_conns;
		log_notice("real server %s of %s no longer configured: draining %u active "
			   "connections (weight 0, at most %llu s)", dt, k, kd->active_conns,
			   (unsigned long long)(e->drain_timeout_ms / 1000));
		return 0;
	} else {
		dr->active = kd->active_conns;
		if (kd->active_conns == 0) {
			log_notice("real server %s of %s drained after %llu s: deleted", dt, k,
				   (unsigned long long)((now - dr->started_ms) / 1000));
			del = true;
		} else if (now >= dr->deadline_ms) {
			log_notice("real server %s of %s: drain timeout after %llu s with %u "
				   "active connections: deleted", dt, k,
				   (unsigned long long)((now - dr->started_ms) / 1000),
				   kd->active_conns);
			del = true;
		} else if (kd->weight != 0) {
			struct ipvs_dest zero = *kd;

			zero.weight = 0;
			log_warn("real server %s of %s is draining but has weight %d: back to 0",
				 dt, k, kd->weight);
			if (ipvs_edit_dest(e->h, &o->key, &zero, &msg) < 0)
				return refused(e, strict, &msg, err);
		}
	}
	if (!del)
		return 0;
	if (ipvs_del_dest(e->h, &o->key, kd, &msg) < 0 && strstr(strbuf_str(&msg), "No such") == NULL)
		return refused(e, strict, &msg, err);
	strbuf_free(&msg);
	if (dr)
		drain_remove(e, dr);
	owned_dest_drop(o, kd);
	return 0;
}

/* Reconciles the real servers of one service that is in the kernel. */
static int reconcile_dests(struct lvs_engine *e, struct lvs_svc_want *s,
			   struct lvs_owned *o, bool strict, bool first, struct strbuf *err)
{
	struct strbuf msg = STRBUF_INIT;
	struct ipvs_dest *kd = NULL;
	size_t nk = 0;
	bool *matched;
	char k[IPVS_KEY_STRLEN], dt[64], tt[64];
	int rc = 0, prio;

	if (ipvs_list_dests(e->h, &s->svc.key, &kd, &nk, &msg) < 0)
		return refused(e, strict, &msg, err);
	/* k and dt are written only for a line to log: a timer pass
	 * compares up to 1,000 services and their real servers. */
	matched = xcalloc(nk + 1, sizeof(*matched));
	/* Drains whose real server left the kernel by other hands. */
	for (size_t i = 0; i < e->n_drains;) {
		struct lvs_drain *dr = &e->drains[i];
		bool there = false;

		for (size_t j = 0; j < nk && !there; j++)
			there = lvs_dest_is(&kd[j], &dr->dest);
		if (lvs_key_equal(&dr->key, &s->svc.key) && !there)
			drain_remove(e, dr);
		else
			i++;
	}
	for (size_t i = 0; i < s->n_dests && rc == 0; i++) {
		struct lvs_dest_want *dw = &s->dests[i];
		struct lvs_dest_id *od;
		struct lvs_drain *dr;
		long j = -1;

		for (size_t x = 0; x < nk && j < 0; x++)
			if (!matched[x] && kd[x].af == dw->dest.af && kd[x].port == dw->dest.port &&
			    memcmp(kd[x].addr.raw, dw->dest.addr.raw, 16) == 0)
				j = (long)x;
		if (j >= 0) {
			matched[j] = true;
			/* What the kernel counted, kept for readers of the
			 * engine's state (SNMP); never compared. */
			dw->dest.active_conns = kd[j].active_conns;
			dw->dest.inact_conns = kd[j].inact_conns;
			dw->dest.persist_conns = kd[j].persist_conns;
			dw->dest.stats = kd[j].stats;
		}
		dr = drain_of(e, &s->svc.key, &dw->dest);
		if (dr)
			drain_remove(e, dr);	/* configured again */
		if (dw->absent) {
			if (j >= 0) {
				if (ipvs_del_dest(e->h, &s->svc.key, &kd[j], &msg) < 0)
					rc = refused(e, strict, &msg, err);
				else
					log_notice("real server %s of %s %s: removed",
						   dest_text(&dw->dest, dt),
						   ipvs_key_format(&s->svc.key, k),
						   dw->state == LVS_RS_DOWN ? "down" : "disabled");
			}
			owned_dest_drop(o, &dw->dest);
			continue;
		}
		od = owned_dest_find(o, &dw->dest);
		if (j < 0) {
			if (ipvs_add_dest(e->h, &s->svc.key, &dw->dest, &msg) < 0) {
				rc = refused(e, strict, &msg, err);
				continue;
			}
			if (od && od->seen) {
				log_warn("real server %s of %s missing from the kernel: re-added",
					 dest_text(&dw->dest, dt), ipvs_key_format(&s->svc.key, k));
				e->repairs++;
				{
					char obj[200];

					snprintf(obj, sizeof(obj), "rs %s %s",
						 ipvs_key_format(&s->svc.key, k),
						 dest_text(&dw->dest, dt));
					journal(e, EVENT_DRIFT, obj, "missing", "re-added",
						"missing from the kernel");
				}
			} else {
				if ((prio = routine_prio(e, LOG_INFO)) >= 0)
					log_msg(prio, "real server %s of %s added (weight %d)",
						dest_text(&dw->dest, dt),
						ipvs_key_format(&s->svc.key, k), dw->dest.weight);
			}
		} else if (dest_differs(&dw->dest, &kd[j])) {
			if (ipvs_edit_dest(e->h, &s->svc.key, &dw->dest, &msg) < 0) {
				rc = refused(e, strict, &msg, err);
				continue;
			}
			log_notice("real server %s of %s changed in place: weight %d -> %d%s",
				   dest_text(&dw->dest, dt), ipvs_key_format(&s->svc.key, k),
				   kd[j].weight, dw->dest.weight, tunnel_text(&dw->dest, tt));
		} else if (first && !od) {
			if ((prio = routine_prio(e, LOG_INFO)) >= 0)
				log_msg(prio, "real server %s of %s adopted from the kernel",
					dest_text(&dw->dest, dt), ipvs_key_format(&s->svc.key, k));
		}
		owned_dest_get(o, &dw->dest)->seen = true;
	}
	for (size_t x = 0; x < nk && rc == 0; x++) {
		if (matched[x] || !owned_dest_find(o, &kd[x]))
			continue;	/* wanted, or not ours */
		rc = retire_dest(e, o, &kd[x], strict, err);
	}
	free(matched);
	free(kd);
	strbuf_free(&msg);
	return rc;
}

/* ------------------------------------------------------------------ */
/* New services, batched                                               */

/* A service missing from the kernel is added with all its real servers
 * through a batch (ipvs_batch.c): at start that is every service, and one
 * request per sendmsg made programming 10,000 services slower than
 * ipvsadm -R. The results are read back in order, each refusal logged
 * (or, strict, the first one returned) with its object's name. */
enum pending_kind {
	PENDING_SVC = 0,	/* add want.svcs[svc] */
	PENDING_DEST = 1,	/* add its dests[dest] */
};

struct pending {
	enum pending_kind kind;
	size_t svc, dest;
};

struct adder {
	struct ipvs_batch *b;	/* NULL until a service needs adding */
	struct pending p[IPVS_BATCH_OPS];
};

/* Sends what is queued and keeps the books from the answers: a service
 * added becomes owned, each real server added is recorded. The real
 * servers of a service the kernel refused fail too (no such service)
 * and are not reported again. Returns 0, or -1 after a strict refusal
 * (the books are still kept for every request that succeeded, so that a
 * rollback deletes them). */
static int adder_flush(struct lvs_engine *e, struct adder *a, bool strict, struct strbuf *err)
{
	struct strbuf msg = STRBUF_INIT;
	size_t n, refused_svc = SIZE_MAX;
	int rc = 0, prio;

	if (!a->b || !(n = ipvs_batch_count(a->b)))
		return 0;
	ipvs_batch_send(a->b);
	for (size_t i = 0; i < n; i++) {
		const struct pending *p = &a->p[i];
		const struct lvs_svc_want *s = &e->want.svcs[p->svc];
		struct lvs_owned *o;
		char k[IPVS_KEY_STRLEN];

		if (p->kind == PENDING_DEST && p->svc == refused_svc)
			continue;
		if (ipvs_batch_result(a->b, i, &msg) < 0) {
			if (p->kind == PENDING_SVC)
				refused_svc = p->svc;
			if (rc == 0)
				rc = refused(e, strict, &msg, err);
			strbuf_reset(&msg);
			continue;
		}
		if (p->kind == PENDING_DEST) {
			o = owned_find(e, &s->svc.key);
			if (o)
				owned_dest_get(o, &s->dests[p->dest].dest)->seen = true;
			continue;
		}
		o = owned_find(e, &s->svc.key);
		if (o && o->seen) {
			log_warn("service %s missing from the kernel: re-added",
				 ipvs_key_format(&s->svc.key, k));
			e->repairs++;
			{
				char obj[160];

				snprintf(obj, sizeof(obj), "vs %s", ipvs_key_format(&s->svc.key, k));
				journal(e, EVENT_DRIFT, obj, "missing", "re-added",
					"missing from the kernel");
			}
		} else {
			if ((prio = routine_prio(e, LOG_INFO)) >= 0)
				log_msg(prio, "service %s added (%s)",
					ipvs_key_format(&s->svc.key, k), s->svc.sched_name);
		}
		o = owned_get(e, &s->svc.key);
		o->seen = true;
		o->n_dests = 0;
	}
	ipvs_batch_reset(a->b);
	strbuf_free(&msg);
	return rc;
}

/* Queues one request's bookkeeping, flushing first when the batch is
 * full. Returns the flush's result. */
static int adder_room(struct lvs_engine *e, struct adder *a, bool strict, struct strbuf *err)
{
	if (!a->b)
		a->b = ipvs_batch_new(e->h);
	if (ipvs_batch_room(a->b))
		return 0;
	return adder_flush(e, a, strict, err);
}

/* Queues want.svcs[i] and its real servers (a service before its real
 * servers, in the order sent). */
static int adder_add(struct lvs_engine *e, struct adder *a, size_t i, bool strict,
		     struct strbuf *err)
{
	const struct lvs_svc_want *s = &e->want.svcs[i];
	size_t op;

	if (adder_room(e, a, strict, err) < 0)
		return -1;
	op = ipvs_batch_add_service(a->b, &s->svc);
	a->p[op] = (struct pending){ PENDING_SVC, i, 0 };
	for (size_t j = 0; j < s->n_dests; j++) {
		if (s->dests[j].absent)
			continue;
		if (adder_room(e, a, strict, err) < 0)
			return -1;
		op = ipvs_batch_add_dest(a->b, &s->svc.key, &s->dests[j].dest);
		a->p[op] = (struct pending){ PENDING_DEST, i, j };
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Timeouts and the sync daemon                                        */

static int reconcile_timeouts(struct lvs_engine *e, bool strict, struct strbuf *err)
{
	const struct ipvs_timeouts *w = &e->want.timeouts;
	struct strbuf msg = STRBUF_INIT;
	struct ipvs_timeouts k;

	if (!w->tcp && !w->tcp_fin && !w->udp)
		return 0;
	if (ipvs_get_timeouts(e->h, &k, &msg) < 0)
		return refused(e, strict, &msg, err);
	if ((w->tcp && w->tcp != k.tcp) || (w->tcp_fin && w->tcp_fin != k.tcp_fin) ||
	    (w->udp && w->udp != k.udp)) {
		if (ipvs_set_timeouts(e->h, w, &msg) < 0)
			return refused(e, strict, &msg, err);
		log_notice("IPVS timeouts set: tcp %u tcpfin %u udp %u", w->tcp ? w->tcp : k.tcp,
			   w->tcp_fin ? w->tcp_fin : k.tcp_fin, w->udp ? w->udp : k.udp);
	}
	strbuf_free(&msg);
	return 0;
}

static bool daemon_matches(const struct ipvs_daemon *w, const struct ipvs_daemon *k)
{
	return w->state == k->state && strcmp(w->mcast_ifn, k->mcast_ifn) == 0 &&
	       w->syncid == k->syncid && (!w->sync_maxlen || w->sync_maxlen == k->sync_maxlen) &&
	       (!w->mcast_port || w->mcast_port == k->mcast_port) &&
	       (!w->mcast_ttl || w->mcast_ttl == k->mcast_ttl);
}

static int reconcile_daemon(struct lvs_engine *e, bool strict, struct strbuf *err)
{
	const struct ipvs_daemon *w = &e->want.daemon;
	struct strbuf msg = STRBUF_INIT;
	struct ipvs_daemon k[2];
	size_t n = 0;
	bool have = false;

	if (!e->want.want_daemon && !e->daemon_owned)
		return 0;
	if (ipvs_list_daemons(e->h, k, &n, &msg) < 0)
		return refused(e, strict, &msg, err);
	for (size_t i = 0; i < n; i++) {
		if (e->want.want_daemon && daemon_matches(w, &k[i])) {
			have = true;
			continue;
		}
		/* Ours but no longer as wanted (other role, other
		 * parameters, or none at all), or in the way of the one
		 * wanted: stop it. */
		if (e->daemon_owned || (e->want.want_daemon && k[i].state == w->state)) {
			if (ipvs_stop_daemon(e->h, k[i].state, &msg) < 0)
				return refused(e, strict, &msg, err);
			log_notice("IPVS %s sync daemon on %s stopped",
				   k[i].state == IPVS_DAEMON_MASTER ? "master" : "backup",
				   k[i].mcast_ifn);
		}
	}
	e->daemon_owned = have;
	if (!e->want.want_daemon || have) {
		strbuf_free(&msg);
		return 0;
	}
	if (ipvs_start_daemon(e->h, w, &msg) < 0)
		return refused(e, strict, &msg, err);
	e->daemon_owned = true;
	log_notice("IPVS %s sync daemon started on %s (syncid %u)",
		   w->state == IPVS_DAEMON_MASTER ? "master" : "backup", w->mcast_ifn, w->syncid);
	strbuf_free(&msg);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The pass                                                            */

/* True when a drain of some real server of key is in progress. */
static bool draining_in(const struct lvs_engine *e, const struct ipvs_service_key *key)
{
	for (size_t i = 0; i < e->n_drains; i++)
		if (lvs_key_equal(&e->drains[i].key, key))
			return true;
	return false;
}

/* One wanted service (want.svcs[i]) that is in the kernel as k: owned
 * from now on (adopted if it was not), edited in place when it differs,
 * and, with dests, its real servers read and brought in line. */
static int sync_service(struct lvs_engine *e, size_t i, const struct ipvs_service *k,
			bool dests, bool strict, bool first, struct strbuf *err)
{
	struct lvs_svc_want *s = &e->want.svcs[i];
	struct lvs_owned *o = owned_find(e, &s->svc.key);
	struct strbuf msg = STRBUF_INIT;
	char kt[IPVS_KEY_STRLEN];
	int prio;

	s->svc.stats = k->stats;	/* kept for readers (SNMP) */
	if (!o && (prio = routine_prio(e, LOG_NOTICE)) >= 0)
		log_msg(prio, "service %s adopted from the kernel",
			ipvs_key_format(&s->svc.key, kt));
	o = owned_get(e, &s->svc.key);
	o->seen = true;
	if (svc_differs(&s->svc, k)) {
		if (ipvs_edit_service(e->h, &s->svc, &msg) < 0) {
			int rc = refused(e, strict, &msg, err);

			strbuf_free(&msg);
			return rc;
		}
		log_notice("service %s changed in place (%s%s%s%s)",
			   ipvs_key_format(&s->svc.key, kt), s->svc.sched_name,
			   s->svc.flags & IPVS_SVC_F_PERSISTENT ? ", persistent" : "",
			   s->svc.pe_name[0] ? ", pe " : "", s->svc.pe_name);
	}
	strbuf_free(&msg);
	return dests ? reconcile_dests(e, s, o, strict, first, err) : 0;
}

/* An owned service no longer wanted: deleted from the kernel when it is
 * there (in_kernel), forgotten either way. */
static int retire_service(struct lvs_engine *e, struct lvs_owned *o, bool in_kernel,
			  bool strict, struct strbuf *err)
{
	struct strbuf msg = STRBUF_INIT;
	char kt[IPVS_KEY_STRLEN];

	if (in_kernel) {
		if (ipvs_del_service(e->h, &o->key, &msg) < 0 &&
		    strstr(strbuf_str(&msg), "no such service") == NULL) {
			int rc = refused(e, strict, &msg, err);

			strbuf_free(&msg);
			return rc;
		}
		log_notice("service %s no longer configured: deleted", ipvs_key_format(&o->key, kt));
	}
	strbuf_free(&msg);
	drains_forget_service(e, &o->key);
	owned_drop(e, o);
	return 0;
}

/* The pass; budget bounds the services whose real servers are read (0:
 * all of them), counted from e->dest_cursor. */
static int pass(struct lvs_engine *e, bool strict, bool first, size_t budget,
		struct strbuf *err);

int lvs_reconcile(struct lvs_engine *e, bool strict, bool first, struct strbuf *err)
{
	return pass(e, strict, first, 0, err);
}

int lvs_reconcile_some(struct lvs_engine *e, struct strbuf *err)
{
	return pass(e, false, false, LVS_DEST_CHECKS_PER_PASS, err);
}

static int pass(struct lvs_engine *e, bool strict, bool first, size_t budget,
		struct strbuf *err)
{
	struct strbuf msg = STRBUF_INIT;
	struct ipvs_service *ks = NULL;
	struct lvs_index kidx = { 0 };
	struct adder add;
	uint64_t t0, t1, t2;
	size_t nk = 0;
	int rc = 0;

	if (!e->h)
		return 0;
	t0 = loop_update_time(e->d->loop);
	e->routine_logged = e->routine_quiet = 0;
	e->last_error[0] = '\0';
	if (ipvs_list_services(e->h, &ks, &nk, &msg) < 0) {
		rc = refused(e, strict, &msg, err);
		strbuf_free(&msg);
		return rc;
	}
	t1 = loop_update_time(e->d->loop);
	lvs_index_build(&kidx, ks, nk, svc_key_at);
	add.b = NULL;
	if (e->dest_cursor >= e->want.n_svcs)
		e->dest_cursor = 0;	/* the configuration shrank */
	for (size_t i = 0; i < e->want.n_svcs && rc == 0; i++) {
		struct lvs_svc_want *s = &e->want.svcs[i];
		long j = lvs_index_find(&kidx, ks, svc_key_at, &s->svc.key);
		bool dests;

		if (j < 0) {
			rc = adder_add(e, &add, i, strict, err);
			continue;
		}
		dests = !(budget && e->want.n_svcs > budget &&
			  (i + e->want.n_svcs - e->dest_cursor) % e->want.n_svcs >= budget &&
			  !draining_in(e, &s->svc.key));
		/* Otherwise its turn comes in a later pass. */
		rc = sync_service(e, i, &ks[j], dests, strict, first, err);
	}
	if (budget && e->want.n_svcs > budget)
		e->dest_cursor = (e->dest_cursor + budget) % e->want.n_svcs;
	/* The services still queued; after a strict refusal they are
	 * dropped unsent (nothing to roll back). */
	t2 = loop_update_time(e->d->loop);
	if (rc == 0)
		rc = adder_flush(e, &add, strict, err);
	ipvs_batch_free(add.b);
	/* Owned services no longer wanted. */
	for (size_t i = 0; i < e->n_owned && rc == 0; i++) {
		struct lvs_owned *o = &e->owned[i];

		if (o->dead || lvs_desired_find(&e->want, &o->key))
			continue;
		rc = retire_service(e, o, lvs_index_find(&kidx, ks, svc_key_at, &o->key) >= 0,
				    strict, err);
	}
	owned_compact(e);
	if (rc == 0)
		rc = reconcile_timeouts(e, strict, err);
	if (rc == 0)
		rc = reconcile_daemon(e, strict, err);
	e->passes++;
	if (e->routine_quiet)
		log_notice("LVS: %zu more services and real servers added or adopted "
			   "(softlbd -v logs each)", e->routine_quiet);
	/* Where a pass over 10,000 services spends its time, for -v. */
	log_debug("LVS pass: %zu kernel services read in %llu ms, %zu wanted compared and added in %llu ms, "
		  "the rest (last batch, deletions, timeouts, daemon) %llu ms", nk,
		  (unsigned long long)(t1 - t0), e->want.n_svcs, (unsigned long long)(t2 - t1),
		  (unsigned long long)(loop_update_time(e->d->loop) - t2));
	lvs_index_free(&kidx);
	free(ks);
	strbuf_free(&msg);
	return rc;
}

int lvs_reconcile_timeouts(struct lvs_engine *e, bool strict, struct strbuf *err)
{
	return e->h ? reconcile_timeouts(e, strict, err) : 0;
}

int lvs_reconcile_daemon(struct lvs_engine *e, bool strict, struct strbuf *err)
{
	return e->h ? reconcile_daemon(e, strict, err) : 0;
}

/* Above this many services, one dump of every service costs less than a
 * get for each (a dump fills 32 KiB skbs with ~150 services each). */
#define KEYS_GET_MAX 64

int lvs_reconcile_keys(struct lvs_engine *e, const struct ipvs_service_key *keys, size_t n,
		       bool strict, struct strbuf *err)
{
	struct strbuf msg = STRBUF_INIT;
	struct ipvs_service *ks = NULL;
	struct lvs_index kidx = { 0 };
	struct adder add = { .b = NULL };
	size_t nk = 0;
	bool dump = n > KEYS_GET_MAX;
	int rc = 0;

	if (!e->h || !n)
		return 0;
	e->routine_logged = e->routine_quiet = 0;
	if (dump) {
		if (ipvs_list_services(e->h, &ks, &nk, &msg) < 0) {
			rc = refused(e, strict, &msg, err);
			strbuf_free(&msg);
			return rc;
		}
		lvs_index_build(&kidx, ks, nk, svc_key_at);
	}
	for (size_t x = 0; x < n && rc == 0; x++) {
		struct lvs_svc_want *s = lvs_desired_find(&e->want, &keys[x]);
		struct ipvs_service one, *k = NULL;
		struct lvs_owned *o;

		if (dump) {
			long j = lvs_index_find(&kidx, ks, svc_key_at, &keys[x]);

			k = j >= 0 ? &ks[j] : NULL;
		} else if (!s && !owned_find(e, &keys[x])) {
			continue;	/* neither wanted nor ours: not read */
		} else {
			int r = ipvs_get_service(e->h, &keys[x], &one, &msg);

			if (r == 0) {
				k = &one;
			} else if (r != -ESRCH && r != -ENOENT) {
				rc = refused(e, strict, &msg, err);
				continue;
			}
			strbuf_reset(&msg);
		}
		if (s) {
			size_t i = (size_t)(s - e->want.svcs);

			rc = k ? sync_service(e, i, k, true, strict, false, err)
			       : adder_add(e, &add, i, strict, err);
			continue;
		}
		o = owned_find(e, &keys[x]);
		if (o)
			rc = retire_service(e, o, k != NULL, strict, err);
	}
	if (rc == 0)
		rc = adder_flush(e, &add, strict, err);
	ipvs_batch_free(add.b);
	owned_compact(e);
	if (e->routine_quiet)
		log_notice("LVS: %zu more services and real servers added or adopted "
			   "(softlbd -v logs each)", e->routine_quiet);
	lvs_index_free(&kidx);
	free(ks);
	strbuf_free(&msg);
	return rc;
}
