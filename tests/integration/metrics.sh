#!/bin/sh
# The Prometheus endpoint: softlbd --metrics in a network namespace of the
# test's own, a proxy with one server up and one down, traffic through it,
# then scrapes with curl: promtool check metrics finds no problem, the
# values are those of `softlb --json -c 'show ...'`, reloads and refused
# reloads are counted, the listener is loopback when no address is given,
# and bad requests get HTTP errors without harming the daemon.
. "${top_srcdir:?}/tests/integration/lib.sh"

command -v curl >/dev/null || skip "curl missing (Debian package curl)"
command -v promtool >/dev/null || skip "promtool missing (Debian package prometheus; scripts/deps)"
NS="softlb-metrics-$$"
ip netns add "$NS" 2>/dev/null || skip "cannot create network namespaces here"
at_exit "ip netns del $NS"
ip -n "$NS" link set lo up
# Background jobs use ip netns exec directly, not on(): $! must be the
# process itself (ip netns exec execs it), not a subshell around it.
on() { ip netns exec "$NS" "$@"; }

# One backend up (s1), one port with nothing behind it (s2).
ip netns exec "$NS" "$PYTHON" "$top_srcdir/tests/integration/proxy_backend.py" 127.0.0.1 18081 s1 \
	>"$T/backend.log" 2>&1 &
at_exit "kill $!"

KAD="$T/keepalived.conf"
HAP="$T/haproxy.cfg"
printf 'global_defs {\n    router_id metrics\n}\n' >"$KAD"
cat >"$HAP" <<'CFG'
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen web
    bind 127.0.0.1:18080
    default-server inter 200ms rise 1 fall 1
    server s1 127.0.0.1:18081 check
    server s2 127.0.0.1:18082 check
CFG

# Port only: the endpoint must be on loopback.
ip netns exec "$NS" "$SOFTLBD" -n -l -S "$SOCK" --pidfile "$PIDFILE" -f "$KAD" -p "$HAP" \
	--metrics 19100 >"$DAEMON_LOG" 2>&1 &
DAEMON_PID=$!
for _ in $(seq 100); do
	"$SOFTLB" -s "$SOCK" -c 'show version' >/dev/null 2>&1 && break
	sleep 0.1
done
daemon_alive || { echo "softlbd did not start:"; cat "$DAEMON_LOG"; exit 99; }

check "with --metrics PORT the endpoint listens on 127.0.0.1 only" \
	sh -c 'ip netns exec "$1" ss -Hltn "sport = :19100" | grep -q "127.0.0.1:19100"' _ "$NS"
sl -c 'show status'
check "show status lists the metrics engine" contains "$OUT" "http://127.0.0.1:19100/metrics"

# Wait for the checks to settle (s1 up, s2 down), then send traffic.
for _ in $(seq 50); do
	sl --json -c 'show proxy web'
	contains "$OUT" '"status": "UP"' && contains "$OUT" '"check_status": "L4CON"' && break
	sleep 0.2
done
for i in 1 2 3 4 5; do
	on curl -s -o /dev/null --max-time 5 "http://127.0.0.1:18080/$i"
done

# A refused reload and an applied one, for the counters.
cp "$HAP" "$T/good.cfg"
printf '    stick-table type ip size 1m\n' >>"$HAP"
sl -c reload
cp "$T/good.cfg" "$HAP"
sl -c reload

scrape() {
	on curl -s --max-time 10 -D "$T/headers" -o "$T/scrape.txt" -w '%{http_code}' \
		"$@" http://127.0.0.1:19100/metrics
}
code=$(scrape)
check "GET /metrics answers 200" [ "$code" = 200 ]
check "in the text exposition format 0.0.4" \
	grep -qi '^content-type: text/plain; version=0.0.4' "$T/headers"
out=$(promtool check metrics <"$T/scrape.txt" 2>&1); rc=$?
check "promtool check metrics finds no problem${out:+ ($out)}" [ "$rc" -eq 0 ] && [ -z "$out" ]

