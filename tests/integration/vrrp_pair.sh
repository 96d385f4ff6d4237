#!/bin/sh
# Two softlbd on lab hosts lb1 and lb2 elect each other: election by
# priority, preemption both ways, nopreempt, kill -9 of the master, clean
# stop (priority 0: takeover within the skew time, not 3 intervals), and
# link down (fault). The VIP is checked where it must be, and where not.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

VIP=192.0.2.100
lab_up lb1 lb2

# conf FILE PRIORITY [EXTRA]: a v2 PASS instance VI_1 on eth0.
conf() {
	cat >"$1" <<EOC
global_defs {
    router_id $(basename "$1" .conf)
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int 1
    ${3:-}
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    virtual_ipaddress {
        $VIP/32
    }
}
EOC
}
# lb1 runs notify scripts: they append to one file, so their order shows.
printf '#!/bin/sh\necho "notify_master" >>%s/notify.log\n' "$T" >"$T/nm.sh"
printf '#!/bin/sh\necho "notify $*" >>%s/notify.log\n' "$T" >"$T/n.sh"
chmod 0755 "$T/nm.sh" "$T/n.sh"
conf "$T/lb1.conf" 150 "notify_master $T/nm.sh
    notify $T/n.sh"
conf "$T/lb2.conf" 100

# -- election
vd_start lb1 lb1 "$T/lb1.conf"
vd_start lb2 lb2 "$T/lb2.conf"
check "lb1 (priority 150) is elected master" wait_state lb1 VI_1 MASTER 8
check "lb2 (priority 100) is backup" wait_state lb2 VI_1 BACKUP 2
check "the VIP is on lb1" has_vip lb1 $VIP
check "and not on lb2" no_vip lb2 $VIP
check "lb2 knows lb1 as master" [ "$(jget lb2 VI_1 master)" = 192.0.2.2 ]
sleep 1.2
check "lb2 accepts lb1's adverts" [ "$(jget lb2 VI_1 stats.advertiseRcvd)" -gt 0 ]
check "  and drops none" [ "$(jget lb2 VI_1 stats.authFailures)$(jget lb2 VI_1 stats.checksumErrors)" = 00 ]
vsl lb1 show vrrp
check "show vrrp: one line with state, priority, VRID, master and VIP" \
	contains "$OUT" "MASTER   150/150     51 eth0       192.0.2.2                  $VIP/32"

# -- preemption, both ways, through the runtime priority override
check "lb1's notify scripts ran, in order: notify_master, then notify ... MASTER" \
	sh -c 'for _ in $(seq 50); do grep -q "MASTER" "$1" 2>/dev/null && break; sleep 0.1; done
		grep -A1 "^notify_master$" "$1" | grep -qx "notify INSTANCE VI_1 MASTER 150"' _ "$T/notify.log"

vsl lb2 vrrp VI_1 priority 200
check "operator raises lb2 to 200" contains "$OUT" "VI_1: priority 200"
check "lb2 preempts" wait_state lb2 VI_1 MASTER 6
check "lb1 steps down" wait_state lb1 VI_1 BACKUP 2
check "  and lb1's notify says BACKUP" sh -c 'for _ in $(seq 50); do tail -n 1 "$1" | grep -q "notify INSTANCE VI_1 BACKUP" && exit 0; sleep 0.1; done; cat "$1"; exit 1' _ "$T/notify.log"
check "the VIP moved to lb2" wait_vip lb2 $VIP 2
check "and left lb1" no_vip lb1 $VIP
vsl lb2 show vrrp VI_1
check "show vrrp NAME shows the override" contains "$OUT" "priority 200 (configured 100, override 200"
vsl lb2 vrrp VI_1 priority default
check "lb1 preempts back once lb2 returns to 100" wait_state lb1 VI_1 MASTER 6
check "the VIP is back on lb1" wait_vip lb1 $VIP 2
check "and gone from lb2" no_vip lb2 $VIP

