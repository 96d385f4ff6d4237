#include "config.h"

#include "config/conf.h"

#include "config/value.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Accepts only literals inet_pton() accepts, so "10.1" or "1.2.3.4 "
 * are errors rather than surprises. */
bool cfg_parse_addr(const char *s, struct cfg_addr *out)
{
	struct cfg_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, a.b) == 1) {
		a.af = CFG_AF_INET4;
	} else if (inet_pton(AF_INET6, s, a.b) == 1) {
		a.af = CFG_AF_INET6;
	} else {
		return false;
	}
	*out = a;
	return true;
}

/* Writes the decimal digits of v (0-255) at p; returns the end. */
static char *put_octet(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

const char *cfg_format_addr(const struct cfg_addr *addr,
			    char buf[CFG_ADDRSTRLEN])
{
	char *p = buf;

	switch (addr->af) {
	case CFG_AF_INET4:
		/* inet_ntop's dotted quad without its sprintf: the runtime
		 * key of each of 40,000 real servers names its address, and
		 * that sprintf was 6% of starting 10,000 services x 4. */
		for (int i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = put_octet(p, addr->b[i]);
		}
		*p = '\0';
		break;
	case CFG_AF_INET6:
		inet_ntop(AF_INET6, addr->b, buf, CFG_ADDRSTRLEN);
		break;
	default:
		strcpy(buf, "*");
		break;
	}
	return buf;
}

/* Compares only the bytes the family uses, so stray bytes never make two
 * equal addresses differ. */
int cfg_addr_cmp(const struct cfg_addr *a, const struct cfg_addr *b)
{
	size_t n;

	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	n = a->af == CFG_AF_INET4 ? 4 : a->af == CFG_AF_INET6 ? 16 : 0;
	return n ? memcmp(a->b, b->b, n) : 0;
}

bool cfg_addr_equal(const struct cfg_addr *a, const struct cfg_addr *b)
{
	return cfg_addr_cmp(a, b) == 0;
}

bool cfg_endpoint_equal(const struct cfg_endpoint *a,
			const struct cfg_endpoint *b)
{
	return a->port == b->port && cfg_addr_equal(&a->addr, &b->addr);
}

bool cfg_parse_int(const char *s, long long min, long long max,
		   long long *out)
{
	const char *p = s;
	long long v;
	char *end;

	if (*p == '-' && min < 0)
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* Reads "INT[.FRAC]" scaled by 10^3; digits only, so no exponent or hex
 * forms sneak in through strtod. */
static bool parse_fixed3(const char **sp, int64_t *out)
{
	const char *s = *sp;
	int64_t v = 0;
	int frac = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s)) {
		if (v > INT64_MAX / 10000)
			return false;
		v = v * 10 + (*s++ - '0');
	}
	v *= 1000;
	if (*s == '.') {
		int scale = 100;

		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s)) {
			if (++frac > 3)
				return false;
			v += (*s++ - '0') * scale;
			scale /= 10;
		}
	}
	*sp = s;
	*out = v;
	return true;
}

bool cfg_parse_seconds(const char *s, int64_t max_ms, int64_t *out_ms)
{
	int64_t v;

	if (!parse_fixed3(&s, &v) || *s || v > max_ms)
		return false;
	*out_ms = v;
	return true;
}

void cfg_print_seconds(struct strbuf *out, int64_t ms)
{
	if (ms % 1000 == 0) {
		strbuf_printf(out, "%lld", (long long)(ms / 1000));
		return;
	}
	strbuf_printf(out, "%lld.%03lld", (long long)(ms / 1000),
		      (long long)(ms % 1000));
	/* trim trailing zeros of the fraction: "0.500" reads as "0.5" */
	while (out->len && out->data[out->len - 1] == '0')
		out->data[--out->len] = '\0';
}

struct time_unit {
	const char *name;
	int64_t us;
};

static const struct time_unit time_units[] = {
	{ "us", 1 },
	{ "ms", 1000 },
	{ "s", 1000000 },
	{ "m", 60000000LL },
	{ "h", 3600000000LL },
	{ "d", 86400000000LL },
};

bool cfg_parse_hap_time(const char *s, int64_t max_ms, int64_t *out_ms)
{
	int64_t v = 0, us, ms;
	const struct time_unit *u = NULL;

	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s)) {
		if (v > INT64_MAX / 100000000000LL)
			return false;
		v = v * 10 + (*s++ - '0');
	}
	if (*s == '\0') {
		u = &time_units[1];
	} else {
		for (size_t i = 0; i < sizeof(time_units) / sizeof(*time_units); i++)
			if (strcmp(s, time_units[i].name) == 0)
				u = &time_units[i];
	}
	if (!u)
		return false;
	us = v * u->us;
	ms = us / 1000 + (us % 1000 != 0);
	if (ms > max_ms)
		return false;
	*out_ms = ms;
	return true;
}

void cfg_print_hap_time(struct strbuf *out, int64_t ms)
{
	static const struct { const char *name; int64_t ms; } units[] = {
		{ "d", 86400000LL }, { "h", 3600000LL }, { "m", 60000 },
		{ "s", 1000 },
	};

	for (size_t i = 0; ms && i < sizeof(units) / sizeof(*units); i++) {
		if (ms % units[i].ms == 0) {
			strbuf_printf(out, "%lld%s", (long long)(ms / units[i].ms),
				      units[i].name);
			return;
		}
	}
	strbuf_printf(out, "%lldms", (long long)ms);
}

size_t cfg_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[65];

	/* keywords are short; a long word is no typo of one */
	if (la > 64 || lb > 64)
		return 100;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) ==
				tolower((unsigned char)b[j - 1]) ? 0 : 1;
			size_t best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

void cfg_suggest_init(struct cfg_suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->dist = (size_t)-1;
}

void cfg_suggest_try(struct cfg_suggest *s, const char *candidate)
{
	size_t d = cfg_edit_distance(s->word, candidate);

	if (d < s->dist) {
		s->dist = d;
		s->best = candidate;
	}
}

const char *cfg_suggest_result(const struct cfg_suggest *s)
{
	size_t len = strlen(s->word);

	if (!s->best || s->dist > 2 || s->dist * 2 >= len)
		return NULL;
	return s->best;
}
