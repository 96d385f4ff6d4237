#!/bin/sh
# Cookie persistence benchmark (by hand, as root; never in make check):
# softlbd and haproxy 2.6 on the same two backends in a network namespace
# of their own (loopback), one worker thread each, `cookie SRV insert
# indirect nocache`, wrk keep-alive with 50 connections, interleaved
# rounds. Two loads:
#   cookie-valid   every request carries SRV=a1 (routed by the cookie,
#                  the cookie removed before the server, no Set-Cookie)
#   cookie-insert  no request carries one (balanced, and every answer
#                  gets a Set-Cookie)
# For each: req/s and the proxy's CPU per request (utime + stime of the
# process / requests), and softlbd / haproxy ratios (stats_lib.sh). A
# report only: it never fails on a figure. Build without sanitizers for
# numbers worth quoting.
#
#   top_builddir=BUILD [SECONDS=10] [ROUNDS=3] tests/bench/proxy_cookie.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
SECONDS_EACH=${SECONDS:-10}
ROUNDS=${ROUNDS:-3}
. "$here/stats_lib.sh"
for t in haproxy wrk python3 ip; do
	command -v "$t" >/dev/null || { echo "SKIP: $t missing (scripts/deps installs it)"; exit 77; }
done
NS="pck$$"
T=$(mktemp -d /tmp/cookie-bench.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ip netns add "$NS" || exit 1
ip -n "$NS" link set lo up
on() { ip netns exec "$NS" "$@"; }
for p in 19681 19682; do
	ip netns exec "$NS" python3 "$here/proxy_backend_fast.py" 127.0.0.1 "$p" >/dev/null 2>&1 &
	PIDS="$PIDS $!"
done
if nm "$top_builddir/softlbd" 2>/dev/null | grep -q __asan_init; then
	echo "note: this softlbd is built with ASan; its numbers are several times too low"
fi
cat >"$T/p.cfg" <<EOC
global
    maxconn 2000
    nbthread 1
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen bench
    bind 127.0.0.1:19680
    cookie SRV insert indirect nocache
    server s1 127.0.0.1:19681 cookie a1
    server s2 127.0.0.1:19682 cookie b2
EOC

# run NAME LOAD: "req/s cpu_us_per_request" of one round.
run() {
	# ip netns exec execs the proxy, so $! is the proxy's own pid.
	if [ "$1" = haproxy ]; then
		ip netns exec "$NS" haproxy -db -f "$T/p.cfg" >"$T/$1.log" 2>&1 &
	else
		ip netns exec "$NS" "$top_builddir/softlbd" -n -l -S "$T/s.sock" --pidfile "$T/s.pid" \
			-f /dev/null -p "$T/p.cfg" >"$T/$1.log" 2>&1 &
	fi
	pid=$!
	for _ in $(seq 50); do
		on python3 -c 'import socket; socket.create_connection(("127.0.0.1", 19680), timeout=1)' \
			2>/dev/null && break
		sleep 0.1
	done
	t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	if [ "$2" = cookie-valid ]; then
		on wrk -t1 -c50 -d"${SECONDS_EACH}s" -H 'Cookie: SRV=a1; sid=42' http://127.0.0.1:19680/ >"$T/out" 2>&1
	else
		on wrk -t1 -c50 -d"${SECONDS_EACH}s" http://127.0.0.1:19680/ >"$T/out" 2>&1
	fi
	t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	kill "$pid"
	wait "$pid" 2>/dev/null
	rate=$(awk '/Requests\/sec/ { print int($2) }' "$T/out")
	reqs=$(awk '/requests in/ { print $1 }' "$T/out")
	cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v n="${reqs:-0}" \
		'BEGIN { if (n > 0) printf "%.2f", (b - a) / hz * 1e6 / n; else print "-" }')
	echo "${rate:--} $cpu"
}

printf '%-14s %-8s %9s %11s\n' LOAD PROXY "req/s" "CPU us/req"
for load in cookie-valid cookie-insert; do
	srl='' scl='' hrl='' hcl=''
	for r in $(seq "$ROUNDS"); do
		for x in $(st_order "$r"); do
			name=softlbd
			[ "$x" = B ] && name=haproxy
			set -- $(run "$name" "$load")
			printf '%-14s %-8s %9s %11s\n' "$load" "$name" "${1:--}" "${2:--}"
			if [ "$name" = softlbd ]; then
				srl="$srl ${1:--}" scl="$scl ${2:--}"
			else
				hrl="$hrl ${1:--}" hcl="$hcl ${2:--}"
			fi
		done
	done
	printf '%-14s softlbd / haproxy: req/s %s, CPU per request %s\n' "$load" \
		"$(st_ratio "$srl" "$hrl")" "$(st_ratio "$scl" "$hcl")"
	st_row "proxy $load, req/s" "$(st_summary $srl)" "haproxy $(st_summary $hrl)" \
		"$(st_ratio "$srl" "$hrl")" "-" "CPU us/req softlbd/haproxy $(st_ratio "$scl" "$hcl")"
done
echo "(ratios: median [min..max] n=pairs over $ROUNDS interleaved rounds of ${SECONDS_EACH}s each, wrk -t1 -c50)"
