#!/bin/sh
# Health checks of TLS servers verify the server's certificate when the
# server line asks for it (HAProxy's 'ssl verify required ca-file F', or
# check-ssl with them): a server presenting a certificate from another CA
# is DOWN with the verification error as the reason (show check, and the
# log line of the transition); the name is verified too (check-sni when
# sent, else verifyhost), a wrong one is DOWN with "hostname mismatch";
# 'verify none' checks only that TLS answers. And verifyhost checks the
# name of proxied traffic's server certificate when no SNI is sent. Two real TLS servers
# (Python's ssl) in softlbd's namespace: one with a certificate of the
# test CA, one with a certificate for the same names from another CA.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tls_lib.sh"

C="$T/certs"
O="$T/other"
make_certs "$C" || { echo "cannot make certificates"; exit 99; }
make_certs "$O" || { echo "cannot make certificates"; exit 99; }
PEER="$PYTHON $top_srcdir/tests/integration/tls_peer.py"

# The checks start once the servers listen (a reload brings them), so
# their first result, logged as the transition, is the verification's.
cat >"$T/empty.cfg" <<EOC
defaults
    mode http
    timeout connect 2s
backend v
EOC
cat >"$T/haproxy.cfg" <<EOC
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    timeout check 2s

backend v
    default-server check inter 500ms fall 1 rise 1
    server good 127.0.0.1:9443 ssl verify required ca-file $C/ca.pem
    server otherca 127.0.0.1:9445 ssl verify required ca-file $C/ca.pem
    server hostok 127.0.0.1:9443 ssl verify required ca-file $C/ca.pem verifyhost www.example.test
    server hostbad 127.0.0.1:9443 ssl verify required ca-file $C/ca.pem verifyhost wrong.test
    server snibad 127.0.0.1:9443 ssl verify required ca-file $C/ca.pem check-sni wrong.test verifyhost www.example.test
    server sniok 127.0.0.1:9443 ssl verify required ca-file $C/ca.pem check-sni example.test
    server noverify 127.0.0.1:9446 ssl verify none
    server checkssl 127.0.0.1:9446 check-ssl verify required ca-file $C/ca.pem

# verifyhost names the certificate of proxied traffic too (no sni sent).
listen vhok
    bind 127.0.0.1:8011
    server t 127.0.0.1:9449 ssl verify required ca-file $C/ca.pem verifyhost www.example.test
listen vhbad
    bind 127.0.0.1:8012
    server t 127.0.0.1:9449 ssl verify required ca-file $C/ca.pem verifyhost wrong.test

backend h
    option httpchk GET /
    server otherca 127.0.0.1:9447 ssl verify required ca-file $C/ca.pem check inter 500ms fall 1
    server good 127.0.0.1:9448 ssl verify required ca-file $C/ca.pem check inter 500ms
EOC

start_daemon -f /dev/null -p "$T/empty.cfg"
# One server per port, so that no check waits behind another's.
for p in 9443 9448 9449; do ns_bg $PEER backend 127.0.0.1 $p "$C/rsa.pem"; done
for p in 9445 9446 9447; do ns_bg $PEER backend 127.0.0.1 $p "$O/rsa.pem"; done
for p in 9443 9445 9446 9447 9448 9449; do ns_wait_port $p || exit 99; done
cp "$T/haproxy.cfg" "$T/empty.cfg"
"$SOFTLB" -s "$SOCK" -c reload >/dev/null 2>&1 || { echo "reload refused"; exit 99; }
# The CA's certificates are sent with their chain (tls_lib.sh), so the
# other CA's root arrives: OpenSSL's words for that.
VERR="certificate verify failed: self-signed certificate in certificate chain"

check "verify required, a certificate of the CA: UP" wait_check v/good UP "TLS handshake done" 5
check "a certificate from another CA: DOWN, the reason names the verify error" \
	wait_check v/otherca DOWN "$VERR" 10
check "verifyhost naming the certificate: UP" wait_check v/hostok UP "TLS handshake done" 5
check "verifyhost naming another host: DOWN, hostname mismatch" \
	wait_check v/hostbad DOWN "certificate verify failed: hostname mismatch" 5
check "check-sni is the name verified (before verifyhost): DOWN for a wrong one" \
	wait_check v/snibad DOWN "hostname mismatch" 5
check "check-sni naming the certificate: UP" wait_check v/sniok UP "TLS handshake done" 5
check "verify none against the other CA: UP (TLS answers)" \
	wait_check v/noverify UP "TLS handshake done" 5
check "check-ssl on a plain-traffic server verifies too: DOWN" \
	wait_check v/checkssl DOWN "$VERR" 10
check "httpchk over TLS, another CA: DOWN before any request" \
	wait_check h/otherca DOWN "$VERR" 10
check "httpchk over TLS, the CA's certificate: UP" wait_check h/good UP "HTTP 200" 5
OUT=$(ns curl -s --max-time 10 -o - -w ' %{http_code}' http://127.0.0.1:8011/ 2>&1)
check "traffic: verifyhost naming the server's certificate: served ($OUT)" contains "$OUT" " 200"
OUT=$(ns curl -s --max-time 10 -o - -w ' %{http_code}' http://127.0.0.1:8012/ 2>&1)
check "traffic: verifyhost naming another host: 503 ($OUT)" contains "$OUT" " 503"
sl() { "$SOFTLB" -s "$SOCK" "$@" 2>&1; }
OUT=$(sl -c 'show checks')
check "show checks lists the verify error" contains "$OUT" "$VERR"
check "the log names the server and the verify error" \
	grep -q "check v/otherca: UP -> DOWN: TLS handshake failed: $VERR" "$DAEMON_LOG"
finish
