#!/bin/sh
# source 0.0.0.0 usesrc clientip (transparent proxying) in a namespace lab
# routed for it: client 198.51.100.10 -- lb (198.51.100.1 | 203.0.113.1)
# -- server 203.0.113.21, whose answers go back through lb, where a rule
# delivers those for the client network locally (ip rule iif eth1 lookup
# 100; local 198.51.100.0/24 in table 100). The server sees the client's
# own address through usesrc clientip, and lb's without it.
. "${top_srcdir:?}/tests/integration/lib.sh"

command -v ip >/dev/null || skip "ip missing (Debian package iproute2)"
HOLD="$top_srcdir/tests/integration/conn_hold.py"
NS="tp$$"
ip netns add "$NS-c" 2>/dev/null || skip "cannot create network namespaces here"
at_exit "for n in c lb rs; do ip netns pids $NS-\$n | xargs -r kill -9; ip netns del $NS-\$n; done"
ip netns add "$NS-lb"
ip netns add "$NS-rs"
ip link add eth0 netns "$NS-c" type veth peer name eth0 netns "$NS-lb"
ip link add eth1 netns "$NS-lb" type veth peer name eth0 netns "$NS-rs"
in_ns() { n=$1; shift; ip netns exec "$NS-$n" "$@"; }
for n in c lb rs; do in_ns $n ip link set lo up; in_ns $n ip link set eth0 up; done
in_ns lb ip link set eth1 up
in_ns c ip addr add 198.51.100.10/24 dev eth0
in_ns c ip route add default via 198.51.100.1
in_ns lb ip addr add 198.51.100.1/24 dev eth0
in_ns lb ip addr add 203.0.113.1/24 dev eth1
in_ns rs ip addr add 203.0.113.21/24 dev eth0
in_ns rs ip route add default via 203.0.113.1
in_ns lb ip rule add iif eth1 lookup 100
in_ns lb ip route add local 198.51.100.0/24 dev lo table 100

in_ns rs "$PYTHON" "$HOLD" serve 203.0.113.21 9000 >>"$T/bg.log" 2>&1 &
at_exit "kill -9 $!"

cat >"$T/softlbd-lb" <<EOS
#!/bin/sh
exec ip netns exec $NS-lb "$top_builddir/softlbd" "\$@"
EOS
chmod +x "$T/softlbd-lb"
SOFTLBD="$T/softlbd-lb"
cat >"$T/haproxy.cfg" <<'EOC'
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    retries 0

listen transparent
    bind 198.51.100.1:80
    source 0.0.0.0 usesrc clientip
    server s 203.0.113.21:9000

listen plain
    bind 198.51.100.1:81
    server s 203.0.113.21:9000

listen perserver
    bind 198.51.100.1:82
    server s 203.0.113.21:9000 source 0.0.0.0 usesrc clientip
EOC
start_daemon -f /dev/null -p "$T/haproxy.cfg"
for _ in $(seq 50); do
	in_ns c "$PYTHON" -c 'import socket; socket.create_connection(("198.51.100.1", 81), timeout=1)' \
		2>/dev/null && break
	sleep 0.1
done

peer() { in_ns c "$PYTHON" "$HOLD" open 198.51.100.1 "$1" 1 5; }
OUT=$(peer 81)
check "without usesrc the server sees the balancer (203.0.113.1)" contains "$OUT" "from 203.0.113.1 1"
OUT=$(peer 80)
check "source 0.0.0.0 usesrc clientip: the server sees the client (198.51.100.10)" \
	contains "$OUT" "from 198.51.100.10 1"
OUT=$(peer 82)
check "  on a server line too" contains "$OUT" "from 198.51.100.10 1"
sl -c 'show running-config haproxy'
check "show running-config keeps usesrc clientip" contains "$OUT" "source 0.0.0.0 usesrc clientip"

finish
