#!/bin/sh
# softlbtop --once against a live softlbd in a netns lab (VRRP, checks,
# two proxies with real backends): every screen shows the lab's objects
# in the states the daemon reports, follows an operator's drain, shows a
# server name with escape sequences made visible, keeps to the width it
# is given, and fails clearly when the daemon cannot be reached.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tui_lib.sh"

tui_lab

once overview
check "overview: exit status 0" [ "$RC" -eq 0 ]
check "overview: the greeting names the role" contains "$OUT" "(admin)"
check "overview: VRRP VI_1 is MASTER" row_of VI_1 MASTER
check "overview: proxy web with s1 UP" row_of s1 UP
check "overview: s2 DOWN" row_of s2 DOWN
check "overview: api's a1 UP" row_of a1 UP
check "overview: the failing check of web/s2" row_of web/s2 DOWN
check "overview: the LVS section says why it is empty" \
	sh -c 'printf "%s\n" "$1" | grep -qE "IPVS unavailable|no virtual service"' _ "$OUT"
check "overview: server counts" contains "$OUT" "Servers: 3 up, 1 down, 0 drain, 0 maint"

once proxy
check "proxy: the check's status and reason for s2" \
	sh -c 'printf "%s\n" "$1" | grep -qE "^ +s2 +DOWN .*L4CON"' _ "$OUT"
check "proxy: the hostile name is shown escaped ($EVIL_SHOWN)" contains "$OUT" "$EVIL_SHOWN"
check "proxy: no raw ESC or BEL byte reaches the output" \
	sh -c '! printf "%s" "$1" | LC_ALL=C grep -q "$(printf "[\033\007]")"' _ "$OUT"
check "proxy: no LVS or VRRP table on the proxy screen" not_contains "$OUT" "VI_1"

sl -c 'server web s1 drain'
once proxy
check "after a drain from the shell: s1 DRAIN" row_of s1 DRAIN
sl -c 'server web s1 disable'
once proxy
check "after disable: s1 MAINT" row_of s1 MAINT
sl -c 'server web s1 restore'
wait_srv web s1 status UP 5
once proxy
check "after restore: s1 UP" row_of s1 UP

# Rates: traffic through web while --once -d 2 takes two snapshots.
on client sh -c 'i=0; while [ $i -lt 80 ]; do
	curl -s -o /dev/null --max-time 2 http://192.0.2.2/id; i=$((i + 1)); sleep 0.05; done' &
LOAD=$!
at_exit "kill $LOAD"
sleep 0.5
once proxy -d 2
wait "$LOAD"
R=$(col '^web ' 'SESS/S')
check "--once -d 2: web's session rate is measured ($R/s)" \
	sh -c 'case "$1" in ""|-|0) exit 1 ;; esac' _ "$R"
R=$(col '^api ' 'SESS/S')
check "  and api, with no traffic, shows 0 ($R)" [ "$R" = 0 ]
once proxy
R=$(col '^web ' 'SESS/S')
check "--once alone has no rate to show ($R)" [ "$R" = - ]

once vrrp
check "vrrp: instance details (advert interval)" contains "$OUT" "1000 ms (v2, eth0)"
check "vrrp: its transitions" contains "$OUT" "INIT -> MASTER"

once checks
check "checks: every check, web/s1 UP" row_of web/s1 UP
check "checks: web/s2 DOWN with its code" \
	sh -c 'printf "%s\n" "$1" | grep -qE "^web/s2 +DOWN +L4CON"' _ "$OUT"

once events
if contains "$OUT" "no event journal"; then
	ok "events: this softlbd has no journal, and the screen says so"
else
	check "events: the operator's drain of web/s1, with who did it" \
		sh -c 'printf "%s\n" "$1" | grep -qE "^server web/s1 .*override +as configured -> draining +root \(admin\)"' _ "$OUT"
	check "events: s2's health transition" \
		sh -c 'printf "%s\n" "$1" | grep -qE "^server web/s2 .*health +UP -> DOWN"' _ "$OUT"
	OUT=$(COLUMNS=200 "$SOFTLBTOP" -s "$SOCK" --once --screen overview)
	check "overview: the last events too" contains "$OUT" "Events (newest first)"
fi

# Narrow: 80 columns, nothing wider, the name and state kept.
OUT=$(COLUMNS=80 "$SOFTLBTOP" -s "$SOCK" --once --screen proxy)
# wc -L: the widest line in display columns (a rule's glyph is 3 bytes).
W=$(printf '%s\n' "$OUT" | LC_ALL=C.UTF-8 wc -L)
check "80 columns: no line is wider than 80 ($W)" [ "$W" -le 80 ]
check "80 columns: still the names and states" row_of s2 DOWN
check "80 columns: low-priority columns dropped (no REDIS)" not_contains "$OUT" "REDIS"
OUT=$(COLUMNS=200 "$SOFTLBTOP" -s "$SOCK" --once --screen proxy)
check "200 columns: they are back" contains "$OUT" "REDIS"

OUT=$(COLUMNS=80 "$SOFTLBTOP" -s "$SOCK" --once --screen proxy --ascii)
check "--ascii: ASCII rules" sh -c 'printf "%s\n" "$1" | grep -q "^-- Proxies ---"' _ "$OUT"
check "--ascii: no byte above 127 (the lab's names are ASCII)" \
	sh -c '! printf "%s" "$1" | LC_ALL=C grep -q "[^ -~]"' _ "$OUT"
OUT=$(LC_ALL=C COLUMNS=80 "$SOFTLBTOP" -s "$SOCK" --once --screen proxy)
check "a non-UTF-8 locale gives ASCII rules too" \
	sh -c 'printf "%s\n" "$1" | grep -q "^-- Proxies ---"' _ "$OUT"

# Bad options and no daemon.
"$SOFTLBTOP" -s "$SOCK" --once --screen nosuch >/dev/null 2>"$T/err"
RC=$?
check "--screen nosuch: status 2 and a message" sh -c '[ "$1" -eq 2 ] && grep -q "overview, lvs" "$2"' _ "$RC" "$T/err"
"$SOFTLBTOP" -s "$T/nothing.sock" --once >/dev/null 2>"$T/err"
RC=$?
check "no daemon: status 2, and why" sh -c '[ "$1" -eq 2 ] && grep -q "nothing.sock" "$2"' _ "$RC" "$T/err"
"$SOFTLBTOP" -d 0 --once >/dev/null 2>&1
check "-d 0 is refused" [ $? -eq 2 ]

finish
