#!/bin/sh
# tui_cost.sh: what watching softlbd costs. softlbtop's CPU per refresh,
# and softlbd's CPU per snapshot it serves, at 10 and 1,000 proxy servers,
# beside the watch-style ways of polling the same data: a loop of
# `softlb --json -c 'show proxy'` (what a script or `watch softlb ...`
# does) and a loop of `softlbtop --once`. A benchmark, not a test: it
# prints numbers and ratios and never fails on a timing. Build without
# sanitizers for numbers worth quoting. Run as root (softlbd runs in a
# network namespace of its own, with only lo).
#
#   top_builddir=BUILD [top_srcdir=SRC] [SCREEN=NAME] tests/bench/tui_cost.sh [SECONDS [INTERVAL] [SIZES]]
#
# SCREEN (default proxy) is the screen softlbtop shows: overview, vrrp
# or events show no server row at 10,000 servers, and fetch no proxy
# table but its summary.
#
# SECONDS (default 20) each phase lasts, INTERVAL (default 0.5) between
# refreshes, SIZES (default "10 1000") servers, 10 per proxy. The three
# ways run ROUNDS times (default 3, or $ROUNDS) in an order that rotates
# each round; figures are median [min..max] n=rounds (stats_lib.sh),
# ratios over the rounds' pairs. Every phase
# is bounded and stops by itself. CPU is utime+stime from /proc (clock
# ticks: a phase too short reads coarsely). softlbd's own idle CPU over
# the same time (its health checks; none here) is measured first and
# subtracted. softlbtop's refreshes are counted as elapsed / INTERVAL
# (a refresh that took long makes that an overcount, so its CPU per
# refresh is, if anything, underestimated); the loops count exactly.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
SECS=${1:-20}
IV=${2:-0.5}
SIZES=${3:-10 1000}
ROUNDS=${ROUNDS:-3}
SCREEN=${SCREEN:-proxy}
. "$here/stats_lib.sh"
for t in tmux unshare python3; do
	command -v "$t" >/dev/null || { echo "SKIP: $t missing (scripts/deps installs it)"; exit 77; }
