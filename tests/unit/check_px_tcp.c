/* Unit tests of the proxy's TCP-side pieces, a runner of its own (so the
 * suites of check_softlb stay untouched):
 *
 *   px-proxyproto  the PROXY protocol parser and writer (px_proxyproto.c):
 *                  valid v1/v2 headers, every prefix of them "more",
 *                  hostile ones refused, written headers read back
 *   px-chash       hash-type consistent against map-based (px_lb.c,
 *                  px_chash.c): removing one of N servers moves about 1/N
 *                  of the keys on the ring, most of them map-based
 */
#include "config.h"

#include "proxy/proxy_int.h"
#include "proxy/px_proxyproto.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define IN(s) s, sizeof(s) - 1
#define SIG "\r\n\r\n\x00\r\nQUIT\n"
#define A4 "\xcb\x00\x71\x07\xc6\x33\x64\x09\x15\xb3\x01\xbb"	/* 203.0.113.7 198.51.100.9 5555 443 */

static const char *addr_text(const struct sockaddr_storage *ss, char *buf, size_t n)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, n, "%s %u", a, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(buf, n, "%s %u", a, ntohs(s4->sin_port));
	}
	return buf;
}

/* ---- valid headers: length, addresses, and every prefix is "more" */

static const struct {
	const char *in;
	size_t len;
	int hdr_len;		/* expected */
	int version;
	const char *src, *dst;	/* NULL: no address */
} good[] = {
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 5555 443\r\nGET /"), 46, 1, "203.0.113.7 5555",
	  "198.51.100.9 443" },
	{ IN("PROXY TCP6 2001:db8::1 2001:db8::2 0 65535\r\n"), 44, 1, "2001:db8::1 0",
	  "2001:db8::2 65535" },
	{ IN("PROXY UNKNOWN\r\n"), 15, 1, NULL, NULL },
	{ IN("PROXY UNKNOWN ff:: 1.2.3.4 1 2\r\nxyz"), 32, 1, NULL, NULL },
	{ IN(SIG "\x21\x11\x00\x0c" A4), 28, 2, "203.0.113.7 5555", "198.51.100.9 443" },
	{ IN(SIG "\x21\x11\x00\x17" A4 "\x01\x00\x02h2\x04\x00\x03" "abcGET"), 39, 2, "203.0.113.7 5555",
	  "198.51.100.9 443" },
	{ IN(SIG "\x20\x00\x00\x00"), 16, 2, NULL, NULL },
	{ IN(SIG "\x20\x11\x00\x0c" A4), 28, 2, NULL, NULL },	/* LOCAL: addresses ignored */
	{ IN(SIG "\x21\x00\x00\x00"), 16, 2, NULL, NULL },	/* UNSPEC */
	{ IN(SIG "\x21\x21\x00\x24"
	     "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"
	     "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02"
	     "\x00\x50\x01\xbb"), 52, 2, "2001:db8::1 80", "2001:db8::2 443" },
};

START_TEST(test_good)
{
	struct px_pp_info pi;
	char b[80];
	int r = px_pp_parse(good[_i].in, good[_i].len, &pi);

	ck_assert_int_eq(r, good[_i].hdr_len);
	ck_assert_int_eq(pi.version, good[_i].version);
	ck_assert(pi.has_addr == (good[_i].src != NULL));
	if (good[_i].src) {
		ck_assert_str_eq(addr_text(&pi.src, b, sizeof(b)), good[_i].src);
		ck_assert_str_eq(addr_text(&pi.dst, b, sizeof(b)), good[_i].dst);
	}
	for (size_t n = 0; n < (size_t)good[_i].hdr_len; n++)
		ck_assert_msg(px_pp_parse(good[_i].in, n, &pi) == PX_PP_MORE,
			      "prefix of %zu bytes of case %d is not 'more'", n, _i);
}
END_TEST

/* ---- hostile headers: refused, with a reason */

