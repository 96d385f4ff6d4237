#!/bin/sh
# proxy_bulk.sh: bulk MB/s through mode tcp: softlbd copying, softlbd with
# option splice-auto, HAProxy 2.6 with option splice-auto, and direct (no
# proxy), on the same backend, in one netns lab, interleaved. A benchmark,
# not a test: it prints rates, CPU and ratios, and never fails on a
# timing. Build without sanitizers for numbers worth quoting. Run as root.
#
#   top_builddir=BUILD [top_srcdir=SRC] [MBYTES=400] [STREAMS=4] [ROUNDS=2] \
#       tests/bench/proxy_bulk.sh
#
# Each run moves STREAMS x MBYTES down (server to client) then up (client
# to server, ending with a half-close), bounded by the byte count. For
# each: MB/s, and the proxy's CPU time (utime + stime) per GB moved.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
MB=${MBYTES:-400}
STREAMS=${STREAMS:-4}
ROUNDS=${ROUNDS:-2}
for t in haproxy python3 ip; do
	command -v "$t" >/dev/null || { echo "SKIP: $t missing (scripts/deps installs it)"; exit 77; }
done
LAB="pk$$"
T=$(mktemp -d /tmp/proxy-bulk.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	"$top_srcdir/scripts/lab" down "$LAB" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
"$top_srcdir/scripts/lab" up "$LAB" client lb1 rs1 || exit 1
on() { h=$1; shift; ip netns exec "$LAB-$h" "$@"; }
ip netns exec "$LAB-rs1" python3 "$here/bulk_fast.py" serve 192.0.2.21 9000 >/dev/null 2>&1 &
PIDS="$PIDS $!"
if nm "$top_builddir/softlbd" 2>/dev/null | grep -q __asan_init; then
	echo "note: this softlbd is built with ASan; its numbers are too low"
fi

conf() {	# conf OPTION
	cat <<EOC
global
    maxconn 4000
    nbthread 1
defaults
    mode tcp
    timeout connect 2s
    timeout client 60s
    timeout server 60s
listen bench
    bind 192.0.2.2:80
    $1
    server s1 192.0.2.21:9000
EOC
}
conf "" >"$T/copy.cfg"
conf "option splice-auto" >"$T/splice.cfg"

wait_port() {
	for _ in $(seq 50); do
		on client python3 -c 'import socket; socket.create_connection(("192.0.2.2", 80), timeout=1)' \
			2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# run WHO: prints "MB/s CPU_s_per_GB" for down and up together.
run() {
	who=$1 pid=
	case $who in
	haproxy-splice)
		ip netns exec "$LAB-lb1" haproxy -db -f "$T/splice.cfg" >"$T/h.log" 2>&1 &
		pid=$! ;;
	softlbd-copy|softlbd-splice)
		ip netns exec "$LAB-lb1" "$top_builddir/softlbd" -n -l -S "$T/s.sock" \
			--pidfile "$T/s.pid" -f /dev/null -p "$T/${who#softlbd-}.cfg" >"$T/s.log" 2>&1 &
		pid=$! ;;
	esac
	host=192.0.2.2 port=80
	if [ -n "$pid" ]; then
		wait_port || { echo "$who did not start" >&2; kill "$pid"; return 1; }
		t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	else
		host=192.0.2.21 port=9000
	fi
	# Bytes and seconds as the client measured them (from its first
	# connect to its last byte), down then up.
	set -- $(on client python3 "$here/bulk_fast.py" run $host $port down "$MB" "$STREAMS" |
		awk '/^bytes/ { b = $2 } /^seconds/ { s = $2 } END { print b + 0, s + 0 }')
	d=$1 ds=$2
	set -- $(on client python3 "$here/bulk_fast.py" run $host $port up "$MB" "$STREAMS" |
		awk '/^bytes/ { b = $2 } /^seconds/ { s = $2 } END { print b + 0, s + 0 }')
	u=$1 us=$2
	cpu=0
	if [ -n "$pid" ]; then
		t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
		cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN { print (b - a) / hz }')
		kill "$pid"
		wait "$pid" 2>/dev/null
	fi
	awk -v b="$((d + u))" -v t="$ds" -v t2="$us" -v c="$cpu" \
		'BEGIN { gb = b / 1e9; s = t + t2; printf "%.0f %.3f\n", s ? b / 1e6 / s : 0, gb ? c / gb : 0 }'
}

printf '%-16s %10s %12s\n' WHO "MB/s" "CPU s/GB"
r_direct=0 c_direct=0 r_softlbd_copy=0 c_softlbd_copy=0
r_softlbd_splice=0 c_softlbd_splice=0 r_haproxy_splice=0 c_haproxy_splice=0
for r in $(seq "$ROUNDS"); do
	for who in direct softlbd-copy softlbd-splice haproxy-splice; do
		set -- $(run "$who")
		printf '%-16s %10s %12s\n' "$who" "${1:-0}" "${2:-0}"
		v=$(echo "$who" | tr '-' '_')
		eval "r_$v=\$(awk -v a=\"\$r_$v\" -v b=\"${1:-0}\" 'BEGIN { print a + b }')"
		eval "c_$v=\$(awk -v a=\"\$c_$v\" -v b=\"${2:-0}\" 'BEGIN { print a + b }')"
	done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
echo "softlbd splice / haproxy splice: MB/s $(ratio "$r_softlbd_splice" "$r_haproxy_splice"), CPU per GB $(ratio "$c_softlbd_splice" "$c_haproxy_splice")"
echo "softlbd splice / softlbd copy:   MB/s $(ratio "$r_softlbd_splice" "$r_softlbd_copy"), CPU per GB $(ratio "$c_softlbd_splice" "$c_softlbd_copy")"
echo "softlbd splice / direct:         MB/s $(ratio "$r_softlbd_splice" "$r_direct")"
echo "(means over $ROUNDS interleaved rounds; each run $STREAMS streams x $MB MB down, then up with a half-close;"
echo " CPU = utime + stime of the proxy process per GB moved)"
