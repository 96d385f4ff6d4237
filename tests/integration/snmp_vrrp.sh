#!/bin/sh
# SNMP for VRRP, end to end: a real snmpd (AgentX master on a socket in
# the test's directory, SNMP on 127.0.0.1 only), softlbd on lab host lb1
# as its subagent, a plain softlbd on lb2 as the VRRP peer, snmptrapd
# receiving the notifications. VRRP-MIB (v2 instance VI_1) and VRRPv3-MIB
# (v3 instance VI_3) show the live state, counters that move, and follow
# an operator disable and a failover; vrrpTrapNewMaster, vrrpv3NewMaster
# vrrpTrapAuthFailure and vrrpv3ProtoError (for forged adverts, through
# the event journal) arrive; a SET answers notWritable; odd requests get
# correct answers; snmpd killed and restarted, and softlbd stopped for
# 3 s, are ridden through; a reload that turns a MIB off takes it away.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"
. "$top_srcdir/tests/integration/snmp_lib.sh"

lab_up lb1 lb2
trapd_start
snmpd_start

# conf FILE PRIO_VI1 PRIO_VI3 [GLOBAL_EXTRA]
conf() {
	cat >"$1" <<EOC
global_defs {
    router_id $(basename "$1" .conf)
    ${4:-}
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/32
        192.0.2.101/32
    }
}
vrrp_instance VI_3 {
    state BACKUP
    interface eth0
    version 3
    virtual_router_id 53
    priority $3
    advert_int 1
    virtual_ipaddress {
        192.0.2.103/32
    }
}
EOC
}
SNMPCONF="enable_snmp_rfc
    enable_snmp_vrrp
    enable_traps
    snmp_socket unix:$AGENTX"
conf "$T/lb1.conf" 150 100 "$SNMPCONF"
conf "$T/lb2.conf" 100 200
vd_start lb1 lb1 "$T/lb1.conf"
vd_start lb2 lb2 "$T/lb2.conf"
check "lb1 is master of VI_1" wait_state lb1 VI_1 MASTER 10
check "lb2 is master of VI_3" wait_state lb2 VI_3 MASTER 10

# registered: show status says so, with the socket
registered() {
	vsl lb1 'show status'
	contains "$OUT" "registered with unix:$AGENTX"
}
connecting() {
	vsl lb1 'show status'
	contains "$OUT" "connecting to unix:$AGENTX"
}
# wait_for SECONDS FUNCTION: polls FUNCTION every 0.2 s.
wait_for() {
	for _ in $(seq $(($1 * 5))); do
		"$2" && return 0
		sleep 0.2
	done
	return 1
}
check "show status: snmp registered with the master" wait_for 10 registered

IFX=$(ifindex "$(ns lb1)" eth0)
V2=".1.3.6.1.2.1.68"
V3=".1.3.6.1.2.1.207"
KAD=".1.3.6.1.4.1.9586.100.5"
R1="$IFX.51"
R3="$IFX.53.1"

# --- VRRP-MIB, as show vrrp says
check "vrrpOperState VI_1 = master(3)" wait_sget "$V2.1.3.1.3.$R1" 3 10
sget "$V2.1.3.1.5.$R1"
check "vrrpOperPriority = 150 (show vrrp: $(jget lb1 VI_1 priority.effective))" \
	[ "$OUT" = 150 ] && [ "$(jget lb1 VI_1 priority.effective)" = 150 ]
sget "$V2.1.3.1.6.$R1"
check "vrrpOperIpAddrCount = 2" [ "$OUT" = 2 ]
sget "$V2.1.3.1.7.$R1"
check "vrrpOperMasterIpAddr = lb1's address" [ "$OUT" = 192.0.2.2 ]
sget "$V2.1.3.1.2.$R1"
check "vrrpOperVirtualMacAddr = 00:00:5e:00:01:33 ($OUT)" contains "$OUT" '00 00 5E 00 01 33'
sget "$V2.1.4.1.2.$R1.192.0.2.100" "$V2.1.4.1.2.$R1.192.0.2.101"
check "vrrpAssoIpAddrRowStatus: both VIPs active" [ "$(echo $OUT)" = "1 1" ]
sget "$V2.1.1.0" "$V2.1.2.0"
check "vrrpNodeVersion 2, vrrpNotificationCntl enabled(1)" [ "$(echo $OUT)" = "2 1" ]
sget "$V2.2.4.1.1.$R1"
check "vrrpStatsBecomeMaster = 1 ($OUT)" [ "$OUT" = 1 ]