# value NAME LABELS: the sample's value in the scrape ("" when absent).
value() {
	awk -v k="$1${2-}" '$1 == k { print $2; exit }' "$T/scrape.txt"
}
sl --json -c 'show proxy web'
PXJSON=$OUT
jget() {
	printf '%s' "$PXJSON" | "$PYTHON" -c 'import json, sys
p = json.load(sys.stdin)
if isinstance(p, list): p = p[0]
if sys.argv[1] != "-": p = [s for s in p["servers"] if s["name"] == sys.argv[1]][0]
print(p[sys.argv[2]])' "$1" "$2"
}
check "haproxy_frontend_sessions_total is show proxy's total ($(jget - total))" \
	[ "$(value haproxy_frontend_sessions_total '{proxy="web"}')" = "$(jget - total)" ]
check "five requests went through" [ "$(jget - total)" -ge 5 ]
check "haproxy_server_sessions_total of s1 is show proxy's ($(jget s1 total))" \
	[ "$(value haproxy_server_sessions_total '{proxy="web",server="s1"}')" = "$(jget s1 total)" ]
check "haproxy_server_bytes_out_total of s1 is show proxy's" \
	[ "$(value haproxy_server_bytes_out_total '{proxy="web",server="s1"}')" = "$(jget s1 bytes_out)" ]
check "haproxy_server_status: s1 UP" \
	[ "$(value haproxy_server_status '{proxy="web",server="s1",state="UP"}')" = 1 ]
check "haproxy_server_status: s2 DOWN" \
	[ "$(value haproxy_server_status '{proxy="web",server="s2",state="DOWN"}')" = 1 ]
check "softlb_check_up: web/s1 1, web/s2 0" sh -c '
	grep -q "^softlb_check_up{target=\"web/s1\",origin=\"haproxy\",check=\"127.0.0.1:18081\"} 1$" "$1" &&
	grep -q "^softlb_check_up{target=\"web/s2\",origin=\"haproxy\",check=\"127.0.0.1:18082\"} 0$" "$1"' _ "$T/scrape.txt"
check "softlb_reloads_total counts the applied reload" [ "$(value softlb_reloads_total)" = 1 ]
check "softlb_config_errors_total counts the refused one" [ "$(value softlb_config_errors_total)" = 1 ]
check "softlb_engine_running: proxy 1, lvs 0 (no IPVS here)" sh -c '
	grep -q "^softlb_engine_running{engine=\"proxy\"} 1$" "$1" &&
	grep -q "^softlb_engine_running{engine=\"lvs\"} 0$" "$1"' _ "$T/scrape.txt"
check "HEAD /metrics answers 200 with no body" \
	sh -c '[ "$(ip netns exec "$1" curl -s -I -o /dev/null -w "%{http_code}" http://127.0.0.1:19100/metrics)" = 200 ]' _ "$NS"

# Bad requests: an HTTP error each, and the daemon carries on.
code=$(on curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:19100/other)
check "another path: 404" [ "$code" = 404 ]
code=$(on curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:19100/metrics)
check "POST: 405" [ "$code" = 405 ]
code=$(on curl -s -o /dev/null -w '%{http_code}' -H "X-Long: $(head -c 5000 /dev/zero | tr '\0' a)" \
	http://127.0.0.1:19100/metrics)
check "a 5,000-byte header: 431" [ "$code" = 431 ]
out=$(printf 'GARBAGE\r\n\r\n' | on "$PYTHON" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", 19100), timeout=5)
s.sendall(sys.stdin.buffer.read())
print(s.recv(100).decode().split("\r\n")[0])')
check "garbage: 400 ($out)" contains "$out" "400 Bad Request"
# A client that connects and says nothing is dropped after 5 s; others
# are served meanwhile.
ip netns exec "$NS" "$PYTHON" -c 'import socket, time
s = socket.create_connection(("127.0.0.1", 19100)); time.sleep(7)' &
IDLE=$!
code=$(scrape)
check "a scrape is served while an idle client waits" [ "$code" = 200 ]
wait "$IDLE"
check "softlbd is still running" daemon_alive

# A bad --metrics value stops softlbd with the reason.
out=$("$SOFTLBD" -n -l -S "$T/x.sock" --pidfile "$T/x.pid" -f "$KAD" -p /dev/null \
	--metrics 127.0.0.1:99999 2>&1); rc=$?
check "--metrics 127.0.0.1:99999 is refused ($out)" [ "$rc" -eq 1 ] && contains "$out" "99999"

finish
