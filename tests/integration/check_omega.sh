#!/bin/sh
# keepalived's omega: with it on a virtual server, a real server that was
# up runs its notify_down when it goes away, removed by a reload or with
# softlbd stopping; a real server already down does not run it again, and
# a virtual server without omega runs nothing on the way out. MISC_CHECKs
# drive the state (no network needed).
. "${top_srcdir:?}/tests/integration/lib.sh"

cat >"$T/notify.sh" <<EOS
#!/bin/sh
echo "\$*" >>"$T/notify.log"
EOS
chmod +x "$T/notify.sh"
# rs NAME ADDR EXIT: a real server whose check exits EXIT.
rs() {
	cat <<EOC
    real_server $2 80 {
        notify_down "$T/notify.sh down $1"
        MISC_CHECK {
            misc_path "/bin/sh -c 'exit $3'"
            retry 0
            delay_loop 1
        }
    }
EOC
}
# conf WITH_RS3
conf() {
	{
		echo "virtual_server 192.0.2.100 80 {"
		echo "    lb_kind DR"
		echo "    protocol TCP"
		echo "    omega"
		rs rs1 192.0.2.21 0
		rs rs2 192.0.2.22 1
		[ "$1" = yes ] && rs rs3 192.0.2.23 0
		echo "}"
		echo "virtual_server 192.0.2.101 80 {"
		echo "    lb_kind DR"
		echo "    protocol TCP"
		rs rs4 192.0.2.24 0
		echo "}"
	} >"$T/keepalived.conf"
}
conf yes

log() {
	[ -f "$T/notify.log" ] && sort "$T/notify.log" | paste -sd'|'
}
# wait_log WANT: waits up to 10 s for the (sorted) log to be WANT.
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
check "rs2 fails: its notify_down runs" wait_log "down rs2"
sl -c "show checks"
check "  the others are up" sh -c '[ "$(printf "%s\n" "$1" | grep -c " UP ")" -ge 3 ]' _ "$OUT"

conf no
sl -c reload
check "reload without rs3 (omega): its notify_down runs" wait_log "down rs2|down rs3"
sleep 1
check "  and nothing else" [ "$(log)" = "down rs2|down rs3" ]

stop_daemon
check "softlbd stops: rs1 (up, omega) runs notify_down; rs2 (down) and rs4 (no omega) do not" \
	[ "$(log)" = "down rs1|down rs2|down rs3" ]
grep -q "notify_down .*(omega: softlbd stopping)" "$DAEMON_LOG" ||
	fail "the log names the omega notify_down"

finish
