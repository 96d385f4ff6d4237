#!/bin/sh
# MISC_CHECK through the script helper: exit 0 / 1 / dynamic codes, the
# first line of output in the reason, and a script that hangs and ignores
# SIGTERM: killed on time, and the next run happens. Scripts run on the
# local host only (no network), so no lab is needed.
. "${top_srcdir:?}/tests/integration/lib.sh"

CODE="$T/code"
echo 0 >"$CODE"
cat >"$T/probe.sh" <<EOS
#!/bin/sh
c=\$(cat "$CODE")
echo "probe says \$c"
echo "second line" >&2
exit "\$c"
EOS
cat >"$T/stubborn.sh" <<EOS
#!/bin/sh
trap '' TERM
echo "started \$(date +%s%N)" >>"$T/stubborn.log"
while :; do sleep 0.05; done
EOS
cat >"$T/env.sh" <<'EOS'
#!/bin/sh
# The environment must be PATH only, fds 0-2 only (dash itself keeps
# this script open on fd 10).
n=$(env | grep -v -e '^PWD=' -e '^SHLVL=' -e '^_=' | wc -l)
for i in 3 4 5 6 7 8 9 11 12 13 14 15 16; do [ -e /proc/$$/fd/$i ] && { echo "fd $i open"; exit 1; }; done
[ "$n" -eq 1 ] && [ "$PATH" = /usr/sbin:/usr/bin:/sbin:/bin ] || { echo "env: $(env | tr '\n' ' ')"; exit 1; }
echo clean
EOS
chmod +x "$T/probe.sh" "$T/stubborn.sh" "$T/env.sh"
cat >"$T/keepalived.conf" <<EOC
virtual_server 192.0.2.100 80 {
    lb_kind DR
    protocol TCP
    real_server 192.0.2.21 80 {
        MISC_CHECK {
            misc_path "$T/probe.sh"
            misc_timeout 10
            misc_dynamic
            retry 0
            delay_loop 1
        }
    }
    real_server 192.0.2.22 80 {
        MISC_CHECK {
            misc_path "$T/stubborn.sh"
            misc_timeout 1
            retry 0
            delay_loop 1
        }
    }
    real_server 192.0.2.23 80 {
        MISC_CHECK {
            misc_path "$T/env.sh"
            misc_timeout 10
            delay_loop 1
        }
    }
}
EOC
: >"$T/haproxy.cfg"
P=192.0.2.100:80/192.0.2.21:80/misc
S=192.0.2.100:80/192.0.2.22:80/misc
E=192.0.2.100:80/192.0.2.23:80/misc

start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"

check "exit 0 is UP, with the first line of output" wait_check "$P" UP "script exited 0: probe says 0" 15
check "the script sees PATH only and fds 0-2 only" wait_check "$E" UP "script exited 0: clean" 15
echo 1 >"$CODE"
check "exit 1 is DOWN: 'script exited 1: <first line>'" wait_check "$P" DOWN "script exited 1: probe says 1" 15
check "  with code PROCERR" [ "$(field "$P" code)" = PROCERR ]
echo 7 >"$CODE"
check "misc_dynamic exit 7 is UP with weight 5" wait_check "$P" UP "script exited 7: weight 5" 15
check "  the weight is shown" [ "$(field "$P" weight)" = 5 ]
sl -c "show events check $P"
check "  and the weight change is an event" contains "$OUT" "weight 5 (misc_dynamic)"
echo 2 >"$CODE"
check "misc_dynamic exit 2 is weight 0" wait_check "$P" UP "weight 0" 15

check "a hanging script that ignores SIGTERM is DOWN, killed" \
	wait_check "$S" DOWN "script timed out after 1 s (killed by SIGKILL)" 6
check "  with code PROCTOUT" [ "$(field "$S" code)" = PROCTOUT ]
lat=$(field "$S" latency_ms)
check "  killed on time: timeout 1 s + 1 s grace ($lat ms)" sh -c '[ "$1" -ge 1900 ] && [ "$1" -le 3500 ]' _ "$lat"
sleep 4
runs=$(wc -l <"$T/stubborn.log")
check "  and the next runs happen ($runs started)" [ "$runs" -ge 2 ]
check "  never two at once" sh -c '[ "$(pgrep -x stubborn.sh | wc -l)" -le 1 ]'

# Stopping softlbd leaves no script behind.
sl --json -c 'show status'
helper=$(printf '%s' "$OUT" | sed -n 's/.*helper pid \([0-9]*\).*/\1/p' | head -n 1)
check "show status names the script helper ($helper)" [ -n "$helper" ]
stop_daemon
sleep 0.3
check "no script left running after softlbd stops" sh -c '! pgrep -x stubborn.sh >/dev/null'
check "no script helper left either" sh -c '! kill -0 "$1" 2>/dev/null' _ "$helper"

if [ "$FAILED" -ne 0 ]; then
	echo "$FAILED check(s) failed"
	cat "$DAEMON_LOG"
	exit 1
fi
exit 0
