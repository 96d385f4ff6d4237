/* px_acl_pat.h: the compiled patterns of one ACL expression (px_acl_pat.c).
 *
 * Built once per snapshot in the control plane, then only read by the
 * workers: strings compared exactly sit in a hash table, addresses in a
 * radix tree per family, regexes are PCRE2 programs with a match limit
 * (the only place PCRE2 is used, with px_rules.c's replace-header).
 * Patterns come from the line and from -f files (one per line, '#'
 * comments and blank lines skipped; a bad line is an error naming the
 * file and line).
 */
#ifndef SOFTLB_PROXY_PX_ACL_PAT_H
#define SOFTLB_PROXY_PX_ACL_PAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/rules-t.h"

struct strbuf;
struct px_pat;

/* PCRE2's match limit: a regex that would backtrack longer fails to
 * match (HAProxy's default is the library's 10 million; a smaller bound
 * keeps a worker from stalling on a hostile header). */
#define PX_RE_MATCH_LIMIT 100000
#define PX_RE_DEPTH_LIMIT 10000

/* Pattern sets live as long as a snapshot uses them and are shared by
 * the snapshots that follow while their expression and -f files stay the
 * same: a snapshot is rebuilt on every health check change, and neither
 * rereads a 100,000-line list nor depends on the file still being there
 * (only a reload or an edit reads it again). A registry holds one
 * reference to each set of a snapshot generation. */
struct px_pat_reg {
	struct px_pat **v;
	size_t n, cap;
};

/* The set of e, whose line's -f files had signature files_sig at load
 * (may be NULL): from nr (this build), else from old (the running
 * snapshot's), else compiled. Returns a reference for the caller (nr
 * keeps its own), or NULL with the reason in err (a file that cannot be
 * read, a bad line of it, a regex that does not compile). */
struct px_pat *px_pat_get(struct px_pat_reg *nr, const struct px_pat_reg *old,
			  const struct rule_expr *e, const char *files_sig, struct strbuf *err);
/* Drops a reference (any thread). */
void px_pat_unref(struct px_pat *p);
/* Drops the registry's references. */
void px_pat_reg_free(struct px_pat_reg *r);

/* A regex that runs into the match limit does not match: the request
 * goes on as if the pattern had not matched (HAProxy's behaviour). */
/* Matches a string value (str, beg, end, sub, dir, dom, reg, len, and ip
 * for an address written as text). */
bool px_pat_str(const struct px_pat *p, const char *s, size_t len);
/* Matches an integer (int, and a length). */
bool px_pat_int(const struct px_pat *p, long long v);
/* Matches an address: af AF_INET (4 bytes) or AF_INET6 (16). */
bool px_pat_ip(const struct px_pat *p, int af, const unsigned char *addr);

/* A compiled regex alone (replace-header), and its use: appends to out
 * the value with the first match replaced by repl (\1..\9 refer to
 * groups); false when it does not match. */
struct px_regex;
struct px_regex *px_regex_build(const char *re, bool icase, struct strbuf *err);
void px_regex_free(struct px_regex *r);
bool px_regex_replace(const struct px_regex *r, const char *s, size_t len, const char *repl,
		      struct strbuf *out);

#endif
