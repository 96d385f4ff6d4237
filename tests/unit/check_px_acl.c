/* Unit tests of the L7 rules' pieces, a runner of its own:
 *
 *   px-acl-pat   pattern sets (px_acl_pat.c): the address radix tree
 *                against a brute-force scan over random prefixes (IPv4
 *                and IPv6, nested and overlapping), exact strings with
 *                and without -i, dir / dom components, integer ranges
 *                and operators, the regex match limit on a pattern that
 *                backtracks exponentially, -f files with bad lines
 *   px-acl-cond  conditions (px_acl.c, config/rules.c): AND, ||, !,
 *                unless, several lines of one ACL name
 *   px-sni       the ClientHello peek (px_sni.c) on a hand-built hello
 */
#include "config.h"

#include "config/rules.h"
#include "proxy/px_acl.h"
#include "proxy/px_acl_pat.h"
#include "proxy/px_sni.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* A one-line program: "acl x WORDS..." parsed, its expression's set. */
struct one {
	struct rule_prog prog;
	struct px_pat_reg reg;
	struct px_pat *pat;
};

static bool one_build(struct one *o, const char *line, struct strbuf *err)
{
	struct cfg_rules *r = NULL;
	struct strvec w = STRVEC_INIT;
	struct cfg_loc loc = { "t.cfg", 1 };
	char *copy = xstrdup(line), *save = NULL;
	size_t bad;
	bool ok;

	memset(o, 0, sizeof(*o));
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
		strvec_push(&w, t);
	cfg_rules_add(&r, w.items, w.len, &loc);
	ok = rule_prog_parse(r, &o->prog, &bad, err);
	if (ok) {
		o->pat = px_pat_get(&o->reg, NULL, o->prog.exprs[0], NULL, err);
		ok = o->pat != NULL;
	}
	cfg_rules_free(r);
	strvec_free(&w);
	free(copy);
	return ok;
}

static void one_free(struct one *o)
{
	px_pat_unref(o->pat);
	px_pat_reg_free(&o->reg);
	rule_prog_free(&o->prog);
}

static bool str_match(const struct one *o, const char *s)
{
	return px_pat_str(o->pat, s, strlen(s));
}

/* ------------------------------------------------------------------ */

struct pfx {
	unsigned char a[16];
	unsigned bits;
};

static bool in_pfx(const struct pfx *p, const unsigned char *a)
{
	unsigned full = p->bits / 8, rest = p->bits % 8;

	if (memcmp(p->a, a, full) != 0)
		return false;
	if (!rest)
		return true;
	return ((p->a[full] ^ a[full]) & (0xff << (8 - rest))) == 0;
}

/* n random prefixes of family af written as patterns; then 20,000
 * random addresses (half of them inside some prefix) looked up both
 * ways. */
static void radix_against_scan(int af, int n, unsigned seed)
{
	int alen = af == AF_INET ? 4 : 16, maxb = alen * 8;
	struct pfx *p = xcalloc((size_t)n, sizeof(*p));
	struct strbuf line = STRBUF_INIT, err = STRBUF_INIT;
	struct one o;

	srand(seed);
	strbuf_puts(&line, "acl x src");
	for (int i = 0; i < n; i++) {
		char txt[INET6_ADDRSTRLEN];

		for (int k = 0; k < alen; k++)
			p[i].a[k] = (unsigned char)(rand() & (i % 3 ? 0xff : 0x0f));
		p[i].bits = (unsigned)(rand() % (maxb + 1));
		if (i % 4 == 0)
			p[i].bits = (unsigned)maxb;	/* plenty of host entries */
		/* clear the host bits, as a network is written */
		for (int b = (int)p[i].bits; b < maxb; b++)
			p[i].a[b / 8] &= (unsigned char)~(0x80 >> (b % 8));
		inet_ntop(af, p[i].a, txt, sizeof(txt));
		strbuf_printf(&line, " %s/%u", txt, p[i].bits);
	}
	ck_assert_msg(one_build(&o, strbuf_str(&line), &err), "%s", strbuf_str(&err));
	for (int t = 0; t < 20000; t++) {
		unsigned char a[16];
		bool want = false;

		for (int k = 0; k < alen; k++)
			a[k] = (unsigned char)(rand() & (t % 3 ? 0xff : 0x0f));
		if (t % 2) {
			const struct pfx *q = &p[rand() % n];

			for (int b = 0; b < (int)q->bits; b++) {
				unsigned char m = (unsigned char)(0x80 >> (b % 8));

				a[b / 8] = (unsigned char)((a[b / 8] & ~m) | (q->a[b / 8] & m));
			}
		}
		for (int i = 0; i < n && !want; i++)
			want = in_pfx(&p[i], a);
		ck_assert_int_eq(px_pat_ip(o.pat, af, a), want);
	}
	one_free(&o);
	strbuf_free(&line);
	strbuf_free(&err);
	free(p);
}

