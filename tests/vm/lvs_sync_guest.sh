#!/bin/sh
# lvs_sync_guest.sh: runs INSIDE the VM only (lvs_engine.sh boots it).
# Two directors, each its own network namespace (IPVS is per namespace,
# so each has its own table and its own sync daemon), each running a
# softlbd with the same virtual_server (DR) and a VRRP instance VI_1 that
# moves the VIP; `lvs_sync_daemon eth0 inst VI_1` makes each director's
# sync daemon follow its VRRP state. A client holds one TCP connection
# through the VIP to an echo server, and the test proves it survives:
#   1. lb1 is MASTER (master sync daemon), lb2 BACKUP (backup daemon);
#      the connection is in lb2's ipvsadm -Lnc (synced) although no
#      packet of it ever reached lb2;
#   2. `vrrp VI_1 disable` on lb1: the VIP moves to lb2, the daemons swap,
#      and the same client socket still gets its echo, through lb2, from
#      the same real server;
#   3. `vrrp VI_1 enable`: lb1 preempts back, the daemons swap back, and
#      the connection still works;
#   4. kill -9 of lb1's softlbd and its link down (the director dies):
#      lb2 takes over after the master-down interval, and the connection
#      still works.
# Why the sync matters: without it the new director has no entry for the
# connection and IPVS schedules only SYNs, so lb2's own stack would answer
# the client's next segment with a reset (tcp_conn_schedule in
# ip_vs_proto_tcp.c passes a non-SYN on unless sloppy_tcp is set). This
# test reasons that; it does not run the control without a sync daemon.
#
# Lab (inside the VM, documentation addresses only), one bridge brsync:
#
#   sy-c   client    192.0.2.20/24
#   sy-l1  lb1       192.0.2.1/24   priority 150
#   sy-l2  lb2       192.0.2.2/24   priority 100   VIP 192.0.2.100 (VRRP)
#   sy-r1  rs1       192.0.2.11/24  } the VIP on lo (DR: arp_ignore=1,
#   sy-r2  rs2       192.0.2.12/24  }  arp_announce=2), echo on port 7000
set -u
GUEST=lvs-sync
. "$(dirname "$0")/guest_lib.sh"

VIP=192.0.2.100
PORT=7000
PIDS=
L1=
L2=

cleanup() {
	# Every process by its PID, then the namespaces (which also drops
	# their IPVS tables and sync daemons) and the bridge.
	for p in $L1 $L2 $PIDS; do kill -9 "$p" 2>/dev/null; done
	for ns in sy-c sy-l1 sy-l2 sy-r1 sy-r2; do ip netns del $ns 2>/dev/null; done
	ip link del brsync 2>/dev/null
	guest_cleanup
}
trap cleanup EXIT
# sld N COMMAND: softlb -c against director N's softlbd; output in $OUT.
sld() { ln=$1; shift; OUT=$("$SOFTLB" -s "$T/l$ln.sock" -c "$*" 2>&1); }
# state N: VI_1's state on director N
state() {
	"$SOFTLB" -s "$T/l$1.sock" -c 'show vrrp VI_1 json' 2>/dev/null |
		$PY -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null
}
state_is() { [ "$(state "$1")" = "$2" ]; }
has_vip() { ip -n "sy-l$1" -4 addr show dev eth0 2>/dev/null | grep -q "inet $VIP/"; }
no_vip() { ! has_vip "$1"; }
# daemon_is N ROLE: ipvsadm -L --daemon in director N shows the ROLE
# (master / backup) sync daemon, and not the other one.
# (Its variables are not named d or n: check and wait_for use those.)
daemon_is() {
	dm=$(ip netns exec "sy-l$1" ipvsadm -L --daemon 2>/dev/null)
	other=backup
	[ "$2" = backup ] && other=master
	printf '%s\n' "$dm" | grep -q "^$2 sync daemon (mcast=eth0, syncid=61" &&
		! printf '%s\n' "$dm" | grep -q "^$other sync daemon"
}
show_daemons() {
	for n in 1 2; do
		echo "  lb$n: ipvsadm -L --daemon: $(ip netns exec "sy-l$n" ipvsadm -L --daemon 2>&1 | tr '\n' ' ')"
	done
}
# conn N: director N's IPVS entry for the client's connection, as
# "STATE DESTINATION" ("" when it has none)
conn() {
	ip netns exec "sy-l$1" ipvsadm -Lnc 2>/dev/null |
		awk -v c="192.0.2.20:$CPORT" -v v="$VIP:$PORT" '$1 == "TCP" && $4 == c && $5 == v { print $3, $6 }'
}
conn_is() { [ "$(conn "$1")" = "$2" ]; }
# inpkts N: incoming packets of the service on director N (ipvsadm --stats)
inpkts() {
	ip netns exec "sy-l$1" ipvsadm -Ln --stats -t "$VIP:$PORT" 2>/dev/null |
		awk '$1 == "TCP" { print $4 }'
}
inpkts_above() { [ "$(inpkts "$1")" -gt "$2" ] 2>/dev/null; }
# tell_client STEP WORD: tells the client what to do at STEP (go or quit). The
# file appears whole (renamed into place): the client acts as soon as it
# exists, and must not read it half written.
tell_client() { echo "$2" >"$T/go.tmp" && mv "$T/go.tmp" "$T/go.$1"; }
# ping STEP: the client sends "ping STEP" over its one connection and
# waits for the echo; prints the client's result ("ok rsN" or an error).
ping_step() {
	tell_client "$1" go
	wait_for 300 test -e "$T/res.$1" || { echo "no reply within 30 s"; return; }
	cat "$T/res.$1"
}
# start N PRIORITY: writes director N's configuration and starts its softlbd
start() {
	cat >"$T/l$1.conf" <<X
global_defs {
    router_id lb$1
    lvs_sync_daemon eth0 inst VI_1 id 61
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 61
    priority $2
    advert_int 1
    virtual_ipaddress {
        $VIP/32
    }
}
virtual_server $VIP $PORT {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 192.0.2.11 $PORT {
        weight 1
    }
    real_server 192.0.2.12 $PORT {
        weight 1
    }
}
X
	ip netns exec "sy-l$1" "$SOFTLBD" -n -l -S "$T/l$1.sock" --pidfile "$T/l$1.pid" \
		-f "$T/l$1.conf" --lvs-reconcile-interval 1 >>"$T/l$1.log" 2>&1 &
	eval "L$1=$!"
	wait_softlbd "$T/l$1.sock" "$!" "$T/l$1.log"
}