static const struct {
	const char *in;
	size_t len;
} bad[] = {
	{ IN("GET / HTTP/1.1\r\n") },
	{ IN("proxy TCP4 203.0.113.7 198.51.100.9 5555 443\r\n") },
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 5555 443\n") },
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 5555 443\rX") },
	{ IN("PROXY TCP4 203.0.113.7  198.51.100.9 5555 443\r\n") },
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 5555 443 \r\n") },
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 5555 443 1\r\n") },
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 5555\r\n") },
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 05555 443\r\n") },
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 65536 443\r\n") },
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 +5 443\r\n") },
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 0x5 443\r\n") },
	{ IN("PROXY TCP4 203.0.113.07 198.51.100.9 5 443\r\n") },
	{ IN("PROXY TCP4 2001:db8::1 198.51.100.9 5 443\r\n") },
	{ IN("PROXY TCP6 203.0.113.7 2001:db8::1 5 443\r\n") },
	{ IN("PROXY TCP5 203.0.113.7 198.51.100.9 5 443\r\n") },
	{ IN("PROXY TCP4\r\n") },
	{ IN("PROXY \r\n") },
	{ IN("PROXY UNKNOWNX\r\n") },
	{ IN("PROXY TCP4 203.0.113.7\t198.51.100.9 5 443\r\n") },
	{ IN("PROXY TCP4 203.0.113.7 198.51.100.9 5 4\x00" "43\r\n") },
	{ IN("PROXY UNKNOWN 0123456789012345678901234567890123456789012345678901234567890123456789"
	     "0123456789012345678901234567890123456789") },
	{ IN(SIG "\x11\x11\x00\x0c" A4) },		/* version 1 in v2 */
	{ IN(SIG "\x31\x11\x00\x0c" A4) },		/* version 3 */
	{ IN(SIG "\x22\x11\x00\x0c" A4) },		/* command 2 */
	{ IN(SIG "\x21\x41\x00\x0c" A4) },		/* family 4 */
	{ IN(SIG "\x21\x13\x00\x0c" A4) },		/* transport 3 */
	{ IN(SIG "\x21\x12\x00\x0c" A4) },		/* DGRAM */
	{ IN(SIG "\x21\x10\x00\x0c" A4) },		/* INET without a transport */
	{ IN(SIG "\x21\x11\x00\x0b" A4) },		/* shorter than its addresses */
	{ IN(SIG "\x21\x21\x00\x0c" A4) },		/* INET6 in 12 bytes */
	{ IN(SIG "\x21\x11\x00\x0e" A4 "\x01\x00") },	/* a truncated TLV */
	{ IN(SIG "\x21\x11\x00\x10" A4 "\x01\x00\x02x") },	/* a TLV past the end */
	{ IN(SIG "\x21\x11\xff\xff") },			/* longer than PX_PP_MAX */
	{ IN("\r\n\r\n\x00\r\nQUIX\n\x21\x11\x00\x0c" A4) },
	{ IN("\x00PROXY") },
};

START_TEST(test_bad)
{
	struct px_pp_info pi;
	int r = px_pp_parse(bad[_i].in, bad[_i].len, &pi);

	ck_assert_msg(r == PX_PP_BAD, "case %d: %d", _i, r);
	ck_assert_ptr_nonnull(pi.why);
}
END_TEST

/* ---- written headers read back */

START_TEST(test_build)
{
	struct sockaddr_storage s4 = { 0 }, d4 = { 0 }, s6 = { 0 }, d6 = { 0 };
	struct sockaddr_in *a = (void *)&s4, *b = (void *)&d4;
	struct sockaddr_in6 *c = (void *)&s6, *d = (void *)&d6;
	struct px_pp_info pi;
	unsigned char out[PX_PP_V1_MAX + 64];
	char t[80];
	size_t n;

	a->sin_family = b->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.10", &a->sin_addr);
	inet_pton(AF_INET, "192.0.2.2", &b->sin_addr);
	a->sin_port = htons(40000);
	b->sin_port = htons(80);
	c->sin6_family = d->sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::10", &c->sin6_addr);
	inet_pton(AF_INET6, "2001:db8::2", &d->sin6_addr);
	c->sin6_port = htons(1);
	d->sin6_port = htons(443);

	n = px_pp_build(1, &s4, &d4, out, sizeof(out));
	ck_assert_int_eq(n, strlen("PROXY TCP4 192.0.2.10 192.0.2.2 40000 80\r\n"));
	ck_assert(memcmp(out, "PROXY TCP4 192.0.2.10 192.0.2.2 40000 80\r\n", n) == 0);
	for (int v = 1; v <= 2; v++) {
		n = px_pp_build(v, &s6, &d6, out, sizeof(out));
		ck_assert_int_eq(px_pp_parse(out, n, &pi), (int)n);
		ck_assert(pi.has_addr);
		ck_assert_str_eq(addr_text(&pi.src, t, sizeof(t)), "2001:db8::10 1");
		ck_assert_str_eq(addr_text(&pi.dst, t, sizeof(t)), "2001:db8::2 443");
		n = px_pp_build(v, &s4, &d4, out, sizeof(out));
		ck_assert_int_eq(px_pp_parse(out, n, &pi), (int)n);
		ck_assert_str_eq(addr_text(&pi.src, t, sizeof(t)), "192.0.2.10 40000");
		/* No addresses (health checks), or two families: UNKNOWN / LOCAL. */
		n = px_pp_build(v, NULL, NULL, out, sizeof(out));
		ck_assert_int_eq(px_pp_parse(out, n, &pi), (int)n);
		ck_assert(!pi.has_addr);
		n = px_pp_build(v, &s4, &d6, out, sizeof(out));
		ck_assert_int_eq(px_pp_parse(out, n, &pi), (int)n);
		ck_assert(!pi.has_addr);
	}
	ck_assert_int_eq(px_pp_build(1, &s6, &d6, out, 10), 0);	/* no room */
}
END_TEST

/* ---- consistent hashing */

