#!/bin/sh
# snmp_poll.sh: the cost of polling softlbd's SNMP tables, beside a
# net-snmp agent serving a table of the same size natively. A benchmark,
# not a test: it prints numbers and never fails on one. Build without
# sanitizers for numbers worth quoting (ASan slows softlbd several times).
#
#   top_builddir=BUILD [top_srcdir=SRC] tests/bench/snmp_poll.sh [WALKS]
#
# Everything runs in one network namespace made here (only lo and veth
# pairs): snmpd as AgentX master on 127.0.0.1, softlbd as its
# subagent serving SOFTLB-MIB for proxies of generated haproxy.cfg files.
# Two sizes: about 10 and about 1,000 objects (one proxy with 0 or 62
# servers: 18 + 16 per server columns). Each size is walked WALKS times
# (default 50) with snmpbulkwalk (max-repetitions 25, as NMSes do) and
# with snmpwalk (GETNEXT, one varbind per request).
#
# Reported per walk: wall time, and CPU (utime+stime from /proc/PID/stat)
# of softlbd and of snmpd divided by the varbinds walked. The baseline is
# snmpd's own ifTable (IF-MIB, a C module inside snmpd) over veth
# interfaces (veth pairs) made so that it has about the same number of
# objects; its
# CPU is all snmpd's. Ratios: softlbd+snmpd over the baseline's snmpd.
#
# softlbd's snapshot is rebuilt at most once a second, not per request:
# the "builds" column (from show status) shows how many builds the
# walks caused.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
WALKS=${1:-50}

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for p in snmpd snmpbulkwalk snmpwalk ip python3; do
	command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] ||
		{ echo "SKIP: $p missing (scripts/deps)"; exit 77; }
done

if [ -z "${SNMP_POLL_INNER:-}" ]; then
	# Re-run inside a network namespace of our own.
	exec unshare --net env SNMP_POLL_INNER=1 top_builddir="$top_builddir" \
		top_srcdir="$top_srcdir" sh "$0" "$@"
fi

T=$(mktemp -d /tmp/snmp-poll.XXXXXX)
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

cpu() {	# utime+stime of a pid, clock ticks
	awk '{print $14 + $15}' "/proc/$1/stat"
}
now_ns() {
	date +%s%N
}
TCK=$(getconf CLK_TCK)

# walk KIND OID: WALKS walks; sets WALL_MS (per walk), VB (varbinds per
# walk), CPU_SL / CPU_SD (ticks in total) for softlbd ($SL) and snmpd.
walk() {
	kind=$1 oid=$2
	case $kind in
	bulk) cmd="snmpbulkwalk -v2c -c public -On -Cr25 127.0.0.1 $oid" ;;
	next) cmd="snmpwalk -v2c -c public -On 127.0.0.1 $oid" ;;
	esac
	VB=$($cmd | grep -c ' = ')
	c0=$(cpu "$SNMPD")
	s0=0
	[ -n "${SL:-}" ] && s0=$(cpu "$SL")
	t0=$(now_ns)
	i=0
	while [ "$i" -lt "$WALKS" ]; do
		$cmd >/dev/null
		i=$((i + 1))
	done
	t1=$(now_ns)
	CPU_SD=$(($(cpu "$SNMPD") - c0))
	CPU_SL=0
	[ -n "${SL:-}" ] && CPU_SL=$(($(cpu "$SL") - s0))
	WALL_MS=$(awk -v a="$t0" -v b="$t1" -v n="$WALKS" 'BEGIN { printf "%.1f", (b - a) / 1e6 / n }')
}

# us_per_vb TICKS: microseconds of CPU per walked varbind.
us_per_vb() {
	awk -v t="$1" -v hz="$TCK" -v n="$WALKS" -v vb="$VB" \
		'BEGIN { if (vb == 0) print "-"; else printf "%.2f", t / hz * 1e6 / (n * vb) }'
}

printf '%-22s %-5s %8s %9s %10s %12s %12s %7s\n' "table" "walk" "objects" "ms/walk" \
	"varbind/s" "softlbd us/vb" "snmpd us/vb" "builds"

for servers in 0 62; do
	{
		echo "defaults"
		echo "    mode tcp"
		echo "    timeout connect 1s"
		echo "    timeout client 10s"
		echo "    timeout server 10s"
		echo "listen web"
		echo "    bind 127.0.0.1:8080"
		s=0
		while [ "$s" -lt "$servers" ]; do
			echo "    server srv$s 127.0.0.1:$((9000 + s))"
			s=$((s + 1))
		done
	} >"$T/haproxy.cfg"
	cat >"$T/keepalived.conf" <<EOC
