#!/bin/sh
# The PROXY protocol (v1 and v2), in a netns lab: softlbd in lb1 sends it
# (send-proxy, send-proxy-v2, and with health checks) and reads it
# (accept-proxy): the address read becomes the client's for
# X-Forwarded-For and balance source; hostile headers are refused and
# nothing of them reaches a server; a partial header meets the timeout.
# haproxy 2.6 in lb2 is the peer both ways when installed:
# softlb send-proxy -> haproxy accept-proxy, haproxy send-proxy(-v2) ->
# softlb accept-proxy.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"

PPB="$top_srcdir/tests/integration/proxy_pp_backend.py"
PPC="$top_srcdir/tests/integration/pp_client.py"

lab_up client lb1 lb2 rs1 rs2
use_lb1
bg_on rs1 "$PYTHON" "$PPB" 192.0.2.21 9000
bg_on rs1 "$PYTHON" "$PPB" 2001:db8::21 9000
bg_on rs1 "$PYTHON" "$PPB" 192.0.2.21 9001
backend rs2 8080 two
backend rs1 8081 one

cat >"$T/haproxy.cfg" <<'EOC'
defaults
    mode tcp
    timeout connect 1s
    timeout client 2s
    timeout server 5s
    retries 0

listen sp1
    bind 192.0.2.2:80
    server pp 192.0.2.21:9000 send-proxy

listen sp2
    bind 192.0.2.2:81
    server pp 192.0.2.21:9000 send-proxy-v2

listen sp6
    bind [2001:db8::2]:80
    server pp [2001:db8::21]:9000 send-proxy-v2

listen ap
    bind 192.0.2.2:82 accept-proxy
    timeout client 1s
    server pp 192.0.2.21:9000 send-proxy

listen aphttp
    bind 192.0.2.2:83 accept-proxy
    mode http
    option forwardfor
    server b 192.0.2.22:8080

listen apsrc
    bind 192.0.2.2:84 accept-proxy
    mode http
    balance source
    server b1 192.0.2.22:8080
    server b2 192.0.2.21:8081

listen tohap
    bind 192.0.2.2:85
    mode http
    server h 192.0.2.3:90 send-proxy

listen tohap2
    bind 192.0.2.2:86
    mode http
    server h 192.0.2.3:90 send-proxy-v2

listen fromhap
    bind 192.0.2.2:87 accept-proxy
    server pp 192.0.2.21:9000 send-proxy

listen chk
    bind 192.0.2.2:88
    mode http
    option httpchk GET /
    server pp 192.0.2.21:9001 send-proxy check inter 300ms rise 1 fall 1

listen chk2
    bind 192.0.2.2:89
    mode http
    option httpchk GET /
    server pp 192.0.2.21:9001 send-proxy check addr 192.0.2.21 port 9001 inter 300ms rise 1 fall 1
    server pp2 192.0.2.21:9001 send-proxy check-send-proxy addr 192.0.2.21 port 9001 inter 300ms rise 1 fall 1
EOC
start_daemon -f /dev/null -p "$T/haproxy.cfg"
wait_port 192.0.2.2 80 || exit 99
wait_port 192.0.2.21 9000 || exit 99

# pp PORT DATA [WAIT]: what the pp client gets from softlbd at PORT
# (first line in $R, tenths of a second in $RT).
pp() {
	set -- $(on client "$PYTHON" "$PPC" 192.0.2.2 "$1" "$2" "${3:-5}" | tr ' ' '_')
	R=$(echo "${1:-}" | tr '_' ' ')
	RT=${2:-0}
}

REQ='GET / HTTP/1.0\r\n\r\n'

# ---- send-proxy
pp 80 "$REQ"
check "send-proxy: the server reads v1 with the client's address" \
	contains "$R" "V1 TCP4 192.0.2.10 "
check "  and the address it reached" contains "$R" " 192.0.2.2 80"
pp 81 "$REQ"
check "send-proxy-v2: the server reads v2 with the client's address" \
	contains "$R" "V2 PROXY 192.0.2.10 "
check "  and the address it reached" contains "$R" " 192.0.2.2 81"
R=$(on client "$PYTHON" "$PPC" 2001:db8::2 80 "$REQ" | sed -n 1p)
check "send-proxy-v2 over IPv6" contains "$R" "V2 PROXY 2001:db8::10 "

# ---- accept-proxy: the address read is passed on
SIG='\r\n\r\n\x00\r\nQUIT\n'
A4='\xcb\x00\x71\x07\xc6\x33\x64\x09\x15\xb3\x01\xbb'	# 203.0.113.7 198.51.100.9 5555 443
pp 82 "PROXY TCP4 203.0.113.7 198.51.100.9 5555 443\r\n$REQ"
check "accept-proxy v1: the server gets the address from the header" \
	[ "$R" = "V1 TCP4 203.0.113.7 5555 198.51.100.9 443" ]