# --- VRRPv3-MIB: lb1 is backup of VI_3, lb2 the master
check "vrrpv3OperationsStatus VI_3 = backup(2)" wait_sget "$V3.1.1.1.1.6.$R3" 2 10
sget "$V3.1.1.1.1.3.$R3"
check "vrrpv3OperationsMasterIpAddr = lb2 ($OUT)" contains "$OUT" 'C0 00 02 03'
sget "$V3.1.1.1.1.9.$R3" "$V3.1.1.1.1.7.$R3"
check "vrrpv3OperationsAdvInterval 100 cs, priority 100" [ "$(echo $OUT)" = "100 100" ]
sget "$V3.1.1.2.1.2.$R3.4.192.0.2.103"
check "vrrpv3AssociatedIpAddrRowStatus active" [ "$OUT" = 1 ]
sget "$V3.1.2.5.1.3.$R3"
a1=$OUT
sleep 3
sget "$V3.1.2.5.1.3.$R3"
a2=$OUT
check "vrrpv3StatisticsRcvdAdvertisements moves with lb2's adverts ($a1 -> $a2)" \
	[ "$a2" -gt "$a1" ]

# --- KEEPALIVED-MIB: instance names and states
swalk "$KAD.2.3.1.2"
check "vrrpInstanceName lists VI_1 and VI_3" contains "$OUT" '"VI_3"'
sget "$KAD.1.2.0"
check "KEEPALIVED-MIB routerId = lb1" [ "$OUT" = '"lb1"' ]

# --- whole walks: ordered (snmpwalk fails on an OID not increasing), all
# objects present
for root in $V2 $V3 $KAD; do
	swalk "$root"
	n=$(printf '%s\n' "$OUT" | grep -c ' = ')
	check "walk of $root: $n objects, in order" [ "$RC" -eq 0 ] && [ "$n" -gt 3 ] &&
		! contains "$OUT" "not increasing"
done
OUT=$(snmpbulkwalk -v2c -c public -On -Cr50 "$AGENT" "$V2" 2>&1)
check "snmpbulkwalk of VRRP-MIB in order" [ $? -eq 0 ] && ! contains "$OUT" "not increasing"

# --- odd requests
OUT=$(snmpbulkget -v2c -c public -On -Cr10000 "$AGENT" "$V2" 2>&1)
RC=$?
n=$(printf '%s\n' "$OUT" | grep -c ' = ')
check "getbulk max-repetitions 10000: bounded answer ($n varbinds)" \
	[ "$RC" -eq 0 ] && [ "$n" -gt 10 ] && [ "$n" -le 10000 ]
printf '%s\n' "$OUT" | awk '{print $1}' >"$T/bulk.oids"
check "getbulk answer is in increasing order" "$PYTHON" -c 'import sys
o = [tuple(int(x) for x in l.strip().strip(".").split(".")) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if all(a < b for a, b in zip(o, o[1:])) else 1)' "$T/bulk.oids"
sget "$V2.1.3.1.3.$IFX"
check "GET of a too short index: noSuchInstance" contains "$OUT" "No Such Instance"
sget "$V2.1.3.1.3.$R1.7.7.7"
check "GET of a too long index: noSuchInstance" contains "$OUT" "No Such Instance"
sget "$V2.1.3.1.3.$IFX.999"
check "GET of an unknown VRID: noSuchInstance" contains "$OUT" "No Such Instance"
long="$V2.1.3.1.3"
for _ in $(seq 100); do long="$long.1"; done
sget "$long"
check "GET of a 110-sub-identifier OID: noSuchInstance" contains "$OUT" "No Such Instance"
sget "$V3.1.1.2.1.2.$R3.16.192.0.2.103"
check "InetAddress index with the wrong length: noSuchInstance" contains "$OUT" "No Such Instance"
OUT=$(snmpgetnext -v2c -c public -On "$AGENT" "$V2.2.4.1.12.$R1" 2>&1)
check "GETNEXT past the end of VRRP-MIB leaves it ($OUT)" [ $? -eq 0 ] &&
	! contains "$OUT" "$V2."
