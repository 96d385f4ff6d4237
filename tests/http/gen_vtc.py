#!/usr/bin/env python3
"""Writes the hostile-input varnishtest files of tests/http from the
tables below (run it after editing them; the .vtc files are committed).

Each request case is tried twice against the proxy under test: as the
first request of a connection (client c1), and as the second request of
a keep-alive connection whose first request was answered (client c2).
The proxy must answer an error that is not a gateway error (not 502, 503,
504: those would mean it forwarded the request) and close. The backend
(s0, one instance per connection) accepts only "GET /ok": a hostile
request, or anything smuggled behind one, reaching it fails the test.

Each response case is sent by the backend to a request (first on its
connection, then second after a good answer); the client must get 502,
or the behaviour named in the case.

Macros given by the driver: px_addr, px_port (the proxy's mode http
listener whose only server is 127.0.0.1:be_port), be_port.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

H = "Host: a\r\n"


def req(line, headers, body=""):
    return line + "\r\n" + headers + "\r\n" + body


def post(headers, body=""):
    return req("POST /x HTTP/1.1", H + headers, body)


def get(headers):
    return req("GET /x HTTP/1.1", headers)


# (file name, what, request bytes)
REQUESTS = [
    ("f01_cl_te", "Content-Length and Transfer-Encoding", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")),
    ("f02_cl_differ", "two different Content-Lengths", post("Content-Length: 4\r\nContent-Length: 5\r\n", "abcde")),
    ("f02_cl_list", "Content-Length: 5, 6", post("Content-Length: 5, 6\r\n", "abcdef")),
    ("f02_cl_0_37", "Content-Length 0 then 37, a request behind", post("Content-Length: 0\r\nContent-Length: 37\r\n", "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n")),
    ("f04_cl_empty", "empty Content-Length", post("Content-Length: \r\n")),
    ("f04_cl_plus", "Content-Length: +5", post("Content-Length: +5\r\n", "abcde")),
    ("f04_cl_minus", "Content-Length: -1", post("Content-Length: -1\r\n")),
    ("f04_cl_hex", "Content-Length: 0x5", post("Content-Length: 0x5\r\n", "abcde")),
    ("f04_cl_space", "Content-Length: 5 5", post("Content-Length: 5 5\r\n", "abcde")),
    ("f04_cl_underscore", "Content-Length: 5_0", post("Content-Length: 5_0\r\n", "abcde")),
    ("f04_cl_overflow", "a 20-digit Content-Length", post("Content-Length: 18446744073709551621\r\n", "abcde")),
    ("f05_te_gzip_last", "Transfer-Encoding: chunked, gzip", post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n")),
    ("f05_te_gzip", "Transfer-Encoding: gzip", post("Transfer-Encoding: gzip\r\n", "0\r\n\r\n")),
    ("f06_te_lead_comma", "Transfer-Encoding: ,chunked", post("Transfer-Encoding: ,chunked\r\n", "0\r\n\r\n")),
    ("f06_te_trail_comma", "Transfer-Encoding: chunked,", post("Transfer-Encoding: chunked,\r\n", "0\r\n\r\n")),
    ("f06_te_xchunked", "Transfer-Encoding: xchunked", post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n")),
    ("f06_te_vt", "Transfer-Encoding: \\x0bchunked", post("Transfer-Encoding: \x0bchunked\r\n", "0\r\n\r\n")),
    ("f06_te_space_colon", "Transfer-Encoding : chunked", post("Transfer-Encoding : chunked\r\n", "0\r\n\r\n")),
    ("f06_te_twice", "Transfer-Encoding twice", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")),
    ("f06_te_chunked_chunked", "Transfer-Encoding: chunked, chunked", post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n")),
    ("f06_te_ff", "Transfer-Encoding: chunked\\xff", post("Transfer-Encoding: chunked\xff\r\n", "0\r\n\r\n")),
    ("f06_te_name_ctl", "Transfer\\x01Encoding: chunked", post("Transfer\x01Encoding: chunked\r\n", "0\r\n\r\n")),
    ("f07_te_http10", "Transfer-Encoding in HTTP/1.0", req("POST /x HTTP/1.0", "Transfer-Encoding: chunked\r\n", "0\r\n\r\n")),
    ("f08_chunk_0x", "chunk size 0x1", post("Transfer-Encoding: chunked\r\n", "0x1\r\nZ\r\n0\r\n\r\n")),
    ("f08_chunk_space", "chunk size ' 1'", post("Transfer-Encoding: chunked\r\n", " 1\r\nZ\r\n0\r\n\r\n")),
    ("f08_chunk_plus", "chunk size +1", post("Transfer-Encoding: chunked\r\n", "+1\r\nZ\r\n0\r\n\r\n")),
    ("f08_chunk_minus0", "chunk size -0", post("Transfer-Encoding: chunked\r\n", "-0\r\n\r\n")),
    ("f08_chunk_underscore", "chunk size 1_0", post("Transfer-Encoding: chunked\r\n", "1_0\r\n" + "Z" * 16 + "\r\n0\r\n\r\n")),
    ("f08_chunk_overflow", "a 17-digit chunk size", post("Transfer-Encoding: chunked\r\n", "10000000000000001\r\nZ\r\n0\r\n\r\n")),
    ("f08_chunk_bare_lf", "a bare LF after the chunk size", post("Transfer-Encoding: chunked\r\n", "1\nZ\r\n0\r\n\r\n")),
    ("f08_chunk_no_crlf", "no CRLF after the chunk data", post("Transfer-Encoding: chunked\r\n", "1\r\nZX0\r\n\r\n")),
    ("f08_chunk_ext_cr", "a CR inside a chunk extension", post("Transfer-Encoding: chunked\r\n", "1;a\rb\r\nZ\r\n0\r\n\r\n")),
    ("f08_chunk_ext_quote", "an unbalanced quote in a chunk extension", post("Transfer-Encoding: chunked\r\n", "1;a=\"b\r\nZ\r\n0\r\n\r\n")),
    ("f10_space_colon", "whitespace before the colon", get(H + "X-A : b\r\n")),
    ("f11_empty_name", "an empty field name", get(H + ": x\r\n")),
    ("f11_no_colon", "a line without a colon", get(H + "Test x\r\n")),
    ("f11_name_0x85", "a name byte 0x85", get(H + "X\x85A: b\r\n")),
    ("f11_name_at", "a name with @", get(H + "X@A: b\r\n")),
    ("f12_space_first", "whitespace before the first field", get(" X: y\r\n" + H)),
    ("f13_obs_fold", "obs-fold", get(H + "X-A: b\r\n c\r\n")),
    ("f14_nul_value", "a NUL in a value", get(H + "X-A: b\x00c\r\n")),
    ("f14_cr_value", "a CR in a value", get(H + "X-A: b\rc\r\n")),
    ("f15_bare_lf", "bare LF line ends", "GET /x HTTP/1.1\nHost: a\n\n"),
    ("f15_bare_lf_field", "one field ended by a bare LF", get(H + "X-A: b\nX-B: c\r\n")),
    ("f16_conn_cl", "Connection: Content-Length", post("Connection: Content-Length\r\nContent-Length: 5\r\n", "abcde")),
    ("r1_http09", "HTTP/0.9", "GET /x\r\n\r\n"),
    ("r1_http132", "HTTP/1.32", req("GET /x HTTP/1.32", H)),
    ("r1_http2", "HTTP/2.0 over HTTP/1", req("GET /x HTTP/2.0", H)),
    ("r1_method_paren", "a method G(T", req("G(T /x HTTP/1.1", H)),
    ("r1_double_space", "two spaces in the request line", req("GET  /x HTTP/1.1", H)),
    ("r2_asterisk_get", "GET *", req("GET * HTTP/1.1", H)),
    ("r2_bare_word", "GET admin", req("GET admin HTTP/1.1", H)),
    ("r3_absolute_host", "an absolute-form target against another Host", req("GET http://b/x HTTP/1.1", H)),
    ("r4_no_host", "HTTP/1.1 without Host", req("GET /x HTTP/1.1", "")),
    ("r4_two_hosts", "two Host fields", get(H + "Host: b\r\n")),
    ("r4_host_space", "a Host with a space", get("Host: a b\r\n")),
    ("r4_host_comma", "a Host with a comma", get("Host: a,b\r\n")),
    ("r4_host_at", "a Host with userinfo", get("Host: u@a\r\n")),
    ("r5_fragment", "a # in the target", req("GET /x#y HTTP/1.1", H)),
    ("r5_ctl_target", "a control byte in the target", req("GET /x\x01 HTTP/1.1", H)),
    ("r5_long_target", "a 20000-byte target", req("GET /" + "a" * 20000 + " HTTP/1.1", H)),
    ("l1_big_field", "a 20 KB field", get(H + "X-Big: " + "a" * 20000 + "\r\n")),
    ("l2_many_fields", "102 fields", get(H + "".join("X-%d: v\r\n" % i for i in range(102)))),
    ("c1_connect", "CONNECT", req("CONNECT a:443 HTTP/1.1", "Host: a:443\r\n")),
]

# (file name, what, response bytes): answered to a GET; the client wants 502.
RESPONSES = [
    ("p1_status_abc", "HTTP/1.1 abc", "HTTP/1.1 abc\r\nContent-Length: 0\r\n\r\n"),
    ("p1_status_short", "a 2-digit status", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n"),
    ("p1_http09", "no status line", "hello\r\n\r\n"),
    ("p2_cl_differ", "two different Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde"),
    ("p2_cl_empty", "an empty Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n"),
    ("p2_cl_plus", "Content-Length: +5", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nabcde"),
    ("p5_big_field", "a 20 KB field", "HTTP/1.1 200 OK\r\nX-Big: " + "a" * 20000 + "\r\nContent-Length: 0\r\n\r\n"),
    ("p5_many_fields", "102 fields", "HTTP/1.1 200 OK\r\n" + "".join("X-%d: v\r\n" % i for i in range(102)) + "Content-Length: 0\r\n\r\n"),
    ("p6_obs_fold", "obs-fold", "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 0\r\n\r\n"),
    ("p6_space_colon", "whitespace before the colon", "HTTP/1.1 200 OK\r\nX-A : b\r\nContent-Length: 0\r\n\r\n"),
    ("p6_nul", "a NUL in a value", "HTTP/1.1 200 OK\r\nX-A: b\x00c\r\nContent-Length: 0\r\n\r\n"),
    ("p6_bare_lf", "bare LF line ends", "HTTP/1.1 200 OK\nContent-Length: 0\n\n"),
    ("p7_101_unasked", "101 to a request without Upgrade", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n"),
    ("p2_cl_list", "Content-Length: 5, 6", "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nabcdef"),
    ("p2_cl_hex", "Content-Length: 0x5", "HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\nabcde"),
    ("p2_cl_minus", "Content-Length: -1", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
    ("p2_cl_overflow", "a 20-digit Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551621\r\n\r\nabcde"),
    ("p3_te_lead_comma", "Transfer-Encoding: ,chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n"),
    ("p3_te_chunked_chunked", "Transfer-Encoding: chunked, chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
    ("p6_empty_name", "an empty field name", "HTTP/1.1 200 OK\r\n: x\r\nContent-Length: 0\r\n\r\n"),
    ("p6_no_colon", "a line without a colon", "HTTP/1.1 200 OK\r\nTest x\r\nContent-Length: 0\r\n\r\n"),
    ("p6_name_0x85", "a name byte 0x85", "HTTP/1.1 200 OK\r\nX\x85A: b\r\nContent-Length: 0\r\n\r\n"),
    ("p6_cr_value", "a CR in a value", "HTTP/1.1 200 OK\r\nX-A: b\rc\r\nContent-Length: 0\r\n\r\n"),
    ("p6_204_body", "a 204 with Content-Length: 5", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nabcde"),
]

# (file name, what, body bytes) behind a valid chunked 200 head. When the
# head reached the client before the bad body came (a barrier orders it),
# nothing of the bad body follows it and the connection is closed (the
# answer cannot complete); when both come at once, the answer is 502.
RESPONSE_BODIES = [
    ("b_chunk_0x", "chunk size 0x1", "0x1\r\nZ\r\n0\r\n\r\n"),
    ("b_chunk_plus", "chunk size +1", "+1\r\nZ\r\n0\r\n\r\n"),
    ("b_chunk_underscore", "chunk size 1_0", "1_0\r\n" + "Z" * 16 + "\r\n0\r\n\r\n"),
    ("b_chunk_overflow", "a 17-digit chunk size", "10000000000000001\r\nZ\r\n0\r\n\r\n"),
    ("b_chunk_bare_lf", "a bare LF after the chunk size", "1\nZ\r\n0\r\n\r\n"),
    ("b_chunk_ext_cr", "a CR inside a chunk extension", "1;a\rb\r\nZ\r\n0\r\n\r\n"),
]


def vtc_string(s):
    """A vtc "..." string; None when the bytes need sendhex."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "\r":
            out.append("\\r")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\\" or ch == '"' or ch == "$" or ch == "{" or ch == "}":
            return None
        elif o < 0x20 or o >= 0x7f:
            return None
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def send_cmd(s):
    q = vtc_string(s)
    if q is not None:
        return "send " + q
    return 'sendhex "' + " ".join("%02x" % (ord(c) & 0xff) for c in s) + '"'


