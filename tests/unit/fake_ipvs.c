/* fake_ipvs: see fake_ipvs.h. Implements every function of
 * backend/lvs/ipvs.h but the helpers of ipvs_util.c. */
#include "config.h"

#include "fake_ipvs.h"
#include "lvs/ipvs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct fake_svc {
	struct ipvs_service svc;
	struct ipvs_dest *dests;
	size_t n, cap;
};

/* The table: one per process, as the kernel's (see fake_ipvs.h). */
static struct {
	struct fake_svc *svcs;
	size_t n, cap;
	struct ipvs_timeouts to;
	struct ipvs_daemon daemons[2];
	size_t n_daemons;
	bool unavailable;
	char refuse_sched[IPVS_SCHED_NAME_MAX + 1];
	unsigned long count[FAKE_OPS];
	unsigned long others;
	bool watching;
	struct ipvs_service_key watched;
} K;

struct ipvs {
	struct ipvs_counters c;
};

static bool same_key(const struct ipvs_service_key *a, const struct ipvs_service_key *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       memcmp(a->addr.raw, b->addr.raw, 16) == 0;
}

static bool same_dest(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	return a->af == b->af && a->port == b->port && memcmp(a->addr.raw, b->addr.raw, 16) == 0;
}

/* Counts one request of op about key (NULL: about every service). */
static void count(struct ipvs *h, enum fake_ipvs_op op, const struct ipvs_service_key *key)
{
	K.count[op]++;
	if (h)
		h->c.requests++;
	if (K.watching && (!key || !same_key(key, &K.watched)))
		K.others++;
}

static struct fake_svc *find(const struct ipvs_service_key *key)
{
	for (size_t i = 0; i < K.n; i++)
		if (same_key(&K.svcs[i].svc.key, key))
			return &K.svcs[i];
	return NULL;
}

static int fail(struct strbuf *err, const char *verb, const struct ipvs_service_key *key, int rc)
{
	char k[IPVS_KEY_STRLEN];

	strbuf_printf(err, "ipvs: %s service %s: %s\n", verb, ipvs_key_format(key, k),
		      rc == -ESRCH ? "no such service" : rc == -EEXIST ? "already exists"
		      : rc == -ENOENT ? "no such scheduler or persistence engine"
		      : strerror(-rc));
	return rc;
}

/* ------------------------------------------------------------------ */
/* The test's side                                                     */

void fake_ipvs_reset(void)
{
	for (size_t i = 0; i < K.n; i++)
		free(K.svcs[i].dests);
	free(K.svcs);
	memset(&K, 0, sizeof(K));
}

void fake_ipvs_set_unavailable(bool unavailable)
{
	K.unavailable = unavailable;
}

void fake_ipvs_refuse_scheduler(const char *name)
{
	snprintf(K.refuse_sched, sizeof(K.refuse_sched), "%s", name ? name : "");
}

unsigned long fake_ipvs_count(enum fake_ipvs_op op)
{
	return K.count[op];
}

unsigned long fake_ipvs_total(void)
{
	unsigned long n = 0;

	for (int i = 0; i < FAKE_OPS; i++)
		n += K.count[i];
	return n;
}

unsigned long fake_ipvs_count_others(void)
{
	return K.others;
}

void fake_ipvs_watch(const struct ipvs_service_key *key)
{
	K.watching = key != NULL;
	if (key)
		K.watched = *key;
}

void fake_ipvs_clear_counts(void)
{
	memset(K.count, 0, sizeof(K.count));
	K.others = 0;
}

size_t fake_ipvs_n_services(void)
{
	return K.n;
}

const struct ipvs_service *fake_ipvs_service(const struct ipvs_service_key *key)
{
	struct fake_svc *s = find(key);

	return s ? &s->svc : NULL;
}

size_t fake_ipvs_n_dests(const struct ipvs_service_key *key)
{
	struct fake_svc *s = find(key);

	return s ? s->n : 0;
}

