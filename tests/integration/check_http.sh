#!/bin/sh
# Health checks against real backends in a netns lab, softlbd in lb1:
# a TCP listener killed and restarted; an HTTP server answering 200, then
# 503, then a wrong body (digest), then hanging; a HAProxy server flapping
# within rise/fall; reload keeping the state of unchanged checks; the
# operator's pause / resume / run.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/check_lib.sh"

lab_up lb1 rs1 rs2
use_lb1
BACKENDS="$top_srcdir/tests/integration/check_backends.py"
MODE="$T/mode"
echo 200 >"$MODE"
echo 200 >"$MODE.flap"
bg_on rs1 "$PYTHON" "$BACKENDS" http 192.0.2.21 8080 "$MODE"
bg_on rs2 "$PYTHON" "$BACKENDS" listen 192.0.2.22 9000 1
TCP_PID=$BG_PID
sleep 0.5

cat >"$T/keepalived.conf" <<'EOC'
virtual_server 192.0.2.100 80 {
    lb_kind DR
    protocol TCP
    real_server 192.0.2.21 8080 {
        HTTP_GET {
            url {
                path /health
                digest d36f8f9425c4a8000ad9c4a97185aca5
                status_code 200
            }
            connect_timeout 1
            retry 0
            delay_loop 1
        }
    }
    real_server 192.0.2.22 9000 {
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
            delay_loop 1
        }
    }
}
EOC
cat >"$T/haproxy.cfg" <<'EOC'
backend be
    option httpchk GET /flap
    http-check expect status 200
    timeout check 3s
    server s1 192.0.2.21:8080 check inter 300ms rise 3 fall 2
EOC
HT=192.0.2.100:80/192.0.2.21:8080/http
TT=192.0.2.100:80/192.0.2.22:9000/tcp
start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"

sl -c 'show checks'
check "show checks lists the three targets" sh -c 'contains() { case "$1" in *"$2"*) ;; *) exit 1;; esac; }
	contains "$1" "$2" && contains "$1" "$3" && contains "$1" be/s1' _ "$OUT" "$HT" "$TT"
check "the HTTP check passes with the digest" wait_check "$HT" UP "HTTP 200, digest OK" 5
check "the TCP check connects" wait_check "$TT" UP "connected in" 5
check "the HAProxy httpchk passes" wait_check be/s1 UP "HTTP 200" 5

# TCP: the listener dies; DOWN after 2 failures (retry 1) 1 s apart.
kill -9 "$TCP_PID"
check "a killed TCP listener goes DOWN within delay_loop + retry" wait_check "$TT" DOWN "refused" 5
check "  (in $WAITED tenths of a second)" [ "$WAITED" -le 40 ]
bg_on rs2 "$PYTHON" "$BACKENDS" listen 192.0.2.22 9000 1
check "restarted, it comes back UP within delay_loop" wait_check "$TT" UP "connected in" 4
sl -c "show events check $TT"
check "show events explains both transitions" sh -c 'case "$1" in *"UP -> DOWN: Connection refused"*"DOWN -> UP: connected in"*) exit 1;; *"DOWN -> UP: connected in"*"UP -> DOWN: Connection refused"*) exit 0;; *) exit 1;; esac' _ "$OUT"