def write(name, text):
    with open(os.path.join(HERE, name + ".vtc"), "w") as f:
        f.write(text)


def request_case(name, what, raw):
    send = send_cmd(raw)
    write(name, f'''varnishtest "request: {what}"
# Generated by gen_vtc.py: rejected as the first request and as a later
# one; nothing of it reaches the backend.

server s0 -listen "127.0.0.1 ${{be_port}}" {{
	rxreq
	expect req.url == "/ok"
	txresp -hdr "Connection: close" -body "ok"
}} -dispatch

client c1 -connect "${{px_addr}} ${{px_port}}" {{
	{send}
	rxresp
	expect resp.status >= 400
	expect resp.status != 502
	expect resp.status != 503
	expect resp.status != 504
	expect_close
}} -run

client c2 -connect "${{px_addr}} ${{px_port}}" {{
	txreq -url /ok -hdr "Host: a"
	rxresp
	expect resp.status == 200
	expect resp.body == "ok"
	{send}
	rxresp
	expect resp.status >= 400
	expect resp.status != 502
	expect resp.status != 503
	expect resp.status != 504
	expect_close
}} -run
''')


def response_case(name, what, raw):
    send = send_cmd(raw)
    write(name, f'''varnishtest "response: {what}"
# Generated by gen_vtc.py: answered 502 to the first request of a
# connection and to a later one.

server s1 -listen "127.0.0.1 ${{be_port}}" {{
	rxreq
	{send}
}} -start

client c1 -connect "${{px_addr}} ${{px_port}}" {{
	txreq -url /x -hdr "Host: a"
	rxresp
	expect resp.status == 502
}} -run

server s1 -wait

server s1 {{
	rxreq
	txresp -body "ok"
	rxreq
	{send}
}} -start

client c2 -connect "${{px_addr}} ${{px_port}}" {{
	txreq -url /ok -hdr "Host: a"
	rxresp
	expect resp.status == 200
	txreq -url /x -hdr "Host: a"
	rxresp
	expect resp.status == 502
}} -run
''')


