#!/bin/sh
# change_cost.sh: what one change costs the control plane, at 100 x 4 and
# at 10,000 x 4 services. A benchmark, not a test: it reports, and never
# fails on a timing. Build without sanitizers for numbers worth quoting.
#
#   top_builddir=BUILD top_srcdir=SRC tests/bench/change_cost.sh [host|vm|both] [N...]
#
# host: on this machine (no IPVS: the LVS engine is unavailable, so this
#       is the configuration path and the other engines);
# vm:   inside the qemu VM (tests/vm/run-in-vm), with IPVS, and against
#       keepalived's SIGHUP reload of the same configuration;
# both (default): one then the other.
#
# What is measured is softlbd's own CPU time (the scheduler's runtime of
# all its threads, /proc/PID/task/*/schedstat) around each
# change, not the shell's or the wall clock: one weight typed in the shell
# (alternating 2 and 3, so each is a change) and one reload with nothing
# changed. Changes are timed in
# batches of BATCH (default 20) and each batch's mean is one sample;
# ROUNDS (default 5) samples, printed as median [min..max] n=N
# (stats_lib.sh). The daemons of both sizes run at once and the rounds
# alternate between them, so a size ratio is over pairs that saw the same
# machine; in the VM each daemon has a network namespace of its own (IPVS
# tables are per namespace) and keepalived's reloads are interleaved with
# softlbd's in the same way. Targets (issue 11): the
# edit at 10,000 x 4 at most 2 x the edit at 100 x 4; in the VM, the
# no-change reload at 10,000 x 4 at most 0.5 x keepalived's SIGHUP reload.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_builddir top_srcdir
mode=both
case "${1:-}" in
host|vm|both) mode=$1; shift ;;
esac
SIZES=${*:-${SOFTLB_BENCH_SIZES:-100 10000}}
BATCH=${SOFTLB_BENCH_BATCH:-20}
ROUNDS=${SOFTLB_BENCH_ROUNDS:-5}
export SOFTLB_BENCH_BATCH=$BATCH SOFTLB_BENCH_ROUNDS=$ROUNDS SOFTLB_BENCH_SIZES="$SIZES"
SOFTLBD=$top_builddir/softlbd
SOFTLB=$top_builddir/softlb
. "$here/stats_lib.sh"

if [ "${SOFTLB_VM:-}" != 1 ] && [ "$mode" = both ]; then
	sh "$0" host $SIZES
	exec sh "$0" vm $SIZES
fi
if [ "${SOFTLB_VM:-}" != 1 ] && [ "$mode" = vm ]; then
	out=$("$top_srcdir/tests/vm/setup") || { echo "SKIP: ${out:-vm setup failed}"; exit 77; }
	exec "$top_srcdir/tests/vm/run-in-vm" --timeout 3000 -- sh "$here/change_cost.sh" vm $SIZES
fi
where=host
[ "${SOFTLB_VM:-}" = 1 ] && where=vm

