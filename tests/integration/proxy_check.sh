#!/bin/sh
# The proxy following its servers' health checks and the operator, in a
# netns lab: a killed backend goes DOWN after `fall` failed checks, shows
# DOWN in show proxy and gets no new connections; back, it is UP after
# `rise` and takes traffic again. Operator drain: no new connections,
# a transfer in progress completes; disable: MAINT, its sessions are cut;
# enable brings it back.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

lab_up client lb1 rs1 rs2
use_lb1
backend rs1 8080 one
backend rs2 8080 two
RS2=$BG_PID
cat >"$T/haproxy.cfg" <<'EOC'
defaults
    mode tcp
    timeout connect 1s
    timeout client 20s
    timeout server 20s

listen web
    bind 192.0.2.2:80
    server s1 192.0.2.21:8080 check inter 200ms rise 2 fall 2
    server s2 192.0.2.22:8080 check inter 200ms rise 2 fall 2
EOC
start_daemon -f /dev/null -p "$T/haproxy.cfg"
wait_port 192.0.2.21 8080 && wait_port 192.0.2.22 8080 || exit 99
both_up() { wait_srv web s1 status UP 5 && wait_srv web s2 status UP 5; }
check "both servers are UP by their checks" both_up
check "  with HAProxy's check status" [ "$(srv web s2 check_status)" = L4OK ]
R=$(count 10 http://192.0.2.2/id | tr '\n' ' ')
check "equal weights share the requests ($R)" [ "$R" = "one 5 two 5 " ]

kill -9 "$RS2"
check "a killed backend goes DOWN after fall 2" wait_srv web s2 status DOWN 5
check "  its check says why" [ "$(srv web s2 check_status)" = L4CON ]
sl -c 'show proxy'
check "  show proxy says DOWN" sh -c 'printf "%s\n" "$1" | grep -q "^web/s2 .* DOWN "' _ "$OUT"
before=$(srv web s2 total)
R=$(count 10 http://192.0.2.2/id | tr '\n' ' ')
check "  and it gets no new connections ($R)" [ "$R" = "one 10 " ]
check "  (none even tried)" [ "$(srv web s2 total)" = "$before" ]
check "  and no failed connection on it" [ "$(srv web s2 econ)" = 0 ]

backend rs2 8080 two
check "restarted, it is UP again after rise 2" wait_srv web s2 status UP 5
R=$(count 10 http://192.0.2.2/id | tr '\n' ' ')
check "  and takes traffic again ($R)" [ "$R" = "one 5 two 5 " ]

# Drain s1 while a long transfer runs through it.
sl -c 'server web s2 disable'
check "disable: s2 is MAINT" wait_srv web s2 status MAINT 2
on client curl -s -o /dev/null --max-time 20 -w '%{size_download} %{http_code}\n' \
	http://192.0.2.2/slow/20/100 >"$T/long1" 2>&1 &
LONG=$!
check "the long transfer is on s1" wait_srv web s1 cur 1 3
sl -c 'server web s2 enable'
sl -c 'server web s1 drain'
check "drain: s1 is DRAIN" wait_srv web s1 status DRAIN 2
R=$(count 6 http://192.0.2.2/id | tr '\n' ' ')
check "  new connections avoid it ($R)" [ "$R" = "two 6 " ]
wait "$LONG"
check "  the transfer in progress completes ($(cat "$T/long1"))" [ "$(cat "$T/long1")" = "1310720 200" ]
sl -c 'server web s1 restore'
check "restore: s1 is UP" wait_srv web s1 status UP 2

# Disable cuts the sessions in progress.
sl -c 'server web s1 disable'
on client curl -s -o /dev/null --max-time 20 -w '%{size_download}\n' \
	http://192.0.2.2/slow/30/100 >"$T/long2" 2>&1 &
LONG=$!
check "a second long transfer is on s2" wait_srv web s2 cur 1 3
sl -c 'server web s1 enable'
sl -c 'server web s2 disable'
wait "$LONG"
check "disable cuts the session in progress ($(cat "$T/long2") bytes)" \
	[ "$(cat "$T/long2")" -lt 1966080 ]
sl -c 'server web s2 restore'
check "show runtime is empty again" wait_srv web s2 status UP 2
finish
