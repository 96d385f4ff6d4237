#!/bin/sh
# snmp_poll.sh: the cost of polling softlbd's SNMP tables, beside a
# net-snmp agent serving a table of the same size natively. A benchmark,
# not a test: it prints numbers and never fails on one. Build without
# sanitizers for numbers worth quoting (ASan slows softlbd several times).
#
#   top_builddir=BUILD [top_srcdir=SRC] tests/bench/snmp_poll.sh [WALKS [ROUNDS]]
#
# Everything runs in one network namespace made here (only lo and veth
# pairs): snmpd as AgentX master on 127.0.0.1, softlbd as its
# subagent serving SOFTLB-MIB for proxies of generated haproxy.cfg files.
# Two sizes: about 10 and about 1,000 objects (one proxy with 0 or 62
# servers: 18 + 16 per server columns). The baseline is snmpd's own
# ifTable (IF-MIB, a C module inside snmpd) over veth pairs made so that
# it has about the same number of objects; its CPU is all snmpd's.
#
# For each size and each kind of walk (snmpbulkwalk, max-repetitions 25
# as NMSes do; snmpwalk, GETNEXT, one varbind per request), ROUNDS
# (default 5, or $ROUNDS) rounds, each of WALKS walks (default 50) of
# SOFTLB-MIB and WALKS of ifTable, alternating which goes first. A round
# is one sample: wall time per walk, and CPU per varbind walked (the
# scheduler's runtime of every thread, whole process: softlbd + snmpd
# for SOFTLB-MIB, snmpd for ifTable). Figures: median [min..max] n=rounds;
# ratios (SOFTLB-MIB over ifTable, per varbind) over the rounds' pairs.
#
# softlbd's snapshot is rebuilt at most once a second, not per request:
# "snapshot builds" (from show status) is how many builds a round caused.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
WALKS=${1:-50}
ROUNDS=${2:-${ROUNDS:-5}}
. "$here/stats_lib.sh"

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for p in snmpd snmpbulkwalk snmpwalk ip python3; do
	command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] ||
		{ echo "SKIP: $p missing (scripts/deps)"; exit 77; }
done

if [ -z "${SNMP_POLL_INNER:-}" ]; then
	# Re-run inside a network namespace of our own.
	exec unshare --net env SNMP_POLL_INNER=1 top_builddir="$top_builddir" \
		top_srcdir="$top_srcdir" ROUNDS="$ROUNDS" sh "$0" "$@"
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

cpu() {	# the scheduler's runtime of every thread of a pid, ns
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ t += $1 } END { printf "%.0f\n", t }'
}
now_ns() {
	date +%s%N
}

# walk KIND OID: WALKS walks; sets WALL_MS (per walk), VB (varbinds per
# walk), CPU_SL / CPU_SD (ns in total) for softlbd ($SL) and snmpd.
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

# us_per_vb NS: microseconds of CPU per walked varbind.
us_per_vb() {
	awk -v t="$1" -v n="$WALKS" -v vb="$VB" \
		'BEGIN { if (vb == 0) print "-"; else printf "%.3f", t / 1e3 / (n * vb) }'
}

# softlbd_up SERVERS: softlbd serving one proxy of SERVERS servers.
softlbd_up() {
	{
		echo "defaults"
		echo "    mode tcp"
		echo "    timeout connect 1s"
		echo "    timeout client 10s"
		echo "    timeout server 10s"
		echo "listen web"
		echo "    bind 127.0.0.1:8080"
		s=0
		while [ "$s" -lt "$1" ]; do
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
}
builds() {
	"$top_builddir/softlb" -s "$T/sl.sock" -c 'show status' | sed -n 's/.* \([0-9]*\) builds.*/\1/p'
}
# veths N: N veth pairs (2N interfaces more for ifTable), and until
# snmpd's interface cache shows them.
veths() {
	i=0
	while [ "$i" -lt "$1" ]; do
		ip link add "va$i" type veth peer name "vb$i"
		i=$((i + 1))
	done
	for _ in $(seq 30); do
		n=$(snmpwalk -v2c -c public -On 127.0.0.1 .1.3.6.1.2.1.2.2.1.1 | grep -c ' = ')
		[ "$n" -ge $((1 + 2 * $1)) ] && break
		sleep 1
	done
}

echo "figures: median [min..max] n=rounds; each round $WALKS walks of each, softlbd and the baseline alternating"
echo "CPU: the scheduler's runtime of every thread (whole process), per varbind walked"
# Sizes: about 10 objects (softlbd: one proxy, no server; ifTable: lo
# alone) and about 1,000 (62 servers; 22 veth pairs, 45 interfaces).
for size in small large; do
	case $size in small) servers=0 pairs=0 ;; *) servers=62 pairs=22 ;; esac
	softlbd_up "$servers"
	veths "$pairs"
	for kind in bulk next; do
		sl_cpu='' sl_ms='' if_cpu='' if_ms='' nb=''
		r=0
		while [ "$r" -lt "$ROUNDS" ]; do
			for who in $(st_order "$r"); do
				case $who in
				A)
					b0=$(builds)
					walk "$kind" .1.3.6.1.4.1.99999.1
					b1=$(builds)
					nb="$nb $((b1 - b0))" slvb=$VB
					sl_cpu="$sl_cpu $(us_per_vb $((CPU_SL + CPU_SD)))" sl_ms="$sl_ms $WALL_MS" ;;
				B)
					sl_save=$SL SL=
					walk "$kind" .1.3.6.1.2.1.2.2
					SL=$sl_save ifvb=$VB
					if_cpu="$if_cpu $(us_per_vb "$CPU_SD")" if_ms="$if_ms $WALL_MS" ;;
				esac
			done
			r=$((r + 1))
		done
		# Wall per varbind, each round: the walks' ms over the objects.
		slw=$(for x in $sl_ms; do awk -v m="$x" -v v="$slvb" 'BEGIN { printf "%.4f\n", m / v }'; done | tr '\n' ' ')
		ifw=$(for x in $if_ms; do awk -v m="$x" -v v="$ifvb" 'BEGIN { printf "%.4f\n", m / v }'; done | tr '\n' ' ')
		echo "== $size, $kind: SOFTLB-MIB (softlbd, $slvb objects) against IF-MIB ifTable (snmpd alone, $ifvb objects)"
		echo "   ms per walk:              softlbd $(st_summary $sl_ms); snmpd $(st_summary $if_ms)"
		echo "   us CPU per varbind:       softlbd+snmpd $(st_summary $sl_cpu); snmpd $(st_summary $if_cpu)"
		echo "   snapshot builds per round: $(st_summary $nb)"
		echo "   ratio, CPU per varbind:   $(st_ratio "$sl_cpu" "$if_cpu")"
		echo "   ratio, wall per varbind:  $(st_ratio "$slw" "$ifw")"
		st_row "SNMP $kind walk, $size ($slvb objects), us CPU per varbind" "$(st_summary $sl_cpu)" \
			"snmpd ifTable $(st_summary $if_cpu)" "$(st_ratio "$sl_cpu" "$if_cpu")" "-" \
			"wall per varbind $(st_ratio "$slw" "$ifw")"
	done
	kill -TERM "$SL"
	wait "$SL" 2>/dev/null
	SL=
done
