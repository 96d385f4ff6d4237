#!/bin/sh
# The proxy in mode tcp, in a netns lab (softlbd in lb1, backends in rs1-3,
# curl in client): weighted round robin in exact proportions, connect
# refused retried on another server (option redispatch), balance source
# and first, a frontend with its default_backend, show proxy and its JSON.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

lab_up client lb1 rs1 rs2 rs3
use_lb1
backend rs1 8080 one
backend rs2 8080 two
cat >"$T/haproxy.cfg" <<'EOC'
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    retries 1
    option redispatch

listen web
    bind 192.0.2.2:80
    balance roundrobin
    server s1 192.0.2.21:8080 weight 3
    server s2 192.0.2.22:8080 weight 1

listen retry
    bind 192.0.2.2:81
    server s3 192.0.2.23:8080 weight 5
    server s1 192.0.2.21:8080 weight 1

listen sticky
    bind 192.0.2.2:82
    balance source
    server s1 192.0.2.21:8080
    server s2 192.0.2.22:8080

listen queue
    bind 192.0.2.2:84
    timeout queue 5s
    server s1 192.0.2.21:8080 maxconn 1

listen qtimeout
    bind 192.0.2.2:85
    timeout queue 300ms
    server s1 192.0.2.21:8080 maxconn 1

listen spare
    bind 192.0.2.2:86
    server s1 192.0.2.21:8080
    server b1 192.0.2.22:8080 backup
    server b2 192.0.2.21:8080 backup

listen idle
    bind [2001:db8::2]:87
    timeout client 500ms
    server s1 192.0.2.21:8080

listen fefull
    bind 192.0.2.2:89
    maxconn 1
    server s1 192.0.2.21:8080

listen least
    bind 192.0.2.2:88
    balance leastconn
    server s1 192.0.2.21:8080
    server s2 192.0.2.22:8080

frontend fe
    bind 192.0.2.2:83
    default_backend be

backend be
    balance first
    server s2 192.0.2.22:8080
    server s1 192.0.2.21:8080
EOC
start_daemon -f /dev/null -p "$T/haproxy.cfg"
wait_port 192.0.2.21 8080 && wait_port 192.0.2.22 8080 || exit 99
wait_port 192.0.2.2 80 || exit 99

