#!/bin/sh
# Live changes from the shell: configure mode edits the running
# configuration through the same validate/diff/apply path as a reload, and
# write memory makes them the files; a reload afterwards changes nothing.
. "${top_srcdir:?}/tests/integration/lib.sh"

good="$top_srcdir/tests/config/good"
KAD="$T/keepalived.conf"
HAP="$T/haproxy.cfg"
cp "$good/seed-keepalived.conf" "$KAD"
cp "$good/seed-haproxy.cfg" "$HAP"
start_daemon -f "$KAD" -p "$HAP"

sl -c configure -c 'virtual-server 192.0.2.10:80 tcp' -c 'real-server 198.51.100.11:80 weight 100' \
	-c 'scheduler wrr' -c end
check "a shell session adds a virtual server with a real server" [ "$RC" -eq 0 ]
check "  and says what it changed" contains "$OUT" "+ real-server TCP 192.0.2.10:80 198.51.100.11:80"
sl -c 'show running-config keepalived'
check "  which show running-config shows" sh -c 'printf "%s\n" "$1" | grep -A6 "^virtual_server 192.0.2.10 80 {" | grep -q "weight 100"' _ "$OUT"

sl -c configure -c 'virtual-server 10.10.209.199:8180 tcp' -c 'real-server 10.10.209.102:8180 weight 7' -c end
check "changing a weight is one change" sh -c '[ "$(printf "%s\n" "$1" | grep -c .)" -eq 1 ] && case "$1" in "~ real-server TCP 10.10.209.199:8180 10.10.209.102:8180: weight"*) ;; *) exit 1;; esac' _ "$OUT"

sl -c configure -c 'proxy web' -c 'mode http' -c 'bind 192.0.2.10:8080' -c 'server s3 198.51.100.13:80 weight 10 check' -c end
check "a proxy with a server is added" [ "$RC" -eq 0 ]
sl -c configure -c 'vrrp-instance VI_1' -c 'priority 120' -c end
check "a VRRP instance's priority is changed" contains "$OUT" "~ vrrp-instance VI_1: priority"

# Every sub-mode setting goes through the same edit path.
sl -c configure -c 'virtual-server 192.0.2.10:80 tcp' -c 'method dr' -c 'persistence-timeout 300' -c end
check "method and persistence-timeout of a virtual server" sh -c 'case "$1" in *"~ virtual-server TCP 192.0.2.10:80: lb_kind"*"persistence_timeout"*) ;; *) exit 1;; esac' _ "$OUT"
sl -c configure -c 'virtual-server 192.0.2.10:80 tcp' -c 'persistence-timeout 2678401'
check "  a persistence-timeout over 31 days is refused" [ "$RC" -ne 0 ]
sl -c configure -c 'proxy web' -c 'balance leastconn' -c 'bind 192.0.2.10:8081' -c 'no bind 192.0.2.10:8080' \
	-c 'server s4 198.51.100.14:80' -c 'no server s4' -c end
check "balance, bind, no bind, server and no server of a proxy" [ "$RC" -eq 0 ]
sl -c 'show running-config haproxy'
check "  which show running-config shows" sh -c 'printf "%s\n" "$1" | sed -n "/^listen web/,/^\$/p" > "$2/web" &&
	grep -q "balance leastconn" "$2/web" && grep -q "bind 192.0.2.10:8081" "$2/web" &&
	! grep -q "bind 192.0.2.10:8080" "$2/web" && ! grep -q "server s4" "$2/web"' _ "$OUT" "$T"
sl -c configure -c 'proxy web' -c 'server s5 198.51.100.15:80 weight 257'
check "  a server weight over 256 is refused" [ "$RC" -ne 0 ]
sl -c configure -c 'proxy web' -c 'balance roundrobin' -c 'bind 192.0.2.10:8080' -c 'no bind 192.0.2.10:8081' -c end

