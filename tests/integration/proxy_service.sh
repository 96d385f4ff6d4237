#!/bin/sh
# http-request use-service prometheus-exporter (HAProxy 2.x's way to
# serve /metrics from a frontend) in a netns lab: the samples come from
# the control plane (metrics_render(), through the proxy's request/reply
# channel, px_svc.h) and pass promtool check metrics; a server's counters
# are those of show proxy json; other paths go to the backend; keep-alive
# carries on after the answer (to the service and to the backend), HEAD
# gets headers only; it works on an ssl bind and after a reload; an
# unknown service is a load error naming it; a burst of scrapes beyond
# the requests a worker may have waiting gets 503 and the daemon lives.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"
. "$top_srcdir/tests/integration/tls_lib.sh"
command -v promtool >/dev/null || skip "promtool missing (Debian package prometheus; scripts/deps)"

C="$T/certs"
make_certs "$C" || { echo "cannot make certificates"; exit 99; }
lab_up client lb1 rs1
use_lb1
backend rs1 8080 one
cfg() {
	cat <<EOC
global
    nbthread 1

defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 5s

frontend fe
    bind 192.0.2.2:80
    bind 192.0.2.2:443 ssl crt $C/rsa.pem
    http-request use-service prometheus-exporter if { path /metrics }
    default_backend app

backend app
    server s1 192.0.2.21:8080
EOC
	[ "${1-}" ] && printf '    server s9 192.0.2.21:8081\n'
}
cfg >"$T/haproxy.cfg"
start_daemon -f /dev/null -p "$T/haproxy.cfg"
wait_port 192.0.2.2 80 && wait_ns_port "$LAB-rs1" 8080 || exit 99

# Traffic to the backend first, so its counters are not zero.
count 5 http://192.0.2.2/id >/dev/null
on client curl -s -D "$T/headers" -o "$T/scrape.txt" --max-time 10 http://192.0.2.2/metrics
check "GET /metrics: 200" grep -q '^HTTP/1.1 200' "$T/headers"
check "  Content-Type: text/plain; version=0.0.4" grep -qi '^content-type: text/plain; version=0.0.4' "$T/headers"
out=$(promtool check metrics <"$T/scrape.txt" 2>&1); rc=$?
check "promtool check metrics finds no problem${out:+ ($out)}" [ "$rc" -eq 0 ] && [ -z "$out" ]
value() {
	awk -v k="$1$2" '$1 == k { print $2; exit }' "$T/scrape.txt"
}
V=$(value haproxy_server_sessions_total '{proxy="app",server="s1"}')
check "haproxy_server_sessions_total of app/s1 is show proxy's ($V = $(srv app s1 total))" \
	[ "$V" = "$(srv app s1 total)" ] && [ "$V" -ge 5 ]
V=$(value haproxy_server_bytes_out_total '{proxy="app",server="s1"}')
check "haproxy_server_bytes_out_total of app/s1 is show proxy's ($V)" \
	[ "$V" = "$(srv app s1 bytes_out)" ]
get http://192.0.2.2/id
check "another path goes to the backend ($OUT)" [ "$OUT" = one ]

# Keep-alive: /metrics, /metrics, /id on one connection (the test
# backend answers HTTP/1.0, so it ends the connection itself).
on client curl -sv --max-time 10 -o /dev/null http://192.0.2.2/metrics -o /dev/null \
	http://192.0.2.2/metrics -o "$T/id.txt" http://192.0.2.2/id 2>"$T/curl.err"
check "three requests on one connection (keep-alive honoured)" \
	[ "$(grep -c 'Re-using existing connection' "$T/curl.err")" -eq 2 ]
check "  the backend answered the one after the service's" [ "$(cat "$T/id.txt")" = one ]
check "  no Connection: close from the service" sh -c '! grep -qi "< connection: close" "$1"' _ "$T/curl.err"

