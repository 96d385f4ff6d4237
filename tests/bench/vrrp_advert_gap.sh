#!/bin/sh
# vrrp_advert_gap.sh: how regularly a master's adverts leave while wrk
# drives the proxy beside it at full load, softlbd against keepalived +
# HAProxy (the seed's scheme 2), interleaved in the same lab. A benchmark,
# not a test: it prints the gaps, their distance from the interval and
# their ratio, and never fails on a timing. Build without sanitizers.
#
#   top_builddir=BUILD top_srcdir=SRC tests/bench/vrrp_advert_gap.sh [SECONDS [ROUNDS]]
#
# The master on lb1 runs VRRPv3 with advert_int 0.1 and, in the same
# process for softlbd (its proxy in its own worker thread, nbthread 1), or
# beside keepalived as HAProxy 2.6 (nbthread 1, the same proxy file), a
# TCP proxy on the VIP to a fast HTTP backend on rs1. wrk on client drives
# it with 2 threads and 100 keep-alive connections for SECONDS (default
# 10; bounded), which keeps both cores busy (wrk, the proxy, the backend).
# lb2 captures the adverts with tshark (VRRP_GAP_CAPTURE_ON=lb1: as they
# leave lb1); per round, the largest gap between their capture times, the
# 99th percentile and the mean. ROUNDS (default 5, or $ROUNDS) rounds of
# each, alternating which runs first; the figures are medians over the
# rounds with their range, the ratio is over the pairs of a round.
#
# The bound: a gap cannot be shorter than the interval on average, and a
# perfect sender's largest gap is the interval itself (100 ms); the
# distance from it is the sender's lateness. The target is a largest gap
# under 1.5 x the interval.
#
# Peers alike: keepalived's VRRP process runs at nice -10 (vrrp_priority),
# as softlbd's control and advert threads do; the proxies at nice 0 and
# one thread each, with the same limits (maxconn 4000).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_builddir top_srcdir
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"
. "$here/stats_lib.sh"

for t in keepalived tshark haproxy wrk; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is not installed (scripts/deps installs it)"
done
KEEPALIVED=$(command -v keepalived)
TSHARK=$(command -v tshark)
SECS=${1:-10}
ROUNDS=${2:-${ROUNDS:-5}}
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
# keepalived's: the same, its VRRP process at softlbd's nice -10 (softlbd
# refuses vrrp_priority: its priority is built in).
{ printf 'global_defs {\n    vrrp_priority -10\n}\n'; cat "$T/lb1.conf"; } >"$T/lb1-ka.conf"
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
	# A pid file left by a killed keepalived names a pid the system may
	# have given to another process: keepalived would then refuse to start.
	rm -f "$T/ka.pid" "$T/ka-vrrp.pid" "$T/lb1.pid" "$T/lb1.sock"
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
			-f "$T/lb1.conf" -p "$T/proxy.cfg" >>"$T/softlbd.log" 2>&1 & ;;
	keepalived)
		# VRRP only (-P): keepalived's checker process stops keepalived
		# altogether on a kernel without IPVS, as this one is. HAProxy
		# beside it is the seed's scheme 2.
		ip netns exec "$(ns lb1)" "$KEEPALIVED" -n -l -D -P -f "$T/lb1-ka.conf" -p "$T/ka.pid" \
			-r "$T/ka-vrrp.pid" >>"$T/keepalived.log" 2>&1 &
		ip netns exec "$(ns lb1)" haproxy -db -f "$T/proxy.cfg" >>"$T/haproxy.log" 2>&1 & ;;
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

echo "VRRP advert gaps: v3 advert_int 100 ms, wrk -t2 -c100 through the proxy on the master, ${SECS} s, $ROUNDS rounds each"
echo "figures: median over the rounds [min..max] n=rounds; keepalived at vrrp_priority -10"
sl='' sp='' sm='' sr='' kl='' kp='' km='' kr=''
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	for who in $(st_order "$r"); do
		case $who in
		A) set -- $(measure softlbd); sl="$sl $1" sp="$sp $2" sm="$sm $3" sr="$sr $5" ;;
		B) set -- $(measure keepalived); kl="$kl $1" kp="$kp $2" km="$km $3" kr="$kr $5" ;;
		esac
	done
	r=$((r + 1))
done
# A round whose proxy served nothing measured an idle master: not a sample.
sr=$(for x in $sr; do [ "$x" = 0 ] && echo - || echo "$x"; done | tr '\n' ' ')
kr=$(for x in $kr; do [ "$x" = 0 ] && echo - || echo "$x"; done | tr '\n' ' ')
printf '%-20s %-28s %-28s %-28s %s\n' "" "largest gap ms" "p99 gap ms" "mean gap ms" "proxy r/s"
printf '%-20s %-28s %-28s %-28s %s\n' softlbd "$(st_summary $sl)" "$(st_summary $sp)" "$(st_summary $sm)" "$(st_summary $sr)"
printf '%-20s %-28s %-28s %-28s %s\n' keepalived+haproxy "$(st_summary $kl)" "$(st_summary $kp)" "$(st_summary $km)" "$(st_summary $kr)"
echo "bound: the interval, 100 ms (a perfect sender's every gap); distance of the median largest gap:" \
	"softlbd $(st_bound "$(st_median $sl)" 100), keepalived $(st_bound "$(st_median $kl)" 100); target: under 150 ms"
below=$(($(st_below $sm 99) + $(st_below $km 99)))
[ "$below" -gt 0 ] && echo "note: $below round(s) with a mean gap under 99 ms: adverts faster than the interval, or the capture is wrong"
echo "ratio softlbd/keepalived+haproxy, largest gap: $(st_ratio "$sl" "$kl"); p99 gap: $(st_ratio "$sp" "$kp"); proxy r/s: $(st_ratio "$sr" "$kr")"
st_row "largest advert gap, v3 100 ms, ${SECS} s under wrk, ms" "$(st_summary $sl)" \
	"keepalived+haproxy $(st_summary $kl)" "$(st_ratio "$sl" "$kl")" "the interval, 100 ms" \
	"softlbd $(st_bound "$(st_median $sl)" 100), keepalived $(st_bound "$(st_median $kl)" 100)"
exit 0
