#include "config.h"

#include "ctl/grammar_token.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *text;
	enum tok_kind kind;
} typed_tokens[] = {
	{ "A.B.C.D", TOK_IPV4 },
	{ "A.B.C.D/M", TOK_IPV4_PREFIX },
	{ "X:X::X:X", TOK_IPV6 },
	{ "X:X::X:X/M", TOK_IPV6_PREFIX },
	{ "ADDR", TOK_ADDR },
	{ "ADDR:PORT", TOK_ADDRPORT },
	{ "LINE...", TOK_LINE },
};

enum tok_kind tok_typed(const char *text)
{
	for (size_t i = 0; i < sizeof(typed_tokens) / sizeof(typed_tokens[0]); i++)
		if (strcmp(text, typed_tokens[i].text) == 0)
			return typed_tokens[i].kind;
	return TOK_WORD;
}

/* ---------------------------------------------------------------------- */
/* Values: what a word must look like to fit a typed token                 */

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

bool tok_parse_int(const char *s, long long *v)
{
	const char *d = s + (*s == '-');
	char *end;

	if (!is_digit(*d))
		return false;
	for (const char *p = d; *p; p++)
		if (!is_digit(*p))
			return false;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0';
}

/* Whether s is a decimal number of 1 to ndigits digits no larger than max. */
static bool parse_small(const char *s, size_t ndigits, unsigned long max)
{
	unsigned long v = 0;
	size_t n = 0;

	for (; is_digit(*s); s++, n++) {
		if (n == ndigits)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	return n > 0 && *s == '\0' && v <= max;
}

/* Whether the n bytes at s are an address of family af. */
static bool addr_ok(int af, const char *s, size_t n)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned char bin[sizeof(struct in6_addr)];

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(af, buf, bin) == 1;
}

/* Whether s is addr/len for family af (len 0-32 or 0-128). */
static bool prefix_ok(int af, const char *s)
{
	const char *slash = strchr(s, '/');

	return slash && addr_ok(af, s, (size_t)(slash - s)) &&
	       parse_small(slash + 1, 3, af == AF_INET ? 32 : 128);
}

/* Whether s is a.b.c.d:port or [v6]:port, port 0-65535 (0 is kept: LVS
 * uses port 0 for "every port" with persistence). */
static bool addrport_ok(const char *s)
{
	const char *colon;

	if (*s == '[') {
		const char *close = strstr(s, "]:");

		return close && addr_ok(AF_INET6, s + 1, (size_t)(close - s - 1)) &&
		       parse_small(close + 2, 5, 65535);
	}
	colon = strchr(s, ':');
	return colon && addr_ok(AF_INET, s, (size_t)(colon - s)) &&
	       parse_small(colon + 1, 5, 65535);
}

enum tok_rank tok_rank(const struct gtok *n, const char *word, size_t len)
{
	long long v;

	switch (n->kind) {
	case TOK_KEYWORD:
		if (strcmp(n->text, word) == 0)
			return RANK_EXACT;
		return len && strncmp(n->text, word, len) == 0 ? RANK_PREFIX : RANK_NONE;
	case TOK_WORD:
	case TOK_LINE:
		return RANK_FREE;
	case TOK_RANGE:
		return tok_parse_int(word, &v) && v >= n->lo && v <= n->hi ? RANK_EXACT : RANK_NONE;
	case TOK_IPV4:
		return addr_ok(AF_INET, word, len) ? RANK_EXACT : RANK_NONE;
	case TOK_IPV6:
		return addr_ok(AF_INET6, word, len) ? RANK_EXACT : RANK_NONE;
	case TOK_ADDR:
		return addr_ok(AF_INET, word, len) || addr_ok(AF_INET6, word, len) ?
		       RANK_EXACT : RANK_NONE;
	case TOK_IPV4_PREFIX:
		return prefix_ok(AF_INET, word) ? RANK_EXACT : RANK_NONE;
	case TOK_IPV6_PREFIX:
		return prefix_ok(AF_INET6, word) ? RANK_EXACT : RANK_NONE;
	case TOK_ADDRPORT:
		return addrport_ok(word) ? RANK_EXACT : RANK_NONE;
	case TOK_EPS:
		break;
	}
	return RANK_NONE;
}

/* ---------------------------------------------------------------------- */
/* Partial values: what '?' may list while a word is still being typed     */

/* Whether s (digits only, maybe empty) could still grow into a number of at
 * most ndigits digits no larger than max. */
