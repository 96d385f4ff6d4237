#!/bin/sh
# lvs_paths_guest.sh: runs INSIDE the VM only (lvs_engine.sh boots it).
# One softlbd, one keepalived.conf, checked against the kernel:
#   1. DR, NAT and TUN each carry HTTP requests from a client namespace
#      through a VIP to two real-server namespaces, in proportion to their
#      weights (wrr 3:1);
#   2. every scheduler the kernel has, their flags, persistence with a
#      netmask, one-packet scheduling, UDP, SCTP, IPv6, fwmark, thresholds
#      lvs_timeouts, persistence_engine sip and TUN real servers on GUE
#      and GRE, cross-checked against
#      ipvsadm -Ln, --stats,
#      --rate, --timeout, --thresholds and -S -n; a reload that drops
#      the persistence engine edits the service in place;
#   3. the sync daemon follows its VRRP instance (master / backup);
#   4. quorum, hysteresis, quorum_up / quorum_down, sorry_server,
#      sorry_server_inhibit, misc_dynamic weights.
#
# Lab (all inside the VM, documentation addresses only):
#
#   pc (client) eth0 192.0.2.2/24 ---+--- br1 (director, the VM) 192.0.2.1/24
#               eth1 198.51.100.2 -- v-pc  198.51.100.1/24 (NAT's client side)
#   pr1 192.0.2.11, pr2 192.0.2.12 --+    VIPs 203.0.113.x on the director's lo
#
# DR and TUN: the real servers hold the VIPs on lo (arp_ignore=1,
# arp_announce=2) and answer the client directly on the bridge. NAT: the
# client comes from 198.51.100.2, and the real servers route that network
# back through the director, which rewrites the replies.
set -u
GUEST=lvs-paths
. "$(dirname "$0")/guest_lib.sh"

cleanup() {
	# softlbd first: it would re-add what ipvsadm -C removes.
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	PID=
	for ns in pc pr1 pr2; do ip netns del $ns 2>/dev/null; done
	ip link del br1 2>/dev/null
	ip link del v-pc 2>/dev/null
	ipvsadm -C 2>/dev/null
	guest_cleanup
}
trap cleanup EXIT
# rs_w VIP:PORT RS: the real server's weight in ipvsadm -Ln ("" when absent)
rs_w() { ipvsadm -Ln -t "$1" 2>/dev/null | awk -v rs="$2" '$2 == rs { print $4 }'; }
is_w() { [ "$(rs_w "$1" "$2")" = "$3" ]; }

echo "== set-up: the lab"
ipvsadm -C 2>/dev/null
modprobe ip_vs && modprobe ipip || { echo "FAIL: modprobe ip_vs / ipip"; exit 1; }
sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
ip link add br1 type bridge && ip link set br1 up && ip addr add 192.0.2.1/24 dev br1 ||
	{ echo "FAIL: bridge"; exit 1; }
ip addr add 2001:db8::1/64 dev br1 nodad
for v in 1 2 3 4; do ip addr add 203.0.113.$v/32 dev lo; done
ip netns add pc
ip link add pc0 type veth peer name eth0 netns pc
ip link set pc0 master br1 up
ip link add v-pc type veth peer name eth1 netns pc
ip addr add 198.51.100.1/24 dev v-pc && ip link set v-pc up
ip -n pc link set lo up
ip -n pc link set eth0 up
ip -n pc link set eth1 up
ip -n pc addr add 192.0.2.2/24 dev eth0
ip -n pc addr add 198.51.100.2/24 dev eth1
ip -n pc route add 203.0.113.1/32 via 192.0.2.1	# DR
ip -n pc route add 203.0.113.2/32 via 198.51.100.1	# NAT
ip -n pc route add 203.0.113.3/32 via 192.0.2.1	# TUN
for i in 1 2; do
	ns=pr$i
	ip netns add $ns
	ip link add p$i type veth peer name eth0 netns $ns
	ip link set p$i master br1 up
	ip -n $ns link set lo up
	ip -n $ns link set eth0 up
	ip -n $ns addr add 192.0.2.1$i/24 dev eth0
	ip -n $ns addr add 2001:db8::1$i/64 dev eth0 nodad
	ip -n $ns route add 198.51.100.0/24 via 192.0.2.1
	ip -n $ns addr add 203.0.113.1/32 dev lo
	ip -n $ns addr add 203.0.113.3/32 dev lo
	ip -n $ns link set tunl0 up
	ip netns exec $ns sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.tunl0.rp_filter=0
	mkdir -p "$T/www$i" && echo "rs$i" >"$T/www$i/index.html"
	(cd "$T/www$i" && exec ip netns exec $ns $PY -m http.server 80 --bind 0.0.0.0 \
		>/dev/null 2>&1) &
