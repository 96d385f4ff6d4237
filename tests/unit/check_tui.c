/* Unit tests of softlbtop's pure logic: rates from counter deltas
 * (reset, wrap, interval change, repeated samples, the store and its
 * sweep), the choice of columns as a window narrows, text cut to
 * terminal columns, and the number formats. */
#include "config.h"

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "rate.h"
#include "util/strbuf.h"
#include "view.h"

START_TEST(rate_first_sample_has_no_rate)
{
	struct rate_state st = { 0 };

	ck_assert(!rate_step(&st, 1000, 5000));
	ck_assert(!st.have_rate);
	ck_assert(rate_step(&st, 1100, 6000));
	ck_assert_double_eq_tol(st.rate, 100.0, 1e-9);
}
END_TEST

START_TEST(rate_uses_real_elapsed_time)
{
	struct rate_state st = { 0 };

	rate_step(&st, 0, 1000);
	ck_assert(rate_step(&st, 500, 1500));	/* 0.5 s */
	ck_assert_double_eq_tol(st.rate, 1000.0, 1e-9);
	/* The interval changes to 5 s: the rate is still per second. */
	ck_assert(rate_step(&st, 5500, 6500));
	ck_assert_double_eq_tol(st.rate, 1000.0, 1e-9);
}
END_TEST

START_TEST(rate_counter_reset_is_no_rate_not_a_spike)
{
	struct rate_state st = { 0 };

	rate_step(&st, 1000000, 1000);
	ck_assert(rate_step(&st, 1000100, 2000));
	/* The daemon restarted: the total is small again. */
	ck_assert(!rate_step(&st, 40, 3000));
	ck_assert(!st.have_rate);
	ck_assert(st.rate >= 0);
	/* The next sample counts from the new baseline, not the old one. */
	ck_assert(rate_step(&st, 60, 4000));
	ck_assert_double_eq_tol(st.rate, 20.0, 1e-9);
}
END_TEST

START_TEST(rate_wrap_is_a_reset)
{
	struct rate_state st = { 0 };

	rate_step(&st, 0xfffffff0u, 1000);
	/* A 32-bit counter wrapped below: backwards, so no rate. */
	ck_assert(!rate_step(&st, 0x10, 2000));
	ck_assert(rate_step(&st, 0x20, 3000));
	ck_assert_double_eq_tol(st.rate, 16.0, 1e-9);
}
END_TEST

START_TEST(rate_same_time_is_ignored)
{
	struct rate_state st = { 0 };

	rate_step(&st, 0, 1000);
	ck_assert(rate_step(&st, 10, 2000));
	/* Two samples at the same millisecond: no division by zero, the
	 * previous rate stays. */
	ck_assert(rate_step(&st, 20, 2000));
	ck_assert_double_eq_tol(st.rate, 10.0, 1e-9);
	/* Time going backwards changes nothing either. */
	ck_assert(rate_step(&st, 30, 1500));
	ck_assert_double_eq_tol(st.rate, 10.0, 1e-9);
}
END_TEST

