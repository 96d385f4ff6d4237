/* Unit tests for the SNMP subagent's sorted tree (backend/snmp/
 * snmp_tree.c): GET / GETNEXT over names added out of order, duplicates,
 * and the order of the last sort reused when a fill adds the same names
 * (new values, same rows) -- and not reused when a row, a name's length
 * or its place changed. A runner of its own: no daemon, no net-snmp. */
#include "config.h"

#include "snmp/snmp_tree.h"

#include <check.h>
#include <stdlib.h>

/* Fills t with a small table: columns 2..4 of rows (in the order given),
 * value = row * 100 + column + base. */
static void fill(struct snmp_tree *t, const uint32_t *rows, size_t n, int64_t base)
{
	snmp_tree_clear(t);
	snmp_tree_add_num(t, (const uint32_t[]){ 1, 0 }, 2, NULL, 0, SNMP_V_INTEGER, base);
	for (size_t i = 0; i < n; i++)
		for (uint32_t col = 2; col <= 4; col++)
			snmp_tree_add_num(t, (const uint32_t[]){ 2, 1, col }, 3, &rows[i], 1,
					  SNMP_V_COUNTER64, rows[i] * 100 + col + base);
	snmp_tree_sort(t);
}

/* Walks t with GETNEXT from the start; checks every name is after the
 * one before and returns how many there are. */
static size_t walk(const struct snmp_tree *t)
{
	uint64_t name[SNMP_SUFFIX_MAX];
	size_t len = 0, n = 0;
	const struct snmp_ent *e;

	while ((e = snmp_tree_next(t, name, len))) {
		const uint32_t *en = snmp_ent_name(t, e);

		for (size_t i = 0; i < e->name_len; i++)
			name[i] = en[i];
		len = e->name_len;
		n++;
		ck_assert_uint_le(n, t->n);
	}
	return n;
}

static int64_t get(const struct snmp_tree *t, uint32_t col, uint32_t row)
{
	const uint64_t name[4] = { 2, 1, col, row };
	const struct snmp_ent *e = snmp_tree_get(t, name, 4);

	return e ? e->num : -1;
}

START_TEST(test_order_and_lookup)
{
	struct snmp_tree t;
	const uint32_t rows[] = { 7, 3, 12 };
	const uint64_t before[3] = { 2, 1, 2 };
	const struct snmp_ent *e;

	snmp_tree_init(&t);
	fill(&t, rows, 3, 0);
	ck_assert_uint_eq(t.n, 1 + 9);
	ck_assert_uint_eq(walk(&t), 10);
	/* column-major: 2.1.2.3 comes first, then .7, then .12 */
	e = snmp_tree_next(&t, before, 3);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->num, 302);
	ck_assert_int_eq(get(&t, 4, 12), 1204);
	ck_assert_int_eq(get(&t, 4, 13), -1);
	snmp_tree_free(&t);
}
END_TEST

START_TEST(test_duplicate_keeps_first)
{
	struct snmp_tree t;

	snmp_tree_init(&t);
	snmp_tree_add_num(&t, (const uint32_t[]){ 2, 1, 2 }, 3, (const uint32_t[]){ 5 }, 1,
			  SNMP_V_INTEGER, 1);
	snmp_tree_add_num(&t, (const uint32_t[]){ 2, 1, 2 }, 3, (const uint32_t[]){ 5 }, 1,
			  SNMP_V_INTEGER, 2);
	snmp_tree_sort(&t);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(get(&t, 2, 5), 1);
	/* the same fill again: the order is reused, the first still wins */
	snmp_tree_clear(&t);
	snmp_tree_add_num(&t, (const uint32_t[]){ 2, 1, 2 }, 3, (const uint32_t[]){ 5 }, 1,
			  SNMP_V_INTEGER, 3);
	snmp_tree_add_num(&t, (const uint32_t[]){ 2, 1, 2 }, 3, (const uint32_t[]){ 5 }, 1,
			  SNMP_V_INTEGER, 4);
	snmp_tree_sort(&t);
	ck_assert_uint_eq(t.reuses, 1);
	ck_assert_int_eq(get(&t, 2, 5), 3);
	snmp_tree_free(&t);
}
END_TEST

