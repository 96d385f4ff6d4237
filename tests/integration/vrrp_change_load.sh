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
# this measures the configuration path, the journal and the VRRP engine.
# tests/vm/vrrp_change_load.sh runs this same script inside the VM, where
# lb1 programs the 40,000 real servers into IPVS: there it also checks
# that every change reached the kernel (ipvsadm -Ln) and that one weight
# typed in the shell costs 3 netlink requests (show status's counters).
#
# The virtual servers are 203.0.113.(1 + i / 100):(1000 + i % 100), as in
# tests/vm/lvs_scale_guest.sh: documentation addresses, inside lb1's
# namespace only.
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
# svc I: virtual server I's address and port
svc() {
	echo "203.0.113.$((1 + $1 / 100)):$((1000 + $1 % 100))"
}
MID=$(svc $((N / 2)))
NEXT=$(svc $((N / 2 + 1)))
LAST=$(svc $((N - 1)))
# services WEIGHT_OF_THE_FIRST_1000: N virtual servers x 4 real servers
services() {
	awk -v n="$N" -v w="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			printf "virtual_server 203.0.113.%d %d {\n    lb_algo wrr\n    lb_kind DR\n    protocol TCP\n",
				1 + int(i / 100), 1000 + i % 100
			for (r = 1; r <= 4; r++)
				printf "    real_server 198.51.100.%d 80 {\n        weight %d\n    }\n", r,
					(i < 1000 ? w : 1)
			printf "}\n"
		}
	}'
}
{ vrrp 150; services 1; } >"$T/lb1.conf"
vrrp 100 >"$T/lb2.conf"

# In the VM, lb1 starts by programming 40,000 real servers into IPVS
# under emulation: give it minutes, not the usual ten seconds.
VD_START_WAIT=${SOFTLB_CHANGE_LOAD_START_WAIT:-100}
vd_start lb1 lb1 "$T/lb1.conf"
vd_start lb2 lb2 "$T/lb2.conf"
check "lb1 is master" wait_state lb1 VI_1 MASTER 8
check "lb2 is backup" wait_state lb2 VI_1 BACKUP 2
vsl lb2 show events engine vrrp json
before=$(printf '%s' "$OUT" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["last_seq"])')

# Is lb1's LVS engine driving a kernel (the VM), or unavailable (no IPVS)?
vsl lb1 show status
ipvs=no
printf '%s\n' "$OUT" | grep -q '^lvs  *running' && ipvs=yes
# lvs_requests: the netlink requests lb1's softlbd has sent IPVS so far
lvs_requests() {
	"$SOFTLB" -s "$T/lb1.sock" -c 'show status' 2>/dev/null |
		sed -n 's/.* \([0-9][0-9]*\) requests,.*/\1/p'
}
# weight_of VS RS: the weight IPVS in lb1 has for that real server (by
# address: with DR, IPVS gives a real server its service's port)
weight_of() {
	ip netns exec "$(ns lb1)" ipvsadm -Ln -t "$1" 2>/dev/null |
		awk -v rs="${2%:*}" '$1 == "->" { a = $2; sub(/:[0-9]+$/, "", a); if (a == rs) print $4 }'
}
if [ "$ipvs" = yes ]; then
	check "IPVS in lb1 holds the $N services" \
		[ "$(ip netns exec "$(ns lb1)" ipvsadm -Ln | grep -c '^TCP')" -eq "$N" ]
else
	echo "(no IPVS here: the LVS engine is $(printf '%s\n' "$OUT" | awk '$1 == "lvs" { print $2 }'); the kernel checks run in the VM, tests/vm/vrrp_change_load.sh)"
fi

