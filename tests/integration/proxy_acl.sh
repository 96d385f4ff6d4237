#!/bin/sh
# L7 rules in a netns lab, softlbd and haproxy 2.6 side by side on one
# configuration: ACLs (fetches, flags, -f lists of 100,000 addresses,
# anonymous blocks, ||, !, unless, implicit AND, several lines of one
# name), use_backend, http-request deny / return / redirect / auth with a
# userlist (crypt(3) hash and insecure-password) / header and
# path rewrites, http-response header rules, the legacy redirect,
# tcp-request connection reject, and SNI routing in mode tcp
# (tcp-request inspect-delay, req.ssl_sni). Each case asserts what the
# client got and what the backend received (the echo backend prints it),
# and that haproxy answered the same.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

ECHO="$top_srcdir/tests/integration/proxy_acl_backend.py"
SNI="$top_srcdir/tests/integration/proxy_acl_sni.py"

lab_up client lb1 rs1 rs2
use_lb1
bg_on rs1 "$PYTHON" "$ECHO" 192.0.2.21 8080 api
bg_on rs2 "$PYTHON" "$ECHO" 192.0.2.22 8080 main
bg_on rs1 "$PYTHON" "$ECHO" 192.0.2.21 9443 tcp:sni-a
bg_on rs2 "$PYTHON" "$ECHO" 192.0.2.22 9443 tcp:sni-other

# 100,000 addresses that never send anything, and the client's network.
"$PYTHON" -c 'import sys
with open(sys.argv[1], "w") as f:
    f.write("# deny list\n\n")
    for i in range(100000):
        f.write("10.%d.%d.%d\n" % (i >> 16, (i >> 8) & 255, i & 255))
    f.write("192.0.2.8/29\n")' "$T/deny.lst"
printf 'pong from a file\n' >"$T/pong.txt"
HASH=$(openssl passwd -6 -salt saltsalt wonder) || exit 99

# The configuration, for one proxy (P: the first port; softlbd 80..,
# haproxy 8080..).
conf() {
	sed -e "s|@P0@|$1|g" -e "s|@P1@|$(($1 + 1))|g" -e "s|@P2@|$(($1 + 2))|g" \
		-e "s|@P3@|$(($1 + 3))|g" -e "s|@P4@|$(($1 + 4))|g" -e "s|@T@|$T|g" \
		-e "s|@HASH@|$HASH|g" <<'EOC'
userlist admins
    user alice password @HASH@
    user bob insecure-password s3cret

defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s

frontend web
    bind 192.0.2.2:@P0@
    acl is_api path_beg /api
    acl is_api hdr(host) -i api.example.org
    acl blocked src -f @T@/deny.lst
    acl private path_beg /private
    acl dotjson path_end .json
    acl v2 hdr_beg(x-version) 2.
    acl many hdr_cnt(x-multi) gt 1
    acl img path_dir img
    acl shop hdr_dom(host) shop
    acl numbered path_reg ^/re/[0-9]+$
    acl has_dbg url_param(debug) -m found
    acl here dst_port @P0@
    acl post method POST
    tcp-request content reject if { path /tcpreject }
    http-request deny if blocked private
    http-request deny deny_status 429 if { hdr(x-evil) -m found }
    http-request tarpit if { path /tarpit }
    http-request return status 200 content-type text/plain string pong if { path /ping }
    http-request return status 503 content-type text/plain file @T@/pong.txt if { path /pongfile }
    http-request redirect prefix /new code 301 if { path_beg /old }
    http-request redirect location /moved if { path /loc } here
    http-request set-header X-Src %[src]
    http-request set-header X-Copy-Host %[hdr(host)]
    http-request add-header X-Path %[path]
    http-request del-header X-Remove
    http-request replace-header X-Rep ^(.*)-old$ \1-new
    http-request set-path /rewritten if { path /setpath }
    http-request set-query a=1 if { path /setquery }
    http-request set-header X-Many yes if many
    http-request set-header X-Img yes if img || shop
    http-request set-header X-Dbg yes if has_dbg !post
    http-request set-header X-Num yes if numbered
    http-request set-header X-Post yes if post
    redirect scheme https code 302 if !{ ssl_fc } { path /secure }
    use_backend api if is_api || dotjson
    use_backend api if v2
    default_backend main

listen closed
    bind 192.0.2.2:@P1@
    tcp-request connection reject if { src 192.0.2.0/24 }
    server m 192.0.2.22:8080

listen gated
    bind 192.0.2.2:@P2@
    http-request deny unless { hdr(x-key) secret }
    use_backend api if { path_beg /to-api }
    server m 192.0.2.22:8080

listen authed
    bind 192.0.2.2:@P4@
    acl ok http_auth(admins)
    http-request auth realm Admins unless ok
    server m 192.0.2.22:8080

frontend tls
    mode tcp
    bind 192.0.2.2:@P3@
    tcp-request inspect-delay 2s
    tcp-request content reject if { req.ssl_sni -i blocked.example }
    tcp-request content accept if { req.ssl_sni -m found }
    use_backend sni_a if { req.ssl_sni -i a.example }
    default_backend sni_other

backend sni_a
    mode tcp
    server a 192.0.2.21:9443

backend sni_other
    mode tcp
    server o 192.0.2.22:9443

backend api
    tcp-request content reject if { hdr(x-block-api) -m found }
    http-response set-header X-Via-Api yes
    http-response del-header X-Secret
    server a 192.0.2.21:8080

backend main
    http-request set-header X-Main 1
    server m 192.0.2.22:8080
EOC
}

