#!/bin/sh
# SNMP for the proxy and LVS, end to end: softlbd on lab host lb1 (proxy
# on 192.0.2.2:80, backends on rs1 and rs2, curl from the client) as the
# AgentX subagent of a real snmpd (socket in the test's directory, SNMP on
# 127.0.0.1 only). SOFTLB-MIB's tables agree with `show proxy json`,
# counters move as traffic flows, a drained or disabled server changes
# state, a reload keeps the indexes of untouched rows; LVS-MIB answers
# from what the LVS engine holds (IPVS is not on this host: no services).
# softlbd starts before snmpd, and finds it by itself.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"
. "$top_srcdir/tests/integration/snmp_lib.sh"

lab_up client lb1 rs1 rs2
use_lb1
backend rs1 8080 one
backend rs2 8080 two

cat >"$T/keepalived.conf" <<EOC
global_defs {
    router_id lb1
    enable_snmp_proxy
    enable_snmp_checker
    snmp_socket unix:$AGENTX
}
EOC
hap() {
	cat >"$T/haproxy.cfg" <<EOC
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
$1
listen web
    bind 192.0.2.2:80
    balance roundrobin
    server s1 192.0.2.21:8080 weight 3
    server s2 192.0.2.22:8080 weight 1
EOC
}
hap ""
# softlbd first: no master at its AgentX socket yet
start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"
check "proxy listens" wait_port 192.0.2.2 80
sl -c 'show status'
check "no snmpd yet: softlbd runs, show status says connecting" \
	contains "$OUT" "connecting to unix:$AGENTX"
snmpd_start

registered() {
	sl -c 'show status'
	contains "$OUT" "registered with unix:$AGENTX"
}
wait_for() {
	for _ in $(seq $(($1 * 5))); do
		"$2" && return 0
		sleep 0.2
	done
	return 1
}
check "show status: snmp registered" wait_for 10 registered

# idx NAME...: the OID index of string indexes (length, then the bytes).
idx() {
	"$PYTHON" -c 'import sys
print(".".join(".".join([str(len(a))] + [str(c) for c in a.encode()]) for a in sys.argv[1:]))' "$@"
}
SL=".1.3.6.1.4.1.99999.1"
P="$SL.1.1.1"
S="$SL.1.2.1"
WEB=$(idx web)
S1=$(idx web s1)
S2=$(idx web s2)

sget "$P.2.$WEB" "$P.3.$WEB" "$P.4.$WEB"
check "slbProxyKind/Mode/Status: listen, http, up ($(echo $OUT))" \
	[ "$(echo $OUT)" = '"listen" "http" 1' ]
sget "$S.2.$S1" "$S.3.$S1" "$S.4.$S1" "$S.5.$S1" "$S.6.$S1" "$S.6.$S2"
check "slbServer s1: ipv4 192.0.2.21:8080 up weight 3; s2 weight 1 ($(echo $OUT))" \
	[ "$(echo $OUT)" = '1 "C0 00 02 15 " 8080 1 3 1' ]
sget "$SL.2.1.0"
check "slbVersion ($OUT)" [ -n "$OUT" ]

# traffic: counters move and agree with show proxy json
sget "$P.7.$WEB"
before=$OUT
count 20 http://192.0.2.2/id >/dev/null
sleep 1.2	# the snapshot is at most a second old
sget "$P.7.$WEB" "$S.10.$S1" "$S.10.$S2" "$P.9.$WEB"
set -- $OUT
check "slbProxySessTotal moved by 20 ($before -> $1)" [ "$1" -eq $((before + 20)) ]
check "slbProxySessTotal = show proxy json total ($(pxf web total))" [ "$1" = "$(pxf web total)" ]
check "slbServerSessTotal s1 = show proxy ($2 = $(srv web s1 total))" [ "$2" = "$(srv web s1 total)" ]
check "slbServerSessTotal s2 = show proxy ($3 = $(srv web s2 total))" [ "$3" = "$(srv web s2 total)" ]
check "weights 3:1 over 20 sessions: 15 and 5 ($2, $3)" [ "$2" -eq 15 ] && [ "$3" -eq 5 ]
check "slbProxyBytesOut = show proxy bytes_out ($4)" [ "$4" = "$(pxf web bytes_out)" ] && [ "$4" -gt 0 ]

