#!/bin/sh
# snmp_poll_vm_guest.sh: runs INSIDE the VM only (snmp_poll.sh --vm boots
# it): the issue's LVS size (1,000 virtual servers x 4 real servers) on
# real IPVS, walked every second for $DURATION s, first through softlbd
# (LVS-MIB and SOFTLB-MIB's virtual / real server tables), then through
# keepalived's own subagent (KEEPALIVED-MIB's check subtree: its virtual
# and real server tables) with the same configuration. Prints walk times
# and each daemon's CPU. softlbd reads IPVS every 60 s here (a first run
# with 5 s saw its AgentX answers time out, presumably behind reconcile
# passes over 4,000 real servers in the emulated guest; not diagnosed).
# The guest is emulated (TCG): absolute numbers are several times the
# host's; the comparison is the point.
set -u
[ "${SOFTLB_VM:-}" = 1 ] || { echo "ERROR: run me inside the VM"; exit 99; }
B=${top_builddir:?}
DURATION=${SOFTLB_SNMP_POLL_DURATION:-60}
T=$(mktemp -d /tmp/snmp-poll-vm.XXXXXX)
PIDS=
cleanup() { for p in $PIDS; do kill -9 "$p" 2>/dev/null; done; ipvsadm -C 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
modprobe ip_vs || { echo "ip_vs cannot load"; exit 1; }
ip link set lo up
export MIBS= SNMP_PERSISTENT_DIR="$T/persist"
mkdir -p "$SNMP_PERSISTENT_DIR"
cat >"$T/snmpd.conf" <<EOC
agentaddress udp:127.0.0.1:16161
master agentx
agentXSocket unix:$T/agentx.sock
agentXPerms 0600 0700
agentXTimeout 10
rocommunity public 127.0.0.1
EOC
/usr/sbin/snmpd -f -C -c "$T/snmpd.conf" -Lf "$T/snmpd.log" &
SNMPD=$!
PIDS="$PIDS $SNMPD"
for _ in $(seq 100); do
	snmpget -v2c -c public -t 1 -r 0 127.0.0.1:16161 .1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 && break
	sleep 0.2
done
TCK=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
now_ns() { date +%s%N; }
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
} >"$T/lvs.conf"
# keepalived does not know enable_snmp_proxy
grep -v enable_snmp_proxy "$T/lvs.conf" >"$T/ka.conf"

# poll NAME PID OID...: a full walk of the OIDs every second
poll() {
	name=$1 pid=$2
	shift 2
	walk_all() { for o in "$@"; do snmpbulkwalk -v2c -c public -On -Cr25 -t 10 -r 0 127.0.0.1:16161 "$o"; done; }
	obj=$(walk_all "$@" | grep -c ' = ')
	c0=$(cpu "$pid")
	s0=$(cpu "$SNMPD")
	t_start=$(now_ns)
	: >"$T/ms"
	i=0
	while [ "$i" -lt "$DURATION" ]; do
		t0=$(now_ns)
		walk_all "$@" >/dev/null
		t1=$(now_ns)
		echo $(((t1 - t0) / 1000000)) >>"$T/ms"
		i=$((i + 1))
		left=$((1000 - (t1 - t0) / 1000000))
		[ "$left" -gt 0 ] && sleep "$(awk -v m="$left" 'BEGIN { printf "%.3f", m / 1000 }')"
	done
	t_end=$(now_ns)
	c=$(($(cpu "$pid") - c0))
	s=$(($(cpu "$SNMPD") - s0))
	secs=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	sort -n "$T/ms" | awk -v name="$name" -v obj="$obj" -v secs="$secs" -v c="$c" -v s="$s" \
		-v hz="$TCK" '{ a[NR] = $1 } END {
		printf "%-34s %7d objects, walk min %5d / median %5d / max %5d ms, daemon CPU %5.1f%%, snmpd %5.1f%% (%d walks in %s s)\n",
			name, obj, a[1], a[int((NR + 1) / 2)], a[NR], c / hz / secs * 100, s / hz / secs * 100, NR, secs }'
}

echo "== softlbd: 1,000 virtual servers x 4 real servers on real IPVS"
"$B/softlbd" -n -l -S "$T/sl.sock" --pidfile "$T/sl.pid" -f "$T/lvs.conf" -p /dev/null \
	--lvs-reconcile-interval 60 >"$T/sl.log" 2>&1 &
SL=$!
PIDS="$PIDS $SL"
for _ in $(seq 600); do
	[ "$(ipvsadm -Ln | grep -c '^TCP')" -ge 1000 ] &&
		"$B/softlb" -s "$T/sl.sock" -c 'show status' 2>/dev/null | grep -q 'registered with' && break
	sleep 0.2
done
echo "   IPVS services: $(ipvsadm -Ln | grep -c '^TCP')"
# One full walk first, with a long timeout: when that takes more than
# the poll period, polling every second only piles requests up.
c0=$(cpu "$SL")
t0=$(now_ns)
n=$(snmpbulkwalk -v2c -c public -On -Cr25 -t 120 -r 0 127.0.0.1:16161 .1.3.6.1.4.1.8225.4711 2>&1 |
	grep -c ' = ')
t1=$(now_ns)
echo "   one LVS-MIB walk: $n objects in $(((t1 - t0) / 1000000)) ms, softlbd CPU $(( ($(cpu "$SL") - c0) * 1000 / TCK )) ms"
"$B/softlb" -s "$T/sl.sock" -c 'show status' | grep '^snmp'
if [ $(((t1 - t0) / 1000000)) -lt 2000 ]; then
	poll "softlbd LVS-MIB" "$SL" .1.3.6.1.4.1.8225.4711
	poll "softlbd SOFTLB-MIB vs+rs tables" "$SL" .1.3.6.1.4.1.99999.1.1.3 .1.3.6.1.4.1.99999.1.1.4
else
	echo "   (no polling every second: one walk takes longer than 2 s here)"
fi
kill -TERM "$SL"
wait "$SL" 2>/dev/null
ipvsadm -C

echo "== keepalived's subagent, the same configuration"
/usr/sbin/keepalived -n -l -D -C -f "$T/ka.conf" -p "$T/ka.pid" -c "$T/ka-check.pid" \
	>"$T/ka.log" 2>&1 &
KA=$!
PIDS="$PIDS $KA"
for _ in $(seq 600); do
	[ -s "$T/ka-check.pid" ] && [ "$(ipvsadm -Ln | grep -c '^TCP')" -ge 1000 ] &&
		snmpget -v2c -c public -t 5 -r 0 127.0.0.1:16161 .1.3.6.1.4.1.9586.100.5.1.1.0 2>/dev/null |
		grep -q STRING && break
	sleep 0.2
done
CHK=$(cat "$T/ka-check.pid" 2>/dev/null)
echo "   IPVS services: $(ipvsadm -Ln | grep -c '^TCP'); keepalived checker pid ${CHK:-?}"
if [ -n "$CHK" ] && [ -d "/proc/$CHK" ]; then
	PIDS="$PIDS $CHK"
	poll "keepalived KEEPALIVED-MIB check" "$CHK" .1.3.6.1.4.1.9586.100.5.3
else
	echo "   keepalived's checker did not start:"
	tail -20 "$T/ka.log"
fi
kill -TERM "$KA"
wait "$KA" 2>/dev/null
exit 0
