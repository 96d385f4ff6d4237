#!/bin/sh
# SSL_GET against an HTTPS backend in a netns lab (python3's ssl with a
# throw-away self-signed certificate made here by openssl), softlbd in
# lb1: 200 with the right digest is UP (L7OK), then 503 (L7STS), a wrong
# body (digest mismatch, L7RSP), recovery; a server that does not speak
# TLS fails the handshake (L6RSP); one that accepts and never answers
# times the handshake out (L6TOUT). And HTTP_GET against a server that
# answers with Transfer-Encoding: chunked: the digest is of the decoded
# body; a chunk size that is not hex, one past 63 bits, and a close
# inside a chunk fail the check cleanly (L7RSP).
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/check_lib.sh"

command -v openssl >/dev/null || skip "openssl missing (Debian package openssl)"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=rs1.test -days 1 \
	-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 || { echo "openssl req failed"; exit 99; }

lab_up lb1 rs1 rs2
use_lb1
BACKENDS="$top_srcdir/tests/integration/check_backends.py"
MODE="$T/mode"
echo 200 >"$MODE"
bg_on rs1 "$PYTHON" "$BACKENDS" https 192.0.2.21 8443 "$MODE" "$T/cert.pem" "$T/key.pem"
echo 200 >"$T/plain"
bg_on rs2 "$PYTHON" "$BACKENDS" http 192.0.2.22 8080 "$T/plain"
echo 200 >"$T/chunked"
bg_on rs2 "$PYTHON" "$BACKENDS" chunked 192.0.2.22 8081 "$T/chunked"
# Accepts and never answers: TCP connects, TLS never starts. (It must
# accept: a connection reset in the accept queue stays there, and a full
# queue would turn this into a connect timeout.)
bg_on rs2 "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("192.0.2.22", 9000))
s.listen(64)
held = []
while True:
    held.append(s.accept()[0])
    del held[:-50]'
sleep 0.5

cat >"$T/keepalived.conf" <<'EOC'
virtual_server 192.0.2.100 443 {
    lb_kind DR
    protocol TCP
    real_server 192.0.2.21 8443 {
        SSL_GET {
            url {
                path /health
                digest d36f8f9425c4a8000ad9c4a97185aca5
                status_code 200
            }
            virtualhost rs1.test
            connect_timeout 2
            retry 0
            delay_loop 1
        }
    }
    real_server 192.0.2.22 8080 {
        SSL_GET {
            url {
                path /health
            }
            connect_timeout 2
            retry 0
            delay_loop 1
        }
    }
    real_server 192.0.2.22 8081 {
        HTTP_GET {
            url {
                path /health
                digest d36f8f9425c4a8000ad9c4a97185aca5
            }
            connect_timeout 2
            retry 0
            delay_loop 1
        }
    }
    real_server 192.0.2.22 9000 {
        SSL_GET {
            url {
                path /health
            }
            connect_timeout 1
            retry 0
            delay_loop 1
        }
    }
}
EOC
S=192.0.2.100:443/192.0.2.21:8443/ssl
P=192.0.2.100:443/192.0.2.22:8080/ssl
H=192.0.2.100:443/192.0.2.22:9000/ssl
C=192.0.2.100:443/192.0.2.22:8081/http
start_daemon -f "$T/keepalived.conf" -p /dev/null

check "HTTPS 200 with the right digest is UP" wait_check "$S" UP "HTTP 200, digest OK" 10
check "  code L7OK" [ "$(field "$S" code)" = L7OK ]
echo 503 >"$MODE"
check "503 is DOWN" wait_check "$S" DOWN "HTTP 503, expected 200" 10
check "  code L7STS" [ "$(field "$S" code)" = L7STS ]
echo 200 >"$MODE"
check "back to 200: UP" wait_check "$S" UP "HTTP 200, digest OK" 10
echo body >"$MODE"
check "a wrong body is DOWN: digest mismatch" wait_check "$S" DOWN "digest mismatch on /health" 10
check "  code L7RSP" [ "$(field "$S" code)" = L7RSP ]
echo 200 >"$MODE"
check "and UP again" wait_check "$S" UP "HTTP 200, digest OK" 10

check "a plain HTTP server fails the TLS handshake" wait_check "$P" DOWN "TLS handshake failed" 10
check "  code L6RSP" [ "$(field "$P" code)" = L6RSP ]
check "a server that never answers times the handshake out" \
	wait_check "$H" DOWN "TLS handshake timeout" 10
check "  code L6TOUT" [ "$(field "$H" code)" = L6TOUT ]

check "a chunked reply: digest of the decoded body" wait_check "$C" UP "HTTP 200, digest OK" 10
echo badsize >"$T/chunked"
check "a chunk size that is not hex fails cleanly" wait_check "$C" DOWN "bad chunk size" 10
check "  code L7RSP" [ "$(field "$C" code)" = L7RSP ]
echo 200 >"$T/chunked"
check "  and recovers" wait_check "$C" UP "digest OK" 10
echo huge >"$T/chunked"
check "a chunk size past 63 bits fails" wait_check "$C" DOWN "chunk size too large" 10
echo short >"$T/chunked"
check "a close inside a chunk fails" wait_check "$C" DOWN "inside the chunked body" 10

finish