R=$(count 40 http://192.0.2.2/id | tr '\n' ' ')
check "weights 3:1 give 30 and 10 of 40 requests ($R)" [ "$R" = "one 30 two 10 " ]
# 31: the 30 requests and wait_port's probe (the first pick, so 40 more
# picks still split exactly 30:10).
check "show proxy counts 31 sessions on s1" [ "$(srv web s1 total)" = 31 ]
check "  and bytes both ways" sh -c '[ "$1" -gt 0 ] && [ "$2" -gt 0 ]' _ \
	"$(srv web s1 bytes_in)" "$(srv web s1 bytes_out)"

# s3 refuses: each of its turns is retried once on s1 (last retry, with
# redispatch), so every request is served.
R=$(count 4 http://192.0.2.2:81/id | tr '\n' ' ')
check "connection refused is retried on another server ($R)" [ "$R" = "one 4 " ]
check "  s3 counts failed connections" sh -c '[ "$1" -ge 3 ]' _ "$(srv retry s3 econ)"
check "  the proxy counts redispatches" sh -c '[ "$1" -ge 3 ]' _ "$(pxf retry redispatches)"

R=$(count 6 http://192.0.2.2:82/id | wc -l)
check "balance source sends one client to one server" [ "$R" = 1 ]
R=$(count 5 http://192.0.2.2:83/id | tr '\n' ' ')
check "a frontend reaches its default_backend, balance first ($R)" [ "$R" = "two 5 " ]

# Waits until proxy $1 has a session (the background curl got through).
held() {
	# Generous: on a loaded machine curl itself may take seconds to start.
	for _ in $(seq 200); do [ "$(pxf "$1" cur)" = 1 ] && return 0; sleep 0.1; done
	echo "  no session on $1"
}

# Server maxconn: a second connection waits in the queue for the first
# to end (timeout queue), or gives up when the queue time is over.
on client curl -s -o /dev/null -w '%{size_download}\n' http://192.0.2.2:84/slow/30/100 >"$T/q1" &
Q1=$!
held queue
get http://192.0.2.2:84/id
wait "$Q1"
check "maxconn 1: the second request waits in the queue, then is served ($OUT)" \
	sh -c '[ "$1" = one ] && [ "$2" = 1966080 ]' _ "$OUT" "$(cat "$T/q1")"
check "  show proxy saw one queued" [ "$(pxf queue queue_max)" = 1 ]
on client curl -s -o /dev/null -w '%{size_download}\n' http://192.0.2.2:85/slow/30/100 >"$T/q2" &
Q1=$!
held qtimeout
get http://192.0.2.2:85/id
wait "$Q1"
check "  past timeout queue it is refused" sh -c '[ -z "$1" ] && [ "$2" = 1966080 ]' _ "$OUT" "$(cat "$T/q2")"
check "  and counted" [ "$(pxf qtimeout denied)" = 1 ]
check "  both queues are empty again" sh -c '[ "$1" = 0 ] && [ "$2" = 0 ]' _ \
	"$(pxf queue queue_cur)" "$(pxf qtimeout queue_cur)"

R=$(count 4 http://192.0.2.2:86/id | tr '\n' ' ')
check "backup servers take nothing while an active one is UP ($R)" [ "$R" = "one 4 " ]
sl -c 'server spare s1 disable'
R=$(count 4 http://192.0.2.2:86/id | tr '\n' ' ')
check "with its server disabled, the first backup takes everything ($R)" [ "$R" = "two 4 " ]
sl -c 'server spare s1 enable'
R=$(count 4 http://192.0.2.2:86/id | tr '\n' ' ')
check "  enabled again, it takes everything back ($R)" [ "$R" = "one 4 " ]
check "  show proxy marks backups" sh -c 'printf "%s\n" "$1" | grep -q "^spare/b1 .* 1b "' _ "$("$SOFTLB" -s "$SOCK" -c 'show proxy spare')"

# Proxy maxconn: the listener stops accepting; the kernel's backlog holds
# the next connection until the first session ends.
on client curl -s -o /dev/null -w '%{size_download}\n' http://192.0.2.2:89/slow/10/100 >"$T/f1" &
L=$!
held fefull
get http://192.0.2.2:89/id
wait "$L"
check "proxy maxconn 1: a second client waits for the first, then is served ($OUT)" \
	sh -c '[ "$1" = one ] && [ "$2" = 655360 ]' _ "$OUT" "$(cat "$T/f1")"
check "  never two at once" [ "$(pxf fefull max)" = 1 ]

# leastconn: while one server holds a long transfer, the next requests
# (one at a time) go to the other.
on client curl -s -o /dev/null http://192.0.2.2:88/slow/40/100 &
L=$!
held least
busy=$(srv least s1 cur)
R=$(count 4 http://192.0.2.2:88/id | tr '\n' ' ')
still=$(srv least s1 cur)$(srv least s2 cur)
wait "$L"
if [ "$busy" = 1 ]; then want="two 4 "; else want="one 4 "; fi
check "leastconn avoids the server holding a session ($R; held $busy, then $still)" \
	[ "$R" = "$want" ]

get -g 'http://[2001:db8::2]:87/id'
check "an IPv6 bind serves ($OUT)" [ "$OUT" = one ]
R=$(on client "$PYTHON" -c 'import socket, time
s = socket.create_connection(("2001:db8::2", 87), timeout=5)
t = time.monotonic()
s.recv(10)
print("%.1f" % (time.monotonic() - t))')
check "an idle client is closed after timeout client 500ms (${R}s)" \
	sh -c 'awk -v t="$1" "BEGIN { exit !(t >= 0.4 && t < 2) }"' _ "$R"

sl -c 'show proxy'
check "show proxy has a line per proxy and server" sh -c 'for w in "web " web/s1 web/s2 retry/s3 "fe " be/s2; do
	case "$1" in *"$w"*) ;; *) exit 1;; esac; done' _ "$OUT"
check "  with status UP and weight" contains "$OUT" "UP             3"
sl -c 'show proxy nosuch'
check "an unknown proxy is refused" [ "$RC" -ne 0 ]
sl -c 'show status'
check "show status reports the engine" contains "$OUT" "proxy    running"
finish