T=$(mktemp -d /tmp/change-cost.XXXXXX)
SPIDS=
KPID=
cleanup() {
	for p in $SPIDS; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	[ -n "$KPID" ] && kill "$KPID" 2>/dev/null && wait "$KPID" 2>/dev/null
	if [ "$where" = vm ]; then
		for n in $SIZES ka; do ip netns del "cc$n" 2>/dev/null; done
		ipvsadm -C 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
if [ "$where" = vm ]; then
	modprobe ip_vs || exit 1
	ipvsadm -C
fi

# cpu PID...: the scheduler's runtime of every thread of the processes,
# in ns (whole process; utime+stime sum to the same, but in 10 ms ticks).
cpu() {
	for p in "$@"; do
		cat /proc/"$p"/task/*/schedstat 2>/dev/null
	done | awk '{ t += $1 } END { printf "%.0f\n", t }'
}
ms() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.3f", t / 1e6 / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# conf N FILE: N services x 4 real servers, the layout of
# tests/vm/lvs_scale_guest.sh.
conf() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			printf "virtual_server 192.0.2.%d %d {\n  lb_algo wlc\n  lb_kind NAT\n  protocol TCP\n",
				1 + int(i / 100), 1000 + i % 100
			for (r = 1; r <= 4; r++)
				printf "  real_server 198.51.100.%d 80 {\n    weight 1\n  }\n", r
			print "}"
		}
	}' >"$2"
}

EDITS=0
edit() {	# edit N: weight 2, 3, 2, ... on one real server: every edit a change
	EDITS=$((EDITS + 1))
	"$SOFTLB" -s "$T/s$1.sock" -c configure -c "virtual-server 192.0.2.1:1050 tcp" \
		-c "real-server 198.51.100.2:80 weight $((2 + EDITS % 2))" -c end
}
reload() { "$SOFTLB" -s "$T/s$1.sock" -c reload; }

# start_softlbd N: a daemon for the N x 4 table, its socket $T/sN.sock.
start_softlbd() {
	conf "$1" "$T/ka$1.conf"
	: >"$T/haproxy.cfg"
	# -v: the LVS engine logs each flush's own time (its share of a
	# change; the rest is the configuration path and the other engines).
	# In the VM each softlbd has a network namespace (and so an IPVS
	# table) of its own.
	$NSX "$1" "$SOFTLBD" -n -l -v -S "$T/s$1.sock" --pidfile "$T/p$1.pid" -f "$T/ka$1.conf" \
		-p "$T/haproxy.cfg" --lvs-reconcile-interval 3600 >"$T/log$1" 2>&1 &
	eval "SPID_$1=$!"
	SPIDS="$SPIDS $!"
	for _ in $(seq 3000); do
		"$SOFTLB" -s "$T/s$1.sock" -c 'show version' >/dev/null 2>&1 && break
		sleep 0.1
	done
	# One edit first, then save: every reload after finds nothing to do.
	edit "$1" >/dev/null
	"$SOFTLB" -s "$T/s$1.sock" -c 'write memory' >/dev/null
}
requests() {
	"$SOFTLB" -s "$T/s$1.sock" -c 'show status' | sed -n 's/.* \([0-9][0-9]*\) requests,.*/\1/p'
}
# batch N WHAT: one batch of BATCH edits or reloads on the N daemon;
# prints its CPU per change (ms).
batch() {
	eval "_p=\$SPID_$1"
	c0=$(cpu "$_p")
	for _ in $(seq "$BATCH"); do
		"$2" "$1" >/dev/null 2>&1 || echo "note: $2 failed" >&2
	done
	c1=$(cpu "$_p")
	ms $((c1 - c0)) "$BATCH"
}
# ka_reload: one SIGHUP reload of keepalived, its processes' CPU until
# they stop using it (polled every 0.5 s: rounded up by that much at most).
ka_reload() {
	pids=$(pgrep -x keepalived | tr '\n' ' ')
	# shellcheck disable=SC2086
	c0=$(cpu $pids)
	kill -HUP "$KPID"
	sleep 0.5
	# shellcheck disable=SC2086
	prev=-1 cur=$(cpu $pids)
	# Done when half a second adds less than 1 ms.
	while [ $((cur - prev)) -ge 1000000 ]; do
		sleep 0.5
		pids=$(pgrep -x keepalived | tr '\n' ' ')
		prev=$cur
		# shellcheck disable=SC2086
		cur=$(cpu $pids)
	done
	ms $((cur - c0)) 1
}

no_ns() { shift; exec "$@"; }
NSX=no_ns
if [ "$where" = vm ]; then
	# A network namespace per daemon: IPVS tables are per namespace, so
	# softlbd at each size and keepalived run at once, interleaved.
	NSX=in_ns
	in_ns() { _n=$1; shift; exec ip netns exec "cc$_n" "$@"; }
	for n in $SIZES ka; do
		ip netns add "cc$n" && ip netns exec "cc$n" ip link set lo up
	done
fi
echo "== change_cost ($where): daemon CPU per change; median [min..max] n=rounds, each round a batch of $BATCH (keepalived: one reload)"
echo "   the sizes' daemons run at once and the rounds are interleaved, so each round's samples saw the same machine"
SPIDS=
for n in $SIZES; do
	start_softlbd "$n"
	eval "r0_$n=\$(requests $n) e_$n= rl_$n="
done
if [ "$where" = vm ] && command -v keepalived >/dev/null 2>&1; then
	set -- $SIZES
	eval "KN=\${$#}"
	conf "$KN" "$T/kka.conf"
	ip netns exec ccka keepalived -n -C -f "$T/kka.conf" -p "$T/k.pid" -c "$T/kc.pid" >"$T/klog" 2>&1 &
	KPID=$!
	want=$((KN * 4))
	for _ in $(seq 6000); do
		[ "$(ip netns exec ccka ipvsadm -Ln | grep -c -- '->.*Masq')" -ge "$want" ] && break
		sleep 0.5
	done
fi
k=
for r in $(seq "$ROUNDS"); do
	for n in $SIZES; do
		eval "e_$n=\"\$e_$n \$(batch $n edit)\""
	done
done
for n in $SIZES; do
	eval "r1_$n=\$(requests $n)"
	eval "f_$n=\$(grep -o 'LVS flush: .* in [0-9]* ms' \"\$T/log$n\" | tail -n $((ROUNDS * BATCH)) |
		sed 's/.* in \([0-9]*\) ms\$/\1/' | tr '\n' ' ')"
	"$SOFTLB" -s "$T/s$n.sock" -c 'write memory' >/dev/null
done
for r in $(seq "$ROUNDS"); do
	for n in $SIZES; do
		eval "rl_$n=\"\$rl_$n \$(batch $n reload)\""
	done
	[ -n "$KPID" ] && k="$k $(ka_reload)"
done
for n in $SIZES; do
	eval "e=\$e_$n rl=\$rl_$n f=\$f_$n r0=\$r0_$n r1=\$r1_$n"
	echo "$n x 4: weight edit $(st_summary $e) ms; no-change reload $(st_summary $rl) ms"
	[ -n "$r0" ] && echo "        netlink requests per edit: $(ratio $((r1 - r0)) $((ROUNDS * BATCH))); the LVS flush of an edit: $(st_summary $f) ms wall"
done
set -- $SIZES
if [ -n "$KPID" ]; then
	eval "rb=\$rl_$KN"
	echo "$KN x 4: keepalived SIGHUP reload $(st_summary $k) ms (its processes' CPU)"
fi
if [ $# -ge 2 ]; then
	small=$1 big=$2
	eval "es=\$e_$small eb=\$e_$big rb=\$rl_$big"
	echo "ratio ($where): weight edit at $big / at $small: $(st_ratio "$eb" "$es") (target <= 2)"
	st_row "weight edit ($where), $big x 4 against $small x 4, ms" "$(st_summary $eb)" \
		"softlbd at $small x 4 $(st_summary $es)" "$(st_ratio "$eb" "$es")" "target <= 2" "-"
fi
if [ -n "$KPID" ]; then
	echo "ratio ($where): no-change reload at $KN, softlbd / keepalived SIGHUP: $(st_ratio "$(eval "echo \$rl_$KN")" "$k") (target <= 0.5)"
	st_row "no-change reload ($where), $KN x 4, ms CPU" "$(st_summary $(eval "echo \$rl_$KN"))" \
		"keepalived SIGHUP $(st_summary $k)" "$(st_ratio "$(eval "echo \$rl_$KN")" "$k")" "target <= 0.5" "-"
fi
exit 0
