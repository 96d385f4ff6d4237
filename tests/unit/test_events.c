/* The event journal (core/events.h): numbering, the ring's wrap, lookups
 * by sequence number, subscribers. */
#include "config.h"

#include "suites.h"

#include <stdio.h>
#include <string.h>

#include "core/events.h"

static void add(struct event_journal *j, const char *object)
{
	struct event_spec s = { .engine = EVENT_LVS, .kind = EVENT_DRIFT, .object = object,
				.old_state = "a", .new_state = "b" };

	events_add(j, &s);
}

START_TEST(test_events_numbering)
{
	struct event_journal *j = events_new(4);
	const struct event *ev;

	ck_assert_uint_eq(events_last_seq(j), 0);
	ck_assert_uint_eq(events_oldest_seq(j), 0);
	ck_assert_ptr_null(events_get(j, 1));
	add(j, "x");
	add(j, "y");
	ck_assert_uint_eq(events_oldest_seq(j), 1);
	ck_assert_uint_eq(events_last_seq(j), 2);
	ev = events_get(j, 2);
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(ev->object, "y");
	ck_assert_str_eq(ev->old_state, "a");
	ck_assert_ptr_null(ev->reason);
	ck_assert(!ev->has_actor);
	ck_assert_ptr_null(events_get(j, 3));
	ck_assert_uint_gt(ev->wall_ms, 1600000000000LL);
	events_free(j);
}
END_TEST

START_TEST(test_events_wrap)
{
	struct event_journal *j = events_new(3);
	char name[16];

	for (int i = 1; i <= 10; i++) {
		snprintf(name, sizeof(name), "o%d", i);
		add(j, name);
	}
	/* the newest three, in order, each at its own number */
	ck_assert_uint_eq(events_oldest_seq(j), 8);
	ck_assert_uint_eq(events_last_seq(j), 10);
	ck_assert_ptr_null(events_get(j, 7));
	for (uint64_t s = 8; s <= 10; s++) {
		snprintf(name, sizeof(name), "o%llu", (unsigned long long)s);
		ck_assert_str_eq(events_get(j, s)->object, name);
		ck_assert_uint_eq(events_get(j, s)->seq, s);
	}
	ck_assert(events_get(j, 9)->mono_ms >= events_get(j, 8)->mono_ms);
	events_free(j);
}
END_TEST

static void count(const struct event *ev, void *arg)
{
	unsigned *n = arg;

	if (strcmp(ev->object, "counted") == 0)
		(*n)++;
}

START_TEST(test_events_subscribe)
{
	struct event_journal *j = events_new(2);
	struct event_actor by = { "alice", 1000, "operator" };
	struct event_spec s = { .engine = EVENT_RUNTIME, .kind = EVENT_OVERRIDE,
				.object = "counted", .by = &by };
	unsigned n = 0;

	ck_assert_int_eq(events_subscribe(j, count, &n), 0);
	events_add(j, &s);
	add(j, "other");
	ck_assert_uint_eq(n, 1);
	ck_assert(events_get(j, 1)->has_actor);
	ck_assert_str_eq(events_get(j, 1)->by.user, "alice");
	events_unsubscribe(j, count, &n);
	events_add(j, &s);
	ck_assert_uint_eq(n, 1);
	/* a NULL journal takes events and does nothing */
	ck_assert_uint_eq(events_add(NULL, &s), 0);
	ck_assert_int_eq(event_engine_parse("lvs"), EVENT_LVS);
	ck_assert_int_eq(event_engine_parse("nope"), EVENT_ENGINE_COUNT);
	events_free(j);
}
END_TEST

Suite *events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("journal");

	tcase_add_test(tc, test_events_numbering);
	tcase_add_test(tc, test_events_wrap);
	tcase_add_test(tc, test_events_subscribe);
	suite_add_tcase(s, tc);
	return s;
}
