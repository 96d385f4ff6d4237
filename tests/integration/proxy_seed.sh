#!/bin/sh
# The seed's haproxy.cfg (HAProxy 1.4 syntax) loads unchanged and serves,
# in a netns lab that owns the seed's 10.10.209.x addresses: its mode tcp
# listener on 808, its mode http listeners on 80 and 88 (X-Forwarded-For,
# balance hdr(pragma) over two servers), with health checks UP, and its
# stats page (listen haproxy_status_89, stats uri /haproxy-stats,
# refresh 2s) answering on :89.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

# The seed's file, as kept byte for byte in the configuration corpus.
SEED="$top_srcdir/tests/config/good/seed-haproxy.cfg"
lab_up client lb1 rs1 rs2
# The seed's addresses exist only inside this lab.
ip -n "$LAB-lb1" addr add 10.10.209.1/24 dev eth0
ip -n "$LAB-rs1" addr add 10.10.209.102/24 dev eth0
ip -n "$LAB-rs2" addr add 10.10.209.144/24 dev eth0
use_lb1
bg_on rs1 "$PYTHON" "$PXB" 10.10.209.102 80 rs1-80
bg_on rs1 "$PYTHON" "$PXB" 10.10.209.102 88 rs1-88
bg_on rs2 "$PYTHON" "$PXB" 10.10.209.144 88 rs2-88
RS2_88=$BG_PID
# The seed logs to 127.0.0.1 (port 514) local0 at level err: a syslog
# receiver on lb1's loopback.
bg_on lb1 "$PYTHON" "$top_srcdir/tests/integration/syslog_recv.py" udp 127.0.0.1 514 "$T/syslog" 100
start_daemon -f /dev/null -p "$SEED"
sl -c 'show proxy'
check "the seed's four listen sections run" sh -c 'for w in http_proxy_80 hts_proxy_88 tcp_proxy_808 haproxy_status_89; do
	case "$1" in *"$w"*) ;; *) exit 1;; esac; done' _ "$OUT"
up=yes
for ps in http_proxy_80:s1 hts_proxy_88:s1 hts_proxy_88:s2 tcp_proxy_808:s1; do
	wait_srv "${ps%%:*}" "${ps#*:}" status UP 10 || up=no
done
check "its checked servers come UP" [ "$up" = yes ]
wait_port 192.0.2.2 808 || exit 99

get http://192.0.2.2:808/id
check "mode tcp on 808 reaches 10.10.209.102:80 ($OUT)" [ "$OUT" = rs1-80 ]
get http://192.0.2.2:80/xff
check "mode http on 80 adds X-Forwarded-For ($OUT)" [ "$OUT" = 192.0.2.10 ]
R=$(count 6 http://192.0.2.2:88/id | wc -l)
check "88 spreads requests without Pragma over both servers" [ "$R" = 2 ]
R=$(on client sh -c 'for i in 1 2 3 4; do curl -s -H "Pragma: no-cache" http://192.0.2.2:88/id; done' | sort -u | wc -l)
check "  and keeps one Pragma value on one server" [ "$R" = 1 ]

# The seed's monitoring page, as its operators open it.
wait_port 192.0.2.2 89 || exit 99
P=$(on client curl -s -i --max-time 10 http://192.0.2.2:89/haproxy-stats | tr -d '\r')
check "the stats page answers on :89 at /haproxy-stats" contains "$P" "HTTP/1.1 200 OK"
check "  refreshing every 2 s (stats refresh 2s)" contains "$P" "Refresh: 2"
check "  with a table for each of the seed's proxies" sh -c 'for w in http_proxy_80 hts_proxy_88 tcp_proxy_808 haproxy_status_89; do
	printf "%s" "$1" | grep -q "<a name=\"$w\"></a>$w</th>" || exit 1; done' _ "$P"
check "  its servers UP (health-checked)" sh -c '[ "$(printf "%s" "$1" | grep -c "class=\"active_up\"")" = 4 ]' _ "$P"
C=$(on client curl -s --max-time 10 'http://192.0.2.2:89/haproxy-stats;csv')
R=$(printf '%s\n' "$C" | awk -F, '$1 == "hts_proxy_88" && $2 == "BACKEND" {print $8}')
check "  ;csv counts the requests 88 served (stot $R)" [ "$R" -ge 10 ]
R=$(printf '%s\n' "$C" | awk -F, '$1 == "tcp_proxy_808" && $2 == "s1" {print $18 "," $76}')
check "  the mode tcp listener is there too ($R)" [ "$R" = "UP,tcp" ]
R=$(printf '%s\n' "$C" | awk -F, '$1 == "haproxy_status_89" && $2 == "BACKEND" {print $18}')
check "  the stats listen, which has no server, is UP as in haproxy ($R)" [ "$R" = UP ]
P=$(on client curl -s -o /dev/null -w '%{http_code}' --max-time 10 http://192.0.2.2:89/other)
check "  another path on :89: 503, as haproxy (no servers in that listen) ($P)" [ "$P" = 503 ]
# Its logs: requests are info, below the seed's 'err', so they send
# nothing (as haproxy); a server going down is an alert, and it arrives.
kill -9 "$RS2_88"
wait_srv hts_proxy_88 s2 status DOWN 10
sleep 0.5
cat "$T/syslog"
check "the seed's log line: hts_proxy_88/s2 DOWN, local0.alert to 127.0.0.1:514" \
	grep -q '^<129>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* softlbd\[[0-9]*\]: Server hts_proxy_88/s2 is DOWN, reason: .* 1 active and 0 backup servers left\.' "$T/syslog"
check "  and no traffic line (info is below err)" sh -c '! grep -q "GET /" "$1"' _ "$T/syslog"
finish