done
wait_for 300 sh -c 'ip netns exec pr1 ss -ltn | grep -q ":80 " && ip netns exec pr2 ss -ltn | grep -q ":80 "' ||
	echo "note: the HTTP servers are slow to start"

# The schedulers this kernel has as modules (twos came in Linux 6.x).
SCHEDS=
for s in rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos; do
	if ls /lib/modules/"$(uname -r)"/kernel/net/netfilter/ipvs/ip_vs_$s.ko* >/dev/null 2>&1; then
		SCHEDS="$SCHEDS $s"
	else
		echo "SKIP: scheduler $s: this kernel has no ip_vs_$s module"
	fi
done
# The SIP persistence engine: the kernel refuses a service naming an
# engine whose module it cannot load, so without it the service is left out.
PE=
if modprobe ip_vs_pe_sip 2>/dev/null; then
	PE=sip
else
	echo "SKIP: persistence_engine: this kernel has no ip_vs_pe_sip module"
fi

echo "== the configuration"
# Quorum scripts run as global_defs script_user (nobody): they write
# where nobody may.
chmod 711 "$T"
QD=$T/q
mkdir "$QD" && chmod 1777 "$QD"
{
	cat <<X
global_defs {
    router_id lvs-paths
    script_user nobody
    lvs_timeouts tcp 900 tcpfin 120 udp 300
    lvs_sync_daemon br1 inst VI_SYNC id 5 maxlen 1400 port 8850 ttl 2 group 239.1.2.3
}
vrrp_instance VI_SYNC {
    state MASTER
    interface br1
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.0.2.250/32
    }
}
X
	n=1
	for kind in DR NAT TUN; do
		cat <<X
virtual_server 203.0.113.$n 80 {
    lb_algo wrr
    lb_kind $kind
    protocol TCP
    real_server 192.0.2.11 80 {
        weight 3
    }
    real_server 192.0.2.12 80 {
        weight 1
    }
}
X
		n=$((n + 1))
	done
	n=100
	for s in $SCHEDS; do
		extra=
		case $s in
		sh) extra='sh-fallback
    sh-port' ;;
		mh) extra='mh-fallback
    mh-port' ;;
		wlc) extra='persistence_timeout 300
    persistence_granularity 255.255.255.0' ;;
		esac
		cat <<X
virtual_server 203.0.113.$n 80 {
    lb_algo $s
    lb_kind DR
    protocol TCP
    $extra
    real_server 192.0.2.11 80 {
        weight 2
        uthreshold 100
        lthreshold 10
    }
    real_server 192.0.2.12 80 {
        weight 1
    }
}
X
		n=$((n + 1))
	done
	cat <<'X'
virtual_server 203.0.113.90 53 {
    lb_algo rr
    lb_kind NAT
    protocol UDP
    ops
    real_server 192.0.2.11 5353 {
        weight 1
    }
}
X
	[ -n "$PE" ] && cat <<'X'
virtual_server 203.0.113.92 5060 {
    lb_algo rr
    lb_kind NAT
    protocol UDP
    persistence_timeout 60
    persistence_engine sip
    real_server 192.0.2.11 5060 {
        weight 1
    }
}
X
	cat <<'X'
virtual_server 203.0.113.93 80 {
    lb_algo rr
    lvs_method TUN type gue port 6081 csum
    protocol TCP
    real_server 192.0.2.11 80 {
        weight 1
    }
    real_server 192.0.2.12 80 {
        weight 1
        lvs_method TUN type gre
    }
}
virtual_server 203.0.113.91 9 {
    lb_algo rr
    lb_kind DR
    protocol SCTP
    real_server 192.0.2.11 9 {
        weight 1
    }
}
virtual_server 2001:db8::100 80 {
    lb_algo wrr
    lb_kind NAT
    protocol TCP
    persistence_timeout 120
    persistence_granularity 64
    real_server 2001:db8::11 8080 {
        weight 5
    }
}
virtual_server fwmark 9 {
    lb_algo lc
    lb_kind DR
    real_server 192.0.2.12 0 {
        weight 4
    }
}
virtual_server fwmark 10 {
    family inet6
    lb_algo rr
    lb_kind TUN
    real_server 2001:db8::12 0 {
        weight 6
    }
}
virtual_server 203.0.113.30 80 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    quorum 3
    hysteresis 1
    omega
