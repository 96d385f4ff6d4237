#!/bin/sh
# snmp_poll.sh: the cost of polling softlbd's SNMP tables, beside a
# net-snmp agent serving a table of the same size natively. A benchmark,
# not a test: it prints numbers and never fails on one. Build without
# sanitizers for numbers worth quoting (ASan slows softlbd several times).
#
#   top_builddir=BUILD [top_srcdir=SRC] tests/bench/snmp_poll.sh [--quick] [--vm] [--per-varbind [WALKS [ROUNDS]]]
#
# Sizes (issue #13): 1,000 virtual servers x 4 real servers and 100
# proxies x 10 servers in one softlbd, SOFTLB-MIB and LVS-MIB served. A
# full walk (snmpbulkwalk, max-repetitions 25, as NMSes do) of both
# subtrees every second for 60 s (--quick: 10 s); printed: objects per
# walk, walk time (min / median / max) against the target (a full walk
# <= 2 s), and softlbd's and snmpd's CPU over the run (the scheduler's
# runtime of every thread) as a share of one core against the target
# (softlbd <= 5%), and the AgentX requests snmpd sent softlbd for one
# walk (show status counts them). Then the same objects fetched the way
# snmptable or an NMS graphing whole rows fetches them: GETBULK requests
# naming all of a table's columns at once (max-repetitions 25 too), the
# scalars in one GET, a fetch every second for as long; printed alike,
# beside the plain walk. This host has no IPVS: the LVS engine is unavailable
# and serves no virtual-server rows, so here the walk holds the proxy
# rows only. --vm: instead, in the VM on real IPVS (tests/vm/run-in-vm),
# the 1,000 x 4 LVS configuration (--quick: 100 x 4) loaded by softlbd
# and by keepalived, each in a namespace of its own, and KEEPALIVED-MIB's
# check subtree walked through each in alternating rounds, with paired
# ratios per varbind (tests/bench/snmp_poll_vm_guest.sh; $ROUNDS rounds,
# default 3; VM_TIMEOUT seconds at most, default 3600). The guest is
# emulated: its absolute numbers are inflated; compare the two daemons.
#
# --per-varbind: afterwards, CPU per varbind beside snmpd's own ifTable.
# Everything runs in one network namespace made here (only lo and veth
# pairs): snmpd as AgentX master on 127.0.0.1, softlbd as its subagent
# serving SOFTLB-MIB for proxies of generated haproxy.cfg files. Two
# sizes: about 10 and about 1,000 objects (one proxy with 0 or 62
# servers: 18 + 16 per server columns). The baseline is snmpd's own
# ifTable (IF-MIB, a C module inside snmpd) over veth pairs made so that
# it has about the same number of objects; its CPU is all snmpd's. For
# each size and each kind of walk (snmpbulkwalk, max-repetitions 25;
# snmpwalk, GETNEXT, one varbind per request), ROUNDS (default 5, or
# $ROUNDS) rounds, each of WALKS walks (default 50) of SOFTLB-MIB and
# WALKS of ifTable, alternating which goes first. A round is one sample:
# wall time per walk, and CPU per varbind walked (the scheduler's runtime
# of every thread, whole process: softlbd + snmpd for SOFTLB-MIB, snmpd
# for ifTable). Figures: median [min..max] n=rounds; ratios (SOFTLB-MIB
# over ifTable, per varbind) over the rounds' pairs.
#
# softlbd's snapshot is rebuilt at most once a second, not per request:
# "snapshot builds" (from show status) is how many builds a round caused.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
ARGS="$*"
QUICK=0
VM=0
PER_VARBIND=0
WALKS=50
ROUNDS_ENV=${ROUNDS:-}
ROUNDS=${ROUNDS:-5}
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--vm) VM=1 ;;
	--per-varbind)
		PER_VARBIND=1
		case ${2:-} in [0-9]*) WALKS=$2; shift ;; esac
		case ${2:-} in [0-9]*) ROUNDS=$2; shift ;; esac ;;
	*) echo "usage: snmp_poll.sh [--quick] [--vm] [--per-varbind [WALKS [ROUNDS]]]"; exit 2 ;;
	esac
	shift
done
DURATION=60
[ "$QUICK" = 1 ] && DURATION=10
. "$here/stats_lib.sh"
if [ "$VM" = 1 ]; then
	# The LVS size on real IPVS, softlbd beside keepalived's subagent.
	VS=1000
	[ "$QUICK" = 1 ] && VS=100
	# The host's load average before and after: the guest is emulated,
	# so what else the host ran shows in every figure.
	echo "host load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	SOFTLB_SNMP_VS=$VS SOFTLB_SNMP_ROUNDS=${ROUNDS_ENV:-3} top_builddir="$top_builddir" top_srcdir="$top_srcdir" \
		"$top_srcdir/tests/vm/run-in-vm" --timeout "${VM_TIMEOUT:-3600}" -- \
		sh "$top_srcdir/tests/bench/snmp_poll_vm_guest.sh"
	rc=$?
	echo "host load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
	exit "$rc"
