#!/bin/sh
# tui_scale_guest.sh: runs INSIDE the VM only (tests/bench/tui_scale.sh
# boots it). See tui_scale.sh. No traffic: the IPVS service addresses are
# documentation addresses on the director's lo and nothing connects; the
# proxies bind 127.0.0.1 and their servers are never asked.
set -u
GUEST=tui-scale
. "$top_srcdir/tests/vm/guest_lib.sh"
. "$top_srcdir/tests/bench/stats_lib.sh"
TOP=$B/softlbtop
SECS=${SOFTLB_BENCH_SECS:-20}
TM="tmux -L tui-scale-$$ -f /dev/null"
HZ=$(getconf CLK_TCK)

cleanup() {
	$TM kill-server 2>/dev/null
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	PID=
	ipvsadm -C 2>/dev/null
	guest_cleanup
}
trap cleanup EXIT
for t in tmux watch ipvsadm; do
	command -v $t >/dev/null || { echo "SKIP: $t is not installed (scripts/deps)"; exit 77; }
done

# cpu PID: utime+stime, with the reaped children's (watch's ipvsadm runs).
cpu() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
now() { awk '{ print $1 }' /proc/uptime; }
# pct TICKS T0 T1: percent of a core over the time.
pct() { awk -v t="$1" -v a="$2" -v b="$3" -v hz="$HZ" 'BEGIN { printf "%.2f", t * 100 / hz / (b - a) }'; }

echo "== set-up: 100 services x 100 real servers, 1,000 proxies x 10 servers"
ipvsadm -C 2>/dev/null
modprobe ip_vs || { echo "FAIL: modprobe ip_vs"; exit 1; }
{
	s=0
	while [ "$s" -lt 100 ]; do
		printf 'virtual_server 203.0.113.%d 80 {\n    lb_algo wrr\n    lb_kind NAT\n    protocol TCP\n' $((s + 1))
		r=0
		while [ "$r" -lt 100 ]; do
			printf '    real_server 192.0.2.%d %d {\n        weight 1\n    }\n' $((r + 1)) $((8000 + s))
			r=$((r + 1))
		done
		printf '}\n'
		s=$((s + 1))
	done
} >"$CONF"
{
	printf 'defaults\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n'
	p=0
	while [ "$p" -lt 1000 ]; do
		printf '\nlisten px%d\n    bind 127.0.0.1:%d\n' "$p" $((20000 + p))
		i=0
		while [ "$i" -lt 10 ]; do
			printf '    server s%d 127.0.0.2:%d\n' $((p * 10 + i)) $((30000 + p * 10 + i))
			i=$((i + 1))
		done
		p=$((p + 1))
	done
} >"$T/haproxy.cfg"
"$SOFTLBD" -n -l -S "$SOCK" --pidfile "$T/pid" -f "$CONF" -p "$T/haproxy.cfg" >"$LOG" 2>&1 &
PID=$!
wait_softlbd "$SOCK" "$PID" "$LOG"
n=0
for _ in $(seq 600); do
	n=$(ipvsadm -Ln | grep -c -- '->.*Masq')
	[ "$n" -ge 10000 ] && break
	sleep 0.5
done
echo "IPVS holds $n real servers"
[ "$n" -ge 10000 ] || { echo "FAIL: softlbd did not program the 10,000 real servers"; tail "$LOG"; exit 1; }
sleep 2

