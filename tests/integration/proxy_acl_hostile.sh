#!/bin/sh
# L7 rules against bad input: configurations that must be refused at load
# with FILE:LINE (CR/LF in a header value, samples softlb does not have,
# unknown fetches and flags, ACLs used but never defined, bad addresses),
# -f files with bad lines and regexes that do not compile (the reload is
# refused, the running rules stay), and a regex that would backtrack for
# ever (the match limit stops it: the request is answered, the daemon
# lives on).
. "${top_srcdir:?}/tests/integration/lib.sh"

ECHO="$top_srcdir/tests/integration/proxy_acl_backend.py"
command -v curl >/dev/null || skip "curl missing (Debian package curl)"
command -v nsenter >/dev/null || skip "nsenter missing (Debian package util-linux)"

head_cfg() {
	cat <<'EOC'
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend web
    bind 127.0.0.1:8080
EOC
}

# bad LINE... WANT: the configuration with those lines at 8.. must fail
# softlbd -t with WANT (at its line) in the message.
bad() {
	want=$1
	shift
	{
		head_cfg
		for l in "$@"; do printf '    %s\n' "$l"; done
		printf '    default_backend b\nbackend b\n    server s 127.0.0.1:8081\n'
	} >"$T/bad.cfg"
	out=$("$SOFTLBD" -t -f /dev/null -p "$T/bad.cfg" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && contains "$out" "$want"; then
		ok "refused at load: $want"
	else
		fail "not refused as wanted ($want): rc $rc: $out"
	fi
}

CR=$(printf '\r')
bad "bad.cfg:8: a header value or target may not hold a CR or LF" \
	"http-request set-header X-A \"a${CR}b\""
bad "bad.cfg:8: a header value or target may not hold a CR or LF" \
	"http-response add-header X-A \"a${CR}Set-Cookie: x=1\""
bad "bad.cfg:9: sample '%[req.cook(sid)]' is not supported" \
	"acl x path /" "http-request set-header X-A %[req.cook(sid)]"
bad "bad.cfg:8: unknown fetch 'path_bogus'" "acl x path_bogus /a"
bad "bad.cfg:8: unknown flag '-q'" "acl x path -q /a"
bad "bad.cfg:8: '-m nope': unknown matcher" "acl x path -m nope /a"
bad "bad.cfg:9: no such ACL: 'undefined_acl'" "acl x path /a" \
	"use_backend b if x || undefined_acl"
bad "bad.cfg:8: '300.1.2.3' is not an address or a network" "acl x src 300.1.2.3"
bad "bad.cfg:8: '-' is not an integer" "acl x dst_port -"
bad "bad.cfg:8: '{' without its '}'" "http-request deny if { path /a"
bad "bad.cfg:8: 'http-request set-var(txn.a)' is not implemented by softlb yet" \
	"http-request set-var(txn.a) int(1)"
bad "bad.cfg:8: 'http-request auth' expects [realm REALM]" "http-request auth realm"

# A running daemon: its rules and backend live in its own namespace.
printf '192.0.2.0/24\n' >"$T/list"
live_cfg() {
	head_cfg
	cat <<EOC
    acl evil path_reg ^/evil/(a+)+\$
    http-request deny if evil
    http-request deny if { hdr_reg(x-hostile) ^(a|aa)+\$ }
    http-request deny deny_status 429 if { req.hdr(x-client) -m ip -f $T/list }
    $1
    default_backend b
backend b
    server s 127.0.0.1:8081
EOC
}
live_cfg "" >"$T/haproxy.cfg"
start_daemon -f /dev/null -p "$T/haproxy.cfg"
in_ns() {
	nsenter -t "$DAEMON_PID" -n "$@"
}
# nsenter itself (not a function's subshell), so $! is the backend's pid.
nsenter -t "$DAEMON_PID" -n "$PYTHON" "$ECHO" 127.0.0.1 8081 b >>"$T/bg.log" 2>&1 &
at_exit "kill -9 $!"
for _ in $(seq 50); do
	in_ns curl -s -o /dev/null http://127.0.0.1:8081/ && break
	sleep 0.1
done
code() {
	in_ns curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$@"
}
check "path_reg matches an ordinary path: denied" [ "$(code http://127.0.0.1:8080/evil/aaa)" = 403 ]
AS=$("$PYTHON" -c 'print("a" * 5000)')
R=$(code "http://127.0.0.1:8080/evil/${AS}b")
check "path_reg (a+)+\$ on 5,000 a's and a b: the match limit stops it, answered ($R)" \
	[ "$R" = 200 ]
R=$(code -H "X-Hostile: ${AS}b" http://127.0.0.1:8080/)
check "hdr_reg (a|aa)+\$ on a hostile header: answered ($R)" [ "$R" = 200 ]
check "  the daemon lives on" daemon_alive
check "-m ip -f on a header: listed address denied" \
	[ "$(code -H 'X-Client: 192.0.2.7' http://127.0.0.1:8080/)" = 429 ]
check "  another address passes" [ "$(code -H 'X-Client: 198.51.100.7' http://127.0.0.1:8080/)" = 200 ]
check "  a value that is no address passes" [ "$(code -H 'X-Client: bogus' http://127.0.0.1:8080/)" = 200 ]

# Reloads that must be refused, naming the file and line; the running
# rules stay.
reload_refused() {
	want=$1
	sl -c reload
	if [ "$RC" -ne 0 ] && contains "$OUT" "$want"; then
		ok "reload refused: $want"
	else
		fail "reload not refused as wanted ($want): rc $RC: $OUT"
	fi
	check "  the old rules still answer" [ "$(code -H 'X-Client: 192.0.2.7' \
		http://127.0.0.1:8080/)" = 429 ]
}
printf '192.0.2.0/24\n# fine\n\n300.0.0.1\n' >"$T/list"
live_cfg "" >"$T/haproxy.cfg"
reload_refused "$T/list:4: '300.0.0.1' is not an address or a network"
printf '192.0.2.0/24\n' >"$T/list"
live_cfg "acl broken path_reg ^(unclosed" >"$T/haproxy.cfg"
reload_refused "haproxy.cfg:12: regex '^(unclosed'"
live_cfg "acl gone src -f $T/missing.lst" >"$T/haproxy.cfg"
reload_refused "-f $T/missing.lst: No such file or directory"
live_cfg "use_backend nowhere if { path /x }" >"$T/haproxy.cfg"
reload_refused "haproxy.cfg:12: use_backend: no backend named 'nowhere'"
check "softlbd still runs" daemon_alive
finish
