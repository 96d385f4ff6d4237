#!/bin/sh
# maxconn derived from the file limit when the configuration sets none
# (as HAProxy does): softlbd runs with `ulimit -n 300`, so maxconn is
# (300 - 100 kept aside - 1 listener) / 2 = 99. Of 150 clients at once
# exactly 99 are served and the rest wait in the accept queue: no
# descriptor runs out (no EMFILE in the log), the control socket still
# answers; once they leave, new clients are served again.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

HOLD="$top_srcdir/tests/integration/conn_hold.py"

lab_up client lb1 rs1
cat >"$T/softlbd-lb1" <<EOS
#!/bin/sh
ulimit -n 300 || exit 1
exec ip netns exec $LAB-lb1 "$top_builddir/softlbd" "\$@"
EOS
chmod +x "$T/softlbd-lb1"
SOFTLBD="$T/softlbd-lb1"
bg_on rs1 "$PYTHON" "$HOLD" serve 192.0.2.21 9000

cat >"$T/haproxy.cfg" <<'EOC'
global
    nbthread 1

defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen hold
    bind 192.0.2.2:80
    server s 192.0.2.21:9000
EOC
start_daemon -f /dev/null -p "$T/haproxy.cfg"
check "softlbd runs with a file limit of 300" \
	[ "$(awk '/Max open files/ { print $4 }' "/proc/$DAEMON_PID/limits")" = 300 ]
wait_port 192.0.2.21 9000 || exit 99

on client "$PYTHON" "$HOLD" open 192.0.2.2 80 150 8 >"$T/hold.out" 2>&1 &
hold_pid=$!
sleep 4
sl -c 'show proxy'
check "the control socket answers while the proxy is full" [ "$RC" -eq 0 ]
wait "$hold_pid"
OUT=$(cat "$T/hold.out")
echo "$OUT" | sed 's/^/  /'
check "150 clients at once: 99 served (maxconn derived from ulimit -n 300)" \
	contains "$OUT" "answered 99"
check "no descriptor ran out (no EMFILE)" sh -c '! grep -qi "too many open files" "$1"' _ "$DAEMON_LOG"
check "softlbd alive" daemon_alive
OUT=$(on client "$PYTHON" "$HOLD" open 192.0.2.2 80 50 8)
check "after they left, new clients are served" contains "$OUT" "answered 50"

finish