# Refusals leave everything as it was.
sl -c 'show running-config'
before=$OUT
sl -c configure -c 'virtual-server 192.0.2.10:80 tcp' -c 'scheduler foo'
check "a bad scheduler is refused (exit 1)" [ "$RC" -eq 1 ]
check "  with a did-you-mean" contains "$OUT" "did you mean 'fo'"
sl -c configure -c 'virtual-server 192.0.2.10:80 tcp' -c 'real-server 198.51.100.11:80 weight 70000'
check "an out-of-range weight is refused" [ "$RC" -eq 1 ]
sl -c configure -c 'virtual-server 192.0.2.10:80 tcp' -c 'no real-server 198.51.100.99:80'
check "removing a real server that does not exist is refused" [ "$RC" -eq 1 ]
sl -c 'show running-config'
check "  and the running configuration is unchanged" [ "$OUT" = "$before" ]

sl -c 'show config diff startup'
check "show config diff startup lists what write memory would change" contains "$OUT" "+ virtual-server TCP 192.0.2.10:80"
sl -c 'write memory'
check "write memory" [ "$RC" -eq 0 ]
sl -c reload
check "a reload after write memory changes nothing" contains "$OUT" "no changes"
sl -c 'show running-config'
check "  and the running configuration is what it was" [ "$OUT" = "$before" ]
out=$("$SOFTLBD" -t -f "$KAD" -p "$HAP" 2>&1)
check "the written files pass softlbd -t" contains "$out" "2 virtual servers with 3 real servers, 5 proxies with 5 servers"

sl -c configure -c 'virtual-server 192.0.2.10:80 tcp' -c 'no real-server 198.51.100.11:80' -c exit \
	-c 'no virtual-server 192.0.2.10:80 tcp' -c 'no proxy web' -c end
check "objects are removed again" [ "$RC" -eq 0 ]
check "  the virtual server as one change" contains "$OUT" "- virtual-server TCP 192.0.2.10:80"

# Runtime overrides: apart from the configuration, surviving reloads.
sl -c 'real-server 10.10.209.102:8180 of 10.10.209.199:8180 tcp drain' \
	-c 'server hts_proxy_88 s2 weight 0'
check "an operator drains a real server and zeroes a server's weight" [ "$RC" -eq 0 ]
sl -c 'show runtime'
check "  show runtime shows both" sh -c 'printf "%s\n" "$1" | grep -q "10.10.209.102:8180 draining" && printf "%s\n" "$1" | grep -q "hts_proxy_88/s2 .*enabled   0"' _ "$OUT"
sl -c 'show running-config'
check "  show running-config says they are in force" contains "$OUT" "# runtime: real-server 10.10.209.199:8180 tcp 10.10.209.102:8180 draining"
sl -c reload -c 'show runtime json'
check "  they survive a reload" sh -c 'printf "%s" "$1" | sed -n "/^\[/,\$p" | python3 -c "import json,sys; d=json.load(sys.stdin); assert len(d)==2, d"' _ "$OUT"
sl -c 'write memory'
check "  and write memory does not save them" sh -c '! grep -q runtime "$1" "$2"' _ "$KAD" "$HAP"
sl -c 'real-server 198.51.100.99:80 of 10.10.209.199:8180 tcp disable'
check "  an unknown real server is refused (exit 1)" [ "$RC" -eq 1 ]
check "    naming it" contains "$OUT" "no such real server"
sl -c configure -c 'no proxy hts_proxy_88' -c end
check "  removing the object drops its override, saying so" contains "$OUT" "runtime override of server hts_proxy_88/s2 dropped"
sl -c 'real-server 10.10.209.102:8180 of 10.10.209.199:8180 tcp restore' -c 'show runtime'
check "  restore returns to the configuration" contains "$OUT" "no runtime overrides"

check "every show command answers valid JSON" $CTLC "$SOCK" all-show-json

# TAB completion offers live names.
out=$($CTLC "$SOCK" session "exec:configure" "complete:proxy h")
check "completion offers the proxies by name" sh -c '[ "$(printf "%s\n" "$1" | sort | tr "\n" " ")" = "haproxy_status_89 http_proxy_80 " ]' _ "$out"
out=$($CTLC "$SOCK" session "exec:configure" "complete:vrrp-instance ")
check "completion offers the VRRP instances by name" [ "$out" = "VI_1" ]

finish
