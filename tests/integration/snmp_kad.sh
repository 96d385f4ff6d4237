#!/bin/sh
# KEEPALIVED-MIB's VRRP tables beyond vrrpInstanceTable, end to end: a
# real snmpd (AgentX master on a socket in the test's directory, SNMP on
# 127.0.0.1 only) and softlbd on lab host lb1 as its subagent, with a
# sync group of two instances, two vrrp_scripts (one that succeeds, one
# that fails) tracked by a third instance (outside the group: in a group
# a failing script faults the members, as keepalived does) with their
# own and with the instance's weight, and
# virtual addresses with a label, a broadcast address, a scope and an
# excluded one. vrrpSyncGroupTable, vrrpSyncGroupMemberTable,
# vrrpTrackedScriptTable, vrrpAddressTable and vrrpScriptTable are read
# with snmpget / snmpwalk / snmptable and compared with `show vrrp json`;
# virtualServerGroupTable and its members against the configuration (this
# host has no IPVS: the server tables themselves are checked in the VM,
# tests/vm/snmp_lvs_guest.sh); the walk of the whole KEEPALIVED-MIB
# subtree is in order; a reload that
# adds an address shows it, and one that removes the group takes its rows.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"
. "$top_srcdir/tests/integration/snmp_lib.sh"

lab_up lb1
snmpd_start

# conf FILE EXTRA_VIP GROUP(yes/no)
conf() {
	{
		cat <<EOC
global_defs {
    router_id lb1
    enable_snmp_vrrp
    enable_snmp_checker
    snmp_socket unix:$AGENTX
}
virtual_server_group VSG1 {
    192.0.2.200 80
    192.0.2.201-205 443
}
virtual_server group VSG1 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 192.0.2.50 80 {
        weight 1
    }
}
vrrp_script chk_ok {
    script "/bin/true"
    interval 1
    weight 10
    rise 2
    fall 3
}
vrrp_script chk_bad {
    script "/bin/false"
    interval 2
    weight -20
}
EOC
		[ "$3" = yes ] && cat <<EOC
vrrp_sync_group G1 {
    group {
        VI_B
        VI_C
    }
    notify_master "/bin/true group-master"
}
EOC
		cat <<EOC
vrrp_instance VI_A {
    state MASTER
    interface eth0
    virtual_router_id 61
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.0.2.110/32
        192.0.2.111/24 brd 192.0.2.255 dev eth0 scope link label eth0:vip
        $2
    }
    virtual_ipaddress_excluded {
        192.0.2.112/32
    }
    track_script {
        chk_ok
        chk_bad weight -5
    }
}
vrrp_instance VI_B {
    state MASTER
    interface eth0
    virtual_router_id 62
    priority 120
    advert_int 1
    virtual_ipaddress {
        192.0.2.120/32
    }
}
vrrp_instance VI_C {
    state MASTER
    interface eth0
    virtual_router_id 63
    priority 120
    advert_int 1
    virtual_ipaddress {
        192.0.2.130/32
    }
}
EOC
	} >"$1"
}
conf "$T/lb1.conf" "" yes
vd_start lb1 lb1 "$T/lb1.conf"
check "VI_A is master" wait_state lb1 VI_A MASTER 10
check "VI_B is master" wait_state lb1 VI_B MASTER 10
check "VI_C is master" wait_state lb1 VI_C MASTER 10
registered() {
	vsl lb1 'show status'
	contains "$OUT" "registered with unix:$AGENTX"
}
for _ in $(seq 50); do registered && break; sleep 0.2; done
check "show status: snmp registered" registered

KAD=".1.3.6.1.4.1.9586.100.5"
lacks() { ! contains "$1" "$2"; }
IFX=$(ifindex "$(ns lb1)" eth0)

# --- the instances' positions (vrrpInstanceTable): VI_A 1, VI_B 2, VI_C 3
sget "$KAD.2.3.1.2.1" "$KAD.2.3.1.2.2" "$KAD.2.3.1.2.3"
check "vrrpInstanceName 1, 2, 3 = VI_A, VI_B, VI_C" [ "$(echo $OUT)" = '"VI_A" "VI_B" "VI_C"' ]

