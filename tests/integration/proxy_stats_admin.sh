#!/bin/sh
# stats admin if COND (HAProxy's admin form on the stats page) in a netns
# lab: with the condition true the page has a form per backend; POSTs
# drain, put in maintenance and make ready two servers (show proxy
# shows each state, show events names the stats page, the client and
# the auth user, as runtime_set journals it); the status line shows on
# the next GET. With the condition false there is no form and a POST is
# denied. Hostile bodies (huge, chunked, bad percent-encoding, unknown
# server, backend or action, no credentials) get clear answers and
# change nothing. haproxy 2.6, when installed, runs the same
# configuration and answers the same POSTs with the same Location.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

lab_up client lb1 rs1 rs2
use_lb1
backend rs1 8080 one
backend rs2 8080 two
cfg() {
	cat <<EOC
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 5s

listen st
    bind 192.0.2.2:$1
    stats uri /st
    stats auth admin:s3cret
    stats admin if TRUE

listen ro
    bind 192.0.2.2:$2
    stats uri /st
    stats admin if { src 203.0.113.0/24 }

backend app
    server a1 192.0.2.21:8080
    server a2 192.0.2.22:8080
EOC
}
cfg 80 81 >"$T/haproxy.cfg"
start_daemon -f /dev/null -p "$T/haproxy.cfg"
wait_port 192.0.2.2 80 && wait_ns_port "$LAB-rs1" 8080 && wait_ns_port "$LAB-rs2" 8080 || exit 99

# post PORT BODY [curl options]: POSTs BODY to the page; "CODE LOCATION".
post() {
	_p=$1 _b=$2
	shift 2
	on client curl -s -o /dev/null -D - --max-time 10 -u admin:s3cret "$@" \
		-H 'Content-Type: application/x-www-form-urlencoded' --data-binary "$_b" \
		"http://192.0.2.2:$_p/st" | tr -d '\r' |
		awk 'NR == 1 {c = $2} tolower($1) == "location:" {l = $2} END {print c, l}'
}
states() {
	printf '%s %s' "$(srv app a1 state)" "$(srv app a2 state)"
}
UP0=$(states)

