#!/bin/sh
# A vrrp_sync_group of two instances (VI_1, VI_2) in a lab of two softlbd:
# the members move together (a handover of one hands the group over; a
# takeover of one brings the other), one member in fault puts the whole
# group in fault, and the group's notify scripts run once per group
# transition with keepalived's arguments (GROUP NAME STATE).
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

VIP1=192.0.2.100
VIP2=192.0.2.101
lab_up lb1 lb2
# lb1's VI_2 tracks tr0, one end of a veth pair inside lb1: setting it
# down faults VI_2 alone, the way a second NIC failing would.
ip -n "$(ns lb1)" link add tr0 type veth peer name tr1
ip -n "$(ns lb1)" link set tr1 up
ip -n "$(ns lb1)" link set tr0 up

# conf FILE PRIORITY: group G of VI_1 (VRID 71) and VI_2 (VRID 72).
conf() {
	cat >"$1" <<EOC
vrrp_sync_group G {
    group {
        VI_1
        VI_2
    }
    notify $T/gnotify.sh
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 71
    priority $2
    advert_int 1
    virtual_ipaddress {
        $VIP1/32
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 72
    priority $2
    advert_int 1
    ${3:-}
    virtual_ipaddress {
        $VIP2/32
    }
}
EOC
}
printf '#!/bin/sh\necho "$*" >>%s/group.log\n' "$T" >"$T/gnotify.sh"
chmod 0755 "$T/gnotify.sh"
conf "$T/lb1.conf" 150 "track_interface {
        tr0
    }"
conf "$T/lb2.conf" 100

vd_start lb1 lb1 "$T/lb1.conf"
vd_start lb2 lb2 "$T/lb2.conf"
check "lb1: VI_1 master" wait_state lb1 VI_1 MASTER 8
check "lb1: VI_2 master" wait_state lb1 VI_2 MASTER 2
check "lb2: VI_1 backup" wait_state lb2 VI_1 BACKUP 2
check "lb2: VI_2 backup" wait_state lb2 VI_2 BACKUP 2
check "VIP1 on lb1" wait_vip lb1 $VIP1 2
check "VIP2 on lb1" wait_vip lb1 $VIP2 2
check "the group notify ran once for MASTER" \
	sh -c 'for _ in $(seq 30); do [ -s "$1" ] && break; sleep 0.1; done; [ "$(grep -c "GROUP G MASTER" "$1")" = 1 ]' _ "$T/group.log"

# -- one member in fault: the whole group is in fault, lb2 takes both
ip -n "$(ns lb1)" link set tr0 down
check "lb1: VI_2 in FAULT (tracked tr0 down)" wait_state lb1 VI_2 FAULT 3
check "lb1: VI_1 in FAULT with it" wait_state lb1 VI_1 FAULT 1
check "  and says why" contains "$(jget lb1 VI_1 transitions.-1.reason)" "sync group G: VI_2 is in fault"
check "lb2: VI_1 master" wait_state lb2 VI_1 MASTER 6
check "lb2: VI_2 master" wait_state lb2 VI_2 MASTER 2
check "VIP1 on lb2" wait_vip lb2 $VIP1 2
check "VIP2 on lb2" wait_vip lb2 $VIP2 2
check "lb1's group notify says FAULT" \
	sh -c 'for _ in $(seq 30); do grep -q "GROUP G FAULT" "$1" && exit 0; sleep 0.1; done; exit 1' _ "$T/group.log"
ip -n "$(ns lb1)" link set tr0 up
check "lb1: fault cleared, VI_1 preempts" wait_state lb1 VI_1 MASTER 8
check "lb1: VI_2 master too" wait_state lb1 VI_2 MASTER 2
check "lb2: VI_1 backup" wait_state lb2 VI_1 BACKUP 2
check "lb2: VI_2 backup" wait_state lb2 VI_2 BACKUP 2

# -- members move together: a handover of VI_1 hands over the group
vsl lb1 vrrp VI_1 handover
check "handover of VI_1: lb1's VI_2 goes backup too" [ "$(jget lb1 VI_2 state)" = BACKUP ]
check "lb2: VI_1 master" wait_state lb2 VI_1 MASTER 3
check "lb2: VI_2 master" wait_state lb2 VI_2 MASTER 2
sleep 4
check "lb1 takes neither back (VI_1)" [ "$(jget lb1 VI_1 state)" = BACKUP ]
check "lb1 takes neither back (VI_2)" [ "$(jget lb1 VI_2 state)" = BACKUP ]
check "VIP2 is on lb2" has_vip lb2 $VIP2
check "and not on lb1" no_vip lb1 $VIP2
# lb2 hands back one member; the group follows, and lb1 takes both.
vsl lb2 vrrp VI_2 handover
check "handover back: lb1 VI_1 master" wait_state lb1 VI_1 MASTER 3
check "handover back: lb1 VI_2 master" wait_state lb1 VI_2 MASTER 2
check "VIP1 is back on lb1" wait_vip lb1 $VIP1 2

vd_stop lb1
vd_stop lb2
vrrp_finish