global_defs {
    enable_snmp_proxy
    snmp_socket unix:$T/agentx.sock
}
EOC
	"$top_builddir/softlbd" -n -l -S "$T/sl.sock" --pidfile "$T/sl.pid" \
		-f "$T/keepalived.conf" -p "$T/haproxy.cfg" >"$T/softlbd.log" 2>&1 &
	SL=$!
	PIDS="$PIDS $SL"
	for _ in $(seq 100); do
		"$top_builddir/softlb" -s "$T/sl.sock" -c 'show status' 2>/dev/null |
			grep -q 'registered with' && break
		sleep 0.1
	done
	for kind in bulk next; do
		b0=$("$top_builddir/softlb" -s "$T/sl.sock" -c 'show status' |
			sed -n 's/.* \([0-9]*\) builds.*/\1/p')
		walk "$kind" .1.3.6.1.4.1.99999.1
		b1=$("$top_builddir/softlb" -s "$T/sl.sock" -c 'show status' |
			sed -n 's/.* \([0-9]*\) builds.*/\1/p')
		rate=$(awk -v vb="$VB" -v ms="$WALL_MS" 'BEGIN { printf "%.0f", vb / (ms / 1000) }')
		printf '%-22s %-5s %8s %9s %10s %12s %12s %7s\n' "SOFTLB-MIB softlbd" "$kind" "$VB" \
			"$WALL_MS" "$rate" "$(us_per_vb "$CPU_SL")" "$(us_per_vb "$CPU_SD")" "$((b1 - b0))"
		eval "SL_${servers}_${kind}_CPU=$((CPU_SL + CPU_SD)) SL_${servers}_${kind}_VB=$VB SL_${servers}_${kind}_MS=$WALL_MS"
	done
	kill -TERM "$SL"
	wait "$SL" 2>/dev/null
	SL=
done

# Baseline: snmpd's ifTable (22 columns per interface) with veth pairs
# made here: none (just lo: 22 objects) and 22 pairs (45 interfaces,
# about 1,000 objects).
for extra in 0 22; do
	i=0
	while [ "$i" -lt "$extra" ]; do
		ip link add "va$i" type veth peer name "vb$i"
		i=$((i + 1))
	done
	# snmpd's interface cache: until the walk sees them all.
	for _ in $(seq 30); do
		n=$(snmpwalk -v2c -c public -On 127.0.0.1 .1.3.6.1.2.1.2.2.1.1 | grep -c ' = ')
		[ "$n" -ge $((1 + 2 * extra)) ] && break
		sleep 1
	done
	for kind in bulk next; do
		walk "$kind" .1.3.6.1.2.1.2.2
		rate=$(awk -v vb="$VB" -v ms="$WALL_MS" 'BEGIN { printf "%.0f", vb / (ms / 1000) }')
		printf '%-22s %-5s %8s %9s %10s %12s %12s %7s\n' "IF-MIB ifTable snmpd" "$kind" "$VB" \
			"$WALL_MS" "$rate" "-" "$(us_per_vb "$CPU_SD")" "-"
		size=small
		[ "$extra" -gt 0 ] && size=large
		eval "IF_${size}_${kind}_CPU=$CPU_SD IF_${size}_${kind}_VB=$VB IF_${size}_${kind}_MS=$WALL_MS"
	done
done

echo
echo "ratios (softlbd+snmpd for SOFTLB-MIB over snmpd alone for ifTable; per varbind):"
for size in small large; do
	servers=0
	[ "$size" = large ] && servers=62
	for kind in bulk next; do
		eval "a_cpu=\$SL_${servers}_${kind}_CPU a_vb=\$SL_${servers}_${kind}_VB a_ms=\$SL_${servers}_${kind}_MS"
		eval "b_cpu=\$IF_${size}_${kind}_CPU b_vb=\$IF_${size}_${kind}_VB b_ms=\$IF_${size}_${kind}_MS"
		awk -v s="$size" -v k="$kind" -v ac="$a_cpu" -v av="$a_vb" -v am="$a_ms" \
			-v bc="$b_cpu" -v bv="$b_vb" -v bm="$b_ms" 'BEGIN {
			cpu = (bc > 0 && bv > 0 && av > 0) ? (ac / av) / (bc / bv) : 0
			wall = (bm > 0 && bv > 0 && av > 0) ? (am / av) / (bm / bv) : 0
			printf "  %-5s %-4s  CPU per varbind x%s   wall per varbind x%.2f\n", s, k,
				cpu ? sprintf("%.2f", cpu) : "n/a (below the clock tick)", wall
		}'
	done
done