# HEAD: headers only; the request pipelined after it is answered next.
on client "$PYTHON" - >"$T/head.txt" <<'EOP'
import socket
s = socket.create_connection(("192.0.2.2", 80), timeout=10)
s.sendall(b"HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\nGET /id HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
data = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
print(data.decode("latin-1"))
EOP
check "HEAD /metrics: 200 with a Content-Length, no body (the next answer follows the head)" \
	"$PYTHON" -c 'import sys
d = open(sys.argv[1], newline="").read()
h, rest = d.split("\r\n\r\n", 1)
assert h.startswith("HTTP/1.1 200"), h
assert "Content-Length: " in h and "Content-Length: 0\r" not in h, h
assert rest.startswith("HTTP/1.") and " 200 " in rest[:16], rest[:80]
assert rest.rstrip().endswith("one"), rest[-80:]' "$T/head.txt"

# https: the same service on the ssl bind.
R=$(on client curl -s -o "$T/tls.txt" -w '%{http_code}' --max-time 10 --cacert "$C/ca.pem" \
	--resolve www.example.test:443:192.0.2.2 https://www.example.test/metrics)
check "https /metrics: 200 ($R)" [ "$R" = 200 ]
check "  the same families" grep -q '^# TYPE haproxy_server_sessions_total counter' "$T/tls.txt"

# A reload (a server more): the service still answers, with the new one.
cfg more >"$T/haproxy.cfg"
sl -c reload
check "reload accepted ($OUT)" [ "$RC" -eq 0 ]
on client curl -s -o "$T/scrape2.txt" --max-time 10 http://192.0.2.2/metrics
check "after the reload /metrics answers, with the new server" \
	grep -q '^haproxy_server_weight{proxy="app",server="s9"}' "$T/scrape2.txt"

# A burst beyond the bound: softlbd is stopped while 40 clients connect
# and send (the kernel queues them), then let go; its one worker takes
# them all in one pass, so at most PX_SVC_INFLIGHT (8) wait for the
# control plane and the rest get 503.
kill -STOP "$DAEMON_PID"
i=0
while [ $i -lt 40 ]; do
	on client sh -c 'curl -s -o /dev/null -w "%{http_code}\n" --max-time 20 http://192.0.2.2/metrics' \
		>>"$T/burst.txt" 2>&1 &
	i=$((i + 1))
done
for _ in $(seq 100); do
	n=$(on client ss -Htn state established '( dport = :80 )' | wc -l)
	[ "$n" -ge 40 ] && break
	sleep 0.1
done
sleep 0.5	# the requests written into the connections
kill -CONT "$DAEMON_PID"
wait_all=0
for _ in $(seq 200); do
	[ "$(wc -l <"$T/burst.txt")" -ge 40 ] && break
	sleep 0.1
done
N200=$(grep -c '^200$' "$T/burst.txt")
N503=$(grep -c '^503$' "$T/burst.txt")
check "40 concurrent scrapes: each 200 or 503 ($N200 + $N503)" [ $((N200 + N503)) -eq 40 ]
check "  some beyond the bound got 503" [ "$N503" -ge 1 ]
check "  at most 8 waited at once, answered 200" [ "$N200" -ge 1 ]
check "  the daemon lives" daemon_alive
R=$(on client curl -s -o /dev/null -w '%{http_code}' --max-time 10 http://192.0.2.2/metrics)
check "  and serves the next scrape ($R)" [ "$R" = 200 ]

# An unknown service is a load error naming it and its line.
printf 'frontend f\n    mode http\n    bind 127.0.0.1:1\n    http-request use-service lua.hello\n' >"$T/bad.cfg"
OUT=$("$top_builddir/softlbd" -t -f /dev/null -p "$T/bad.cfg" 2>&1)
check "use-service lua.hello: refused, naming it and the line ($OUT)" \
	sh -c 'contains() { case "$1" in *"$2"*) return 0;; esac; return 1; }
	contains "$1" "bad.cfg:4" && contains "$1" "lua.hello"' _ "$OUT"

# Stopping with scrapes on their way to and from the control plane:
# every request and answer still queued is freed (ASan's exit status).
kill -STOP "$DAEMON_PID"
for i in 1 2 3 4 5 6 7 8 9 10; do
	on client curl -s -o /dev/null --max-time 5 http://192.0.2.2/metrics &
done
for _ in $(seq 100); do
	[ "$(on client ss -Htn state established '( dport = :80 )' | wc -l)" -ge 10 ] && break
	sleep 0.1
done
sleep 0.5	# the requests written into the connections
kill -CONT "$DAEMON_PID"
stop_daemon	# the curls end by their --max-time

finish
