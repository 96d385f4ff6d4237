/* The config tests: one Check suite per area, all run by check_config. */
#ifndef SOFTLB_TESTS_CONFIG_SUITES_H
#define SOFTLB_TESTS_CONFIG_SUITES_H

#include <check.h>

#include "config/conf.h"

Suite *config_parse_suite(void);
Suite *config_corpus_suite(void);
Suite *config_diff_suite(void);
Suite *edit_suite(void);
Suite *config_inherit_suite(void);
Suite *config_layout_suite(void);
Suite *config_notimpl_suite(void);
Suite *config_edit_prop_suite(void);

/* The corpus folder, from automake's $srcdir (or "." when run by hand
 * from the top of the tree); returns a static buffer. */
const char *corpus_dir(const char *sub);
/* Loads keepalived text (kad) and/or haproxy text (hap) from memory,
 * expecting success; the diag text goes to *diag_out when not NULL. */
struct config *load_text(const char *kad, const char *hap,
			 struct strbuf *diag_out);
/* Loads text expecting failure; returns the formatted diagnostics
 * (caller frees). */
char *load_text_fail(const char *kad, const char *hap);

/* Asserts that printing cfg in both dialects and loading the text gives
 * a model config_equal() to cfg, with no warnings, and that printing the
 * result gives the same text again; name goes in the messages. */
void check_round_trip(const struct config *cfg, const char *name);

#endif
