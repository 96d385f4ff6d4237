#!/bin/sh
# source addresses, in a netns lab whose balancer (lb1) has only 100
# ephemeral ports (net.ipv4.ip_local_port_range, set inside its
# namespace): one source address carries at most 100 concurrent
# connections to one server; two carry 200 (softlb's `source A,B`); a
# port range of 50 carries 50. The server sees the connections come from
# the source addresses, spread over both.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

HOLD="$top_srcdir/tests/integration/conn_hold.py"

lab_up client lb1 rs1
use_lb1
for a in 4 5 6 7; do
	on lb1 ip addr add "192.0.2.$a/24" dev eth0
done
on lb1 sysctl -q -w net.ipv4.ip_local_port_range="20000 20099" ||
	skip "cannot set ip_local_port_range in a namespace"
bg_on rs1 "$PYTHON" "$HOLD" serve 192.0.2.21 9000

cat >"$T/haproxy.cfg" <<'EOC'
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 0

listen one
    bind 192.0.2.2:80
    source 192.0.2.4
    server s 192.0.2.21:9000

listen two
    bind 192.0.2.2:81
    server s 192.0.2.21:9000 source 192.0.2.5,192.0.2.6

listen range
    bind 192.0.2.2:82
    server s 192.0.2.21:9000 source 192.0.2.7:30000-30049

listen probe
    bind 192.0.2.2:83
    server s 192.0.2.21:9001
EOC
start_daemon -f /dev/null -p "$T/haproxy.cfg"
# (not through the others: a closed connection keeps its port a while)
wait_port 192.0.2.2 83 || exit 99
wait_port 192.0.2.21 9000 || exit 99

# hold PORT N: opens N connections through softlbd; output in $OUT.
hold() {
	OUT=$(on client "$PYTHON" "$HOLD" open 192.0.2.2 "$1" "$2" 20)
	echo "$OUT" | sed 's/^/  /'
}

hold 80 150
check "one source address: 100 connections to one server, no more (100 ports)" \
	contains "$OUT" "answered 100"
check "  all from that address" contains "$OUT" "from 192.0.2.4 100"
check "softlbd still answers" daemon_alive

hold 81 200
check "two source addresses: 200 connections to the same server" contains "$OUT" "answered 200"
check "  100 from each" sh -c 'case "$1" in *"from 192.0.2.5 100"*"from 192.0.2.6 100"*) exit 0;; esac; exit 1' _ "$OUT"

hold 82 60
check "source with a port range of 50: 50 connections" contains "$OUT" "answered 50"
check "  from that address" contains "$OUT" "from 192.0.2.7 50"

sl -c 'show running-config haproxy'
check "show running-config keeps the sources" contains "$OUT" "source 192.0.2.5,192.0.2.6"

finish