START_TEST(radix_v4)
{
	radix_against_scan(AF_INET, 40, 1);
	radix_against_scan(AF_INET, 400, 2);
}
END_TEST

START_TEST(radix_v6)
{
	radix_against_scan(AF_INET6, 40, 3);
	radix_against_scan(AF_INET6, 400, 4);
}
END_TEST

START_TEST(radix_default_route)
{
	struct one o;
	struct strbuf err = STRBUF_INIT;
	unsigned char a[4] = { 203, 0, 113, 9 };

	ck_assert(one_build(&o, "acl x src 0.0.0.0/0", &err));
	ck_assert(px_pat_ip(o.pat, AF_INET, a));
	one_free(&o);
	ck_assert(one_build(&o, "acl x src 192.0.2.0/255.255.255.0 198.51.100.7", &err));
	a[0] = 192, a[1] = 0, a[2] = 2, a[3] = 200;
	ck_assert(px_pat_ip(o.pat, AF_INET, a));
	a[3] = 200, a[2] = 3;
	ck_assert(!px_pat_ip(o.pat, AF_INET, a));
	one_free(&o);
	ck_assert(!one_build(&o, "acl x src 192.0.2.0/255.0.255.0", &err));
	one_free(&o);
	strbuf_free(&err);
}
END_TEST

START_TEST(strings)
{
	struct one o;
	struct strbuf err = STRBUF_INIT;

	ck_assert(one_build(&o, "acl x hdr(host) -i Example.ORG www.example.org", &err));
	ck_assert(str_match(&o, "example.org"));
	ck_assert(str_match(&o, "WWW.EXAMPLE.ORG"));
	ck_assert(!str_match(&o, "example.or"));
	one_free(&o);
	ck_assert(one_build(&o, "acl x hdr(host) Example.ORG", &err));
	ck_assert(!str_match(&o, "example.org"));
	ck_assert(str_match(&o, "Example.ORG"));
	one_free(&o);
	ck_assert(one_build(&o, "acl x path_dir api", &err));
	ck_assert(str_match(&o, "/v1/api/x"));
	ck_assert(str_match(&o, "/api"));
	ck_assert(!str_match(&o, "/apis/x"));
	ck_assert(str_match(&o, "/api?x=1"));	/* '?' delimits too (HAProxy) */
	ck_assert(!str_match(&o, "/v1.api/x"));	/* '.' does not, for a dir */
	one_free(&o);
	ck_assert(one_build(&o, "acl x hdr_dom(host) example.org", &err));
	ck_assert(str_match(&o, "www.example.org"));
	ck_assert(!str_match(&o, "www.myexample.org"));
	/* the Host header with a port: ':' delimits a domain (HAProxy) */
	ck_assert(str_match(&o, "www.example.org:8443"));
	ck_assert(!str_match(&o, "www.example.organic:8443"));
	one_free(&o);
	ck_assert(one_build(&o, "acl x path_end .css .js", &err));
	ck_assert(str_match(&o, "/a/b.js"));
	ck_assert(!str_match(&o, "/a/b.json"));
	one_free(&o);
	strbuf_free(&err);
}
END_TEST

START_TEST(integers)
{
	struct one o;
	struct strbuf err = STRBUF_INIT;

	ck_assert(one_build(&o, "acl x dst_port 80 8000:8100 :22", &err));
	ck_assert(px_pat_int(o.pat, 80));
	ck_assert(px_pat_int(o.pat, 8050));
	ck_assert(px_pat_int(o.pat, 21));
	ck_assert(!px_pat_int(o.pat, 81));
	one_free(&o);
	ck_assert(one_build(&o, "acl x hdr_cnt(x) gt 1", &err));
	ck_assert(px_pat_int(o.pat, 2));
	ck_assert(!px_pat_int(o.pat, 1));
	one_free(&o);
	ck_assert(!one_build(&o, "acl x dst_port 8x", &err));
	one_free(&o);
	strbuf_free(&err);
}
END_TEST