struct ipvs_dest *fake_ipvs_dest(const struct ipvs_service_key *key, const struct ipvs_dest *d)
{
	struct fake_svc *s = find(key);

	for (size_t i = 0; s && i < s->n; i++)
		if (same_dest(&s->dests[i], d))
			return &s->dests[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The table's operations, as the kernel's                             */

static int svc_add(const struct ipvs_service *svc)
{
	struct fake_svc *s;

	if (find(&svc->key))
		return -EEXIST;
	if (K.refuse_sched[0] && strcmp(svc->sched_name, K.refuse_sched) == 0)
		return -ENOENT;
	if (K.n == K.cap) {
		K.cap = K.cap ? K.cap * 2 : 64;
		K.svcs = xreallocarray(K.svcs, K.cap, sizeof(*K.svcs));
	}
	s = &K.svcs[K.n++];
	memset(s, 0, sizeof(*s));
	s->svc = *svc;
	s->svc.flags |= IPVS_SVC_F_HASHED;
	memset(&s->svc.stats, 0, sizeof(s->svc.stats));
	return 0;
}

static int svc_edit(const struct ipvs_service *svc)
{
	struct fake_svc *s = find(&svc->key);
	struct ipvs_stats st;

	if (!s)
		return -ESRCH;
	if (K.refuse_sched[0] && strcmp(svc->sched_name, K.refuse_sched) == 0)
		return -ENOENT;
	st = s->svc.stats;
	s->svc = *svc;
	s->svc.flags |= IPVS_SVC_F_HASHED;
	s->svc.stats = st;
	return 0;
}

static int svc_del(const struct ipvs_service_key *key)
{
	struct fake_svc *s = find(key);

	if (!s)
		return -ESRCH;
	free(s->dests);
	*s = K.svcs[--K.n];
	return 0;
}

static int dest_add(const struct ipvs_service_key *key, const struct ipvs_dest *d)
{
	struct fake_svc *s = find(key);
	struct ipvs_dest *nd;

	if (!s)
		return -ESRCH;
	for (size_t i = 0; i < s->n; i++)
		if (same_dest(&s->dests[i], d))
			return -EEXIST;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4;
		s->dests = xreallocarray(s->dests, s->cap, sizeof(*s->dests));
	}
	nd = &s->dests[s->n++];
	*nd = *d;
	nd->active_conns = nd->inact_conns = nd->persist_conns = 0;
	memset(&nd->stats, 0, sizeof(nd->stats));
	return 0;
}

static int dest_edit(const struct ipvs_service_key *key, const struct ipvs_dest *d)
{
	struct fake_svc *s = find(key);
	struct ipvs_dest *od;
	struct ipvs_dest keep;

	if (!s)
		return -ESRCH;
	if (!(od = fake_ipvs_dest(key, d)))
		return -ENOENT;
	keep = *od;
	*od = *d;
	od->active_conns = keep.active_conns;
	od->inact_conns = keep.inact_conns;
	od->persist_conns = keep.persist_conns;
	od->stats = keep.stats;
	return 0;
}

static int dest_del(const struct ipvs_service_key *key, const struct ipvs_dest *d)
{
	struct fake_svc *s = find(key);
	struct ipvs_dest *od;

	if (!s)
		return -ESRCH;
	if (!(od = fake_ipvs_dest(key, d)))
		return -ENOENT;
	*od = s->dests[--s->n];
	return 0;
}

const struct ipvs_timeouts *fake_ipvs_timeouts(void)
{
	return &K.to;
}

int fake_ipvs_put_service(const struct ipvs_service *svc)
{
	return svc_add(svc);
}

int fake_ipvs_put_dest(const struct ipvs_service_key *key, const struct ipvs_dest *d)
{
	return dest_add(key, d);
}

/* ------------------------------------------------------------------ */
/* ipvs.h                                                              */

int ipvs_open(struct ipvs **out, struct strbuf *err)
{
	if (K.unavailable) {
		strbuf_puts(err, "IPVS unavailable: load the ip_vs module (modprobe ip_vs)\n");
		return -ENOENT;
	}
	*out = xcalloc(1, sizeof(**out));
	return 0;
}

void ipvs_close(struct ipvs *h)
{
	free(h);
}

int ipvs_fd(const struct ipvs *h)
{
	(void)h;
	return -1;
}

void ipvs_get_counters(const struct ipvs *h, struct ipvs_counters *c)
{
	*c = h->c;
}

int ipvs_get_info(struct ipvs *h, struct ipvs_info *info, struct strbuf *err)
{
	(void)err;
	count(h, FAKE_INFO, NULL);
	info->version = 0x010201;
	info->conn_tab_size = 4096;
	return 0;
}

int ipvs_list_services(struct ipvs *h, struct ipvs_service **svcs, size_t *n,
		       struct strbuf *err)
{
	(void)err;
	count(h, FAKE_LIST_SERVICES, NULL);
	*n = K.n;
	*svcs = NULL;
	if (K.n) {
		*svcs = xreallocarray(NULL, K.n, sizeof(**svcs));
		for (size_t i = 0; i < K.n; i++)
			(*svcs)[i] = K.svcs[i].svc;
	}
	h->c.services_listed += K.n;
	return 0;
}

int ipvs_get_service(struct ipvs *h, const struct ipvs_service_key *key,
		     struct ipvs_service *svc, struct strbuf *err)
{
	struct fake_svc *s = find(key);