#define N_SRV 10
#define N_KEYS 20000

struct lab {
	struct px_worker w;
	struct px_proxy be;
};

static void lab_init(struct lab *l, int n, int skip, bool consistent)
{
	memset(l, 0, sizeof(*l));
	l->be.balance = CFG_BALANCE_SOURCE;
	l->be.srv = xcalloc((size_t)n, sizeof(*l->be.srv));
	for (int i = 0; i < n; i++) {
		struct px_server *s;
		char name[16];

		if (i == skip)
			continue;
		s = &l->be.srv[l->be.n_srv++];
		snprintf(name, sizeof(name), "s%d", i);
		s->name = xstrdup(name);
		s->weight = 1;
		s->state = PX_SRV_UP;
		s->st = xcalloc(1, sizeof(*s->st));
		s->st->n_slots = 1;
		s->st->slots = aligned_alloc(64, sizeof(struct px_ctr));
		memset(s->st->slots, 0, sizeof(struct px_ctr));
	}
	l->be.st = l->be.srv[0].st;	/* only its worker slot is used */
	if (consistent)
		l->be.chash = px_chash_build(&l->be);
}

static void lab_free(struct lab *l)
{
	for (size_t i = 0; i < l->be.n_srv; i++) {
		free(l->be.srv[i].name);
		free(l->be.srv[i].st->slots);
		free(l->be.srv[i].st);
	}
	free(l->be.srv);
	px_chash_free(l->be.chash);
	free(l->w.scratch);
}

/* The server name each of N_KEYS client addresses goes to. */
static void pick_all(struct lab *l, char names[][8])
{
	for (int k = 0; k < N_KEYS; k++) {
		struct sockaddr_storage ss = { 0 };
		struct sockaddr_in *a = (void *)&ss;
		struct px_server *s;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(0xc6120000u + (uint32_t)k);	/* 198.18.0.0/15 */
		s = px_lb_pick(&l->w, &l->be, &ss, NULL, 0, NULL);
		ck_assert_ptr_nonnull(s);
		snprintf(names[k], 8, "%s", s->name);
	}
}

static double moved(bool consistent, int *from_removed_only)
{
	static char before[N_KEYS][8], after[N_KEYS][8];
	struct lab all, less;
	int m = 0, stray = 0;

	lab_init(&all, N_SRV, -1, consistent);
	lab_init(&less, N_SRV, 3, consistent);	/* s3 removed */
	pick_all(&all, before);
	pick_all(&less, after);
	for (int k = 0; k < N_KEYS; k++)
		if (strcmp(before[k], after[k]) != 0) {
			m++;
			if (strcmp(before[k], "s3") != 0)
				stray++;
		}
	*from_removed_only = stray == 0;
	lab_free(&all);
	lab_free(&less);
	return (double)m / N_KEYS;
}

START_TEST(test_chash_moves_one_nth)
{
	int only;
	double f = moved(true, &only);

	/* About 1/N = 0.10 move, and only the removed server's keys. */
	ck_assert_msg(f > 0.05 && f < 0.16, "consistent: %.3f of the keys moved", f);
	ck_assert_msg(only, "consistent: keys of servers that stayed moved");
}
END_TEST

START_TEST(test_map_based_moves_most)
{
	int only;
	double f = moved(false, &only);

	ck_assert_msg(f > 0.5, "map-based: only %.3f of the keys moved", f);
}
END_TEST

START_TEST(test_chash_weights_and_down)
{
	struct lab l;
	int hits[N_SRV] = { 0 };
	char names[N_KEYS][8];

	lab_init(&l, 4, -1, false);
	l.be.srv[0].weight = 3;	/* s0 has 3 of 6 weight units */
	l.be.srv[3].state = PX_SRV_DOWN;
	l.be.chash = px_chash_build(&l.be);
	pick_all(&l, names);
	for (int k = 0; k < N_KEYS; k++)
		hits[names[k][1] - '0']++;
	ck_assert_int_eq(hits[3], 0);	/* a DOWN server takes nothing */
	/* s0: 3 of the 5 units that are up: about 60 % of the keys. */
	ck_assert_msg(hits[0] > N_KEYS * 50 / 100 && hits[0] < N_KEYS * 70 / 100, "s0 took %d",
		      hits[0]);
	lab_free(&l);
}
END_TEST

static Suite *pp_suite(void)
{
	Suite *s = suite_create("px-proxyproto");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_good, 0, (int)(sizeof(good) / sizeof(*good)));
	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof(bad) / sizeof(*bad)));
	tcase_add_test(tc, test_build);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *chash_suite(void)
{
	Suite *s = suite_create("px-chash");
	TCase *tc = tcase_create("moves");

	tcase_add_test(tc, test_chash_moves_one_nth);
	tcase_add_test(tc, test_map_based_moves_most);
	tcase_add_test(tc, test_chash_weights_and_down);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pp_suite());
	int failed;

	srunner_add_suite(sr, chash_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
