/* Unit tests of cookie persistence (px_cookie.c), a runner of its own:
 * HAProxy's date encoding, which server a Cookie field names in each
 * server state, the request's Cookie field as the server gets it, the
 * server's Set-Cookie as the client gets it, and random Cookie bytes
 * (under ASan in make check) that must never crash nor name a server
 * the value does not start with. */
#include "config.h"

#include "config/hap_cookie.h"
#include "proxy/proxy_int.h"
#include "proxy/px_cookie.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static struct px_server srv[3];
static struct px_proxy be;
static struct cfg_cookie ck;

static void setup(const char *line)
{
	struct strbuf err = STRBUF_INIT;
	static char names[3][4] = { "s1", "s2", "s3" };
	static char vals[3][4] = { "a1", "b2", "c3" };

	ck_assert_msg(cfg_cookie_parse_text(line, &ck, &err), "%s", strbuf_str(&err));
	strbuf_free(&err);
	memset(&be, 0, sizeof(be));
	memset(srv, 0, sizeof(srv));
	for (int i = 0; i < 3; i++) {
		srv[i].name = names[i];
		srv[i].cookie = vals[i];
		srv[i].state = PX_SRV_UP;
		srv[i].weight = 1;
	}
	be.srv = srv;
	be.n_srv = 3;
	be.ck = &ck;
	be.mode = CFG_MODE_HTTP;
}

/* Parses a request head holding the Cookie field value c. */
static char head[16384];
static struct px_h1_msg msg;

static int request(const char *c)
{
	int n = snprintf(head, sizeof(head), "GET / HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n\r\n", c);

	if (n < 0 || (size_t)n >= sizeof(head))
		return -1;
	return px_h1_request(head, (size_t)n, sizeof(head), NULL, &msg);
}

static struct px_ck_txn judge(const char *c)
{
	struct px_ck_txn t;

	ck_assert_int_eq(request(c), PX_H1_DONE);
	px_cookie_request(&be, head, &msg, 1796468000, &t);
	return t;
}

START_TEST(test_dates)
{
	char out[6] = { 0 };

	px_cookie_s30tob64(0, out);
	ck_assert_str_eq(out, "AAAAA");
	px_cookie_s30tob64(1, out);
	ck_assert_str_eq(out, "AAAAB");
	px_cookie_s30tob64(0x3fffffff, out);
	ck_assert_str_eq(out, "/////");
	for (uint32_t v = 1; v < 0x3fffffff; v = v * 3 + 7) {
		px_cookie_s30tob64(v, out);
		ck_assert_int_eq(px_cookie_b64tos30(out), (int32_t)v);
	}
	ck_assert_int_eq(px_cookie_b64tos30("AA-AA"), -1);
	ck_assert_int_eq(px_cookie_b64tos30("AAA"), -1);
}
END_TEST

START_TEST(test_states)
{
	struct px_ck_txn t;

	setup("SRV insert indirect");
	t = judge("x=1; SRV=b2; y=2");
	ck_assert_ptr_eq(t.srv, &srv[1]);
	ck_assert_int_eq(t.cli, 'V');
	t = judge("y=2");
	ck_assert_ptr_null(t.srv);
	ck_assert_int_eq(t.cli, 'N');
	t = judge("SRV=zz");
	ck_assert_ptr_null(t.srv);
	ck_assert_int_eq(t.cli, 'I');
	srv[1].state = PX_SRV_DRAIN;	/* keeps its persistent users */
	ck_assert_ptr_eq(judge("SRV=b2").srv, &srv[1]);
	srv[1].state = PX_SRV_DOWN;
	t = judge("SRV=b2");
	ck_assert_ptr_null(t.srv);
	ck_assert_int_eq(t.cli, 'D');
	be.persist = true;		/* option persist */
	ck_assert_ptr_eq(judge("SRV=b2").srv, &srv[1]);
	srv[1].state = PX_SRV_MAINT;	/* never */
	ck_assert_ptr_null(judge("SRV=b2").srv);
	ck_assert_ptr_eq(judge("SRV=a1; SRV=c3").srv, &srv[0]);	/* the first decides */
}
END_TEST

