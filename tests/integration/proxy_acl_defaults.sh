#!/bin/sh
# Two rule features real configurations use, softlbd and haproxy 2.6 side
# by side on one configuration (in softlbd's network namespace, on
# 127.0.0.1):
#  - http_auth_group(USERLIST) GROUP...: the user of valid Basic
#    credentials belongs to one of the groups, by 'group G users U,...'
#    or by 'user U ... groups G,...';
#  - rules in a named defaults section (HAProxy 2.6): the proxies that
#    inherit it run its http-request / http-response / tcp-request rules
#    before their own, its ACLs are its own (a proxy's ACL of the same
#    name is another one), and what HAProxy refuses is refused (rules in
#    an anonymous defaults, use_backend / redirect in defaults, a listen
#    or both frontends and backends inheriting rules, a defaults
#    inheriting rules), with haproxy -c refusing the same files.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tls_lib.sh"
ECHO="$top_srcdir/tests/integration/proxy_acl_backend.py"
command -v haproxy >/dev/null || skip "haproxy missing (Debian package haproxy)"

cfg() {	# cfg PORT_OFFSET: the configuration, frontends at 80xx + offset
	cat <<EOC
userlist staff
    group admins users alice
    group ops
    user alice insecure-password wonder
    user bob insecure-password s3cret groups ops
    user carol insecure-password c4rol

defaults base
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    acl dflt path_beg /d/
    http-request deny if dflt
    http-request deny deny_status 410 if { path /blocked }
    http-request set-header X-From-Defaults yes
    http-response set-header X-Defaults-Rsp yes

frontend web from base
    bind 127.0.0.1:$((8001 + $1))
    acl dflt path_beg /other/
    http-request deny deny_status 429 if dflt
    http-request auth realm Staff if { path_beg /staff/ } !{ http_auth(staff) }
    http-request deny if { path_beg /staff/ } !{ http_auth_group(staff) admins ops }
    default_backend b

defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s

backend b
    server s 127.0.0.1:8080
EOC
}
cfg 0 >"$T/softlb.cfg"
cfg 100 >"$T/haproxy.cfg"
out=$(haproxy -c -f "$T/haproxy.cfg" 2>&1) || { echo "haproxy refuses the test's configuration: $out"; exit 99; }
start_daemon -f /dev/null -p "$T/softlb.cfg"
ns_bg "$PYTHON" "$ECHO" 127.0.0.1 8080 echo
ns_bg haproxy -db -f "$T/haproxy.cfg"
ns_wait_port 8080 && ns_wait_port 8001 && ns_wait_port 8101 || exit 99

# get PORT PATH [curl options]: "STATUS" and, for a 200, what the backend
# got of X-From-Defaults and the client of X-Defaults-Rsp.
get() {
	port=$1 path=$2
	shift 2
	ns curl -s --max-time 5 -D "$T/h" -o "$T/b" "$@" "http://127.0.0.1:$port$path" >/dev/null 2>&1
	st=$(sed -n '1s/^HTTP\/1.1 \([0-9]*\).*/\1/p' "$T/h")
	printf '%s' "$st"
	if [ "$st" = 200 ]; then
		printf ' %s' "$(grep -i '^hdr x-from-defaults' "$T/b" | tr -d '\r')"
		printf ' %s' "$(grep -i '^x-defaults-rsp' "$T/h" | tr -d '\r')"
	fi
}
# HAProxy sends header names in lower case: compare them so.
lget() { get "$@" | tr 'A-Z' 'a-z'; }
# case WANT PATH [curl options]: softlbd answers WANT, and haproxy the same.
case_() {
	want=$1 path=$2
	shift 2
	R=$(lget 8001 "$path" "$@")
	H=$(lget 8101 "$path" "$@")
	if [ "$R" = "$want" ] && [ "$H" = "$R" ]; then
		ok "$path $*: $R (haproxy the same)"
	else
		fail "$path $*: softlbd '$R', haproxy '$H', wanted '$want'"
	fi
}
OK200="200 hdr x-from-defaults: yes x-defaults-rsp: yes"
case_ "$OK200" /
case_ 410 /blocked
case_ 403 /d/x
case_ 429 /other/x
case_ "$OK200" /staff/x -u alice:wonder
case_ "$OK200" /staff/x -u bob:s3cret
case_ 403 /staff/x -u carol:c4rol
case_ 401 /staff/x -u alice:wrong
case_ 401 /staff/x

# refused FILE-LINES WANT: softlbd -t and haproxy -c both refuse it.
refused() {
	want=$1
	shift
	printf '%s\n' "$@" >"$T/bad.cfg"
	out=$("$SOFTLBD" -t -f /dev/null -p "$T/bad.cfg" 2>&1)
	rc=$?
	haproxy -c -f "$T/bad.cfg" >/dev/null 2>&1
	hrc=$?
	if [ "$rc" -eq 1 ] && contains "$out" "$want" && [ "$hrc" -ne 0 ]; then
		ok "refused as by haproxy -c: $want"
	else
		fail "wanted '$want' (softlbd rc $rc, haproxy -c rc $hrc): $out"
	fi
}
D="    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s"
FE="    bind 127.0.0.1:18080
    default_backend b"
refused "bad.cfg:6: 'http-request' not allowed in anonymous 'defaults' section" \
	"defaults" "$D" "    http-request deny" "frontend f" "$FE" "backend b" "    server s 127.0.0.1:1"
refused "bad.cfg:6: 'use_backend' not allowed in 'defaults' section" \
	"defaults n" "$D" "    use_backend b" "frontend f" "$FE" "backend b" "    server s 127.0.0.1:1"
refused "bad.cfg:6: 'redirect' not allowed in 'defaults' section" \
	"defaults n" "$D" "    redirect location /" "frontend f" "$FE" "backend b" "    server s 127.0.0.1:1"
refused "bad.cfg:7: a listen section cannot inherit from a defaults section defining TCP/HTTP rules" \
	"defaults n" "$D" "    http-request deny" "listen l from n" "    bind 127.0.0.1:18080" \
	"    server s 127.0.0.1:1"
refused "bad.cfg:10: frontends and backends cannot inherit from the same defaults section" \
	"defaults n" "$D" "    http-request deny" "frontend f from n" "$FE" "backend b from n" \
	"    server s 127.0.0.1:1"
refused "bad.cfg:7: a defaults section cannot inherit from a defaults section defining TCP/HTTP rules" \
	"defaults n" "$D" "    http-request deny" "defaults m from n" "$D" "frontend f from m" "$FE" \
	"defaults" "$D" "backend b" "    server s 127.0.0.1:1"
refused "bad.cfg:10: no such ACL: 'dflt'" \
	"defaults n" "$D" "    acl dflt path /x" "    http-request deny if dflt" "frontend f from n" \
	"    bind 127.0.0.1:18080" "    http-request deny if dflt" "    default_backend b" \
	"defaults" "$D" "backend b" "    server s 127.0.0.1:1"
# show running-config prints the defaults' rules once, in the defaults.
RC=$("$SOFTLB" -s "$SOCK" -c 'show running-config' 2>&1)
n=$(printf '%s\n' "$RC" | grep -c 'X-From-Defaults')
check "show running-config prints a defaults rule once ($n)" [ "$n" -eq 1 ]
finish
