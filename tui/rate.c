#include "config.h"

#include "rate.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

bool rate_step(struct rate_state *st, uint64_t value, uint64_t now_ms)
{
	if (!st->have_sample) {
		st->have_sample = true;
		st->have_rate = false;
		st->value = value;
		st->t_ms = now_ms;
		return false;
	}
	if (now_ms <= st->t_ms)
		return st->have_rate;	/* no time passed: nothing to learn */
	if (value < st->value) {
		/* A reset (or a wrap): the sample is a new baseline. */
		st->have_rate = false;
		st->rate = 0;
	} else {
		st->rate = (double)(value - st->value) * 1000.0 / (double)(now_ms - st->t_ms);
		st->have_rate = true;
	}
	st->value = value;
	st->t_ms = now_ms;
	return st->have_rate;
}

/* An open-addressing table (linear probing) of pointers to entries: a
 * rebuild (growth, or a sweep that drops entries) moves 8-byte pointers,
 * never the entries with their histories. */
struct rate_entry {
	char *key;		/* owned */
	bool seen;		/* updated since the last sweep */
	struct rate_state st;
	float hist[RATE_HISTORY];
	unsigned char hist_n;	/* valid entries in hist */
	unsigned char hist_next; /* where the next rate goes */
};

struct rate_store {
	struct rate_entry **slots;
	size_t cap;		/* a power of two */
	size_t used;
	/* The entries in the order the last refresh updated them, and this
	 * refresh's so far: a refresh asks for the same keys in the same
	 * order as the one before, so the i-th update first tries the last
	 * refresh's i-th entry (one string compare, in memory order) before
	 * hashing and probing (at 90,000 counters the probing's cache misses
	 * were half of softlbtop's time). Only entries seen in the last
	 * refresh are in prev, and a sweep drops only unseen ones. */
	struct rate_entry **prev, **cur;
	size_t n_prev, n_cur, cap_prev, cap_cur;
	size_t n_seen;		/* entries updated since the last sweep */
};

/* FNV-1a: short keys, no adversary worth a keyed hash (the keys come from
 * the daemon we trust to name its own objects). */
static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	/* FNV's low bits depend only on the low bits before each multiply:
	 * at 40,000 keys that differ in their last words ("...|s9|total",
	 * "...|s9|bytes_in") the slots (the low bits) clustered, and the
	 * probing was half of softlbtop's time. Mixing the high bits down
	 * (murmur3's finaliser) spreads them. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (size_t)h;
}

struct rate_store *rate_store_new(void)
{
	struct rate_store *rs = xcalloc(1, sizeof(*rs));

	rs->cap = 64;
	rs->slots = xcalloc(rs->cap, sizeof(*rs->slots));
	return rs;
}

static void entry_free(struct rate_entry *e)
{
	free(e->key);
	free(e);
}

void rate_store_clear(struct rate_store *rs)
{
	for (size_t i = 0; i < rs->cap; i++) {
		if (rs->slots[i])
			entry_free(rs->slots[i]);
		rs->slots[i] = NULL;
	}
	rs->used = 0;
	rs->n_prev = rs->n_cur = 0;
	rs->n_seen = 0;
}

void rate_store_free(struct rate_store *rs)
{
	if (!rs)
		return;
	rate_store_clear(rs);
	free(rs->slots);
	free(rs->prev);
	free(rs->cur);
	free(rs);
}

/* The slot of key: its entry, or the empty slot where it would go. */
static struct rate_entry **find(const struct rate_store *rs, const char *key)
{
	size_t mask = rs->cap - 1;

	for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
		struct rate_entry **e = &rs->slots[i];

		if (!*e || strcmp((*e)->key, key) == 0)
			return e;
	}
}

/* Moves the entries into a table of cap slots, freeing the unseen ones
 * when only_seen. */
static void rebuild(struct rate_store *rs, size_t cap, bool only_seen)
{
	struct rate_entry **old = rs->slots;
	size_t old_cap = rs->cap;

	rs->slots = xcalloc(cap, sizeof(*rs->slots));
	rs->cap = cap;
	rs->used = 0;
	for (size_t i = 0; i < old_cap; i++) {
		struct rate_entry *e = old[i];

		if (!e)
			continue;
		if (only_seen && !e->seen) {
			entry_free(e);
			continue;
		}
		*find(rs, e->key) = e;
		rs->used++;
	}
	free(old);
}

double rate_store_update(struct rate_store *rs, const char *key, uint64_t value, uint64_t now_ms)
{
	struct rate_entry **slot, *e = NULL;
	uint64_t before;

	if (rs->n_cur < rs->n_prev && strcmp(rs->prev[rs->n_cur]->key, key) == 0)
		e = rs->prev[rs->n_cur];
	if (!e) {
		if ((rs->used + 1) * 2 > rs->cap)
			rebuild(rs, rs->cap * 2, false);
		slot = find(rs, key);
		if (!*slot) {
			*slot = xcalloc(1, sizeof(**slot));
			(*slot)->key = xstrdup(key);
			rs->used++;
		}
		e = *slot;
	}
	if (rs->n_cur == rs->cap_cur) {
		rs->cap_cur = rs->cap_cur ? rs->cap_cur * 2 : 256;
		rs->cur = xreallocarray(rs->cur, rs->cap_cur, sizeof(*rs->cur));
	}
	rs->cur[rs->n_cur++] = e;
	if (!e->seen)
		rs->n_seen++;
	e->seen = true;
	before = e->st.t_ms;
	if (!rate_step(&e->st, value, now_ms))
		return -1;
	if (now_ms > before) {	/* a new rate, not a repeated sample */
		e->hist[e->hist_next] = (float)e->st.rate;
		e->hist_next = (unsigned char)((e->hist_next + 1) % RATE_HISTORY);
		if (e->hist_n < RATE_HISTORY)
			e->hist_n++;
	}
	return e->st.rate;
}

double rate_store_get(const struct rate_store *rs, const char *key)
{
	const struct rate_entry *e = *find(rs, key);

	return e && e->st.have_rate ? e->st.rate : -1;
}

size_t rate_store_history(const struct rate_store *rs, const char *key, double *out, size_t max)
{
	const struct rate_entry *e = *find(rs, key);
	size_t n, start;

	if (!e)
		return 0;
	n = e->hist_n < max ? e->hist_n : max;
	start = (e->hist_next + RATE_HISTORY - n) % RATE_HISTORY;
	for (size_t i = 0; i < n; i++)
		out[i] = e->hist[(start + i) % RATE_HISTORY];
	return n;
}

void rate_store_sweep(struct rate_store *rs)
{
	size_t live = rs->n_seen, cap = 64;

	/* The usual refresh: every counter was seen; nothing to move (no
	 * walk of every slot either: the seen ones are in cur). */
	if (live < rs->used) {
		while (cap < live * 4)
			cap *= 2;
		rebuild(rs, cap, true);
	}
	for (size_t i = 0; i < rs->n_cur; i++)
		rs->cur[i]->seen = false;
	rs->n_seen = 0;
	/* This refresh's order is the next one's guess (every entry in it
	 * was seen, so none was dropped above). */
	{
		struct rate_entry **t = rs->prev;
		size_t c = rs->cap_prev;

		rs->prev = rs->cur;
		rs->cap_prev = rs->cap_cur;
		rs->n_prev = rs->n_cur;
		rs->cur = t;
		rs->cap_cur = c;
		rs->n_cur = 0;
	}
}
