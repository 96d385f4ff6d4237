#!/bin/sh
# proxy_conns_guest.sh: runs INSIDE the VM only (tests/bench/proxy_conns.sh
# boots it). See proxy_conns.sh. Three namespaces on a bridge of their
# own, documentation addresses only: cl (192.0.2.11-14), lb (192.0.2.1,
# the proxy on :8000, and 198.51.100.1 towards the servers), sv
# (198.51.100.2, ports 9001-9004). Nothing leaves the VM (it has no
# network device).
set -u
GUEST=proxy-conns
. "$top_srcdir/tests/vm/guest_lib.sh"
N=${SOFTLB_BENCH_CONNS:-200000}
PEERS=${SOFTLB_BENCH_PEERS:-softlbd haproxy}
HOLD=$T/conn_holder
HPID=
CPID=

cleanup() {
	for p in $CPID $HPID; do kill "$p" 2>/dev/null; done
	[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null
	PID=
	for ns in cl lb sv; do ip netns del "pc-$ns" 2>/dev/null; done
	ip link del pc-br 2>/dev/null
	guest_cleanup
}
trap cleanup EXIT

cc -O2 -o "$HOLD" "$S/tests/bench/conn_holder.c" || { echo "FAIL: cannot build conn_holder"; exit 1; }
# Every descriptor limit high enough for N clients, N relayed pairs and N
# accepted sockets, with room.
sysctl -qw fs.nr_open=1100000 fs.file-max=4000000
ulimit -n 1048576 || { echo "FAIL: ulimit -n 1048576"; exit 1; }
echo "guest: $(nproc) CPU, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB, $(uname -r)"

ip link add pc-br type bridge && ip link set pc-br up || { echo "FAIL: bridge"; exit 1; }
i=0
for ns in cl lb sv; do
	i=$((i + 1))
	ip netns add "pc-$ns"
	ip link add "pc-v$i" type veth peer name eth0 netns "pc-$ns"
	ip link set "pc-v$i" master pc-br up
	ip -n "pc-$ns" link set lo up
	ip -n "pc-$ns" link set eth0 up
	ip netns exec "pc-$ns" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" \
		net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535
done
for a in 11 12 13 14; do ip -n pc-cl addr add "192.0.2.$a/24" dev eth0; done
ip -n pc-lb addr add 192.0.2.1/24 dev eth0
ip -n pc-lb addr add 198.51.100.1/24 dev eth0
ip -n pc-sv addr add 198.51.100.2/24 dev eth0
ip -n pc-cl route add 198.51.100.0/24 via 192.0.2.1 2>/dev/null
ip -n pc-sv route add 192.0.2.0/24 via 198.51.100.1 2>/dev/null

conf() {	# the same file for both peers
	cat <<EOC
global
    maxconn $((N + 1000))
defaults
    mode tcp
    maxconn $((N + 1000))
    timeout connect 30s
    timeout client 1h
    timeout server 1h
listen hold
    bind 192.0.2.1:8000
    balance roundrobin
    source 198.51.100.1
    server s1 198.51.100.2:9001
    server s2 198.51.100.2:9002
    server s3 198.51.100.2:9003
    server s4 198.51.100.2:9004
EOC
}
conf >"$T/proxy.cfg"
: >"$T/empty.conf"

count() { awk '{ print $1 }' "$T/$1.count" 2>/dev/null || echo 0; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }
listening() { ip netns exec pc-lb ss -Hltn 'sport = :8000' | grep -q .; }
established() { ip netns exec "pc-$1" ss -Htn state established | wc -l; }

for peer in $PEERS; do
	echo "== $peer: $N connections"
	ip netns exec pc-sv "$HOLD" serve 198.51.100.2 9001,9002,9003,9004 "$T/sv.count" &
	HPID=$!
	case $peer in
	softlbd)
		ip netns exec pc-lb "$SOFTLBD" -n -l -S "$SOCK" --pidfile "$T/p.pid" \
			-f "$T/empty.conf" -p "$T/proxy.cfg" >>"$LOG" 2>&1 &
		PID=$!
		wait_softlbd "$SOCK" "$PID" "$LOG" ;;
	haproxy)
		command -v haproxy >/dev/null || { echo "SKIP: haproxy is not installed"; kill "$HPID"; continue; }
		ip netns exec pc-lb haproxy -db -f "$T/proxy.cfg" >>"$T/haproxy.log" 2>&1 &
		PID=$!
		sleep 2 ;;
	esac
	wait_for 600 listening || echo "note: nothing listens on 192.0.2.1:8000 after 60 s"
	rss0=$(rss "$PID"); fd0=$(fds "$PID")
	t0=$(date +%s)
	ip netns exec pc-cl "$HOLD" connect 192.0.2.11,192.0.2.12,192.0.2.13,192.0.2.14 \
		192.0.2.1 8000 "$N" "$T/cl.count" &
	CPID=$!
	# Until the holder has accepted N (every connection relayed end to
	# end), or SOFTLB_BENCH_WAIT seconds (default 40 minutes), with a
	# progress line a minute.
	w=0
	for _ in $(seq "${SOFTLB_BENCH_WAIT:-2400}"); do
		w=$((w + 1))
		[ $((w % 60)) = 0 ] && echo "$peer: ${w} s: clients $(count cl), servers $(count sv)"
		[ "$(count sv)" -ge "$N" ] && break
		kill -0 "$CPID" 2>/dev/null || break
		sleep 1
	done
	t1=$(date +%s)
	sleep 3
	held=$(count sv)
	rss1=$(rss "$PID"); fd1=$(fds "$PID")
	cur=
	if [ "$peer" = softlbd ]; then
		sl -c 'show proxy json'
		cur=$(printf '%s' "$OUT" | $PY -c 'import json,sys
d=json.load(sys.stdin)
print(sum(p.get("cur", 0) for p in d if p.get("name") == "hold"))' 2>/dev/null)
	fi
	echo "$peer: clients connected $(count cl) (refused or reset: $(awk '{ print $2 }' "$T/cl.count" 2>/dev/null)), held at the servers $held, in $((t1 - t0)) s"
	for ns in lb sv; do
		echo "$peer: $ns: $(ip netns exec "pc-$ns" nstat -az 2>/dev/null | awk '$1 ~ /ListenOverflows|ListenDrops|TCPReqQFullDrop|SyncookiesSent|TCPAbortOnData|TCPAbortOnClose|TCPTimeouts|OutRsts/ { printf "%s %s  ", $1, $2 }')"
	done
	echo "$peer: established sockets: client side $(established cl), proxy $(established lb), servers $(established sv)${cur:+; show proxy: $cur current sessions}"
	echo "$peer: RSS $rss0 -> $rss1 KiB, descriptors $fd0 -> $fd1"
	if [ "$held" -gt 0 ]; then
		awk -v r0="$rss0" -v r1="$rss1" -v f0="$fd0" -v f1="$fd1" -v n="$held" -v p="$peer" 'BEGIN {
			printf "%s: per held connection: %.0f bytes of RSS, %.2f descriptors\n", p, (r1 - r0) * 1024 / n, (f1 - f0) / n }'
		echo "summary: | $peer, $held connections held (VM) | RSS $rss1 KiB | $(awk -v r0="$rss0" -v r1="$rss1" -v n="$held" 'BEGIN { printf "%.0f", (r1 - r0) * 1024 / n }') B per connection | $(awk -v f0="$fd0" -v f1="$fd1" -v n="$held" 'BEGIN { printf "%.2f", (f1 - f0) / n }') fd per connection |"
	fi
	check "$peer holds $N connections end to end" [ "$held" -ge "$N" ] ||
		{ [ "$peer" = softlbd ] && tail -20 "$LOG"; }
	kill "$CPID" 2>/dev/null; wait "$CPID" 2>/dev/null; CPID=
	if [ "$peer" = softlbd ]; then stop_cleanly softlbd "$PID"; else kill "$PID"; wait "$PID" 2>/dev/null; fi
	PID=
	kill "$HPID" 2>/dev/null; wait "$HPID" 2>/dev/null; HPID=
	rm -f "$T/sv.count" "$T/cl.count"
	sleep 5	# the sockets of this round go
done
guest_finish
