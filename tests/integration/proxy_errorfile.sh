#!/bin/sh
# errorfile CODE FILE: softlbd's own answers come from the file (read at
# load; LF line ends made CRLF), the backend's before the frontend's once
# a request is routed, the frontend's before; haproxy 2.6 with the same
# configuration answers the same status and body. A missing, unreadable,
# oversized or malformed file refuses the configuration at FILE:LINE.
# Loopback of a namespace of its own.
. "${top_srcdir:?}/tests/integration/lib.sh"
command -v curl >/dev/null || skip "curl missing (Debian package curl)"
loopback_ns slbef

printf 'HTTP/1.0 503 Service Unavailable\nCache-Control: no-cache\nConnection: close\nContent-Type: text/html\n\n<html><body>down for maintenance</body></html>\n' >"$T/503.http"
printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nbackend 503\n' >"$T/be503.http"
printf 'HTTP/1.0 400 Bad request\r\nContent-Type: text/plain\r\n\r\nfrontend says no\n' >"$T/400.http"
printf 'HTTP/1.0 405 Method Not Allowed\r\nContent-Type: text/plain\r\n\r\nno tunnels\n' >"$T/405.http"

cfg() {
	b=$1
	cat <<EOC
defaults
    mode http
    timeout connect 500ms
    timeout client 5s
    timeout server 5s
    errorfile 503 $T/503.http
listen dead
    bind 127.0.0.1:$b
    errorfile 405 $T/405.http
    server s1 127.0.0.1:19489
frontend fe
    bind 127.0.0.1:$((b + 1))
    errorfile 400 $T/400.http
    default_backend be
backend be
    errorfile 503 $T/be503.http
    errorfile 400 $T/400.http
    server s1 127.0.0.1:19489
EOC
}
cfg 19400 >"$T/softlb.cfg"
start_daemon -f /dev/null -p "$T/softlb.cfg"
HAP=
if command -v haproxy >/dev/null; then
	cfg 19450 >"$T/haproxy.cfg"
	bg_ns haproxy -db -f "$T/haproxy.cfg"
	HAP=1
fi
sleep 1
[ -z "$HAP" ] || wait_ns_port "$NS" 19450

# raw PORT TEXT: what a raw request gets back (status line and body).
raw() {
	ip netns exec "$NS" "$PYTHON" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin1"))
d = b""
while True:
    try:
        x = s.recv(65536)
    except OSError:
        break
    if not x:
        break
    d += x
h, _, b = d.partition(b"\r\n\r\n")
print(h.split(b"\r\n")[0].decode(errors="replace") + "|" + b.decode(errors="replace"), end="")' "$1" "$2"
}
want503='HTTP/1.0 503 Service Unavailable|<html><body>down for maintenance</body></html>'
R=$(raw 19400 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
check "503 from the defaults' errorfile ($R)" [ "$R" = "$want503" ]
R=$(raw 19401 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
check "a routed request: the backend's 503 ($R)" [ "$R" = "HTTP/1.1 503 Service Unavailable|backend 503" ]
R=$(raw 19401 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')
check "a refused request: the frontend's 400 ($R)" [ "$R" = "HTTP/1.0 400 Bad request|frontend says no" ]
R=$(raw 19400 'CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n')
check "405 for CONNECT from the listen's errorfile ($R)" [ "$R" = "HTTP/1.0 405 Method Not Allowed|no tunnels" ]
R=$(ip netns exec "$NS" curl -s -D - -o /dev/null http://127.0.0.1:19400/ | tr -d '\r' |
	grep -ci '^content-length: 47$')
check "the file without a Content-Length is sent with one ($R)" [ "$R" = 1 ]
if [ -n "$HAP" ]; then
	for t in 'GET / HTTP/1.1\r\nHost: x\r\n\r\n:0' 'GET / HTTP/1.1\r\nHost: x\r\n\r\n:1'; do
		off=${t##*:}
		req=${t%:*}
		S=$(raw $((19400 + off)) "$req")
		H=$(raw $((19450 + off)) "$req")
		check "haproxy 2.6 answers the same ($(echo "$H" | head -1 | cut -c1-60))" [ "$S" = "$H" ]
	done
	# haproxy 2.6 answers a request its H1 layer refuses with its
	# built-in 400, not the errorfile (no stream exists yet); softlb uses
	# the errorfile wherever it answers itself.
	H=$(raw 19451 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n' | head -1)
	echo "haproxy 2.6 for the refused request: $H"
fi

# ---- bad files refuse the configuration, naming FILE:LINE
mkdir "$T/dir"
head -c 20000 /dev/zero | tr '\0' 'x' >"$T/big.http"
printf 'hello\n\n' >"$T/nostatus.http"
printf 'HTTP/1.0 503 x\r\nContent-Length: 99\r\n\r\nshort\n' >"$T/badcl.http"
printf 'HTTP/1.0 503 x\r\nno colon here\r\n\r\n' >"$T/badhdr.http"
printf 'HTTP/1.0 503 x\r\nA: b\r\n' >"$T/nohead.http"
for f in "$T/missing.http#cannot read" "$T/dir#cannot read" "$T/big.http#larger than" \
	"$T/nostatus.http#status line" "$T/badcl.http#Content-Length" \
	"$T/badhdr.http#Name: value" "$T/nohead.http#empty line"; do
	file=${f%#*}
	why=${f##*#}
	printf 'listen p\n    mode http\n    bind 127.0.0.1:19499\n    errorfile 503 %s\n    server s 127.0.0.1:80\n' \
		"$file" >"$T/bad.cfg"
	OUT=$("$top_builddir/softlbd" -t -f /dev/null -p "$T/bad.cfg" 2>&1)
	RC=$?
	check "$(basename "$file"): refused at bad.cfg:4 ($why)" \
		sh -c '[ "$1" = 1 ] && case "$2" in *bad.cfg:4:*"$3"*) exit 0 ;; *) exit 1 ;; esac' _ \
		"$RC" "$OUT" "$why"
done
printf 'listen p\n    mode http\n    bind 127.0.0.1:19499\n    errorfile 299 %s\n    server s 127.0.0.1:80\n' \
	"$T/503.http" >"$T/bad.cfg"
OUT=$("$top_builddir/softlbd" -t -f /dev/null -p "$T/bad.cfg" 2>&1)
check "errorfile 299: refused ($OUT)" contains "$OUT" "bad.cfg:4:"
check "softlbd still runs" daemon_alive
finish
