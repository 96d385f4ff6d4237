#!/bin/sh
# proxy_acl.sh: what L7 rules cost, softlbd and HAProxy 2.6 side by side
# on the same backends in one netns lab, one after the other with the
# same load. A benchmark, not a test: it prints ratios and never fails on
# a timing. Build without sanitizers for numbers worth quoting. Run as
# root.
#
#   top_builddir=BUILD [top_srcdir=SRC] [SECONDS=10] [ROUNDS=2] tests/bench/proxy_acl.sh
#
# Three frontends, each loaded with wrk -t1 -c50 keep-alive for SECONDS
# (bounded; stops by itself), ROUNDS times, alternating softlbd and
# haproxy:
#   plain   default_backend only
#   list    one http-request deny on a 100,000-entry -f address list
#           (the client is not in it: every request is looked up)
#   rules   50 ACLs, 10 use_backend rules (none matches until the last
#           one, so every condition is evaluated), the same -f list
# For each: req/s and the proxy's CPU time per request; then the ratios
# the issue sets targets for: the list's cost in req/s (< 5%), CPU per
# request with rules softlbd / haproxy (<= 0.8).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
SECONDS_EACH=${SECONDS:-10}
. "$here/stats_lib.sh"
for t in haproxy wrk python3 ip; do
	command -v "$t" >/dev/null || { echo "SKIP: $t missing (scripts/deps installs it)"; exit 77; }
done
LAB="pa$$"
T=$(mktemp -d /tmp/proxy-acl-bench.XXXXXX)
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
for r in 1 2; do
	ip netns exec "$LAB-rs$r" python3 "$here/proxy_backend_fast.py" "192.0.2.2$r" 8080 \
		>/dev/null 2>&1 &
	PIDS="$PIDS $!"
done
if nm "$top_builddir/softlbd" 2>/dev/null | grep -q __asan_init; then
	echo "note: this softlbd is built with ASan; its numbers are several times too low"
fi

# 100,000 addresses in 10.0.0.0/8 (never used for traffic: patterns only).
python3 -c 'import sys
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        f.write("10.%d.%d.%d\n" % (i >> 16, (i >> 8) & 255, i & 255))' "$T/big.lst"

conf() {	# conf KIND
	cat <<EOC
global
    maxconn 9000
    nbthread 1
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend bench
    bind 192.0.2.2:80
    default_backend main
EOC
	case $1 in
	list)
		echo "    http-request deny if { src -f $T/big.lst }"
		;;
	rules)
		echo "    acl blocked src -f $T/big.lst"
		echo "    http-request deny if blocked"
		i=0
		while [ $i -lt 50 ]; do
			case $((i % 5)) in
			0) echo "    acl a$i path_beg /app$i/" ;;
			1) echo "    acl a$i hdr(host) -i host$i.example" ;;
			2) echo "    acl a$i path_end .ext$i" ;;
			3) echo "    acl a$i hdr_sub(user-agent) agent$i" ;;
			4) echo "    acl a$i url_param(p$i) -m found" ;;
			esac
			i=$((i + 1))
		done
		i=0
		while [ $i -lt 9 ]; do
			echo "    use_backend b$i if a$((i * 5)) a$((i * 5 + 1)) || a$((i * 5 + 2)) || a$((i * 5 + 3)) a$((i * 5 + 4))"
			i=$((i + 1))
		done
		echo "    use_backend main if { path_beg / }"
		i=0
		while [ $i -lt 9 ]; do
			printf 'backend b%d\n    server s1 192.0.2.21:8080\n' "$i"
			i=$((i + 1))
		done
		;;
	esac
	cat <<EOC
backend main
    balance roundrobin
    server s1 192.0.2.21:8080
    server s2 192.0.2.22:8080
EOC
}

wait_port() {
	for _ in $(seq 100); do
		on client python3 -c 'import socket; socket.create_connection(("192.0.2.2", 80), timeout=1)' \
			2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# to_ms VALUE: wrk's latency ("850.00us", "1.23ms", "2.01s") in ms.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000
		printf "%.3f", n }'
}

