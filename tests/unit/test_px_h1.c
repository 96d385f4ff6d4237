/* Unit tests for the proxy's HTTP/1.1 parser (proxy/px_h1.c) and head
 * writer (proxy/px_http.c): what varnishtest cannot send or check (chunk
 * extensions and trailers pass through; the forwardfor options' choice;
 * the framing of the head written again). The hostile cases live in
 * tests/http (run against softlbd and haproxy by http_vtc.sh). */
#include "config.h"

#include "proxy/proxy_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "suites.h"

#define IN(s) s, sizeof(s) - 1

static struct px_h1_msg m;

START_TEST(test_chunk_ext_trailer)
{
	/* Extensions (token=token, token="quoted") and trailers are
	 * valid: the whole body passes, and ends after the final CRLF. */
	static const char body[] = "3;a=b;c=\"d;e\"\r\nabc\r\n0\r\nX-T: v\r\nY: w\r\n\r\nGET /next";
	struct px_h1_chunk c;
	bool done = false;
	long n;

	memset(&c, 0, sizeof(c));
	n = px_h1_chunk_run(&c, body, sizeof(body) - 1, &done);
	ck_assert(done);
	ck_assert_int_eq(n, (long)(sizeof(body) - 1 - strlen("GET /next")));
}
END_TEST

START_TEST(test_chunk_split_everywhere)
{
	/* Byte by byte: the same end. */
	static const char body[] = "a\r\n0123456789\r\n1;x\r\nZ\r\n0\r\nT: 1\r\n\r\n";
	struct px_h1_chunk c;
	bool done = false;
	size_t i;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < sizeof(body) - 1 && !done; i++)
		ck_assert_int_eq(px_h1_chunk_run(&c, body + i, 1, &done), 1);
	ck_assert(done);
	ck_assert_uint_eq(i, sizeof(body) - 1);
}
END_TEST

START_TEST(test_chunk_trailer_bad)
{
	static const char body[] = "0\r\nX T\n\r\n";
	struct px_h1_chunk c;
	bool done = false;

	memset(&c, 0, sizeof(c));
	ck_assert_int_lt(px_h1_chunk_run(&c, body, sizeof(body) - 1, &done), 0);
}
END_TEST

START_TEST(test_request_framing)
{
	ck_assert_int_eq(px_h1_request(IN("POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\n"),
				       15000, NULL, &m), PX_H1_DONE);
	ck_assert_int_eq(m.body, PX_BODY_CL);
	ck_assert_uint_eq(m.cl, 5);
	ck_assert_int_eq(px_h1_request(IN("GET http://x/p HTTP/1.1\r\nHost: X\r\n\r\n"), 15000, NULL, &m),
			 PX_H1_DONE);
	ck_assert_int_eq(px_h1_request(IN("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
				       15000, NULL, &m), 501);
	ck_assert_int_eq(px_h1_request(IN("GET / HTTP/1.1\r\nHost: x\r\n"), 15000, NULL, &m), PX_H1_MORE);
	ck_assert_int_eq(px_h1_request(IN("GET / HTTP/1.0\r\n\r\n"), 15000, NULL, &m), PX_H1_DONE);
	ck_assert(!m.conn_keepalive);
}
END_TEST

/* The request written again for the server, with the options of p. */
static void out_of(struct px_proxy *p, const char *req, size_t len, const char *ip, struct strbuf *out)
{
	struct sockaddr_storage cli;
	struct sockaddr_in *a = (struct sockaddr_in *)&cli;

	memset(&cli, 0, sizeof(cli));
	a->sin_family = AF_INET;
	inet_pton(AF_INET, ip, &a->sin_addr);
	ck_assert_int_eq(px_h1_request(req, len, 15000, px_http_xff_name(p, p), &m), PX_H1_DONE);
	strbuf_reset(out);
	px_http_req_out(p, p, req, &m, &cli, false, out);
}

START_TEST(test_forwardfor_options)
{
	struct px_proxy p;
	struct strbuf out = STRBUF_INIT;

	memset(&p, 0, sizeof(p));
	p.xff.on = true;
	strcpy(p.xff.name, "X-Forwarded-For");
	out_of(&p, IN("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.1.1.1\r\nConnection: keep-alive\r\n\r\n"),
	       "192.0.2.10", &out);
	/* A field of its own, after the client's; Connection is ours. */
	ck_assert_str_eq(strbuf_str(&out), "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.1.1.1\r\n"
					   "X-Forwarded-For: 192.0.2.10\r\n\r\n");
	p.xff.if_none = true;
	out_of(&p, IN("GET / HTTP/1.1\r\nHost: x\r\nx-forwarded-for: 1.1.1.1\r\n\r\n"), "192.0.2.10", &out);
	ck_assert_ptr_null(strstr(strbuf_str(&out), "192.0.2.10"));
	p.xff.if_none = false;
	p.xff.has_except = true;
	p.xff.af = AF_INET;
	inet_pton(AF_INET, "192.0.2.0", p.xff.net);
	p.xff.bits = 25;
	out_of(&p, IN("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), "192.0.2.10", &out);
	ck_assert_ptr_null(strstr(strbuf_str(&out), "192.0.2.10"));
	out_of(&p, IN("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), "192.0.2.200", &out);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "X-Forwarded-For: 192.0.2.200\r\n"));
	strbuf_free(&out);
}
END_TEST

START_TEST(test_response_written_again)
{
	struct strbuf out = STRBUF_INIT;

	/* P3: TE wins, the CL is dropped; the client connection closes. */
	ck_assert_int_eq(px_h1_response(IN("HTTP/1.1 200 OK\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n"
					   "Keep-Alive: timeout=5\r\n\r\n"), 15000, PX_M_GET, &m), PX_H1_DONE);
	ck_assert(m.te_and_cl);
	ck_assert_int_eq(m.body, PX_BODY_CHUNKED);
	px_http_rsp_out("HTTP/1.1 200 OK\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n"
			"Keep-Alive: timeout=5\r\n\r\n", &m, true, 1, &out);
	ck_assert_str_eq(strbuf_str(&out), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
					   "Connection: close\r\n\r\n");
	/* HEAD: the length describes the GET's body; none follows. */
	ck_assert_int_eq(px_h1_response(IN("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"), 15000, PX_M_HEAD, &m),
			 PX_H1_DONE);
	ck_assert_int_eq(m.body, PX_BODY_NONE);
	/* No length at all: until the server closes. */
	ck_assert_int_eq(px_h1_response(IN("HTTP/1.0 200 OK\r\n\r\n"), 15000, PX_M_GET, &m), PX_H1_DONE);
	ck_assert_int_eq(m.body, PX_BODY_CLOSE);
	strbuf_free(&out);
}
END_TEST

Suite *px_h1_suite(void)
{
	Suite *s = suite_create("px_h1");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_chunk_ext_trailer);
	tcase_add_test(tc, test_chunk_split_everywhere);
	tcase_add_test(tc, test_chunk_trailer_bad);
	tcase_add_test(tc, test_request_framing);
	tcase_add_test(tc, test_forwardfor_options);
	tcase_add_test(tc, test_response_written_again);
	suite_add_tcase(s, tc);
	return s;
}
