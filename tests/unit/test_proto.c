/* Unit tests for ctl/proto: the frame codec of the control socket.
 *
 * Inputs are byte arrays with explicit lengths (S() below) because several
 * cases carry NUL bytes. */
#include "config.h"

#include "ctl/proto.h"

#include <stdlib.h>
#include <string.h>

#include "suites.h"

/* A string literal as (bytes, length), NULs included. */
#define S(lit) lit, sizeof(lit) - 1
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- names ---- */

static const struct {
	int status;
	const char *name;
} status_cases[] = {
	{ CTL_OK, "ok" },
	{ CTL_BYE, "bye" },
	{ CTL_ERR_SYNTAX, "syntax error" },
	{ CTL_ERR_DENIED, "permission denied" },
	{ CTL_ERR_NOTFOUND, "not found" },
	{ CTL_ERR_TOOBIG, "request too large" },
	{ CTL_ERR_FAILED, "command failed" },
	{ CTL_ERR_INTERNAL, "internal error" },
	{ CTL_ERR_UNAVAILABLE, "unavailable" },
	{ 0, "unknown status" },
	{ 201, "unknown status" },
	{ 999, "unknown status" },
	{ -200, "unknown status" },
};

START_TEST(test_status_name)
{
	ck_assert_str_eq(ctl_status_name(status_cases[_i].status),
			 status_cases[_i].name);
}
END_TEST

START_TEST(test_verb_name)
{
	ck_assert_str_eq(ctl_verb_name(CTL_VERB_EXEC), "exec");
	ck_assert_str_eq(ctl_verb_name(CTL_VERB_COMPLETE), "complete");
	ck_assert_str_eq(ctl_verb_name(CTL_VERB_DESCRIBE), "describe");
	ck_assert_str_eq(ctl_verb_name(CTL_VERB_COUNT), "unknown verb");
}
END_TEST

/* ---- requests: round trips ---- */

static const struct {
	enum ctl_verb verb;
	unsigned flags;
	const char *body;
	size_t len;
	const char *header;	/* exactly what the encoder must write */
} req_cases[] = {
	{ CTL_VERB_EXEC, 0, S("show version"), "exec 12\n" },
	{ CTL_VERB_EXEC, CTL_FLAG_JSON, S("show running-config"), "exec 19 json\n" },
	{ CTL_VERB_COMPLETE, 0, S("sh"), "complete 2\n" },
	{ CTL_VERB_DESCRIBE, 0, S("show "), "describe 5\n" },
	{ CTL_VERB_EXEC, 0, S(""), "exec 0\n" },
	{ CTL_VERB_EXEC, CTL_FLAG_JSON, S(""), "exec 0 json\n" },
	/* The body is opaque: newlines, NULs, bytes that look like headers. */
	{ CTL_VERB_EXEC, 0, S("a\nb\0c\n"), "exec 6\n" },
	{ CTL_VERB_EXEC, 0, S("exec 3\n\0\0\0"), "exec 10\n" },
	{ CTL_VERB_COMPLETE, CTL_FLAG_JSON, S("\xff\xfe\n"), "complete 3 json\n" },
	/* Flag bits the wire cannot express are dropped. */
	{ CTL_VERB_EXEC, 0x80u, S("x"), "exec 1\n" },
};

START_TEST(test_request_round_trip)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct ctl_request req;
	size_t used = 0, hlen = strlen(req_cases[_i].header);

	ctl_encode_request(&out, req_cases[_i].verb, req_cases[_i].flags,
			   req_cases[_i].body, req_cases[_i].len);
	ck_assert_uint_eq(out.len, hlen + req_cases[_i].len);
	ck_assert_mem_eq(out.data, req_cases[_i].header, hlen);
	ck_assert_int_eq(memcmp(out.data + hlen, req_cases[_i].body,
				req_cases[_i].len), 0);

	ck_assert_int_eq(ctl_decode_request(out.data, out.len, CTL_REQUEST_MAX,
					    &req, &used, &err), CTL_DECODE_OK);
	ck_assert_uint_eq(used, out.len);
	ck_assert_int_eq(req.verb, req_cases[_i].verb);
	ck_assert_uint_eq(req.flags, req_cases[_i].flags & CTL_FLAG_JSON);
	ck_assert_uint_eq(req.len, req_cases[_i].len);
	ck_assert_ptr_eq(req.body, out.data + hlen);
	ck_assert_int_eq(memcmp(req.body, req_cases[_i].body, req.len), 0);
	strbuf_free(&out);
	strbuf_free(&err);
}
END_TEST

