#!/bin/sh
# metrics_scrape.sh: what one Prometheus scrape of 10,000 servers costs
# softlbd, beside one SNMP walk of the same objects (issue 16). A
# benchmark, not a test: it prints numbers and never fails on one. Build
# without sanitizers for numbers worth quoting.
#
#   top_builddir=BUILD [top_srcdir=SRC] tests/bench/metrics_scrape.sh [ROUNDS]
#
# One softlbd in a network namespace of its own, serving both: /metrics
# (softlb_metrics in global_defs) and SOFTLB-MIB through a real snmpd as
# AgentX master (enable_snmp_proxy). The objects: 100 backends x 100
# servers, 10,000 servers with no health check and no traffic (this host
# has no IPVS, so the 10,000 are the proxy's servers; the scrape and the
# walk read the same ones: haproxy_server_* and SOFTLB-MIB's server
# table). ROUNDS rounds (default 10, or $ROUNDS), each one scrape (curl,
# the whole body) and one full walk of SOFTLB-MIB (snmpbulkwalk,
# max-repetitions 25, as an NMS walks), in alternating order, each
# started more than a second after anything else (softlbd rebuilds its
# SNMP snapshot at most once a second: every walk here pays for one
# build, as a poll every minute does). Printed per kind: wall time, and
# softlbd's CPU (the scheduler's runtime of every thread of the process:
# the control plane does the work, the proxy threads idle), snmpd's for
# the walk; then the ratio scrape / walk of softlbd's CPU over the
# rounds' pairs (target <= 1), and the scrape's wall time against 0.5 s.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
ROUNDS=${1:-${ROUNDS:-10}}
BACKENDS=${METRICS_BACKENDS:-100}
SERVERS=${METRICS_SERVERS:-100}
. "$here/stats_lib.sh"

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for p in snmpd snmpbulkwalk curl ip; do
	command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] ||
		{ echo "SKIP: $p missing (scripts/deps)"; exit 77; }
done
if [ -z "${METRICS_SCRAPE_INNER:-}" ]; then
	# Re-run inside a network namespace of our own: nothing leaves it.
	exec unshare --net env METRICS_SCRAPE_INNER=1 top_builddir="$top_builddir" \
		top_srcdir="$top_srcdir" METRICS_BACKENDS="$BACKENDS" \
		METRICS_SERVERS="$SERVERS" sh "$0" "$ROUNDS"
fi

T=$(mktemp -d /tmp/metrics-scrape.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ip link set lo up
export MIBS=
SNMP_PERSISTENT_DIR="$T/persist"
export SNMP_PERSISTENT_DIR

cat >"$T/snmpd.conf" <<EOC
agentaddress udp:127.0.0.1:161
master agentx
agentXSocket unix:$T/agentx.sock
agentXPerms 0600 0700
rocommunity public 127.0.0.1
EOC
$(command -v snmpd || echo /usr/sbin/snmpd) -f -C \
	-c "$T/snmpd.conf" -Lf "$T/snmpd.log" -p "$T/snmpd.pid" &
SNMPD=$!
PIDS="$PIDS $SNMPD"
for _ in $(seq 50); do
	snmpget -v2c -c public -t 1 -r 0 127.0.0.1 .1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 && break
	sleep 0.1
done

cat >"$T/keepalived.conf" <<EOC
global_defs {
    router_id bench
    enable_snmp_proxy
    snmp_socket unix:$T/agentx.sock
    softlb_metrics 127.0.0.1:19300
}
EOC
{
	echo "defaults"
	echo "    mode tcp"
	echo "    timeout connect 1s"
	echo "    timeout client 10s"
	echo "    timeout server 10s"
	b=0
	while [ "$b" -lt "$BACKENDS" ]; do
		echo "backend b$b"
		s=0
		while [ "$s" -lt "$SERVERS" ]; do
			echo "    server s$s 127.0.0.$((1 + s / 250)):$((20000 + b * 10 + s % 250))"
			s=$((s + 1))
		done
		b=$((b + 1))
	done
} >"$T/haproxy.cfg"
"$top_builddir/softlbd" -n -l -S "$T/sl.sock" --pidfile "$T/sl.pid" \
	-f "$T/keepalived.conf" -p "$T/haproxy.cfg" >"$T/softlbd.log" 2>&1 &
SL=$!
PIDS="$PIDS $SL"
for _ in $(seq 600); do
	"$top_builddir/softlb" -s "$T/sl.sock" -c 'show status' 2>/dev/null |
		grep -q 'registered with' && break
	kill -0 "$SL" 2>/dev/null || break
	sleep 0.1
done
if ! "$top_builddir/softlb" -s "$T/sl.sock" -c 'show status' 2>/dev/null | grep -q 'registered with'; then
	echo "softlbd did not start, or did not register with snmpd:"
	tail -20 "$T/softlbd.log"
	exit 1
fi

cpu() {	# the scheduler's runtime of every thread of a pid, ns
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ t += $1 } END { printf "%.0f\n", t }'
}
now_ns() {
	date +%s%N
}
ms() {	# ns -> ms, one decimal
	awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e6 }'
}