def response_body_case(name, what, body):
    head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    send = send_cmd(head + body)
    send_head, send_body = send_cmd(head), send_cmd(body)
    write(name, f'''varnishtest "response body: {what}"
# Generated by gen_vtc.py: behind a valid chunked head, a bad chunk. The
# first request gets the head first, then the bad body: the client sees
# the head, none of the bad bytes, and a closed connection. A later
# request gets both at once: 502.

barrier b1 cond 2

server s1 -listen "127.0.0.1 ${{be_port}}" {{
	rxreq
	{send_head}
	barrier b1 sync
	{send_body}
}} -start

client c1 -connect "${{px_addr}} ${{px_port}}" {{
	txreq -url /x -hdr "Host: a"
	rxresphdrs
	expect resp.status == 200
	barrier b1 sync
	expect_close
}} -run

server s1 -wait

server s1 {{
	rxreq
	txresp -body "ok"
	rxreq
	{send}
}} -start

client c2 -connect "${{px_addr}} ${{px_port}}" {{
	txreq -url /ok -hdr "Host: a"
	rxresp
	expect resp.status == 200
	txreq -url /x -hdr "Host: a"
	rxresp
	expect resp.status == 502
}} -run
''')


def main():
    for name, what, raw in REQUESTS:
        request_case("req_" + name, what, raw)
    for name, what, raw in RESPONSES:
        response_case("rsp_" + name, what, raw)
    for name, what, raw in RESPONSE_BODIES:
        response_body_case("rsp_" + name, what, raw)


if __name__ == "__main__":
    main()
