#!/bin/sh
# TLS termination: certificates made now by openssl req (a CA, RSA and
# ECDSA leaves, a wildcard), softlbd in its own network namespace on
# 127.0.0.1, real clients (curl, openssl s_client, Python's ssl): the
# certificate chosen by SNI (exact, wildcard, default; crt DIR with a
# key file beside a certificate; crt-list with SNI filters), versions,
# ciphers and ALPN, TLS 1.1 and renegotiation refused, client
# certificates, mode tcp, HAProxy's '~' in httplog, and hostile input
# (garbage, a stalled handshake, many half handshakes).
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tls_lib.sh"

C="$T/certs"
make_certs "$C" || { echo "cannot make certificates"; exit 99; }
mkdir "$C/dir"
cp "$C/rsa.pem" "$C/ec.pem" "$C/split.pem" "$C/split.pem.key" "$C/dir/"
cat >"$C/list" <<EOF
# first line: the default
$C/rsa.pem
$C/ec.pem other.test  !api.example.test
$C/wild.pem
EOF
PEER="$PYTHON $top_srcdir/tests/integration/tls_peer.py"
RECV="$top_srcdir/tests/integration/syslog_recv.py"

cat >"$T/haproxy.cfg" <<EOF
defaults
    mode http
    timeout connect 1s
    timeout client 2s
    timeout server 5s

frontend https
    bind 127.0.0.1:8443 ssl crt $C/rsa.pem crt $C/ec.pem crt $C/wild.pem alpn http/1.1
    log 127.0.0.1:5514 local0
    option httplog
    default_backend web

listen mtls
    bind 127.0.0.1:8444 ssl crt $C/rsa.pem ca-file $C/ca.pem verify required
    server s1 127.0.0.1:8080

listen bydir
    bind 127.0.0.1:8445 ssl crt $C/dir
    server s1 127.0.0.1:8080

listen bylist
    bind 127.0.0.1:8446 ssl crt-list $C/list strict-sni
    server s1 127.0.0.1:8080

listen tls13
    bind 127.0.0.1:8447 ssl crt $C/ec.pem ssl-min-ver TLSv1.3
    log 127.0.0.1:5514 local0
    log-format "TIMES %ft %Th %Ti %ST"
    server s1 127.0.0.1:8080

listen tcp
    mode tcp
    bind 127.0.0.1:8448 ssl crt $C/ec.pem
    server s1 127.0.0.1:8080

backend web
    server s1 127.0.0.1:8080
EOF

start_daemon -f /dev/null -p "$T/haproxy.cfg"
ns_bg "$PYTHON" "$top_srcdir/tests/integration/proxy_backend.py" 127.0.0.1 8080 plain
ns_bg "$PYTHON" "$RECV" udp 127.0.0.1 5514 "$T/syslog" 60
ns_wait_port 8080 || exit 99

# curl NAME PORT [ARGS]: https://NAME:PORT/id through softlbd.
tcurl() {
	name=$1 port=$2
	shift 2
	OUT=$(ns curl -s --max-time 10 --cacert "$C/ca.pem" --resolve "$name:$port:127.0.0.1" \
		"$@" "https://$name:$port/id" 2>&1)
}

subject() {
	printf '%s\n' "$OUT" | sed -n 's/^subject=//p' | head -1
}

# --- certificates by SNI
tcurl www.example.test 8443
check "curl over TLS with the CA: the backend answers" [ "$OUT" = plain ]
sclient -connect 127.0.0.1:8443 -servername api.example.test
check "SNI api.example.test: the ECDSA certificate" contains "$(subject)" "CN = api.example.test"
check "  TLS 1.3 by default" contains "$OUT" "New, TLSv1.3"
sclient -connect 127.0.0.1:8443 -servername www.example.test
check "SNI www.example.test: the RSA certificate" contains "$(subject)" "CN = www.example.test"
sclient -connect 127.0.0.1:8443 -servername a.wild.test
check "SNI a.wild.test: the wildcard certificate" contains "$(subject)" "CN = *.wild.test"
sclient -connect 127.0.0.1:8443 -servername a.b.wild.test
check "SNI a.b.wild.test: a wildcard covers one label only (the default)" \
	contains "$(subject)" "CN = www.example.test"
sclient -connect 127.0.0.1:8443 -noservername
check "no SNI: the first certificate" contains "$(subject)" "CN = www.example.test"
tcurl a.wild.test 8443
check "curl verifies the wildcard certificate" [ "$OUT" = plain ]

