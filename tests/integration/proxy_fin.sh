#!/bin/sh
# timeout client-fin / server-fin: a connection half-closed on one side
# waits that long, not timeout client / server (10 s here). Mode tcp: the
# server answers and closes; the proxy passes the close on to the client
# as a half-close; a client that stays silent is then cut after
# client-fin (ss sees the proxy's socket lose its owner). The same against
# haproxy 2.6 when installed. Loopback of a namespace of its own.
. "${top_srcdir:?}/tests/integration/lib.sh"
loopback_ns slbfin

# A server that reads 5 bytes, answers "bye" and closes, 100 s at most.
bg_ns "$PYTHON" -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 19051)); s.listen(16); s.settimeout(100)
while True:
    c, _ = s.accept(); c.recv(5); c.sendall(b"bye"); c.close()'

# A server that reads and stays silent (never closes), 100 s at most.
bg_ns "$PYTHON" -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 19052)); s.listen(16); s.settimeout(100); keep = []
while True:
    c, _ = s.accept(); c.recv(5); keep.append(c)'

cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
listen fin
    bind 127.0.0.1:$1
    timeout client-fin 500ms
    server s1 127.0.0.1:19051
listen nofin
    bind 127.0.0.1:$(($1 + 1))
    server s1 127.0.0.1:19051
listen sfin
    bind 127.0.0.1:$(($1 + 2))
    timeout server-fin 500ms
    server s1 127.0.0.1:19052
listen nosfin
    bind 127.0.0.1:$(($1 + 3))
    server s1 127.0.0.1:19052
EOC
}
cfg 19000 >"$T/softlb.cfg"
start_daemon -f /dev/null -p "$T/softlb.cfg"

# cut PORT: "cut" when, 2 s after the server closed, the proxy holds no
# descriptor of the silent half-closed client connection any more (ss
# shows the process of a socket only while it is open), else "open".
cut() {
	ip netns exec "$NS" "$PYTHON" -c 'import socket, subprocess, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
c.sendall(b"hello")
got = b""
while True:
    d = c.recv(10)
    if not d:
        break
    got += d
assert got == b"bye", got
time.sleep(2)
out = subprocess.run(["ss", "-tnpH", "state", "fin-wait-2", "( sport = :%s )" % sys.argv[1]],
                     capture_output=True, text=True).stdout
print("open" if "users:" in out else "cut")' "$1"
}
# scut PORT: the client half-closes; "cut" when, 2 s later, the proxy
# holds no descriptor of its half-closed connection to the silent server.
scut() {
	ip netns exec "$NS" "$PYTHON" -c 'import socket, subprocess, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
c.sendall(b"hello")
c.shutdown(socket.SHUT_WR)
time.sleep(2)
out = subprocess.run(["ss", "-tnpH", "state", "fin-wait-2", "( dport = :19052 )"],
                     capture_output=True, text=True).stdout
print("open" if "users:" in out else "cut")' "$1"
}
R=$(cut 19000)
check "client-fin 500ms closes the silent half-closed client ($R)" [ "$R" = cut ]
R=$(cut 19001)
check "without it, timeout client (10 s) keeps it ($R)" [ "$R" = open ]
R=$(scut 19002)
check "server-fin 500ms closes the silent half-closed server side ($R)" [ "$R" = cut ]
R=$(scut 19003)
check "without it, timeout server (10 s) keeps it ($R)" [ "$R" = open ]
if command -v haproxy >/dev/null; then
	cfg 19100 >"$T/haproxy.cfg"
	bg_ns haproxy -db -f "$T/haproxy.cfg"
	sleep 1
	echo "haproxy 2.6, the same: client-fin $(cut 19100), without $(cut 19101);" \
		"server-fin $(scut 19102), without $(scut 19103)"
fi
finish