/* Every prefix of a frame is AGAIN; the whole frame is OK, whatever follows. */
START_TEST(test_request_byte_by_byte)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct ctl_request req;
	size_t used, k, frame;

	ctl_encode_request(&out, CTL_VERB_EXEC, CTL_FLAG_JSON, S("show\nrun\0x\n"));
	frame = out.len;
	strbuf_append(&out, S("exec 0\n"));
	for (k = 0; k < frame; k++) {
		used = 12345;
		ck_assert_msg(ctl_decode_request(out.data, k, CTL_REQUEST_MAX,
						 &req, &used, &err) == CTL_DECODE_AGAIN,
			      "prefix of %zu bytes", k);
		ck_assert_uint_eq(used, 12345);
	}
	for (k = frame; k <= out.len; k++) {
		ck_assert_int_eq(ctl_decode_request(out.data, k, CTL_REQUEST_MAX,
						    &req, &used, &err), CTL_DECODE_OK);
		ck_assert_uint_eq(used, frame);
		ck_assert_uint_eq(req.len, 11);
		ck_assert_int_eq(memcmp(req.body, "show\nrun\0x\n", 11), 0);
	}
	strbuf_free(&out);
	strbuf_free(&err);
}
END_TEST

/* Two frames back to back: used is exactly the first, and the second
 * decodes from there. */
START_TEST(test_request_two_frames)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct ctl_request req;
	size_t used, first;

	ctl_encode_request(&out, CTL_VERB_EXEC, 0, S("configure\n"));
	first = out.len;
	ctl_encode_request(&out, CTL_VERB_DESCRIBE, CTL_FLAG_JSON, S("sh\0"));

	ck_assert_int_eq(ctl_decode_request(out.data, out.len, CTL_REQUEST_MAX,
					    &req, &used, &err), CTL_DECODE_OK);
	ck_assert_uint_eq(used, first);
	ck_assert_int_eq(req.verb, CTL_VERB_EXEC);
	ck_assert_uint_eq(req.len, 10);
	ck_assert_int_eq(memcmp(req.body, "configure\n", 10), 0);

	ck_assert_int_eq(ctl_decode_request(out.data + used, out.len - used,
					    CTL_REQUEST_MAX, &req, &used, &err),
			 CTL_DECODE_OK);
	ck_assert_uint_eq(first + used, out.len);
	ck_assert_int_eq(req.verb, CTL_VERB_DESCRIBE);
	ck_assert_uint_eq(req.flags, CTL_FLAG_JSON);
	ck_assert_uint_eq(req.len, 3);
	ck_assert_int_eq(memcmp(req.body, "sh\0", 3), 0);
	strbuf_free(&out);
	strbuf_free(&err);
}
END_TEST

/* ---- requests: refusals ---- */