# --- vrrpSyncGroupTable / vrrpSyncGroupMemberTable
sget "$KAD.2.1.1.2.1" "$KAD.2.1.1.3.1" "$KAD.2.1.1.5.1" "$KAD.2.1.1.6.1"
check "vrrpSyncGroup 1: G1, master(2), notify exec enabled(1), its notify_master ($(echo $OUT))" \
	[ "$(echo $OUT)" = '"G1" 2 1 "/bin/true group-master"' ]
check "show vrrp json: VI_B's sync group is G1" [ "$(jget lb1 VI_B sync_group)" = G1 ]
swalk "$KAD.2.2.1.2"
check "vrrpSyncGroupMemberName: VI_B, VI_C in order" \
	[ "$(printf '%s\n' "$OUT" | sed 's/.* = STRING: //' | tr '\n' ' ')" = '"VI_B" "VI_C" ' ]
check "vrrpSyncGroupMember indexes are group 1, members 1 and 2" \
	[ "$(printf '%s\n' "$OUT" | awk '{print $1}' | tr '\n' ' ')" = \
		"$KAD.2.2.1.2.1.1 $KAD.2.2.1.2.1.2 " ]

# --- vrrpScriptTable: chk_ok good once rise (2) runs passed; chk_bad bad
wait_good() {
	sget "$KAD.2.9.1.2.1" "$KAD.2.9.1.6.1" "$KAD.2.9.1.2.2" "$KAD.2.9.1.6.2"
	[ "$(echo $OUT)" = '"chk_ok" 3 "chk_bad" 2' ] || [ "$(echo $OUT)" = '"chk_bad" 2 "chk_ok" 3' ]
}
for _ in $(seq 50); do wait_good && break; sleep 0.2; done
check "vrrpScriptResult: chk_ok good(3), chk_bad bad(2) ($(echo $OUT))" wait_good
# which index is which script
sget "$KAD.2.9.1.2.1"
if [ "$OUT" = '"chk_ok"' ]; then OKI=1 BADI=2; else OKI=2 BADI=1; fi
sget "$KAD.2.9.1.3.$OKI" "$KAD.2.9.1.4.$OKI" "$KAD.2.9.1.5.$OKI" "$KAD.2.9.1.7.$OKI" \
	"$KAD.2.9.1.8.$OKI"
check "chk_ok: command, interval 1 s, weight 10, rise 2, fall 3 ($(echo $OUT))" \
	[ "$(echo $OUT)" = '"/bin/true" 1 10 2 3' ]
sget "$KAD.2.9.1.4.$BADI" "$KAD.2.9.1.5.$BADI"
check "chk_bad: interval 2 s, weight -20 ($(echo $OUT))" [ "$(echo $OUT)" = '2 -20' ]
check "show vrrp json agrees: chk_ok good, chk_bad bad" \
	[ "$(jget lb1 VI_A track_scripts.0.good) $(jget lb1 VI_A track_scripts.1.good)" = "True False" ]

# --- vrrpTrackedScriptTable: VI_A's two, with the weights in force
sget "$KAD.2.5.1.2.1.1" "$KAD.2.5.1.3.1.1" "$KAD.2.5.1.2.1.2" "$KAD.2.5.1.3.1.2"
check "vrrpTrackedScript VI_A: chk_ok 10 (its own), chk_bad -5 (the instance's) ($(echo $OUT))" \
	[ "$(echo $OUT)" = '"chk_ok" 10 "chk_bad" -5' ]
check "show vrrp json: the same weights" \
	[ "$(jget lb1 VI_A track_scripts.0.weight) $(jget lb1 VI_A track_scripts.1.weight)" = "10 -5" ]
swalk "$KAD.2.5.1.2.2"
check "VI_B tracks no script: no row" lacks "$OUT" "$KAD.2.5.1.2.2."

# --- vrrpAddressTable: VI_A's three addresses, VI_B's one
A="$KAD.2.6.1"
sget "$A.2.1.1" "$A.3.1.1" "$A.5.1.1" "$A.6.1.1" "$A.7.1.1" "$A.8.1.1" "$A.10.1.1" "$A.11.1.1"
check "address 1.1: ipv4 192.0.2.110/32 global ifIndex $IFX eth0 set advertised ($(echo $OUT))" \
	[ "$(echo $OUT)" = "1 \"C0 00 02 6E \" 32 14 $IFX \"eth0\" 1 1" ]
