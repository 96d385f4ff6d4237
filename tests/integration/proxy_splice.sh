#!/bin/sh
# mode tcp with option splice-*, in a netns lab: 24 MB each way with a
# half-close (the server answers only after the client's end of stream),
# intact through splice-request, splice-response, splice-auto and both,
# and without splice; pipes are really used (the daemon holds pipes
# afterwards, kept for reuse) and bounded by maxpipes.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

BULK="$top_srcdir/tests/integration/bulk_peer.py"

lab_up client lb1 rs1
use_lb1
bg_on rs1 "$PYTHON" "$BULK" serve 192.0.2.21 9000

cat >"$T/haproxy.cfg" <<'EOC'
global
    nbthread 1
    maxpipes 4

defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s

listen plain
    bind 192.0.2.2:80
    server s 192.0.2.21:9000

listen req
    bind 192.0.2.2:81
    option splice-request
    server s 192.0.2.21:9000

listen rsp
    bind 192.0.2.2:82
    option splice-response
    server s 192.0.2.21:9000

listen auto
    bind 192.0.2.2:83
    option splice-auto
    server s 192.0.2.21:9000

listen both
    bind 192.0.2.2:84
    option splice-request
    option splice-response
    server s 192.0.2.21:9000
EOC
start_daemon -f /dev/null -p "$T/haproxy.cfg"
wait_port 192.0.2.21 9000 || exit 99
wait_port 192.0.2.2 80 || exit 99

pipes() { # pipe descriptors softlbd holds
	ls -l "/proc/$DAEMON_PID/fd" 2>/dev/null | grep -c 'pipe:'
}

MB=24000000
base=$(pipes)
for p in 80:plain 83:splice-auto 81:splice-request 82:splice-response 84:both; do
	OUT=$(on client "$PYTHON" "$BULK" send 192.0.2.2 "${p%%:*}" $MB $MB)
	check "${p#*:}: 24 MB each way with a half-close, intact" contains "$OUT" "intact 1"
	case ${p#*:} in
	plain) check "  no pipe used" [ "$(pipes)" -eq "$base" ] ;;
	splice-auto) check "  a bulk transfer moved to pipes (kept for reuse afterwards)" \
		[ "$(pipes)" -gt "$base" ] ;;
	esac
done

OUT=$(on client "$PYTHON" "$BULK" send 192.0.2.2 84 4000000 4000000 6)
check "6 transfers at once with maxpipes 4: all intact (those without a pipe copy)" \
	contains "$OUT" "intact 6"
check "  and no more than 4 pipes kept" [ "$(pipes)" -le $((base + 8)) ]

OUT=$(on client "$PYTHON" "$BULK" send 192.0.2.2 84 0 1000000)
check "an empty upload (immediate half-close) and a download" contains "$OUT" "intact 1"
check "softlbd alive" daemon_alive

finish