X
	echo "    quorum_up /usr/bin/touch $QD/qup"
	echo "    quorum_down \"/bin/sh -c 'id -u >>$QD/qdown'\""
	cat <<'X'
    sorry_server 192.0.2.99 80
    real_server 192.0.2.11 80 {
        weight 2
    }
    real_server 192.0.2.12 80 {
        weight 2
    }
}
virtual_server 203.0.113.31 80 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    omega
X
	echo "    quorum_down \"/bin/sh -c 'id -u >>$QD/qdown31'\""
	cat <<'X'
    sorry_server 192.0.2.99 80
    sorry_server_inhibit
    real_server 192.0.2.11 80 {
        weight 1
    }
}
virtual_server 203.0.113.32 80 {
    delay_loop 3
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 192.0.2.11 80 {
        weight 1
        MISC_CHECK {
            misc_timeout 30
            misc_path "/bin/sh -c 'exit 5'"
            misc_dynamic
        }
    }
}
X
} >"$CONF"
"$SOFTLBD" -t -f "$CONF" >"$T/t.out" 2>&1 || { echo "FAIL: softlbd -t refuses the configuration:"; cat "$T/t.out"; exit 1; }
"$SOFTLBD" -n -l -S "$SOCK" --pidfile "$T/p.pid" -f "$CONF" --lvs-reconcile-interval 1 >>"$LOG" 2>&1 &
PID=$!
wait_softlbd "$SOCK" "$PID" "$LOG"

echo "== 1. DR, NAT and TUN carry traffic in proportion to the weights (wrr 3:1)"
# 40 fresh connections to each VIP; each reply names its real server.
ip netns exec pc $PY - >"$T/counts" <<'X'
import socket
for vip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
    c = {"rs1": 0, "rs2": 0, "fail": 0}
    for _ in range(40):
        try:
            s = socket.create_connection((vip, 80), timeout=5)
            s.sendall(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
            data = b""
            while True:
                b = s.recv(4096)
                if not b:
                    break
                data += b
            s.close()
            body = data.split(b"\r\n\r\n", 1)[-1].strip().decode()
            c[body if body in c else "fail"] += 1
        except OSError:
            c["fail"] += 1
    print(vip, c["rs1"], c["rs2"], c["fail"])
X
cat "$T/counts"
# near() A B: A within 2 of B (one connection lost or retried is no failure
# of the scheduler; a wrong proportion is).
near() { [ "$1" -ge $(($2 - 2)) ] && [ "$1" -le $(($2 + 2)) ]; }
n=1
for kind in DR NAT TUN; do
	set -- $(sed -n "${n}p" "$T/counts")
	check "$kind (203.0.113.$n): rs1 $2, rs2 $3, failed $4 of 40 (want 30:10)" \
		sh -c 'n() { [ "$1" -ge $(($2 - 2)) ] && [ "$1" -le $(($2 + 2)) ]; }; n "$1" 30 && n "$2" 10 && [ "$3" -le 2 ]' _ "$2" "$3" "$4"
	n=$((n + 1))
done
# The kernel's own count per real server agrees (its counters fold in every 2 s).
rs_conns() { ipvsadm -Ln --stats -t "$1" | awk -v rs="$2" '$2 == rs { print $3 }'; }
conns_settled() { [ "$(rs_conns 203.0.113.3:80 192.0.2.11:80)" -ge 28 ] 2>/dev/null; }
wait_for 50 conns_settled
for n in 1 2 3; do
	a=$(rs_conns 203.0.113.$n:80 192.0.2.11:80); b=$(rs_conns 203.0.113.$n:80 192.0.2.12:80)
	check "ipvsadm --stats counts 203.0.113.$n's connections 3:1 ($a:$b)" \
		sh -c '[ "$1" -ge 28 ] && [ "$2" -ge 8 ] && [ "$2" -le 12 ]' _ "${a:-0}" "${b:-0}"
done
ipvsadm -Ln -t 203.0.113.2:80 | grep -q "192.0.2.11:80 *Masq *3" && ok "NAT real servers are Masq" || fail "NAT real servers are Masq"
ipvsadm -Ln -t 203.0.113.3:80 | grep -q "192.0.2.11:80 *Tunnel *3" && ok "TUN real servers are Tunnel" || fail "TUN real servers are Tunnel"

echo "== 2. schedulers, flags, persistence, ops, UDP, SCTP, IPv6, fwmark, timeouts"
ipvsadm -Ln >"$T/ln"
cat "$T/ln"
n=100
for s in $SCHEDS; do
	case $s in
	sh) want="TCP  203.0.113.$n:80 sh (sh-fallback,sh-port)" ;;
	mh) want="TCP  203.0.113.$n:80 mh (mh-fallback,mh-port)" ;;
	wlc) want="TCP  203.0.113.$n:80 wlc persistent 300 mask 255.255.255.0" ;;
	*) want="TCP  203.0.113.$n:80 $s" ;;
	esac
	check "scheduler $s: '$want'" grep -qx "$want *" "$T/ln"
	n=$((n + 1))