static const struct {
	const char *buf;
	size_t len;
	enum ctl_decode rc;
	const char *err;	/* must appear in the error text */
} req_bad[] = {
	{ S("\n"), CTL_DECODE_MALFORMED, "empty header line" },
	{ S(" exec 0\n"), CTL_DECODE_MALFORMED, "stray space" },
	{ S("exec  0\n"), CTL_DECODE_MALFORMED, "stray space" },
	{ S("exec 0 \n"), CTL_DECODE_MALFORMED, "stray space" },
	{ S("exec 0  json\n"), CTL_DECODE_MALFORMED, "stray space" },
	{ S("EXEC 0\n"), CTL_DECODE_MALFORMED, "unknown verb 'EXEC'" },
	{ S("run 0\n"), CTL_DECODE_MALFORMED, "unknown verb 'run'" },
	{ S("exe 0\n"), CTL_DECODE_MALFORMED, "unknown verb 'exe'" },
	{ S("execute 0\n"), CTL_DECODE_MALFORMED, "unknown verb 'execute'" },
	{ S("exec\n"), CTL_DECODE_MALFORMED, "missing length" },
	{ S("exec x\n"), CTL_DECODE_MALFORMED, "invalid length 'x'" },
	{ S("exec -1\n"), CTL_DECODE_MALFORMED, "invalid length '-1'" },
	{ S("exec +1\n"), CTL_DECODE_MALFORMED, "invalid length '+1'" },
	{ S("exec 1x\n"), CTL_DECODE_MALFORMED, "invalid length '1x'" },
	{ S("exec 0x10\n"), CTL_DECODE_MALFORMED, "invalid length '0x10'" },
	{ S("exec 1.5\n"), CTL_DECODE_MALFORMED, "invalid length '1.5'" },
	{ S("exec 00\n"), CTL_DECODE_MALFORMED, "leading zero" },
	{ S("exec 01\n"), CTL_DECODE_MALFORMED, "leading zero" },
	{ S("exec 12345678901\n"), CTL_DECODE_MALFORMED, "more than 10 digits" },
	{ S("exec 00000000000000000000001\n"), CTL_DECODE_MALFORMED, "more than 10 digits" },
	{ S("exec 99999999999999999999999\n"), CTL_DECODE_MALFORMED, "more than 10 digits" },
	{ S("exec 0 xml\n"), CTL_DECODE_MALFORMED, "unknown flag 'xml'" },
	{ S("exec 0 JSON\n"), CTL_DECODE_MALFORMED, "unknown flag 'JSON'" },
	{ S("exec 0 json x\n"), CTL_DECODE_MALFORMED, "unknown flag 'x'" },
	{ S("exec 0 json json\n"), CTL_DECODE_MALFORMED, "duplicate flag 'json'" },
	/* Control and non-ASCII bytes, refused even before the '\n' arrives. */
	{ S("exec 0\r\n"), CTL_DECODE_MALFORMED, "control character 0x0d" },
	{ S("exec\t0\n"), CTL_DECODE_MALFORMED, "control character 0x09" },
	{ S("ex\0ec 0\n"), CTL_DECODE_MALFORMED, "control character 0x00" },
	{ S("\0"), CTL_DECODE_MALFORMED, "control character 0x00" },
	{ S("exec 1\x7f"), CTL_DECODE_MALFORMED, "control character 0x7f" },
	{ S("exec 0 \x1b[A"), CTL_DECODE_MALFORMED, "control character 0x1b" },
	{ S("exec 0 j\xc3\xa9son\n"), CTL_DECODE_MALFORMED, "non-ASCII byte 0xc3" },
	/* Incomplete but so far valid. */
	{ S(""), CTL_DECODE_AGAIN, NULL },
	{ S("exec"), CTL_DECODE_AGAIN, NULL },
	{ S("exec 5"), CTL_DECODE_AGAIN, NULL },
	{ S("exec 5\nabcd"), CTL_DECODE_AGAIN, NULL },
	{ S("garbage that is not finished"), CTL_DECODE_AGAIN, NULL },
	/* Too big: refused as soon as the header is complete. */
	{ S("exec 65537\n"), CTL_DECODE_TOOBIG,
	  "request of 65537 bytes exceeds the 65536-byte limit" },
	{ S("exec 1048576\n"), CTL_DECODE_TOOBIG,
	  "request of 1048576 bytes exceeds the 65536-byte limit" },
	{ S("exec 9999999999 json\n"), CTL_DECODE_TOOBIG,
	  "request of 9999999999 bytes exceeds the 65536-byte limit" },
	{ S("exec 65536\n"), CTL_DECODE_AGAIN, NULL },
	/* A malformed header is MALFORMED even when it also announces too much. */
	{ S("exec 1048576 yaml\n"), CTL_DECODE_MALFORMED, "unknown flag 'yaml'" },
};

