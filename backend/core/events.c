#include "config.h"

#include "core/events.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

#define MAX_SUBSCRIBERS 8

struct event_journal {
	struct event *ring;
	size_t cap;
	uint64_t next_seq;	/* the next event's number */
	uint64_t oldest;	/* the oldest held, 0 when empty */
	struct {
		event_fn fn;
		void *arg;
	} subs[MAX_SUBSCRIBERS];
	size_t n_subs;
};

static const char *const engine_names[EVENT_ENGINE_COUNT] = {
	[EVENT_CORE] = "core",
	[EVENT_CONFIG] = "config",
	[EVENT_RUNTIME] = "runtime",
	[EVENT_CHECK] = "check",
	[EVENT_VRRP] = "vrrp",
	[EVENT_LVS] = "lvs",
	[EVENT_PROXY] = "proxy",
	[EVENT_SNMP] = "snmp",
};

static const char *const kind_names[EVENT_KIND_COUNT] = {
	[EVENT_HEALTH] = "health",
	[EVENT_STATE] = "state",
	[EVENT_APPLY] = "apply",
	[EVENT_DRIFT] = "drift",
	[EVENT_RELOAD] = "reload",
	[EVENT_EDIT] = "edit",
	[EVENT_OVERRIDE] = "override",
	[EVENT_ERROR] = "error",
};

const char *event_engine_name(enum event_engine e)
{
	return (unsigned)e < EVENT_ENGINE_COUNT ? engine_names[e] : "?";
}

const char *event_kind_name(enum event_kind k)
{
	return (unsigned)k < EVENT_KIND_COUNT ? kind_names[k] : "?";
}

enum event_engine event_engine_parse(const char *name)
{
	for (int e = 0; e < EVENT_ENGINE_COUNT; e++)
		if (strcmp(engine_names[e], name) == 0)
			return (enum event_engine)e;
	return EVENT_ENGINE_COUNT;
}

struct event_journal *events_new(size_t capacity)
{
	struct event_journal *j = xcalloc(1, sizeof(*j));

	j->cap = capacity ? capacity : 1;
	j->ring = xcalloc(j->cap, sizeof(*j->ring));
	j->next_seq = 1;
	return j;
}

static void event_clear(struct event *ev)
{
	free(ev->object);
	free(ev->old_state);
	free(ev->new_state);
	free(ev->reason);
	memset(ev, 0, sizeof(*ev));
}

void events_free(struct event_journal *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->cap; i++)
		event_clear(&j->ring[i]);
	free(j->ring);
	free(j);
}

static uint64_t clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

uint64_t events_add(struct event_journal *j, const struct event_spec *spec)
{
	struct event *ev;
	uint64_t seq;

	if (!j)
		return 0;
	seq = j->next_seq++;
	/* sequence numbers map to slots: seq % cap */
	ev = &j->ring[seq % j->cap];
	event_clear(ev);
	ev->seq = seq;
	ev->mono_ms = clock_ms(CLOCK_MONOTONIC);
	ev->wall_ms = (int64_t)clock_ms(CLOCK_REALTIME);
	ev->engine = spec->engine;
	ev->kind = spec->kind;
	ev->object = xstrdup(spec->object ? spec->object : "");
	ev->old_state = dup_or_null(spec->old_state);
	ev->new_state = dup_or_null(spec->new_state);
	ev->reason = dup_or_null(spec->reason);
	if (spec->by) {
		ev->has_actor = true;
		ev->by = *spec->by;
	}
	if (!j->oldest)
		j->oldest = seq;
	else if (seq - j->oldest >= j->cap)
		j->oldest = seq - j->cap + 1;
	for (size_t i = 0; i < j->n_subs; i++)
		j->subs[i].fn(ev, j->subs[i].arg);
	return seq;
}

int events_subscribe(struct event_journal *j, event_fn fn, void *arg)
{
	if (j->n_subs == MAX_SUBSCRIBERS)
		return -1;
	j->subs[j->n_subs].fn = fn;
	j->subs[j->n_subs].arg = arg;
	j->n_subs++;
	return 0;
}

void events_unsubscribe(struct event_journal *j, event_fn fn, void *arg)
{
	for (size_t i = 0; i < j->n_subs; i++) {
		if (j->subs[i].fn == fn && j->subs[i].arg == arg) {
			memmove(&j->subs[i], &j->subs[i + 1],
				(j->n_subs - i - 1) * sizeof(j->subs[0]));
			j->n_subs--;
			return;
		}
	}
}

uint64_t events_oldest_seq(const struct event_journal *j)
{
	return j->oldest;
}

uint64_t events_last_seq(const struct event_journal *j)
{
	return j->next_seq - 1;
}

size_t events_capacity(const struct event_journal *j)
{
	return j->cap;
}

const struct event *events_get(const struct event_journal *j, uint64_t seq)
{
	if (!j->oldest || seq < j->oldest || seq >= j->next_seq)
		return NULL;
	return &j->ring[seq % j->cap];
}
