#!/bin/sh
# The VRRP peer never notices a change: lb1 is master of VI_1 (VRRPv3,
# advert_int 0.1) and holds 10,000 x 4 virtual servers; lb2 is its
# backup. While tshark records lb1's adverts on lb2, lb1 takes a reload
# that changes 1,000 of its virtual servers, ten shell edits in a row and
# 50 operator drains and restores. lb2 must never leave BACKUP (its
# journal shows no VRRP transition after the start). The largest advert
# gap on the wire is printed beside the interval; a test never fails on a
# timing, the benchmark (tests/bench/change_cost.sh) reports it.
#
# On this host there is no IPVS: the LVS engine reports unavailable, so
# this measures the configuration path, the journal and the VRRP engine;
# the VM (tests/vm) has the kernel's part.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

N=${SOFTLB_CHANGE_LOAD_SERVICES:-10000}
VIP=192.0.2.100
lab_up lb1 lb2

vrrp() {
	cat <<EOC
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    version 3
    priority $1
    advert_int 0.1
    virtual_ipaddress {
        $VIP/32
    }
}
EOC
}
# services WEIGHT_OF_THE_FIRST_1000: N virtual servers x 4 real servers
services() {
	awk -v n="$N" -v w="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			printf "virtual_server 10.%d.%d.%d 80 {\n    lb_algo wrr\n    lb_kind DR\n    protocol TCP\n",
				100 + int(i / 65536), int(i / 256) % 256, i % 256
			for (r = 1; r <= 4; r++)
				printf "    real_server 198.51.100.%d 80 {\n        weight %d\n    }\n", r,
					(i < 1000 ? w : 1)
			printf "}\n"
		}
	}'
}
{ vrrp 150; services 1; } >"$T/lb1.conf"
vrrp 100 >"$T/lb2.conf"

vd_start lb1 lb1 "$T/lb1.conf"
vd_start lb2 lb2 "$T/lb2.conf"
check "lb1 is master" wait_state lb1 VI_1 MASTER 8
check "lb2 is backup" wait_state lb2 VI_1 BACKUP 2
vsl lb2 show events engine vrrp json
before=$(printf '%s' "$OUT" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["last_seq"])')

capture=no
if command -v tshark >/dev/null 2>&1; then
	ip netns exec "$(ns lb2)" tshark -l -n -i eth0 -f "ip proto 112 and src host 192.0.2.2" \
		-T fields -e frame.time_epoch >"$T/adverts" 2>"$T/tshark.log" &
	TSHARK_PID=$!
	at_exit "kill $TSHARK_PID"
	for _ in $(seq 50); do
		[ -s "$T/adverts" ] && break
		sleep 0.1
	done
	[ -s "$T/adverts" ] && capture=yes
fi

# a reload that changes 1,000 virtual servers
{ vrrp 150; services 2; } >"$T/lb1.conf.new"
mv "$T/lb1.conf.new" "$T/lb1.conf"
"$SOFTLB" -s "$T/lb1.sock" -c reload >"$T/reload.out" 2>&1
check "lb1 reloads 1,000 changed virtual servers" [ "$(grep -c '^~ real-server' "$T/reload.out")" -eq 4000 ]

# ten shell edits in a row
{
	echo configure
	echo 'virtual-server 10.100.0.7:80 tcp'
	for i in 1 2 3 4 5 6 7 8 9 10; do echo "real-server 198.51.100.1:80 weight $((i + 10))"; done
	echo end
} >"$T/edits"
"$SOFTLB" -s "$T/lb1.sock" <"$T/edits" >"$T/edits.out" 2>&1
check "ten shell edits apply" [ "$(grep -c '^~ real-server' "$T/edits.out")" -eq 10 ]

# 50 drains and restores
i=0
while [ $i -lt 25 ]; do
	vsl lb1 "real-server 198.51.100.2:80 of 10.100.0.$((i + 1)):80 tcp drain"
	vsl lb1 "real-server 198.51.100.2:80 of 10.100.0.$((i + 1)):80 tcp restore"
	i=$((i + 1))
done
check "50 drains and restores apply" [ "$RC" -eq 0 ]
sleep 0.5

check "lb1 is still master" [ "$(jget lb1 VI_1 state)" = MASTER ]
check "lb2 never left BACKUP" [ "$(jget lb2 VI_1 state)" = BACKUP ]
vsl lb2 show events engine vrrp since "$before" json
check "  and its journal shows no VRRP transition" sh -c 'printf "%s" "$1" | "$2" -c "
import json, sys
ev = json.load(sys.stdin)[\"events\"]
assert not ev, ev
"' _ "$OUT" "$PYTHON"
vsl lb1 show events engine config last 1 json
check "lb1's journal has the reload, the edits and the overrides" sh -c 'printf "%s" "$1" | grep -q "\"config\""' _ "$OUT"

if [ "$capture" = yes ]; then
	kill "$TSHARK_PID" 2>/dev/null
	sleep 0.3
	awk 'NR > 1 { g = ($1 - p) * 1000; if (g > max) max = g; n++ } { p = $1 }
	     END { printf "adverts: %d gaps, largest %.0f ms (interval 100 ms, %.2f x)\n", n, max, max / 100 }' \
		"$T/adverts"
else
	echo "adverts not captured (tshark missing or capture failed): state checks only"
fi

vrrp_finish