START_TEST(test_request_bad)
{
	struct strbuf err = STRBUF_INIT;
	struct ctl_request req;
	size_t used = 777;
	enum ctl_decode rc;

	strbuf_puts(&err, "stale text from an earlier call");
	rc = ctl_decode_request(req_bad[_i].buf, req_bad[_i].len, CTL_REQUEST_MAX,
				&req, &used, &err);
	ck_assert_msg(rc == req_bad[_i].rc, "case %d: rc %d, want %d (%s)",
		      _i, rc, req_bad[_i].rc, strbuf_str(&err));
	ck_assert_uint_eq(used, 777);
	if (req_bad[_i].err) {
		ck_assert_msg(strstr(strbuf_str(&err), req_bad[_i].err) != NULL,
			      "case %d: error '%s' lacks '%s'", _i,
			      strbuf_str(&err), req_bad[_i].err);
		ck_assert_ptr_null(strstr(strbuf_str(&err), "stale"));
	}
	/* The same answer when the caller does not want the reason. */
	ck_assert_int_eq(ctl_decode_request(req_bad[_i].buf, req_bad[_i].len,
					    CTL_REQUEST_MAX, &req, &used, NULL),
			 req_bad[_i].rc);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_request_toobig_exact_message)
{
	struct strbuf err = STRBUF_INIT;
	struct ctl_request req;
	size_t used;

	ck_assert_int_eq(ctl_decode_request(S("exec 1048576\n"), CTL_REQUEST_MAX,
					    &req, &used, &err), CTL_DECODE_TOOBIG);
	ck_assert_str_eq(strbuf_str(&err),
			 "request of 1048576 bytes exceeds the 65536-byte limit");
	/* The limit is the caller's. */
	ck_assert_int_eq(ctl_decode_request(S("exec 11\n"), 10, &req, &used, &err),
			 CTL_DECODE_TOOBIG);
	ck_assert_str_eq(strbuf_str(&err),
			 "request of 11 bytes exceeds the 10-byte limit");
	ck_assert_int_eq(ctl_decode_request(S("exec 10\n0123456789"), 10,
					    &req, &used, &err), CTL_DECODE_OK);
	ck_assert_int_eq(ctl_decode_request(S("exec 0\n"), 0, &req, &used, &err),
			 CTL_DECODE_OK);
	strbuf_free(&err);
}
END_TEST

/* The header line may be at most CTL_HEADER_MAX bytes before its '\n'
 * ("a header line over 128 bytes" is refused); a peer that never sends '\n'
 * is cut off at the first byte past that, not later. */
START_TEST(test_header_too_long)
{
	char buf[CTL_HEADER_MAX + 16];
	struct strbuf err = STRBUF_INIT;
	struct ctl_request req;
	struct ctl_reply rep;
	size_t used;

	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "exec 0 ", 7);
	ck_assert_int_eq(ctl_decode_request(buf, CTL_HEADER_MAX, CTL_REQUEST_MAX,
					    &req, &used, &err), CTL_DECODE_AGAIN);
	ck_assert_int_eq(ctl_decode_request(buf, CTL_HEADER_MAX + 1, CTL_REQUEST_MAX,
					    &req, &used, &err), CTL_DECODE_MALFORMED);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&err), "header line too long"));
	ck_assert_int_eq(ctl_decode_request(buf, sizeof(buf), CTL_REQUEST_MAX,
					    &req, &used, &err), CTL_DECODE_MALFORMED);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&err), "header line too long"));

	/* A '\n' right after the last allowed byte ends the line in time: the
	 * header is then judged on its words instead. */
	buf[CTL_HEADER_MAX] = '\n';
	ck_assert_int_eq(ctl_decode_request(buf, CTL_HEADER_MAX + 1, CTL_REQUEST_MAX,
					    &req, &used, &err), CTL_DECODE_MALFORMED);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&err), "unknown flag"));

	/* One byte later is too late. */
	buf[CTL_HEADER_MAX] = 'a';
	buf[CTL_HEADER_MAX + 1] = '\n';
	ck_assert_int_eq(ctl_decode_request(buf, CTL_HEADER_MAX + 2, CTL_REQUEST_MAX,
					    &req, &used, &err), CTL_DECODE_MALFORMED);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&err), "header line too long"));

	memset(buf, '2', sizeof(buf));
	ck_assert_int_eq(ctl_decode_reply(buf, CTL_HEADER_MAX, CTL_REPLY_MAX,
					  &rep, &used, &err), CTL_DECODE_AGAIN);
	ck_assert_int_eq(ctl_decode_reply(buf, CTL_HEADER_MAX + 1, CTL_REPLY_MAX,
					  &rep, &used, &err), CTL_DECODE_MALFORMED);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&err), "header line too long"));
	strbuf_free(&err);
}
END_TEST

/* ---- replies ---- */

static const struct {
	int status;
	const char *node;
	const char *body;
	size_t len;
	const char *header;
} rep_cases[] = {
	{ CTL_OK, "view", S("softlb 1.0\n"), "200 view 11\n" },
	{ CTL_BYE, "view", S(""), "221 view 0\n" },
	{ CTL_ERR_SYNTAX, "config", S("% unknown command\n"), "400 config 18\n" },
	{ CTL_ERR_DENIED, "view", S("needs role admin\n"), "403 view 17\n" },
	{ CTL_ERR_UNAVAILABLE, "config-vs-1", S("x"), "503 config-vs-1 1\n" },
	{ 100, "a", S(""), "100 a 0\n" },
	{ 599, "0-9", S("\0\n\0"), "599 0-9 3\n" },
	{ CTL_OK, "abcdefghijklmnopqrstuvwxyz-0123", S("{}"),
	  "200 abcdefghijklmnopqrstuvwxyz-0123 2\n" },
	{ CTL_OK, "view", S("version=1\nhost=lb1\nrole=admin\nuser=root\n"),
	  "200 view 40\n" },
};