static bool small_could(const char *s, size_t ndigits, unsigned long max)
{
	return *s == '\0' || parse_small(s, ndigits, max);
}

/* Whether some integer in [lo, hi] is written with s as its beginning. The
 * numbers starting with digits v are v, v0-v9, v00-v99 ...: each of those
 * magnitude intervals is checked against the range. */
static bool range_could(long long lo, long long hi, const char *s)
{
	bool neg = *s == '-';
	const char *d = s + neg;
	unsigned long long low = 0, high, lim;

	if (*d == '\0')
		return neg ? lo < 0 : true;
	for (const char *p = d; *p; p++) {
		if (!is_digit(*p) || low > (ULLONG_MAX - 9) / 10)
			return false;
		low = low * 10 + (unsigned long long)(*p - '0');
	}
	/* Largest magnitude the range holds on the side of s's sign. */
	if (neg ? lo >= 0 : hi < 0)
		return false;
	lim = neg ? (unsigned long long)(-(lo + 1)) + 1 : (unsigned long long)hi;
	for (high = low; low <= lim; ) {
		/* Magnitudes [low, high] fit iff they reach the near bound. */
		unsigned long long near = 0;

		if (neg && hi < 0)
			near = (unsigned long long)(-(hi + 1)) + 1;
		else if (!neg && lo > 0)
			near = (unsigned long long)lo;
		if (high >= near)
			return true;
		if (low == 0 || low > ULLONG_MAX / 10 || high > (ULLONG_MAX - 9) / 10)
			break;	/* no leading zeros; past every range */
		low *= 10;
		high = high * 10 + 9;
	}
	return false;
}

/* Whether s could grow into a valid IPv4 address (or prefix when prefix). */
static bool v4_could(const char *s, bool prefix)
{
	unsigned dots = 0, digits = 0, val = 0;

	for (; *s; s++) {
		if (*s == '/' && prefix)
			return dots == 3 && digits && small_could(s + 1, 2, 32);
		if (*s == '.') {
			if (!digits || ++dots > 3)
				return false;
			digits = val = 0;
			continue;
		}
		if (!is_digit(*s))
			return false;
		val = val * 10 + (unsigned)(*s - '0');
		if (++digits > 3 || val > 255)
			return false;
	}
	return true;
}

/* Whether s could grow into a valid IPv6 address (or prefix). Loose: hex
 * digits, colons and dots (an embedded IPv4 comes after a colon), no ":::",
 * at most one "::". */
static bool v6_could(const char *s, bool prefix)
{
	const char *dbl = strstr(s, "::"), *dot = strchr(s, '.');
	const char *end = prefix && strchr(s, '/') ? strchr(s, '/') : s + strlen(s);

	if (dbl && (dbl[2] == ':' || strstr(dbl + 2, "::")))
		return false;
	if (dot && !memchr(s, ':', (size_t)(dot - s)))
		return false;
	if ((size_t)(end - s) >= INET6_ADDRSTRLEN)
		return false;
	for (const char *p = s; p < end; p++)
		if (!strchr("0123456789abcdefABCDEF:.", *p))
			return false;
	return *end == '\0' || (end > s && small_could(end + 1, 3, 128));
}

/* Whether s could grow into a.b.c.d:port or [v6]:port. */
static bool addrport_could(const char *s)
{
	const char *colon;

	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			return v6_could(s + 1, false);
		if (!addr_ok(AF_INET6, s + 1, (size_t)(close - s - 1)))
			return false;
		return close[1] == '\0' || (close[1] == ':' && small_could(close + 2, 5, 65535));
	}
	colon = strchr(s, ':');
	if (!colon)
		return v4_could(s, false);
	return addr_ok(AF_INET, s, (size_t)(colon - s)) && small_could(colon + 1, 5, 65535);
}

bool tok_partial_ok(const struct gtok *n, const char *s)
{
	if (tok_rank(n, s, strlen(s)) != RANK_NONE)
		return true;
	switch (n->kind) {
	case TOK_RANGE:
		return range_could(n->lo, n->hi, s);
	case TOK_IPV4:
		return v4_could(s, false);
	case TOK_IPV4_PREFIX:
		return v4_could(s, true);
	case TOK_IPV6:
		return v6_could(s, false);
	case TOK_IPV6_PREFIX:
		return v6_could(s, true);
	case TOK_ADDR:
		return v4_could(s, false) || v6_could(s, false);
	case TOK_ADDRPORT:
		return addrport_could(s);
	default:
		return false;
	}
}