done
check "UDP with one-packet scheduling" grep -qx "UDP  203.0.113.90:53 rr ops *" "$T/ln"
check "SCTP" grep -qx "SCTP 203.0.113.91:9 rr *" "$T/ln"
check "IPv6 persistent with a prefix length" grep -qx "TCP  \[2001:db8::100\]:80 wrr persistent 120 mask 64 *" "$T/ln"
check "  with a Masq IPv6 real server" grep -q "^  -> \[2001:db8::11\]:8080 *Masq *5 " "$T/ln"
check "fwmark IPv4" grep -qx "FWM  9 lc *" "$T/ln"
check "fwmark IPv6 with a Tunnel real server" sh -c 'grep -qx "FWM  10 IPv6 rr *" "$1" && grep -q "^  -> \[2001:db8::12\]:0 *Tunnel *6 " "$1"' _ "$T/ln"
# Read again next to the show: the inactive connections of section 1
# expire meanwhile, and on a loaded machine the checks above take long.
ipvsadm -Ln >"$T/ln-now"
sl -c 'show lvs'
printf '%s\n' "$OUT" >"$T/show"
check "show lvs is ipvsadm -Ln, byte for byte" diff -u "$T/ln-now" "$T/show"
for f in stats rate; do
	same=no
	# The kernel's estimator ticks every 2 s and a TCG guest is slow, so
	# read ipvsadm before and after softlb: what softlb printed must be
	# what the kernel said at one of the two moments.
	for _ in 1 2 3 4 5; do
		ipvsadm -Ln --$f >"$T/a"; sl -c "show lvs $f"; printf '%s\n' "$OUT" >"$T/b"
		ipvsadm -Ln --$f >"$T/c"
		if cmp -s "$T/a" "$T/b" || cmp -s "$T/c" "$T/b"; then same=yes; break; fi
	done
	check "show lvs $f is ipvsadm -Ln --$f" [ $same = yes ] || diff -u "$T/a" "$T/b"
done
sl -c 'show lvs timeout'
check "lvs_timeouts: ipvsadm --timeout says 900 120 300" sh -c 'ipvsadm -L --timeout | grep -qx "Timeout (tcp tcpfin udp): 900 120 300"'
check "show lvs timeout is ipvsadm's" [ "$OUT" = "$(ipvsadm -L --timeout)" ]
ipvsadm -Ln --thresholds -t 203.0.113.100:80 >"$T/thr"
check "thresholds: ipvsadm --thresholds shows 100 / 10" grep -q "192.0.2.11:80 *100 *10 " "$T/thr" || cat "$T/thr"
ipvsadm -S -n >"$T/save"
check "ipvsadm -S -n: the persistent service with its mask" grep -q -- "-A -t 203.0.113.10[0-9]:80 -s wlc -p 300 -M 255.255.255.0" "$T/save"
check "ipvsadm -S -n: sh with both flags" sh -c 'case " $2 " in *" sh "*) grep -q -- "-s sh -b sh-fallback,sh-port" "$1" ;; esac' _ "$T/save" "$SCHEDS"
check "ipvsadm -S -n: ops" grep -q -- "-A -u 203.0.113.90:53 -s rr -o" "$T/save"
# (ipvsadm -S does not print thresholds; --thresholds above shows them)
check "ipvsadm -S -n: a Route real server with its weight" grep -qx -- "-a -t 203.0.113.100:80 -r 192.0.2.11:80 -g -w 2" "$T/save"
check "ipvsadm -S -n: IPv6 fwmark" grep -q -- "-A -f 10 -6 -s rr" "$T/save"
check "ipvsadm -S -n: NAT real server" grep -q -- "-a -t 203.0.113.2:80 -r 192.0.2.11:80 -m -w 3" "$T/save"
if [ -n "$PE" ]; then
	check "persistence_engine sip: 'UDP  203.0.113.92:5060 rr persistent 60 pe sip'" \
		grep -qx "UDP  203.0.113.92:5060 rr persistent 60 pe sip *" "$T/ln"
	check "ipvsadm -S -n: -p 60 --pe sip" grep -q -- "-A -u 203.0.113.92:5060 -s rr -p 60 --pe sip" "$T/save" ||
		grep -- 203.0.113.92 "$T/save"
	sl -c 'show lvs json'
	check "show lvs json: pe sip" sh -c 'printf "%s" "$1" | '$PY' -c "
