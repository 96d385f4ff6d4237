#!/bin/sh
# HTTP responses by class in the stats CSV (fields 39-44, hrsp_1xx ..
# hrsp_other): softlbd and haproxy 2.6 run the same configuration side by
# side in a netns lab and get the same requests in the same order
# (answers 200, 204, 301, 302, 404, 404, 500, 503 from the backends);
# `show stat` on both runtime sockets must then hold the same six fields
# in every row of every proxy: filled for HTTP frontends, backends and
# servers, empty in TCP mode. The stats page's ;csv has the same values
# as the runtime socket, and its HTML shows them in the sessions total's
# tooltip as HAProxy's page does.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

command -v socat >/dev/null || skip "socat missing (Debian package socat)"
command -v haproxy >/dev/null || skip "haproxy missing (Debian package haproxy)"

lab_up client lb1 rs1 rs2
use_lb1
backend rs1 8080 one
backend rs2 8080 two
RT="$T/rt.sock"
# What both run; one server per backend that takes traffic, so which
# server answers does not depend on where a round robin starts.
common() {
	cat <<EOC
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 5s

listen web
    bind 192.0.2.2:$1
    server s1 192.0.2.21:8080

frontend fe
    bind 192.0.2.2:$2
    default_backend app

backend app
    server a1 192.0.2.22:8080
    server a2 192.0.2.21:8080 backup

listen raw
    mode tcp
    bind 192.0.2.2:$3
    server r1 192.0.2.22:8080
EOC
}
{
	printf 'global\n    stats socket %s level admin\n\n' "$RT"
	common 80 81 82
	printf '\nlisten page\n    bind 192.0.2.2:83\n    stats uri /st\n'
} >"$T/softlb.cfg"
{
	printf 'global\n    stats socket %s level admin\n\n' "$T/ref.sock"
	common 8080 8081 8082
} >"$T/ref.cfg"
start_daemon -f /dev/null -p "$T/softlb.cfg"
on lb1 haproxy -q -f "$T/ref.cfg" -D -p "$T/haproxy.pid" || fail "haproxy did not start"
at_exit "kill \$(cat '$T/haproxy.pid')"
# Seen with ss, not probed: haproxy counts a connection closed without a
# request as a 4xx of its frontend, softlbd does not (yet).
wait_ns_port "$LAB-lb1" 80 81 82 83 8080 8081 8082
wait_ns_port "$LAB-rs1" 8080
wait_ns_port "$LAB-rs2" 8080

# The same requests, in the same order, through each proxy of both.
codes=""
for port in 80 81 8080 8081; do
	for st in 200 204 301 302 404 404 500 503; do
		c=$(on client curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
			"http://192.0.2.2:$port/status/$st")
		codes="$codes $c"
	done
done
check "every request got the backend's status ($codes)" [ "$codes" = \
	"$(printf ' %s' 200 204 301 302 404 404 500 503 200 204 301 302 404 404 500 503 \
		200 204 301 302 404 404 500 503 200 204 301 302 404 404 500 503)" ]
# And one connection through the TCP proxies.
on client curl -s -o /dev/null --max-time 10 http://192.0.2.2:82/status/200
on client curl -s -o /dev/null --max-time 10 http://192.0.2.2:8082/status/200

# pxname,svname: hrsp_1xx .. hrsp_other (fields 40-45 counting from 1).
key='{print $1","$2": "$40" "$41" "$42" "$43" "$44" "$45}'
printf 'show stat\n' | socat - "UNIX-CONNECT:$T/ref.sock" >"$T/ref.csv"
printf 'show stat\n' | socat - "UNIX-CONNECT:$RT" >"$T/softlb.csv"
check "the CSV headers name fields 39-44 alike" [ "$(head -1 "$T/ref.csv" | cut -d, -f40-45)" = \
	"$(head -1 "$T/softlb.csv" | cut -d, -f40-45)" ]
check "  hrsp_1xx .. hrsp_other" [ "$(head -1 "$T/softlb.csv" | cut -d, -f40-45)" = \
	"hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other" ]
awk -F, "NR > 1 && NF > 1 $key" "$T/ref.csv" >"$T/ref.rows"
awk -F, 'NR > 1 && NF > 1 && $1 != "page" '"$key" "$T/softlb.csv" >"$T/softlb.rows"
if [ "$(wc -l <"$T/ref.rows")" -ge 8 ] && diff "$T/ref.rows" "$T/softlb.rows" >"$T/rows.diff"; then
	ok "show stat: the response classes of haproxy 2.6 in every row ($(wc -l <"$T/ref.rows") rows)"
else
	fail "show stat: the response classes differ from haproxy 2.6's:"
	cat "$T/rows.diff" "$T/ref.rows"
fi
check "  web's server s1: 2 2xx, 2 3xx, 2 4xx, 2 5xx" grep -qx 'web,s1: 0 2 2 2 2 0' "$T/softlb.rows"
check "  app's backend: the same" grep -qx 'app,BACKEND: 0 2 2 2 2 0' "$T/softlb.rows"
check "  a TCP proxy's rows: empty" grep -qx 'raw,r1:      ' "$T/softlb.rows"

# The stats page: ;csv as the runtime socket, the HTML's tooltip.
on client curl -s --max-time 10 'http://192.0.2.2:83/st;csv' >"$T/page.csv"
awk -F, 'NR > 1 && NF > 1 && $1 != "page" '"$key" "$T/page.csv" >"$T/page.rows"
check "the page's ;csv: the same classes as show stat" diff "$T/softlb.rows" "$T/page.rows"
get http://192.0.2.2:83/st
check "the page's HTML: 2xx in web's server tooltip" \
	contains "$OUT" "<tr><th>- HTTP 2xx responses:</th><td>2</td><td>(25%)</td></tr>"
check "  and 5xx" contains "$OUT" "<tr><th>- HTTP 5xx responses:</th><td>2</td><td>(25%)</td></tr>"
finish
