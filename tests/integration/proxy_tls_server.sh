#!/bin/sh
# TLS to servers (server ... ssl): a real TLS backend (Python's ssl)
# reports the SNI and client certificate it got; verify required with a
# CA accepts the right name and refuses a wrong one (503), verify none
# goes on, crt presents a client certificate, sni ssl_fc_sni passes the
# client's own, and a plain server behind 'ssl' is a failed connection.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tls_lib.sh"

C="$T/certs"
make_certs "$C" || { echo "cannot make certificates"; exit 99; }
PEER="$PYTHON $top_srcdir/tests/integration/tls_peer.py"

cat >"$T/haproxy.cfg" <<EOC
defaults
    mode http
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    retries 1

listen verified
    bind 127.0.0.1:8001
    server t1 127.0.0.1:9443 ssl verify required ca-file $C/ca.pem sni str(www.example.test)

listen wrongname
    bind 127.0.0.1:8002
    server t1 127.0.0.1:9443 ssl verify required ca-file $C/ca.pem sni str(wrong.test)

listen unverified
    bind 127.0.0.1:8003
    server t1 127.0.0.1:9443 ssl verify none

listen clientcert
    bind 127.0.0.1:8004
    server t1 127.0.0.1:9444 ssl verify none crt $C/client.pem

listen both
    bind 127.0.0.1:8443 ssl crt $C/ec.pem
    server t1 127.0.0.1:9443 ssl verify none sni ssl_fc_sni

listen plainsrv
    bind 127.0.0.1:8005
    server p1 127.0.0.1:8080 ssl verify none

listen tcpmode
    mode tcp
    bind 127.0.0.1:8006
    server t1 127.0.0.1:9443 ssl verify required ca-file $C/ca.pem sni str(www.example.test)

backend checks
    server tlssrv 127.0.0.1:9443 ssl verify none check inter 300ms
    server plain 127.0.0.1:8080 check check-ssl verify none inter 300ms
    server plaintcp 127.0.0.1:8080 check inter 300ms

backend httpchecks
    option httpchk GET /
    server tlssrv 127.0.0.1:9443 ssl verify none check inter 300ms
EOC

start_daemon -f /dev/null -p "$T/haproxy.cfg"
ns_bg $PEER backend 127.0.0.1 9443 "$C/rsa.pem"
ns_bg $PEER backend 127.0.0.1 9444 "$C/rsa.pem" "$C/ca.pem"
ns_bg "$PYTHON" "$top_srcdir/tests/integration/proxy_backend.py" 127.0.0.1 8080 plain
ns_wait_port 9443 && ns_wait_port 9444 && ns_wait_port 8080 || exit 99

hget() {
	OUT=$(ns curl -s --max-time 10 -o - -w ' %{http_code}' "$@" 2>&1)
}

hget http://127.0.0.1:8001/
check "verify required, sni str(): the server is reached with that SNI" \
	[ "$OUT" = "sni=www.example.test client=-
 200" ]
hget http://127.0.0.1:8002/
check "verify required, a name the certificate lacks: 503" contains "$OUT" " 503"
hget http://127.0.0.1:8003/
check "verify none, no sni: served" [ "$OUT" = "sni=- client=-
 200" ]
hget http://127.0.0.1:8004/
check "crt: the client certificate reaches the server" contains "$OUT" "client=client"
hget --cacert "$C/ca.pem" --resolve api.example.test:8443:127.0.0.1 https://api.example.test:8443/
check "TLS both sides, sni ssl_fc_sni: the client's SNI passed on" \
	contains "$OUT" "sni=api.example.test client=-"
hget http://127.0.0.1:8005/
check "ssl to a plain server: a failed connection (503)" contains "$OUT" " 503"
hget http://127.0.0.1:8006/
check "mode tcp, TLS to the server" contains "$OUT" "sni=www.example.test"

# Health checks over TLS (the check engine's TLS).
check "ssl server: the check is a TLS handshake (L6OK)" \
	wait_check checks/tlssrv UP "TLS handshake done" 5
check "check-ssl against a plain server: DOWN, the handshake failed" \
	wait_check checks/plain DOWN "TLS handshake failed" 5
check "the same server checked in plain TCP: UP" wait_check checks/plaintcp UP "connected in" 5
check "httpchk over TLS to an ssl server" wait_check httpchecks/tlssrv UP "HTTP 200" 5
finish