static const char *req_field(const char *c)
{
	static struct strbuf out = STRBUF_INIT;

	strbuf_reset(&out);
	ck_assert_int_eq(request(c), PX_H1_DONE);
	for (unsigned i = 0; i < msg.nh; i++)
		if (msg.h[i].nl == 6 && memcmp(head + msg.h[i].n, "Cookie", 6) == 0) {
			if (!px_cookie_req_field(&be, head, &msg.h[i], &out))
				return "(as it came)";
			return out.len ? strbuf_str(&out) : "(dropped)";
		}
	return "(none)";
}

START_TEST(test_request_field)
{
	setup("SRV insert indirect");
	ck_assert_str_eq(req_field("a=1; SRV=b2;b=2"), "Cookie: a=1; b=2\r\n");
	ck_assert_str_eq(req_field("SRV=b2"), "(dropped)");
	ck_assert_str_eq(req_field("a=1"), "(as it came)");
	setup("SRV prefix");
	ck_assert_str_eq(req_field("SRV=b2~app; k=v"), "Cookie: SRV=app; k=v\r\n");
	setup("SRV rewrite");
	ck_assert_str_eq(req_field("SRV=b2"), "(as it came)");
}
END_TEST

static const char *set_cookie(const char *value, struct px_server *s, bool direct)
{
	static char rsp[1024];
	static struct strbuf out = STRBUF_INIT;
	struct px_ck_txn t;
	int n = snprintf(rsp, sizeof(rsp), "HTTP/1.1 200 OK\r\nSet-Cookie: %s\r\nContent-Length: 0\r\n\r\n",
			 value);

	strbuf_reset(&out);
	memset(&t, 0, sizeof(t));
	t.direct = direct;
	ck_assert_int_eq(px_h1_response(rsp, (size_t)n, sizeof(rsp), PX_M_GET, &msg), PX_H1_DONE);
	if (!px_cookie_rsp_field(&be, s, &t, rsp, &msg.h[0], &out))
		return "(as it came)";
	return out.len ? strbuf_str(&out) : "(dropped)";
}

START_TEST(test_response_field)
{
	setup("SRV rewrite");
	ck_assert_str_eq(set_cookie("SRV=app; path=/; HttpOnly", &srv[0], false),
			 "Set-Cookie: SRV=a1; path=/; HttpOnly\r\n");
	ck_assert_str_eq(set_cookie("OTHER=app", &srv[0], false), "(as it came)");
	setup("SRV prefix");
	ck_assert_str_eq(set_cookie("SRV=app", &srv[2], false), "Set-Cookie: SRV=c3~app\r\n");
	setup("SRV insert");
	ck_assert_str_eq(set_cookie("SRV=app", &srv[0], false), "(dropped)");
	setup("SRV insert preserve");
	ck_assert_str_eq(set_cookie("SRV=app", &srv[0], false), "(as it came)");
}
END_TEST

/* Random visible bytes (what the head parser lets through) as Cookie
 * values: no crash, and a server only when the value names it. */
START_TEST(test_random_cookies)
{
	unsigned seed = 12345;
	static const char alpha[] = "SRVab123=;|~\" ,\t\\%#{}";

	setup("SRV insert indirect maxidle 30m maxlife 8h");
	for (int round = 0; round < 20000; round++) {
		char c[600];
		size_t n = (size_t)(rand_r(&seed) % (sizeof(c) - 1));
		struct px_ck_txn t;
		struct strbuf out = STRBUF_INIT;

		for (size_t i = 0; i < n; i++)
			c[i] = rand_r(&seed) % 4 ? alpha[rand_r(&seed) % (sizeof(alpha) - 1)]
						 : (char)(33 + rand_r(&seed) % 94);
		c[n] = '\0';
		while (n && (c[n - 1] == ' ' || c[n - 1] == '\t'))
			c[--n] = '\0';
		if (request(c) != PX_H1_DONE)
			continue;
		px_cookie_request(&be, head, &msg, 1796468000, &t);
		if (t.srv) {
			const char *p = strstr(c, "SRV=");

			ck_assert_ptr_nonnull(p);
		}
		for (unsigned i = 0; i < msg.nh; i++)
			px_cookie_req_field(&be, head, &msg.h[i], &out);
		ck_assert_ptr_null(out.data ? memchr(out.data, '\n', out.len ? out.len - 1 : 0) : NULL);
		strbuf_free(&out);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("px-cookie");
	TCase *tc = tcase_create("cookie");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_dates);
	tcase_add_test(tc, test_states);
	tcase_add_test(tc, test_request_field);
	tcase_add_test(tc, test_response_field);
	tcase_add_test(tc, test_random_cookies);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