# One scrape; sets WALL (ms, request to last byte), TTFB (ms, to the
# first byte: softlbd rendering), CPU (softlbd, ms), N (samples).
scrape() {
	c0=$(cpu "$SL") t0=$(now_ns)
	set -- $(curl -s --max-time 30 -o "$T/scrape.txt" \
		-w '%{http_code} %{time_starttransfer} %{time_total}' http://127.0.0.1:19300/metrics)
	t1=$(now_ns) c1=$(cpu "$SL")
	if [ "${1:-}" != 200 ]; then
		WALL=- CPU=- TTFB=- N=0
		return
	fi
	# curl's own clock: from its connect to the last byte, without
	# curl's start-up (which the machine's load inflates).
	WALL=$(awk -v t="$3" 'BEGIN { printf "%.1f", t * 1000 }')
	TTFB=$(awk -v t="$2" 'BEGIN { printf "%.1f", t * 1000 }')
	CPU=$(ms $((c1 - c0)))
	N=$(grep -vc '^#' "$T/scrape.txt")
}
# One full walk of SOFTLB-MIB; sets WALL, CPU (softlbd), CPU_SD (snmpd), N (varbinds).
walk() {
	c0=$(cpu "$SL") d0=$(cpu "$SNMPD") t0=$(now_ns)
	snmpbulkwalk -v2c -c public -On -Cr25 -t 30 -r 0 127.0.0.1 .1.3.6.1.4.1.99999.1 \
		>"$T/walk.txt" 2>&1
	rc=$?
	t1=$(now_ns) c1=$(cpu "$SL") d1=$(cpu "$SNMPD")
	if [ "$rc" -ne 0 ]; then
		WALL=- CPU=- CPU_SD=- N=0
		return
	fi
	WALL=$(ms $((t1 - t0))) CPU=$(ms $((c1 - c0))) CPU_SD=$(ms $((d1 - d0)))
	N=$(grep -c ' = ' "$T/walk.txt")
}

S_WALL= S_CPU= S_TTFB= W_WALL= W_CPU= W_SD= S_N=0 W_N=0 SRV=0
i=0
while [ "$i" -lt "$ROUNDS" ]; do
	for k in $(st_order "$i"); do
		sleep 1.2
		if [ "$k" = A ]; then
			scrape
			S_WALL="$S_WALL $WALL" S_CPU="$S_CPU $CPU" S_TTFB="$S_TTFB $TTFB" S_N=$N
			[ "$N" -gt 0 ] && SRV=$(grep -c '^haproxy_server_weight{' "$T/scrape.txt")
		else
			walk
			W_WALL="$W_WALL $WALL" W_CPU="$W_CPU $CPU" W_SD="$W_SD $CPU_SD" W_N=$N
		fi
	done
	i=$((i + 1))
done

echo "metrics_scrape: $BACKENDS backends x $SERVERS servers ($SRV servers in the scrape), $ROUNDS rounds"
echo "  scrape: $S_N samples; SNMP walk of SOFTLB-MIB: $W_N varbinds"
echo "  scrape wall ms:            $(st_summary $S_WALL)   bound 500: $(st_bound "$(st_median $S_WALL)" 500)"
echo "  scrape first byte ms:      $(st_summary $S_TTFB)"
echo "  scrape softlbd CPU ms:     $(st_summary $S_CPU)"
echo "  walk wall ms:              $(st_summary $W_WALL)"
echo "  walk softlbd CPU ms:       $(st_summary $W_CPU)"
echo "  walk snmpd CPU ms:         $(st_summary $W_SD)"
echo "  softlbd CPU, scrape / walk: $(st_ratio "$S_CPU" "$W_CPU")   (target <= 1)"
echo "  wall, scrape / walk:        $(st_ratio "$S_WALL" "$W_WALL")"
st_row "Prometheus scrape vs SNMP walk, $SRV servers (softlbd CPU)" \
	"$(st_median $S_CPU) ms" "walk $(st_median $W_CPU) ms" \
	"$(st_ratio "$S_CPU" "$W_CPU")" "scrape < 500 ms" \
	"$(st_bound "$(st_median $S_WALL)" 500)"
