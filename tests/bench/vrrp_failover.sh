#!/bin/sh
# vrrp_failover.sh: failover time of a softlbd pair against a keepalived
# pair, side by side in one run on the same netns lab. A benchmark, not a
# test: it prints medians and ratios and never fails on a timing.
#
#   top_builddir=BUILD top_srcdir=SRC tests/bench/vrrp_failover.sh [ROUNDS]
#
# Each round: the master (lb1, priority 150) and the backup (lb2, 100) of
# one implementation come up; every process of the master's host is
# killed with SIGKILL (softlbd and its script helper; keepalived's parent
# and VRRP child together, so neither can send priority 0); the backup's
# host is polled every 10 ms until the VIP is on it. Modes: VRRPv2 with
# advert_int 1 and VRRPv3 with advert_int 0.1. Build without sanitizers
# for numbers worth quoting.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_builddir top_srcdir
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

KEEPALIVED=$(command -v keepalived) || skip "keepalived is not installed (scripts/deps installs it)"
ROUNDS=${1:-5}
VIP=192.0.2.100
lab_up lb1 lb2

# conf FILE VERSION INTERVAL PRIORITY: the same file serves both daemons.
conf() {
	cat >"$1" <<EOC
global_defs {
    router_id $(basename "$1" .conf)
    vrrp_version $2
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 91
    priority $4
    advert_int $3
    virtual_ipaddress {
        $VIP/32
    }
}
EOC
}

# start IMPL HOST CONF
start() {
	case $1 in
	softlbd)
		ip netns exec "$(ns "$2")" "$SOFTLBD" -n -l -S "$T/$2.sock" --pidfile "$T/$2.pid" \
			-f "$3" -p "$EMPTY_HAP" >>"$T/$2-softlbd.log" 2>&1 & ;;
	keepalived)
		ip netns exec "$(ns "$2")" "$KEEPALIVED" -n -l -D -P -f "$3" -p "$T/$2-ka.pid" \
			-r "$T/$2-ka-vrrp.pid" >>"$T/$2-keepalived.log" 2>&1 & ;;
	esac
}

# killall_on HOST: SIGKILL to every process of the host's namespace,
# stopped first so that none sees another die (keepalived's VRRP child
# would otherwise get its parent-death signal and send priority 0).
killall_on() {
	_pids=$(ip netns pids "$(ns "$1")" 2>/dev/null)
	[ -n "$_pids" ] && kill -STOP $_pids 2>/dev/null
	[ -n "$_pids" ] && kill -9 $_pids 2>/dev/null
	for _ in $(seq 100); do
		[ -z "$(ip netns pids "$(ns "$1")" 2>/dev/null)" ] && break
		sleep 0.05
	done
	ip -n "$(ns "$1")" addr del $VIP/32 dev eth0 2>/dev/null
	rm -f "$T/$1.sock" "$T/$1.pid" "$T/$1-ka.pid" "$T/$1-ka-vrrp.pid"
}
at_exit "killall_on lb1; killall_on lb2"
[ -n "${VRRP_BENCH_LOGS:-}" ] && at_exit "mkdir -p '${VRRP_BENCH_LOGS:-}' && cp $T/*.log '${VRRP_BENCH_LOGS:-}'/"

# round IMPL VERSION INTERVAL: prints the failover time in ms, or "-".
round() {
	conf "$T/lb1.conf" "$2" "$3" 150
	conf "$T/lb2.conf" "$2" "$3" 100
	start "$1" lb1 "$T/lb1.conf"
	start "$1" lb2 "$T/lb2.conf"
	# Up: the VIP on lb1 and not on lb2, for a few intervals more so that
	# the backup has heard the master.
	if ! wait_vip lb1 $VIP 15; then
		echo "-"
		killall_on lb1
		killall_on lb2
		return
	fi
	sleep 3
	if has_vip lb2 $VIP; then
		echo "-"
		killall_on lb1
		killall_on lb2
		return
	fi
	# The clock starts as the SIGKILLs go out; the cleanup comes after.
	_pids=$(ip netns pids "$(ns lb1)" 2>/dev/null)
	kill -STOP $_pids 2>/dev/null
	t0=$(date +%s%N)
	kill -9 $_pids 2>/dev/null
	n=0
	while ! has_vip lb2 $VIP && [ "$n" -lt 1500 ]; do
		sleep 0.01
		n=$((n + 1))
	done
	t1=$(date +%s%N)
	if has_vip lb2 $VIP; then
		echo $(((t1 - t0) / 1000000))
	else
		echo "-"
	fi
	killall_on lb1
	killall_on lb2
}

median() {
	tr ' ' '\n' | grep -v '^-*$' | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "VRRP failover, kill -9 of the master, VIP polled on the backup every 10 ms"
echo "softlbd: $SOFTLBD; keepalived: $("$KEEPALIVED" --version 2>&1 | head -n 1)"
printf '%-22s %-28s %-28s %s\n' mode "softlbd ms (median)" "keepalived ms (median)" "softlbd/keepalived"
for mode in "2 1" "3 0.1"; do
	set -- $mode
	s="" k=""
	r=0
	# Interleaved, so both see the same machine load over the run.
	while [ "$r" -lt "$ROUNDS" ]; do
		s="$s $(round softlbd "$1" "$2")"
		k="$k $(round keepalived "$1" "$2")"
		r=$((r + 1))
	done
	ms=$(echo "$s" | median)
	mk=$(echo "$k" | median)
	ratio=$(awk -v a="$ms" -v b="$mk" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }')
	printf '%-22s %-28s %-28s %s\n' "v$1 advert_int $2" "$ms (${s# })" "$mk (${k# })" "$ratio"
done
exit 0
