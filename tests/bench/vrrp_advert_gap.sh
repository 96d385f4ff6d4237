#!/bin/sh
# vrrp_advert_gap.sh: how regularly a master's adverts leave while wrk
# drives the proxy beside it at full load, softlbd against keepalived +
# HAProxy (the seed's scheme 2), one after the other in the same lab. A
# benchmark, not a test: it prints the gaps and their ratio to the
# interval and never fails on a timing. Build without sanitizers.
#
#   top_builddir=BUILD top_srcdir=SRC tests/bench/vrrp_advert_gap.sh [SECONDS]
#
# The master on lb1 runs VRRPv3 with advert_int 0.1 and, in the same
# process for softlbd (its proxy in its own worker thread, nbthread 1), or
# beside keepalived as HAProxy 2.6 (nbthread 1), a TCP proxy on the VIP to
# a fast HTTP backend on rs1. wrk on client drives it with 2 threads and
# 100 keep-alive connections for SECONDS (bounded), which keeps both cores
# busy (wrk, the proxy, the backend). lb2 captures the adverts with tshark;
# (VRRP_GAP_CAPTURE_ON=lb1: as they leave lb1); the gaps between their
# capture times are printed: largest, 99th
# percentile, mean. The target is a largest gap under 1.5 x the interval.
# The machine is shared: run it twice.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_builddir top_srcdir
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

for t in keepalived tshark haproxy wrk; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is not installed (scripts/deps installs it)"
done
KEEPALIVED=$(command -v keepalived)
TSHARK=$(command -v tshark)
SECS=${1:-10}
VIP=192.0.2.100
lab_up client lb1 lb2 rs1
# HAProxy must otherwise start after the VIP exists (the seed's pain);
# softlbd binds with IP_FREEBIND and needs no such thing.
ip netns exec "$(ns lb1)" sysctl -qw net.ipv4.ip_nonlocal_bind=1
# Where the adverts are captured: lb2 (as a backup hears them; default) or
# lb1 (as they leave the master).
CAP_ON=${VRRP_GAP_CAPTURE_ON:-lb2}
if nm "$SOFTLBD" 2>/dev/null | grep -q __asan_init; then
	echo "note: this softlbd is built with ASan; build without sanitizers for numbers worth quoting"
fi

ip netns exec "$(ns rs1)" "$PYTHON" "$here/proxy_backend_fast.py" 192.0.2.21 8080 \
	>"$T/backend.log" 2>&1 &
at_exit "kill $! 2>/dev/null"

cat >"$T/lb1.conf" <<EOC
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
EOC
cat >"$T/proxy.cfg" <<EOC
global
    maxconn 4000
    nbthread 1
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
listen bench
    bind $VIP:80
    server s1 192.0.2.21:8080
EOC

killall_on() {
	for _p in $(ip netns pids "$(ns "$1")"); do
		kill -9 "$_p" 2>/dev/null
	done
	sleep 0.2
	ip -n "$(ns "$1")" addr del $VIP/32 dev eth0 2>/dev/null
}
at_exit "killall_on lb1"
at_exit "killall_on client"
[ -n "${VRRP_BENCH_LOGS:-}" ] && at_exit "mkdir -p '${VRRP_BENCH_LOGS:-}' && cp $T/*.log $T/*.cap '${VRRP_BENCH_LOGS:-}'/"

# measure IMPL: prints "largest p99 mean count requests/s" (ms, r/s).
measure() {
	case $1 in
	softlbd)
		# One process: VRRP on the control thread, the proxy on its worker.
		ip netns exec "$(ns lb1)" "$SOFTLBD" -n -l -S "$T/lb1.sock" --pidfile "$T/lb1.pid" \
			-f "$T/lb1.conf" -p "$T/proxy.cfg" >"$T/softlbd.log" 2>&1 & ;;
	keepalived)
		# VRRP only (-P): keepalived's checker process stops keepalived
		# altogether on a kernel without IPVS, as this one is. HAProxy
		# beside it is the seed's scheme 2.
		ip netns exec "$(ns lb1)" "$KEEPALIVED" -n -l -D -P -f "$T/lb1.conf" -p "$T/ka.pid" \
			-r "$T/ka-vrrp.pid" >"$T/keepalived.log" 2>&1 &
		ip netns exec "$(ns lb1)" haproxy -db -f "$T/proxy.cfg" >"$T/haproxy.log" 2>&1 & ;;
	esac
	if ! wait_vip lb1 $VIP 15; then
		echo "- - - 0 0"
		killall_on lb1
		return
	fi
	sleep 2
	# The load: wrk through the proxy on the VIP, stopped by its -d.
	ip netns exec "$(ns client)" timeout $((SECS + 10)) wrk -t2 -c100 -d$((SECS + 2))s \
		"http://$VIP/" >"$T/$1.wrk" 2>&1 &
	wrk_pid=$!
	sleep 1
	ip netns exec "$(ns "$CAP_ON")" "$TSHARK" -n -i eth0 -a duration:"$SECS" -f "ip proto 112" \
		-T fields -e frame.time_epoch >"$T/$1.cap" 2>"$T/$1.tshark"
	wait "$wrk_pid"
	rps=$(awk '/Requests\/sec/ { print int($2) }' "$T/$1.wrk")
	"$PYTHON" -c 'import sys
t = [float(x) for x in open(sys.argv[1]) if x.strip()]
g = sorted((b - a) * 1000 for a, b in zip(t, t[1:]))
if not g:
    print("- - - 0", sys.argv[2])
else:
    print("%.1f %.1f %.1f %d %s" % (g[-1], g[min(len(g) - 1, int(len(g) * 0.99))], sum(g) / len(g), len(t), sys.argv[2]))' \
		"$T/$1.cap" "${rps:-0}"
	killall_on lb1
	wait 2>/dev/null
}

echo "VRRP advert gaps: v3 advert_int 100 ms, wrk -t2 -c100 through the proxy on the master, ${SECS} s"
s=$(measure softlbd)
k=$(measure keepalived)
printf '%-22s %10s %10s %10s %8s %14s %10s\n' "" "largest ms" "p99 ms" "mean ms" adverts \
	"largest/100ms" "proxy r/s"
for row in "softlbd $s" "keepalived+haproxy $k"; do
	set -- $row
	printf '%-22s %10s %10s %10s %8s %14s %10s\n' "$1" "$2" "$3" "$4" "$5" \
		"$(awk -v g="$2" 'BEGIN { if (g == "-") print "-"; else printf "%.2f", g / 100 }')" "$6"
done
set -- $s
ls=$1
set -- $k
awk -v a="$ls" -v b="$1" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "largest gap, softlbd/keepalived: %.2f\n", a / b }'
exit 0