echo "== set-up: the bridge, client, two directors, two real servers"
modprobe ip_vs || { echo "FAIL: modprobe ip_vs"; exit 1; }
ip link add brsync type bridge && ip link set brsync up || { echo "FAIL: bridge"; exit 1; }
i=0
for h in c:192.0.2.20 l1:192.0.2.1 l2:192.0.2.2 r1:192.0.2.11 r2:192.0.2.12; do
	i=$((i + 1))
	ns=sy-${h%%:*}
	ip netns add "$ns"
	ip link add "sy$i" type veth peer name eth0 netns "$ns"
	ip link set "sy$i" master brsync up
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
	ip -n "$ns" addr add "${h#*:}/24" dev eth0
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
done
for r in 1 2; do
	ip -n sy-r$r addr add $VIP/32 dev lo
	ip netns exec sy-r$r sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
	# An echo server that names itself, so the client sees which real
	# server answers each line.
	ip netns exec sy-r$r $PY -c '
import socketserver, sys
name = sys.argv[1].encode()
class H(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(name + b" " + line)
class S(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
S(("0.0.0.0", int(sys.argv[2])), H).serve_forever()
' rs$r $PORT >"$T/rs$r.log" 2>&1 &
	PIDS="$PIDS $!"
done
wait_for 300 sh -c "ip netns exec sy-r1 ss -ltn | grep -q ':$PORT ' && ip netns exec sy-r2 ss -ltn | grep -q ':$PORT '" ||
	echo "note: the echo servers are slow to start"

start 1 150
start 2 100
check "lb1 (priority 150) is MASTER" wait_for 150 state_is 1 MASTER
check "lb2 (priority 100) is BACKUP" wait_for 50 state_is 2 BACKUP
check "the VIP is on lb1" has_vip 1
check "  and not on lb2" no_vip 2
check "lb1's sync daemon is master" wait_for 100 daemon_is 1 master
check "lb2's sync daemon is backup" wait_for 100 daemon_is 2 backup
show_daemons
sld 1 show lvs daemon
check "lb1's show lvs daemon is its ipvsadm -L --daemon" \
	[ "$OUT" = "$(ip netns exec sy-l1 ipvsadm -L --daemon)" ]

echo "== 1. a long-lived connection through lb1, synced to lb2"
# The client: one socket; for each go.N file it sends "ping N", waits for
# the echo and writes res.N ("ok rsN" or what went wrong), so the test
# decides when each line is sent.
ip netns exec sy-c $PY -c '
import os, socket, sys, time
d, vip, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.create_connection((vip, port), timeout=20)
open(d + "/cport.tmp", "w").write("%d\n" % s.getsockname()[1])
os.rename(d + "/cport.tmp", d + "/cport")
n = 0
while True:
    n += 1
    go = "%s/go.%d" % (d, n)
    while not os.path.exists(go):
        time.sleep(0.05)
    if open(go).read().strip() == "quit":
        open(d + "/done", "w").close()
        break
    msg = b"ping %d\n" % n
    try:
        s.sendall(msg)
        buf = b""
        while not buf.endswith(b"\n"):
            b = s.recv(100)
            if not b:
                raise OSError("connection closed by the peer")
            buf += b
        rs, _, rest = buf.partition(b" ")
        res = "ok " + rs.decode() if rest == msg else "bad reply %r" % buf
    except OSError as e:
        res = "error: %s" % e
    open(d + "/res.tmp", "w").write(res + "\n")
    os.rename(d + "/res.tmp", "%s/res.%d" % (d, n))
' "$T" $VIP $PORT >"$T/client.log" 2>&1 &
CLIENT=$!
PIDS="$PIDS $CLIENT"
wait_for 200 test -e "$T/cport" || { echo "FAIL: the client did not connect"; cat "$T/client.log"; exit 1; }
CPORT=$(cat "$T/cport")
r=$(ping_step 1)
check "ping 1 through lb1: $r" sh -c 'case "$1" in "ok rs"[12]) ;; *) exit 1 ;; esac' _ "$r"
RS=${r#ok }
RSADDR=192.0.2.1${RS#rs}:$PORT
r=$(ping_step 2)
check "ping 2: the same real server ($r)" [ "$r" = "ok $RS" ]
check "lb1's ipvsadm -Lnc: 192.0.2.20:$CPORT -> $VIP:$PORT -> $RSADDR ESTABLISHED" \
	conn_is 1 "ESTABLISHED $RSADDR"
# The master sends its buffered sync messages at least every 2 s.
check "lb2's ipvsadm -Lnc has the same entry, synced" wait_for 100 conn_is 2 "ESTABLISHED $RSADDR" ||
	ip netns exec sy-l2 ipvsadm -Lnc
echo "  lb1: $(conn 1); lb2: $(conn 2)"
check "  though no packet of it reached lb2 (InPkts $(inpkts 2))" [ "$(inpkts 2)" = 0 ]

echo "== 2. failover to lb2 (vrrp VI_1 disable on lb1)"
sld 1 vrrp VI_1 disable
check "lb2 becomes MASTER" wait_for 100 state_is 2 MASTER
check "the VIP moves to lb2" wait_for 50 has_vip 2
check "  and leaves lb1" no_vip 1
check "lb2's sync daemon becomes master" wait_for 100 daemon_is 2 master
check "lb1's sync daemon becomes backup" wait_for 100 daemon_is 1 backup
show_daemons
r=$(ping_step 3)
check "ping 3 over the same client socket, after the VIP moved: $r" [ "$r" = "ok $RS" ]
# (the kernel folds its per-CPU counters into these every 2 s)
check "  carried by lb2 (its InPkts grow)" wait_for 50 inpkts_above 2 0
echo "  lb2's InPkts: $(inpkts 2)"
l2mac=$(ip -n sy-l2 link show eth0 | awk '/link\/ether/ { print $2 }')
check "  the client reaches the VIP at lb2's MAC ($l2mac)" \
	sh -c 'ip -n sy-c neigh show "$1" | grep -qi "lladdr $2"' _ $VIP "$l2mac"
r=$(ping_step 4)
check "ping 4: $r" [ "$r" = "ok $RS" ]
check "lb2 logged the sync daemon's switch" grep -q "LVS: VRRP instance VI_1 is MASTER: sync daemon becomes master" "$T/l2.log"

echo "== 3. lb1 enabled again: it preempts, the daemons swap back"
sld 1 vrrp VI_1 enable
check "lb1 is MASTER again" wait_for 150 state_is 1 MASTER
check "lb2 is BACKUP again" wait_for 50 state_is 2 BACKUP
check "the VIP is back on lb1" wait_for 50 has_vip 1
check "lb1's sync daemon is master again" wait_for 100 daemon_is 1 master
check "lb2's sync daemon is backup again" wait_for 100 daemon_is 2 backup
show_daemons
r=$(ping_step 5)
check "ping 5, back through lb1: $r" [ "$r" = "ok $RS" ]
check "lb2 keeps its entry (the next failover needs it)" wait_for 100 conn_is 2 "ESTABLISHED $RSADDR"

echo "== 4. lb1 dies (kill -9, link down): lb2 takes over"
kill -9 "$L1"
wait "$L1" 2>/dev/null
L1=
# A dead box stops answering too: its VIP would otherwise still answer
# ARP, which is not what a failed director does.
ip -n sy-l1 link set eth0 down
check "lb2 becomes MASTER after the master-down interval" wait_for 150 state_is 2 MASTER
check "the VIP is on lb2" wait_for 50 has_vip 2
check "lb2's sync daemon is master" wait_for 100 daemon_is 2 master
echo "  (lb1 is dead: its kernel still holds the master daemon it was given)"
show_daemons
r=$(ping_step 6)
check "ping 6 over the same client socket: $r" [ "$r" = "ok $RS" ]
check "the client's socket is still the one it opened (port $CPORT)" conn_is 2 "ESTABLISHED $RSADDR"

echo "== stop"
tell_client 7 quit
if wait_for 100 test -e "$T/done"; then
	wait "$CLIENT"
	crc=$?
else
	crc="none (it did not see its quit)"
fi
check "the client ended normally (status $crc)" [ "$crc" = 0 ]
stop_cleanly "lb2's softlbd" "$L2"
L2=
if [ "$FAILED" -ne 0 ]; then
	for f in "$T"/l1.log "$T"/l2.log "$T"/client.log; do
		echo "--- $f"
		tail -n 40 "$f"
	done
fi
guest_finish