capture=no
if command -v tshark >/dev/null 2>&1; then
	ip netns exec "$(ns lb2)" tshark -l -n -i eth0 -f "ip proto 112 and src host 192.0.2.2" \
		-T fields -e frame.time_epoch >"$T/adverts" 2>"$T/tshark.log" &
	TSHARK_PID=$!
	at_exit "kill $TSHARK_PID"
	# tshark starts slowly (seconds on an emulated CPU)
	for _ in $(seq 300); do
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
if [ "$ipvs" = yes ]; then
	check "  IPVS has the reloaded weights (first and 1,000th changed, 1,001st not)" \
		[ "$(weight_of "$(svc 0)" 198.51.100.4:80)/$(weight_of "$(svc 999)" 198.51.100.4:80)/$(weight_of "$(svc 1000)" 198.51.100.4:80)" = 2/2/1 ]
fi

# ten shell edits in a row
{
	echo configure
	echo 'virtual-server 203.0.113.1:1007 tcp'
	for i in 1 2 3 4 5 6 7 8 9 10; do echo "real-server 198.51.100.1:80 weight $((i + 10))"; done
	echo end
} >"$T/edits"
"$SOFTLB" -s "$T/lb1.sock" <"$T/edits" >"$T/edits.out" 2>&1
check "ten shell edits apply" [ "$(grep -c '^~ real-server' "$T/edits.out")" -eq 10 ]
if [ "$ipvs" = yes ]; then
	check "  IPVS has the last one (weight 20)" [ "$(weight_of 203.0.113.1:1007 198.51.100.1:80)" = 20 ]
	# One more, counted: the kernel cost of one weight typed in the shell
	# on a 10,000-service director is one service's (get it, list its 4
	# real servers, edit one).
	r0=$(lvs_requests)
	"$SOFTLB" -s "$T/lb1.sock" -c configure -c "virtual-server $MID tcp" \
		-c 'real-server 198.51.100.2:80 weight 77' -c end >"$T/edit1.out" 2>&1
	r1=$(lvs_requests)
	echo "one weight edit: $((r1 - r0)) netlink requests (lvs counters $r0 -> $r1)"
	check "one weight edit costs 3 netlink requests ($((r1 - r0)))" [ $((r1 - r0)) -eq 3 ]
	check "  and ipvsadm -Ln shows weight 77" [ "$(weight_of "$MID" 198.51.100.2:80)" = 77 ]
	check "  its neighbour keeps weight 1" [ "$(weight_of "$NEXT" 198.51.100.2:80)" = 1 ]
fi

# 50 drains and restores
i=0
while [ $i -lt 25 ]; do
	vsl lb1 "real-server 198.51.100.2:80 of 203.0.113.1:$((1001 + i)) tcp drain"
	vsl lb1 "real-server 198.51.100.2:80 of 203.0.113.1:$((1001 + i)) tcp restore"
	i=$((i + 1))
done
check "50 drains and restores apply" [ "$RC" -eq 0 ]
if [ "$ipvs" = yes ]; then
	vsl lb1 "real-server 198.51.100.3:80 of $LAST tcp drain"
	check "  IPVS: a drained server is at weight 0" [ "$(weight_of "$LAST" 198.51.100.3:80)" = 0 ]
	vsl lb1 "real-server 198.51.100.3:80 of $LAST tcp restore"
	# (the first 1,000 have weight 2 since the reload)
	check "  and restored ones are back at their weight" \
		[ "$(weight_of 203.0.113.1:1025 198.51.100.2:80)/$(weight_of "$LAST" 198.51.100.3:80)" = 2/1 ]
fi
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
	# Against 1.5 x the interval, the issue's bound (keepalived's backup
	# declares the master dead after 3 x + skew); printed, never failed
	# on: a timing depends on the machine (tests/bench reports).
	awk 'NR > 1 { g = ($1 - p) * 1000; if (g > max) max = g; if (g > 150) over++; n++ } { p = $1 }
	     END { printf "adverts: %d gaps, largest %.0f ms = %.2f x the interval of 100 ms (bound 1.5 x: %s), %d over it\n",
		   n, max, max / 100, max <= 150 ? "within" : "OVER", over }' \
		"$T/adverts"
else
	echo "adverts not captured (tshark missing or capture failed): state checks only"
fi

vrrp_finish
