#!/bin/sh
# snmp_poll_vm_guest.sh: runs INSIDE the VM only (snmp_poll.sh --vm boots
# it). softlbd's subagent beside keepalived's own, on real IPVS, walking
# the same MIB subtree: KEEPALIVED-MIB's check part (.3: virtualServerTable,
# realServerTable), which both serve for the same configuration of
# $SOFTLB_SNMP_VS virtual servers x 4 real servers (default 1,000, the
# issue's size; --quick in snmp_poll.sh: 100).
#
# Set up alike: each daemon in a network namespace of its own (IPVS
# tables are per namespace, so both hold the whole configuration at
# once), each with its own snmpd (same snmpd.conf) as AgentX master on a
# unix socket; the same snmpbulkwalk (max-repetitions 25, as NMSes do).
# Rounds alternate which daemon walks first (stats_lib.sh st_order); a
# round is one full walk of each. Per round: wall time and CPU per varbind
# walked (the scheduler's runtime of every thread, whole process:
# softlbd; keepalived's parent and its checker child, which serves .3),
# and the daemon's snmpd apart. Printed: median [min..max] n=rounds, and
# the paired ratios softlbd / keepalived per varbind (keepalived serves
# more columns per row than softlbd does, so walks differ in length:
# per varbind is the fair unit). The guest is emulated (TCG, one vCPU):
# absolute figures are several times a real host's; the ratios are the
# point.
set -u
[ "${SOFTLB_VM:-}" = 1 ] || { echo "ERROR: run me inside the VM"; exit 99; }
B=${top_builddir:?}
S=${top_srcdir:?}
. "$S/tests/bench/stats_lib.sh"
NVS=${SOFTLB_SNMP_VS:-1000}
# (run-in-vm passes SOFTLB_* variables into the guest, not ROUNDS)
ROUNDS=${SOFTLB_SNMP_ROUNDS:-${ROUNDS:-3}}
# SOFTLB_SNMP_FIRST=ka: keepalived walks first in the first round (the
# rounds still alternate); by default softlbd does.
FIRST=0
[ "${SOFTLB_SNMP_FIRST:-}" = ka ] && FIRST=1
START=$(date +%s)
T=$(mktemp -d /tmp/snmp-poll-vm.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	for n in sl ka; do ip netns exec "sp$n" ipvsadm -C 2>/dev/null; ip netns del "sp$n" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
modprobe ip_vs || { echo "ip_vs cannot load"; exit 1; }
export MIBS=
KADC=.1.3.6.1.4.1.9586.100.5.3

{
	echo "global_defs {"
	echo "    enable_snmp_checker"
	echo "    snmp_socket unix:AGENTX"
	echo "}"
	v=0
	while [ "$v" -lt "$NVS" ]; do
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
} >"$T/lvs.conf.in"

# up NAME: namespace spNAME with lo, its snmpd; sets SNMPD_NAME
for n in sl ka; do
	ip netns add "sp$n" && ip netns exec "sp$n" ip link set lo up || { echo "netns"; exit 1; }
	mkdir -p "$T/$n/persist"
	cat >"$T/$n/snmpd.conf" <<EOC
agentaddress udp:127.0.0.1:16161
master agentx
agentXSocket unix:$T/$n/agentx.sock
agentXPerms 0600 0700
agentXTimeout 30
rocommunity public 127.0.0.1
EOC
	SNMP_PERSISTENT_DIR="$T/$n/persist" ip netns exec "sp$n" /usr/sbin/snmpd -f -C \
		-c "$T/$n/snmpd.conf" -Lf "$T/$n/snmpd.log" &
	eval "SNMPD_$n=$!"
	PIDS="$PIDS $!"
	sed "s|AGENTX|$T/$n/agentx.sock|" "$T/lvs.conf.in" >"$T/$n/lvs.conf"
done
ip netns exec spsl "$B/softlbd" -n -l -S "$T/sl.sock" --pidfile "$T/sl.pid" \
	-f "$T/sl/lvs.conf" -p /dev/null >"$T/sl.log" 2>&1 &
SL=$!
PIDS="$PIDS $SL"
ip netns exec spka /usr/sbin/keepalived -n -l -D -C -f "$T/ka/lvs.conf" -p "$T/ka.pid" \
	-c "$T/ka-check.pid" >"$T/ka.log" 2>&1 &
KA=$!
PIDS="$PIDS $KA"
# ready: every service in the namespace's IPVS and the subtree answering
ready() {
	[ "$(ip netns exec "sp$1" ipvsadm -Ln | grep -c '^TCP')" -ge "$NVS" ] &&
		ip netns exec "sp$1" snmpget -v2c -c public -t 10 -r 0 127.0.0.1:16161 \
			"$KADC.3.1.2.$NVS" 2>/dev/null | grep -q INTEGER
}
for _ in $(seq 900); do ready sl && ready ka && break; sleep 1; done
CHK=$(cat "$T/ka-check.pid" 2>/dev/null)
echo "== $NVS virtual servers x 4 real servers on real IPVS, each daemon in its own namespace ($ROUNDS rounds; ready after $(($(date +%s) - START)) s)"
echo "   IPVS services: softlbd $(ip netns exec spsl ipvsadm -Ln | grep -c '^TCP'), keepalived $(ip netns exec spka ipvsadm -Ln | grep -c '^TCP'); keepalived checker pid ${CHK:-?}"
if [ -z "$CHK" ] || ! ready sl || ! ready ka; then
	echo "   not ready; softlbd log / keepalived log:"
	tail -5 "$T/sl.log"
	tail -5 "$T/ka.log"
	exit 1
fi
PIDS="$PIDS $CHK"

cpu() {	# the scheduler's runtime of every thread of the pids, ns
	for p in "$@"; do cat /proc/"$p"/task/*/schedstat 2>/dev/null; done |
		awk '{ t += $1 } END { printf "%.0f\n", t }'
}
# walk NAME: one full walk through the namespace's snmpd; sets VB, MS,
# CPU (ns, the daemon's whole process), SD (ns, its snmpd)
walk() {
	# shellcheck disable=SC2154 # SNMPD_sl / SNMPD_ka: set by eval above
	case $1 in
	sl) pids=$SL sd=$SNMPD_sl ;;
	ka) pids="$KA $CHK" sd=$SNMPD_ka ;;
	esac
	c0=$(cpu $pids)
	d0=$(cpu "$sd")
	t0=$(date +%s%N)
	VB=$(ip netns exec "sp$1" snmpbulkwalk -v2c -c public -On -Cr25 -t 30 -r 0 \
		127.0.0.1:16161 "$KADC" 2>/dev/null | grep -c ' = ')
	t1=$(date +%s%N)
	CPU=$(($(cpu $pids) - c0))
	SD=$(($(cpu "$sd") - d0))
	MS=$(((t1 - t0) / 1000000))
	WV=$(per_vb $((MS * 1000000)))
	# One line per walk as it ends: a run cut short (the host's timeout)
	# still shows what it measured.
	echo "   walk $1 (round $((r + 1)) of $ROUNDS): $VB varbinds, $MS ms, daemon $(per_vb "$CPU") us CPU per varbind, snmpd $(per_vb "$SD")"
	[ "$VB" -ge "$NVS" ] ||
		echo "   (a short walk: the subagent did not answer; its log says why)"
}
per_vb() {	# per_vb NS: us per varbind of the last walk; "-" (a failed
	# sample, left out of the figures and counted as failed) when the walk
	# came back short: a full walk has more objects than virtual servers.
	awk -v t="$1" -v n="$VB" -v min="$NVS" 'BEGIN { if (n < min) print "-"; else printf "%.2f", t / 1e3 / n }'
}
sl_ms='' ka_ms='' sl_us='' ka_us='' sl_wv='' ka_wv='' sl_sd='' ka_sd='' sl_vb='' ka_vb=''
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	for who in $(st_order $((r + FIRST))); do
		case $who in
		A)
			walk sl
			[ "$VB" -ge "$NVS" ] || MS=-
			sl_ms="$sl_ms $MS" sl_vb="$sl_vb $VB" sl_us="$sl_us $(per_vb "$CPU")"
			sl_sd="$sl_sd $(per_vb "$SD")" sl_wv="$sl_wv $WV" ;;
		B)
			walk ka
			[ "$VB" -ge "$NVS" ] || MS=-
			ka_ms="$ka_ms $MS" ka_vb="$ka_vb $VB" ka_us="$ka_us $(per_vb "$CPU")"
			ka_sd="$ka_sd $(per_vb "$SD")" ka_wv="$ka_wv $WV" ;;
		esac
	done
	r=$((r + 1))
done
echo "figures: median [min..max] n=rounds; one full walk of KEEPALIVED-MIB .3 per daemon per round"
echo "   varbinds per walk:        softlbd $(st_summary $sl_vb); keepalived $(st_summary $ka_vb)"
echo "   walk ms:                  softlbd $(st_summary $sl_ms); keepalived $(st_summary $ka_ms)"
echo "   daemon us CPU per varbind: softlbd $(st_summary $sl_us); keepalived $(st_summary $ka_us)"
echo "   snmpd us CPU per varbind: beside softlbd $(st_summary $sl_sd); beside keepalived $(st_summary $ka_sd)"
echo "   ratio softlbd / keepalived, CPU per varbind:  $(st_ratio "$sl_us" "$ka_us")"
echo "   ratio softlbd / keepalived, wall per varbind: $(st_ratio "$sl_wv" "$ka_wv")"
st_row "SNMP walk of KEEPALIVED-MIB .3, $NVS x 4 on IPVS (VM), us CPU per varbind" \
	"$(st_summary $sl_us)" "keepalived $(st_summary $ka_us)" "$(st_ratio "$sl_us" "$ka_us")" "-" \
	"wall per varbind $(st_ratio "$sl_wv" "$ka_wv")"
exit 0
