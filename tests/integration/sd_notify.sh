#!/bin/sh
# softlbd under Type=notify, without needing systemd as PID 1: this test
# plays systemd's side of the protocol (a datagram socket named by
# NOTIFY_SOCKET) and checks what softlbd tells it: READY=1 once the
# configuration is applied, RELOADING=1 then READY=1 around each reload
# (SIGHUP or the `reload` command), STATUS= with what runs or why a reload
# was refused, STOPPING=1 on SIGTERM; and that `softlb -c reload`, the
# unit's ExecReload, fails on a bad configuration, which is what makes
# `systemctl reload` report it.
. "${top_srcdir:?}/tests/integration/lib.sh"

grep -q '^#define HAVE_LIBSYSTEMD 1' "$top_builddir/config.h" ||
	skip "softlbd is built without libsystemd (configure found no libsystemd-dev)"

NOTES="$T/notify.log"
NSOCK="$T/notify.sock"
"$PYTHON" "$top_srcdir/tests/integration/sdnotify_listen.py" "$NSOCK" "$NOTES" 120 &
LISTENER=$!
at_exit "kill $LISTENER"
for _ in $(seq 50); do [ -S "$NSOCK" ] && break; sleep 0.1; done
[ -S "$NSOCK" ] || { echo "the notify listener did not start"; exit 99; }

# waits until the notify log has at least N lines matching PATTERN
wait_notes() {
	for _ in $(seq 100); do
		[ "$(grep -c -- "$2" "$NOTES")" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# A proxy on loopback: softlbd runs in a network namespace of its own
# (start_daemon), so the ports are its alone.
KAD="$T/keepalived.conf"
HAP="$T/haproxy.cfg"
printf 'global_defs {\n    router_id sdnotify\n}\n' >"$KAD"
cat >"$HAP" <<'CFG'
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
listen web
    bind 127.0.0.1:18080
    server s1 127.0.0.1:18081
CFG

NOTIFY_SOCKET=$NSOCK
export NOTIFY_SOCKET
start_daemon -f "$KAD" -p "$HAP"
unset NOTIFY_SOCKET

check "READY=1 once the configuration is applied" wait_notes 1 'READY=1'
check "with STATUS= saying what runs" \
	grep -q 'READY=1 | STATUS=0 VRRP instances, 0 virtual servers (0 real), 1 proxy (1 servers); 0 reloads' "$NOTES"

# A bad configuration, reloaded by SIGHUP: RELOADING=1, then READY=1 with
# the first error in STATUS=.
cp "$HAP" "$T/haproxy.good"
printf '    stick-table type ip size 1m\n' >>"$HAP"
kill -HUP "$DAEMON_PID"
check "SIGHUP: RELOADING=1" wait_notes 1 'RELOADING=1'
check "then READY=1 again" wait_notes 2 'READY=1'
check "STATUS= says the reload was refused and where" \
	grep -q "READY=1 | STATUS=reload refused (running the previous configuration): $HAP:9: 'stick-table'" "$NOTES"
check "RELOADING=1 comes before that READY=1" \
	sh -c 'grep -n "RELOADING=1\|READY=1" "$1" | tail -2 | head -1 | grep -q RELOADING' _ "$NOTES"

# ExecReload: softlb -c reload waits for the verdict and fails with it.
sl -c reload
check "softlb -c reload (ExecReload) exits 1 on a bad configuration" [ "$RC" -eq 1 ]
check "and prints where the error is" contains "$OUT" "$HAP:9:"
check "RELOADING=1 / READY=1 around it too" wait_notes 3 'READY=1'
check "the daemon still runs the previous configuration" daemon_alive

# A good one: applied, and STATUS= counts it.
cp "$T/haproxy.good" "$HAP"
printf '    server s2 127.0.0.1:18082\n' >>"$HAP"
sl -c reload
check "softlb -c reload exits 0 on a good configuration" [ "$RC" -eq 0 ]
check "READY=1 with the new state in STATUS=" wait_notes 1 \
	'READY=1 | STATUS=0 VRRP instances, 0 virtual servers (0 real), 1 proxy (2 servers); 1 reload$'
check "every reload was announced" wait_notes 3 'RELOADING=1'

stop_daemon
check "STOPPING=1 on SIGTERM" wait_notes 1 'STOPPING=1'
echo "--- what softlbd told systemd"
grep -v '^listening$' "$NOTES"
finish