START_TEST(rate_store_history_and_sweep)
{
	struct rate_store *rs = rate_store_new();
	double h[RATE_HISTORY];
	char key[32];

	ck_assert(rate_store_update(rs, "a", 0, 1000) < 0);
	ck_assert_double_eq_tol(rate_store_update(rs, "a", 10, 2000), 10.0, 1e-9);
	ck_assert_double_eq_tol(rate_store_update(rs, "a", 30, 3000), 20.0, 1e-9);
	ck_assert_uint_eq(rate_store_history(rs, "a", h, RATE_HISTORY), 2);
	ck_assert_double_eq_tol(h[0], 10.0, 1e-9);
	ck_assert_double_eq_tol(h[1], 20.0, 1e-9);
	/* A repeated sample adds nothing to the history. */
	rate_store_update(rs, "a", 30, 3000);
	ck_assert_uint_eq(rate_store_history(rs, "a", h, RATE_HISTORY), 2);
	/* Many keys: the table grows and keeps every one. */
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		rate_store_update(rs, key, (uint64_t)i, 1000);
		rate_store_update(rs, key, (uint64_t)i * 2, 2000);
	}
	ck_assert_double_eq_tol(rate_store_get(rs, "k500"), 500.0, 1e-9);
	rate_store_sweep(rs);
	/* Only "b" is updated in the next round: the rest leave. */
	rate_store_update(rs, "b", 1, 4000);
	rate_store_sweep(rs);
	ck_assert(rate_store_get(rs, "k500") < 0);
	ck_assert(rate_store_get(rs, "a") < 0);
	ck_assert_uint_eq(rate_store_history(rs, "b", h, RATE_HISTORY), 0);
	/* The history keeps the last 60. */
	for (int i = 0; i < 100; i++)
		rate_store_update(rs, "c", (uint64_t)i * (uint64_t)i, 10000 + (uint64_t)i * 1000);
	ck_assert_uint_eq(rate_store_history(rs, "c", h, RATE_HISTORY), RATE_HISTORY);
	ck_assert_double_eq_tol(h[RATE_HISTORY - 1], 99.0 * 99 - 98.0 * 98, 1e-9);
	rate_store_clear(rs);
	ck_assert(rate_store_get(rs, "c") < 0);
	rate_store_free(rs);
}
END_TEST

static const struct layout_col cols[] = {
	{ "NAME", 10, 0, false }, { "STATE", 6, 0, false }, { "A", 5, 1, true },
	{ "B", 5, 3, true }, { "C", 5, 2, true }, { "D", 5, 3, true },
};

START_TEST(layout_everything_fits)
{
	bool shown[6];
	int w[6];

	/* 10+6+4*5 + 5 gaps = 41. */
	ck_assert_int_eq(layout_fit(cols, 6, 41, 10, shown, w), 41);
	for (int i = 0; i < 6; i++)
		ck_assert(shown[i]);
	ck_assert_int_eq(w[0], 10);
	/* Wider: column 0 grows to its text; the last column is a number,
	 * so the rest goes to column 0 too (STATE keeps its width). */
	ck_assert_int_eq(layout_fit(cols, 6, 60, 14, shown, w), 60);
	ck_assert_int_eq(w[0], 29);
	ck_assert_int_eq(w[1], 6);
	/* With a free-text last column, that one takes the rest. */
	{
		static const struct layout_col c2[] = {
			{ "NAME", 10, 0, false }, { "N", 5, 1, true }, { "REASON", 10, 2, false },
		};

		ck_assert_int_eq(layout_fit(c2, 3, 50, 12, shown, w), 50);
		ck_assert_int_eq(w[0], 12);
		ck_assert_int_eq(w[2], 50 - 12 - 5 - 2);
	}
}
END_TEST

START_TEST(layout_drops_by_priority)
{
	bool shown[6];
	int w[6];
	int used;

	/* One column short: the rightmost of the least important (D). */
	used = layout_fit(cols, 6, 40, 10, shown, w);
	ck_assert(used <= 40);
	ck_assert(shown[3] && !shown[5]);
	/* Narrower: B goes too, then C, then A. */
	layout_fit(cols, 6, 30, 10, shown, w);
	ck_assert(!shown[3] && !shown[5] && shown[4] && shown[2]);
	layout_fit(cols, 6, 24, 10, shown, w);
	ck_assert(!shown[4] && shown[2]);
	layout_fit(cols, 6, 18, 10, shown, w);
	ck_assert(!shown[2] && shown[0] && shown[1]);
	/* Never the essential ones, even when they do not fit. */
	used = layout_fit(cols, 6, 5, 10, shown, w);
	ck_assert(shown[0] && shown[1]);
	ck_assert_int_eq(used, 17);
}
END_TEST

START_TEST(layout_cell_cuts_by_columns)
{
	struct strbuf b = STRBUF_INIT;

	layout_cell(&b, "abc", 5, false);
	ck_assert_str_eq(strbuf_str(&b), "abc  ");
	strbuf_reset(&b);
	layout_cell(&b, "abc", 5, true);
	ck_assert_str_eq(strbuf_str(&b), "  abc");
	strbuf_reset(&b);
	layout_cell(&b, "abcdefgh", 5, false);
	ck_assert_str_eq(strbuf_str(&b), "abcd~");
	strbuf_reset(&b);
	/* Wide characters (two columns each) are never cut in half. */
	layout_cell(&b, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, false);
	ck_assert_int_eq(layout_text_width(strbuf_str(&b)), 4);
	ck_assert_str_eq(strbuf_str(&b), "\xe6\x97\xa5~ ");
	strbuf_reset(&b);
	layout_cell(&b, "x", 0, false);
	ck_assert_uint_eq(b.len, 0);
	strbuf_free(&b);
}
END_TEST

