#!/bin/sh
# TLS certificates across reloads: a reload after the certificate file
# was renewed in place serves the new certificate to new connections
# while an established connection keeps its own and goes on working; a
# bad certificate, a key that does not match, a crt-list with a bad line
# refuse the reload with FILE:LINE and the file, and the running
# configuration goes on serving.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tls_lib.sh"

C="$T/certs"
make_certs "$C" || { echo "cannot make certificates"; exit 99; }
PEER="$PYTHON $top_srcdir/tests/integration/tls_peer.py"

cat >"$T/haproxy.cfg" <<EOC
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 5s

frontend https
    bind 127.0.0.1:8443 ssl crt $C/rsa.pem
    default_backend web

backend web
    server s1 127.0.0.1:8080
EOC

start_daemon -f /dev/null -p "$T/haproxy.cfg"
ns_bg "$PYTHON" "$top_srcdir/tests/integration/proxy_backend.py" 127.0.0.1 8080 plain
ns_wait_port 8080 || exit 99

serial() {
	OUT=$(ns timeout 10 openssl s_client -connect 127.0.0.1:8443 -servername www.example.test \
		</dev/null 2>/dev/null | openssl x509 -noout -serial 2>/dev/null | sed 's/serial=//')
}

serial
S1=$OUT
check "the first certificate is served" [ -n "$S1" ]

# An established keep-alive connection, held across the reload.
ns $PEER hold 127.0.0.1 8443 www.example.test "$C/ca.pem" "$T/go" >"$T/hold.out" 2>&1 &
HOLD=$!
at_exit "kill -9 $HOLD"
for _ in $(seq 100); do grep -q first "$T/hold.out" && break; sleep 0.1; done
check "held connection: first request answered" grep -q "^first: 200" "$T/hold.out"

# Renewed in place, as certbot and friends do: the same file name.
_leaf "$C" rsa "rsa:2048" "www.example.test" "DNS:www.example.test,DNS:example.test"
sl -c reload
check "reload with the renewed certificate succeeds" [ "$RC" = 0 ]
serial
S2=$OUT
check "a new connection gets the new certificate ($S1 -> $S2)" \
	sh -c '[ -n "$1" ] && [ "$1" != "$2" ]' _ "$S2" "$S1"
touch "$T/go"
wait "$HOLD"
FIRST=$(sed -n 's/^first: 200 //p' "$T/hold.out")
check "the held connection keeps the old certificate and is served" \
	grep -q "^second: 200 $FIRST\$" "$T/hold.out"

# Bad certificates refuse the reload; the running one stays.
cp "$C/rsa.pem" "$C/good.pem"
printf 'not a certificate\n' >"$C/rsa.pem"
sl -c reload
check "garbage certificate: reload refused" [ "$RC" != 0 ]
check "  the error names FILE:LINE and the file" \
	contains "$OUT" "haproxy.cfg:8: bind 127.0.0.1:8443: crt $C/rsa.pem"
serial
check "  the running certificate is still served" [ "$OUT" = "$S2" ]

cat "$C/ec.crt" "$C/rsa.key" >"$C/rsa.pem"
sl -c reload
check "a key that does not match: reload refused" contains "$OUT" "does not match"

cp "$C/good.pem" "$C/rsa.pem"
printf '%s\n%s/missing.pem\n' "$C/ec.pem" "$C" >"$C/list"
sed -i "s|crt $C/rsa.pem|crt-list $C/list|" "$T/haproxy.cfg"
sl -c reload
check "crt-list with a missing file: reload refused" [ "$RC" != 0 ]
check "  the error names the list's FILE:LINE" contains "$OUT" "$C/list:2:"
serial
check "  the running certificate is still served" [ "$OUT" = "$S2" ]

printf '%s\n' "$C/ec.pem" >"$C/list"
sl -c reload
check "crt-list fixed: reload succeeds" [ "$RC" = 0 ]
sclient -connect 127.0.0.1:8443 -servername api.example.test
check "  and serves the list's certificate" contains "$OUT" "CN = api.example.test"
finish
