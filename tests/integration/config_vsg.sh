#!/bin/sh
# virtual_server_group from the shell: create a group, add and remove
# members (single addresses, ranges, IPv6, fwmark entries), delete it;
# each change takes the validate/diff/apply path and is refused, with
# the reason and nothing changed, when it would not load.
. "${top_srcdir:?}/tests/integration/lib.sh"

KAD="$T/keepalived.conf"
cat >"$KAD" <<'EOF'
virtual_server_group web {
    192.0.2.10 80
}
virtual_server group web {
    lvs_sched rr
    real_server 198.51.100.1 80 {
    }
}
EOF
start_daemon -f "$KAD" -p /dev/null

sl -c configure -c 'virtual-server-group web' -c 'member 192.0.2.11:80 to 192.0.2.20' \
	-c 'member [2001:db8::1]:443 to 2001:db8::ff' -c 'member fwmark 7' -c 'no member 192.0.2.10:80' -c end
check "members are added (a range, an IPv6 range, a fwmark) and removed" [ "$RC" -eq 0 ]
check "  each one change to the group" \
	sh -c '[ "$(printf "%s\n" "$1" | grep -c "^~ virtual-server-group web: entries$")" -eq 4 ]' _ "$OUT"
sl -c 'show running-config keepalived'
check "show running-config shows the group in keepalived's syntax" \
	sh -c 'printf "%s\n" "$1" | sed -n "/^virtual_server_group web {/,/^}/p" | tr -s " " | tr "\n" "|" |
		grep -qF "virtual_server_group web {| 192.0.2.11-20 80| 2001:db8::1-ff 443| fwmark 7|}"' _ "$OUT"

sl -c configure -c 'virtual-server-group api' -c 'member 192.0.2.30:8080' -c end
check "a new group is created with a member" sh -c '[ "$1" -eq 0 ] && case "$2" in *"+ virtual-server-group api"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"

sl -c 'show running-config'
before=$OUT
sl -c configure -c 'no virtual-server-group web'
check "a group a virtual server uses cannot be deleted" \
	sh -c '[ "$1" -eq 1 ] && case "$2" in *"is used by virtual_server group web"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
sl -c configure -c 'virtual-server-group web' -c 'member 192.0.2.11:80 to 192.0.1.20'
check "a range whose end is not in the same /24 is refused" \
	sh -c '[ "$1" -eq 1 ] && case "$2" in *"differ only in the last byte"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
sl -c configure -c 'virtual-server-group web' -c 'member 192.0.2.11:80 to 2001:db8::9'
check "a range across families is refused" [ "$RC" -eq 1 ]
sl -c configure -c 'virtual-server-group web' -c 'member fwmark 7'
check "a member already there is refused" contains "$OUT" "already in virtual-server-group 'web'"
sl -c configure -c 'virtual-server-group web' -c 'no member fwmark 9'
check "removing a member that is not there is refused" contains "$OUT" "has no such member"
sl -c configure -c 'virtual-server-group bad{name'
check "a group name the dialect cannot hold is refused" [ "$RC" -eq 1 ]
sl -c 'show running-config'
check "  and after every refusal the running configuration is unchanged" [ "$OUT" = "$before" ]

out=$($CTLC "$SOCK" session "exec:configure" "complete:virtual-server-group ")
check "completion offers the groups by name" \
	sh -c '[ "$(printf "%s\n" "$1" | sort | tr "\n" " ")" = "api web " ]' _ "$out"

sl -c configure -c 'virtual-server group nosuch tcp'
check "a virtual server over a group that does not exist is refused" \
	sh -c '[ "$1" -eq 1 ] && case "$2" in *"unknown virtual_server_group '"'nosuch'"'"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
sl -c configure -c 'virtual-server group api tcp' -c 'real-server 198.51.100.31:8080 weight 4' -c 'scheduler rr' -c end
check "a virtual server over a group is made and edited from the shell" \
	sh -c '[ "$1" -eq 0 ] && case "$2" in *"+ real-server TCP group api 198.51.100.31:8080"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
sl -c 'show running-config keepalived'
check "  show running-config shows it" \
	sh -c 'printf "%s\n" "$1" | sed -n "/^virtual_server group api {/,/^}/p" | grep -q "real_server 198.51.100.31 8080"' _ "$OUT"
sl -c configure -c 'no virtual-server group api tcp' -c 'no virtual-server-group api' -c end
check "it is deleted, then its group" \
	sh -c 'case "$1" in *"- virtual-server TCP group api"*"- virtual-server-group api"*) ;; *) exit 1;; esac' _ "$OUT"

sl -c 'write memory' -c reload
check "write memory, then a reload changes nothing" contains "$OUT" "no changes"
check "  the file holds the group as edited" grep -q '192.0.2.11-20 80' "$KAD"

finish
