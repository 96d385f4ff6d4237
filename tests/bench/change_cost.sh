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
# What is measured is softlbd's own CPU time (utime + stime from
# /proc/PID/stat, the thread that sends VRRP adverts included) around each
# change, not the shell's or the wall clock: one weight typed in the shell
# (alternating 2 and 3, so each is a change) and one reload with nothing
# changed. /proc counts in clock ticks (10 ms), so changes are timed in
# batches of BATCH (default 20) and each batch's mean is one sample; the
# median of ROUNDS (default 5) samples is reported. Targets (issue 11): the
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
HZ=$(getconf CLK_TCK)

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
SPID=
KPID=
cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	[ -n "$KPID" ] && kill "$KPID" 2>/dev/null
	[ "$where" = vm ] && ipvsadm -C 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
if [ "$where" = vm ]; then
	modprobe ip_vs || exit 1
	ipvsadm -C
fi

# cpu PID...: the processes' utime + stime, in ticks.
cpu() {
	t=0
	for p in "$@"; do
		v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || v=0
		t=$((t + ${v:-0}))
	done
	echo "$t"
}
ms() { awk -v t="$1" -v n="$2" -v hz="$HZ" 'BEGIN { printf "%.2f", t * 1000 / hz / n }'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
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

# rounds WHAT COMMAND...: ROUNDS batches of BATCH runs of COMMAND, the
# daemon's CPU per run of each batch (ms); prints the median.
rounds() {
	what=$1
	shift
	samples=
	for _ in $(seq "$ROUNDS"); do
		c0=$(cpu "$SPID")
		for _ in $(seq "$BATCH"); do
			"$@" >/dev/null 2>&1 || echo "note: $what failed" >&2
		done
		c1=$(cpu "$SPID")
		samples="$samples $(ms $((c1 - c0)) "$BATCH")"
	done
	echo "$samples" | median
}
EDITS=0
edit() {	# weight 2, 3, 2, ... on one real server: every edit a change
	EDITS=$((EDITS + 1))
	"$SOFTLB" -s "$T/s.sock" -c configure -c "virtual-server 192.0.2.1:1050 tcp" \
		-c "real-server 198.51.100.2:80 weight $((2 + EDITS % 2))" -c end
}
reload() { "$SOFTLB" -s "$T/s.sock" -c reload; }

echo "== change_cost ($where): softlbd CPU per change, median of $ROUNDS batches of $BATCH"
for n in $SIZES; do
	conf "$n" "$T/ka.conf"
	: >"$T/haproxy.cfg"
	# -v: the LVS engine logs each flush's own time (its share of a
	# change; the rest is the configuration path and the other engines).
	"$SOFTLBD" -n -l -v -S "$T/s.sock" --pidfile "$T/p.pid" -f "$T/ka.conf" -p "$T/haproxy.cfg" \
		--lvs-reconcile-interval 3600 >"$T/log" 2>&1 &
	SPID=$!
	for _ in $(seq 3000); do
		"$SOFTLB" -s "$T/s.sock" -c 'show version' >/dev/null 2>&1 && break
		sleep 0.1
	done
	# One edit first, then save: every reload after finds nothing to do.
	edit >/dev/null
	"$SOFTLB" -s "$T/s.sock" -c 'write memory' >/dev/null
	r0=$("$SOFTLB" -s "$T/s.sock" -c 'show status' | sed -n 's/.* \([0-9][0-9]*\) requests,.*/\1/p')
	e=$(rounds edit edit)
	f=$(grep -o 'LVS flush: .* in [0-9]* ms' "$T/log" | tail -n $((ROUNDS * BATCH)) |
		sed 's/.* in \([0-9]*\) ms$/\1/' | tr '\n' ' ' | median)
	r1=$("$SOFTLB" -s "$T/s.sock" -c 'show status' | sed -n 's/.* \([0-9][0-9]*\) requests,.*/\1/p')
	"$SOFTLB" -s "$T/s.sock" -c 'write memory' >/dev/null
	r=$(rounds reload reload)
	echo "$n x 4: weight edit ${e} ms, no-change reload ${r} ms" \
		"${r0:+(netlink requests per edit: $(ratio $((r1 - r0)) $((ROUNDS * BATCH))); the LVS flush of an edit: ${f:-?} ms wall, median)}"
	eval "edit_$n=$e reload_$n=$r"
	kill "$SPID" && wait "$SPID" 2>/dev/null
	SPID=
	if [ "$where" = vm ] && command -v keepalived >/dev/null 2>&1; then
		# keepalived's checker (LVS only, -C), its SIGHUP reload of the
		# same file, until its processes stop using CPU (polled every
		# 0.5 s: a reload's time is rounded up by that much at most).
		ipvsadm -C
		keepalived -n -C -f "$T/ka.conf" -p "$T/k.pid" -c "$T/kc.pid" >"$T/klog" 2>&1 &
		KPID=$!
		want=$((n * 4))
		for _ in $(seq 6000); do
			[ "$(ipvsadm -Ln | grep -c -- '->.*Masq')" -ge "$want" ] && break
			sleep 0.5
		done
		samples=
		for _ in $(seq "$ROUNDS"); do
			pids=$(pgrep -x keepalived | tr '\n' ' ')
			# shellcheck disable=SC2086
			c0=$(cpu $pids)
			kill -HUP "$KPID"
			sleep 0.5
			# shellcheck disable=SC2086
			prev=-1 cur=$(cpu $pids)
			while [ "$cur" != "$prev" ]; do
				sleep 0.5
				pids=$(pgrep -x keepalived | tr '\n' ' ')
				prev=$cur
				# shellcheck disable=SC2086
				cur=$(cpu $pids)
			done
			samples="$samples $(ms $((cur - c0)) 1)"
		done
		k=$(echo "$samples" | median)
		echo "$n x 4: keepalived SIGHUP reload ${k} ms (its processes' CPU)"
		eval "ka_$n=$k"
		kill "$KPID" 2>/dev/null
		wait "$KPID" 2>/dev/null
		KPID=
		ipvsadm -C
	fi
done
set -- $SIZES
if [ $# -ge 2 ]; then
	small=$1 big=$2
	eval "es=\$edit_$small eb=\$edit_$big rb=\$reload_$big"
	echo "ratio ($where): weight edit at $big / at $small = $(ratio "$eb" "$es") (target <= 2)"
	eval "kb=\${ka_$big:-}"
	[ -n "$kb" ] && echo "ratio ($where): no-change reload at $big, softlbd / keepalived SIGHUP = $(ratio "$rb" "$kb") (target <= 0.5)"
fi
exit 0