START_TEST(test_reply_round_trip)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct ctl_reply rep;
	size_t used = 0, hlen = strlen(rep_cases[_i].header);

	ctl_encode_reply(&out, rep_cases[_i].status, rep_cases[_i].node,
			 rep_cases[_i].body, rep_cases[_i].len);
	ck_assert_uint_eq(out.len, hlen + rep_cases[_i].len);
	ck_assert_mem_eq(out.data, rep_cases[_i].header, hlen);

	ck_assert_int_eq(ctl_decode_reply(out.data, out.len, CTL_REPLY_MAX,
					  &rep, &used, &err), CTL_DECODE_OK);
	ck_assert_uint_eq(used, out.len);
	ck_assert_int_eq(rep.status, rep_cases[_i].status);
	ck_assert_str_eq(rep.node, rep_cases[_i].node);
	ck_assert_uint_eq(rep.len, rep_cases[_i].len);
	ck_assert_ptr_eq(rep.body, out.data + hlen);
	ck_assert_int_eq(memcmp(rep.body, rep_cases[_i].body, rep.len), 0);
	strbuf_free(&out);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_reply_byte_by_byte)
{
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
	struct ctl_reply rep;
	size_t used, k, frame;

	ctl_encode_reply(&out, CTL_ERR_FAILED, "config", S("bad\0value\n"));
	frame = out.len;
	ctl_encode_reply(&out, CTL_OK, "view", S("next"));
	for (k = 0; k < frame; k++)
		ck_assert_msg(ctl_decode_reply(out.data, k, CTL_REPLY_MAX, &rep,
					       &used, &err) == CTL_DECODE_AGAIN,
			      "prefix of %zu bytes", k);
	ck_assert_int_eq(ctl_decode_reply(out.data, frame, CTL_REPLY_MAX, &rep,
					  &used, &err), CTL_DECODE_OK);
	ck_assert_uint_eq(used, frame);
	ck_assert_int_eq(rep.status, CTL_ERR_FAILED);
	ck_assert_str_eq(rep.node, "config");
	ck_assert_uint_eq(rep.len, 10);
	ck_assert_int_eq(memcmp(rep.body, "bad\0value\n", 10), 0);

	/* The second frame, from exactly where the first ended. */
	ck_assert_int_eq(ctl_decode_reply(out.data + used, out.len - used,
					  CTL_REPLY_MAX, &rep, &used, &err),
			 CTL_DECODE_OK);
	ck_assert_uint_eq(frame + used, out.len);
	ck_assert_int_eq(rep.status, CTL_OK);
	ck_assert_str_eq(rep.node, "view");
	ck_assert_uint_eq(rep.len, 4);
	strbuf_free(&out);
	strbuf_free(&err);
}
END_TEST

