#!/bin/sh
# proxy_rate.sh: requests per second and memory through softlbd's proxy
# and through HAProxy 2.6, on the same backends, in one netns lab, one
# after the other with the same load. A benchmark, not a test: it prints
# ratios and never fails on a timing. Build without sanitizers for numbers
# worth quoting (ASan slows softlbd several times). Run as root.
#
#   top_builddir=BUILD [top_srcdir=SRC] [SECONDS=10] tests/bench/proxy_rate.sh
#
# Loads, each SECONDS long (bounded; stops by itself), each run ROUNDS
# times (default 2) alternating softlbd and haproxy:
#   tcp-keepalive   mode tcp, wrk -t1 -c50 over keep-alive connections
#   http-keepalive  mode http (every request parsed, balanced, given
#                   X-Forwarded-For), wrk -t1 -c50 keep-alive
#   http-ka-500     the same with 500 connections (wrk -t1 -c500)
#   http-srv-close  mode http with option http-server-close, ab -c20, a
#                   new connection per request
# For each: req/s, p99 latency and the proxy's CPU time per request
# (utime + stime / requests), and softlbd's ratios to haproxy's.
# Last, memory per idle client: 5,000 keep-alive clients (IDLE=N to
# change) each send one request and then hold their connection; the
# proxy's RSS and descriptors before and while they are held, per
# connection, for each proxy (once each, interleaved; bounded to 60 s).
# Both proxies: one thread (nbthread 1), roundrobin over two backends.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
SECONDS_EACH=${SECONDS:-10}
. "$here/stats_lib.sh"
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
    maxconn 9000
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
	[ "$load" = keepalive500 ] && conns=500 cfg=keepalive
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
conf tcp "" >"$T/tcp.cfg"
conf http "option forwardfor" >"$T/keepalive.cfg"
conf http "option forwardfor
    option http-server-close" >"$T/close.cfg"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
printf '%-15s %-8s %9s %9s %11s %9s\n' LOAD PROXY "req/s" "p99 ms" "CPU us/req" "RSS KiB"
for load in tcp keepalive keepalive500 close; do
	label=$(case $load in tcp) echo tcp-keepalive ;; keepalive) echo http-keepalive ;;
		keepalive500) echo http-ka-500 ;; *) echo http-srv-close ;; esac)
	sr=0 sp=0 sc=0 hr=0 hp=0 hc=0
	srl='' spl='' scl='' hrl='' hpl='' hcl=''
	# Interleaved: softlbd, haproxy, softlbd, haproxy ... so a slow
	# moment of the machine falls on both; the means are compared.
	for r in $(seq "$ROUNDS"); do
		for name in softlbd haproxy; do
			set -- $(run "$name" "$load")
			printf '%-15s %-8s %9s %9s %11s %9s\n' "$label" "$name" "${1:-0}" "${2:-0}" "${3:-0}" "${4:-0}"
			if [ "$name" = softlbd ]; then
				sr=$(awk -v a="$sr" -v b="${1:-0}" 'BEGIN { print a + b }')
				sp=$(awk -v a="$sp" -v b="${2:-0}" 'BEGIN { print a + b }')
				sc=$(awk -v a="$sc" -v b="${3:-0}" 'BEGIN { print a + b }')
				srl="$srl ${1:--}" spl="$spl ${2:--}" scl="$scl ${3:--}"
			else
				hr=$(awk -v a="$hr" -v b="${1:-0}" 'BEGIN { print a + b }')
				hp=$(awk -v a="$hp" -v b="${2:-0}" 'BEGIN { print a + b }')
				hc=$(awk -v a="$hc" -v b="${3:-0}" 'BEGIN { print a + b }')
				hrl="$hrl ${1:--}" hpl="$hpl ${2:--}" hcl="$hcl ${3:--}"
			fi
		done
	done
	# The shared helpers (stats_lib.sh): medians over the rounds with
	# their range, ratios over the interleaved pairs.
	printf '%-15s softlbd / haproxy: req/s %s, p99 %s, CPU per request %s\n' "$label" \
		"$(st_ratio "$srl" "$hrl")" "$(st_ratio "$spl" "$hpl")" "$(st_ratio "$scl" "$hcl")"
	st_row "proxy $label, req/s" "$(st_summary $srl)" "haproxy $(st_summary $hrl)" "$(st_ratio "$srl" "$hrl")" \
		"-" "CPU us/req softlbd/haproxy $(st_ratio "$scl" "$hcl")"
