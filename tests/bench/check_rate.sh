#!/bin/sh
# check_rate.sh: TCP health checks at 10,000 per second, softlbd against
# keepalived's checker process, one keepalived.conf for both, the same
# listener, one after the other. A benchmark, not a test: it prints the
# CPU each used, the checks per second each reached and the ratio, and
# never fails on a number. Build without
# sanitizers for numbers worth quoting (ASan slows softlbd several times).
#
#   top_builddir=BUILD [top_srcdir=SRC] tests/bench/check_rate.sh [TARGETS [SECONDS]]
#
# TARGETS real servers (default 10000), each with a TCP_CHECK every second
# (delay_loop 1): TARGETS checks per second. Then, alone, a bare C loop
# making the same connections (the floor: the kernel's TCP work, which
# on loopback includes the listener's side). CPU is utime+stime from
# /proc/PID/stat over a window of SECONDS (default 10) once every check
# has started; the rate is what the listener accepted in that window.
#
# Each runs in a network namespace made here, with only lo: the real
# servers are 127.1.x.y, all served by one listener on 0.0.0.0:80 in that
# namespace. The namespaces, the processes and the files go at exit.
#
# On a machine with fewer than 4 cores, or a busy one, the two daemons
# would starve each other (and their listeners): they then run one after
# the other, on the same targets at the same rate, each measured alone.
# MODE=both or MODE=seq in the environment forces one way.
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

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
for p in keepalived cc ip od; do
	command -v "$p" >/dev/null || { echo "SKIP: $p missing (scripts/deps)"; exit 77; }
done
[ -x "$top_builddir/softlbd" ] || { echo "no softlbd in $top_builddir"; exit 1; }

NS="ckrate$$"	# softlbd's; keepalived's is ${NS}k
T=$(mktemp -d /tmp/check-rate.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
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

# The floor: what the kernel's TCP work alone costs at this rate, on the
# same targets and listener. A bare C loop: N connects a second spread
# over the second, each ended by connect(AF_UNSPEC) (an RST, as softlbd's
# checks do) on sockets it reuses, one epoll, nothing else. A checker
# cannot cost less; what softlbd costs above it is its own work.
cat >"$T/floor.c" <<'EOF'
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}
int main(int argc, char **argv)
{
	long n = atol(argv[1]), started = 0;
	double secs = atof(argv[2]), t0 = now();
	int ep = epoll_create1(0), *pool = calloc(65536, sizeof(int)), np = 0;
	long flying = 0;	/* started, not yet answered */
	struct epoll_event evs[1024];
	if (argc < 3 || ep < 0 || !pool)
		return 1;
	while (now() - t0 < secs) {
		long due = (long)((now() - t0) * n);
		/* A listener that falls behind leaves SYNs unanswered: at most
		 * 4,096 in flight, so a busy machine slows the loop down
		 * rather than exhausting its descriptors. */
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
		int k = epoll_wait(ep, evs, 1024, 1);
		for (int j = 0; j < k; j++) {
			struct sockaddr u = { .sa_family = AF_UNSPEC };
			int err;
			socklen_t len = sizeof(err);
			connect(evs[j].data.fd, &u, sizeof(u));
			getsockopt(evs[j].data.fd, SOL_SOCKET, SO_ERROR, &err, &len);
			if (np < 65536)
				pool[np++] = evs[j].data.fd;
			flying--;
		}
	}
	return 0;
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

ticks_hz=$(getconf CLK_TCK)
# utime+stime of PID, in clock ticks (fields 14 and 15, counted after the
# command name, which may hold spaces).
cpu_ticks() {
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
count() {
	od -An -tu8 "$1" | tr -d ' '
}
# Nanoseconds PID's main thread (softlbd's control plane, keepalived's
# checker) spent runnable but waiting for a CPU: a busy machine shows here.
waited_ns() {
	cut -d' ' -f2 "/proc/$1/schedstat"
}
until [ -s "$T/count" ] && [ -s "$T/count-k" ]; do sleep 0.1; done

# rate FILE: connections its listener accepted in the last second.
rate() {
	c0=$(count "$1"); sleep 1; c1=$(count "$1")
	echo $((c1 - c0))
}

# keepalived: the checker process only (-C), no VRRP. It takes a while to
# activate 10,000 checkers; wait until it has. After activating them,
# keepalived runs a first round, pauses, and only then settles: wait for
# three seconds in a row at half the rate or more.
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
	steady=0 i=0
	while [ "$steady" -lt 3 ]; do
		if [ "$(rate "$T/count-k")" -ge $((N / 2)) ]; then steady=$((steady + 1)); else steady=0; fi
		i=$((i + 1)); [ "$i" -lt 180 ] || { echo "keepalived never reached a steady rate"; exit 1; }
	done
}
stop_keepalived() {
	kill "$KPID" 2>/dev/null
	i=0
	while kill -0 "$KPID" 2>/dev/null || kill -0 "$KCPID" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { kill -9 "$KPID" "$KCPID" 2>/dev/null; break; }
		sleep 0.1
	done
	k_failed=$(grep -c 'TCP_CHECK on service .* failed' "$T/keepalived.log")
}

# softlbd, then its first round of checks (warmup 1) and three seconds.
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
	sleep 4
}
stop_softlbd() {
	s_status=$("$top_builddir/softlb" -s "$T/softlbd.sock" -c 'show status' |
		grep -o '[0-9]* checks: [0-9]* up, [0-9]* down')
	kill "$SPID" 2>/dev/null
	i=0
	while kill -0 "$SPID" 2>/dev/null; do
		i=$((i + 1)); [ "$i" -lt 100 ] || { kill -9 "$SPID"; break; }
		sleep 0.1
	done
}