fi

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for p in snmpd snmpbulkwalk snmpwalk ip python3; do
	command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] ||
		{ echo "SKIP: $p missing (scripts/deps)"; exit 77; }
done

if [ -z "${SNMP_POLL_INNER:-}" ]; then
	# Re-run inside a network namespace of our own.
	exec unshare --net env SNMP_POLL_INNER=1 top_builddir="$top_builddir" \
		top_srcdir="$top_srcdir" ROUNDS="$ROUNDS" sh "$0" $ARGS
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

# pdus SOCK: AgentX requests softlbd has received so far (show status).
pdus() {
	"$top_builddir/softlb" -s "$1" -c 'show status' 2>/dev/null |
		sed -n 's/.* \([0-9][0-9]*\) AgentX PDUs.*/\1/p'
}

# columns FILE ROOT DEPTH: from a plain walk's lines (FILE), what a
# row-fetching NMS names for the subtree ROOT: "t TABLE COLUMN" for each
# column (the OID cut DEPTH sub-identifiers below ROOT: its table and
# column, without the row index) and "s OID" for each scalar (.0).
columns() {
	awk -v root="$2" -v depth="$3" '
	index($1, root ".") == 1 {
		n = split(substr($1, length(root) + 2), p, ".")
		if (p[n] == "0" && n <= 3) { if (!seen[$1]++) print "s", $1; next }
		col = root
		for (i = 1; i <= depth; i++) col = col "." p[i]
		tab = root
		for (i = 1; i < depth; i++) tab = tab "." p[i]
		if (!seen[col]++) print "t", tab, col
	}' "$1"
}

# ---------------------------------------------------------------------
# The issue's sizes: 1,000 VS x 4 RS, 100 proxies x 10 servers, a full
# walk every second for $DURATION s.
{
	echo "global_defs {"
	echo "    enable_snmp_checker"
	echo "    enable_snmp_proxy"
	echo "    snmp_socket unix:$T/agentx.sock"
	echo "}"
	v=0
	while [ "$v" -lt 1000 ]; do
		echo "virtual_server 203.0.113.$((v / 250 + 1)) $((10000 + v % 250)) {"
		echo "    lb_algo wlc"
		echo "    lb_kind DR"
		echo "    protocol TCP"
		r=1
		while [ "$r" -le 4 ]; do
			echo "    real_server 198.51.100.$r $((10000 + v % 250)) {"
			echo "        weight $r"
			echo "    }"
			r=$((r + 1))
		done
		echo "}"
		v=$((v + 1))
	done
} >"$T/big.conf"
{
	echo "defaults"
	echo "    mode tcp"
	echo "    timeout connect 1s"
	echo "    timeout client 10s"
	echo "    timeout server 10s"
	p=0
	while [ "$p" -lt 100 ]; do
		echo "listen p$p"
		echo "    bind 127.0.0.1:$((20000 + p))"
		s=0
		while [ "$s" -lt 10 ]; do
			echo "    server s$s 127.0.0.1:$((30000 + p * 10 + s))"
			s=$((s + 1))
		done
		p=$((p + 1))
	done
} >"$T/big.cfg"
"$top_builddir/softlbd" -n -l -S "$T/big.sock" --pidfile "$T/big.pid" \
	-f "$T/big.conf" -p "$T/big.cfg" >"$T/big.log" 2>&1 &
SL=$!
PIDS="$PIDS $SL"
for _ in $(seq 300); do
	"$top_builddir/softlb" -s "$T/big.sock" -c 'show status' 2>/dev/null |
		grep -q 'registered with' && break
	sleep 0.1
done
lvs_state=$("$top_builddir/softlb" -s "$T/big.sock" -c 'show status' 2>/dev/null |
	awk '$1 == "lvs" { $1 = ""; print }')
bulk_all() {
	snmpbulkwalk -v2c -c public -On -Cr25 -t 10 -r 0 127.0.0.1 .1.3.6.1.4.1.99999.1
	snmpbulkwalk -v2c -c public -On -Cr25 -t 10 -r 0 127.0.0.1 .1.3.6.1.4.1.8225.4711
}
bulk_all >"$T/plain"
OBJ=$(grep -c ' = ' "$T/plain")
p0=$(pdus "$T/big.sock")
bulk_all >/dev/null
PDUS_PLAIN=$(($(pdus "$T/big.sock") - p0))
VSROWS=$(bulk_all | grep -c '^.1.3.6.1.4.1.99999.1.1.3.1.6\.')
RSROWS=$(bulk_all | grep -c '^.1.3.6.1.4.1.99999.1.1.4.1.5\.')
SVROWS=$(bulk_all | grep -c '^.1.3.6.1.4.1.99999.1.1.2.1.5\.')
c_sl0=$(cpu "$SL")
c_sd0=$(cpu "$SNMPD")
t_start=$(now_ns)
: >"$T/walk_ms"
i=0
while [ "$i" -lt "$DURATION" ]; do
	t0=$(now_ns)
	bulk_all >/dev/null
	t1=$(now_ns)
	echo $(((t1 - t0) / 1000000)) >>"$T/walk_ms"
	i=$((i + 1))
	# the next walk one second after this one started
	left=$((1000 - (t1 - t0) / 1000000))
	[ "$left" -gt 0 ] && sleep "$(awk -v m="$left" 'BEGIN { printf "%.3f", m / 1000 }')"
