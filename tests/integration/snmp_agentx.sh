#!/bin/sh
# The subagent's AgentX answers, as the protocol defines them, beyond what
# snmpd asks: a small AgentX master of our own (agentx_master.py) takes
# softlbd's session on a unix socket and sends GetBulk (non-repeaters,
# several repeaters, max-repetitions 10,000), GetNext with the include
# flag and with an end to its search range, Get inside and outside the
# subtree and of hostile names, and compares every answer with a GetNext
# walk of SOFTLB-MIB. softlbd runs alone (its own network namespace, a
# proxy with ten servers, no traffic needed).
. "${top_srcdir:?}/tests/integration/lib.sh"

AX="$T/ax.sock"
cat >"$T/keepalived.conf" <<EOC
global_defs {
    enable_snmp_proxy
    snmp_socket unix:$AX
}
EOC
{
	printf 'defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n'
	printf 'listen web\n    bind 127.0.0.1:18080\n'
	for s in 1 2 3 4 5 6 7 8 9 10; do
		echo "    server s$s 127.0.0.1:$((18100 + s))"
	done
} >"$T/haproxy.cfg"
"$PYTHON" "$top_srcdir/tests/integration/agentx_master.py" "$AX" .1.3.6.1.4.1.99999.1 \
	"$T/go" >"$T/master.out" 2>&1 &
MASTER=$!
at_exit "kill $MASTER 2>/dev/null"
for _ in $(seq 50); do [ -S "$AX" ] && break; sleep 0.1; done
start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"
: >"$T/go"	# softlbd is up (its socket answers): the requests may start
wait "$MASTER"
rc=$?
cat "$T/master.out"
FAILED=$((FAILED + $(grep -c '^FAIL' "$T/master.out")))
[ "$rc" -eq 0 ] || [ "$FAILED" -gt 0 ] || fail "the AgentX master exited $rc"
check "softlbd still runs" daemon_alive
finish
