#!/bin/sh
# proxy_tls.sh: TLS through softlbd's proxy and through HAProxy 2.6, the
# same certificates, the same backend, one after the other with the same
# load. A benchmark, not a test: it prints figures and ratios and never
# fails on a timing. Build without sanitizers for numbers worth quoting
# (ASan slows softlbd several times). Run as root; everything runs in a
# network namespace of its own, on 127.0.0.1.
#
#   top_builddir=BUILD [top_srcdir=SRC] [SECONDS=10] [ROUNDS=3] tests/bench/proxy_tls.sh
#
# Loads (each bounded; stops by itself):
#   hs-ecdsa   TLS 1.3 full handshakes (no resumption: ab opens a new
#              connection with no session for each request), ECDSA P-256
#              certificate, ab -c 20, one request per connection
#   hs-rsa     the same with an RSA-2048 certificate
#   ka         keep-alive requests over TLS (wrk -t1 -c50, ECDSA)
# For each: the rate (handshakes or requests per second) and the proxy's
# CPU per handshake or request (utime + stime / count), and softlbd's
# ratio to haproxy's. Both proxies: one thread, mode http.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
SECONDS_EACH=${SECONDS:-10}
ROUNDS=${ROUNDS:-3}
for t in haproxy wrk ab openssl python3 unshare; do
	command -v "$t" >/dev/null || { echo "SKIP: $t missing (scripts/deps installs it)"; exit 77; }
done
if [ "${PROXY_TLS_INNER:-}" != 1 ]; then
	PROXY_TLS_INNER=1 exec unshare --net "$0" "$@"
fi
. "$here/stats_lib.sh"
ip link set lo up
sysctl -qw net.ipv4.tcp_tw_reuse=1 net.ipv4.ip_local_port_range="10000 65000"
T=$(mktemp -d /tmp/proxy-tls-bench.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
skip() { echo "SKIP: $*"; exit 77; }
. "$top_srcdir/tests/integration/tls_lib.sh"
make_certs "$T/c" || { echo "cannot make certificates"; exit 1; }
if nm "$top_builddir/softlbd" 2>/dev/null | grep -q __asan_init; then
	echo "note: this softlbd is built with ASan; its numbers are several times too low"
fi
python3 "$here/proxy_backend_fast.py" 127.0.0.1 8080 >/dev/null 2>&1 &
PIDS="$PIDS $!"

conf() {	# conf PORT_ECDSA PORT_RSA
	cat <<EOC
global
    nbthread 1
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend ec
    bind 127.0.0.1:$1 ssl crt $T/c/ec.pem
    default_backend be
frontend rsa
    bind 127.0.0.1:$2 ssl crt $T/c/rsa.pem
    default_backend be
backend be
    server s1 127.0.0.1:8080
EOC
}
conf 8443 8444 >"$T/softlb.cfg"
conf 9443 9444 >"$T/haproxy.cfg"
"$top_builddir/softlbd" -n -l -S "$T/s.sock" --pidfile "$T/s.pid" -f /dev/null \
	-p "$T/softlb.cfg" >"$T/softlbd.log" 2>&1 &
SPID=$!
PIDS="$PIDS $SPID"
haproxy -f "$T/haproxy.cfg" >"$T/haproxy.log" 2>&1 &
HPID=$!
PIDS="$PIDS $HPID"
# Until the backend and both proxies listen (a slow start must not count).
for port in 8080 8443 8444 9443 9444; do
	for _ in $(seq 100); do
		python3 -c 'import socket,sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)' "$port" 2>/dev/null && break
		sleep 0.1
	done
done

cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# one PID KIND PORT: "rate cpu_us_per_op" of one load, "- -" if it failed.
one() {
	pid=$1 kind=$2 port=$3
	t0=$(cpu_of "$pid")
	if [ "$kind" = ka ]; then
		out=$(timeout $((SECONDS_EACH + 20)) wrk -t1 -c50 -d"${SECONDS_EACH}s" \
			"https://127.0.0.1:$port/" 2>&1)
		rate=$(printf '%s\n' "$out" | awk '/^Requests\/sec/ { print $2 }')
		n=$(printf '%s\n' "$out" | awk '/requests in/ { print $1 }')
	else
		out=$(timeout $((SECONDS_EACH + 20)) ab -q -f TLS1.3 -c 20 -t "$SECONDS_EACH" -n 1000000 \
			"https://127.0.0.1:$port/" 2>&1)
		rate=$(printf '%s\n' "$out" | awk '/^Requests per second/ { print $4 }')
		n=$(printf '%s\n' "$out" | awk '/^Complete requests/ { print $3 }')
	fi
	t1=$(cpu_of "$pid")
	if [ -z "$rate" ] || [ -z "$n" ] || [ "$n" -eq 0 ]; then
		echo "- -"
		return
	fi
	awk -v r="$rate" -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v n="$n" \
		'BEGIN { printf "%s %.1f\n", r, (b - a) / hz * 1e6 / n }'
}

echo "proxy_tls: ${SECONDS_EACH} s per load, $ROUNDS rounds, softlbd and haproxy alternating"
echo " (rate: handshakes/s for hs-*, requests/s for ka; CPU: proxy µs per handshake / request)"
for load in hs-ecdsa hs-rsa ka; do
	sr= sc= hr= hc=
	case $load in
	hs-rsa) sp=8444 hp=9444 kind=hs ;;
	hs-ecdsa) sp=8443 hp=9443 kind=hs ;;
	*) sp=8443 hp=9443 kind=ka ;;
	esac
	for _ in $(seq "$ROUNDS"); do
		set -- $(one "$SPID" "$kind" "$sp")
		sr="$sr $1" sc="$sc $2"
		set -- $(one "$HPID" "$kind" "$hp")
		hr="$hr $1" hc="$hc $2"
	done
	# shellcheck disable=SC2086
	{
		printf '%-9s softlbd rate %s  cpu %s\n' "$load" "$(st_summary $sr)" "$(st_summary $sc)"
		printf '%-9s haproxy rate %s  cpu %s\n' "" "$(st_summary $hr)" "$(st_summary $hc)"
		printf '%-9s ratio softlbd/haproxy: rate %s  cpu %s\n' "" \
			"$(awk -v a="$(st_median $sr)" -v b="$(st_median $hr)" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }')" \
			"$(awk -v a="$(st_median $sc)" -v b="$(st_median $hc)" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }')"
	}
	# The row run-all collects; the bound is the issue's (CPU per
	# handshake <= 1.0 x haproxy's, per request <= 0.8 x).
	bound=1.0
	[ "$load" = ka ] && bound=0.8
	st_row "proxy_tls $load, CPU us/op" "$(st_summary $sc)" "haproxy $(st_summary $hc)" \
		"$(awk -v a="$(st_median $sc)" -v b="$(st_median $hc)" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }')" \
		"<= $bound x" "rate ratio $(awk -v a="$(st_median $sr)" -v b="$(st_median $hr)" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }')"
done