# state changes
sl -c 'server web s2 drain'
check "drain: slbServerStatus s2 drain(2)" wait_sget "$S.5.$S2" 2 5
sl -c 'server web s2 disable'
check "disable: slbServerStatus s2 maint(4)" wait_sget "$S.5.$S2" 4 5
sl -c 'server web s2 restore'
check "restore: slbServerStatus s2 up(1)" wait_sget "$S.5.$S2" 1 5
sl -c 'server web s1 weight 7'
check "operator weight: slbServerWeight s1 7" wait_sget "$S.6.$S1" 7 5
sl -c 'server web s1 restore'

# the whole table, in order, with snmptable when the MIB loads
swalk "$SL"
n=$(printf '%s\n' "$OUT" | grep -c ' = ')
check "walk of SOFTLB-MIB: $n objects in order" [ "$RC" -eq 0 ] && [ "$n" -ge 50 ]
. "$top_srcdir/tests/integration/mib_lib.sh"
if base_mibs "$T/mibs"; then
	OUT=$(snmptable -v2c -c public -Ci -Cb -M "$T/mibs:$top_srcdir/mibs" -m SOFTLB-MIB "$AGENT" \
		SOFTLB-MIB::slbServerTable 2>&1)
	printf '%s\n' "$OUT" | head -n 6
	check "snmptable slbServerTable: a row per server, s2 in it" contains "$OUT" '"s2"'
	check "snmptable slbServerTable: s2 at 192.0.2.22 (C0 00 02 16)" contains "$OUT" "C0 00 02 16"
else
	echo "SKIP: snmptable (needs the base MIBs): $MIB_WHY"
fi

# reload: a proxy added before web, then removed; web and its servers keep
# their indexes and their counters
hap "listen api
    bind 192.0.2.2:81
    server a1 192.0.2.21:8080"
sl -c reload
API=$(idx api)
check "reload added api: its row appears" wait_sget "$P.4.$API" 1 5
sget "$S.10.$S1"
check "web/s1 kept its index and its counter (15 = $OUT)" [ "$OUT" = 15 ]
hap ""
sl -c reload
nosuch() {
	sget "$P.4.$API"
	contains "$OUT" "No Such Instance"
}
check "reload removed api: its row is gone" wait_for 5 nosuch
sget "$P.7.$WEB"
check "web still answers ($OUT)" [ "$OUT" -ge 20 ]

# LVS-MIB: from the LVS engine's state; IPVS is not on this host
LVS=".1.3.6.1.4.1.8225.4711"
sl --json -c 'show status'
sget "$LVS.1.0" "$LVS.2.0"
check "lvsVersion / lvsNumServices from the LVS engine ($(echo $OUT))" \
	[ "$(echo $OUT)" = '"unavailable" 0' ] || contains "$OUT" '"1.'
swalk "$LVS"
check "walk of LVS-MIB in order" [ "$RC" -eq 0 ]
KAD=".1.3.6.1.4.1.9586.100.5"
sget "$KAD.1.2.0"
check "KEEPALIVED-MIB routerId lb1" [ "$OUT" = '"lb1"' ]

# odd requests on the string indexes
sget "$P.4.3.119.101"
check "index shorter than its length prefix: noSuchInstance" contains "$OUT" "No Such Instance"
sget "$P.4.200.119"
check "length prefix past the end: noSuchInstance" contains "$OUT" "No Such Instance"
OUT=$(snmpset -v2c -c private "$AGENT" "$S.6.$S1" i 10 2>&1)
check "SET slbServerWeight: notWritable" contains "$OUT" "notWritable"

finish
