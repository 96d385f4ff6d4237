#!/bin/sh
# The proxy's logs: softlbd sends HAProxy's syslog lines (option httplog,
# option tcplog, log-format, the "Connect from" line, log-separate-errors,
# dontlognull, a unix socket target) to a real UDP syslog receiver, and
# haproxy 2.6 (when installed) gets the same configuration, requests and
# receiver: the lines are compared field by field, times and ports aside.
# Everything runs on the loopback of a namespace of its own.
. "${top_srcdir:?}/tests/integration/lib.sh"
command -v curl >/dev/null || skip "curl missing (Debian package curl)"

loopback_ns slblog
RECV="$top_srcdir/tests/integration/syslog_recv.py"

# cfg LOGPORT BASE UNIXPATH: the configuration, its listeners at BASE+N.
cfg() {
	cat <<EOC
global
    log 127.0.0.1:$1 local0
    log-tag logtest
defaults
    log global
    mode http
    option dontlognull
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    retries 1
listen web
    bind 127.0.0.1:$(($2 + 0))
    option httplog
    server s1 127.0.0.1:18081
listen tcp
    bind 127.0.0.1:$(($2 + 1))
    mode tcp
    option tcplog
    server s1 127.0.0.1:18081
listen fmt
    bind 127.0.0.1:$(($2 + 2))
    log-format "%ci %cp %t %tr %ft %b %s %TR %Tw %Tc %Tr %Ta %Tt %ST %B %ts %ac %fc %bc %sc %rc %sq %bq %r %HM %HU %HV %{+Q}r %tsc"
    server s1 127.0.0.1:18081
listen plain
    bind 127.0.0.1:$(($2 + 3))
    log $3.nobody local0
    server s1 127.0.0.1:18081
listen down
    bind 127.0.0.1:$(($2 + 4))
    option httplog
    option log-separate-errors
    log $3 local3 err
    server s1 127.0.0.1:18099
EOC
}

bg_ns "$PYTHON" "$top_srcdir/tests/integration/proxy_backend.py" 127.0.0.1 18081 s1
bg_ns "$PYTHON" "$RECV" udp 127.0.0.1 15514 "$T/softlb.log" 100
bg_ns "$PYTHON" "$RECV" unix "$T/softlb-unix.sock" "$T/softlb-unix.log" 100
# ready: the backend accepts and each receiver has bound (it opens its
# output file after binding). A request before that met a refused
# connection, and the retry one second later showed in the line.
ready() {
	for _ in $(seq 100); do
		in_ns "$PYTHON" -c 'import socket; socket.create_connection(("127.0.0.1", 18081), timeout=1)' \
			2>/dev/null && [ -e "$1" ] && [ -e "$2" ] && return 0
		sleep 0.1
	done
	echo "note: the backend or a log receiver was slow to start"
}
ready "$T/softlb.log" "$T/softlb-unix.log"
cfg 15514 18000 "$T/softlb-unix.sock" >"$T/softlb.cfg"
start_daemon -f /dev/null -p "$T/softlb.cfg"