	count(h, FAKE_GET_SERVICE, key);
	if (!s)
		return fail(err, "get", key, -ESRCH);
	*svc = s->svc;
	h->c.services_listed++;
	return 0;
}

int ipvs_list_dests(struct ipvs *h, const struct ipvs_service_key *key,
		    struct ipvs_dest **dests, size_t *n, struct strbuf *err)
{
	struct fake_svc *s = find(key);

	count(h, FAKE_LIST_DESTS, key);
	h->c.dest_lists++;
	*dests = NULL;
	*n = 0;
	if (!s)
		return fail(err, "list real servers of", key, -ESRCH);
	if (s->n) {
		*dests = xreallocarray(NULL, s->n, sizeof(**dests));
		memcpy(*dests, s->dests, s->n * sizeof(**dests));
	}
	*n = s->n;
	return 0;
}

int ipvs_add_service(struct ipvs *h, const struct ipvs_service *svc, struct strbuf *err)
{
	int rc;

	count(h, FAKE_ADD_SERVICE, &svc->key);
	rc = svc_add(svc);
	return rc < 0 ? fail(err, "add", &svc->key, rc) : 0;
}

int ipvs_edit_service(struct ipvs *h, const struct ipvs_service *svc, struct strbuf *err)
{
	int rc;

	count(h, FAKE_EDIT_SERVICE, &svc->key);
	rc = svc_edit(svc);
	return rc < 0 ? fail(err, "edit", &svc->key, rc) : 0;
}

int ipvs_del_service(struct ipvs *h, const struct ipvs_service_key *key, struct strbuf *err)
{
	int rc;

	count(h, FAKE_DEL_SERVICE, key);
	rc = svc_del(key);
	return rc < 0 ? fail(err, "delete", key, rc) : 0;
}

static int dest_fail(struct strbuf *err, const char *verb, const struct ipvs_service_key *key,
		     int rc)
{
	if (rc == -ENOENT) {
		char k[IPVS_KEY_STRLEN];

		strbuf_printf(err, "ipvs: %s real server of %s: no such real server\n", verb,
			      ipvs_key_format(key, k));
		return rc;
	}
	return fail(err, verb, key, rc);
}

int ipvs_add_dest(struct ipvs *h, const struct ipvs_service_key *key,
		  const struct ipvs_dest *dest, struct strbuf *err)
{
	int rc;

	count(h, FAKE_ADD_DEST, key);
	rc = dest_add(key, dest);
	return rc < 0 ? dest_fail(err, "add", key, rc) : 0;
}

int ipvs_edit_dest(struct ipvs *h, const struct ipvs_service_key *key,
		   const struct ipvs_dest *dest, struct strbuf *err)
{
	int rc;

	count(h, FAKE_EDIT_DEST, key);
	rc = dest_edit(key, dest);
	return rc < 0 ? dest_fail(err, "edit", key, rc) : 0;
}

int ipvs_del_dest(struct ipvs *h, const struct ipvs_service_key *key,
		  const struct ipvs_dest *dest, struct strbuf *err)
{
	int rc;

	count(h, FAKE_DEL_DEST, key);
	rc = dest_del(key, dest);
	return rc < 0 ? dest_fail(err, "delete", key, rc) : 0;
}

int ipvs_get_timeouts(struct ipvs *h, struct ipvs_timeouts *t, struct strbuf *err)
{
	(void)err;
	count(h, FAKE_TIMEOUTS, NULL);
	*t = K.to;
	return 0;
}

int ipvs_set_timeouts(struct ipvs *h, const struct ipvs_timeouts *t, struct strbuf *err)
{
	(void)err;
	count(h, FAKE_TIMEOUTS, NULL);
	if (t->tcp)
		K.to.tcp = t->tcp;
	if (t->tcp_fin)
		K.to.tcp_fin = t->tcp_fin;
	if (t->udp)
		K.to.udp = t->udp;
	return 0;
}

int ipvs_start_daemon(struct ipvs *h, const struct ipvs_daemon *d, struct strbuf *err)
{
	count(h, FAKE_DAEMON, NULL);
	for (size_t i = 0; i < K.n_daemons; i++) {
		if (K.daemons[i].state == d->state) {
			strbuf_puts(err, "ipvs: start daemon: already exists\n");
			return -EEXIST;
		}
	}
	K.daemons[K.n_daemons++] = *d;
	return 0;
}

int ipvs_stop_daemon(struct ipvs *h, uint32_t state, struct strbuf *err)
{
	count(h, FAKE_DAEMON, NULL);
	for (size_t i = 0; i < K.n_daemons; i++) {
		if (K.daemons[i].state == state) {
			K.daemons[i] = K.daemons[--K.n_daemons];
			return 0;
		}
	}
	strbuf_puts(err, "ipvs: stop daemon: no such process\n");
	return -ESRCH;
}

int ipvs_list_daemons(struct ipvs *h, struct ipvs_daemon d[2], size_t *n, struct strbuf *err)
{
	(void)err;
	count(h, FAKE_DAEMON, NULL);
	memcpy(d, K.daemons, sizeof(K.daemons));
	*n = K.n_daemons;
	return 0;
}

int ipvs_zero(struct ipvs *h, const struct ipvs_service_key *key, struct strbuf *err)
{
	(void)err;
	count(h, FAKE_OTHER, key);
	return 0;
}

int ipvs_flush(struct ipvs *h, struct strbuf *err)
{
	(void)err;
	count(h, FAKE_OTHER, NULL);
	for (size_t i = 0; i < K.n; i++)
		free(K.svcs[i].dests);
	K.n = 0;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Batches: queued, then run in order at send, each counted as the one
 * request it is in the kernel. */

enum batch_kind { B_ADD_SVC, B_EDIT_SVC, B_ADD_DEST, B_EDIT_DEST, B_DEL_DEST };

struct batch_op {
	enum batch_kind kind;
	struct ipvs_service svc;	/* services */
	struct ipvs_service_key key;	/* real servers */
	struct ipvs_dest dest;
	int rc;
};

struct ipvs_batch {
	struct ipvs *h;
	struct batch_op ops[IPVS_BATCH_OPS];
	size_t n;
};

struct ipvs_batch *ipvs_batch_new(struct ipvs *h)
{
	struct ipvs_batch *b = xcalloc(1, sizeof(*b));

	b->h = h;
	return b;
}

void ipvs_batch_free(struct ipvs_batch *b)
{
	free(b);
}

bool ipvs_batch_room(const struct ipvs_batch *b)
{
	return b->n < IPVS_BATCH_OPS;
}

size_t ipvs_batch_count(const struct ipvs_batch *b)
{
	return b->n;
}

static size_t queue(struct ipvs_batch *b, enum batch_kind kind, const struct ipvs_service *svc,
		    const struct ipvs_service_key *key, const struct ipvs_dest *d)
{
	struct batch_op *op;

	if (!ipvs_batch_room(b))
		abort();
	op = &b->ops[b->n];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	if (svc)
		op->svc = *svc;
	if (key)
		op->key = *key;
	if (d)
		op->dest = *d;
	return b->n++;
}

size_t ipvs_batch_add_service(struct ipvs_batch *b, const struct ipvs_service *svc)
{
	return queue(b, B_ADD_SVC, svc, NULL, NULL);
}

size_t ipvs_batch_edit_service(struct ipvs_batch *b, const struct ipvs_service *svc)
{
	return queue(b, B_EDIT_SVC, svc, NULL, NULL);
}

size_t ipvs_batch_add_dest(struct ipvs_batch *b, const struct ipvs_service_key *key,
			   const struct ipvs_dest *dest)
{
	return queue(b, B_ADD_DEST, NULL, key, dest);
}

size_t ipvs_batch_edit_dest(struct ipvs_batch *b, const struct ipvs_service_key *key,
			    const struct ipvs_dest *dest)
{
	return queue(b, B_EDIT_DEST, NULL, key, dest);
}

size_t ipvs_batch_del_dest(struct ipvs_batch *b, const struct ipvs_service_key *key,
			   const struct ipvs_dest *dest)
{
	return queue(b, B_DEL_DEST, NULL, key, dest);
}

size_t ipvs_batch_send(struct ipvs_batch *b)
{
	size_t failed = 0;

	for (size_t i = 0; i < b->n; i++) {
		struct batch_op *op = &b->ops[i];

		switch (op->kind) {
		case B_ADD_SVC:
			count(b->h, FAKE_ADD_SERVICE, &op->svc.key);
			op->rc = svc_add(&op->svc);
			break;
		case B_EDIT_SVC:
			count(b->h, FAKE_EDIT_SERVICE, &op->svc.key);
			op->rc = svc_edit(&op->svc);
			break;
		case B_ADD_DEST:
			count(b->h, FAKE_ADD_DEST, &op->key);
			op->rc = dest_add(&op->key, &op->dest);
			break;
		case B_EDIT_DEST:
			count(b->h, FAKE_EDIT_DEST, &op->key);
			op->rc = dest_edit(&op->key, &op->dest);
			break;
		case B_DEL_DEST:
			count(b->h, FAKE_DEL_DEST, &op->key);
			op->rc = dest_del(&op->key, &op->dest);
			break;
		}
		failed += op->rc != 0;
	}
	return failed;
}

int ipvs_batch_result(const struct ipvs_batch *b, size_t i, struct strbuf *err)
{
	const struct batch_op *op = &b->ops[i];
	static const char *const verbs[] = { "add", "edit", "add", "edit", "delete" };

	if (op->rc == 0)
		return 0;
	if (op->kind == B_ADD_SVC || op->kind == B_EDIT_SVC)
		return fail(err, verbs[op->kind], &op->svc.key, op->rc);
	return dest_fail(err, verbs[op->kind], &op->key, op->rc);
}

void ipvs_batch_reset(struct ipvs_batch *b)
{
	b->n = 0;
}
