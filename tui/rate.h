/* rate: per-second rates from counters sampled at a monotonic time.
 *
 * softlbd reports totals (sessions, bytes, packets, connections); the
 * monitor turns two samples of a total into a rate. A total that goes
 * backwards (the daemon restarted, counters were cleared, a 32-bit
 * counter wrapped somewhere below) cannot give a rate: the sample becomes
 * the new baseline and the rate is unknown until the next one, so the
 * screen never shows a negative rate or a spike made of a whole total.
 * Rates use the time that really passed between two samples, so changing
 * the refresh interval changes nothing but the resolution.
 *
 * A store keeps one entry per counter, named by a string key ("px web
 * bytes_in"), with the last 60 rates for a sparkline. Entries not updated
 * in a refresh are dropped by rate_store_sweep(), so objects that left
 * the configuration do not pile up.
 */
#ifndef SOFTLB_TUI_RATE_H
#define SOFTLB_TUI_RATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RATE_HISTORY 60

/* One counter's state, exposed for rate_step() (and its unit tests). */
struct rate_state {
	bool have_sample;	/* value/t_ms hold a baseline */
	bool have_rate;		/* rate holds a computed rate */
	uint64_t value;		/* last total seen */
	uint64_t t_ms;		/* CLOCK_MONOTONIC time of that total */
	double rate;		/* per second, never negative */
};

/* Feeds one sample into st. Returns true when st->rate is now a valid
 * rate (the second and later samples of a total that did not go
 * backwards); false on the first sample or after a reset. A sample at
 * the same or an earlier time than the last one is ignored (the previous
 * rate, if any, stays). */
bool rate_step(struct rate_state *st, uint64_t value, uint64_t now_ms);

struct rate_store;

struct rate_store *rate_store_new(void);
void rate_store_free(struct rate_store *rs);

/* Feeds a sample of counter key; returns its rate per second, or -1 when
 * none is known yet. Each valid rate is also appended to the key's
 * history. */
double rate_store_update(struct rate_store *rs, const char *key, uint64_t value,
			 uint64_t now_ms);

/* The rate last computed for key, or -1. */
double rate_store_get(const struct rate_store *rs, const char *key);

/* Copies up to max of key's latest rates, oldest first, to out; returns
 * how many. */
size_t rate_store_history(const struct rate_store *rs, const char *key, double *out, size_t max);

/* Drops every entry not updated since the last sweep. Call once per
 * refresh, after the updates. */
void rate_store_sweep(struct rate_store *rs);

/* Forgets every baseline (after a reconnect: the counters may belong to a
 * new daemon), keeping nothing. */
void rate_store_clear(struct rate_store *rs);

#endif
