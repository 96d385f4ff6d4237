#!/bin/sh
# The stats page (stats uri / auth / realm / refresh / hide-version) in a
# netns lab, fetched with curl from the client: 401 with the realm
# without or with wrong credentials, 200 with them; the HTML escapes a
# hostile server name; ;csv has HAProxy 2.6's fields, in the order and
# with the rows haproxy 2.6 gives for the same configuration (run beside
# it when installed) and CSV quoting; ;up hides a server in MAINT;
# ;norefresh drops the Refresh header; its counters are show proxy's.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

lab_up client lb1 rs1 rs2
use_lb1
backend rs1 8080 one
backend rs2 8080 two
RT="$T/rt.sock"
# The part haproxy also runs (its names are ones haproxy accepts).
common() {
	cat <<EOC
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 5s

listen web
    bind 192.0.2.2:$1
    stats uri /st
    stats auth admin:s3cret
    stats auth ops:other
    stats realm "Our Balancer"
    stats refresh 5s
    server s1 192.0.2.21:8080 weight 10
    server s2 192.0.2.22:8080 weight 20

frontend fe
    bind 192.0.2.2:$2
    default_backend app

backend app
    balance leastconn
    server a1 192.0.2.21:8080
    server a2 192.0.2.22:8080 backup
EOC
}
{
	printf 'global\n    stats socket %s level admin\n\n' "$RT"
	common 80 81
	cat <<'EOC'

listen hostile
    bind 192.0.2.2:82
    stats enable
    stats hide-version
    server <script>alert(1)</script>&x 192.0.2.21:8080
    server a,b 192.0.2.22:8080

frontend pageonly
    bind 192.0.2.2:83
    stats uri /s
EOC
} >"$T/haproxy.cfg"
start_daemon -f /dev/null -p "$T/haproxy.cfg"
wait_port 192.0.2.2 80 && wait_port 192.0.2.21 8080 && wait_port 192.0.2.22 8080 || exit 99

hget() {
	OUT=$(on client curl -s -i --max-time 10 "$@" 2>&1 | tr -d '\r')
}
hget http://192.0.2.2/st
check "no credentials: 401" contains "$OUT" "HTTP/1.1 401 Unauthorized"
check "  with the realm" contains "$OUT" 'WWW-Authenticate: Basic realm="Our Balancer"'
hget -u admin:wrong http://192.0.2.2/st
check "a wrong password: 401" contains "$OUT" "HTTP/1.1 401"
hget -u admin:s3cre http://192.0.2.2/st
check "a prefix of the password: 401" contains "$OUT" "HTTP/1.1 401"
hget -u admin:s3cretX http://192.0.2.2/st
check "the password and more: 401" contains "$OUT" "HTTP/1.1 401"
hget -H 'Authorization: Basic !!!notbase64' http://192.0.2.2/st
check "not base64: 401" contains "$OUT" "HTTP/1.1 401"
hget -u admin:s3cret http://192.0.2.2/st
check "the right credentials: 200" contains "$OUT" "HTTP/1.1 200 OK"
hget -u ops:other http://192.0.2.2/st
check "  a second stats auth user: 200" contains "$OUT" "HTTP/1.1 200 OK"
check "  Refresh: 5 (stats refresh 5s)" contains "$OUT" "Refresh: 5"
check "  a table per proxy" sh -c 'for p in web fe app hostile; do printf "%s" "$1" |
	grep -q "<a name=\"$p\"></a>$p</th>" || exit 1; done' _ "$OUT"
check "  the version shown (no hide-version here)" contains "$OUT" "softlb version"
hget -u admin:s3cret 'http://192.0.2.2/st;norefresh'
check ";norefresh: no Refresh header" sh -c '! printf "%s" "$1" | grep -q "^Refresh:"' _ "$OUT"
get http://192.0.2.2/id
check "another path is proxied, not the page ($OUT)" sh -c '[ "$1" = one ] || [ "$1" = two ]' _ "$OUT"

# The hostile names, on the page of the proxy without auth.
hget 'http://192.0.2.2:82/haproxy?stats'
check "stats enable alone: the page at /haproxy?stats, open" contains "$OUT" "HTTP/1.1 200 OK"
check "  a hostile server name is escaped" contains "$OUT" "&lt;script&gt;alert(1)&lt;/script&gt;&amp;x"
check "  and never raw" sh -c '! printf "%s" "$1" | grep -q "<script>"' _ "$OUT"
check "  hide-version: no version" sh -c '! printf "%s" "$1" | grep -q "softlb version"' _ "$OUT"
hget 'http://192.0.2.2:82/haproxy?stats;csv'
check ";csv: a comma in a name is quoted" sh -c 'printf "%s" "$1" | grep -q "^hostile,\"a,b\","' _ "$OUT"
check "  text/plain" contains "$OUT" "Content-Type: text/plain"

