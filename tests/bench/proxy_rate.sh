#!/bin/sh
# proxy_rate.sh: requests per second and memory through softlbd's proxy
# and through HAProxy 2.6, on the same backends, in one netns lab, one
# after the other with the same load. A benchmark, not a test: it prints
# ratios and never fails on a timing. Build without sanitizers for numbers
# worth quoting (ASan slows softlbd several times). Run as root.
#
#   top_builddir=BUILD [top_srcdir=SRC] [SECONDS=10] tests/bench/proxy_rate.sh
#
# Loads, each SECONDS long (bounded; stops by itself):
#   tcp-keepalive  mode tcp, wrk -t1 -c50 over keep-alive connections
#   http-close     mode http with option forwardfor and http-server-close,
#                  ab -c20, a new connection per request
# Both proxies: one thread (nbthread 1), roundrobin over two backends.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
SECONDS_EACH=${SECONDS:-10}
for t in haproxy wrk ab python3 ip; do
	command -v "$t" >/dev/null || { echo "SKIP: $t missing (scripts/deps installs it)"; exit 77; }
done
LAB="pb$$"
T=$(mktemp -d /tmp/proxy-bench.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	"$top_srcdir/scripts/lab" down "$LAB" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
"$top_srcdir/scripts/lab" up "$LAB" client lb1 rs1 rs2 || exit 1
on() { h=$1; shift; ip netns exec "$LAB-$h" "$@"; }
for h in client lb1; do
	# Connection-per-request loads leave TIME_WAIT sockets; reuse them.
	on "$h" sysctl -qw net.ipv4.tcp_tw_reuse=1 net.ipv4.ip_local_port_range="10000 65000"
done
for r in 1 2; do
	ip netns exec "$LAB-rs$r" python3 "$here/proxy_backend_fast.py" "192.0.2.2$r" 8080 \
		>/dev/null 2>&1 &
	PIDS="$PIDS $!"
done
if nm "$top_builddir/softlbd" 2>/dev/null | grep -q __asan_init; then
	echo "note: this softlbd is built with ASan; its numbers are several times too low"
fi

conf() {	# conf MODE OPTIONS
	cat <<EOC
global
    maxconn 4000
    nbthread 1
defaults
    mode $1
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen bench
    bind 192.0.2.2:80
    balance roundrobin
    $2
    server s1 192.0.2.21:8080
    server s2 192.0.2.22:8080
EOC
}

wait_port() {
	for _ in $(seq 50); do
		on client python3 -c 'import socket; socket.create_connection(("192.0.2.2", 80), timeout=1)' \
			2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# run NAME LOAD: starts the proxy NAME, runs LOAD, prints req/s and peak RSS.
run() {
	name=$1 load=$2
	# ip netns exec execs the proxy, so $! is the proxy's own pid.
	if [ "$name" = haproxy ]; then
		ip netns exec "$LAB-lb1" haproxy -db -f "$T/$load.cfg" >"$T/$name.log" 2>&1 &
	else
		ip netns exec "$LAB-lb1" "$top_builddir/softlbd" -n -l -S "$T/s.sock" \
			--pidfile "$T/s.pid" -f /dev/null -p "$T/$load.cfg" >"$T/$name.log" 2>&1 &
	fi
	pid=$!
	wait_port || { echo "$name did not start:" >&2; cat "$T/$name.log" >&2; kill "$pid" 2>/dev/null; return 1; }
	if [ "$load" = tcp ]; then
		rate=$(on client wrk -t1 -c50 -d"${SECONDS_EACH}s" http://192.0.2.2/ 2>&1 |
			awk '/Requests\/sec/ { print int($2) }')
	else
		rate=$(on client ab -q -c20 -t "$SECONDS_EACH" -n 10000000 http://192.0.2.2/ 2>&1 |
			awk '/Requests per second/ { print int($4) }')
	fi
	rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
	kill "$pid"
	wait "$pid" 2>/dev/null
	echo "${rate:-0} ${rss:-0}"
}

conf tcp "" >"$T/tcp.cfg"
conf http "option forwardfor
    option http-server-close" >"$T/http.cfg"
printf '%-14s %12s %12s %8s %14s %14s\n' LOAD "softlbd r/s" "haproxy r/s" RATIO \
	"softlbd KiB" "haproxy KiB"
for load in tcp http; do
	set -- $(run softlbd "$load")
	s_rate=${1:-0} s_rss=${2:-0}
	set -- $(run haproxy "$load")
	h_rate=${1:-0} h_rss=${2:-0}
	ratio=$(awk -v a="$s_rate" -v b="$h_rate" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
	label=$([ "$load" = tcp ] && echo tcp-keepalive || echo http-close)
	printf '%-14s %12s %12s %8s %14s %14s\n' "$label" "$s_rate" "$h_rate" "$ratio" \
		"$s_rss" "$h_rss"
done
echo "(RATIO = softlbd / haproxy requests per second; KiB = peak resident memory)"
