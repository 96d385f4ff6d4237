#!/bin/sh
# Unicast VRRP between two softlbd (unicast_src_ip + unicast_peer): the
# election and a takeover work, and no advert goes to the multicast group.
# Then what a third host sees of a takeover: its neighbour entries for the
# VIPs (IPv4, learnt by ARP; IPv6, by neighbour discovery) move to the new
# master's MAC on their own, from the gratuitous ARP / unsolicited NA alone.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

TSHARK=$(command -v tshark) || skip "tshark is not installed (scripts/deps installs it)"
VIP=192.0.2.100
VIP6=2001:db8::100
lab_up client lb1 lb2

# conf FILE PRIORITY SRC PEER
conf() {
	cat >"$1" <<EOC
vrrp_instance VU {
    interface eth0
    virtual_router_id 81
    priority $2
    advert_int 1
    unicast_src_ip $3
    unicast_peer {
        $4
    }
    virtual_ipaddress {
        $VIP/24
    }
}
vrrp_instance V6 {
    interface eth0
    virtual_router_id 82
    priority $2
    advert_int 1
    virtual_ipaddress {
        $VIP6/64
    }
}
EOC
}
conf "$T/lb1.conf" 150 192.0.2.2 192.0.2.3
conf "$T/lb2.conf" 100 192.0.2.3 192.0.2.2
mac() {
	ip -n "$(ns "$1")" link show eth0 | awk '/link\/ether/ { print $2 }'
}
MAC1=$(mac lb1)
MAC2=$(mac lb2)

vd_start lb1 lb1 "$T/lb1.conf"
vd_start lb2 lb2 "$T/lb2.conf"
check "unicast: lb1 (150) is master" wait_state lb1 VU MASTER 8
check "unicast: lb2 (100) is backup" wait_state lb2 VU BACKUP 2
check "lb2 knows lb1 as master" [ "$(jget lb2 VU master)" = 192.0.2.2 ]
check "V6 (multicast) master on lb1" wait_state lb1 V6 MASTER 3

# What lb2 receives over IPv4 for 3 s: unicast adverts from lb1, to lb2.
ip netns exec "$(ns lb2)" "$TSHARK" -n -i eth0 -a duration:3 -f "ip proto 112" \
	-T fields -E separator=';' -e ip.src -e ip.dst -e ip.ttl -e vrrp.virt_rtr_id \
	>"$T/cap.txt" 2>"$T/tshark.log"
echo "  captured $(wc -l <"$T/cap.txt") IPv4 adverts"
check "lb2 received unicast adverts from lb1" grep -q "^192.0.2.2;192.0.2.3;255;81$" "$T/cap.txt"
check "and not one to the multicast group" sh -c '! grep -q "224\.0\.0\.18" "$1"' _ "$T/cap.txt"
check "every IPv4 advert is lb1 -> lb2" sh -c '[ -s "$1" ] && ! grep -qv "^192.0.2.2;192.0.2.3;" "$1"' _ "$T/cap.txt"

# The client learns the VIPs at lb1's MAC (one ping each, then quiet).
ip netns exec "$(ns client)" ping -c 1 -W 2 $VIP >/dev/null 2>&1
ip netns exec "$(ns client)" ping -6 -c 1 -W 2 $VIP6 >/dev/null 2>&1
neigh() {
	ip -n "$(ns client)" neigh show "$1" dev eth0 | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}
check "client: $VIP is at lb1's MAC" [ "$(neigh $VIP)" = "$MAC1" ]
check "client: $VIP6 is at lb1's MAC" [ "$(neigh $VIP6)" = "$MAC1" ]

# Takeover; the client sends nothing meanwhile. Capture what it hears.
ip netns exec "$(ns client)" "$TSHARK" -n -i eth0 -a duration:4 -f "arp or icmp6" \
	-T fields -E separator=';' -e eth.src -e arp.opcode -e arp.src.proto_ipv4 \
	-e arp.dst.proto_ipv4 -e icmpv6.type -e icmpv6.nd.na.target_address \
	>"$T/garp.txt" 2>"$T/tshark2.log" &
CAP=$!
at_exit "kill $CAP 2>/dev/null"
for _ in $(seq 100); do
	grep -q "Capture started" "$T/tshark2.log" 2>/dev/null && break
	sleep 0.1
done
vd_stop lb1
check "unicast: lb2 takes over" wait_state lb2 VU MASTER 3
check "V6: lb2 takes over" wait_state lb2 V6 MASTER 3
check "  after lb1's priority 0 over unicast, not a timeout" \
	contains "$(jget lb2 VU transitions.-1.reason)" "the master left (priority 0)"
wait "$CAP"
check "client heard a gratuitous ARP for $VIP from lb2" \
	grep -q "^$MAC2;[12];$VIP;$VIP;" "$T/garp.txt"
check "client heard an unsolicited NA for $VIP6 from lb2" \
	grep -q "^$MAC2;;;;136;$VIP6$" "$T/garp.txt"
check "client: $VIP moved to lb2's MAC" [ "$(neigh $VIP)" = "$MAC2" ]
check "client: $VIP6 moved to lb2's MAC" [ "$(neigh $VIP6)" = "$MAC2" ]

vd_stop lb2
vrrp_finish
