#!/bin/sh
# check_rate.sh: TCP health checks at 10,000 per second, softlbd against
# keepalived's checker, one keepalived.conf for both, each against a
# listener of its own, interleaved in windows, beside a floor. A
# benchmark, not a test: it prints the CPU each used, the checks per
# second each reached and the ratios, and never fails on a number. Build
# without sanitizers for numbers worth quoting (ASan slows softlbd).
#
#   top_builddir=BUILD [top_srcdir=SRC] tests/bench/check_rate.sh [TARGETS [SECONDS [ROUNDS]]]
#
# TARGETS real servers (default 10000), each with a TCP_CHECK every second
# (delay_loop 1): TARGETS checks per second. ROUNDS (default 3, or
# $ROUNDS) rounds of three windows of SECONDS (default 10) each: softlbd,
# keepalived and the floor, in an order that rotates each round. While one
# daemon is measured the other is stopped (SIGSTOP to its whole process
# tree), so that each has the machine's cores as the other had; after
# SIGCONT a daemon settles back to 90% of its rate before its window
# starts. Figures are medians over the windows, with their range and n;
# ratios are over the rounds' pairs.
#
# CPU, whole process against whole process: the scheduler's own runtime
# (se.sum_exec_runtime, /proc/PID/task/*/schedstat, ns) of every thread of
# every process of the contender: softlbd and its script helper;
# keepalived's parent and its checker child (the old script counted
# softlbd's whole process against keepalived's checker child alone). In
# ns rather than utime+stime's clock ticks, and with the time each waited
# for a CPU beside it. The listener's CPU is the same work for all and is
# printed apart.
#
# The floor: the least work the kernel needs for TARGETS checks a second
# spread over the second: a bare C loop that wakes once per 10 ms slot,
# takes every completion then, and for each due check makes one connect on
# a reused socket (epoll_ctl MOD) and, once connected, one
# connect(AF_UNSPEC) (an RST, as softlbd's checks end): no getsockopt, no
# timers, no per-check wakeup, nothing else. A checker that costs less
# either does less than a check needs or the floor is wrong: the script
# says so.
#
# Each runs in a network namespace made here, with only lo: the real
# servers are 127.1.x.y, all served by one listener on 0.0.0.0:80 in that
# namespace (the floor uses softlbd's). The namespaces, the processes and
# the files go at exit.
#
# keepalived's checker will not start without IPVS (this machine has
# none): it runs with a small LD_PRELOAD shim, built here, that answers
# keepalived's IPVS socket options with success and does nothing. Steady
# state (every server up) makes no IPVS call anyway; the shim only gets
# keepalived past its start-up, and makes it no slower.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
N=${1:-10000}
WINDOW=${2:-10}
ROUNDS=${3:-${ROUNDS:-3}}
. "$here/stats_lib.sh"

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for p in keepalived cc ip od; do
	command -v "$p" >/dev/null || { echo "SKIP: $p missing (scripts/deps)"; exit 77; }
done
[ -x "$top_builddir/softlbd" ] || { echo "no softlbd in $top_builddir"; exit 1; }

