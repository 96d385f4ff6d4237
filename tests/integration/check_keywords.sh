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
            connect_timeout 1
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
T0=$(ms)
start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"
st=$(field "$AL" state) rs=$(field "$AL" reason)
check "alpha: starts DOWN before its first check ($st, '$rs')" [ "$st $rs" = "DOWN not checked yet" ]
check "  and comes UP on its first success" wait_check "$AL" UP "connected" 10

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

# delay_before_retry 2: from the first failure to DOWN, two retries 2 s
# apart (delay_loop 1 would make it 2 s, not 4).
kill -9 "$REC7003"
n=0
until [ "$(field "$HP" progress)" = "UP 1/3" ] || [ "$n" -ge 100 ]; do sleep 0.05; n=$((n + 1)); done
t1=$(ms)
check "delay_before_retry 2: DOWN after two retries" wait_check "$HP" DOWN "" 10
took=$(($(ms) - t1))
check "  about 4 s after the first failure ($took ms)" sh -c '[ "$1" -ge 3300 ] && [ "$1" -le 6500 ]' _ "$took"

# fastinter 300ms: from the first failure to DOWN in one fast retry (inter
# would take 5 s); downinter 400ms: checked about every 0.4 s while DOWN.
kill -9 "$HAP_LISTENER"
n=0
until [ "$(field "$HA" progress)" = "UP 1/2" ] || [ "$n" -ge 150 ]; do sleep 0.05; n=$((n + 1)); done
t1=$(ms)
check "fastinter: the HAProxy server goes DOWN" wait_check "$HA" DOWN "" 5
took=$(($(ms) - t1))
check "  within about 0.3 s of its first failure ($took ms)" [ "$took" -le 1800 ]
r1=$(field "$HA" runs)
sleep 3
r2=$(field "$HA" runs)
check "downinter: about 7 checks in 3 s while DOWN ($((r2 - r1)))" sh -c '[ "$1" -ge 4 ] && [ "$1" -le 10 ]' _ "$((r2 - r1))"

finish
