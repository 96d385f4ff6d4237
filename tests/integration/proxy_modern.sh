#!/bin/sh
# Issue 15's "done when": one typical modern haproxy.cfg (HTTPS with SNI
# certificates under crt-base, a redirect from HTTP, routing by host and
# by path, a deny list from a file, cookie persistence, X-Forwarded-Proto)
# through softlbd and through haproxy 2.6 side by side, in softlbd's
# network namespace, checked with the same clients (curl, openssl
# s_client): each case asserts what the client got, what the backend
# received, and that haproxy answered the same.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tls_lib.sh"
command -v haproxy >/dev/null || skip "haproxy missing (Debian package haproxy)"

C="$T/certs"
make_certs "$C" || { echo "cannot make certificates"; exit 99; }
ECHO="$top_srcdir/tests/integration/proxy_acl_backend.py"
# The deny list: networks, one a line, a comment, 127.0.0.2 among them.
printf '# denied\n10.0.0.0/8\n127.0.0.2/32\n2001:db8::/32\n' >"$T/deny.lst"

# cfg HTTP HTTPS: the configuration, its two binds on those ports.
cfg() {
	cat <<EOF
global
    ssl-default-bind-options ssl-min-ver TLSv1.2
    crt-base $C

defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s

frontend web
    bind 127.0.0.1:$1
    bind 127.0.0.1:$2 ssl crt rsa.pem crt ec.pem alpn http/1.1
    acl blocked src -f $T/deny.lst
    acl is_api hdr_dom(host) -i api.example.test
    acl is_static path_beg /static/ /assets/
    http-request deny if blocked
    http-request redirect scheme https code 301 if !{ ssl_fc }
    http-request set-header X-Forwarded-Proto https if { ssl_fc }
    http-request set-header X-SNI %[ssl_fc_sni]
    use_backend api if is_api
    use_backend static if is_static
    default_backend app

backend app
    cookie SRV insert indirect nocache
    server a1 127.0.0.1:18081 cookie a1
    server a2 127.0.0.1:18082 cookie a2

backend api
    server api1 127.0.0.1:18083

backend static
    server st1 127.0.0.1:18084
EOF
}
cfg 18080 18443 >"$T/softlb.cfg"
cfg 28080 28443 >"$T/haproxy.cfg"

start_daemon -f /dev/null -p "$T/softlb.cfg"
for b in a1:18081 a2:18082 api1:18083 st1:18084; do
	ns_bg "$PYTHON" "$ECHO" 127.0.0.1 "${b#*:}" "${b%%:*}"
done
ns_bg haproxy -db -f "$T/haproxy.cfg"
for p in 18081 18082 18083 18084 28443; do
	ns_wait_port "$p" || exit 99
done

# get PORT_SOFTLB PORT_HAPROXY SCHEME NAME PATH [CURL ARGS]: the same
# request to both; softlbd's status line, headers and body in $S, haproxy's
# in $H, each with the dates and the Content-Length lines taken out.
get() {
	ps=$1 ph=$2 sc=$3 name=$4 path=$5
	shift 5
	S=$(ns curl -s -i --max-time 10 --cacert "$C/ca.pem" --resolve "$name:$ps:127.0.0.1" \
		"$@" "$sc://$name:$ps$path" 2>&1 | tr -d '\r' | grep -iv '^date:\|^content-length:')
	H=$(ns curl -s -i --max-time 10 --cacert "$C/ca.pem" --resolve "$name:$ph:127.0.0.1" \
		"$@" "$sc://$name:$ph$path" 2>&1 | tr -d '\r' | grep -iv '^date:\|^content-length:' |
		sed "s/:$ph/:$ps/g")
}
status() { printf '%s\n' "$1" | head -n 1 | cut -d' ' -f2; }
hdr() { printf '%s\n' "$1" | grep -i "^$2:" | head -n 1 | cut -d' ' -f2- ; }
body() { printf '%s\n' "$1" | sed '1,/^$/d'; }
same() {
	[ "$(status "$S")" = "$(status "$H")" ] && [ "$(body "$S")" = "$(body "$H")" ] &&
		return 0
	echo "  softlbd: $(status "$S") $(body "$S" | head -n 3 | tr '\n' '|')"
	echo "  haproxy: $(status "$H") $(body "$H" | head -n 3 | tr '\n' '|')"
	return 1
}