NS="ckrate$$"	# softlbd's; keepalived's is ${NS}k
T=$(mktemp -d /tmp/check-rate.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill -CONT "$p" 2>/dev/null; kill -9 "$p" 2>/dev/null; done
	# keepalived's checker child, if its parent died first.
	[ -s "$T/ka-check.pid" ] && kill -9 "$(cat "$T/ka-check.pid")" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	ip netns del "${NS}k" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for ns in "$NS" "${NS}k"; do
	ip netns add "$ns" || { echo "SKIP: cannot create a network namespace"; exit 77; }
	ip netns exec "$ns" ip link set lo up
	# Room for 10,000 connections a second from one source address.
	ip netns exec "$ns" sysctl -q -w net.ipv4.ip_local_port_range="1024 65000"
	ip netns exec "$ns" sysctl -q -w net.core.somaxconn=65535
done

# The shim (see the header).
cat >"$T/noipvs.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#define IPVS_FIRST (64 + 1024 + 64)	/* IP_VS_BASE_CTL */
#define IPVS_LAST (IPVS_FIRST + 20)
int getsockopt(int fd, int level, int opt, void *val, socklen_t *len)
{
	static int (*real)(int, int, int, void *, socklen_t *);
	if (level == IPPROTO_IP && opt >= IPVS_FIRST && opt < IPVS_LAST) {
		unsigned info[3] = { 0x010201, 4096, 0 };	/* version 1.2.1 */
		memset(val, 0, *len);
		if (opt == IPVS_FIRST && *len >= sizeof(info))
			memcpy(val, info, sizeof(info));
		return 0;
	}
	if (!real)
		real = (int (*)(int, int, int, void *, socklen_t *))dlsym(RTLD_NEXT, "getsockopt");
	return real(fd, level, opt, val, len);
}
int setsockopt(int fd, int level, int opt, const void *val, socklen_t len)
{
	static int (*real)(int, int, int, const void *, socklen_t);
	if (level == IPPROTO_IP && opt >= IPVS_FIRST && opt < IPVS_LAST)
		return 0;
	if (!real)
		real = (int (*)(int, int, int, const void *, socklen_t))dlsym(RTLD_NEXT, "setsockopt");
	return real(fd, level, opt, val, len);
}
EOF
cc -shared -fPIC -O2 -o "$T/noipvs.so" "$T/noipvs.c" -ldl || exit 1

# The listener: accepts and closes, in C so that it keeps up on a busy
# machine; its running count is a 64-bit number in a mapped file.
cat >"$T/listen.c" <<'EOF'
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(80) };
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);
	int fd = open(argv[argc - 1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	volatile uint64_t *n;
	if (s < 0 || fd < 0 || ftruncate(fd, 8) < 0)
		return 1;
	n = mmap(NULL, 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (n == MAP_FAILED || bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(s, 65535) < 0)
		return 1;
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c >= 0) {
			close(c);
			(*n)++;
		}
	}
}
EOF
cc -O2 -o "$T/listen" "$T/listen.c" || exit 1
ip netns exec "$NS" "$T/listen" "$T/count" &
PIDS="$PIDS $!"
ip netns exec "${NS}k" "$T/listen" "$T/count-k" &
PIDS="$PIDS $!"

# The floor (see the header).
cat >"$T/floor.c" <<'EOF'
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#define SLOT_NS 10000000L	/* one wake per 10 ms */
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}
int main(int argc, char **argv)
{
	long n, started = 0, flying = 0;
	double secs, t0 = now();
	int ep = epoll_create1(0), *pool = calloc(65536, sizeof(int)), np = 0;
	struct epoll_event evs[1024];
	struct timespec slot;
	if (argc < 3 || ep < 0 || !pool)
		return 1;
	n = atol(argv[1]);
	secs = atof(argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &slot);
	for (;;) {
		double t = now();
		int k;
		if (t - t0 >= secs)
			return 0;
		/* Every completion since the last slot: connected, so ended. */
		while ((k = epoll_wait(ep, evs, 1024, 0)) > 0) {
			for (int j = 0; j < k; j++) {
				struct sockaddr u = { .sa_family = AF_UNSPEC };
				connect(evs[j].data.fd, &u, sizeof(u));
				if (np < 65536)
					pool[np++] = evs[j].data.fd;
				flying--;
			}
		}
		/* The checks due by now (a listener that falls behind leaves
		 * at most 4,096 in flight: the loop slows down instead). */
		long due = (long)((t - t0) * n);
		for (; started < due && flying < 4096; started++, flying++) {
			long i = started % n;
			struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(80) };
			struct epoll_event e = { .events = EPOLLOUT | EPOLLONESHOT };
			int fd = np ? pool[--np] : -1, add = fd < 0;
			a.sin_addr.s_addr = htonl(0x7f010000u | (uint32_t)(i / 250) << 8 | (uint32_t)(i % 250 + 1));
			if (add && (fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0) {
				perror("floor: socket");
				return 1;
			}
			e.data.fd = fd;
			if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != EINPROGRESS) {
				perror("floor: connect");
				return 1;
			}
			if (epoll_ctl(ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &e) < 0) {
				perror("floor: epoll_ctl");
				return 1;
			}
		}
		slot.tv_nsec += SLOT_NS;
		if (slot.tv_nsec >= 1000000000L) {
			slot.tv_sec++;
			slot.tv_nsec -= 1000000000L;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &slot, NULL);
	}
}
EOF
cc -O2 -o "$T/floor" "$T/floor.c" || exit 1

