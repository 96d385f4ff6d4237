#!/bin/sh
# The configuration path end to end: softlbd -t on the seed's files, the
# running configuration printed back, reloads that apply only what changed,
# reloads that are refused and change nothing, write memory.
. "${top_srcdir:?}/tests/integration/lib.sh"

good="$top_srcdir/tests/config/good"
bad="$top_srcdir/tests/config/bad"
KAD="$T/keepalived.conf"
HAP="$T/haproxy.cfg"
cp "$good/seed-keepalived.conf" "$KAD"
cp "$good/seed-haproxy.cfg" "$HAP"

# softlbd -t on the seed: passes with warnings and the summary.
out=$("$SOFTLBD" -t -f "$KAD" -p "$HAP" 2>"$T/t.err"); rc=$?
check "-t on the seed's configs exits 0" [ "$rc" -eq 0 ]
check "-t summary counts every object" contains "$out" \
	"1 VRRP instances (1 sync groups), 1 virtual servers with 2 real servers, 4 proxies with 4 servers, 11 warnings"
check "-t names the seed's virtual server" contains "$out" \
	"TCP 10.10.209.199:8180 (wlc, DR, persistent 600s, 2 real servers)"
check "-t warns about the HAProxy 1.4 forms, naming the replacement" \
	grep -q "haproxy.cfg:17: warning: 'contimeout' is deprecated; use 'timeout connect 5s'" "$T/t.err"
check "-t warns once per keyword accepted but not implemented" \
	sh -c '[ "$(grep -c "accepted, not implemented" "$1")" -eq 3 ]' _ "$T/t.err"

# softlbd -t on a bad file: exit 1 and file:line.
out=$("$SOFTLBD" -t -f "$bad/vrid-range.conf" -p /dev/null 2>&1); rc=$?
check "-t on a bad config exits 1" [ "$rc" -eq 1 ]
check "and names file:line and what was expected" contains "$out" "vrid-range.conf:"
out=$("$SOFTLBD" -t -f "$T/missing.conf" 2>&1); rc=$?
check "-t with a missing -f file exits 1" [ "$rc" -eq 1 ]

# A daemon refuses to start on a bad configuration.
out=$("$SOFTLBD" -n -l -S "$T/bad.sock" --pidfile "$T/bad.pid" -f "$bad/unterminated-block.conf" -p "$HAP" 2>&1); rc=$?
check "softlbd does not start on a bad configuration" [ "$rc" -eq 1 ]
check "and says where the error is" contains "$out" "unterminated-block.conf:"

start_daemon -f "$KAD" -p "$HAP"
sl -c 'show status'
check "show status reports the configuration" contains "$OUT" "config   running         1 VRRP instances"

sl -c 'show running-config keepalived'
printf '%s\n' "$OUT" >"$T/running.conf"
check "show running-config prints the seed's virtual server" contains "$OUT" "virtual_server 10.10.209.199 8180 {"
check "in modern syntax" contains "$OUT" "lvs_sched wlc"
sl -c 'show running-config haproxy'
printf '%s\n' "$OUT" >"$T/running.cfg"
check "show running-config haproxy uses bind, not the 1.4 listen form" contains "$OUT" "bind 0.0.0.0:80"
out=$("$SOFTLBD" -t -f "$T/running.conf" -p "$T/running.cfg" 2>&1); rc=$?
check "what show running-config prints loads again" [ "$rc" -eq 0 ]
# modern syntax: nothing is deprecated, and the process keywords softlb
# ignores (chroot, daemon, pidfile) are not printed back
check "  with no deprecation warning left" sh -c 'case "$1" in *deprecated*) exit 1;; *", 0 warnings"*) ;; *) exit 1;; esac' _ "$out"

sl -c 'show running-config'
before=$OUT

# Every bad config in the corpus is refused by reload, and nothing changes.
refused=0 total=0
for f in "$bad"/*.conf; do
	total=$((total + 1))
	cp "$f" "$KAD"
	sl -c reload
	if [ "$RC" -eq 1 ] && contains "$OUT" "reload refused"; then
		refused=$((refused + 1))
	else
		echo "not refused: $f: $OUT"
	fi
done
for f in "$bad"/*.cfg; do
	total=$((total + 1))
	cp "$good/seed-keepalived.conf" "$KAD"
	cp "$f" "$HAP"
	sl -c reload
	if [ "$RC" -eq 1 ] && contains "$OUT" "reload refused"; then
		refused=$((refused + 1))
	else
		echo "not refused: $f: $OUT"
	fi
done
check "reload refuses every bad config of the corpus ($refused of $total)" [ "$refused" -eq "$total" ]
sl -c 'show running-config'
check "and the running configuration is unchanged" [ "$OUT" = "$before" ]
cp "$bad/unterminated-block.conf" "$KAD"
cp "$good/seed-haproxy.cfg" "$HAP"
kill -HUP "$DAEMON_PID"
sleep 0.5
sl -c 'show running-config'
check "SIGHUP with a bad config keeps the running one" [ "$OUT" = "$before" ]
check "and logs why" grep -q "reload: .*keepalived.conf:1: unterminated block" "$DAEMON_LOG"

# A weight change is a weight change: diff and reload say exactly that.
cp "$good/seed-keepalived.conf" "$KAD"
cp "$good/seed-haproxy.cfg" "$HAP"
sed 's/weight 100/weight 50/' "$good/seed-keepalived.conf" >"$KAD"
sl -c 'show config diff'
check "show config diff shows a weight change as one" contains "$OUT" \
	"~ real-server TCP 10.10.209.199:8180 10.10.209.102:8180: weight"
check "  and nothing else" sh -c '[ "$(printf "%s\n" "$1" | wc -l)" -eq 2 ]' _ "$OUT"
sl -c reload
check "reload applies it" sh -c '[ "$1" -eq 0 ]' _ "$RC"
sl -c 'show running-config keepalived'
check "  and the running configuration has the new weight" contains "$OUT" "weight 50"
sl -c 'show config diff'
check "  after which a reload would change nothing" contains "$OUT" "a reload would change nothing"
sl -c reload
check "  and a second reload says no changes" contains "$OUT" "no changes"

# write memory: files rewritten atomically, previous kept as .bak.
cp "$KAD" "$T/kad.before"
sl -c 'write memory'
check "write memory succeeds" [ "$RC" -eq 0 ]
check "  keeping the previous file as .bak" cmp -s "$KAD.bak" "$T/kad.before"
check "  writing modern syntax" grep -q "lvs_sched wlc" "$KAD"
check "  the haproxy file too" grep -q "bind 0.0.0.0:80" "$HAP"
sl -c 'show config diff startup'
check "  after which the files match the running configuration" contains "$OUT" "match the running configuration"
sl -c reload
check "  and a reload changes nothing" contains "$OUT" "no changes"
sl -c 'show config warnings'
check "  and the rewritten files load without deprecation warnings" \
	sh -c '[ "$1" -eq 0 ] && case "$2" in *deprecated*) exit 1;; esac' _ "$RC" "$OUT"

finish
