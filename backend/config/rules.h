/* rules: the L7 rule lines of a proxy (acl, use_backend, use-server,
 * http-request, http-response, tcp-request, redirect) in the model, and
 * their grammar (the haproxy dialect), parsed into a rule_prog.
 *
 * The config layer parses to refuse a bad line at load; the proxy engine
 * parses the same lines again when it compiles a snapshot (px_acl.c) and
 * adds what needs its libraries: regexes (PCRE2), pattern files, names of
 * backends and servers.
 */
#ifndef SOFTLB_CONFIG_RULES_H
#define SOFTLB_CONFIG_RULES_H

#include <stdbool.h>

#include "config/rules-t.h"

struct strbuf;

/* ---- the lines in the model ---- */

/* Appends a line (its words are copied) to *r, allocated on first use. */
void cfg_rules_add(struct cfg_rules **r, char *const *argv, size_t argc,
		   const struct cfg_loc *loc);
/* Removes the last line. */
void cfg_rules_pop(struct cfg_rules *r);
/* A deep copy, or NULL for NULL or an empty set. */
struct cfg_rules *cfg_rules_copy(const struct cfg_rules *r);
/* Same words in the same order, and -f files unchanged since each was
 * loaded (locations do not count). */
bool cfg_rules_equal(const struct cfg_rules *a, const struct cfg_rules *b);
void cfg_rules_free(struct cfg_rules *r);
/* Appends each line, indented as print_hap.c does, quoted where needed. */
void cfg_rules_print(const struct cfg_rules *r, struct strbuf *out);

/* userlist sections (kept in cfg->hap.userlists as lines "userlist L"
 * and "userlist L user|group ..."): each section and its lines. */
void cfg_userlists_print(const struct cfg_rules *r, struct strbuf *out);

/* ---- the grammar ---- */

/* Parses every line of r (r may be NULL) into prog (zeroed by the caller).
 * Returns true; or false with the reason in err (no location: *bad is the
 * index of the line at fault) and prog holding what was parsed before it
 * (rule_prog_free it either way). */
bool rule_prog_parse(const struct cfg_rules *r, struct rule_prog *prog, size_t *bad,
		     struct strbuf *err);
void rule_prog_free(struct rule_prog *prog);

/* An address pattern: ADDR, ADDR/BITS or IPv4 ADDR/MASK. */
bool rule_ip_pattern(const char *s, struct cfg_addr *a, unsigned *bits);

/* Whether the keyword of a line belongs to this grammar. */
bool rule_keyword(const char *kw);

#endif
