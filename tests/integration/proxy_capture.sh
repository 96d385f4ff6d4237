#!/bin/sh
# capture request|response header NAME len N in the httplog line's
# {...|...} blocks, the cookie flags of %tsc, and option httplog clf:
# the same requests through softlbd and haproxy 2.6 with the same
# configuration, the lines compared field by field (times, ports, byte
# counts aside). Loopback of a namespace of its own.
. "${top_srcdir:?}/tests/integration/lib.sh"
command -v curl >/dev/null || skip "curl missing (Debian package curl)"
command -v haproxy >/dev/null || skip "haproxy missing (Debian package haproxy): the reference"
loopback_ns slbcap
bg_ns "$PYTHON" "$top_srcdir/tests/integration/cookie_backend.py" 127.0.0.1 19581 s1
RECV="$top_srcdir/tests/integration/syslog_recv.py"
bg_ns "$PYTHON" "$RECV" udp 127.0.0.1 19591 "$T/softlb.log" 60
bg_ns "$PYTHON" "$RECV" udp 127.0.0.1 19592 "$T/haproxy.log" 60

cfg() {
	b=$1
	cat <<EOC
global
    log 127.0.0.1:$2 local0
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    log global
listen cap
    bind 127.0.0.1:$b
    option httplog
    capture request header Host len 7
    capture request header X-A len 32
    capture response header Content-Length len 10
    cookie SRV insert indirect
    server s1 127.0.0.1:19581 cookie a1
listen clf
    bind 127.0.0.1:$((b + 1))
    option httplog clf
    capture request header Host len 32
    capture request header X-A len 32
    capture response header Content-Length len 10
    server s1 127.0.0.1:19581
listen clf0
    bind 127.0.0.1:$((b + 2))
    option httplog clf
    server s1 127.0.0.1:19581
EOC
}
cfg 19500 19591 >"$T/softlb.cfg"
cfg 19550 19592 >"$T/haproxy.cfg"
start_daemon -f /dev/null -p "$T/softlb.cfg"
bg_ns haproxy -db -f "$T/haproxy.cfg"
sleep 1
wait_ns_port "$NS" 19581 19550
# the log receivers open their files once bound
for _ in $(seq 100); do
	[ -e "$T/softlb.log" ] && [ -e "$T/haproxy.log" ] && break
	sleep 0.1
done

# The same requests to both, one by one.
run() {
	b=$1
	c() { ip netns exec "$NS" curl -s -o /dev/null --max-time 5 -H 'Host: example.org' "$@"; }
	c -H 'X-A: a{b|c}"d#e' -H 'X-A: second' "http://127.0.0.1:$b/p?q=1"
	c -H 'X-A: x{y}' "http://127.0.0.1:$b/o"
	c -b 'SRV=a1' "http://127.0.0.1:$b/p"
	c -b 'SRV=zz' "http://127.0.0.1:$b/p"
	c -H 'X-A: a b' "http://127.0.0.1:$((b + 1))/p?q=1"
	c "http://127.0.0.1:$((b + 2))/p"
	sleep 0.3
}
run 19500
run 19550
sleep 0.5

N=$("$PYTHON" - "$T/softlb.log" "$T/haproxy.log" <<'EOP'
import re, shlex, sys

def norm(line):
    line = line.split("]: ", 1)[1].rstrip("\n")
    if " - - [" in line:	# clf
        line = re.sub(r"\[[^]]*\]", "[D]", line)
        t = shlex.split(line, posix=False)
        for i in (6, 9, 10, 14, 15, 16, 17, 18):
            t[i] = "#"
        t[11:14] = [x.replace("clf0", "P").replace("clf", "P") for x in t[11:14]]
        return " ".join(t)
    t = line.split(" ")
    t[0] = t[0].split(":")[0]
    t[1] = t[4] = t[6] = "#"
    return " ".join(t)

a = [norm(l) for l in open(sys.argv[1])]
b = [norm(l) for l in open(sys.argv[2])]
same = 0
for x, y in zip(a, b):
    if x == y:
        same += 1
        print("same: " + x, file=sys.stderr)
    else:
        print("softlb:  " + x + "\nhaproxy: " + y, file=sys.stderr)
print("%d %d %d" % (same, len(a), len(b)))
EOP
)
check "6 log lines each, all the same fields as haproxy's ($N)" [ "$N" = "6 6 6" ]
L=$(head -1 "$T/softlb.log")
check "captures: {example|second} (the last field, cut at its len)" \
	contains "$L" "{example|second} {"
L=$(sed -n 2p "$T/softlb.log")
check "separators are encoded as HAProxy does: x#7By#7D" contains "$L" "{example|x#7By#7D}"
check "cookie flags: no cookie NI, valid VN, invalid II" \
	sh -c 'grep -q " --NI " "$1" && grep -q " --VN " "$1" && grep -q " --II " "$1"' _ "$T/softlb.log"
check "softlbd still runs" daemon_alive
finish