START_TEST(test_reuse_same_rows)
{
	struct snmp_tree t;
	const uint32_t rows[] = { 7, 3, 12 };

	snmp_tree_init(&t);
	fill(&t, rows, 3, 0);
	ck_assert_uint_eq(t.sorts, 1);
	fill(&t, rows, 3, 5000);	/* new values, same names */
	ck_assert_uint_eq(t.sorts, 1);
	ck_assert_uint_eq(t.reuses, 1);
	ck_assert_int_eq(get(&t, 3, 7), 5703);
	ck_assert_int_eq(get(&t, 2, 3), 5302);
	ck_assert_uint_eq(walk(&t), 10);
	snmp_tree_free(&t);
}
END_TEST

START_TEST(test_no_reuse_when_rows_change)
{
	struct snmp_tree t;
	const uint32_t rows[] = { 7, 3, 12 };
	const uint32_t other[] = { 7, 4, 12 };	/* a row replaced */
	const uint32_t swapped[] = { 3, 7, 12 };	/* same rows, another order */
	const uint32_t fewer[] = { 7, 3 };

	snmp_tree_init(&t);
	fill(&t, rows, 3, 0);
	fill(&t, other, 3, 0);
	ck_assert_uint_eq(t.sorts, 2);
	ck_assert_int_eq(get(&t, 2, 4), 402);
	ck_assert_int_eq(get(&t, 2, 3), -1);
	fill(&t, swapped, 3, 1);
	ck_assert_uint_eq(t.sorts, 3);
	ck_assert_int_eq(get(&t, 2, 3), 303);
	ck_assert_uint_eq(walk(&t), 10);
	fill(&t, fewer, 2, 0);
	ck_assert_uint_eq(t.sorts, 4);
	ck_assert_uint_eq(walk(&t), 7);
	ck_assert_uint_eq(t.reuses, 0);
	snmp_tree_free(&t);
}
END_TEST

START_TEST(test_no_reuse_when_lengths_move)
{
	/* the same sub-identifiers in the arena, cut into names elsewhere:
	 * [2 1 2 5] [9] against [2 1 2] [5 9] */
	struct snmp_tree t;

	snmp_tree_init(&t);
	snmp_tree_add_num(&t, (const uint32_t[]){ 2, 1, 2, 5 }, 4, NULL, 0, SNMP_V_INTEGER, 1);
	snmp_tree_add_num(&t, (const uint32_t[]){ 9 }, 1, NULL, 0, SNMP_V_INTEGER, 2);
	snmp_tree_sort(&t);
	snmp_tree_clear(&t);
	snmp_tree_add_num(&t, (const uint32_t[]){ 2, 1, 2 }, 3, NULL, 0, SNMP_V_INTEGER, 3);
	snmp_tree_add_num(&t, (const uint32_t[]){ 5, 9 }, 2, NULL, 0, SNMP_V_INTEGER, 4);
	snmp_tree_sort(&t);
	ck_assert_uint_eq(t.sorts, 2);
	ck_assert_uint_eq(walk(&t), 2);
	ck_assert_ptr_null(snmp_tree_get(&t, (const uint64_t[]){ 9 }, 1));
	snmp_tree_free(&t);
}
END_TEST

START_TEST(test_large_reuse)
{
	/* the size order of magnitude: 4,000 rows x 3 columns */
	struct snmp_tree t;
	uint32_t *rows = malloc(4000 * sizeof(*rows));

	ck_assert_ptr_nonnull(rows);
	for (uint32_t i = 0; i < 4000; i++)
		rows[i] = (i * 2654435761u) % 100000;	/* distinct, unsorted */
	snmp_tree_init(&t);
	fill(&t, rows, 4000, 0);
	fill(&t, rows, 4000, 1);
	ck_assert_uint_eq(t.sorts, 1);
	ck_assert_uint_eq(t.reuses, 1);
	ck_assert_uint_eq(walk(&t), 1 + 12000);
	ck_assert_int_eq(get(&t, 4, rows[1234]), (int64_t)rows[1234] * 100 + 4 + 1);
	snmp_tree_free(&t);
	free(rows);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("snmp_tree");
	TCase *tc = tcase_create("tree");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_order_and_lookup);
	tcase_add_test(tc, test_duplicate_keeps_first);
	tcase_add_test(tc, test_reuse_same_rows);
	tcase_add_test(tc, test_no_reuse_when_rows_change);
	tcase_add_test(tc, test_no_reuse_when_lengths_move);
	tcase_add_test(tc, test_large_reuse);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