conf 80 >"$T/haproxy.cfg"
start_daemon -f /dev/null -p "$T/haproxy.cfg"
HAP=
if command -v haproxy >/dev/null; then
	conf 8080 >"$T/hap.cfg"
	bg_on lb1 haproxy -db -f "$T/hap.cfg"
	HAP=$BG_PID
fi
wait_port 192.0.2.2 80 && wait_port 192.0.2.21 8080 && wait_port 192.0.2.22 8080 || exit 99
[ -z "$HAP" ] || wait_port 192.0.2.2 8080 || exit 99

# ask PORT PATH [curl options]: one request; prints a summary of what the
# client got (status, Location, X-Via-Api, X-Secret) and what the backend
# received (its name, the target, the X- headers), one item per line.
ask() {
	port=$1 path=$2
	shift 2
	on client curl -s --max-time 10 -D "$T/h" -o "$T/b" "$@" "http://192.0.2.2:$port$path" \
		>/dev/null 2>&1
	code=$(head -1 "$T/h" 2>/dev/null | cut -d' ' -f2)
	echo "status ${code:-none}"
	tr -d '\r' <"$T/h" | grep -i '^\(location\|x-via-api\|x-secret\|content-type\):' |
		tr 'A-Z' 'a-z' | sed 's/^/got /'
	grep '^\(name\|target\|hdr\) ' "$T/b" 2>/dev/null |
		grep -v '^hdr \(host\|user-agent\|accept\|content-length\|content-type\|connection\):' |
		sed 's/^\(hdr x-copy-host: 192.0.2.2\):8080$/\1/'
	rm -f "$T/h" "$T/b"
}

# case NAME PATH WANT... -- [curl options]: WANT are lines the summary
# must hold ("!LINE": must not). The same request to haproxy must give
# the same summary.
case_() {
	name=$1 path=$2
	shift 2
	wants=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		wants="$wants
$1"
		shift
	done
	[ $# -gt 0 ] && shift
	got=$(ask 80 "$path" "$@")
	bad=
	IFS_SAVE=$IFS
	IFS='
'
	for w in $wants; do
		case $w in
		!*) printf '%s\n' "$got" | grep -qxF -- "${w#!}" && bad="$bad [has '${w#!}']" ;;
		*) printf '%s\n' "$got" | grep -qxF -- "$w" || bad="$bad [no '$w']" ;;
		esac
	done
	IFS=$IFS_SAVE
	if [ -z "$bad" ]; then ok "$name"; else fail "$name:$bad"; printf '%s\n' "$got" | sed 's/^/    /'; fi
	if [ -n "$HAP" ]; then
		hgot=$(ask 8080 "$path" "$@")
		if [ "$got" = "$hgot" ]; then
			ok "  haproxy answers the same"
		else
			fail "  haproxy answers differently"
			printf '%s\n' "$got" >"$T/s"
			printf '%s\n' "$hgot" >"$T/hh"
			diff "$T/s" "$T/hh" | sed 's/^/    /'
		fi
	fi
}

case_ "no rule matches: default_backend" /x "status 200" "name main" "target /x" \
	"hdr x-main: 1" "hdr x-src: 192.0.2.10" "hdr x-path: /x" "hdr x-copy-host: 192.0.2.2"
case_ "path_beg: use_backend api" /api/v1 "name api" "target /api/v1" "!hdr x-main: 1"
case_ "two acl lines of one name OR together (hdr(host) -i)" /y "name api" -- -H "Host: API.Example.ORG"
case_ "|| in a condition (path_end)" /data.json "name api"
case_ "hdr_beg" /z "name api" -- -H "X-Version: 2.1"
case_ "  hdr_beg that does not match" /z "name main" -- -H "X-Version: 1.9"
case_ "http-response rules of the backend" /api/r "got x-via-api: yes" "!got x-secret: internal"
case_ "  not on the other backend" /r "got x-secret: internal" "!got x-via-api: yes"
case_ "-f list of 100,000 addresses and implicit AND: denied" /private/x "status 403"
case_ "  the same list, the other ACL false: allowed" /public "status 200"
case_ "deny_status, -m found" /x "status 429" -- -H "X-Evil: 1"
case_ "tarpit: held for timeout connect, then 500" /tarpit "status 500"
case_ "tcp-request content reject in mode http: closed, no answer" /tcpreject "status none"
case_ "  the backend's tcp-request content rules, once it is chosen" /api/x "status none" \
	-- -H "X-Block-Api: 1"