# HTTP: 503, then a wrong body, then a hang.
echo 503 >"$MODE"
check "HTTP 503 takes it DOWN, saying why" wait_check "$HT" DOWN "HTTP 503, expected 200" 4
echo 200 >"$MODE"
check "  and 200 brings it back" wait_check "$HT" UP "HTTP 200, digest OK" 4
echo body >"$MODE"
check "a wrong body is a digest mismatch" wait_check "$HT" DOWN "digest mismatch" 4
echo 200 >"$MODE"
check "  and the right body brings it back" wait_check "$HT" UP "digest OK" 4
echo hang >"$MODE"
check "a server that never answers times out" wait_check "$HT" DOWN "response timeout after 1 s" 5
check "  with HAProxy's code L7TOUT" [ "$(field "$HT" code)" = L7TOUT ]
echo 200 >"$MODE"
check "  and recovers" wait_check "$HT" UP "digest OK" 5
sl --json -c "show events check $HT"
check "show events check json carries reason, code and durations" sh -c 'printf "%s" "$1" | "$2" -c "
import json, sys
ev = json.load(sys.stdin)
d = [e for e in ev if e[\"target\"] == sys.argv[1] and e[\"to\"] == \"DOWN\"]
assert [e[\"code\"] for e in d][:3] == [\"L7TOUT\", \"L7RSP\", \"L7STS\"], d
assert all(\"check_ms\" in e and \"previous_state_ms\" in e for e in d)
assert ev[0][\"seq\"] > ev[-1][\"seq\"]
" "$3"' _ "$OUT" "$PYTHON" "$HT"

# Flapping within rise 3 / fall 2: alternating answers never take it down.
echo alt >"$MODE.flap"
seen_progress=no
for _ in $(seq 30); do
	p=$(field be/s1 progress)
	[ "$p" = "UP 1/2" ] && seen_progress=yes
	sleep 0.1
done
check "a flapping server stays UP within fall 2, showing 'UP 1/2'" [ "$seen_progress" = yes ]
sl -c 'show events check be/s1'
if contains "$OUT" "no events"; then
	ok "  with no transition"
else
	fail "  with no transition"
	printf '%s\n' "$OUT"
fi
echo 503 >"$MODE.flap"
check "two failures in a row take it DOWN" wait_check be/s1 DOWN "HTTP 503, expected 200" 3
echo alt >"$MODE.flap"
seen_progress=no
for _ in $(seq 30); do
	p=$(field be/s1 progress)
	[ "$p" = "DOWN 1/3" ] && seen_progress=yes
	[ "$(field be/s1 state)" = UP ] && break
	sleep 0.1
done
check "flapping back, it stays DOWN below rise 3, showing 'DOWN 1/3'" sh -c '[ "$1" = yes ] && [ "$2" = DOWN ]' _ "$seen_progress" "$(field be/s1 state)"
echo 200 >"$MODE.flap"
check "three successes bring it UP" wait_check be/s1 UP "HTTP 200" 3

# Reload: the unchanged keepalived checks keep their state and counters;
# the changed HAProxy server starts afresh.
runs_before=$(field "$TT" runs)
be_before=$(field be/s1 runs)
sed -i 's/inter 300ms/inter 400ms/' "$T/haproxy.cfg"
sl -c reload
check "reload applies the HAProxy change" [ "$RC" -eq 0 ]
runs_after=$(field "$TT" runs)
check "an unchanged check keeps its counters over a reload ($runs_before -> $runs_after)" \
	[ "$runs_after" -ge "$runs_before" ]
be_after=$(field be/s1 runs)
check "  and a changed one starts afresh ($be_before -> $be_after runs)" [ "$be_after" -lt "$be_before" ]

# Operator: pause keeps the state and stops checking; run checks now.
sl -c "check $TT pause"
check "check TARGET pause" [ "$RC" -eq 0 ]
r1=$(field "$TT" runs)
sleep 2.2
check "  no run while paused" [ "$(field "$TT" runs)" = "$r1" ]
check "  and show checks marks it" [ "$(field "$TT" paused)" = true ]
sl -c "check $TT run"
sleep 0.3
check "check TARGET run runs it once" [ "$(field "$TT" runs)" -eq $((r1 + 1)) ]
sl -c "check $TT resume"
sleep 1.5
check "check TARGET resume checks again" [ "$(field "$TT" runs)" -gt $((r1 + 1)) ]
sl -c "check nosuch/target run"
check "an unknown target is named" sh -c '[ "$1" -ne 0 ] && case "$2" in *"no check named nosuch/target"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
sl -c "show check $HT"
check "show check TARGET shows the history" contains "$OUT" "history (newest first):"
check "  with the reasons" contains "$OUT" "digest mismatch"

finish