START_TEST(regex_limit)
{
	struct one o;
	struct strbuf err = STRBUF_INIT;
	char *s = xmalloc(20002);

	ck_assert(one_build(&o, "acl x path_reg ^/(a+)+$", &err));
	ck_assert(str_match(&o, "/aaaa"));
	memset(s, 'a', 20000);
	s[0] = '/';
	s[20000] = 'b';
	s[20001] = '\0';
	ck_assert(!str_match(&o, s));	/* the limit: no match, not a hang */
	one_free(&o);
	ck_assert(!one_build(&o, "acl x path_reg ^(", &err));
	ck_assert(strstr(strbuf_str(&err), "regex '^('") != NULL);
	one_free(&o);
	free(s);
	strbuf_free(&err);
}
END_TEST

START_TEST(files)
{
	struct one o;
	struct strbuf err = STRBUF_INIT, line = STRBUF_INIT;
	char path[] = "/tmp/check_px_acl.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	unsigned char a[4] = { 10, 1, 2, 3 };

	fprintf(f, "# list\n\n  10.0.0.0/8  \n192.0.2.1\n");
	fclose(f);
	strbuf_printf(&line, "acl x src -f %s", path);
	ck_assert_msg(one_build(&o, strbuf_str(&line), &err), "%s", strbuf_str(&err));
	ck_assert(px_pat_ip(o.pat, AF_INET, a));
	one_free(&o);
	f = fopen(path, "a");
	fprintf(f, "not-an-address\n");
	fclose(f);
	strbuf_reset(&err);
	ck_assert(!one_build(&o, strbuf_str(&line), &err));
	ck_assert_msg(strstr(strbuf_str(&err), ":5: 'not-an-address'") != NULL, "%s",
		      strbuf_str(&err));
	one_free(&o);
	unlink(path);
	strbuf_reset(&err);
	ck_assert(!one_build(&o, strbuf_str(&line), &err));
	ck_assert(strstr(strbuf_str(&err), "No such file") != NULL);
	one_free(&o);
	strbuf_free(&err);
	strbuf_free(&line);
}
END_TEST

/* ------------------------------------------------------------------ */

/* Builds a program of lines ('\n'-separated) and the rules of a proxy
 * around it; evaluates the condition of the last line for a source
 * address. */
static bool cond_for(const char *text, const char *src)
{
	struct cfg_proxy cp;
	struct px_proxy p;
	struct px_pat_reg reg = { 0 };
	struct strbuf err = STRBUF_INIT;
	struct sockaddr_in sin;
	struct sockaddr_storage cli, dst;
	struct px_rctx x;
	struct px_rules *r;
	char *copy = xstrdup(text), *save = NULL;
	bool failed, v;
	int no = 0;

	memset(&cp, 0, sizeof(cp));
	memset(&p, 0, sizeof(p));
	p.name = "t";
	p.mode = CFG_MODE_HTTP;
	for (char *ln = strtok_r(copy, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
		struct strvec w = STRVEC_INIT;
		struct cfg_loc loc = { "t.cfg", ++no };
		char *s2 = NULL;

		for (char *t = strtok_r(ln, " ", &s2); t; t = strtok_r(NULL, " ", &s2))
			strvec_push(&w, t);
		cfg_rules_add(&cp.rules, w.items, w.len, &loc);
		strvec_free(&w);
	}
	r = px_rules_build(&cp, &p, &p, 1, NULL, &reg, NULL, &failed, &err);
	ck_assert_msg(r && !failed, "%s", strbuf_str(&err));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, src, &sin.sin_addr);
	memset(&cli, 0, sizeof(cli));
	memcpy(&cli, &sin, sizeof(sin));
	dst = cli;
	memset(&x, 0, sizeof(x));
	x.cli = &cli;
	x.dst = &dst;
	v = px_cond(r, &r->prog.rules[r->prog.n_rules - 1].cond, &x);
	px_rules_free(r);
	px_pat_reg_free(&reg);
	cfg_rules_free(cp.rules);
	strbuf_free(&err);
	free(copy);
	return v;
}