OUT=$(snmpset -v2c -c private -On "$AGENT" "$V2.1.3.1.5.$R1" i 200 2>&1)
check "SET vrrpOperPriority: notWritable" contains "$OUT" "notWritable"
OUT=$(snmpset -v2c -c private -On "$AGENT" "$V3.1.1.1.1.7.$R3" u 50 2>&1)
check "SET vrrpv3OperationsPriority: notWritable" contains "$OUT" "notWritable"
sget "$V2.1.3.1.5.$R1"
check "the SET changed nothing" [ "$OUT" = 150 ]

# --- a forged advert with authentication (VI_1 has none): the VRRP
# engine journals the drop (one event per 10 s and instance, however many
# arrive) and the journal event becomes one vrrpTrapAuthFailure,
# authTypeMismatch(2), from lb2's address
ip netns exec "$(ns lb2)" "$PYTHON" "$top_srcdir/tests/integration/vrrp_forge.py" auth_fail 20
check "vrrpTrapAuthFailure received" wait_trap "$V2.0.2" 10
check "vrrpTrapAuthFailure: vrrpTrapPacketSrc = 192.0.2.3" \
	grep -q "$V2.1.5.0 = IpAddress: 192.0.2.3" "$T/traps.log"
check "vrrpTrapAuthFailure: vrrpTrapAuthErrorType = authTypeMismatch(2)" \
	grep -q "$V2.1.6.0 = INTEGER: 2" "$T/traps.log"
sleep 2
n=$(grep -c "OID: $V2.0.2" "$T/traps.log")
check "20 bad adverts at once: one trap ($n)" [ "$n" -eq 1 ]
vsl lb1 'show events engine vrrp'
n=$(printf '%s\n' "$OUT" | grep -c 'vrrp VI_1: - -> auth-failure (authTypeMismatch from 192.0.2.3')
check "and one journal event, the trap's: auth-failure, authTypeMismatch from 192.0.2.3 ($n)" \
	[ "$n" -eq 1 ]

# --- a forged VRRPv3 advert for VI_3 with TTL 254: one journal event,
# one vrrpv3ProtoError with vrrpv3StatisticsProtoErrReason ipTtlError(1)
ip netns exec "$(ns lb2)" "$PYTHON" "$top_srcdir/tests/integration/vrrp_forge.py" ttl_v3 20
check "vrrpv3ProtoError received" wait_trap "$V3.0.2" 10
check "vrrpv3ProtoError: vrrpv3StatisticsProtoErrReason = ipTtlError(1)" \
	grep -q "$V3.1.2.5.1.6.$R3 = INTEGER: 1" "$T/traps.log"
sleep 2
n=$(grep -c "OID: $V3.0.2" "$T/traps.log")
check "20 bad adverts at once: one vrrpv3ProtoError ($n)" [ "$n" -eq 1 ]
vsl lb1 'show events engine vrrp'
n=$(printf '%s\n' "$OUT" | grep -c 'vrrp VI_3: - -> protocol-error (ipTtlError from 192.0.2.3')
check "and one journal event: protocol-error, ipTtlError from 192.0.2.3 ($n)" [ "$n" -eq 1 ]
sget "$V3.1.2.5.1.5.$R3"
check "vrrpv3StatisticsIpTtlErrors counted them (20 = $OUT)" [ "$OUT" = 20 ]
sget "$V2.2.4.1.11.$R1"
check "vrrpStatsAuthTypeMismatch counted them (20 = $OUT)" [ "$OUT" = 20 ]

