#!/bin/sh
# track_script in a lab of two softlbd: lb1 (priority 150) tracks a
# vrrp_script that tests for a file the test creates and removes. With a
# negative weight a failing script lowers lb1 below lb2 (100) and
# mastership moves; with weight 0 a failing script puts lb1 in FAULT. On
# the way, notify_stop runs when softlbd stops cleanly, softlbd waits for a
# slow one, and ignores a SIGHUP while it waits.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

VIP=192.0.2.100
lab_up lb1 lb2

# conf FILE PRIORITY WEIGHT [EXTRA]: instance VI_1 tracking chk_up.
conf() {
	cat >"$1" <<EOC
vrrp_script chk_up {
    script "/usr/bin/test -e $T/$(basename "$1" .conf).up"
    interval 0.2
    # timeout: a loaded machine may take longer than the interval to
    # start a shell; a timeout would count as a failure.
    timeout 5
    fall 2
    rise 2
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 61
    priority $2
    advert_int 1
    ${4:-}
    track_script {
        chk_up weight $3
    }
    virtual_ipaddress {
        $VIP/32
    }
}
EOC
}
printf '#!/bin/sh\necho "stop $*" >>%s/notify.log\n' "$T" >"$T/stop.sh"
chmod 0755 "$T/stop.sh"
touch "$T/lb1.up"
conf "$T/lb1.conf" 150 -60 "notify_stop \"$T/stop.sh VI_1\""
conf "$T/lb2.conf" 100 0
# lb2 tracks its own file, there throughout.
touch "$T/lb2.up"

vd_start lb1 lb1 "$T/lb1.conf"
vd_start lb2 lb2 "$T/lb2.conf"
check "lb1 (150) is master" wait_state lb1 VI_1 MASTER 8
check "lb2 (100) is backup" wait_state lb2 VI_1 BACKUP 2
sleep 0.5
check "lb1's track script ran and is good" \
	[ "$(jget lb1 VI_1 track_scripts.0.good)" = True ]
check "  more than once" [ "$(jget lb1 VI_1 track_scripts.0.runs)" -ge 2 ]

# -- a failing script with weight -60: 150 - 60 = 90 < 100
rm -f "$T/lb1.up"
check "the script fails: lb1's priority drops to 90" wait_prio lb1 VI_1 90 3
vsl lb1 show vrrp VI_1
check "show vrrp NAME shows the script failed" contains "$OUT" "track script chk_up weight -60: failed"
check "lb2 preempts" wait_state lb2 VI_1 MASTER 6
check "lb1 steps down" wait_state lb1 VI_1 BACKUP 2
check "the VIP moved to lb2" wait_vip lb2 $VIP 2

# -- it succeeds again: 150, lb1 preempts back
touch "$T/lb1.up"
check "the script succeeds again: lb1 back to 150" wait_prio lb1 VI_1 150 3
check "lb1 preempts back" wait_state lb1 VI_1 MASTER 6
check "the VIP is back on lb1" wait_vip lb1 $VIP 2

# -- weight 0: a failure means fault
conf "$T/lb1.conf" 150 0 "notify_stop \"$T/stop.sh VI_1\""
vsl lb1 reload
check "reload to weight 0 keeps lb1 master" [ "$(jget lb1 VI_1 state)" = MASTER ]
rm -f "$T/lb1.up"
check "the script fails: lb1 goes to FAULT" wait_state lb1 VI_1 FAULT 3
check "  and says why" [ "$(jget lb1 VI_1 fault)" = "track script chk_up failed" ]
check "lb2 takes over" wait_state lb2 VI_1 MASTER 6
touch "$T/lb1.up"
check "the script succeeds: lb1 leaves FAULT and preempts" wait_state lb1 VI_1 MASTER 8

# -- notify_stop on a clean stop, and the priority-0 advert
vd_stop lb1
check "notify_stop ran when softlbd stopped" grep -qx "stop VI_1" "$T/notify.log"
check "lb2 took over at once (priority 0)" wait_state lb2 VI_1 MASTER 2
check "lb2 counted the priority-0 advert" [ "$(jget lb2 VI_1 stats.priorityZeroPktsRcvd)" -ge 1 ]

# A slow notify_stop: softlbd waits for it, and a SIGHUP meanwhile is
# ignored rather than reloading engines that already stopped.
printf '#!/bin/sh\nsleep 1\necho "slow stop $*" >>%s/notify.log\n' "$T" >"$T/slow.sh"
chmod 0755 "$T/slow.sh"
conf "$T/lb2.conf" 100 0 "notify_stop \"$T/slow.sh VI_1\""
vsl lb2 reload
p2=$(vd_pid lb2)
kill -TERM "$p2"
sleep 0.5
kill -HUP "$p2"
wait "$p2"
rc=$?
eval "VD_PID_lb2="
check "softlbd exits 0 after a SIGHUP while stopping" [ "$rc" -eq 0 ]
check "  it ignored the SIGHUP" grep -q "SIGHUP: ignored, softlbd is stopping" "$T/lb2.log"
check "  and waited for the slow notify_stop" grep -qx "slow stop VI_1" "$T/notify.log"
vrrp_finish
