#!/bin/sh
# enable_script_security, as keepalived enforces it: a script that runs as
# root from a path someone else can write (a world-writable directory, a
# file writable by a non-root group, a file owned by another user) is not
# run, and the reason, with the path, is logged once and shown where the
# script's result is shown (show vrrp NAME, show check). A root-owned
# 0755 script in root-owned directories runs. Without the option the same
# scripts run and softlbd warns once. Checked for a track script, a notify
# script and a MISC_CHECK: they all go through the one script runner.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

lab_up lb1

# $T is root's 0755 and /tmp is sticky: safe. $T/ww is world-writable.
mkdir "$T/ww"
chmod 0777 "$T/ww"
mk() {
	printf '#!/bin/sh\necho "%s ran" >>%s/ran.log\nexit 0\n' "$(basename "$1")" "$T" >"$1"
	chmod 0755 "$1"
}
mk "$T/good.sh"
mk "$T/ww/bad.sh"
mk "$T/ww/notify.sh"
mk "$T/grp.sh"
chgrp 65534 "$T/grp.sh"
chmod 0775 "$T/grp.sh"
mk "$T/own.sh"
chown 65534 "$T/own.sh"

conf() {
	cat >"$T/lb1.conf" <<EOC
global_defs {
    $1
}
vrrp_script chk_good {
    script "$T/good.sh"
    interval 1
    timeout 10
}
vrrp_script chk_bad {
    script "$T/ww/bad.sh"
    interval 1
    timeout 10
    weight -50
}
vrrp_script chk_grp {
    script "$T/grp.sh"
    interval 1
    timeout 10
    weight -10
}
vrrp_script chk_own {
    script "$T/own.sh"
    interval 1
    timeout 10
    weight -2
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 71
    priority 150
    advert_int 1
    notify_master "$T/ww/notify.sh master"
    track_script {
        chk_good weight 0
        chk_bad
        chk_grp
        chk_own
    }
    virtual_ipaddress {
        192.0.2.100/32
    }
}
virtual_server 192.0.2.100 80 {
    lb_kind DR
    real_server 192.0.2.21 80 {
        MISC_CHECK {
            misc_path "$T/good.sh"
            delay_loop 1
        }
    }
    real_server 192.0.2.22 80 {
        MISC_CHECK {
            misc_path "$T/ww/bad.sh"
            delay_loop 1
        }
    }
}
EOC
}
check_field() {
	"$SOFTLB" -s "$T/lb1.sock" --json -c "show check $1" 2>/dev/null |
		"$PYTHON" -c 'import json,sys
try:
    print(json.load(sys.stdin).get(sys.argv[1], ""))
except Exception:
    print("")' "$2"
}
wait_reason() {
	_n=0
	while [ "$_n" -lt $(($3 * 10)) ]; do
		contains "$(check_field "$1" reason)" "$2" && return 0
		sleep 0.1
		_n=$((_n + 1))
	done
	echo "  $1: reason '$(check_field "$1" reason)'"
	return 1
}

conf enable_script_security
vd_start lb1 lb1 "$T/lb1.conf"
# 150 - 50 (bad) - 10 (grp) - 2 (own): the unsafe ones count as failed.
check "the unsafe track scripts fail, lowering the priority to 88" wait_prio lb1 VI_1 88 5
check "the safe one (root's, 0755) runs and is good" \
	[ "$(jget lb1 VI_1 track_scripts.0.good)" = True ]
check "  so the instance is not in fault" wait_state lb1 VI_1 MASTER 5
check "  it ran" grep -q "good.sh ran" "$T/ran.log"
check "no unsafe script ran" sh -c '! grep -q -e bad.sh -e grp.sh -e own.sh -e notify.sh "$1"' _ "$T/ran.log"
vsl lb1 show vrrp VI_1
check "show vrrp NAME: a world-writable directory" \
	contains "$OUT" "unsafe permissions: $T/ww/bad.sh: $T/ww is writable by everyone"
check "show vrrp NAME: a group-writable file" \
	contains "$OUT" "unsafe permissions: $T/grp.sh: $T/grp.sh is writable by group 65534"
check "show vrrp NAME: a file owned by another user" \
	contains "$OUT" "unsafe permissions: $T/own.sh: $T/own.sh is owned by uid 65534, not root"
check "MISC_CHECK: the safe script makes the server UP" \
	wait_reason 192.0.2.100:80/192.0.2.21:80/misc "exited 0" 5
check "MISC_CHECK: the unsafe one is refused, with the reason" \
	wait_reason 192.0.2.100:80/192.0.2.22:80/misc "unsafe permissions: $T/ww/bad.sh" 5
sleep 1
check "the refusal of bad.sh is logged once, with its path (3 users, many runs)" \
	[ "$(grep -c "not run: $T/ww/bad.sh:" "$T/lb1.log")" -eq 1 ]
check "the notify_master script was refused and logged" \
	grep -q "not run: $T/ww/notify.sh: $T/ww is writable by everyone" "$T/lb1.log"

# Without enable_script_security: they run, with one warning each.
conf ""
vsl lb1 reload
check "without the option the scripts run: priority back to 150" wait_prio lb1 VI_1 150 5
sleep 1
check "  bad.sh ran" grep -q "bad.sh ran" "$T/ran.log"
check "  and softlbd warned once, with the path" \
	[ "$(grep -c "SECURITY VIOLATION.*: $T/ww/bad.sh:" "$T/lb1.log")" -eq 1 ]

vd_stop lb1
if [ "$FAILED" -ne 0 ]; then
	echo "$FAILED check(s) failed"
	cat "$T/lb1.log"
	exit 1
fi
exit 0
