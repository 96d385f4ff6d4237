#!/bin/sh
# The configuration issue's "done when", end to end on the seed's own
# files: softlbd -t passes with warnings and the right summary; a shell
# session adds a real server to the seed's virtual server, sees it in
# show running-config, saves it with write memory; a reload then changes
# nothing, and the saved files load to the same summary plus that server.
. "${top_srcdir:?}/tests/integration/lib.sh"

seed="$top_srcdir/tests/config/good"
KAD="$T/keepalived.conf"
HAP="$T/haproxy.cfg"
cp "$seed/seed-keepalived.conf" "$KAD"
cp "$seed/seed-haproxy.cfg" "$HAP"

out=$("$SOFTLBD" -t -f "$KAD" -p "$HAP" 2>"$T/t.err"); rc=$?
check "softlbd -t on the seed passes" [ "$rc" -eq 0 ]
check "  with the summary" contains "$out" \
	"1 VRRP instances (1 sync groups), 1 virtual servers with 2 real servers, 4 proxies with 4 servers, 11 warnings"
check "  and its 11 warnings" [ "$(grep -c ': warning: ' "$T/t.err")" -eq 11 ]

start_daemon -f "$KAD" -p "$HAP"
sl -c configure -c 'virtual-server 10.10.209.199:8180 tcp' -c 'real-server 10.10.209.150:8180 weight 50' -c end
check "a shell session adds a real server to the seed's virtual server" [ "$RC" -eq 0 ]
check "  as one change" [ "$OUT" = "+ real-server TCP 10.10.209.199:8180 10.10.209.150:8180" ]
sl -c 'show running-config keepalived'
check "show running-config shows it in its virtual server" \
	sh -c 'printf "%s\n" "$1" | sed -n "/^virtual_server 10.10.209.199 8180 {/,/^}/p" | grep -A1 "real_server 10.10.209.150 8180 {" | grep -q "weight 50"' _ "$OUT"
running=$OUT
sl -c 'write memory'
check "write memory saves it" sh -c '[ "$1" -eq 0 ] && grep -q "real_server 10.10.209.150 8180" "$2"' _ "$RC" "$KAD"
sl -c reload
check "a reload then changes nothing" sh -c 'printf "%s\n" "$1" | grep -qx "no changes"' _ "$OUT"
sl -c 'show running-config keepalived'
check "  and the running configuration is the same" [ "$OUT" = "$running" ]
sl -c 'show config diff'
check "  nor would another reload" contains "$OUT" "a reload would change nothing"
out=$("$SOFTLBD" -t -f "$KAD" -p "$HAP" 2>&1); rc=$?
check "the saved files pass softlbd -t, in modern syntax (no deprecation warnings)" \
	sh -c '[ "$1" -eq 0 ] && case "$2" in *deprecated*) exit 1;; *"1 virtual servers with 3 real servers, 4 proxies with 4 servers, 0 warnings"*) ;; *) exit 1;; esac' _ "$rc" "$out"

finish
