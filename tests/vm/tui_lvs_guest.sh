#!/bin/sh
# tui_lvs_guest.sh: runs INSIDE the VM only (tests/vm/tui_lvs.sh boots
# it). softlbtop's LVS screen on real IPVS: a NAT virtual server with two
# real servers in namespaces, HTTP traffic from a client namespace, and
# `softlbtop --once -d 2 --screen lvs` must show the service, its real
# servers with their states and weights, and connection and byte rates
# that move; an operator's drain shows as draining.
#
# Lab (inside the VM, documentation addresses only):
#   pc (client) eth1 198.51.100.2 -- v-pc 198.51.100.1/24 (the director)
#   pr1 192.0.2.11, pr2 192.0.2.12 -- br1 192.0.2.1/24 (the director)
#   VIP 203.0.113.2 on the director's lo; the real servers route
#   198.51.100.0/24 back through it (NAT).
set -u
GUEST=tui-lvs
. "$(dirname "$0")/guest_lib.sh"
TOP=$B/softlbtop

cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	PID=
	for ns in pc pr1 pr2; do ip netns del $ns 2>/dev/null; done
	ip link del br1 2>/dev/null
	ip link del v-pc 2>/dev/null
	ip addr del 203.0.113.2/32 dev lo 2>/dev/null
	ipvsadm -C 2>/dev/null
	guest_cleanup
}
trap cleanup EXIT

echo "== set-up"
ipvsadm -C 2>/dev/null
modprobe ip_vs || { echo "FAIL: modprobe ip_vs"; exit 1; }
sysctl -qw net.ipv4.ip_forward=1
ip link add br1 type bridge && ip link set br1 up && ip addr add 192.0.2.1/24 dev br1 ||
	{ echo "FAIL: bridge"; exit 1; }
ip addr add 203.0.113.2/32 dev lo
ip netns add pc
ip link add v-pc type veth peer name eth1 netns pc
ip addr add 198.51.100.1/24 dev v-pc && ip link set v-pc up
ip -n pc link set lo up
ip -n pc link set eth1 up
ip -n pc addr add 198.51.100.2/24 dev eth1
ip -n pc route add 203.0.113.2/32 via 198.51.100.1
for i in 1 2; do
	ns=pr$i
	ip netns add $ns
	ip link add p$i type veth peer name eth0 netns $ns
	ip link set p$i master br1 up
	ip -n $ns link set lo up
	ip -n $ns link set eth0 up
	ip -n $ns addr add 192.0.2.1$i/24 dev eth0
	ip -n $ns route add 198.51.100.0/24 via 192.0.2.1
	mkdir -p "$T/www$i" && echo "rs$i" >"$T/www$i/index.html"
	(cd "$T/www$i" && exec ip netns exec $ns $PY -m http.server 80 --bind 0.0.0.0 \
		>/dev/null 2>&1) &
done
wait_for 300 sh -c 'ip netns exec pr1 ss -ltn | grep -q ":80 " && ip netns exec pr2 ss -ltn | grep -q ":80 "' ||
	echo "note: the HTTP servers are slow to start"

cat >"$CONF" <<'X'
virtual_server 203.0.113.2 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    delay_loop 1
    real_server 192.0.2.11 80 {
        weight 3
        TCP_CHECK {
            connect_timeout 2
        }
    }
    real_server 192.0.2.12 80 {
        weight 1
    }
}
X
"$SOFTLBD" -n -l -S "$SOCK" --pidfile "$T/p.pid" -f "$CONF" -p /dev/null >>"$LOG" 2>&1 &
PID=$!
wait_softlbd "$SOCK" "$PID" "$LOG"
wait_for 100 sh -c 'ipvsadm -Ln -t 203.0.113.2:80 | grep -q 192.0.2.12:80' ||
	echo "note: IPVS was slow to get the service"
wait_for 100 sh -c '"$1" -s "$2" -c "show checks" | grep -q L4OK' _ "$SOFTLB" "$SOCK" ||
	echo "note: the TCP_CHECK was slow to pass"

# col ROW_RE TITLE: the cell under the right-aligned column TITLE in the
# first line of $OUT matching ROW_RE.
col() {
	printf '%s\n' "$OUT" | LC_ALL=C awk -v re="$1" -v t="$2" '
		hdr == "" && index($0, t) { hdr = $0; e = index($0, t) + length(t) - 1; next }
		hdr != "" && $0 ~ re { v = substr($0, 1, e); sub(/.* /, "", v); print v; exit }'
}
moving() { case "$1" in ""|-|0) return 1 ;; esac; }