# phase NAME [COMMAND]: COMMAND in a 200x50 tmux window for SECS (none:
# softlbd alone, its idle CPU: the reconcile pass every 5 s walks the
# table); sets W (the watcher's % of a core) and D (softlbd's).
phase() {
	name=$1
	shift
	wp=
	if [ $# -gt 0 ]; then
		$TM new-session -d -s b -x 200 -y 50 "$*; sleep 600"
		sleep 3
		wp=$(pgrep -P "$($TM display-message -p -t b '#{pane_pid}')" | head -n1)
	fi
	c0=0 c1=0
	[ -n "$wp" ] && c0=$(cpu "$wp")
	d0=$(cpu "$PID"); t0=$(now)
	sleep "$SECS"
	[ -n "$wp" ] && c1=$(cpu "$wp")
	d1=$(cpu "$PID"); t1=$(now)
	if [ -n "$wp" ]; then
		$TM capture-pane -p -t b >"$T/screen-$name"
		$TM kill-session -t b 2>/dev/null
	fi
	W=$(pct $((c1 - c0)) "$t0" "$t1")
	D=$(pct $((d1 - d0)) "$t0" "$t1")
	echo "$name: watcher $W% of a core, softlbd $D%"
	sleep 1
}

ROUNDS=${SOFTLB_BENCH_ROUNDS:-3}
idle_d='' tl_w='' tl_d='' tp_w='' tp_d='' w_w='' w_d=''
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	case $((r % 4)) in
	0) order="idle lvs proxy watch" ;; 1) order="lvs proxy watch idle" ;;
	2) order="proxy watch idle lvs" ;; *) order="watch idle lvs proxy" ;;
	esac
	for way in $order; do
		case $way in
		idle) phase idle; idle_d="$idle_d $D" ;;
		lvs) phase top-lvs "TERM=xterm-256color $TOP -s $SOCK -d 1 --screen lvs"
			tl_w="$tl_w $W" tl_d="$tl_d $D" ;;
		proxy) phase top-proxy "TERM=xterm-256color $TOP -s $SOCK -d 1 --screen proxy"
			tp_w="$tp_w $W" tp_d="$tp_d $D" ;;
		watch) phase watch "TERM=xterm-256color watch -n1 ipvsadm -Ln --rate"
			w_w="$w_w $W" w_d="$w_d $D" ;;
		esac
	done
	r=$((r + 1))
done
grep -q '203.0.113.1:80' "$T/screen-top-lvs" && ok "softlbtop's LVS screen shows the services" ||
	{ fail "softlbtop's LVS screen"; cat "$T/screen-top-lvs"; }
grep -q 'px0' "$T/screen-top-proxy" && ok "softlbtop's proxy screen shows the proxies" ||
	{ fail "softlbtop's proxy screen"; cat "$T/screen-top-proxy"; }
grep -q '203.0.113.1:80' "$T/screen-watch" && ok "watch ipvsadm shows the services" ||
	{ fail "watch ipvsadm"; cat "$T/screen-watch"; }

echo
echo "10,000 rows, 1 s refresh, $SECS s a phase, $ROUNDS rounds in rotating order, in the VM"
echo "(TCG: an emulated CPU); % of a core, median [min..max] n=rounds; softlbd's own"
echo "CPU in each phase, its idle phase beside them (serving = phase - idle)"
printf '%-44s %-30s %s\n' "watcher" "watcher CPU" "softlbd in the phase"
printf '%-44s %-30s %s\n' "(none: softlbd idle)" "-" "$(st_summary $idle_d)"
printf '%-44s %-30s %s\n' "softlbtop, LVS screen" "$(st_summary $tl_w)" "$(st_summary $tl_d)"
printf '%-44s %-30s %s\n' "softlbtop, proxy screen" "$(st_summary $tp_w)" "$(st_summary $tp_d)"
printf '%-44s %-30s %s\n' "watch -n1 ipvsadm -Ln --rate (+ ipvsadm)" "$(st_summary $w_w)" "$(st_summary $w_d)"
mi=$(st_median $idle_d)
sv() { awk -v a="$(st_median $1)" -v i="$mi" 'BEGIN { x = a - i; printf "%.2f", x < 0 ? 0 : x }'; }
echo "softlbd serving (median - idle median): softlbtop LVS $(sv "$tl_d")%, proxy $(sv "$tp_d")%, watch ipvsadm $(sv "$w_d")%"
echo "ratios to watch ipvsadm's CPU (watcher): softlbtop LVS $(st_ratio "$tl_w" "$w_w"), proxy $(st_ratio "$tp_w" "$w_w")"
echo "targets: softlbtop <= 5%, softlbd serving it <= 2%, each below watch ipvsadm"
st_row "softlbtop LVS screen, 10,000 real servers, % of a core" "$(st_summary $tl_w)" \
	"watch ipvsadm $(st_summary $w_w)" "$(st_ratio "$tl_w" "$w_w")" "target 5%" "softlbd serving $(sv "$tl_d")%"
st_row "softlbtop proxy screen, 10,000 servers, % of a core" "$(st_summary $tp_w)" \
	"watch ipvsadm $(st_summary $w_w)" "$(st_ratio "$tp_w" "$w_w")" "target 5%" "softlbd serving $(sv "$tp_d")%"
stop_cleanly softlbd "$PID"
PID=
guest_finish
