#!/bin/sh
# vrrp_advert_gap.sh: how regularly a master's adverts leave while its
# control plane is loaded, softlbd against keepalived, one after the other
# in the same lab. A benchmark, not a test: it prints the gaps and their
# ratio to the interval and never fails on a timing.
#
#   top_builddir=BUILD top_srcdir=SRC tests/bench/vrrp_advert_gap.sh [SECONDS]
#
# The master on lb1 runs VRRPv3 with advert_int 0.1 and 1,000 TCP_CHECKs
# (delay_loop 1) against a listener with 1,000 ports on rs1, while two
# busy loops keep both cores loaded (bounded by timeout). lb2 captures the
# adverts with tshark; the gaps between their capture times are printed:
# largest, 99th percentile, mean. The target is a largest gap under 1.5 x
# the interval. (The proxy, whose load the issue names, does not exist
# yet; the health checks and the CPU stand in for it. keepalived runs its
# VRRP process only: see measure.) The machine is shared: run it twice.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_builddir top_srcdir
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

KEEPALIVED=$(command -v keepalived) || skip "keepalived is not installed (scripts/deps installs it)"
TSHARK=$(command -v tshark) || skip "tshark is not installed (scripts/deps installs it)"
SECS=${1:-10}
N=1000
VIP=192.0.2.100
lab_up lb1 lb2 rs1

ip netns exec "$(ns rs1)" "$PYTHON" "$top_srcdir/tests/integration/check_backends.py" \
	listen 192.0.2.21 20000 $N >"$T/listener.log" 2>&1 &
at_exit "kill $! 2>/dev/null"

{
	cat <<EOC
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 92
    priority 150
    version 3
    advert_int 0.1
    virtual_ipaddress {
        $VIP/32
    }
}
virtual_server $VIP 80 {
    lb_kind DR
    delay_loop 1
EOC
	i=0
	while [ "$i" -lt "$N" ]; do
		printf '    real_server 192.0.2.21 %d {\n        TCP_CHECK {\n            connect_timeout 1\n            retry 0\n        }\n    }\n' $((20000 + i))
		i=$((i + 1))
	done
	echo "}"
} >"$T/lb1.conf"

killall_on() {
	for _p in $(ip netns pids "$(ns "$1")"); do
		kill -9 "$_p" 2>/dev/null
	done
	sleep 0.2
	ip -n "$(ns "$1")" addr del $VIP/32 dev eth0 2>/dev/null
}
at_exit "killall_on lb1"
[ -n "${VRRP_BENCH_LOGS:-}" ] && at_exit "mkdir -p '${VRRP_BENCH_LOGS:-}' && cp $T/*.log $T/*.cap '${VRRP_BENCH_LOGS:-}'/"

# measure IMPL: prints "largest p99 mean count" in ms.
measure() {
	case $1 in
	softlbd)
		ip netns exec "$(ns lb1)" "$SOFTLBD" -n -l -S "$T/lb1.sock" --pidfile "$T/lb1.pid" \
			-f "$T/lb1.conf" -p "$EMPTY_HAP" >"$T/softlbd.log" 2>&1 & ;;
	keepalived)
		# VRRP only (-P): keepalived's checker process stops keepalived
		# altogether on a kernel without IPVS, as this one is. Its
		# checks would run in that other process anyway, so its VRRP
		# process sees the same CPU load and no check load.
		ip netns exec "$(ns lb1)" "$KEEPALIVED" -n -l -D -P -f "$T/lb1.conf" -p "$T/ka.pid" \
			-r "$T/ka-vrrp.pid" >"$T/keepalived.log" 2>&1 & ;;
	esac
	if ! wait_vip lb1 $VIP 15; then
		echo "- - - 0"
		killall_on lb1
		return
	fi
	sleep 2
	# The load: two busy loops in lb1's namespace, stopped by timeout.
	for _ in 1 2; do
		ip netns exec "$(ns lb1)" timeout $((SECS + 3)) sh -c 'while :; do :; done' &
	done
	sleep 1
	ip netns exec "$(ns lb2)" "$TSHARK" -n -i eth0 -a duration:"$SECS" -f "ip proto 112" \
		-T fields -e frame.time_epoch >"$T/$1.cap" 2>"$T/$1.tshark"
	"$PYTHON" -c 'import sys
t = [float(x) for x in open(sys.argv[1]) if x.strip()]
g = sorted((b - a) * 1000 for a, b in zip(t, t[1:]))
if not g:
    print("- - - 0")
else:
    print("%.1f %.1f %.1f %d" % (g[-1], g[min(len(g) - 1, int(len(g) * 0.99))], sum(g) / len(g), len(t)))' "$T/$1.cap"
	killall_on lb1
	wait 2>/dev/null
}

echo "VRRP advert gaps: v3 advert_int 100 ms, $N TCP checks, 2 busy loops, ${SECS} s"
s=$(measure softlbd)
k=$(measure keepalived)
printf '%-12s %10s %10s %10s %8s %14s\n' "" "largest ms" "p99 ms" "mean ms" adverts "largest/100ms"
for row in "softlbd $s" "keepalived $k"; do
	set -- $row
	printf '%-12s %10s %10s %10s %8s %14s\n' "$1" "$2" "$3" "$4" "$5" \
		"$(awk -v g="$2" 'BEGIN { if (g == "-") print "-"; else printf "%.2f", g / 100 }')"
done
set -- $s
ls=$1
set -- $k
awk -v a="$ls" -v b="$1" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "largest gap, softlbd/keepalived: %.2f\n", a / b }'
echo "(keepalived runs VRRP only: its checker cannot run without IPVS here)"
exit 0
