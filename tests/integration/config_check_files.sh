#!/bin/sh
# softlbd -t loads what applying the configuration would load, as
# HAProxy's -c does: certificates and keys (crt, crt-list, a key that does
# not match its certificate), CA files (bind and server, and a health
# check's), -f pattern files and regexes. Each bad case exits 1 naming the
# configuration's FILE:LINE and the file at fault; the good configuration
# exits 0. Nothing is started: no socket, no namespace.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tls_lib.sh"

C="$T/certs"
make_certs "$C" || { echo "cannot make certificates"; exit 99; }
printf '%s www.example.test\n%s\n' "$C/rsa.pem" "$C/ec.pem" >"$C/list"
printf '192.0.2.0/24\n198.51.100.7\n' >"$T/deny.lst"
# A certificate with the key of another one.
cat "$C/rsa.crt" "$C/ec.key" >"$C/mismatch.pem"
printf 'not a certificate\n' >"$C/garbage.pem"
printf '192.0.2.0/24\n300.1.2.3\n' >"$T/bad.lst"

# cfg CRT CRTLIST BINDCA SRVCA CHKCA LIST REGEX: the configuration, each
# word in its place (line numbers in comments, asserted below).
cfg() {
	cat <<EOC
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend web
    bind 127.0.0.1:8443 ssl crt $1
    bind 127.0.0.1:9443 ssl crt-list $2 ca-file $3 verify required
    acl blocked src -f $6
    acl odd path_reg $7
    http-request deny if blocked || odd
    default_backend app
backend app
    server a 127.0.0.1:8444 ssl verify required ca-file $4
    server b 127.0.0.1:8445 check check-ssl verify required ca-file $5 verifyhost b.example.test
EOC
}
# line numbers of the above (1-based)
L_CRT=7 L_LIST=8 L_ACL=9 L_RE=10 L_SRV=14 L_CHK=15

cfg "$C/rsa.pem" "$C/list" "$C/ca.pem" "$C/ca.pem" "$C/ca.pem" "$T/deny.lst" '^/x/[0-9]+$' \
	>"$T/good.cfg"
out=$("$SOFTLBD" -t -f /dev/null -p "$T/good.cfg" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && contains "$out" "configuration OK"; then
	ok "a good configuration with certificates, lists and regexes: exit 0"
else
	fail "good configuration: rc $rc: $out"
fi

# bad WHAT WANT1 WANT2 ARGS...: softlbd -t of cfg ARGS exits 1 and its
# output holds WANT1 (FILE:LINE) and WANT2 (the file, the reason).
bad() {
	what=$1 w1=$2 w2=$3
	shift 3
	cfg "$@" >"$T/bad.cfg"
	out=$("$SOFTLBD" -t -f /dev/null -p "$T/bad.cfg" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] && contains "$out" "$w1" && contains "$out" "$w2"; then
		ok "$what: exit 1, '$w1' ... '$w2'"
	else
		fail "$what: rc $rc, wanted '$w1' and '$w2' in: $out"
	fi
}

G_CA="$C/ca.pem" G_RE='^/x/[0-9]+$'
bad "missing crt" "bad.cfg:$L_CRT:" "$C/nope.pem" \
	"$C/nope.pem" "$C/list" "$G_CA" "$G_CA" "$G_CA" "$T/deny.lst" "$G_RE"
bad "crt that is no certificate" "bad.cfg:$L_CRT:" "$C/garbage.pem" \
	"$C/garbage.pem" "$C/list" "$G_CA" "$G_CA" "$G_CA" "$T/deny.lst" "$G_RE"
bad "key that does not match its certificate" "bad.cfg:$L_CRT:" "$C/mismatch.pem" \
	"$C/mismatch.pem" "$C/list" "$G_CA" "$G_CA" "$G_CA" "$T/deny.lst" "$G_RE"
bad "missing crt-list" "bad.cfg:$L_LIST:" "$C/nolist" \
	"$C/rsa.pem" "$C/nolist" "$G_CA" "$G_CA" "$G_CA" "$T/deny.lst" "$G_RE"
bad "missing bind ca-file" "bad.cfg:$L_LIST:" "$C/noca.pem" \
	"$C/rsa.pem" "$C/list" "$C/noca.pem" "$G_CA" "$G_CA" "$T/deny.lst" "$G_RE"
bad "missing server ca-file" "bad.cfg:$L_SRV:" "$C/nosrvca.pem" \
	"$C/rsa.pem" "$C/list" "$G_CA" "$C/nosrvca.pem" "$G_CA" "$T/deny.lst" "$G_RE"
bad "missing ca-file of a check-ssl server" "bad.cfg:$L_CHK:" "$C/nochkca.pem" \
	"$C/rsa.pem" "$C/list" "$G_CA" "$G_CA" "$C/nochkca.pem" "$T/deny.lst" "$G_RE"
bad "missing -f file" "bad.cfg:$L_ACL:" "$T/nolist.lst" \
	"$C/rsa.pem" "$C/list" "$G_CA" "$G_CA" "$G_CA" "$T/nolist.lst" "$G_RE"
bad "bad line in a -f file" "bad.lst:2" "300.1.2.3" \
	"$C/rsa.pem" "$C/list" "$G_CA" "$G_CA" "$G_CA" "$T/bad.lst" "$G_RE"
bad "regex that does not compile" "bad.cfg:$L_RE:" "(" \
	"$C/rsa.pem" "$C/list" "$G_CA" "$G_CA" "$G_CA" "$T/deny.lst" '^/x/(['

[ "$FAILED" -eq 0 ]