# One window over whichever daemons are named (s, k): CPU ticks and
# accepted connections of each.
measure() {
	case " $* " in *" s "*) s0=$(cpu_ticks "$SPID"); sn0=$(count "$T/count"); sw0=$(waited_ns "$SPID") ;; esac
	case " $* " in *" k "*) k0=$(cpu_ticks "$KCPID"); kn0=$(count "$T/count-k"); kw0=$(waited_ns "$KCPID") ;; esac
	sleep "$WINDOW"
	case " $* " in *" s "*) s1=$(cpu_ticks "$SPID"); sn1=$(count "$T/count"); sw1=$(waited_ns "$SPID") ;; esac
	case " $* " in *" k "*) k1=$(cpu_ticks "$KCPID"); kn1=$(count "$T/count-k"); kw1=$(waited_ns "$KCPID") ;; esac
	load="$load $(cut -d' ' -f1 /proc/loadavg)"
}

# Both at once only when the machine has a core for each daemon and one
# for the two listeners, with room to spare; otherwise one after the
# other, each with the machine to itself. MODE=both or MODE=seq forces it.
cores=$(nproc)
if [ -z "${MODE:-}" ]; then
	MODE=seq
	awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v c="$cores" 'BEGIN { exit !(c >= 4 && l < c - 3) }' &&
		MODE=both
fi
load=
if [ "$MODE" = both ]; then
	start_keepalived
	start_softlbd
	measure s k
	stop_softlbd
	stop_keepalived
	how="both at once"
else
	start_keepalived
	measure k
	stop_keepalived
	start_softlbd
	measure s
	stop_softlbd
	how="one after the other"
fi
# The floor, alone, on softlbd's namespace and listener: 2 s to settle,
# then the same window.
ip netns exec "$NS" "$T/floor" "$N" $((WINDOW + 4)) &
FPID=$!
PIDS="$PIDS $FPID"
sleep 2
f0=$(cpu_ticks "$FPID"); fn0=$(count "$T/count"); fw0=$(waited_ns "$FPID")
sleep "$WINDOW"
f1=$(cpu_ticks "$FPID"); fn1=$(count "$T/count"); fw1=$(waited_ns "$FPID")
wait "$FPID" 2>/dev/null

# stats TICKS ACCEPTED: "CPU% RATE US": CPU in % of one core, checks per
# second (connections its listener accepted), CPU microseconds per check.
stats() {
	awk -v c="$1" -v hz="$ticks_hz" -v w="$WINDOW" -v n="$2" \
		'BEGIN { printf "%.1f %.0f %.1f\n", 100 * c / hz / w, n / w, n ? 1e6 * c / hz / n : 0 }'
}
set -- $(stats $((s1 - s0)) $((sn1 - sn0)))
s_cpu=$1 s_rate=$2 s_us=$3
set -- $(stats $((k1 - k0)) $((kn1 - kn0)))
k_cpu=$1 k_rate=$2 k_us=$3
set -- $(stats $((f1 - f0)) $((fn1 - fn0)))
f_cpu=$1 f_rate=$2 f_us=$3

echo "== $N TCP checks, one a second each, $how; $WINDOW s window each; load average$load on $cores cores"
printf '%-26s %7s %9s %9s %6s %8s  %s\n' "" "CPU %" "checks/s" "us/check" "rate" "waited %" "state"
# waited %: of the window, time runnable but without a CPU.
line() {
	printf '%-26s %7s %9s %9s %6s %8s  %s\n' "$1" "$2" "$3" "$4" \
		"$(awk -v r="$3" -v n="$N" 'BEGIN { printf "%.0f%%", 100 * r / n }')" \
		"$(awk -v w="$5" -v s="$WINDOW" 'BEGIN { printf "%.0f", w / s / 1e7 }')" "$6"
}
line "softlbd (whole process)" "$s_cpu" "$s_rate" "$s_us" $((sw1 - sw0)) "$s_status"
line "keepalived checker (-C)" "$k_cpu" "$k_rate" "$k_us" $((kw1 - kw0)) "$k_failed checks failed"
line "floor: bare connect loop" "$f_cpu" "$f_rate" "$f_us" $((fw1 - fw0)) "the kernel's TCP work alone"
# Reached means at least 97% of the nominal rate in the window: only then
# is the CPU column "CPU at N checks/s". Below it, CPU per check scaled to
# the nominal rate is an estimate, and is printed as one.
awk -v s="$s_us" -v k="$k_us" -v f="$f_us" -v fc="$f_cpu" -v n="$N" -v sr="$s_rate" -v kr="$k_rate" -v sc="$s_cpu" 'BEGIN {
	if (k > 0) printf "ratio softlbd/keepalived, CPU per check: %.2f\n", s / k
	if (f > 0) printf "ratio softlbd/floor, CPU per check: %.2f (the floor alone: %.1f%% of one core%s)\n", s / f, fc, (fc > 25 ? "; above 25%, no checker can meet that target here" : "")
	if (sr >= 0.97 * n)
		printf "softlbd reached %d checks/s (%d/s): %.1f%% of one core (target: at most 25%%): %s\n",
			n, sr, sc, sc <= 25 ? "met" : "NOT met"
	else
		printf "softlbd did NOT reach %d checks/s (%d/s, %.0f%%): target not shown; %.1f%% of one core at %d/s, %.1f%% estimated at %d/s\n",
			n, sr, 100 * sr / n, sc, sr, s * n / 1e4, n
	printf "keepalived %s %d checks/s (%d/s)\n", (kr >= 0.97 * n) ? "reached" : "did NOT reach", n, kr
}'