case_ "  not when the request goes elsewhere" /x "status 200" -- -H "X-Block-Api: 1"
case_ "return string" /ping "status 200" "got content-type: text/plain"
case_ "return file, status" /pongfile "status 503"
case_ "redirect prefix code 301" /old/page "status 301" "got location: /new/old/page"
case_ "redirect location, dst_port" /loc "status 302" "got location: /moved"
case_ "legacy redirect scheme https if !{ ssl_fc }" /secure "status 302" \
	"got location: https://example.org/secure" -- -H "Host: example.org"
case_ "del-header, replace-header with a group" /h "!hdr x-remove: 1" "hdr x-rep: thing-new" \
	-- -H "X-Remove: 1" -H "X-Rep: thing-old"
case_ "set-path keeps the query" "/setpath?k=v" "target /rewritten?k=v" "hdr x-path: /setpath"
case_ "set-query" "/setquery?old=1" "target /setquery?a=1"
case_ "hdr_cnt gt 1" /m "hdr x-many: yes" -- -H "X-Multi: a" -H "X-Multi: b"
case_ "  hdr_cnt counts comma-separated values" /m "hdr x-many: yes" -- -H "X-Multi: a, b"
case_ "path_dir" /static/img/a.png "hdr x-img: yes"
case_ "hdr_dom" /p "hdr x-img: yes" -- -H "Host: www.shop.example"
case_ "  hdr_dom needs a whole label" /p "!hdr x-img: yes" -- -H "Host: www.shopping.example"
case_ "path_reg" /re/42 "hdr x-num: yes"
case_ "  path_reg that does not match" /re/4x2 "!hdr x-num: yes"
case_ "url_param -m found and !method" "/q?debug=1&x=2" "hdr x-dbg: yes"
case_ "  the same with POST (negation)" "/q?debug=1" "!hdr x-dbg: yes" "hdr x-post: yes" -- -d x=1
code() {
	on client curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"
}
R=$(code http://192.0.2.2:82/)
check "http-request deny unless: no key, 403 ($R)" [ "$R" = 403 ]
R=$(code -H "X-Key: secret" http://192.0.2.2:82/)
check "  with the key: 200 ($R)" [ "$R" = 200 ]
if [ -n "$HAP" ]; then
	check "  haproxy: the same" [ "$(code http://192.0.2.2:8082/)$(code -H "X-Key: secret" \
		http://192.0.2.2:8082/)" = 403200 ]
fi
R=$(on client curl -s --max-time 5 -H "X-Key: secret" http://192.0.2.2:82/to-api | head -1)
check "use_backend in a listen section ($R)" [ "$R" = "name api" ]
if [ -n "$HAP" ]; then
	H=$(on client curl -s --max-time 5 -H "X-Key: secret" http://192.0.2.2:8082/to-api | head -1)
	check "  haproxy: the same ($H)" [ "$R" = "$H" ]
fi

# http-request auth with a userlist: the answer and what the server got.
auth() {
	on client curl -s --max-time 5 -o /dev/null -D - "$@" 2>/dev/null | tr -d '\r' |
		grep -i '^\(HTTP/\|www-authenticate\)' | tr 'A-Z' 'a-z' | tr '\n' ' '
}
for c in "none" "alice:wonder" "alice:wrong" "bob:s3cret" "carol:s3cret"; do
	opt=
	[ "$c" = none ] || opt="-u $c"
	R=$(auth $opt http://192.0.2.2:84/)
	case $c in
	alice:wonder|bob:s3cret) want="http/1.1 200 ok " ;;
	*) want='http/1.1 401 unauthorized www-authenticate: basic realm="admins" ' ;;
	esac
	check "http-request auth, credentials $c: $R" [ "$R" = "$want" ]
	if [ -n "$HAP" ]; then
		H=$(auth $opt http://192.0.2.2:8084/)
		check "  haproxy: the same" [ "$R" = "$H" ]
	fi
done

R=$(code http://192.0.2.2:81/)
check "tcp-request connection reject: no answer ($R)" [ "$R" = 000 ]
[ -z "$HAP" ] || check "  haproxy: the same" [ "$(code http://192.0.2.2:8081/)" = 000 ]
check "  counted as denied" [ "$(pxf closed denied)" -ge 1 ]

# SNI routing in mode tcp.
sni() {
	on client "$PYTHON" "$SNI" 192.0.2.2 "$1" "$2" 2>/dev/null
}
for c in "a.example sni-a" "A.Example sni-a" "b.example sni-other" "blocked.example closed" \
	"- sni-other" "garbage sni-other"; do
	set -- $c
	R=$(sni 83 "$1")
	check "req.ssl_sni: ClientHello for '$1' -> $2 ($R)" [ "$R" = "$2" ]
	if [ -n "$HAP" ]; then
		H=$(sni 8083 "$1")
		check "  haproxy: the same ($H)" [ "$R" = "$H" ]
	fi
done

check "softlbd still runs" daemon_alive
finish
