/* metrics: label values escaped as the exposition format requires
 * (backslash, double quote, newline), everything else as is. */
#include "config.h"

#include "suites.h"
#include "metrics/metrics.h"
#include "util/strbuf.h"

#include <string.h>

static const struct {
	const char *in;
	const char *out;
} esc_cases[] = {
	{ "web", "web" },
	{ "", "" },
	{ "a\\b", "a\\\\b" },
	{ "say \"hi\"", "say \\\"hi\\\"" },
	{ "two\nlines", "two\\nlines" },
	{ "\\\"\n", "\\\\\\\"\\n" },
	{ "TCP [2001:db8::1]:80", "TCP [2001:db8::1]:80" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },
};

START_TEST(test_escape_label)
{
	struct strbuf out = STRBUF_INIT;

	metrics_escape_label(esc_cases[_i].in, &out);
	ck_assert_str_eq(strbuf_str(&out), esc_cases[_i].out);
	strbuf_free(&out);
}
END_TEST

Suite *metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("labels");

	tcase_add_loop_test(tc, test_escape_label, 0,
			    (int)(sizeof(esc_cases) / sizeof(esc_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}
