#!/bin/sh
# softlb_metrics in keepalived.conf's global_defs: the Prometheus endpoint
# of an install without a haproxy file. softlbd starts with the keyword
# and no --metrics, in a network namespace of the test's own, and serves
# /metrics where it says; reloads move the endpoint, close it, and refuse
# a bad value (FILE:LINE) or a port that is taken, leaving the endpoint as
# it was; --metrics on the command line wins over the keyword.
. "${top_srcdir:?}/tests/integration/lib.sh"

command -v curl >/dev/null || skip "curl missing (Debian package curl)"
command -v promtool >/dev/null || skip "promtool missing (Debian package prometheus; scripts/deps)"
NS="softlb-metkw-$$"
ip netns add "$NS" 2>/dev/null || skip "cannot create network namespaces here"
at_exit "ip netns del $NS"
ip -n "$NS" link set lo up
on() { ip netns exec "$NS" "$@"; }

KAD="$T/keepalived.conf"
kad() {
	printf 'global_defs {\n    router_id metrics\n%s}\n' "${1:+    softlb_metrics $1
}" >"$KAD"
}

# code PORT: the HTTP status of GET /metrics on 127.0.0.1:PORT ("000":
# nothing listens).
code() {
	on curl -s --max-time 5 -o "$T/scrape.txt" -w '%{http_code}' "http://127.0.0.1:$1/metrics"
}
listening() {
	on ss -Hltn "sport = :$1" | grep -q "127.0.0.1:$1"
}

kad 19210
ip netns exec "$NS" "$SOFTLBD" -n -l -S "$SOCK" --pidfile "$PIDFILE" -f "$KAD" -p /dev/null \
	>"$DAEMON_LOG" 2>&1 &
DAEMON_PID=$!
for _ in $(seq 100); do
	"$SOFTLB" -s "$SOCK" -c 'show version' >/dev/null 2>&1 && break
	sleep 0.1
done
daemon_alive || { echo "softlbd did not start:"; cat "$DAEMON_LOG"; exit 99; }

check "softlb_metrics 19210: listening on 127.0.0.1:19210 only" listening 19210
check "GET /metrics answers 200" [ "$(code 19210)" = 200 ]
out=$(promtool check metrics <"$T/scrape.txt" 2>&1); rc=$?
check "promtool check metrics finds no problem${out:+ ($out)}" [ "$rc" -eq 0 ] && [ -z "$out" ]
check "the scrape has the daemon's families" grep -q '^softlb_build_info{' "$T/scrape.txt"
sl -c 'show status'
check "show status: the endpoint, from softlb_metrics" \
	contains "$OUT" "http://127.0.0.1:19210/metrics (softlb_metrics)"
sl -c 'show running-config keepalived'
check "show running-config prints the keyword" contains "$OUT" "softlb_metrics 19210"

# Moved by a reload: the old port closes, the new one answers.
kad 127.0.0.1:19211
sl -c reload
check "reload to 127.0.0.1:19211 applied ($OUT)" [ "$RC" -eq 0 ]
check "the new port answers" [ "$(code 19211)" = 200 ]
check "the old port is closed" [ "$(code 19210)" = 000 ]
sl -c 'show events engine config last 5'
check "the journal names the change" contains "$OUT" "softlb_metrics"

# A bad value: refused at its line; the endpoint stays where it was.
kad 127.0.0.1:99999
sl -c reload
check "softlb_metrics 127.0.0.1:99999 is refused at its line ($OUT)" \
	sh -c '[ "$1" -ne 0 ] && case "$2" in *"keepalived.conf:3: '"'softlb_metrics'"' expects [ADDR:]PORT"*) ;; *) exit 1;; esac' \
	_ "$RC" "$OUT"
check "after the refusal 19211 still answers" [ "$(code 19211)" = 200 ]

# A port another process holds: the reload is refused with the reason,
# and the running endpoint stays.
ip netns exec "$NS" "$PYTHON" -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 19212)); s.listen(1); time.sleep(30)' &
HOLDER=$!
at_exit "kill $HOLDER 2>/dev/null"
for _ in $(seq 50); do listening 19212 && break; sleep 0.1; done
kad 19212
sl -c reload
check "a taken port refuses the reload ($OUT)" [ "$RC" -ne 0 ] && contains "$OUT" "cannot listen on 127.0.0.1:19212"
check "and 19211 still answers" [ "$(code 19211)" = 200 ]
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null

# The keyword gone: the endpoint closes.
kad ""
sl -c reload
check "reload without the keyword applied" [ "$RC" -eq 0 ]
check "the endpoint is closed" [ "$(code 19211)" = 000 ]
sl -c 'show status'
check "show status: metrics not configured" sh -c 'printf "%s\n" "$1" | grep -q "^metrics .*not configured"' _ "$OUT"
check "softlbd is still running" daemon_alive
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
check "softlbd stopped cleanly" [ "$?" -eq 0 ]

# --metrics wins over the keyword, and a reload does not move it.
kad 19213
ip netns exec "$NS" "$SOFTLBD" -n -l -S "$SOCK" --pidfile "$PIDFILE" -f "$KAD" -p /dev/null \
	--metrics 19214 >"$DAEMON_LOG" 2>&1 &
DAEMON_PID=$!
for _ in $(seq 100); do
	"$SOFTLB" -s "$SOCK" -c 'show version' >/dev/null 2>&1 && break
	sleep 0.1
done
check "--metrics 19214 with softlb_metrics 19213: 19214 answers" [ "$(code 19214)" = 200 ]
check "19213 does not" [ "$(code 19213)" = 000 ]
kad 19215
sl -c reload
check "a reload changing softlb_metrics applies ($OUT)" [ "$RC" -eq 0 ]
check "and --metrics stays in force" [ "$(code 19214)" = 200 ] && [ "$(code 19215)" = 000 ]

# softlbd -t names the line of a bad value.
kad "[::1]"
out=$("$SOFTLBD" -t -f "$KAD" -p /dev/null 2>&1); rc=$?
check "softlbd -t refuses softlb_metrics [::1] ($out)" [ "$rc" -eq 1 ] && contains "$out" "keepalived.conf:3: 'softlb_metrics'"

finish
