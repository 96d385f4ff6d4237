# Helpers for the SNMP tests (sourced after lib.sh): a real snmpd as AgentX
# master from a configuration of the test's own (never the machine's),
# AgentX on a unix socket in $T, SNMP on 127.0.0.1 at a free port only,
# snmptrapd on another; and the net-snmp command-line tools against it.

command -v snmpd >/dev/null 2>&1 || [ -x /usr/sbin/snmpd ] ||
	skip "snmpd missing (Debian package snmpd)"
command -v snmpget >/dev/null 2>&1 || skip "snmpget missing (Debian package snmp)"
SNMPD=$(command -v snmpd 2>/dev/null || echo /usr/sbin/snmpd)
SNMPTRAPD=$(command -v snmptrapd 2>/dev/null || echo /usr/sbin/snmptrapd)
# The tools print numeric OIDs and load no MIB file (Debian ships few).
MIBS=
# net-snmp's state files (snmpd's, snmptrapd's, and softlbd's library's
# cert_indexes) go to the test's directory, not /var/lib/snmp.
SNMP_PERSISTENT_DIR="$T/snmp-persist"
export MIBS SNMP_PERSISTENT_DIR
AGENTX="$T/agentx.sock"
SNMPD_PID=
TRAPD_PID=
# Killed at exit by the pids they have then (never a pid reused since).
at_exit 'snmpd_kill KILL'
at_exit '[ -n "$TRAPD_PID" ] && kill -9 "$TRAPD_PID"'

# free_udp_port: a UDP port of 127.0.0.1 nobody uses now.
free_udp_port() {
	"$PYTHON" -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
SNMP_PORT=$(free_udp_port)
TRAP_PORT=$(free_udp_port)
AGENT="127.0.0.1:$SNMP_PORT"

# snmpd_start: (re)starts snmpd on $AGENT with AgentX on $AGENTX; waits
# until it answers.
snmpd_start() {
	cat >"$T/snmpd.conf" <<EOC
agentaddress udp:$AGENT
master agentx
agentXSocket unix:$AGENTX
agentXPerms 0600 0700
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
trap2sink 127.0.0.1:$TRAP_PORT public
EOC
	mkdir -p "$T/snmp-persist"
	"$SNMPD" -f -C -c "$T/snmpd.conf" \
		-Lf "$T/snmpd.log" -p "$T/snmpd.pid" >>"$T/snmpd.out" 2>&1 &
	SNMPD_PID=$!
	for _ in $(seq 50); do
		snmpget -v2c -c public -On -t 1 -r 0 "$AGENT" .1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 &&
			return 0
		kill -0 "$SNMPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "snmpd did not start:"
	cat "$T/snmpd.log" "$T/snmpd.out"
	exit 99
}

# snmpd_kill [SIGNAL]: signals snmpd (KILL by default) and waits for it.
snmpd_kill() {
	[ -n "$SNMPD_PID" ] || return 0
	kill "-${1:-KILL}" "$SNMPD_PID" 2>/dev/null
	wait "$SNMPD_PID" 2>/dev/null
	SNMPD_PID=
}

# trapd_start: snmptrapd on 127.0.0.1:$TRAP_PORT, logging every
# notification's varbinds numerically to $T/traps.log.
trapd_start() {
	[ -x "$SNMPTRAPD" ] || skip "snmptrapd missing (Debian package snmptrapd)"
	cat >"$T/snmptrapd.conf" <<EOC
disableAuthorization yes
EOC
	: >"$T/traps.log"
	"$SNMPTRAPD" -f -C -c "$T/snmptrapd.conf" -On \
		-Lf "$T/traps.log" -p "$T/snmptrapd.pid" "udp:127.0.0.1:$TRAP_PORT" \
		>>"$T/snmptrapd.out" 2>&1 &
	TRAPD_PID=$!
	for _ in $(seq 50); do
		grep -q 'NET-SNMP version' "$T/traps.log" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "snmptrapd did not start:"
	cat "$T/traps.log" "$T/snmptrapd.out"
	exit 99
}

# sget OID...: snmpget; value(s) only, one per line, in $OUT; status $RC.
sget() {
	OUT=$(snmpget -v2c -c public -On -Oqv -t 2 -r 1 "$AGENT" "$@" 2>&1)
	RC=$?
}

# swalk OID: snmpwalk (which fails on an OID not increasing); lines in $OUT.
swalk() {
	OUT=$(snmpwalk -v2c -c public -On -t 2 -r 1 "$AGENT" "$@" 2>&1)
	RC=$?
}

# wait_sget OID VALUE SECONDS: polls until snmpget shows VALUE.
wait_sget() {
	for _ in $(seq $(($3 * 5))); do
		sget "$1"
		[ "$OUT" = "$2" ] && return 0
		sleep 0.2
	done
	echo "  $1 is '$OUT', wanted '$2' after $3 s"
	return 1
}

# wait_trap OID SECONDS: until snmptrapd logged a notification with
# snmpTrapOID.0 = OID.
wait_trap() {
	for _ in $(seq $(($2 * 5))); do
		grep -q "1.3.6.1.6.3.1.1.4.1.0 = OID: $1\$" "$T/traps.log" && return 0
		grep -q "1.3.6.1.6.3.1.1.4.1.0 = OID: $1[^.0-9]" "$T/traps.log" && return 0
		sleep 0.2
	done
	echo "  no notification $1 in $2 s; snmptrapd logged:"
	cat "$T/traps.log"
	return 1
}

# ifindex HOSTNS IFNAME: the interface index inside a namespace.
ifindex() {
	ip -n "$1" -o link show "$2" | cut -d: -f1
}