done
SOFTLBD="$top_builddir/softlbd"
SOFTLB="$top_builddir/softlb"
TOP="$top_builddir/softlbtop"
T=$(mktemp -d /tmp/tui-bench.XXXXXX)
TM="tmux -L tui-bench-$$ -f /dev/null"
DPID=
TMUX_SOCKET=
cleanup() {
	[ -n "$TMUX_SOCKET" ] || TMUX_SOCKET=$($TM display-message -p '#{socket_path}' 2>/dev/null)
	$TM kill-server 2>/dev/null
	[ -z "$TMUX_SOCKET" ] || rm -f "$TMUX_SOCKET"
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
HZ=$(getconf CLK_TCK)

# cpu PID: utime+stime of PID, in clock ticks.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# now: monotonic seconds, with fractions.
now() { awk '{ print $1 }' /proc/uptime; }
# ms TICKS COUNT: milliseconds of CPU per one of COUNT.
ms() { awk -v t="$1" -v n="$2" -v hz="$HZ" 'BEGIN { printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

config() {	# config N: N servers, 10 per proxy, no checks
	n=$1
	{
		printf 'defaults\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n'
		p=0 i=0
		while [ "$i" -lt "$n" ]; do
			if [ $((i % 10)) -eq 0 ]; then
				p=$((p + 1))
				printf '\nlisten px%d\n    bind 127.0.0.1:%d\n' "$p" $((20000 + p))
			fi
			printf '    server s%d 127.0.0.2:%d\n' "$i" $((30000 + i))
			i=$((i + 1))
		done
	} >"$T/haproxy.cfg"
}

start_daemon() {
	unshare --net sh -c 'ip link set lo up && exec "$@"' softlbd "$SOFTLBD" -n -l \
		-S "$T/s.sock" --pidfile "$T/pid" -f /dev/null -p "$T/haproxy.cfg" >"$T/log" 2>&1 &
	DPID=$!
	for _ in $(seq 100); do
		"$SOFTLB" -s "$T/s.sock" -c 'show version' >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "softlbd did not start:"; cat "$T/log"; exit 1
}

stop_daemon() { kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=; }

# loop_cost CMD...: runs CMD every INTERVAL for SECS; prints "ticks count"
# (the CPU of every CMD, from the loop's waited-for children).
loop_cost() {
	sh -c 'end=$(awk -v s="$1" "{ print \$1 + s }" /proc/uptime); shift; n=0
		while awk -v e="$end" "{ exit !(\$1 < e) }" /proc/uptime; do
			"$@" >/dev/null 2>&1; n=$((n + 1)); sleep "$IV"
		done
		# awk and sleep are children too: count them apart below.
		awk -v n="$n" "{ print \$16 + \$17, n }" /proc/$$/stat' sh "$SECS" "$@"
}

echo "figures: median [min..max] n=rounds; $ROUNDS rounds of the three ways, their order rotating; ${SECS} s each; softlbtop on its $SCREEN screen"
for N in $SIZES; do
	config "$N"
	start_daemon
	export IV
	# softlbd idle, for the baseline.
	d0=$(cpu "$DPID"); t0=$(now); sleep "$SECS"; d1=$(cpu "$DPID"); t1=$(now)
	idle_per_s=$(awk -v a="$d0" -v b="$d1" -v t0="$t0" -v t1="$t1" 'BEGIN { print (b - a) / (t1 - t0) }')
	dcost() {	# dcost D0 D1 T0 T1: softlbd's ticks minus its idle ones
		awk -v a="$1" -v b="$2" -v t0="$3" -v t1="$4" -v i="$idle_per_s" \
			'BEGIN { x = (b - a) - i * (t1 - t0); print (x < 0 ? 0 : x) }'
	}

	# The shape of the loop itself (awk, sleep): its cost with a no-op.
	set -- $(loop_cost true)
	floor_t=$1 floor_n=$2

	top_c='' top_d='' sl_c='' sl_d='' once_c='' once_d='' top_n='' sl_n='' once_n=''
	r=0
	while [ "$r" -lt "$ROUNDS" ]; do
		case $((r % 3)) in 0) order="top sl once" ;; 1) order="sl once top" ;; *) order="once top sl" ;; esac
		for way in $order; do
			case $way in
			top)
				# softlbtop, interactive, on the screen chosen.
				$TM new-session -d -s b -x 200 -y 50 "TERM=xterm-256color '$TOP' -s '$T/s.sock' -d $IV --screen $SCREEN; sleep 60"
				[ -n "$TMUX_SOCKET" ] || TMUX_SOCKET=$($TM display-message -p '#{socket_path}')
				sleep 1
				tp=$(pgrep -P "$($TM display-message -p -t b '#{pane_pid}')" -x softlbtop)
				c0=$(cpu "$tp"); d0=$(cpu "$DPID"); t0=$(now)
				sleep "$SECS"
				c1=$(cpu "$tp"); d1=$(cpu "$DPID"); t1=$(now)
				$TM send-keys -t b q
				n=$(awk -v t0="$t0" -v t1="$t1" -v iv="$IV" 'BEGIN { printf "%d", (t1 - t0) / iv }')
				top_c="$top_c $(ms $((c1 - c0)) "$n")"
				top_d="$top_d $(ms "$(dcost "$d0" "$d1" "$t0" "$t1")" "$n")"
				top_n="$top_n $n"
				$TM kill-session -t b 2>/dev/null ;;
			sl)
				# softlb --json -c 'show proxy', a new process each time.
				d0=$(cpu "$DPID"); t0=$(now)
				set -- $(loop_cost "$SOFTLB" -s "$T/s.sock" --json -c 'show proxy')
				d1=$(cpu "$DPID"); t1=$(now)
				sl_c="$sl_c $(ms $(($1 - floor_t * $2 / floor_n)) "$2")"
				sl_d="$sl_d $(ms "$(dcost "$d0" "$d1" "$t0" "$t1")" "$2")"
				sl_n="$sl_n $2" ;;
			once)
				# softlbtop --once, a new process each time.
				d0=$(cpu "$DPID"); t0=$(now)
				set -- $(loop_cost "$TOP" -s "$T/s.sock" --once --screen "$SCREEN")
				d1=$(cpu "$DPID"); t1=$(now)
				once_c="$once_c $(ms $(($1 - floor_t * $2 / floor_n)) "$2")"
				once_d="$once_d $(ms "$(dcost "$d0" "$d1" "$t0" "$t1")" "$2")"
				once_n="$once_n $2" ;;
			esac
		done
		r=$((r + 1))
	done
	printf '%-6s %-34s %-26s %-26s %s\n' servers "way of watching" "client ms/refresh" "softlbd ms/refresh" "refreshes"
	printf '%-6s %-34s %-26s %-26s %s\n' "$N" "softlbtop (one process)" "$(st_summary $top_c)" "$(st_summary $top_d)" "$(st_median $top_n)"
	printf '%-6s %-34s %-26s %-26s %s\n' "$N" "loop: softlb -c 'show proxy json'" "$(st_summary $sl_c)" "$(st_summary $sl_d)" "$(st_median $sl_n)"
	printf '%-6s %-34s %-26s %-26s %s\n' "$N" "loop: softlbtop --once" "$(st_summary $once_c)" "$(st_summary $once_d)" "$(st_median $once_n)"
	echo "  ratios at $N servers, softlbtop / softlb loop: client CPU per refresh $(st_ratio "$top_c" "$sl_c"), softlbd CPU per snapshot $(st_ratio "$top_d" "$sl_d")"
	awk -v c="$(st_median $top_c)" -v d="$(st_median $top_d)" 'BEGIN {
		printf "  at a 1 s refresh: softlbtop %.2f%% of a core (target 5%%), softlbd serving it %.2f%% (target 2%%)\n", c / 10, d / 10 }'
	st_row "softlbtop, $N servers, client ms CPU per refresh" "$(st_summary $top_c)" \
		"softlb loop $(st_summary $sl_c)" "$(st_ratio "$top_c" "$sl_c")" "target 50 ms (5% at 1 s)" \
		"softlbd per snapshot $(st_summary $top_d)"
	stop_daemon
done
echo "(softlbtop asks 5 show commands per refresh (show table lvs and show table proxy summary among them, show table proxy on the proxy screen and on the overview up to 200 servers), and on the overview and VRRP screens one per VRRP instance; the softlb loop asks one)"