# --- versions, ciphers, ALPN, renegotiation, compression
sclient -connect 127.0.0.1:8443 -tls1_2
check "TLS 1.2: an ECDHE AEAD cipher" sh -c 'printf "%s" "$1" | grep -Eq "Cipher is ECDHE-(RSA|ECDSA)-(AES[0-9]+-GCM|CHACHA20)"' _ "$OUT"
check "  no compression" contains "$OUT" "Compression: NONE"
sclient -connect 127.0.0.1:8443 -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'
check "TLS 1.1 refused (protocol version alert)" contains "$OUT" "alert protocol version"
sclient -connect 127.0.0.1:8443 -tls1_2 -cipher 'AES128-SHA:AES256-GCM-SHA384'
check "TLS 1.2 without ECDHE refused (handshake failure)" contains "$OUT" "handshake failure"
sclient -connect 127.0.0.1:8447 -tls1_2
check "ssl-min-ver TLSv1.3: TLS 1.2 refused" contains "$OUT" "alert protocol version"
sclient -connect 127.0.0.1:8443 -alpn h2,http/1.1
check "ALPN h2,http/1.1: http/1.1 chosen" contains "$OUT" "ALPN protocol: http/1.1"
OUT=$( (printf 'R\n'; sleep 1) | ns timeout 10 openssl s_client -connect 127.0.0.1:8443 -tls1_2 2>&1)
check "renegotiation refused (no_renegotiation alert)" contains "$OUT" "no renegotiation"
OUT=$(ns timeout 10 openssl s_client -connect 127.0.0.1:8443 -tls1_2 -sess_out "$T/sess" </dev/null 2>&1)
OUT=$(ns timeout 10 openssl s_client -connect 127.0.0.1:8443 -tls1_2 -sess_in "$T/sess" </dev/null 2>&1)
check "a session ticket resumes the session" contains "$OUT" "Reused, TLSv1.2"

# --- client certificates
tcurl www.example.test 8444
check "verify required: no client certificate, no answer" [ "$OUT" != plain ]
tcurl www.example.test 8444 --cert "$C/client.pem"
check "verify required: with a client certificate, the answer" [ "$OUT" = plain ]

# --- crt DIR, crt-list
sclient -connect 127.0.0.1:8445 -servername split.example.test
check "crt DIR: the key in FILE.key beside its certificate" contains "$(subject)" "CN = split.example.test"
sclient -connect 127.0.0.1:8445 -servername api.example.test
check "crt DIR: each certificate of the directory" contains "$(subject)" "CN = api.example.test"
sclient -connect 127.0.0.1:8446 -servername other.test
check "crt-list: a filter names the certificate" contains "$(subject)" "CN = api.example.test"
sclient -connect 127.0.0.1:8446 -servername api.example.test
check "crt-list: a negative filter excludes it (strict-sni: refused)" \
	contains "$OUT" "unrecognized name"
sclient -connect 127.0.0.1:8446 -servername x.wild.test
check "crt-list: the wildcard line" contains "$(subject)" "CN = *.wild.test"

# --- mode tcp
tcurl api.example.test 8448
check "mode tcp: TLS terminated, the stream passed on" [ "$OUT" = plain ]

# --- log: the frontend name with '~', the handshake time
tcurl api.example.test 8447
sleep 0.3
check "httplog shows 'https~'" grep -q ' https~ web/s1 ' "$T/syslog"
check "log-format: %ft, %Th and %Ti of a TLS connection" \
	grep -Eq 'TIMES tls13~ [0-9]+ [0-9]+ 200' "$T/syslog"

# --- hostile input
OUT=$(ns $PEER garbage 127.0.0.1 8443)
check "garbage instead of a ClientHello: closed" [ "$OUT" = closed ]
OUT=$(ns $PEER stall 127.0.0.1 8443)
check "a handshake stalled half way: closed by timeout client ($OUT)" contains "$OUT" "closed after"
ns $PEER half 127.0.0.1 8443 300 >"$T/half.out" 2>&1 &
HALF=$!
at_exit "kill -9 $HALF"
for _ in $(seq 50); do grep -q held "$T/half.out" && break; sleep 0.1; done
tcurl www.example.test 8443
check "300 half handshakes open: a full one is still served" [ "$OUT" = plain ]
wait "$HALF"
check "the daemon is alive" daemon_alive
finish