import json,sys
s=[x for x in json.load(sys.stdin)[\"services\"] if x.get(\"port\")==5060]
assert len(s)==1 and s[0][\"pe\"]==\"sip\", s"' _ "$OUT"
	# Dropping the engine is an edit of the service, not a new one.
	cp "$CONF" "$T/pe.conf"
	sed -i '/persistence_engine sip/d' "$CONF"
	sl -c reload
	check "reload without persistence_engine: 'persistent 60', no pe" \
		wait_for 50 sh -c 'ipvsadm -Ln | grep -qx "UDP  203.0.113.92:5060 rr persistent 60 *"'
	check "  edited in place (logged)" has_log "service UDP 203.0.113.92:5060 changed in place (rr, persistent)"
	cp "$T/pe.conf" "$CONF"
	sl -c reload
	check "reload with it again: pe sip is back" \
		wait_for 50 sh -c 'ipvsadm -Ln | grep -qx "UDP  203.0.113.92:5060 rr persistent 60 pe sip *"'
	check "  edited in place (logged)" has_log "service UDP 203.0.113.92:5060 changed in place (rr, persistent, pe sip)"
fi

# Tunnels: the virtual server's GUE (port, csum) is its first real
# server's, the second has its own GRE.
ipvsadm -Ln --tun-info -t 203.0.113.93:80 >"$T/tun"
cat "$T/tun"
check "lvs_method TUN type gue port 6081 csum: --tun-info gue:6081:+c" \
	grep -q "192.0.2.11:80 .*Tunnel.*gue:6081:+c" "$T/tun"
check "real server lvs_method TUN type gre: --tun-info gre:-c" \
	grep -q "192.0.2.12:80 .*Tunnel.*gre:-c" "$T/tun"
check "ipvsadm -S -n: --tun-type gue --tun-port 6081 --tun-csum" \
	grep -qx -- "-a -t 203.0.113.93:80 -r 192.0.2.11:80 -i -w 1 --tun-type gue --tun-port 6081 --tun-csum" "$T/save"
check "ipvsadm -S -n: --tun-type gre --tun-nocsum" \
	grep -qx -- "-a -t 203.0.113.93:80 -r 192.0.2.12:80 -i -w 1 --tun-type gre --tun-nocsum" "$T/save" ||
	grep -- 203.0.113.93 "$T/save"
check "  an unchanged tunnel is not re-sent" sh -c '! grep -q "of TCP 203.0.113.93:80 changed in place" "$1"' _ "$LOG"
# A changed tunnel type is an edit of the real server, not a new one.
cp "$CONF" "$T/tun.conf"
sed -i 's/lvs_method TUN type gre$/lvs_method TUN type gue port 6082 remcsum/' "$CONF"
sl -c reload
check "reload gre -> gue port 6082 remcsum: ipvsadm -S -n follows" \
	wait_for 50 sh -c 'ipvsadm -S -n | grep -qx -- "-a -t 203.0.113.93:80 -r 192.0.2.12:80 -i -w 1 --tun-type gue --tun-port 6082 --tun-remcsum"'
check "  edited in place (logged)" has_log "real server 192.0.2.12:80 of TCP 203.0.113.93:80 changed in place: weight 1 -> 1, tunnel gue port 6082 remcsum"
check "  the other real server untouched" sh -c '! grep -q "real server 192.0.2.11:80 of TCP 203.0.113.93:80 changed" "$1"' _ "$LOG"
cp "$T/tun.conf" "$CONF"
sl -c reload
check "reload back to gre" \
	wait_for 50 sh -c 'ipvsadm -S -n | grep -qx -- "-a -t 203.0.113.93:80 -r 192.0.2.12:80 -i -w 1 --tun-type gre --tun-nocsum"'

echo "== 3. the sync daemon follows its VRRP instance"
daemon_is() { ipvsadm -L --daemon | grep -q "^$1 sync daemon (mcast=br1, syncid=5, maxlen=1400, group=239.1.2.3, port=8850, ttl=2)"; }
check "instance MASTER: master sync daemon" wait_for 100 daemon_is master
ipvsadm -L --daemon
sl -c 'show lvs daemon'
check "show lvs daemon is ipvsadm -L --daemon" [ "$OUT" = "$(ipvsadm -L --daemon)" ]
sl -c 'vrrp VI_SYNC disable'
check "instance disabled: backup sync daemon" wait_for 50 daemon_is backup
check "  and no master any more" sh -c '! ipvsadm -L --daemon | grep -q "^master"'
sl -c 'vrrp VI_SYNC enable'
check "instance enabled again (MASTER): master sync daemon" wait_for 100 daemon_is master
check "  and no backup any more" sh -c '! ipvsadm -L --daemon | grep -q "^backup"'
check "  logged" has_log "LVS: VRRP instance VI_SYNC is MASTER: sync daemon becomes master"

echo "== 4. quorum, hysteresis, sorry server, misc_dynamic"
Q=203.0.113.30:80
R1=192.0.2.11:80
R2=192.0.2.12:80
# pool W1 W2 WSORRY: the weights of rs1, rs2 and the sorry server ("-": absent)
pool() { [ "$(rs_w $Q $R1)" = "${1#-}" ] && [ "$(rs_w $Q $R2)" = "${2#-}" ] && [ "$(rs_w $Q 192.0.2.99:80)" = "${3#-}" ]; }
check "quorum 3 met (2+2): both real servers, no sorry server" pool 2 2 -
sl -c "real-server $R1 of $Q tcp disable"
check "one down (2 >= 3-1): quorum kept (hysteresis), no sorry server" pool - 2 -
sl -c "real-server $R2 of $Q tcp disable"
check "both down (0 < 3-1): the sorry server serves" pool - - 1
check "  quorum_down ran" wait_for 50 test -s "$QD/qdown"
check "  as script_user nobody" [ "$(cat "$QD/qdown")" = "$(id -u nobody)" ]
check "  logged" has_log "LVS: TCP 203.0.113.30:80 lost its quorum"
sl -c "real-server $R1 of $Q tcp enable"
check "one back (2 < 3+1): still the sorry server alone (hysteresis)" pool - - 1
sl -c "real-server $R2 of $Q tcp enable"
check "both back (4 >= 3+1): real servers in, sorry server out" pool 2 2 -
check "  quorum_up ran" wait_for 50 test -e "$QD/qup"
S=203.0.113.31:80
check "sorry_server_inhibit: the sorry server waits at weight 0" is_w $S 192.0.2.99:80 0
sl -c "real-server $R1 of $S tcp disable"
check "  and takes weight 1 when the quorum is lost" is_w $S 192.0.2.99:80 1
sl -c "real-server $R1 of $S tcp enable"
check "  back to 0 when it returns" is_w $S 192.0.2.99:80 0
check "misc_dynamic: MISC_CHECK exit 5 sets weight 3 in IPVS" wait_for 150 is_w 203.0.113.32:80 $R1 3

rm -f "$QD/qdown" "$QD/qdown31"
sl -c configure -c "no virtual-server $Q tcp"
check "omega: $Q removed with its quorum up: quorum_down runs" wait_for 50 test -s "$QD/qdown"
check "  logged" has_log "LVS: TCP $Q goes away with its quorum up (removed from the configuration)"

echo "== stop"
stop_cleanly softlbd "$PID"
PID=
check "omega: $S's quorum_down ran at the stop, its quorum being up" test -s "$QD/qdown31"
check "  logged" has_log "LVS: TCP $S goes away with its quorum up (softlbd stopping)"
echo "--- softlbd log ---"
cat "$LOG"
guest_finish
