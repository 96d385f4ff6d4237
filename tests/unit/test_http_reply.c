/* Unit tests for check/http_reply: the strict HTTP reply parser. Every
 * case is fed whole, one byte at a time, and in two halves, and must give
 * the same verdict each way. */
#include "config.h"

#include "check/http_reply.h"

#include <stdlib.h>
#include <string.h>

#include "suites.h"

struct body {
	char data[256];
	size_t len;
};

static void on_body(const char *data, size_t len, void *arg)
{
	struct body *b = arg;

	ck_assert_uint_le(b->len + len, sizeof(b->data));
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

#define IN(s) s, sizeof(s) - 1

/* A reply and its verdict: status (0: none), result after feeding and
 * closing, the body expected, or a word of the error. */
static const struct {
	const char *in;
	size_t len;		/* sizeof: a NUL inside counts */
	int status;
	int verdict;		/* HTTP_REPLY_DONE or HTTP_REPLY_ERROR */
	const char *body;	/* DONE: expected body */
	const char *error;	/* ERROR: a part of the reason */
} cases[] = {
	{ IN("HTTP/1.0 200 OK\r\n\r\nhello"), 200, HTTP_REPLY_DONE, "hello", NULL },
	{ IN("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 3\r\n\r\nabcdef"), 503,
	  HTTP_REPLY_DONE, "abc", NULL },
	{ IN("HTTP/1.1 204\r\nContent-Length: 0\r\n\r\n"), 204, HTTP_REPLY_DONE, "", NULL },
	{ IN("HTTP/1.0 301 Moved\nLocation: /x\n\nbye"), 301, HTTP_REPLY_DONE, "bye", NULL },
	{ IN("HTTP/1.0 200 OK\r\nX-A: b\tc\r\n\r\n"), 200, HTTP_REPLY_DONE, "", NULL },
	{ IN("HTTP/2.0 599 Odd\r\n\r\n"), 599, HTTP_REPLY_DONE, "", NULL },
	{ IN("HTTP/1.1 100 Continue\r\n\r\n"), 100, HTTP_REPLY_DONE, "", NULL },
	{ IN("HTTP/1.1200OK\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "no status code" },
	{ IN("HTTP/1.1 20 OK\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "3 digits" },
	{ IN("HTTP/1.1 2000 OK\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "3 digits" },
	{ IN("HTTP/1.1 099 Low\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "100-599" },
	{ IN("HTTP/1.1 600 High\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "100-599" },
	{ IN("HTTP/1.1 2x0 OK\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "3 digits" },
	{ IN("ICY 200 OK\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "not an HTTP reply" },
	{ IN("HTTP/ 200 OK\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "version" },
	{ IN("HTTP/1 200 OK\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "version" },
	{ IN("HTTP/1.0  200 OK\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "3 digits" },
	{ IN("HTTP/1.0 200 O\0K\r\n\r\n"), 0, HTTP_REPLY_ERROR, NULL, "NUL" },
	{ IN("\0"), 0, HTTP_REPLY_ERROR, NULL, "NUL" },
	{ IN("HTTP/1.0 200 OK\r\nX: \0\r\n\r\n"), 200, HTTP_REPLY_ERROR, NULL, "NUL" },
	{ IN("HTTP/1.0 200 OK\r\nX: \033[2J\r\n\r\n"), 200, HTTP_REPLY_ERROR, NULL, "control" },
	{ IN(""), 0, HTTP_REPLY_ERROR, NULL, "without a reply" },
	{ IN("HTTP/1.0 200"), 0, HTTP_REPLY_ERROR, NULL, "in the status line" },
	{ IN("HTTP/1.0 200 OK\r\nServer: x"), 200, HTTP_REPLY_ERROR, NULL, "in the headers" },
	{ IN("HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc"), 200, HTTP_REPLY_ERROR, NULL,
	  "whole body" },
	{ IN("HTTP/1.0 200 OK\r\nContent-Length: x1\r\n\r\n"), 200, HTTP_REPLY_ERROR, NULL,
	  "Content-Length" },
	{ IN("HTTP/1.0 200 OK\r\nContent-Length: 1\r\ncontent-length: 2\r\n\r\n"), 200,
	  HTTP_REPLY_ERROR, NULL, "two different" },
	{ IN("HTTP/1.0 200 OK\r\nContent-Length:   2  \r\n\r\nabc"), 200, HTTP_REPLY_DONE, "ab",
	  NULL },
	/* Transfer-Encoding: chunked, decoded; bytes after the end ignored. */
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	     "2\r\nOK\r\n1\r\n\n\r\n0\r\n\r\njunk"), 200, HTTP_REPLY_DONE, "OK\n", NULL },
	{ IN("HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, Chunked\r\n\r\n"
	     "a;name=\"v\" ; x\r\n0123456789\r\nA \t\r\nabcdefghij\r\n0\r\n"
	     "X-Trailer: 1\r\nY: 2\r\n\r\n"), 200, HTTP_REPLY_DONE,
	  "0123456789abcdefghij", NULL },
	{ IN("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n"), 200,
	  HTTP_REPLY_DONE, "abc", NULL },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000\r\n\r\n"), 200,
	  HTTP_REPLY_DONE, "", NULL },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n3\r\nabc"), 200,
	  HTTP_REPLY_DONE, "3\r\nabc", NULL },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2x\r\nOK\r\n0\r\n\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "bad chunk size" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\nOK\r\n0\r\n\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "bad chunk size" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\nOK\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "bad chunk size" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n 2\r\nOK\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "bad chunk size" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	     "10000000000000002\r\nOK\r\n0\r\n\r\n"), 200, HTTP_REPLY_ERROR, NULL, "too large" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	     "8000000000000000\r\nOK\r\n"), 200, HTTP_REPLY_ERROR, NULL, "too large" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nOKX\r\n0\r\n\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "longer than its size" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\rX"),
	  200, HTTP_REPLY_ERROR, NULL, "CR without LF" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;\001\r\nOK\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "control byte in a chunk extension" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nOK"),
	  200, HTTP_REPLY_ERROR, NULL, "inside the chunked body" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "inside the chunked body" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: \0\r\n\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "control byte in the trailer" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "both Transfer-Encoding and Content-Length" },
	{ IN("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "both Transfer-Encoding and Content-Length" },
	{ IN("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n"),
	  200, HTTP_REPLY_ERROR, NULL, "not the last transfer coding" },
};

/* Feeds s in pieces of step bytes (0: whole), then closes; returns the
 * final verdict. */
static int run(struct http_reply *r, struct body *b, const char *s, size_t len, size_t step)
{
	size_t off = 0;
	int rc = HTTP_REPLY_MORE;

	http_reply_init(r);
	memset(b, 0, sizeof(*b));
	while (off < len && rc == HTTP_REPLY_MORE) {
		size_t n = step && step < len - off ? step : len - off;

		rc = http_reply_feed(r, s + off, n, on_body, b);
		off += n;
	}
	if (rc == HTTP_REPLY_MORE)
		rc = http_reply_eof(r);
	return rc;
}

START_TEST(test_reply_cases)
{
	size_t len = cases[_i].len;
	size_t steps[] = { 0, 1, len / 2 ? len / 2 : 1 };

	for (size_t k = 0; k < 3; k++) {
		struct http_reply r;
		struct body b;
		int rc = run(&r, &b, cases[_i].in, len, steps[k]);

		ck_assert_msg(rc == cases[_i].verdict, "case %d step %zu: got %d (%s)", _i,
			      steps[k], rc, r.error);
		if (cases[_i].verdict == HTTP_REPLY_DONE) {
			ck_assert_int_eq(r.status, cases[_i].status);
			ck_assert_uint_eq(b.len, strlen(cases[_i].body));
			ck_assert(memcmp(b.data, cases[_i].body, b.len) == 0);
		} else {
			ck_assert_msg(strstr(r.error, cases[_i].error) != NULL,
				      "case %d: error '%s' lacks '%s'", _i, r.error,
				      cases[_i].error);
			if (cases[_i].status)
				ck_assert_int_eq(r.status, cases[_i].status);
		}
	}
}
END_TEST

/* A 64 KiB status line fails as soon as it passes the limit, without
 * reading the rest. */
START_TEST(test_reply_long_line)
{
	size_t n = 65536;
	char *s = malloc(n);
	struct http_reply r;

	memcpy(s, "HTTP/1.1 200 ", 13);
	memset(s + 13, 'a', n - 13);
	http_reply_init(&r);
	ck_assert_int_eq(http_reply_feed(&r, s, n, NULL, NULL), HTTP_REPLY_ERROR);
	ck_assert(strstr(r.error, "longer than 1024") != NULL);
	free(s);
}
END_TEST

/* Headers over 64 KiB in total fail, even in small lines. */
START_TEST(test_reply_many_headers)
{
	struct http_reply r;
	int rc = HTTP_REPLY_MORE;

	http_reply_init(&r);
	ck_assert_int_eq(http_reply_feed(&r, "HTTP/1.1 200 OK\r\n", 17, NULL, NULL),
			 HTTP_REPLY_MORE);
	for (int i = 0; i < 10000 && rc == HTTP_REPLY_MORE; i++)
		rc = http_reply_feed(&r, "X-Pad: 0123456789\r\n", 19, NULL, NULL);
	ck_assert_int_eq(rc, HTTP_REPLY_ERROR);
	ck_assert(strstr(r.error, "64 KiB") != NULL);
}
END_TEST

/* A chunk-size line (extensions included) over 1 KiB fails, and so
 * does a trailer past the header limits, however it is split. */
START_TEST(test_reply_chunk_limits)
{
	static const char head[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
	struct http_reply r;
	char ext[2048];
	int rc = HTTP_REPLY_MORE;

	memset(ext, 'e', sizeof(ext));
	memcpy(ext, "2;", 2);
	http_reply_init(&r);
	ck_assert_int_eq(http_reply_feed(&r, head, sizeof(head) - 1, NULL, NULL), HTTP_REPLY_MORE);
	ck_assert_int_eq(http_reply_feed(&r, ext, sizeof(ext), NULL, NULL), HTTP_REPLY_ERROR);
	ck_assert(strstr(r.error, "chunk-size line longer than 1024") != NULL);

	http_reply_init(&r);
	http_reply_feed(&r, head, sizeof(head) - 1, NULL, NULL);
	ck_assert_int_eq(http_reply_feed(&r, "0\r\n", 3, NULL, NULL), HTTP_REPLY_MORE);
	for (int i = 0; i < 10000 && rc == HTTP_REPLY_MORE; i++)
		rc = http_reply_feed(&r, "X-Pad: 0123456789\r\n", 19, NULL, NULL);
	ck_assert_int_eq(rc, HTTP_REPLY_ERROR);
	ck_assert(strstr(r.error, "64 KiB") != NULL);
}
END_TEST

/* The status is known as soon as the first line ends: a check that
 * needs no body stops there. */
START_TEST(test_reply_status_early)
{
	struct http_reply r;

	http_reply_init(&r);
	ck_assert(!http_reply_has_status(&r));
	http_reply_feed(&r, "HTTP/1.1 404 Not", 16, NULL, NULL);
	ck_assert(!http_reply_has_status(&r));
	http_reply_feed(&r, " Found\r\n", 8, NULL, NULL);
	ck_assert(http_reply_has_status(&r));
	ck_assert_int_eq(r.status, 404);
}
END_TEST

Suite *http_reply_suite(void)
{
	Suite *s = suite_create("http_reply");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_reply_cases, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_reply_long_line);
	tcase_add_test(tc, test_reply_many_headers);
	tcase_add_test(tc, test_reply_status_early);
	tcase_add_test(tc, test_reply_chunk_limits);
	suite_add_tcase(s, tc);
	return s;
}