# -- nopreempt: lb1 (150) comes back as backup and stays backup
conf "$T/lb1.conf" 150 nopreempt
vsl lb1 reload
check "reload with nopreempt keeps lb1 master" [ "$(jget lb1 VI_1 state)" = MASTER ]
vsl lb1 vrrp VI_1 disable
check "disable: lb1 sends priority 0" [ "$(jget lb1 VI_1 stats.priorityZeroPktsSent)" = 1 ]
check "lb2 takes over" wait_state lb2 VI_1 MASTER 3
vsl lb1 vrrp VI_1 enable
check "enabled lb1 is backup" wait_state lb1 VI_1 BACKUP 2
sleep 5
check "with nopreempt lb1 (150) stays backup to lb2 (100)" [ "$(jget lb1 VI_1 state)" = BACKUP ]
check "the VIP stays on lb2" has_vip lb2 $VIP
conf "$T/lb1.conf" 150
vsl lb1 reload
check "without nopreempt, lb1 preempts" wait_state lb1 VI_1 MASTER 6
check "lb2 is backup again" wait_state lb2 VI_1 BACKUP 2

# -- kill -9 of the master: the backup takes over after master-down
vd_stop lb1 KILL
t0=$(now_ms)
check "after kill -9 of lb1, lb2 becomes master" wait_state lb2 VI_1 MASTER 6
dt=$(($(now_ms) - t0))
echo "  takeover after kill -9: $dt ms (master-down interval $(jget lb2 VI_1 master_down_ms) ms)"
check "  no sooner than 3 intervals" [ "$dt" -ge 2500 ]
check "the VIP is on lb2" wait_vip lb2 $VIP 2
# A new softlbd on lb1 removes the VIP the killed one left, then preempts.
vd_start lb1 lb1 "$T/lb1.conf"
check "restarted lb1 preempts" wait_state lb1 VI_1 MASTER 6
check "lb2 steps down" wait_state lb2 VI_1 BACKUP 2
check "the VIP is on lb1 only" sh -c "ip -n $(ns lb2) addr show dev eth0 | grep -vq '$VIP/'"

# -- clean stop: priority 0, takeover after the skew time
sleep 1.5
t0=$(now_ms)
vd_stop lb1
check "lb2 takes over after lb1 stops cleanly" wait_state lb2 VI_1 MASTER 3
dt=$(($(now_ms) - t0))
echo "  takeover after a clean stop: $dt ms (skew $(jget lb2 VI_1 skew_ms) ms)"
check "  faster than 3 advert intervals" [ "$dt" -lt 2500 ]
check "lb2 counted the priority-0 advert" [ "$(jget lb2 VI_1 stats.priorityZeroPktsRcvd)" -ge 1 ]
check "lb1 removed the VIP when it stopped" no_vip lb1 $VIP
check "the VIP is on lb2" wait_vip lb2 $VIP 2

# -- handover by the operator
vd_start lb1 lb1 "$T/lb1.conf"
check "lb1 is master again" wait_state lb1 VI_1 MASTER 6
vsl lb1 vrrp VI_1 handover
check "handover: lb1 goes backup at once" [ "$(jget lb1 VI_1 state)" = BACKUP ]
check "lb2 takes over" wait_state lb2 VI_1 MASTER 3
sleep 4
check "lb1 does not take mastership straight back" [ "$(jget lb1 VI_1 state)" = BACKUP ]
vsl lb2 vrrp VI_1 handover
check "handover back: lb1 master" wait_state lb1 VI_1 MASTER 3

# -- link down: fault, and the other router takes over
ip -n "$(ns lb1)" link set eth0 down
check "lb1 with eth0 down is in FAULT" wait_state lb1 VI_1 FAULT 3
check "  and says why" [ "$(jget lb1 VI_1 fault)" = "interface eth0 is down" ]
check "lb2 takes over" wait_state lb2 VI_1 MASTER 6
check "the VIP is on lb2" wait_vip lb2 $VIP 2
ip -n "$(ns lb1)" link set eth0 up
check "lb1 leaves FAULT when eth0 is back" wait_state lb1 VI_1 BACKUP 3
check "and preempts" wait_state lb1 VI_1 MASTER 8
vsl lb1 show vrrp VI_1
check "show vrrp NAME lists the transitions with reasons" contains "$OUT" "MASTER -> FAULT: interface eth0 is down"

# -- an instance whose interface does not exist
conf "$T/lb1.conf" 150
sed -i 's/interface eth0/interface nosuch0/' "$T/lb1.conf"
vsl lb1 reload
check "an instance on a missing interface goes to FAULT" wait_state lb1 VI_1 FAULT 2
check "  and says why" [ "$(jget lb1 VI_1 fault)" = "interface nosuch0 does not exist" ]

vd_stop lb1
vd_stop lb2
vrrp_finish
