#!/bin/sh
# Reloads under traffic, in a netns lab: a reload that changes a server's
# weight while a long transfer is in flight keeps the listener and the
# transfer (it completes, byte for byte); the new weight rules the next
# requests; counters carry over; a removed bind closes, an added one opens;
# a bind that cannot be opened refuses the reload and the old one runs on.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

lab_up client lb1 rs1 rs2 rs3
use_lb1
backend rs1 8080 one
backend rs2 8080 two
conf() {
	cat >"$T/haproxy.cfg" <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 20s
    timeout server 20s

listen web
    bind 192.0.2.2:80
    $3
    server s1 192.0.2.21:8080 weight $1
    server s2 192.0.2.22:8080 weight $2
EOC
}
conf 1 1 "bind 192.0.2.2:81"
start_daemon -f /dev/null -p "$T/haproxy.cfg"
wait_port 192.0.2.21 8080 && wait_port 192.0.2.22 8080 || exit 99
R=$(count 4 http://192.0.2.2/id | tr '\n' ' ')
check "weights 1:1 ($R)" [ "$R" = "one 2 two 2 " ]
get http://192.0.2.2:81/id
check "the second bind serves" [ -n "$OUT" ]

on client curl -s -o /dev/null --max-time 20 -w '%{size_download} %{http_code}\n' \
	http://192.0.2.2/slow/30/100 >"$T/long" 2>&1 &
LONG=$!
sleep 0.5
total_before=$(pxf web total)
conf 3 1 "bind 192.0.2.2:82"
sl -c reload
check "reload with s1 weight 3 and binds changed succeeds" [ "$RC" = 0 ]
check "  the new weight shows" [ "$(srv web s1 weight)" = 3 ]
R=$(count 8 http://192.0.2.2/id | tr '\n' ' ')
check "  and rules the next requests ($R)" [ "$R" = "one 6 two 2 " ]
check "  counters carry over the reload" sh -c '[ "$1" -ge $(($2 + 8)) ]' _ "$(pxf web total)" "$total_before"
get http://192.0.2.2:82/id
check "  the added bind serves" [ -n "$OUT" ]
get http://192.0.2.2:81/id
check "  the removed bind is closed" [ -z "$OUT" ]
wait "$LONG"
check "the transfer in flight completes ($(cat "$T/long"))" [ "$(cat "$T/long")" = "1966080 200" ]

# Configure mode goes the same way: a server added live takes traffic,
# removed it takes none.
backend rs3 8080 three
wait_port 192.0.2.23 8080 || exit 99
sl -c configure -c 'proxy web' -c 'server s3 192.0.2.23:8080 weight 3' -c end
check "configure mode adds a server" [ "$RC" = 0 ]
check "  with its weight" [ "$(srv web s3 weight)" = 3 ]
R=$(count 14 http://192.0.2.2/id | awk '$1 == "three" { print $2 }')
check "  which takes its share (3 of 7) at once (${R:-0} of 14)" [ "${R:-0}" = 6 ]
sl -c configure -c 'proxy web' -c 'no server s3' -c end
R=$(count 4 http://192.0.2.2/id | awk '$1 == "three" { print $2 }')
check "  and, removed, none (${R:-0})" [ "${R:-0}" = 0 ]

# A bind that cannot be opened (port taken by another program) refuses the
# whole change; the running configuration stays.
bg_on lb1 "$PYTHON" -c 'import socket, time
s = socket.socket(); s.bind(("192.0.2.2", 84)); s.listen(); time.sleep(60)'
wait_port 192.0.2.2 84 || exit 99
conf 1 1 "bind 192.0.2.2:84"
sl -c reload
check "a reload with a bind already taken is refused" [ "$RC" -ne 0 ]
check "  saying which" contains "$OUT" "192.0.2.2:84"
check "  and the old weights stay" [ "$(srv web s1 weight)" = 3 ]
get http://192.0.2.2:82/id
check "  and the old binds" [ -n "$OUT" ]

# Stopping with a transfer in flight: the session is closed, softlbd
# exits 0 (under ASan: nothing leaked, no use after free).
on client curl -s -o /dev/null --max-time 20 http://192.0.2.2:82/slow/30/100 &
for _ in $(seq 30); do [ "$(pxf web cur)" = 1 ] && break; sleep 0.1; done
check "a transfer is in flight at stop" [ "$(pxf web cur)" = 1 ]
finish