# One keepalived.conf for both: 100 real servers per virtual server; NAT,
# since keepalived gives DR real servers the virtual server's port.
awk -v n="$N" 'BEGIN {
	print "global_defs {\n    router_id bench\n}"
	for (i = 0; i < n; i++) {
		if (i % 100 == 0) {
			if (i) print "}"
			printf "virtual_server 192.0.2.1 %d {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n", 1000 + i / 100
		}
		printf "    real_server 127.1.%d.%d 80 {\n        TCP_CHECK {\n            connect_timeout 2\n            warmup 1\n        }\n    }\n", int(i / 250), i % 250 + 1
	}
	print "}"
}' >"$T/keepalived.conf"

# runtime_ns PID...: the scheduler's runtime of every thread of the PIDs,
# in ns (see the header); a PID gone counts 0.
runtime_ns() {
	for _p in "$@"; do
		cat /proc/"$_p"/task/*/schedstat 2>/dev/null
	done | awk '{ t += $1 } END { printf "%.0f\n", t }'
}
# waited_ns PID...: the time their threads were runnable but without a CPU.
waited_ns() {
	for _p in "$@"; do
		cat /proc/"$_p"/task/*/schedstat 2>/dev/null
	done | awk '{ t += $2 } END { printf "%.0f\n", t }'
}
# tree PID: PID and its descendants (softlbd's script helper, keepalived's
# checker child).
tree() {
	echo "$1"
	for _c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		tree "$_c"
	done
}
count() {
	od -An -tu8 "$1" | tr -d ' '
}
until [ -s "$T/count" ] && [ -s "$T/count-k" ]; do sleep 0.1; done
LPID_S=$(echo $PIDS | cut -d' ' -f1)
LPID_K=$(echo $PIDS | cut -d' ' -f2)

# rate FILE: connections its listener accepted in the last second.
rate() {
	c0=$(count "$1"); sleep 1; c1=$(count "$1")
	echo $((c1 - c0))
}
# settle FILE: until two seconds in a row at 90% of the rate or more (at
# most 60 s: a daemon that does not get there is measured anyway, and its
# rate column says so).
settle() {
	_ok=0 _i=0
	while [ "$_ok" -lt 2 ] && [ "$_i" -lt 60 ]; do
		if [ "$(rate "$1")" -ge $((N * 9 / 10)) ]; then _ok=$((_ok + 1)); else _ok=0; fi
		_i=$((_i + 1))
	done
}

# keepalived: the checker process only (-C), no VRRP. It takes a while to
# activate 10,000 checkers; wait until it has, then until its rate holds.
start_keepalived() {
	ip netns exec "${NS}k" env LD_PRELOAD="$T/noipvs.so" keepalived -C -n -l -f "$T/keepalived.conf" \
		-p "$T/ka.pid" -c "$T/ka-check.pid" >"$T/keepalived.log" 2>&1 &
	KPID=$!
	PIDS="$PIDS $KPID"
	i=0
	until [ -s "$T/ka-check.pid" ] &&
		[ "$(grep -c 'Activating healthchecker for service' "$T/keepalived.log")" -ge "$N" ]; do
		kill -0 "$KPID" 2>/dev/null || { cat "$T/keepalived.log"; exit 1; }
		i=$((i + 1)); [ "$i" -lt 1800 ] || { echo "keepalived did not start its checkers"; exit 1; }
		sleep 0.1
	done
	KCPID=$(cat "$T/ka-check.pid")
	PIDS="$PIDS $KCPID"
	settle "$T/count-k"
}
stop_keepalived() {
	kill -CONT $(tree "$KPID") 2>/dev/null
	kill "$KPID" 2>/dev/null
	i=0
	while kill -0 "$KPID" 2>/dev/null || kill -0 "$KCPID" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { kill -9 "$KPID" "$KCPID" 2>/dev/null; break; }
		sleep 0.1
	done
}

