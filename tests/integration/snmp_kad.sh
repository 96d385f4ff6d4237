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
# vrrpTrackedInterfaceTable and vrrpInstanceTrackPrimaryIf, besides,
# against keepalived's own subagent walking the same configuration;
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
# trk1, trk2, trk3: interfaces VI_A tracks (veth pairs, both ends up).
# Not its own eth0: keepalived ignores a track_interface that names the
# instance's own interface (it says so in its log), softlb applies it.
tracked_ifs() {
	for i in trk1 trk2 trk3; do
		ip -n "$1" link add "$i" type veth peer name "${i}p" &&
			ip -n "$1" link set "$i" up && ip -n "$1" link set "${i}p" up || return 1
	done
}
tracked_ifs "$(ns lb1)" || fail "cannot make the tracked interfaces"

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
    track_interface {
        trk1 weight 5
        trk2
        trk3 weight -10
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
    dont_track_primary
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

# --- vrrpTrackedInterfaceTable: VI_A's three, by instance and position
swalk "$KAD.2.4"
all_vi_a() {
	[ "$(printf '%s\n' "$OUT" | grep -c ' = ')" -eq 9 ] &&
		[ "$(printf '%s\n' "$OUT" | grep -c "^$KAD.2.4.1.[123].1.[123] = ")" -eq 9 ]
}
check "vrrpTrackedInterface: 9 objects, all VI_A's (instance 1, positions 1-3)" all_vi_a
sget "$KAD.2.4.1.1.1.1" "$KAD.2.4.1.2.1.1" "$KAD.2.4.1.1.1.2" "$KAD.2.4.1.2.1.2" \
	"$KAD.2.4.1.1.1.3" "$KAD.2.4.1.2.1.3" "$KAD.2.4.1.3.1.3"
check "tracked interfaces 1.1-1.3: trk1 5, trk2 0, trk3 -10, WgtRev false(2) ($(echo $OUT))" \
	[ "$(echo $OUT)" = '"trk1" 5 "trk2" 0 "trk3" -10 2' ]
check "show vrrp json: the same names and weights" \
	[ "$(jget lb1 VI_A tracked_interfaces.0.interface) $(jget lb1 VI_A tracked_interfaces.0.weight) $(jget lb1 VI_A tracked_interfaces.2.interface) $(jget lb1 VI_A tracked_interfaces.2.weight)" = "trk1 5 trk3 -10" ]
sget "$KAD.2.3.1.11.1" "$KAD.2.3.1.11.2" "$KAD.2.3.1.11.3"
check "vrrpInstanceTrackPrimaryIf: VI_A, VI_B tracked(1), VI_C (dont_track_primary) notTracked(2) ($(echo $OUT))" \
	[ "$(echo $OUT)" = '1 1 2' ]

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

# --- beside keepalived: the same configuration in keepalived (VRRP
# only), in a namespace of its own with the same interfaces and its own
# snmpd; the tracked-interface tables, the sync-group one (.2.14: no
# rows, softlb has no track_interface in a sync group) and
# vrrpInstanceTrackPrimaryIf walked through both must be the same.
KEEPALIVED=$(command -v keepalived || echo /usr/sbin/keepalived)
if [ -x "$KEEPALIVED" ]; then
	KNS="kasnmp$$"
	ip netns add "$KNS" || fail "cannot make namespace $KNS"
	at_exit "ip netns del $KNS"
	ip -n "$KNS" link set lo up
	ip -n "$KNS" link add eth0 type veth peer name eth0p
	ip -n "$KNS" link set eth0 up
	ip -n "$KNS" link set eth0p up
	ip -n "$KNS" addr add 192.0.2.10/24 dev eth0
	tracked_ifs "$KNS" || fail "cannot make the tracked interfaces for keepalived"
	KAGENT="127.0.0.1:$(free_udp_port)"
	mkdir -p "$T/ka-persist"
	cat >"$T/ka-snmpd.conf" <<EOC
agentaddress udp:$KAGENT
master agentx
agentXSocket unix:$T/ka-agentx.sock
agentXPerms 0600 0700
rocommunity public 127.0.0.1
EOC
	SNMP_PERSISTENT_DIR="$T/ka-persist" "$SNMPD" -f -C -c "$T/ka-snmpd.conf" \
		-Lf "$T/ka-snmpd.log" -p "$T/ka-snmpd.pid" >>"$T/ka-snmpd.out" 2>&1 &
	at_exit "kill -9 $! 2>/dev/null"
	sed "s|unix:$AGENTX|unix:$T/ka-agentx.sock|" "$T/lb1.conf" >"$T/ka.conf"
	ip netns exec "$KNS" "$KEEPALIVED" -n -l -D -P -f "$T/ka.conf" \
		-p "$T/ka.pid" -r "$T/ka-vrrp.pid" >>"$T/keepalived.log" 2>&1 &
	at_exit "kill -9 $! 2>/dev/null; [ -s $T/ka-vrrp.pid ] && kill -9 \$(cat $T/ka-vrrp.pid) 2>/dev/null"
	# walk AGENT: the tracked-interface tables and VI_A's and VI_C's
	# vrrpInstanceTrackPrimaryIf, one "OID = value" a line. (Not VI_B's:
	# keepalived 2.2.7 answers whether the instance has a track_interface
	# list, notTracked(2) for VI_B, which tracks its interface but lists
	# none; softlbd answers the MIB's question, checked above.)
	walk3() {
		for o in "$KAD.2.4" "$KAD.2.14"; do
			snmpwalk -v2c -c public -On -t 2 -r 1 "$1" "$o" 2>&1 | grep ' = ' |
				grep -v 'No Such'
		done
		snmpget -v2c -c public -On -t 2 -r 1 "$1" "$KAD.2.3.1.11.1" "$KAD.2.3.1.11.3" 2>&1
	}
	ka_up() { [ "$(walk3 "$KAGENT" | grep -c "^$KAD.2.4.1.1.")" -eq 3 ]; }
	for _ in $(seq 100); do ka_up && break; sleep 0.2; done
	check "keepalived serves its tracked interfaces" ka_up
	walk3 "$AGENT" >"$T/walk-softlb"
	walk3 "$KAGENT" >"$T/walk-keepalived"
	same_walk() {
		cmp -s "$T/walk-softlb" "$T/walk-keepalived" && return 0
		diff "$T/walk-keepalived" "$T/walk-softlb" | sed 's/^/  keepalived < > softlbd: /'
		return 1
	}
	check "the same walk from softlbd and keepalived ($(wc -l <"$T/walk-softlb") objects)" same_walk
else
	echo "note: keepalived is not installed: no side-by-side walk (scripts/deps installs it)"
fi

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
