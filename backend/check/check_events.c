/* The ring of check events: transitions, weight changes, pauses
 * (check_int.h). Fixed size; the oldest entry goes first. */
#include "config.h"

#include "check/check_int.h"
#include "ctl/cmd_out.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void check_events_init(struct check_events *ev, size_t cap)
{
	memset(ev, 0, sizeof(*ev));
	ev->ring = xcalloc(cap, sizeof(*ev->ring));
	ev->cap = cap;
	ev->next_seq = 1;
}

void check_events_free(struct check_events *ev)
{
	for (size_t i = 0; i < ev->cap; i++)
		free(ev->ring[i].target);
	free(ev->ring);
	memset(ev, 0, sizeof(*ev));
}

void check_events_push(struct check_events *ring, const struct check_event *ev,
		       const char *target)
{
	size_t slot;

	if (ring->len < ring->cap) {
		slot = (ring->start + ring->len) % ring->cap;
		ring->len++;
	} else {
		slot = ring->start;
		ring->start = (ring->start + 1) % ring->cap;
		free(ring->ring[slot].target);
	}
	ring->ring[slot] = *ev;
	ring->ring[slot].seq = ring->next_seq++;
	ring->ring[slot].target = xstrdup(target);
}

const struct check_event *check_events_newest(const struct check_events *ring, size_t i)
{
	if (i >= ring->len)
		return NULL;
	return &ring->ring[(ring->start + ring->len - 1 - i) % ring->cap];
}

void check_event_describe(const struct check_event *ev, struct strbuf *out)
{
	switch (ev->kind) {
	case CHECK_EV_TRANSITION:
		strbuf_printf(out, "%s -> %s: %s (%s, check %u ms, %s for ",
			      check_state_name(ev->from), check_state_name(ev->to), ev->reason,
			      check_code_name(ev->code), ev->check_ms, check_state_name(ev->from));
		cmd_put_duration(out, ev->prev_ms / 1000);
		strbuf_putc(out, ')');
		break;
	case CHECK_EV_WEIGHT:
		strbuf_printf(out, "weight %d (misc_dynamic)", ev->weight);
		break;
	case CHECK_EV_PAUSED:
	case CHECK_EV_RESUMED:
		strbuf_puts(out, ev->reason);
		break;
	}
}