# softlbd, then its first round of checks (warmup 1) and its rate.
start_softlbd() {
	ip netns exec "$NS" "$top_builddir/softlbd" -n -l -S "$T/softlbd.sock" \
		--pidfile "$T/softlbd.pid" -f "$T/keepalived.conf" -p /dev/null >"$T/softlbd.log" 2>&1 &
	SPID=$!
	PIDS="$PIDS $SPID"
	i=0
	until "$top_builddir/softlb" -s "$T/softlbd.sock" -c 'show version' >/dev/null 2>&1; do
		kill -0 "$SPID" 2>/dev/null || { cat "$T/softlbd.log"; exit 1; }
		i=$((i + 1)); [ "$i" -lt 600 ] || { echo "softlbd did not start"; exit 1; }
		sleep 0.1
	done
	settle "$T/count"
}
stop_softlbd() {
	kill -CONT $(tree "$SPID") 2>/dev/null
	kill "$SPID" 2>/dev/null
	i=0
	while kill -0 "$SPID" 2>/dev/null; do
		i=$((i + 1)); [ "$i" -lt 100 ] || { kill -9 "$SPID"; break; }
		sleep 0.1
	done
}
# softlbd's checks now (show status); keepalived's failures (its log).
s_state() {
	"$top_builddir/softlb" -s "$T/softlbd.sock" -c 'show status' 2>/dev/null |
		grep -o '[0-9]* checks: [0-9]* up, [0-9]* down'
}
k_failed() { grep -c 'TCP_CHECK on service .* failed' "$T/keepalived.log"; }

# window WHO PID...: one window over the contender's processes and its
# listener; prints "CPU% RATE US_PER_CHECK WAITED% LISTENER_CPU%".
window() {
	_who=$1
	shift
	case $_who in k) _cf=$T/count-k _l=$LPID_K ;; *) _cf=$T/count _l=$LPID_S ;; esac
	_r0=$(runtime_ns "$@"); _w0=$(waited_ns "$@"); _n0=$(count "$_cf"); _l0=$(runtime_ns "$_l")
	sleep "$WINDOW"
	_r1=$(runtime_ns "$@"); _w1=$(waited_ns "$@"); _n1=$(count "$_cf"); _l1=$(runtime_ns "$_l")
	awk -v r=$((_r1 - _r0)) -v w=$((_w1 - _w0)) -v n=$((_n1 - _n0)) -v l=$((_l1 - _l0)) -v s="$WINDOW" \
		'BEGIN { printf "%.1f %.0f %.2f %.1f %.1f\n", 100 * r / 1e9 / s, n / s, n ? r / 1e3 / n : 0,
			100 * w / 1e9 / s, 100 * l / 1e9 / s }'
}

start_keepalived
kill -STOP $(tree "$KPID")
start_softlbd
kill -STOP $(tree "$SPID")
s_cpu='' s_rate='' s_us='' s_wait='' s_lis='' k_cpu='' k_rate='' k_us='' k_wait='' k_lis='' f_cpu='' f_rate='' f_us='' f_wait='' f_lis=''
load=
kf0=$(k_failed)
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	case $((r % 3)) in 0) order="s k f" ;; 1) order="k f s" ;; *) order="f s k" ;; esac
	for who in $order; do
		case $who in
		s)
			kill -CONT $(tree "$SPID")
			settle "$T/count"
			set -- $(window s $(tree "$SPID"))
			kill -STOP $(tree "$SPID")
			s_cpu="$s_cpu $1" s_rate="$s_rate $2" s_us="$s_us $3" s_wait="$s_wait $4" s_lis="$s_lis $5" ;;
		k)
			kill -CONT $(tree "$KPID")
			settle "$T/count-k"
			set -- $(window k $(tree "$KPID"))
			kill -STOP $(tree "$KPID")
			k_cpu="$k_cpu $1" k_rate="$k_rate $2" k_us="$k_us $3" k_wait="$k_wait $4" k_lis="$k_lis $5" ;;
		f)
			# On softlbd's namespace and listener; 2 s to settle.
			ip netns exec "$NS" "$T/floor" "$N" $((WINDOW + 3)) &
			FPID=$!
			sleep 2
			set -- $(window f "$FPID")
			wait "$FPID" 2>/dev/null
			f_cpu="$f_cpu $1" f_rate="$f_rate $2" f_us="$f_us $3" f_wait="$f_wait $4" f_lis="$f_lis $5" ;;
		esac
		load="$load $(cut -d' ' -f1 /proc/loadavg)"
	done
	r=$((r + 1))
