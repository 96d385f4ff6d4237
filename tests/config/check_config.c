#include "config.h"

#include "config/conf.h"

/* The configuration tests' runner, and helpers the suites share. */

#include "suites.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *corpus_dir(const char *sub)
{
	static char buf[PATH_MAX];
	const char *top = getenv("srcdir");

	snprintf(buf, sizeof(buf), "%s/tests/config/%s", top ? top : ".", sub);
	return buf;
}

static struct config *load(const char *kad, const char *hap,
			   struct config_diag *d)
{
	return config_load_buffers("test.conf", kad, kad ? strlen(kad) : 0,
				   "test.cfg", hap, hap ? strlen(hap) : 0, d);
}

struct config *load_text(const char *kad, const char *hap,
			 struct strbuf *diag_out)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct config *cfg = load(kad, hap, &d);

	config_diag_format(&d, &sb);
	ck_assert_msg(cfg != NULL, "load failed:\n%s", strbuf_str(&sb));
	if (diag_out)
		strbuf_puts(diag_out, strbuf_str(&sb));
	strbuf_free(&sb);
	config_diag_free(&d);
	return cfg;
}

char *load_text_fail(const char *kad, const char *hap)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct config *cfg = load(kad, hap, &d);

	ck_assert_msg(cfg == NULL, "load should have failed");
	ck_assert_uint_gt(d.n_errors, 0);
	config_diag_format(&d, &sb);
	config_diag_free(&d);
	return strbuf_detach(&sb);
}

int main(void)
{
	SRunner *sr;
	char top[PATH_MAX];
	int failed;

	/* the corpus tests chdir into the corpus, and Check may run them all
	 * in this one process (CK_FORK=no): a relative $srcdir would then
	 * go stale after the first test */
	if (realpath(getenv("srcdir") ? getenv("srcdir") : ".", top))
		setenv("srcdir", top, 1);
	sr = srunner_create(config_parse_suite());

	srunner_add_suite(sr, config_corpus_suite());
	srunner_add_suite(sr, config_diff_suite());
	srunner_add_suite(sr, edit_suite());
	srunner_add_suite(sr, config_inherit_suite());
	srunner_add_suite(sr, config_layout_suite());
	srunner_add_suite(sr, config_notimpl_suite());
	srunner_add_suite(sr, config_edit_prop_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