done
echo "(ratios: median [min..max] n=pairs over $ROUNDS interleaved rounds of ${SECONDS_EACH}s each; 50 connections for the"
echo " keep-alive loads (wrk), 500 for http-ka-500, 20 for http-srv-close (ab, a connection per request)"
echo " CPU = utime + stime of the proxy process / requests served)"

# idle NAME: starts the proxy NAME on the keep-alive configuration, has
# IDLE clients each send one request and hold its connection, and prints
# "bytes_per_conn fds_per_conn held" from the proxy's VmRSS and open
# descriptors before and while they are held.
IDLE=${IDLE:-5000}
idle() {
	name=$1
	if [ "$name" = haproxy ]; then
		ip netns exec "$LAB-lb1" haproxy -db -f "$T/keepalive.cfg" >"$T/$name.log" 2>&1 &
	else
		ip netns exec "$LAB-lb1" "$top_builddir/softlbd" -n -l -S "$T/s.sock" \
			--pidfile "$T/s.pid" -f /dev/null -p "$T/keepalive.cfg" >"$T/$name.log" 2>&1 &
	fi
	pid=$!
	wait_port || { kill "$pid" 2>/dev/null; echo "0 0 0"; return 1; }
	# A few requests first, so both proxies have their buffers and
	# server connections warm before the baseline.
	on client wrk -t1 -c10 -d1s http://192.0.2.2/ >/dev/null 2>&1
	sleep 0.5
	r0=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
	f0=$(ls "/proc/$pid/fd" | wc -l)
	rm -f "$T/idle.out"
	ip netns exec "$LAB-client" python3 -c 'import resource, socket, sys, time
n = int(sys.argv[1]); end = time.time() + 40
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
held = []
req = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
for i in range(n):
    if time.time() > end:
        break
    try:
        c = socket.create_connection(("192.0.2.2", 80), timeout=5)
        c.sendall(req)
        got = b""
        while b"\r\n\r\n" not in got:
            d = c.recv(65536)
            if not d:
                break
            got += d
        held.append(c)
    except OSError:
        break
print(len(held), flush=True)
time.sleep(max(0, min(15, end + 15 - time.time())))' "$IDLE" >"$T/idle.out" 2>&1 &
	cpid=$!
	for _ in $(seq 600); do
		[ -s "$T/idle.out" ] && break
		sleep 0.1
	done
	sleep 1
	held=$(head -1 "$T/idle.out")
	r1=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
	f1=$(ls "/proc/$pid/fd" | wc -l)
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	kill "$pid"
	wait "$pid" 2>/dev/null
	awk -v a="$r0" -v b="$r1" -v f="$f0" -v g="$f1" -v n="${held:-0}" 'BEGIN {
		if (n + 0 == 0) { print "0 0 0"; exit }
		printf "%.0f %.2f %d\n", (b - a) * 1024 / n, (g - f) / n, n }'
}
echo
printf '%-15s %-8s %14s %12s %8s\n' IDLE PROXY "bytes/conn" "fds/conn" held
set -- $(idle softlbd)
sb=$1
printf '%-15s %-8s %14s %12s %8s\n' idle-clients softlbd "$1" "$2" "$3"
set -- $(idle haproxy)
hb=$1
printf '%-15s %-8s %14s %12s %8s\n' idle-clients haproxy "$1" "$2" "$3"
printf '%-15s softlbd / haproxy: RSS per idle client connection %s\n' idle-clients "$(ratio "$sb" "$hb")"
echo "(RSS = VmRSS growth of the proxy process while the clients are held, per held connection)"