# --- HTTP is redirected to HTTPS
get 18080 28080 http www.example.test /cart?x=1
check "http: 301 to https, host, path and query kept ($(hdr "$S" location))" \
	[ "$(status "$S") $(hdr "$S" location)" = "301 https://www.example.test:18080/cart?x=1" ]
check "  as haproxy answers" [ "$(status "$H") $(hdr "$H" location)" = "$(status "$S") $(hdr "$S" location)" ]

# --- HTTPS to the default backend, with the cookie
get 18443 28443 https www.example.test /
check "https: the app backend answers" contains "$(body "$S")" "name a"
check "  the server got X-Forwarded-Proto: https" contains "$(body "$S")" "hdr x-forwarded-proto: https"
check "  and the client's SNI" contains "$(body "$S")" "hdr x-sni: www.example.test"
ck=$(hdr "$S" set-cookie)
check "  a persistence cookie is set ($ck)" contains "$ck" "SRV=a"
check "  haproxy sets the same cookie" [ "$(hdr "$H" set-cookie)" = "$ck" ]
check "  nocache: Cache-Control private, as haproxy" \
	[ "$(hdr "$S" cache-control)" = "$(hdr "$H" cache-control)" ]
srv=$(body "$S" | sed -n 's/^name //p')
n=0
for _ in 1 2 3 4 5 6; do
	get 18443 28443 https www.example.test / -H "Cookie: ${ck%%;*}"
	[ "$(body "$S" | sed -n 's/^name //p')" = "$srv" ] && n=$((n + 1))
done
check "  6 requests with the cookie all reach $srv" [ "$n" -eq 6 ]
check "  indirect: the server never sees the cookie" sh -c '! printf "%s" "$1" | grep -q "hdr cookie"' _ "$(body "$S")"
check "  haproxy keeps the same client on the same server" same

# --- routing by host and by path
get 18443 28443 https api.example.test /v1/users
check "host api.example.test: the api backend" contains "$(body "$S")" "name api1"
check "  as in haproxy" same
check "  with the ECDSA certificate chosen by SNI" sh -c \
	'nsenter -t "$1" -n openssl s_client -connect 127.0.0.1:18443 -servername api.example.test </dev/null 2>/dev/null | grep -q "CN = api.example.test"' \
	_ "$DAEMON_PID"
get 18443 28443 https www.example.test /static/logo.png
check "path /static/: the static backend" contains "$(body "$S")" "name st1"
check "  as in haproxy" same
get 18443 28443 https www.example.test /assets/app.js
check "path /assets/: the static backend too" contains "$(body "$S")" "name st1"

# --- the deny list
get 18443 28443 https www.example.test / --interface 127.0.0.2
check "a client in the deny list gets 403" [ "$(status "$S")" = 403 ]
check "  as from haproxy" [ "$(status "$H")" = 403 ]
get 18080 28080 http www.example.test / --interface 127.0.0.2
check "  on plain HTTP too, before the redirect" [ "$(status "$S")" = 403 ]
get 18443 28443 https www.example.test / --interface 127.0.0.3
check "127.0.0.3 is not in the list: served" contains "$(body "$S")" "name a"

# --- crt-base: a crt-list's relative entries are not taken in it yet
printf 'rsa.pem\n' >"$T/rel.list"
cat >"$T/rel.cfg" <<EOF
global
    crt-base $C
listen l
    mode http
    bind 127.0.0.1:18999 ssl crt-list $T/rel.list
    server s 127.0.0.1:18081
EOF
out=$("$top_builddir/softlbd" -t -f /dev/null -p "$T/rel.cfg" 2>&1)
check "crt-base with a relative crt-list entry is refused, naming the list's line" \
	contains "$out" "crt-list $T/rel.list:1: 'rsa.pem' is relative and crt-base is set"

# --- a TLS 1.1 client is refused
check "TLS 1.1 is refused (ssl-default-bind-options)" sh -c \
	'! nsenter -t "$1" -n openssl s_client -connect 127.0.0.1:18443 -tls1_1 </dev/null >/dev/null 2>&1' \
	_ "$DAEMON_PID"

check "the daemon is alive" daemon_alive
finish