done
kill -CONT $(tree "$SPID")
sleep 2
s_status=$(s_state)
k_fail=$(($(k_failed) - kf0))
stop_softlbd
stop_keepalived

echo "== $N TCP checks, one a second each; $ROUNDS rounds of $WINDOW s windows, interleaved; load average$load on $(nproc) cores"
echo "figures: median [min..max] n=windows; CPU: whole process tree, scheduler runtime, % of one core"
printf '%-31s %-26s %-26s %-25s %-22s %s\n' "" "CPU %" "checks/s" "us CPU/check" "waited %" "listener CPU %"
row() {
	printf '%-31s %-26s %-26s %-25s %-22s %s\n' "$1" "$(st_summary $2)" "$(st_summary $3)" "$(st_summary $4)" \
		"$(st_summary $5)" "$(st_summary $6)"
}
row "softlbd (whole process)" "$s_cpu" "$s_rate" "$s_us" "$s_wait" "$s_lis"
row "keepalived -C (parent+checker)" "$k_cpu" "$k_rate" "$k_us" "$k_wait" "$k_lis"
row "floor: bare connect loop" "$f_cpu" "$f_rate" "$f_us" "$f_wait" "$f_lis"
echo "state at the end: softlbd ${s_status:-?}; keepalived: $k_fail check failures logged during the rounds (stopped windows included)"
echo "ratio softlbd/keepalived, CPU per check: $(st_ratio "$s_us" "$k_us")"
echo "ratio softlbd/floor, CPU per check:      $(st_ratio "$s_us" "$f_us")"
echo "ratio keepalived/floor, CPU per check:   $(st_ratio "$k_us" "$f_us")"
fm=$(st_median $f_us)
echo "bound (the floor): $fm us/check; distance of the medians: softlbd $(st_bound "$(st_median $s_us)" "$fm") us," \
	"keepalived $(st_bound "$(st_median $k_us)" "$fm") us"
# Under the floor's whole range is not noise: the floor is wrong. Under
# its median only is within the floor's own spread.
fmin=$(st_clean $f_us | sort -g | head -n 1)
for c in softlbd keepalived; do
	case $c in softlbd) v=$s_us ;; *) v=$k_us ;; esac
	m=$(st_median $v)
	if awk -v m="$m" -v f="${fmin:--}" 'BEGIN { exit !(m != "-" && f != "-" && m < f) }'; then
		echo "NOTE: $c's median ($m us) is under every floor window (least $fmin us): the floor is wrong (it does more than a check needs, or the accounting misses work)"
	elif awk -v m="$m" -v f="$fm" 'BEGIN { exit !(m != "-" && f != "-" && m < f) }'; then
		echo "note: $c's median is under the floor's median, within the floor's range: noise at this n, not a result"
	fi
done
# Reached means at least 97% of the nominal rate (median over windows):
# only then is the CPU column "CPU at N checks/s". The target is 25% of
# one core at 10,000 checks/s: CPU per check in us is that percentage.
awk -v n="$N" -v sr="$(st_median $s_rate)" -v kr="$(st_median $k_rate)" -v sc="$(st_median $s_cpu)" \
	-v su="$(st_median $s_us)" 'BEGIN {
	printf "softlbd %s %d checks/s (%d/s), %.1f%% of one core; at %.1f us per check, 10,000/s is %.1f%% of one core (target: at most 25%%): %s%s\n",
		(sr >= 0.97 * n) ? "reached" : "did NOT reach", n, sr, sc, su, su, (su <= 25) ? "met" : "NOT met",
		(n == 10000 && sr >= 0.97 * n) ? "" : " (estimated from another rate)"
	printf "keepalived %s %d checks/s (%d/s)\n", (kr >= 0.97 * n) ? "reached" : "did NOT reach", n, kr
}'
st_row "TCP checks at $N/s, us CPU per check" "$(st_summary $s_us)" "keepalived -C $(st_summary $k_us)" \
	"$(st_ratio "$s_us" "$k_us")" "floor $(st_summary $f_us)" "softlbd/floor $(st_ratio "$s_us" "$f_us")"
exit 0