# run NAME LOAD: starts the proxy NAME, runs LOAD; prints "req/s p99_ms
# cpu_us_per_request peak_rss_kib". CPU is the proxy process's utime +
# stime over the run, divided by the requests the load generator counted.
run() {
	name=$1 load=$2 conns=50 cfg=$2
	# ip netns exec execs the proxy, so $! is the proxy's own pid.
	if [ "$name" = haproxy ]; then
		ip netns exec "$LAB-lb1" haproxy -db -f "$T/$cfg.cfg" >"$T/$name.log" 2>&1 &
	else
		ip netns exec "$LAB-lb1" "$top_builddir/softlbd" -n -l -S "$T/s.sock" \
			--pidfile "$T/s.pid" -f /dev/null -p "$T/$cfg.cfg" >"$T/$name.log" 2>&1 &
	fi
	pid=$!
	wait_port || { echo "$name did not start:" >&2; cat "$T/$name.log" >&2; kill "$pid" 2>/dev/null; return 1; }
	t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	if [ "$load" = close ]; then
		on client ab -c20 -t "$SECONDS_EACH" -n 10000000 http://192.0.2.2/ >"$T/out" 2>&1
		rate=$(awk '/Requests per second/ { print int($4) }' "$T/out")
		reqs=$(awk '/Complete requests/ { print $3 }' "$T/out")
		p99=$(awk '$1 == "99%" { print $2 }' "$T/out")
	else
		on client wrk -t1 -c"$conns" --latency -d"${SECONDS_EACH}s" http://192.0.2.2/ >"$T/out" 2>&1
		rate=$(awk '/Requests\/sec/ { print int($2) }' "$T/out")
		reqs=$(awk '/requests in/ { print $1 }' "$T/out")
		p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$T/out")")
	fi
	t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
	kill "$pid"
	wait "$pid" 2>/dev/null
	cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v n="${reqs:-0}" \
		'BEGIN { printf "%.2f", n ? (b - a) / hz * 1e6 / n : 0 }')
	echo "${rate:-0} ${p99:-0} $cpu ${rss:-0}"
}

ROUNDS=${ROUNDS:-2}
for k in plain list rules; do
	conf "$k" >"$T/$k.cfg"
done
printf '%-8s %-8s %9s %9s %11s %9s\n' RULES PROXY "req/s" "p99 ms" "CPU us/req" "RSS KiB"
for k in plain list rules; do
	eval "s_r_$k=''; s_c_$k=''; h_r_$k=''; h_c_$k=''"
	for r in $(seq "$ROUNDS"); do
		for name in softlbd haproxy; do
			set -- $(run "$name" "$k")
			printf '%-8s %-8s %9s %9s %11s %9s\n' "$k" "$name" "${1:-0}" "${2:-0}" "${3:-0}" "${4:-0}"
			p=h
			[ "$name" = softlbd ] && p=s
			eval "${p}_r_$k=\"\${${p}_r_$k} ${1:--}\"; ${p}_c_$k=\"\${${p}_c_$k} ${3:--}\""
		done
	done
done
echo
for p in s h; do
	name=haproxy
	[ $p = s ] && name=softlbd
	eval "plain=\$${p}_r_plain list=\$${p}_r_list rules=\$${p}_r_rules"
	printf '%-8s req/s with the 100,000-entry list / without: %s (target for softlbd: > 0.95)\n' \
		"$name" "$(st_ratio "$list" "$plain")"
	printf '%-8s req/s with 50 ACLs + 10 use_backend / without: %s\n' "$name" \
		"$(st_ratio "$rules" "$plain")"
done
printf 'CPU per request, softlbd / haproxy: plain %s, list %s, rules %s (target with rules: <= 0.8)\n' \
	"$(st_ratio "$s_c_plain" "$h_c_plain")" "$(st_ratio "$s_c_list" "$h_c_list")" \
	"$(st_ratio "$s_c_rules" "$h_c_rules")"
st_row "proxy acl rules, req/s" "$(st_summary $s_r_rules)" "haproxy $(st_summary $h_r_rules)" \
	"$(st_ratio "$s_r_rules" "$h_r_rules")" "-" \
	"CPU us/req softlbd/haproxy $(st_ratio "$s_c_rules" "$h_c_rules")"
echo "(ratios: median [min..max] n=pairs over $ROUNDS interleaved rounds of ${SECONDS_EACH}s each;"
echo " wrk -t1 -c50 keep-alive; CPU = utime + stime of the proxy process / requests served)"