START_TEST(formats)
{
	char b[24];
	struct strbuf s = STRBUF_INIT;
	const double v[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

	view_fmt_rate(b, sizeof(b), -1);
	ck_assert_str_eq(b, "-");
	view_fmt_rate(b, sizeof(b), 0);
	ck_assert_str_eq(b, "0");
	view_fmt_rate(b, sizeof(b), 2.5);
	ck_assert_str_eq(b, "2.5");
	view_fmt_rate(b, sizeof(b), 1234);
	ck_assert_str_eq(b, "1.2k");
	view_fmt_rate(b, sizeof(b), 56789012);
	ck_assert_str_eq(b, "57M");
	view_fmt_count(b, sizeof(b), 99999);
	ck_assert_str_eq(b, "99999");
	view_fmt_count(b, sizeof(b), 123456);
	ck_assert_str_eq(b, "123k");
	view_fmt_dur(b, sizeof(b), 59000);
	ck_assert_str_eq(b, "59s");
	view_fmt_dur(b, sizeof(b), 3723000);
	ck_assert_str_eq(b, "1h02m");
	view_sparkline(&s, v, 8, 10, true);
	ck_assert_str_eq(strbuf_str(&s), "  _.-:=+*#");
	strbuf_reset(&s);
	view_sparkline(&s, v, 8, 4, false);
	ck_assert_str_eq(strbuf_str(&s), "\u2585\u2586\u2587\u2588");
	strbuf_free(&s);
	ck_assert_int_eq(vstate_of("UP 1/3"), VST_DRAIN);
	ck_assert_int_eq(vstate_of("MAINT"), VST_MAINT);
	ck_assert_int_eq(vstate_of("BACKUP"), VST_BACKUP);
	ck_assert_int_eq(vstate_of("DOWN"), VST_DOWN);
	ck_assert_int_eq(vstate_of("draining"), VST_DRAIN);
	ck_assert_int_eq(screen_by_name("pro"), SCR_PROXY);
	/* Sorting compares shown numbers by value, "-" lowest. */
	ck_assert_int_lt(view_cell_cmp("999", "1.2k"), 0);
	ck_assert_int_gt(view_cell_cmp("2M", "1.5M"), 0);
	ck_assert_int_lt(view_cell_cmp("-", "0"), 0);
	ck_assert_int_eq(view_cell_cmp("10", "10"), 0);
	ck_assert_int_lt(view_cell_cmp("3/3", "10/10"), 0);
	ck_assert_int_lt(view_cell_cmp("DOWN", "up"), 0);
	ck_assert_str_eq(screen_column(SCR_PROXY, 1), "STATUS");
	ck_assert_ptr_null(screen_column(SCR_PROXY, 1000));
	ck_assert_int_eq(screen_by_name("x"), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tui");
	TCase *r = tcase_create("rate"), *l = tcase_create("layout");
	SRunner *sr;
	int failed;

	/* wcwidth() needs a UTF-8 locale for the wide characters. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	tcase_add_test(r, rate_first_sample_has_no_rate);
	tcase_add_test(r, rate_uses_real_elapsed_time);
	tcase_add_test(r, rate_counter_reset_is_no_rate_not_a_spike);
	tcase_add_test(r, rate_wrap_is_a_reset);
	tcase_add_test(r, rate_same_time_is_ignored);
	tcase_add_test(r, rate_store_history_and_sweep);
	tcase_add_test(l, layout_everything_fits);
	tcase_add_test(l, layout_drops_by_priority);
	tcase_add_test(l, layout_cell_cuts_by_columns);
	tcase_add_test(l, formats);
	suite_add_tcase(s, r);
	suite_add_tcase(s, l);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