static const struct {
	const char *buf;
	size_t len;
	enum ctl_decode rc;
	const char *err;
} rep_bad[] = {
	{ S("\n"), CTL_DECODE_MALFORMED, "empty header line" },
	{ S("200 view\n"), CTL_DECODE_MALFORMED, "expected '<status> <node> <length>'" },
	{ S("200\n"), CTL_DECODE_MALFORMED, "expected '<status> <node> <length>'" },
	{ S("200 view 0 json\n"), CTL_DECODE_MALFORMED, "expected '<status> <node> <length>'" },
	{ S("200  view 0\n"), CTL_DECODE_MALFORMED, "stray space" },
	{ S("200 view 0 \n"), CTL_DECODE_MALFORMED, "stray space" },
	{ S("99 view 0\n"), CTL_DECODE_MALFORMED, "invalid status '99'" },
	{ S("099 view 0\n"), CTL_DECODE_MALFORMED, "invalid status '099'" },
	{ S("600 view 0\n"), CTL_DECODE_MALFORMED, "invalid status '600'" },
	{ S("999 view 0\n"), CTL_DECODE_MALFORMED, "invalid status '999'" },
	{ S("2000 view 0\n"), CTL_DECODE_MALFORMED, "invalid status '2000'" },
	{ S("+20 view 0\n"), CTL_DECODE_MALFORMED, "invalid status '+20'" },
	{ S("2x0 view 0\n"), CTL_DECODE_MALFORMED, "invalid status '2x0'" },
	{ S("ok view 0\n"), CTL_DECODE_MALFORMED, "invalid status 'ok'" },
	{ S("200 View 0\n"), CTL_DECODE_MALFORMED, "invalid node 'View'" },
	{ S("200 a_b 0\n"), CTL_DECODE_MALFORMED, "invalid node 'a_b'" },
	{ S("200 a.b 0\n"), CTL_DECODE_MALFORMED, "invalid node 'a.b'" },
	{ S("200 abcdefghijklmnopqrstuvwxyz-01234 0\n"), CTL_DECODE_MALFORMED,
	  "invalid node" },
	{ S("200 view -1\n"), CTL_DECODE_MALFORMED, "invalid length '-1'" },
	{ S("200 view 007\n"), CTL_DECODE_MALFORMED, "leading zero" },
	{ S("200 view 12345678901\n"), CTL_DECODE_MALFORMED, "more than 10 digits" },
	{ S("200 vi\0ew 0\n"), CTL_DECODE_MALFORMED, "control character 0x00" },
	{ S("200 view 0\r\n"), CTL_DECODE_MALFORMED, "control character 0x0d" },
	{ S("200 view 300000000\n"), CTL_DECODE_TOOBIG,
	  "reply of 300000000 bytes exceeds the 268435456-byte limit" },
	{ S("200 view 268435456\n"), CTL_DECODE_AGAIN, NULL },
	{ S("200 view 3\nab"), CTL_DECODE_AGAIN, NULL },
	{ S("200 vi"), CTL_DECODE_AGAIN, NULL },
};

START_TEST(test_reply_bad)
{
	struct strbuf err = STRBUF_INIT;
	struct ctl_reply rep;
	size_t used = 777;
	enum ctl_decode rc;

	rc = ctl_decode_reply(rep_bad[_i].buf, rep_bad[_i].len, CTL_REPLY_MAX,
			      &rep, &used, &err);
	ck_assert_msg(rc == rep_bad[_i].rc, "case %d: rc %d, want %d (%s)",
		      _i, rc, rep_bad[_i].rc, strbuf_str(&err));
	ck_assert_uint_eq(used, 777);
	if (rep_bad[_i].err)
		ck_assert_msg(strstr(strbuf_str(&err), rep_bad[_i].err) != NULL,
			      "case %d: error '%s' lacks '%s'", _i,
			      strbuf_str(&err), rep_bad[_i].err);
	strbuf_free(&err);
}
END_TEST

/* The encoder appends: a frame goes after what the buffer already holds. */
START_TEST(test_encode_appends)
{
	struct strbuf out = STRBUF_INIT;

	strbuf_puts(&out, "prefix:");
	ctl_encode_request(&out, CTL_VERB_COMPLETE, CTL_FLAG_JSON, S("a b"));
	ctl_encode_reply(&out, CTL_OK, "view", S("ok"));
	ck_assert_str_eq(strbuf_str(&out),
			 "prefix:complete 3 json\na b200 view 2\nok");
	strbuf_free(&out);
}
END_TEST

Suite *proto_suite(void)
{
	Suite *s = suite_create("proto");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_loop_test(tc, test_status_name, 0, (int)NELEM(status_cases));
	tcase_add_test(tc, test_verb_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("request");
	tcase_add_loop_test(tc, test_request_round_trip, 0, (int)NELEM(req_cases));
	tcase_add_test(tc, test_request_byte_by_byte);
	tcase_add_test(tc, test_request_two_frames);
	tcase_add_loop_test(tc, test_request_bad, 0, (int)NELEM(req_bad));
	tcase_add_test(tc, test_request_toobig_exact_message);
	tcase_add_test(tc, test_header_too_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("reply");
	tcase_add_loop_test(tc, test_reply_round_trip, 0, (int)NELEM(rep_cases));
	tcase_add_test(tc, test_reply_byte_by_byte);
	tcase_add_loop_test(tc, test_reply_bad, 0, (int)NELEM(rep_bad));
	tcase_add_test(tc, test_encode_appends);
	suite_add_tcase(s, tc);
	return s;
}
