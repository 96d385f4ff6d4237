#!/bin/sh
# tshark's VRRP dissector (an independent decoder) reads softlbd's adverts
# on the lab wire: v2 with PASS, v3 over IPv4 in centiseconds, v3 over
# IPv6; checksums good, TTL / hop limit 255, fields as configured; and
# v3_checksum_as_v2 sums that only the v2-style check finds good.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

TSHARK=$(command -v tshark) || skip "tshark is not installed (scripts/deps installs it)"
lab_up lb1 lb2

cat >"$T/lb1.conf" <<'EOC'
vrrp_instance V2 {
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    virtual_ipaddress {
        192.0.2.100
        192.0.2.101/24
    }
}
vrrp_instance V3 {
    interface eth0
    virtual_router_id 52
    priority 120
    advert_int 0.5
    version 3
    virtual_ipaddress {
        192.0.2.102
    }
}
vrrp_instance V6 {
    interface eth0
    virtual_router_id 53
    priority 99
    advert_int 1
    virtual_ipaddress {
        2001:db8::103/64
    }
}
EOC
vd_start lb1 lb1 "$T/lb1.conf"
check "V2 is master" wait_state lb1 V2 MASTER 6
check "V3 is master" wait_state lb1 V3 MASTER 3
check "V6 is master" wait_state lb1 V6 MASTER 3

# Capture for a bounded time on lb2's side of the wire.
ip netns exec "$(ns lb2)" "$TSHARK" -n -i eth0 -a duration:3 -f "ip proto 112 or ip6 proto 112" \
	-T fields -E separator=';' -e ip.ttl -e ipv6.hlim -e vrrp.version -e vrrp.virt_rtr_id \
	-e vrrp.prio -e vrrp.addr_count -e vrrp.auth_type -e vrrp.adver_int \
	-e vrrp.short_adver_int -e vrrp.checksum.status -e vrrp.ip_addr -e vrrp.ipv6_addr \
	-e vrrp.auth_string -o vrrp.v3_checksum_as_in_v2:FALSE \
	>"$T/cap.txt" 2>"$T/tshark.log"
echo "  captured $(wc -l <"$T/cap.txt") adverts"
# Fields: ttl;hlim;version;vrid;prio;count;auth;adver_int;short_int;cksum;ip;ipv6;auth_string
check "v2 adverts: TTL 255, VRID 51, priority 150, 2 addresses, PASS, 1 s, good checksum" \
	grep -q '^255;;2;51;150;2;1;1;;1;192.0.2.100,192.0.2.101;;s3cret$' "$T/cap.txt"
check "v3 IPv4 adverts: TTL 255, VRID 52, priority 120, 50 cs, good checksum" \
	grep -q '^255;;3;52;120;1;;;50;1;192.0.2.102;;$' "$T/cap.txt"
check "v3 IPv6 adverts: hop limit 255, VRID 53, priority 99, 100 cs, good checksum" \
	grep -q '^;255;3;53;99;1;;;100;1;;2001:db8::103;$' "$T/cap.txt"
check "no advert with a bad or unverified checksum" \
	sh -c "! cut -d';' -f10 $T/cap.txt | grep -qv '^1$'"
check "v3 at 0.5 s sends about twice as often as v2 at 1 s" \
	[ "$(grep -c ';3;52;' "$T/cap.txt")" -ge "$(($(grep -c ';2;51;' "$T/cap.txt") + 2))" ]
[ "$FAILED" -eq 0 ] || { echo "--- capture"; cat "$T/cap.txt"; }
vd_stop lb1

# v3_checksum_as_v2: tshark finds the checksum bad the RFC way and good
# when told the sum leaves the pseudo-header out.
cat >"$T/lb1.conf" <<'EOC'
vrrp_instance V3S {
    interface eth0
    virtual_router_id 54
    priority 110
    advert_int 0.5
    version 3
    v3_checksum_as_v2
    virtual_ipaddress {
        192.0.2.104
    }
}
EOC
vd_start lb1 lb1 "$T/lb1.conf"
check "V3S (v3_checksum_as_v2) is master" wait_state lb1 V3S MASTER 6
ip netns exec "$(ns lb2)" "$TSHARK" -n -i eth0 -a duration:2 -f "ip proto 112" -w "$T/as_v2.pcap" \
	2>>"$T/tshark.log"
for pref in FALSE TRUE; do
	"$TSHARK" -n -r "$T/as_v2.pcap" -o vrrp.v3_checksum_as_in_v2:$pref -T fields \
		-e vrrp.virt_rtr_id -e vrrp.checksum.status >"$T/as_v2-$pref.txt" 2>>"$T/tshark.log"
done
check "v3_checksum_as_v2 adverts: bad by RFC 5798's sum" \
	sh -c "[ -s $T/as_v2-FALSE.txt ] && ! grep -qv '^54	0$' $T/as_v2-FALSE.txt"
check "  and good by the v2-style sum" \
	sh -c "[ -s $T/as_v2-TRUE.txt ] && ! grep -qv '^54	1$' $T/as_v2-TRUE.txt"
vd_stop lb1
vrrp_finish