OUT=$(on client curl -s --max-time 10 -u admin:s3cret http://192.0.2.2/st)
check "the condition holds: a form for backend app" contains "$OUT" '<form method="post">'
check "  a checkbox per server" sh -c 'printf "%s" "$1" | grep -q "name=\"s\" value=\"a1\"" &&
	printf "%s" "$1" | grep -q "name=\"s\" value=\"a2\""' _ "$OUT"
check "  ready, drain and maint offered" sh -c 'for a in ready drain maint; do
	printf "%s" "$1" | grep -q "<option value=\"$a\">" || exit 1; done' _ "$OUT"
check "  HAProxy's other actions shown disabled" contains "$OUT" '<option value="dhlth" disabled>'
IID=$(printf '%s' "$OUT" | sed -n 's/.*name="b" value="#\([0-9]*\)".*/\1/p' | head -1)
check "  the backend's id in the hidden field b ($IID)" [ -n "$IID" ]

R=$(post 80 's=a1&s=a2&action=drain&b=app')
check "POST drain a1 a2: 303 to /st;st=DONE ($R)" [ "$R" = "303 /st;st=DONE" ]
check "  show proxy: both DRAIN ($(states))" [ "$(states)" = "DRAIN DRAIN" ]
R=$(post 80 "s=a1&action=maint&b=%23$IID")
check "POST maint a1 with b=#$IID: DONE ($R)" [ "$R" = "303 /st;st=DONE" ]
check "  show proxy: a1 MAINT, a2 DRAIN ($(states))" [ "$(states)" = "MAINT DRAIN" ]
sl -c 'show events'
check "show events: the stats page, the client and the auth user as who" \
	contains "$OUT" "stats-page 192.0.2.10 user admin"
OUT=$(on client curl -s --max-time 10 -u admin:s3cret 'http://192.0.2.2/st;st=DONE')
check "the next GET shows the status line" contains "$OUT" "Action processed successfully."
R=$(post 80 's=a1&s=a2&action=ready&b=app')
check "POST ready a1 a2: DONE ($R)" [ "$R" = "303 /st;st=DONE" ]
check "  show proxy: back as before ($(states))" [ "$(states)" = "$UP0" ]

# The condition false: no form, POST denied, nothing changed.
OUT=$(on client curl -s --max-time 10 http://192.0.2.2:81/st)
check "condition false: the page has no form" sh -c '! printf "%s" "$1" | grep -q "<form method=\"post\">"' _ "$OUT"
R=$(post 81 's=a1&action=maint&b=app')
check "  POST: 303 st=DENY ($R)" [ "$R" = "303 /st;st=DENY" ]
check "  nothing changed ($(states))" [ "$(states)" = "$UP0" ]

# Hostile bodies.
R=$(on client curl -s -o /dev/null -w '%{http_code}' --max-time 10 --data 's=a1&action=maint&b=app' http://192.0.2.2/st)
check "no credentials: 401 ($R)" [ "$R" = 401 ]
head -c 20000 /dev/zero | tr '\0' a >"$T/big"
R=$(post 80 "s=a1&action=maint&b=app&x=$(cat "$T/big")")
check "a body beyond the buffer: st=EXCD ($R)" [ "$R" = "303 /st;st=EXCD" ]
R=$(post 80 's=a1&action=maint&b=app' -H 'Transfer-Encoding: chunked')
check "a chunked body: st=IVAL ($R)" [ "$R" = "303 /st;st=IVAL" ]
OUT=$(on client curl -s -i --max-time 10 -u admin:s3cret --data-binary 's=a%zz1&action=maint&b=app' http://192.0.2.2/st | tr -d '\r')
check "bad percent-encoding: 400 naming it" sh -c 'printf "%s" "$1" | grep -q "^HTTP/1.1 400" &&
	printf "%s" "$1" | grep -q "bad percent-encoding at byte"' _ "$OUT"
R=$(post 80 "s=a1%00&action=maint&b=app")
check "a NUL in a value: 400 ($R)" [ "$R" = "400 " ]
R=$(post 80 's=nosuch&action=maint&b=app')
check "an unknown server: st=ERRP ($R)" [ "$R" = "303 /st;st=ERRP" ]
R=$(post 80 's=a1&action=maint&b=nosuch')
check "an unknown backend: st=ERRP ($R)" [ "$R" = "303 /st;st=ERRP" ]
R=$(post 80 's=a1&action=dhlth&b=app')
check "an action softlb does not do (dhlth): st=ERRP ($R)" [ "$R" = "303 /st;st=ERRP" ]
R=$(post 80 'action=maint&b=app')
check "no server: st=NONE ($R)" [ "$R" = "303 /st;st=NONE" ]
R=$(post 80 '&&&=&==')
check "garbage: st=NONE ($R)" [ "$R" = "303 /st;st=NONE" ]
check "  none of those changed anything ($(states))" [ "$(states)" = "$UP0" ]
R=$(post 80 's=a1&s=nosuch&action=drain&b=app')
check "one known server and one unknown: st=PART ($R)" [ "$R" = "303 /st;st=PART" ]
check "  the known one drained ($(states))" [ "$(srv app a1 state)" = DRAIN ]
post 80 's=a1&action=ready&b=app' >/dev/null
check "the daemon lives" daemon_alive

# HAProxy 2.6 on the same configuration answers the same Locations.
if command -v haproxy >/dev/null 2>&1; then
	cfg 8080 8081 >"$T/ref.cfg"
	on lb1 haproxy -q -f "$T/ref.cfg" -D -p "$T/haproxy.pid" || fail "haproxy did not start"
	at_exit "kill \$(cat '$T/haproxy.pid')"
	wait_ns_port "$LAB-lb1" 8080 8081
	for b in 's=a1&s=a2&action=drain&b=app' 's=a1&action=ready&b=app' 's=a2&action=ready&b=app' \
		's=nosuch&action=maint&b=app' 's=a1&action=maint&b=nosuch' 'action=maint&b=app' \
		's=a1&s=nosuch&action=ready&b=app' '&&&=&=='; do
		A=$(post 80 "$b") B=$(post 8080 "$b")
		check "haproxy and softlb: '$b' -> $B" [ "$A" = "$B" ]
	done
	A=$(post 81 's=a1&action=maint&b=app') B=$(post 8081 's=a1&action=maint&b=app')
	check "haproxy and softlb: condition false -> $B" [ "$A" = "$B" ]
	A=$(post 80 "x=$(cat "$T/big")") B=$(post 8080 "x=$(cat "$T/big")")
	check "haproxy and softlb: a huge body -> $B" [ "$A" = "$B" ]
fi

finish
