#!/bin/sh
# The checker keywords the issue lists, each shown to act, against real
# backends in a netns lab (softlbd in lb1, 192.0.2.2; backends in rs1,
# 192.0.2.21): keepalived's connect_ip / connect_port (the check goes
# elsewhere than the real server), bindto / bind_port (its source),
# http_protocol (the request line), nb_get_retry (the old retry) with
# delay_before_retry (the pace of the retries), warmup (the first check
# early), alpha (start DOWN); HAProxy's addr / port, fastinter (the pace
# while going down) and downinter (the pace while down).
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/check_lib.sh"

lab_up lb1 rs1
use_lb1
BACKENDS="$top_srcdir/tests/integration/check_backends.py"
for port in 7001 7002 7003; do
	bg_on rs1 "$PYTHON" "$BACKENDS" record 192.0.2.21 $port "$T/rec$port"
	eval "REC$port=\$BG_PID"
done
bg_on rs1 "$PYTHON" "$BACKENDS" listen 192.0.2.21 7004 2
bg_on rs1 "$PYTHON" "$BACKENDS" listen 192.0.2.21 7006 1
HAP_LISTENER=$BG_PID
sleep 0.5

cat >"$T/keepalived.conf" <<'EOC'
virtual_server 192.0.2.100 80 {
    lb_kind DR
    protocol TCP
    real_server 192.0.2.31 80 {
        TCP_CHECK {
            connect_ip 192.0.2.21
            connect_port 7001
            connect_timeout 2
            retry 0
            delay_loop 1
        }
    }
    real_server 192.0.2.21 7002 {
        TCP_CHECK {
            bindto 192.0.2.2
            bind_port 40002
            connect_timeout 2
            retry 0
            delay_loop 1
        }
    }
    real_server 192.0.2.21 7003 {
        HTTP_GET {
            url {
                path /kw
            }
            http_protocol 1.1
            connect_timeout 3
            nb_get_retry 2
            delay_before_retry 2
            delay_loop 1
        }
    }
    real_server 192.0.2.21 7004 {
        TCP_CHECK {
            warmup 1
            delay_loop 60
        }
    }
}
virtual_server 192.0.2.101 80 {
    lb_kind DR
    alpha
    real_server 192.0.2.21 7005 {
        TCP_CHECK {
            warmup 3
            delay_loop 1
            retry 0
        }
    }
}
EOC
cat >"$T/haproxy.cfg" <<'EOC'
backend be
    timeout check 1s
    server s1 192.0.2.41:80 check addr 192.0.2.21 port 7006 inter 5s fastinter 300ms downinter 400ms rise 2 fall 2
EOC
CI=192.0.2.100:80/192.0.2.31:80/tcp
BI=192.0.2.100:80/192.0.2.21:7002/tcp
HP=192.0.2.100:80/192.0.2.21:7003/http
WU=192.0.2.100:80/192.0.2.21:7004/tcp
AL=192.0.2.101:80/192.0.2.21:7005/tcp
HA=be/s1

ms() { echo $(($(date +%s%N) / 1000000)); }
# The time, in ms, of softlbd's last log line containing TEXT: timings
# come from the daemon's own clock, not from polling on a busy machine.
log_ms() {
	l=$(grep -F -- "$1" "$DAEMON_LOG" | tail -n 1)
	[ -n "$l" ] || { echo 0; return; }
	s=$(date -d "$(echo "$l" | cut -c1-19)" +%s)
	echo $((s * 1000 + $(echo "$l" | cut -c21-23 | sed 's/^0*//;s/^$/0/')))
}
T0=$(ms)
start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"
check "alpha: UP on its first success" wait_check "$AL" UP "connected" 10
sl --json -c "show events check $AL"
ups=$(printf '%s' "$OUT" | "$PYTHON" -c 'import json, sys
print(sum(e["from"] == "DOWN" and e["to"] == "UP" for e in json.load(sys.stdin)))')
check "  from DOWN, where alpha started it (DOWN -> UP events: $ups)" [ "$ups" = 1 ]

check "warmup 1 with delay_loop 60: checked within the warmup" wait_check "$WU" UP "connected" 4
check "  once only (runs $(field "$WU" runs))" [ "$(field "$WU" runs)" = 1 ]

check "connect_ip / connect_port: UP though 192.0.2.31 does not exist" wait_check "$CI" UP "connected" 10
check "  the connections reached 192.0.2.21:7001" [ -s "$T/rec7001" ]

check "bindto / bind_port: UP" wait_check "$BI" UP "connected" 10
src=$(head -n 1 "$T/rec7002" | cut -d' ' -f1)
check "  from 192.0.2.2:40002 ($src)" [ "$src" = 192.0.2.2:40002 ]

check "http_protocol 1.1: UP" wait_check "$HP" UP "HTTP 200" 10
reqline=$(head -n 1 "$T/rec7003" | cut -d' ' -f2-)
check "  the request line says HTTP/1.1 ($reqline)" [ "$reqline" = "GET /kw HTTP/1.1" ]
check "nb_get_retry 2 is retry 2: fall 3 ($(field "$HP" fall))" [ "$(field "$HP" fall)" = 3 ]

check "addr / port: the HAProxy server is UP through 192.0.2.21:7006" wait_check "$HA" UP "connected" 12

# delay_before_retry 2: from the first failure to DOWN, two
# retries 2 s apart (delay_loop 1 would make it 2 s, not 4).
# Paused while the server dies, so that the first failure is the one at
# resume (which runs the check at once), logged with its time.
sl -c "check $HP pause"
kill -9 "$REC7003"
sl -c "check $HP resume"
check "delay_before_retry 2: DOWN after two retries" wait_check "$HP" DOWN "" 15
took=$(($(log_ms "$HP: UP -> DOWN") - $(log_ms "command=\"check $HP resume\"")))
check "  about 4 s after the first failure ($took ms)" sh -c '[ "$1" -ge 3300 ] && [ "$1" -le 6500 ]' _ "$took"

# fastinter 300ms: from a failure to DOWN in one fast retry (inter would
# take 5 s); downinter 400ms: checked about every 0.4 s while DOWN.
sl -c "check $HA pause"
kill -9 "$HAP_LISTENER"
# Gone for sure (its socket closed) before the check resumes: a check that
# still reached it would wait a whole inter (5 s) for the next try.
wait "$HAP_LISTENER" 2>/dev/null
sl -c "check $HA resume"
check "fastinter: the HAProxy server goes DOWN" wait_check "$HA" DOWN "" 10
took=$(($(log_ms "$HA: UP -> DOWN") - $(log_ms "command=\"check $HA resume\"")))
check "  about 0.3 s after its first failure ($took ms)" sh -c '[ "$1" -ge 200 ] && [ "$1" -le 2500 ]' _ "$took"
t1=$(ms)
r1=$(field "$HA" runs)
sleep 3
r2=$(field "$HA" runs)
el=$(($(ms) - t1))
check "downinter: a check every 0.4 s or so while DOWN ($((r2 - r1)) in $el ms)" \
	sh -c '[ "$1" -ge $(($2 / 800)) ] && [ "$1" -le $(($2 / 250 + 1)) ]' _ "$((r2 - r1))" "$el"

finish