START_TEST(conditions)
{
	const char *acls = "acl a src 192.0.2.0/24\nacl b src 192.0.2.128/25\n"
			   "acl c src 198.51.100.1\nacl c src 203.0.113.0/24\n";
	struct strbuf t = STRBUF_INIT;
	static const struct {
		const char *cond;
		const char *src;
		bool want;
	} cases[] = {
		{ "if a b", "192.0.2.200", true },
		{ "if a b", "192.0.2.1", false },
		{ "if a !b", "192.0.2.1", true },
		{ "if b || c", "203.0.113.5", true },
		{ "if b || c", "192.0.2.1", false },
		{ "if a b || c", "198.51.100.1", true },
		{ "unless a", "192.0.2.1", false },
		{ "unless a", "10.0.0.1", true },
		{ "if c", "198.51.100.1", true },	/* the first line of c */
		{ "if c", "203.0.113.9", true },	/* the second line of c */
		{ "if { src 10.0.0.0/8 } !a", "10.1.1.1", true },
		{ "if ! { src 10.0.0.0/8 }", "10.1.1.1", false },
		{ "if !a || a", "10.1.1.1", true },
		{ "if FALSE || TRUE", "10.1.1.1", true },
		{ "if LOCALHOST", "127.0.0.1", true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		strbuf_reset(&t);
		strbuf_printf(&t, "%shttp-request deny %s", acls, cases[i].cond);
		ck_assert_msg(cond_for(strbuf_str(&t), cases[i].src) == cases[i].want,
			      "'%s' for %s: want %d", cases[i].cond, cases[i].src, cases[i].want);
	}
	strbuf_free(&t);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(sni_hello)
{
	/* A minimal TLS 1.2 ClientHello: one cipher, no compression, an
	 * SNI extension for "a.example". */
	static const unsigned char name[] = "a.example";
	unsigned char b[256];
	size_t n = 0, hs_at, ext_at;
	const unsigned char *sni;
	size_t len;

	b[n++] = 0x16, b[n++] = 0x03, b[n++] = 0x01, b[n++] = 0, b[n++] = 0;	/* record */
	hs_at = n;
	b[n++] = 0x01, b[n++] = 0, b[n++] = 0, b[n++] = 0;	/* ClientHello, length */
	b[n++] = 0x03, b[n++] = 0x03;
	memset(b + n, 0x11, 32);
	n += 32;
	b[n++] = 0;					/* session id */
	b[n++] = 0, b[n++] = 2, b[n++] = 0x13, b[n++] = 0x01;	/* cipher suites */
	b[n++] = 1, b[n++] = 0;				/* compression */
	ext_at = n;
	n += 2;
	b[n++] = 0, b[n++] = 0;				/* server_name */
	b[n++] = 0, b[n++] = (unsigned char)(5 + 9);
	b[n++] = 0, b[n++] = (unsigned char)(3 + 9);
	b[n++] = 0, b[n++] = 0, b[n++] = 9;
	memcpy(b + n, name, 9);
	n += 9;
	b[ext_at] = 0, b[ext_at + 1] = (unsigned char)(n - ext_at - 2);
	b[hs_at + 3] = (unsigned char)(n - hs_at - 4);
	b[3] = 0, b[4] = (unsigned char)(n - 5);
	ck_assert_int_eq(px_sni_peek(b, n, &sni, &len), PX_SNI_DONE);
	ck_assert_uint_eq(len, 9);
	ck_assert(memcmp(sni, name, 9) == 0);
	for (size_t k = 0; k < n; k++)
		ck_assert_int_eq(px_sni_peek(b, k, &sni, &len), PX_SNI_MORE);
	b[hs_at + 3] += 40;	/* the handshake claims more than the record */
	ck_assert_int_eq(px_sni_peek(b, n, &sni, &len), PX_SNI_NOT_TLS);
	ck_assert_int_eq(px_sni_peek((const unsigned char *)"GET / HTTP/1.1\r\n", 16, &sni, &len),
			 PX_SNI_NOT_TLS);
}
END_TEST

int main(void)
{
	Suite *pat = suite_create("px-acl-pat"), *cond = suite_create("px-acl-cond"),
	      *sni = suite_create("px-sni");
	TCase *tp = tcase_create("patterns"), *tc = tcase_create("conditions"),
	      *ts = tcase_create("clienthello");
	SRunner *sr;
	int failed;

	tcase_add_test(tp, radix_v4);
	tcase_add_test(tp, radix_v6);
	tcase_add_test(tp, radix_default_route);
	tcase_add_test(tp, strings);
	tcase_add_test(tp, integers);
	tcase_add_test(tp, regex_limit);
	tcase_add_test(tp, files);
	suite_add_tcase(pat, tp);
	tcase_add_test(tc, conditions);
	suite_add_tcase(cond, tc);
	tcase_add_test(ts, sni_hello);
	suite_add_tcase(sni, ts);
	sr = srunner_create(pat);
	srunner_add_suite(sr, cond);
	srunner_add_suite(sr, sni);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