done
t_end=$(now_ns)
c_sl=$(($(cpu "$SL") - c_sl0))
c_sd=$(($(cpu "$SNMPD") - c_sd0))
secs=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
echo "== issue #13 sizes: 1,000 virtual servers x 4 real servers, 100 proxies x 10 servers"
echo "   lvs engine:${lvs_state:- ?}"
echo "   objects per full walk (SOFTLB-MIB + LVS-MIB): $OBJ"
echo "   rows: $SVROWS proxy servers, $VSROWS virtual services, $RSROWS real servers"
[ "$VSROWS" -eq 0 ] &&
	echo "   (no virtual-server rows: this kernel has no IPVS, so the LVS engine serves none)"
sort -n "$T/walk_ms" | awk -v n="$DURATION" '{ a[NR] = $1 } END {
	printf "   walks: %d in %s s, walk time min %d ms, median %d ms, max %d ms   (target: <= 2000 ms): %s\n",
		NR, "'"$secs"'", a[1], a[int((NR + 1) / 2)], a[NR], a[NR] <= 2000 ? "met" : "MISSED" }'
awk -v t="$c_sl" -v d="$c_sd" -v s="$secs" -v n="$DURATION" 'BEGIN {
	sl = t / 1e9 / s * 100; sd = d / 1e9 / s * 100
	printf "   softlbd CPU %.1f%% of a core (target: <= 5%%): %s; %.0f ms per walk; snmpd %.1f%%\n", sl,
		sl <= 5 ? "met" : "MISSED", t / 1e6 / n, sd }'
echo "   AgentX requests from snmpd per walk: $PDUS_PLAIN (one per object: snmpd forwards a GETBULK of one column as one GetNext per varbind)"

# The same objects fetched by rows, a fetch every second for $DURATION s.
{
	columns "$T/plain" .1.3.6.1.4.1.99999.1 4
	columns "$T/plain" .1.3.6.1.4.1.8225.4711 3
} >"$T/columns"
NCOL=$(grep -c '^t' "$T/columns")
NTAB=$(awk '$1 == "t" { print $2 }' "$T/columns" | uniq | wc -l)
# tests/bench/snmp_rows.py: the fetcher, in one process as an NMS is.
ROWS="python3 $here/snmp_rows.py 127.0.0.1:161 $T/columns"
p0=$(pdus "$T/big.sock")
ROWOBJ=$($ROWS 1 | awk '{ print $1 }')
PDUS_ROWS=$(($(pdus "$T/big.sock") - p0))
c_sl0=$(cpu "$SL")
c_sd0=$(cpu "$SNMPD")
t_start=$(now_ns)
$ROWS "$DURATION" 1 | awk '{ print $2 }' >"$T/rows_ms"
t_end=$(now_ns)
c_sl=$(($(cpu "$SL") - c_sl0))
c_sd=$(($(cpu "$SNMPD") - c_sd0))
secs=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
echo "== the same objects fetched by rows (snmptable's way: GETBULK naming all of a table's columns, max-repetitions 25)"
echo "   objects per fetch: $ROWOBJ ($NTAB tables, $NCOL columns, and the scalars)"
echo "   AgentX requests from snmpd per fetch: $PDUS_ROWS"
sort -n "$T/rows_ms" | awk '{ a[NR] = $1 } END {
	printf "   fetches: %d in %s s, fetch time min %d ms, median %d ms, max %d ms   (target: <= 2000 ms): %s\n",
		NR, "'"$secs"'", a[1], a[int((NR + 1) / 2)], a[NR], a[NR] <= 2000 ? "met" : "MISSED" }'
awk -v t="$c_sl" -v d="$c_sd" -v s="$secs" -v n="$DURATION" 'BEGIN {
	sl = t / 1e9 / s * 100; sd = d / 1e9 / s * 100
	printf "   softlbd CPU %.1f%% of a core (target: <= 5%%): %s; %.0f ms per fetch; snmpd %.1f%%\n", sl,
		sl <= 5 ? "met" : "MISSED", t / 1e6 / n, sd }'
echo "   beside keepalived's subagent: see --vm (it needs IPVS for its tables)"
kill -TERM "$SL"
wait "$SL" 2>/dev/null
SL=
[ "$PER_VARBIND" = 1 ] || exit 0
echo

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