echo "== the LVS screen under traffic"
# Bounded traffic: 150 short connections, one every 20 ms.
ip netns exec pc $PY - >"$T/load.out" 2>&1 <<'X' &
import socket, time
for _ in range(150):
    try:
        s = socket.create_connection(("203.0.113.2", 80), timeout=3)
        s.sendall(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
        while s.recv(4096):
            pass
        s.close()
    except OSError:
        pass
    time.sleep(0.02)
X
LOAD=$!
sleep 0.5
OUT=$(COLUMNS=220 "$TOP" -s "$SOCK" --once -d 2 --screen lvs 2>&1)
wait "$LOAD"
printf '%s\n' "$OUT"
check "the service is shown" sh -c 'printf "%s\n" "$1" | grep -qE "^TCP 203\.0\.113\.2:80 +UP +rr"' _ "$OUT"
check "192.0.2.11:80 is up, weight 3/3, masq" \
	sh -c 'printf "%s\n" "$1" | grep -qE "^  192\.0\.2\.11:80 +up +[Mm]asq\w* +3/3"' _ "$OUT"
check "192.0.2.12:80 is up, weight 1/1" \
	sh -c 'printf "%s\n" "$1" | grep -qE "^  192\.0\.2\.12:80 +up +[Mm]asq\w* +1/1"' _ "$OUT"
R=$(col '^TCP 203' 'CONN/S')
check "the service's connections per second move ($R)" moving "$R"
R=$(col '^TCP 203' 'B/S IN')
check "  and its bytes per second in ($R)" moving "$R"
# Per real server: whichever got this window's connections (on a loaded
# host the VM may see only one or two in 2 s, all on one server).
R1=$(col '^  192.0.2.11' 'CONN/S')
R2=$(col '^  192.0.2.12' 'CONN/S')
check "  and a real server's own rate ($R1, $R2)" sh -c 'moving() { case "$1" in ""|-|0) return 1 ;; esac; }; moving "$1" || moving "$2"' _ "$R1" "$R2"
check "the check's code is shown for 192.0.2.11" \
	sh -c 'printf "%s\n" "$1" | grep -qE "^  192\.0\.2\.11:80 .*L4OK connected"' _ "$OUT"
check "the header totals LVS rates" sh -c 'printf "%s\n" "$1" | grep -qE "^LVS: [0-9.]+k? conn/s"' _ "$OUT"

echo "== an operator's drain"
sl -c 'real-server 192.0.2.12:80 of 203.0.113.2:80 tcp drain'
check "the drain is accepted ($OUT)" [ "$RC" -eq 0 ]
wait_for 50 sh -c 'ipvsadm -Ln -t 203.0.113.2:80 | grep -qE "192\.0\.2\.12:80 +Masq +0 "'
OUT=$(COLUMNS=220 "$TOP" -s "$SOCK" --once --screen lvs 2>&1)
check "192.0.2.12:80 shows draining, configured 1, kernel 0" \
	sh -c 'printf "%s\n" "$1" | grep -qE "^  192\.0\.2\.12:80 +draining +[Mm]asq\w* +1/0"' _ "$OUT" ||
	printf '%s\n' "$OUT"
echo "== show table lvs (what softlbtop reads) against the JSON forms"
"$SOFTLB" -s "$SOCK" -c 'show table lvs' >"$T/table"
"$SOFTLB" -s "$SOCK" --json -c 'show lvs' >"$T/lvs.json"
"$SOFTLB" -s "$SOCK" --json -c 'show virtual-server' >"$T/vs.json"
$PY - "$T/table" "$T/lvs.json" "$T/vs.json" >"$T/cmp" 2>&1 <<'X'
import json, sys
lines = open(sys.argv[1]).read().split('\n')
cols = lines[1].split('\t')
rows = [dict(zip(cols, l.split('\t'))) for l in lines[2:] if l]
lvs = json.load(open(sys.argv[2]))
vs = {v['service'].replace('  ', ' '): v for v in json.load(open(sys.argv[3]))}
bad, n = [], 0
want = []
for svc in lvs['services']:
    want.append((svc, None))
    for d in svc['real_servers']:
        want.append((svc, d))
if len(want) != len(rows):
    bad.append('%d rows, the JSON has %d' % (len(rows), len(want)))
def eq(what, a, b):
    global n
    n += 1
    if str(a) != str(b):
        bad.append('%s: table %r, JSON %r' % (what, a, b))
for (svc, d), r in zip(want, rows):
    name = '%s %s:%d' % (svc['protocol'], svc['address'], svc['port'])
    eq('service', r['service'], name)
    eq('scheduler', r['scheduler'], svc['scheduler'])
    eq('managed', r['managed'], 1 if name in vs else 0)
    obj = d if d else svc
    for c in ('conns', 'inpkts', 'outpkts', 'inbytes', 'outbytes'):
        eq(name + ' ' + c, r[c], obj['stats'][c])
    if not d:
        continue
    a = '%s:%d' % (d['address'], d['port'])
    eq('server', r['server'], a)
    for c in ('weight', 'active_conns', 'forward'):
        eq(a + ' ' + c, r[c], d[c])
    eq(a + ' inactive_conns', r['inactive_conns'], d['inactive_conns'])
    w = [x for x in vs.get(name, {}).get('real_servers', []) if x['address'] == a]
    eq(a + ' config_weight', r['config_weight'], w[0]['config_weight'] if w else '')
    eq(a + ' state', r['state'], w[0]['state'] if w else '')
print(('ok' if not bad else 'FAIL') + ': show table lvs: %d values equal to show lvs and show virtual-server json%s'
      % (n, '' if not bad else ': ' + '; '.join(bad[:5])))
X
cat "$T/cmp"
check "show table lvs gives the JSON forms' values" grep -q '^ok' "$T/cmp"
grep -q 'draining' "$T/table" && ok "  the drain is in it" || fail "  the drain is not in show table lvs"
# Unchanged while nothing changes: three tries, as an old connection's
# entry expiring in the kernel changes the table (InActConn) for real.
for _ in 1 2 3; do
	sl -c 'show table lvs'
	gen=$(printf '%s\n' "$OUT" | head -n1 | awk '{ print $5 }')
	sl -c "show table lvs since $gen"
	[ "$OUT" = "softlb-table 1 lvs gen $gen unchanged" ] && break
done
check "  since its generation ($gen), with no traffic: unchanged ($OUT)" \
	[ "$OUT" = "softlb-table 1 lvs gen $gen unchanged" ]
OUT=$(COLUMNS=80 "$TOP" -s "$SOCK" --once --screen lvs 2>&1)
W=$(printf '%s\n' "$OUT" | LC_ALL=C.UTF-8 wc -L)
check "at 80 columns nothing is wider than 80 ($W)" [ "$W" -le 80 ]
check "  and the real servers and states stay" \
	sh -c 'printf "%s\n" "$1" | grep -qE "^  192\.0\.2\.12:80 +draining"' _ "$OUT"

echo "== a disable from the monitor itself (tmux)"
if command -v tmux >/dev/null 2>&1; then
	TM="tmux -L tui-lvs -f /dev/null"
	$TM new-session -d -s t -x 120 -y 30 "TERM=xterm-256color '$TOP' -s '$SOCK' --screen lvs; sleep 60"
	screen_has() { $TM capture-pane -p -t t | grep -qF -- "$1"; }
	wait_for 100 screen_has "192.0.2.11:80"
	# Rows: the service, 192.0.2.11:80, 192.0.2.12:80.
	$TM send-keys -t t j x
	wait_for 50 screen_has "Disable 1 real server 192.0.2.11:80 in TCP 203.0.113.2:80"
	check "x on 192.0.2.11:80 asks, naming the real server and its service" \
		screen_has "Disable 1 real server 192.0.2.11:80 in TCP 203.0.113.2:80" ||
		$TM capture-pane -p -t t
	$TM send-keys -t t y
	wait_for 50 screen_has "done: real-server 192.0.2.11:80 of 203.0.113.2:80 tcp disable"
	check "y: the daemon's answer" screen_has "done: real-server 192.0.2.11:80 of 203.0.113.2:80 tcp disable" ||
		$TM capture-pane -p -t t
	sl --json -c 'show virtual-server'
	check "show virtual-server: 192.0.2.11:80 disabled" \
		sh -c 'printf "%s" "$1" | tr -d " \n" | grep -q "\"address\":\"192.0.2.11:80\"[^}]*\"state\":\"disabled\""' _ "$OUT"
	$TM send-keys -t t q
	$TM kill-server 2>/dev/null
else
	echo "SKIP: tmux is not installed: the monitor's own action is not tried here"
fi

stop_cleanly softlbd "$PID"
PID=
guest_finish
