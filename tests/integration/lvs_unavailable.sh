#!/bin/sh
# Without IPVS in the kernel (this machine has none), softlbd starts with
# the seed's keepalived.conf, says "IPVS unavailable: load the ip_vs
# module" once, reports the LVS engine unavailable, answers the LVS
# commands 503 with that reason, and everything else works.
. "${top_srcdir:?}/tests/integration/lib.sh"

REASON="IPVS unavailable: load the ip_vs module"
if [ -d /sys/module/ip_vs ]; then
	skip "this kernel has IPVS loaded: the unavailable path cannot be shown here (the VM tests cover the engine)"
fi

start_daemon -f "$top_srcdir/tests/config/good/seed-keepalived.conf"

n=$(grep -c "$REASON" "$DAEMON_LOG")
check "the reason is logged exactly once (got $n)" [ "$n" -eq 1 ]

sl -c 'show status'
check "show status: lvs unavailable, with the reason" sh -c 'printf "%s\n" "$1" | grep -q "^lvs  *unavailable  *$2\$"' _ "$OUT" "$REASON"
check "show status: config and ctl still run" sh -c 'printf "%s\n" "$1" | grep -q "^config  *running" && printf "%s\n" "$1" | grep -q "^ctl  *running"' _ "$OUT"
sl --json -c 'show status'
check "show status json says the same" sh -c 'printf "%s" "$1" | python3 -c "
import json,sys
d=json.load(sys.stdin)
e=[x for x in d[\"engines\"] if x[\"name\"]==\"lvs\"][0]
assert e[\"state\"]==\"unavailable\" and e[\"detail\"]==sys.argv[1], e" "$2"' _ "$OUT" "$REASON"

for c in 'show lvs' 'show lvs stats' 'show lvs rate' 'show lvs timeout' 'show lvs daemon' \
	'show lvs connections' 'show virtual-server' 'show virtual-server 10.10.209.199:8180 tcp' \
	'clear lvs counters'; do
	out=$($CTLC "$SOCK" exec "$c")
	check "'$c' answers 503 with the reason" sh -c 'case "$1" in "503 "*"% $2"*) ;; *) exit 1 ;; esac' _ "$out" "$REASON"
done
out=$($CTLC "$SOCK" exec 'show lvs json')
check "'show lvs json' answers 503 with the reason in JSON" sh -c 'printf "%s" "$1" | sed 1d | python3 -c "import json,sys; assert json.load(sys.stdin)[\"error\"]==sys.argv[1]" "$2" && case "$1" in "503 "*) ;; *) exit 1 ;; esac' _ "$out" "$REASON"
sl -c 'show lvs'
check "softlb -c 'show lvs' fails (exit 1) and prints the reason" sh -c '[ "$1" -eq 1 ] && case "$2" in *"% $3"*) ;; *) exit 1 ;; esac' _ "$RC" "$OUT" "$REASON"

# Everything else works: configuration, runtime overrides, reload.
sl -c 'show running-config keepalived'
check "show running-config still works" sh -c '[ "$1" -eq 0 ] && case "$2" in *"virtual_server 10.10.209.199 8180"*) ;; *) exit 1 ;; esac' _ "$RC" "$OUT"
sl -c 'real-server 10.10.209.102:8180 of 10.10.209.199:8180 tcp drain'
check "a runtime drain is accepted (kept for when IPVS is there)" sh -c '[ "$1" -eq 0 ] && case "$2" in *draining*) ;; *) exit 1 ;; esac' _ "$RC" "$OUT"
sl -c 'reload'
check "reload applies (the LVS engine does not refuse)" [ "$RC" -eq 0 ]
sl -c 'configure' -c 'virtual-server 10.10.209.199:8180 tcp' -c 'real-server 10.10.209.150:8180 weight 5' -c 'end' -c 'show running-config keepalived'
check "a configure-mode edit applies" sh -c '[ "$1" -eq 0 ] && case "$2" in *"real_server 10.10.209.150 8180"*) ;; *) exit 1 ;; esac' _ "$RC" "$OUT"
check "softlbd is still alive" daemon_alive
n=$(grep -c "$REASON" "$DAEMON_LOG")
check "still one line about IPVS after reloads and edits (got $n)" [ "$n" -eq 1 ]

finish