# --- state changes show in the MIB
vsl lb1 'vrrp VI_1 disable'
check "operator disable: vrrpOperState initialize(1)" wait_sget "$V2.1.3.1.3.$R1" 1 5
sget "$V2.1.3.1.4.$R1"
check "vrrpOperAdminState down(2)" [ "$OUT" = 2 ]
check "lb2 took VI_1 over" wait_state lb2 VI_1 MASTER 10
vsl lb1 'vrrp VI_1 enable'
check "enabled again: lb1 preempts VI_1" wait_state lb1 VI_1 MASTER 10
check "vrrpTrapNewMaster received" wait_trap "$V2.0.1" 10
check "vrrpTrapNewMaster carries vrrpOperMasterIpAddr = 192.0.2.2" \
	grep -q "$V2.1.3.1.7.$R1 = IpAddress: 192.0.2.2" "$T/traps.log"
check "vrrpOperState master(3) again" wait_sget "$V2.1.3.1.3.$R1" 3 5
sget "$V2.2.4.1.1.$R1"
check "vrrpStatsBecomeMaster = 2 ($OUT)" [ "$OUT" = 2 ]

# failover of VI_3: lb2 stops, lb1 takes over
vd_stop lb2
check "lb2 stopped: lb1 is master of VI_3" wait_state lb1 VI_3 MASTER 10
check "vrrpv3NewMaster received" wait_trap "$V3.0.1" 10
check "vrrpv3OperationsStatus master(3)" wait_sget "$V3.1.1.1.1.6.$R3" 3 5
sget "$V3.1.2.5.1.2.$R3"
# lb2 stopping sends priority 0: lb1 takes over as the master stopped
# answering (masterNoResponse(3)).
check "vrrpv3StatisticsNewMasterReason masterNoResponse(3) ($OUT)" [ "$OUT" = 3 ]

# --- snmpd killed and restarted: softlbd rides through
snmpd_kill KILL
check "snmpd killed: softlbd still runs" kill -0 "$(vd_pid lb1)"
check "show status: connecting" wait_for 5 connecting
snmpd_start
t0=$(now_ms)
check "snmpd restarted: values back" wait_sget "$V2.1.3.1.3.$R1" 3 10
echo "  values back $(( $(now_ms) - t0 )) ms after snmpd answered"
check "show status: registered again" wait_for 5 registered

# --- softlbd stopped for 3 s: snmpd survives, the subagent comes back
kill -STOP "$(vd_pid lb1)"
sget .1.3.6.1.2.1.1.1.0
sleep 3
kill -CONT "$(vd_pid lb1)"
check "snmpd survived softlbd's 3 s stop" kill -0 "$SNMPD_PID"
check "after SIGCONT the VRRP-MIB answers again" wait_sget "$V2.1.3.1.3.$R1" 3 10

# --- snmpd stopped (SIGSTOP) for 20 s: its socket still takes connections
# until its backlog is full, then blocks them; softlbd's loop must go on
# (a blocking reconnect used to hang it until snmpd resumed)
kill -STOP "$SNMPD_PID"
answered=0
for _ in $(seq 40); do
	timeout 10 "$SOFTLB" -s "$T/lb1.sock" -c 'show version' >/dev/null 2>&1 &&
		answered=$((answered + 1))
	sleep 0.5
done
kill -CONT "$SNMPD_PID"
check "snmpd stopped for 20 s: softlbd answered its socket throughout ($answered of 40)" \
	[ "$answered" -eq 40 ]
check "snmpd resumed: values back" wait_sget "$V2.1.3.1.3.$R1" 3 15

# --- reload: VRRP-MIB off (enable_snmp_rfcv3 only), VRRPv3-MIB stays
conf "$T/lb1.conf" 150 100 "enable_snmp_rfcv3
    enable_traps
    snmp_socket unix:$AGENTX"
vsl lb1 reload
check "reload accepted" [ "$RC" -eq 0 ]
nosuch() {
	sget "$V2.1.3.1.3.$R1"
	contains "$OUT" "No Such Object"
}
check "after reload VRRP-MIB is gone" wait_for 10 nosuch
check "and VRRPv3-MIB still answers" wait_sget "$V3.1.1.1.1.6.$R3" 3 10

vd_stop lb1
check "snmpd still runs after softlbd stopped" kill -0 "$SNMPD_PID"
vrrp_finish