sget "$A.3.1.2" "$A.4.1.2" "$A.5.1.2" "$A.6.1.2" "$A.9.1.2"
check "address 1.2: 192.0.2.111/24 brd 192.0.2.255 linkLocal(2) label eth0:vip ($(echo $OUT))" \
	[ "$(echo $OUT)" = '"C0 00 02 6F " "C0 00 02 FF " 24 2 "eth0:vip"' ]
sget "$A.3.1.3" "$A.11.1.3"
check "address 1.3: the excluded 192.0.2.112 is notAdvertised(2) ($(echo $OUT))" \
	[ "$(echo $OUT)" = '"C0 00 02 70 " 2' ]
sget "$A.3.2.1" "$A.10.2.1" "$A.3.3.1"
check "address 2.1: VI_B's 192.0.2.120, set; 3.1: VI_C's ($(echo $OUT))" \
	[ "$(echo $OUT)" = '"C0 00 02 78 " 1 "C0 00 02 82 "' ]
check "show vrrp json: VI_A's first VIP 192.0.2.110/32, installed" \
	[ "$(jget lb1 VI_A vips.0.address) $(jget lb1 VI_A vips.0.installed)" = "192.0.2.110/32 True" ]
# (snmptable needs KEEPALIVED-MIB's text and the base MIBs it imports,
# which Debian does not ship: the rows are counted by a bulk walk.)
OUT=$(snmpbulkwalk -v2c -c public -On -Cr50 "$AGENT" "$A.3" 2>&1)
n=$(printf '%s\n' "$OUT" | grep -c ' = ')
check "vrrpAddressTable: 5 rows ($n)" [ "$n" -eq 5 ]

# --- virtualServerGroupTable / virtualServerGroupMemberTable (.3.1, .3.2)
G="$KAD.3.2.1"
sget "$KAD.3.1.1.2.1"
check "virtualServerGroupName 1 = VSG1 ($OUT)" [ "$OUT" = '"VSG1"' ]
sget "$G.2.1.1" "$G.4.1.1" "$G.5.1.1" "$G.8.1.1"
check "member 1.1: ip(2), ipv4, 192.0.2.200, port 80 ($(echo $OUT))" \
	[ "$(echo $OUT)" = '2 1 "C0 00 02 C8 " 80' ]
sget "$G.2.1.2" "$G.6.1.2" "$G.7.1.2" "$G.8.1.2"
check "member 1.2: iprange(3) 192.0.2.201 to 192.0.2.205, port 443 ($(echo $OUT))" \
	[ "$(echo $OUT)" = '3 "C0 00 02 C9 " "C0 00 02 CD " 443' ]

# --- the whole subtree, in order, by GETNEXT and by GETBULK
swalk "$KAD"
n=$(printf '%s\n' "$OUT" | grep -c ' = ')
in_order() { [ "$RC" -eq 0 ] && lacks "$OUT" "not increasing"; }
check "snmpwalk of KEEPALIVED-MIB: in order" in_order
check "snmpwalk of KEEPALIVED-MIB: $n objects (more than 60)" [ "$n" -gt 60 ]
OUT=$(snmpbulkwalk -v2c -c public -On -Cr30 "$AGENT" "$KAD" 2>&1)
RC=$?
m=$(printf '%s\n' "$OUT" | grep -c ' = ')
check "snmpbulkwalk: in order" in_order
check "snmpbulkwalk: the same $m objects" [ "$m" -eq "$n" ]

# --- reload: an address more; the sync group removed
conf "$T/lb1.conf" "192.0.2.113/32" no
vsl lb1 reload
check "reload accepted" [ "$RC" -eq 0 ]
check "the new address shows as 1.3, the excluded one moves to 1.4" \
	wait_sget "$A.3.1.3" '"C0 00 02 71 "' 5
swalk "$KAD.2.1"
check "the sync group's rows are gone" lacks "$OUT" "$KAD.2.1.1.2.1 ="
swalk "$KAD.2.2"
check "and its members'" lacks "$OUT" "$KAD.2.2.1.2.1."

vrrp_finish
