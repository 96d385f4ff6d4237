#!/bin/sh
# tui_table_cost.sh: softlbd's CPU per answer to what softlbtop asks for
# its proxy screen, at 10,000 servers (1,000 proxies of 10): `show table
# proxy since GEN` when nothing changed (one header line), `show table
# proxy` when every request finds changed counters (the whole table
# formatted again: a connection to one proxy before each request fails
# to its server and moves its counters), and `show proxy json` (what it
# read before) in the same two conditions. One connection, requests one
# after the other, N of each (default 50); and the summary softlbtop's
# header reads on every screen (a row per proxy), in the same two
# conditions. A benchmark, not a test: it
# prints numbers and never fails on a timing. Run as root on a build
# without sanitizers (softlbd runs in a network namespace of its own).
#
#   top_builddir=BUILD tests/bench/tui_table_cost.sh [N]
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
N=${1:-50}
T=$(mktemp -d /tmp/tui-tcost.XXXXXX)
DPID=
cleanup() { [ -n "$DPID" ] && kill "$DPID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
{
	printf 'defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n'
	p=0
	while [ "$p" -lt 1000 ]; do
		printf '\nlisten px%d\n    bind 127.0.0.1:%d\n' "$p" $((20000 + p))
		i=0
		while [ "$i" -lt 10 ]; do
			printf '    server s%d 127.0.0.2:%d\n' $((p * 10 + i)) $((30000 + p * 10 + i))
			i=$((i + 1))
		done
		p=$((p + 1))
	done
} >"$T/haproxy.cfg"
unshare --net sh -c 'ip link set lo up && exec "$@"' softlbd "$top_builddir/softlbd" -n -l \
	-S "$T/s.sock" --pidfile "$T/pid" -f /dev/null -p "$T/haproxy.cfg" >"$T/log" 2>&1 &
DPID=$!
for _ in $(seq 100); do
	"$top_builddir/softlb" -s "$T/s.sock" -c 'show version' >/dev/null 2>&1 && break
	sleep 0.1
done
# The daemon's pid inside: unshare forked it? No: sh execs softlbd.
# The client runs in softlbd's namespace, to reach the proxies' binds.
nsenter -t "$DPID" -n python3 - "$T/s.sock" "$DPID" "$N" "$top_srcdir" <<'X'
import os, socket, sys
sys.path.insert(0, os.path.join(sys.argv[4], 'tests', 'integration'))
import ctlc
sock, pid, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
hz = os.sysconf('SC_CLK_TCK')
def cpu():
    f = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()
    return int(f[11]) + int(f[12])
s, g = ctlc.greeting(sock)
def poke(i):
    # One connection through px(i % 1000): its server refuses, counters move.
    c = socket.socket()
    c.settimeout(2)
    try:
        c.connect(('127.0.0.1', 20000 + i % 1000))
        c.recv(1)
    except OSError:
        pass
    c.close()
def run(name, line, flags='', change=False, since=False):
    gen = 0
    r = ctlc.request(s, 'exec', line, flags)
    if since:
        gen = int(r[2].split()[4])
    size = len(r[2])
    c0 = cpu()
    for i in range(n):
        if change:
            poke(i)
        l = line + (' since %d' % gen if since else '')
        r = ctlc.request(s, 'exec', l, flags)
        if since:
            gen = int(r[2].split()[4])
    ms = (cpu() - c0) * 1000.0 / hz / n
    print('%-52s %8.2f ms  (%d bytes the first time)' % (name, ms, size))
    return ms
print('softlbd CPU per answer, 10,000 servers, %d requests each (clock ticks: %d/s)' % (n, hz))
a = run('show table proxy since GEN, nothing changed', 'show table proxy', since=True)
b = run('show table proxy, counters changed before each', 'show table proxy', change=True)
c = run('show proxy json, nothing changed', 'show proxy', 'json')
d = run('show proxy json, counters changed before each', 'show proxy', 'json', change=True)
e = run('show table proxy summary since GEN, nothing changed', 'show table proxy summary', since=True)
f = run('show table proxy summary, counters changed before each', 'show table proxy summary', change=True)
print('ratios table / json: unchanged %.2f, changed %.2f' % (a / c if c else 0, b / d if d else 0))
print('summary: | softlbd per show table proxy, 10,000 servers, changed | %.2f ms | show proxy json %.2f ms | %.2f | target 20 ms (2%% at 1 s) | |' % (b, d, b / d if d else 0))
print('summary: | softlbd per show table proxy summary, 10,000 servers, changed | %.2f ms | show table proxy %.2f ms | %.2f | target 20 ms (2%% at 1 s) | |' % (f, b, f / b if b else 0))
X