pp 82 "PROXY TCP6 2001:db8::77 2001:db8::99 5555 443\r\n$REQ"
check "accept-proxy v1 TCP6" [ "$R" = "V1 TCP6 2001:db8::77 5555 2001:db8::99 443" ]
pp 82 "$SIG"'\x21\x11\x00\x0c'"$A4$REQ"
check "accept-proxy v2" [ "$R" = "V1 TCP4 203.0.113.7 5555 198.51.100.9 443" ]
pp 82 "$SIG"'\x21\x11\x00\x17'"$A4"'\x01\x00\x02h2\x04\x00\x03abc'"$REQ"
check "accept-proxy v2 with TLVs (skipped)" [ "$R" = "V1 TCP4 203.0.113.7 5555 198.51.100.9 443" ]
pp 82 "$SIG"'\x20\x00\x00\x00'"$REQ"
check "accept-proxy v2 LOCAL: the connection's own address stays" contains "$R" "V1 TCP4 192.0.2.10 "
pp 82 "PROXY UNKNOWN\r\n$REQ"
check "accept-proxy v1 UNKNOWN: the connection's own address stays" contains "$R" "V1 TCP4 192.0.2.10 "
# The header and the request in separate writes, the header itself split.
R=$(on client "$PYTHON" -c '
import socket, time
c = socket.create_connection(("192.0.2.2", 82), timeout=5)
for part in (b"PROXY TCP4 203.0.", b"113.8 198.51.100.9 5556 443\r", b"\nGET / HT", b"TP/1.0\r\n\r\n"):
    c.sendall(part)
    time.sleep(0.05)
print(c.makefile("rb").read().strip().split(b"\n")[-1].decode())')
check "accept-proxy: a header in pieces" [ "$R" = "V1 TCP4 203.0.113.8 5556 198.51.100.9 443" ]

get_pp() { # PORT SRC PATH: mode http through accept-proxy, the body
	on client "$PYTHON" "$PPC" 192.0.2.2 "$1" "PROXY TCP4 $2 192.0.2.2 4000 $1\r\nGET $3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" | sed -n 1p
}
check "accept-proxy in mode http: X-Forwarded-For is the header's address" \
	[ "$(get_pp 83 203.0.113.7 /xff)" = 203.0.113.7 ]
names=
stable=yes
for i in $(seq 1 20); do
	a=$(get_pp 84 "203.0.113.$i" /id)
	b=$(get_pp 84 "203.0.113.$i" /id)
	[ "$a" = "$b" ] || stable=no
	names="$names $a"
done
check "balance source hashes the header's address: one server per address" [ "$stable" = yes ]
check "  and 20 addresses spread over both servers" \
	sh -c 'contains() { case "$1" in *"$2"*) return 0;; esac; return 1; }; contains "$1" one && contains "$1" two' _ "$names"

# ---- hostile headers: closed, nothing reaches the server
count_before=$(on client curl -s --max-time 5 http://192.0.2.2:80/count)
bad=0
for h in \
	'PROXY TCP4 203.0.113.7 198.51.100.9 5555 443\n' \
	'PROXY TCP4 203.0.113.7  198.51.100.9 5555 443\r\n' \
	'PROXY TCP4 203.0.113.7 198.51.100.9 05555 443\r\n' \
	'PROXY TCP4 203.0.113.7 198.51.100.9 70000 443\r\n' \
	'PROXY TCP4 203.0.113.7 198.51.100.9 -1 443\r\n' \
	'PROXY TCP4 2001:db8::1 198.51.100.9 5555 443\r\n' \
	'PROXY TCP4 203.0.113.256 198.51.100.9 5555 443\r\n' \
	'PROXY TCP5 203.0.113.7 198.51.100.9 5555 443\r\n' \
	'PROXY TCP4 203.0.113.7 198.51.100.9 5555\r\n' \
	'PROXY TCP4 203.0.113.7 198.51.100.9 5555 443 9\r\n' \
	'PROXY TCP4 203.0.113.7 198.51.100.9 5555 443 \r\n' \
	'PROXY TCP4 203.0.113.7 198.51.100.9 5555 443\r\x00\n' \
	'PROXY TCP4 203.0.113.7\x00198.51.100.9 5555 443\r\n' \
	'proxy TCP4 203.0.113.7 198.51.100.9 5555 443\r\n' \
	'PROXY UNKNOWN AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n' \
	'GET / HTTP/1.0\r\n\r\n' \
	"$SIG"'\x31\x11\x00\x0c'"$A4" \
	"$SIG"'\x22\x11\x00\x0c'"$A4" \
	"$SIG"'\x21\x41\x00\x0c'"$A4" \
	"$SIG"'\x21\x11\x00\x08'"$A4" \
	"$SIG"'\x21\x12\x00\x0c'"$A4" \
	"$SIG"'\x21\x10\x00\x0c'"$A4" \
	"$SIG"'\x21\x11\x00\x10'"$A4"'\x01\x00\x64x' \
	"$SIG"'\x21\x11\x0b\xb8'"$A4" \
	'\r\n\r\n\x00\r\nQUIX\n\x21\x11\x00\x0c'"$A4"; do
	pp 82 "$h$REQ" 5
	if [ "$R" != EMPTY ]; then
		echo "  not refused: $h -> $R"
		bad=$((bad + 1))
	fi
done
check "25 hostile headers: each connection closed without an answer" [ "$bad" = 0 ]
count_after=$(on client curl -s --max-time 5 http://192.0.2.2:80/count)
check "  and none of them reached the server" [ "$count_after" = $((count_before + 1)) ]
pp 82 'PROXY TCP4 203.0.113.7 198.51.1' 5
check "a partial header meets the timeout (timeout client 1s): closed" [ "$R" = EMPTY ]
check "  after the timeout, not at once" [ "$RT" -ge 8 ]
check "softlbd survived all of them" daemon_alive

# ---- health checks
check "httpchk of a send-proxy server sends the header (UP)" wait_srv chk pp status UP 5
check "  with addr/port and no check-send-proxy: no header (the server says 400: DOWN)" \
	wait_srv chk2 pp status DOWN 5
check "  check-send-proxy sends it even then (UP)" wait_srv chk2 pp2 status UP 5

# ---- haproxy as the peer
if command -v haproxy >/dev/null 2>&1; then
	cat >"$T/hap-peer.cfg" <<'EOC'
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s

frontend f
    bind 192.0.2.3:90 accept-proxy
    option forwardfor
    default_backend b

backend b
    server b 192.0.2.22:8080

listen tosoft2
    mode tcp
    bind 192.0.2.3:91
    server s 192.0.2.2:87 send-proxy-v2

listen tosoft1
    mode tcp
    bind 192.0.2.3:92
    server s 192.0.2.2:87 send-proxy
EOC
	bg_on lb2 haproxy -db -f "$T/hap-peer.cfg"
	wait_port 192.0.2.3 90 || exit 99
	get http://192.0.2.2:85/xff
	check "softlb send-proxy -> haproxy accept-proxy: haproxy's X-Forwarded-For is the client" \
		[ "$OUT" = 192.0.2.10 ]
	get http://192.0.2.2:86/xff
	check "softlb send-proxy-v2 -> haproxy accept-proxy: the same" [ "$OUT" = 192.0.2.10 ]
	R=$(on client "$PYTHON" "$PPC" 192.0.2.3 91 "$REQ" | sed -n 1p)
	check "haproxy send-proxy-v2 -> softlb accept-proxy: the client's address read" \
		contains "$R" "V1 TCP4 192.0.2.10 "
	check "  and the address it reached (haproxy's)" contains "$R" " 192.0.2.3 91"
	R=$(on client "$PYTHON" "$PPC" 192.0.2.3 92 "$REQ" | sed -n 1p)
	check "haproxy send-proxy (v1) -> softlb accept-proxy" contains "$R" "V1 TCP4 192.0.2.10 "
else
	echo "# haproxy not installed: the peer tests are skipped (scripts/deps installs it)"
fi

# The keywords print back as they were read.
sl -c 'show running-config haproxy'
check "show running-config keeps accept-proxy" contains "$OUT" "bind 192.0.2.2:82 accept-proxy"
check "  send-proxy-v2" contains "$OUT" "server pp 192.0.2.21:9000 send-proxy-v2"
check "  check-send-proxy" contains "$OUT" "check-send-proxy"

# A reload that changes only these keywords takes effect (the diff sees
# them): sp1 stops sending the header, ap stops expecting one.
sed -e '/^listen sp1/,/^$/s/ send-proxy$//' -e 's/bind 192.0.2.2:82 accept-proxy/bind 192.0.2.2:82/' \
	"$T/haproxy.cfg" >"$T/haproxy.cfg.new" && mv "$T/haproxy.cfg.new" "$T/haproxy.cfg"
sl -c reload
check "reload with send-proxy and accept-proxy removed" [ "$RC" = 0 ]
pp 80 "$REQ"
check "  sp1 sends no header now (the server says NONE)" [ "$R" = NONE ]
pp 82 "$REQ"
check "  ap takes a connection without a header now" contains "$R" "V1 TCP4 192.0.2.10 "

finish