R=$(on client curl -s -o /dev/null -w '%{http_code}' --max-time 10 http://192.0.2.2:83/s)
check "a frontend without a backend serves its page ($R)" [ "$R" = 200 ]
R=$(on client curl -s -o /dev/null -w '%{http_code}' --max-time 10 http://192.0.2.2:83/x)
check "  and answers 503 elsewhere ($R)" [ "$R" = 503 ]
R=$(on client curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST -d x=1 http://192.0.2.2:83/s)
check "  POST to the page: 303 (st=DENY: no stats admin, as HAProxy) ($R)" [ "$R" = 303 ]

# Counters: the page's are show proxy's.
stot() {
	on client curl -s -u admin:s3cret 'http://192.0.2.2/st;csv' >"$T/softlb.csv"
	awk -F, -v s="$1" '$1 == "web" && $2 == s {print $8}' "$T/softlb.csv"
}
A1=$(stot s1) A2=$(stot s2)
count 6 http://192.0.2.2/id >/dev/null
B1=$(stot s1) B2=$(stot s2)
check "6 requests: the servers' stot grew by 6 ($A1 + $A2 -> $B1 + $B2)" [ $((B1 + B2 - A1 - A2)) = 6 ]
T1=$(srv web s1 total) T2=$(srv web s2 total)
check "  as show proxy counts them ($T1 $T2)" sh -c '[ "$1" = "$3" ] && [ "$2" = "$4" ]' _ "$B1" "$B2" "$T1" "$T2"
I1=$(awk -F, '$1 == "web" && $2 == "s1" {print $9}' "$T/softlb.csv")
check "  bytes in, as show proxy ($I1)" [ "$I1" = "$(srv web s1 bytes_in)" ]

# ;up hides a server in MAINT.
printf 'disable server web/s2\n' | socat - "UNIX-CONNECT:$RT" >/dev/null 2>&1 ||
	"$SOFTLB" -s "$SOCK" -c 'server web s2 disable' >/dev/null
hget -u admin:s3cret 'http://192.0.2.2/st;csv;up'
check ";up: the MAINT server is hidden" sh -c '! printf "%s" "$1" | grep -q "^web,s2,"' _ "$OUT"
check "  the others are there" sh -c 'printf "%s" "$1" | grep -q "^web,s1,"' _ "$OUT"
hget -u admin:s3cret 'http://192.0.2.2/st;csv'
check "without ;up it is there, MAINT" sh -c 'printf "%s" "$1" | grep -q "^web,s2,.*,MAINT,"' _ "$OUT"
"$SOFTLB" -s "$SOCK" -c 'server web s2 enable' >/dev/null

# HAProxy 2.6 on the same configuration, beside softlbd.
if command -v haproxy >/dev/null 2>&1; then
	{
		printf 'global\n    stats socket %s level admin\n\n' "$T/ref.sock"
		common 8080 8081
	} >"$T/ref.cfg"
	on lb1 haproxy -q -f "$T/ref.cfg" -D -p "$T/haproxy.pid" || fail "haproxy did not start"
	at_exit "kill \$(cat '$T/haproxy.pid')"
	wait_port 192.0.2.2 8080 || exit 99
	on client curl -s -u admin:s3cret 'http://192.0.2.2:8080/st;csv' >"$T/ref.csv"
	on client curl -s -u admin:s3cret 'http://192.0.2.2/st;csv' >"$T/softlb.csv"
	check "haproxy 2.6 and softlb: the same CSV header" \
		[ "$(head -1 "$T/ref.csv")" = "$(head -1 "$T/softlb.csv")" ]
	# Per row of haproxy's: softlb's row of the same names has the same
	# number of fields, and the same iid, sid, type, status, weight,
	# act, bck, mode and algo.
	key='{print $1","$2": nf="NF" iid="$28" sid="$29" type="$33" status="$18" weight="$19" act="$20" bck="$21" mode="$76" algo="$77}'
	awk -F, "NR > 1 && NF > 1 $key" "$T/ref.csv" >"$T/ref.rows"
	awk -F, 'NR > 1 && NF > 1 && $1 != "hostile" && $1 != "pageonly" '"$key" "$T/softlb.csv" >"$T/softlb.rows"
	if diff "$T/ref.rows" "$T/softlb.rows" >"$T/rows.diff"; then
		ok "  the same rows, in the same order, with the same identity and state columns ($(wc -l <"$T/ref.rows") rows)"
	else
		fail "  rows differ from haproxy's:"
		cat "$T/rows.diff"
	fi
	# The same over the runtime sockets (addr and algo shown there).
	printf 'show stat\n' | socat - "UNIX-CONNECT:$T/ref.sock" >"$T/ref.sock.csv"
	printf 'show stat\n' | socat - "UNIX-CONNECT:$RT" >"$T/softlb.sock.csv"
	key2=${key%\}}' " addr="$74}'
	awk -F, "NR > 1 && NF > 1 $key2" "$T/ref.sock.csv" >"$T/ref.rows"
	awk -F, 'NR > 1 && NF > 1 && $1 != "hostile" && $1 != "pageonly" '"$key2" "$T/softlb.sock.csv" >"$T/softlb.rows"
	if diff "$T/ref.rows" "$T/softlb.rows" >"$T/rows.diff"; then
		ok "  show stat on both runtime sockets: the same rows and columns, addr and algo too"
	else
		fail "  show stat rows differ from haproxy's:"
		cat "$T/rows.diff"
	fi
	check "  and the same header" [ "$(head -1 "$T/ref.sock.csv")" = "$(head -1 "$T/softlb.sock.csv")" ]
	hget http://192.0.2.2:8080/st
	R=$(printf '%s' "$OUT" | grep -i '^WWW-Authenticate' | sed 's/^[^:]*: //')
	check "  both ask for credentials the same way ($R)" contains "$(on client curl -s -i http://192.0.2.2/st | tr -d '\r')" "$R"
else
	echo "haproxy not installed: the comparison with haproxy 2.6 is skipped (scripts/deps installs it)"
fi
finish