# requests BASE: the same requests to the listeners at BASE+N.
requests() {
	in_ns curl -s -o /dev/null "http://127.0.0.1:$1/id"
	in_ns curl -s -o /dev/null "http://127.0.0.1:$(($1 + 1))/id"
	in_ns curl -s -o /dev/null "http://127.0.0.1:$(($1 + 2))/id?x=1"
	in_ns curl -s -o /dev/null "http://127.0.0.1:$(($1 + 3))/id"
	in_ns curl -s -o /dev/null "http://127.0.0.1:$(($1 + 4))/id"
	# a bad request (a space in a field name), and a connection that
	# sends nothing (dontlognull: no line)
	in_ns "$PYTHON" -c 'import socket,sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /bad HTTP/1.1\r\nHost: a\r\nA b: c\r\n\r\n")
s.recv(4096)
socket.create_connection(("127.0.0.1", int(sys.argv[1]))).close()' "$1"
}
requests 18000
# Two pipelined requests on one connection: a line each.
in_ns "$PYTHON" -c 'import socket
s = socket.create_connection(("127.0.0.1", 18000))
s.sendall(b"GET /p1 HTTP/1.1\r\nHost: a\r\n\r\nGET /p2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
while s.recv(65536):
    pass'
sleep 1
echo "--- softlbd's lines"
cat "$T/softlb.log" "$T/softlb-unix.log"

# The line of each kind, without the syslog header.
line() { grep -a "$2" "$1" | head -1 | sed 's/^<[0-9]*>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* [^ ]*\[[0-9]*\]: //'; }
L=$(line "$T/softlb.log" '] web web/s1 ')
check "httplog: HAProxy's layout ($L)" "$PYTHON" -c 'import re,sys
sys.exit(not re.fullmatch(r"127\.0\.0\.1:\d+ \[\d\d/\w\w\w/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] web web/s1 \d+/0/\d+/\d+/\d+ 200 \d+ - - ---- \d+/\d+/\d+/\d+/0 0/0 \"GET /id HTTP/1\.1\"", sys.argv[1]))' "$L"
check "  at local0.info with the log-tag" grep -q '^<134>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* logtest\[[0-9]*\]: 127.0.0.1:[0-9]* \[.*\] web web/s1' "$T/softlb.log"
L=$(line "$T/softlb.log" '] tcp tcp/s1 ')
check "tcplog: HAProxy's layout ($L)" "$PYTHON" -c 'import re,sys
sys.exit(not re.fullmatch(r"127\.0\.0\.1:\d+ \[[^]]+\] tcp tcp/s1 0/\d+/\d+ \d+ -- \d+/\d+/\d+/\d+/0 0/0", sys.argv[1]))' "$L"
L=$(line "$T/softlb.log" ' fmt fmt s1 ')
check "log-format: every variable ($L)" "$PYTHON" -c 'import re,sys
sys.exit(not re.fullmatch(r"127\.0\.0\.1 \d+ \S+ \S+ fmt fmt s1 \d+ 0 \d+ \d+ \d+ \d+ \d\d\d \d+ -- \d+ \d+ \d+ \d+ 0 0 0 GET /id\?x=1 HTTP/1\.1 GET /id\?x=1 HTTP/1\.1 \"GET /id\?x=1 HTTP/1\.1\" ----", sys.argv[1]))' "$L"
check "no format option: the Connect from line" grep -q 'Connect from 127.0.0.1:[0-9]* to 127.0.0.1:18003 (plain/HTTP)$' "$T/softlb.log"
L=$(line "$T/softlb.log" '/bad HTTP\|BADREQ')
check "a refused request: 400 PR-- <BADREQ> ($L)" "$PYTHON" -c 'import re,sys
sys.exit(not re.fullmatch(r"127\.0\.0\.1:\d+ \[[^]]+\] web web/<NOSRV> -1/-1/-1/-1/\d+ 400 0 - - PR-- \d+/\d+/\d+/\d+/0 0/0 \"<BADREQ>\"", sys.argv[1]))' "$L"
check "pipelined requests: a line each" sh -c 'grep -q "\"GET /p1 HTTP/1.1\"$" "$1" && grep -q "\"GET /p2 HTTP/1.1\"$" "$1"' _ "$T/softlb.log"
check "dontlognull: no line for the empty connection" [ "$(grep -c 'web/<NOSRV>' "$T/softlb.log")" = 1 ]
L=$(line "$T/softlb.log" '] down down/')
check "a refused server: 503 SC-- with the retry counted ($L)" "$PYTHON" -c 'import re,sys
sys.exit(not re.fullmatch(r"127\.0\.0\.1:\d+ \[[^]]+\] down down/s1 \d+/0/-1/-1/\d+ 503 \d+ - - SC-- \d+/\d+/\d+/\d+/1 0/0 \"GET /id HTTP/1\.1\"", sys.argv[1]))' "$L"
check "log-separate-errors: at err (local0.err = <131>)" grep -q '^<131>.*down down/s1' "$T/softlb.log"
check "a unix socket target at local3.err (<155>)" grep -q '^<155>.*down down/s1 .* 503 ' "$T/softlb-unix.log"
check "the unix target's level 'err' keeps info lines out" [ "$(grep -c . "$T/softlb-unix.log")" = 1 ]

# The same against haproxy, when installed.
if command -v haproxy >/dev/null; then
	bg_ns "$PYTHON" "$RECV" udp 127.0.0.1 15614 "$T/haproxy.log" 100
	bg_ns "$PYTHON" "$RECV" unix "$T/haproxy-unix.sock" "$T/haproxy-unix.log" 100
	cfg 15614 18100 "$T/haproxy-unix.sock" >"$T/haproxy.cfg"
	ready "$T/haproxy.log" "$T/haproxy-unix.log"
	bg_ns haproxy -db -f "$T/haproxy.cfg"
	for _ in $(seq 50); do
		in_ns "$PYTHON" -c 'import socket; socket.create_connection(("127.0.0.1", 18104), timeout=1)' \
			2>/dev/null && break
		sleep 0.1
	done
	requests 18100
	sleep 1
	echo "--- haproxy's lines"
	cat "$T/haproxy.log" "$T/haproxy-unix.log"
	# Field by field, after masking what differs by nature: times,
	# client ports, byte counts, the pid and the tag.
	for what in '] web web/s1 ' '] tcp tcp/s1 ' ' fmt fmt s1 ' 'Connect from' 'web/<NOSRV>' '] down down/'; do
		A=$(grep -a "$what" "$T/softlb.log" | head -1)
		B=$(grep -a "$what" "$T/haproxy.log" | head -1)
		check "same fields as haproxy: '$what'" "$PYTHON" - "$A" "$B" <<'EOP'
import re, sys
def mask(l):
    l = re.sub(r"^(<\d+>)\w{3} [ \d]\d [\d:]{8} [^ ]+\[\d+\]: ", r"\1HDR ", l)
    l = re.sub(r"\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3}", "DATE", l)
    l = re.sub(r"127\.0\.0\.1:1\d\d\d\d", "ADDR", l)
    l = re.sub(r"127\.0\.0\.1 \d+ ", "127.0.0.1 PORT ", l)
    l = re.sub(r"1\d\d\d\d|(?<=[ (])3\d\d\d\d|[3-6]\d{4}", "P", l)
    return l
a, b = mask(sys.argv[1]).split(), mask(sys.argv[2]).split()
def same(x, y):
    # timers and byte counts: both unset (-1), or both set
    if re.fullmatch(r"[-+\d/]+", x) and re.fullmatch(r"[-+\d/]+", y):
        xs, ys = x.split("/"), y.split("/")
        return len(xs) == len(ys) and all((p == "-1") == (q == "-1") for p, q in zip(xs, ys))
    return x == y
# the connection counts and queues after the termination state: exactly
exact = set()
for i, x in enumerate(a):
    if re.fullmatch(r"[-A-Za-z]{2}(--)?", x) and i + 2 < len(a):
        exact |= {i + 1, i + 2}
bad = [(x, y) for i, (x, y) in enumerate(zip(a, b)) if not (x == y if i in exact else same(x, y))]
if len(a) != len(b) or bad or not a:
    print("  softlb :", sys.argv[1]); print("  haproxy:", sys.argv[2]); print("  differ:", bad)
    sys.exit(1)
EOP
	done
	check "haproxy sends the unix target the same one line" [ "$(grep -c . "$T/haproxy-unix.log")" = 1 ]
else
	echo "haproxy not installed (Debian package haproxy): no comparison"
fi

# A log-format with an unknown variable is refused at load, naming it.
printf 'listen x\n    bind 127.0.0.1:18200\n    log-format "%%ci %%Zz"\n' >"$T/bad.cfg"
OUT=$("$top_builddir/softlbd" -t -f /dev/null -p "$T/bad.cfg" 2>&1)
check "an unknown %-variable is a load error naming it ($OUT)" contains "$OUT" "unknown variable '%Zz'"
# A target nobody listens on (plain's unix path): the line is dropped,
# counted, and nothing waits.
sl -c 'show status'
P=$(printf '%s\n' "$OUT" | sed -n 's/.*log lines \([0-9]*\) sent, \([0-9]*\) dropped.*/\1 \2/p')
check "show status counts the lines sent and dropped ($P)" sh -c '[ "${1:-0}" -ge 7 ] && [ "${2:-0}" -ge 1 ]' _ $P
finish
