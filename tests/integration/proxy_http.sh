#!/bin/sh
# The proxy in mode http, in a netns lab: option forwardfor gives the
# server the client's address (the seed's pain); http-server-close makes
# the server side close; balance hdr(NAME) keeps a header value on one
# server; 503 with no server, 502 when the server closes without
# answering, 504 on timeout server, 400 for a malformed request head.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

lab_up client lb1 rs1 rs2
use_lb1
backend rs1 8080 one
backend rs2 8080 two
cat >"$T/haproxy.cfg" <<'EOC'
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 2s
    retries 1

listen web
    bind 192.0.2.2:80
    option forwardfor
    option http-server-close
    balance hdr(pragma)
    server s1 192.0.2.21:8080
    server s2 192.0.2.22:8080

listen nobody
    bind 192.0.2.2:81
    server s1 192.0.2.21:8080 disabled
EOC
start_daemon -f /dev/null -p "$T/haproxy.cfg"
wait_port 192.0.2.21 8080 && wait_port 192.0.2.22 8080 || exit 99

get http://192.0.2.2/xff
check "option forwardfor: the server sees the client's address ($OUT)" [ "$OUT" = 192.0.2.10 ]
get http://192.0.2.2/conn
check "http-server-close: the server is asked to close ($OUT)" [ "$OUT" = close ]
R=$(on client sh -c 'for i in 1 2 3 4 5 6; do curl -s -H "Pragma: abc" http://192.0.2.2/id; done' | sort -u | wc -l)
check "balance hdr(pragma): one value, one server" [ "$R" = 1 ]
R=$(count 6 http://192.0.2.2/id | wc -l)
check "  requests without the header are spread" [ "$R" = 2 ]
# Every request so far reached a server: what the clients sent (the heads
# included) is the sum of what the servers were sent.
FE=$(pxf web bytes_in)
SV=$(($(srv web s1 bytes_in) + $(srv web s2 bytes_in)))
check "bytes in: the servers are credited with the request heads ($FE = $SV)" \
	sh -c '[ "$1" -gt 0 ] && [ "$1" = "$2" ]' _ "$FE" "$SV"

code() {
	on client curl -s -o /dev/null --max-time 10 -w '%{http_code}' "$@"
}
check "no usable server: 503" [ "$(code http://192.0.2.2:81/id)" = 503 ]
check "the server closes without answering: 502" [ "$(code http://192.0.2.2/close)" = 502 ]
check "the server does not answer within timeout server: 504" [ "$(code http://192.0.2.2/hang)" = 504 ]
check "  both counted" sh -c '[ "$1" = 1 ] && [ "$2" = 1 ]' _ "$(pxf web http_502)" "$(pxf web http_504)"
R=$(on client "$PYTHON" -c 'import socket
s = socket.create_connection(("192.0.2.2", 80), timeout=5)
s.sendall(b"GET /id HTTP/1.1\r\nHost: x\r\n folded: y\r\n\r\n")
print(s.recv(100).split(b"\r\n")[0].decode())')
check "an obsolete folded header is refused: 400 ($R)" [ "$R" = "HTTP/1.1 400 Bad Request" ]
R=$(on client "$PYTHON" -c 'import socket
s = socket.create_connection(("192.0.2.2", 80), timeout=5)
s.sendall(b"GET /id HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
print(s.recv(100).split(b"\r\n")[0].decode())')
check "Content-Length with Transfer-Encoding is refused: 400" [ "$R" = "HTTP/1.1 400 Bad Request" ]
R=$(on client "$PYTHON" -c 'import socket
s = socket.create_connection(("192.0.2.2", 80), timeout=5)
try:
    s.sendall(b"GET /id HTTP/1.1\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
except OSError:
    pass
print(s.recv(100).split(b"\r\n")[0].decode())')
check "a head over 15 KiB is refused: 431 ($R)" [ "$R" = "HTTP/1.1 431 Request Header Fields Too Large" ]
get http://192.0.2.2/id
check "the proxy still serves ($OUT)" sh -c '[ "$1" = one ] || [ "$1" = two ]' _ "$OUT"
finish
