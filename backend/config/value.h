/* value: parsing and printing of the scalar values both dialects share
 * (addresses, numbers, times), and the did-you-mean helper.
 *
 * Every parser here is strict: the whole string must be consumed, and
 * a false return leaves *out untouched, so the caller can report the
 * original text.
 */
#ifndef SOFTLB_CONFIG_VALUE_H
#define SOFTLB_CONFIG_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/model-t.h"
#include "util/strbuf.h"

/* Enough for any address cfg_format_addr() writes, with its NUL. */
#define CFG_ADDRSTRLEN 48

/* Parses an IPv4 or IPv6 literal (no brackets, no scope id). */
bool cfg_parse_addr(const char *s, struct cfg_addr *out);
/* Writes the canonical text of addr into buf ("*" for CFG_AF_ANY) and
 * returns buf. */
const char *cfg_format_addr(const struct cfg_addr *addr,
			    char buf[CFG_ADDRSTRLEN]);
bool cfg_addr_equal(const struct cfg_addr *a, const struct cfg_addr *b);
/* Orders addresses (family first) for canonical output. */
int cfg_addr_cmp(const struct cfg_addr *a, const struct cfg_addr *b);
bool cfg_endpoint_equal(const struct cfg_endpoint *a,
			const struct cfg_endpoint *b);

/* Parses a decimal integer in [min, max]; no sign unless min < 0. */
bool cfg_parse_int(const char *s, long long min, long long max,
		   long long *out);
/* Parses keepalived seconds, "6" or "0.5" (at most 3 decimals), into
 * milliseconds no larger than max_ms. */
bool cfg_parse_seconds(const char *s, int64_t max_ms, int64_t *out_ms);
/* Prints milliseconds as keepalived seconds ("6", "0.25"). */
void cfg_print_seconds(struct strbuf *out, int64_t ms);
/* Parses a HAProxy time: a number with an optional unit us, ms, s, m, h
 * or d (bare numbers are milliseconds; microseconds round up to 1 ms),
 * no larger than max_ms. */
bool cfg_parse_hap_time(const char *s, int64_t max_ms, int64_t *out_ms);
/* Prints milliseconds with the largest unit that divides them. */
void cfg_print_hap_time(struct strbuf *out, int64_t ms);

/* Levenshtein distance, capped at 100 for long inputs. */
size_t cfg_edit_distance(const char *a, const char *b);

/* Keeps the closest candidate to a misspelt word. */
struct cfg_suggest {
	const char *word;
	const char *best;
	size_t dist;
};

void cfg_suggest_init(struct cfg_suggest *s, const char *word);
void cfg_suggest_try(struct cfg_suggest *s, const char *candidate);
/* Returns the best candidate if it is close enough to be a likely typo
 * (distance at most 2, and less than half the word), else NULL. */
const char *cfg_suggest_result(const struct cfg_suggest *s);

#endif
