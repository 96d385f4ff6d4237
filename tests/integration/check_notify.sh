#!/bin/sh
# notify_up / notify_down of a keepalived real_server, run through the
# script helper when the real server as a whole changes state: with two
# checkers, notify_down once when the first fails, notify_up only when the
# last recovers; arguments are split as keepalived splits them; a reload
# that changes only the scripts keeps the checks' state and runs the new
# ones. MISC_CHECKs drive the state (no network needed).
. "${top_srcdir:?}/tests/integration/lib.sh"

echo 0 >"$T/c1"
echo 0 >"$T/c2"
cat >"$T/probe.sh" <<EOS
#!/bin/sh
exit "\$(cat "\$1")"
EOS
cat >"$T/notify.sh" <<EOS
#!/bin/sh
echo "\$*" >>"$T/notify.log"
EOS
chmod +x "$T/probe.sh" "$T/notify.sh"
conf() {
	cat >"$T/keepalived.conf" <<EOC
virtual_server 192.0.2.100 80 {
    lb_kind DR
    protocol TCP
    real_server 192.0.2.21 80 {
        notify_up "$T/notify.sh up"
        notify_down "$T/notify.sh $1 'two words'"
        MISC_CHECK {
            misc_path "$T/probe.sh $T/c1"
            retry 0
            delay_loop 1
            misc_timeout 10
        }
        MISC_CHECK {
            misc_path "$T/probe.sh $T/c2"
            retry 0
            delay_loop 1
            misc_timeout 10
        }
    }
}
EOC
}
conf down
A=192.0.2.100:80/192.0.2.21:80/misc
B=192.0.2.100:80/192.0.2.21:80/misc#2

wait_state() {
	n=0
	while [ "$n" -lt 150 ]; do
		[ "$(field "$1" state)" = "$2" ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	echo "  $1 not $2 after 15 s"
	return 1
}
# The notify log, lines joined by '|' ('' when none ran yet).
log() {
	[ -f "$T/notify.log" ] && paste -sd'|' "$T/notify.log"
}
# wait_log WANT: waits up to 10 s for the log to be WANT.
wait_log() {
	n=0
	while [ "$n" -lt 100 ]; do
		[ "$(log)" = "$1" ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	echo "  notify log '$(log)', wanted '$1'"
	return 1
}

start_daemon -f "$T/keepalived.conf" -p /dev/null
sleep 2.5
st="$(field "$A" state) $(field "$B" state)"
check "both checkers UP ($st), no script at start ('$(log)')" \
	sh -c '[ "$1" = "UP UP" ] && [ ! -e "$2" ]' _ "$st" "$T/notify.log"

echo 1 >"$T/c1"
check "first checker fails: real server DOWN" wait_state "$A" DOWN
check "  notify_down ran once, with its arguments" wait_log "down two words"
echo 1 >"$T/c2"
check "second checker fails too" wait_state "$B" DOWN
sleep 1.5
check "  no second notify_down" [ "$(log)" = "down two words" ]
echo 0 >"$T/c1"
check "first recovers, second still down" wait_state "$A" UP
sleep 1.5
check "  no notify_up yet" [ "$(log)" = "down two words" ]
echo 0 >"$T/c2"
check "second recovers: real server UP" wait_state "$B" UP
check "  notify_up ran" wait_log "down two words|up"

runs=$(field "$A" runs)
conf down2
sl -c reload
check "reload with a new notify_down" [ "$RC" -eq 0 ]
check "  keeps the check (runs $runs -> $(field "$A" runs))" [ "$(field "$A" runs)" -ge "$runs" ]
echo 1 >"$T/c2"
check "  and the next failure runs the new script" wait_log "down two words|up|down2 two words"

finish
