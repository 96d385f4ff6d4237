#!/bin/sh
# lvs_program.sh: programming and listing IPVS at scale, softlbd against
# ipvsadm -R and keepalived, beside the kernel's floor, interleaved in one
# VM run. A benchmark, not a test: it reports medians, ranges and ratios
# and never fails on a timing. Build without sanitizers for numbers worth
# quoting (ASan slows softlbd several times).
#
#   top_builddir=BUILD top_srcdir=SRC tests/bench/lvs_program.sh [N...]
#
# Default sizes: 1000 and 10000 services, 4 real servers each. Each size
# runs SOFTLB_BENCH_REPS (default 3) rounds; a round runs each tool once,
# in an order that rotates from round to round, each on a fresh IPVS (the
# modules are reloaded: a flush leaves every deleted real server in the
# kernel's dest_trash for two minutes, and each later add searches it).
# Figures are medians over the rounds with their range and n; ratios are
# over the rounds' pairs.
#
# The bound: tests/vm/ipvs_floor (built by make check, or `make
# tests/vm/ipvs_floor`) sends the same table through backend/lvs's batches
# with nothing else around them, then lists it with the dumps show lvs
# makes. No tool can program or list that table faster in this kernel: a
# tool that does is said to, and the floor is then wrong.
#
# When each clock stops:
# - ipvsadm -R: when it exits; the whole table is then compared.
# - softlbd: when the daemon's start returns (it programs the whole table
#   before); the whole table (ipvsadm -Sn, sorted) is compared with
#   ipvsadm -R's at that moment, and the script says if it differed.
# - keepalived: it has no such signal. The last real server of the last
#   service is asked for (one small get, not a dump) every 0.05 s; once
#   it is there the whole table is compared, and polled again every 0.2 s
#   until it matches. Its time is late by up to one poll (printed), and
#   the polls take some of the VM's one vCPU from it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_builddir top_srcdir
if [ "${SOFTLB_VM:-}" != 1 ]; then
	out=$("$top_srcdir/tests/vm/setup") || { echo "SKIP: ${out:-vm setup failed}"; exit 77; }
	SOFTLB_BENCH_SIZES="${*:-1000 10000}" SOFTLB_BENCH_REPS="${SOFTLB_BENCH_REPS:-3}" \
		exec "$top_srcdir/tests/vm/run-in-vm" --timeout "${SOFTLB_BENCH_TIMEOUT:-5400}" \
		-- sh "$here/lvs_program.sh"
fi

# Inside the VM from here on.
. "$here/stats_lib.sh"
REPS=${SOFTLB_BENCH_REPS:-3}
modprobe ip_vs || exit 1
modprobe ip_vs_wrr || exit 1
T=$(mktemp -d /tmp/lvs-bench.XXXXXX)
KPID=
SPID=
cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null
	[ -n "$KPID" ] && kill "$KPID" 2>/dev/null
	ipvsadm -C 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fresh() {
	ipvsadm -C
	modprobe -r ip_vs_wrr ip_vs 2>/dev/null
	modprobe ip_vs && modprobe ip_vs_wrr
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# table: the kernel's whole table, sorted (ipvsadm -Sn's rules).
table() { ipvsadm -Sn | sort; }
whole_table() { table >"$T/now.tab"; cmp -s "$T/ref.tab" "$T/now.tab"; }
FLOOR=$top_builddir/tests/vm/ipvs_floor
[ -x "$FLOOR" ] || echo "note: no $FLOOR (make check, or make tests/vm/ipvs_floor, builds it): no bound"

run_ipvsadm() {
	fresh
	t0=$(now); ipvsadm -R <"$T/rules"; t1=$(now)
	i_prog="$i_prog $(secs "$t0" "$t1")"
	t0=$(now); ipvsadm -Ln >"$T/ipvsadm.out"; t1=$(now)
	i_list="$i_list $(secs "$t0" "$t1")"
	table >"$T/ref.tab"
	[ "$(grep -c '^-a' "$T/ref.tab")" -eq $((n * 4)) ] ||
		echo "note: ipvsadm -R left $(grep -c '^-a' "$T/ref.tab") real servers, not $((n * 4))"
}
run_floor() {
	if [ ! -x "$FLOOR" ]; then
		f_prog="$f_prog -" f_list="$f_list -"
		return
	fi
	fresh
	fl=$("$FLOOR" "$n" 2>&1 | sed -n 's/^floor: //p')
	f_prog="$f_prog $(echo "$fl" | sed -n 's/.* sends \([0-9.]*\) s .*/\1/p')"
	f_list="$f_list $(echo "$fl" | sed -n 's/.* real servers \([0-9.]*\) s$/\1/p')"
	[ -n "$fl" ] || f_prog="$f_prog -" f_list="$f_list -"
}
run_softlbd() {
	fresh
	t0=$(now)
	"$top_builddir/softlbd" -l -S "$T/s.sock" --pidfile "$T/p.pid" -f "$T/ka.conf" \
		>"$T/log" 2>&1 || { echo "softlbd did not start:"; cat "$T/log"; exit 1; }
	t1=$(now)
	# The clock has stopped: is the whole table there?
	if whole_table; then s_whole=$((s_whole + 1)); else s_short="$s_short $(($(grep -c '^-a' "$T/now.tab")))"; fi
	SPID=$(cat "$T/p.pid")
	s_prog="$s_prog $(secs "$t0" "$t1")"
	# Both listings run warm: ipvsadm's binary was read (over 9p, slow
	# under TCG) before its listing was timed, softlb's is read here once.
	"$top_builddir/softlb" -s "$T/s.sock" -c 'show version' >/dev/null
	t0=$(now); "$top_builddir/softlb" -s "$T/s.sock" -c 'show lvs' >"$T/softlb.out"; t1=$(now)
	s_list="$s_list $(secs "$t0" "$t1")"
	if [ -s "$T/ipvsadm.out" ]; then
		cmp -s "$T/ipvsadm.out" "$T/softlb.out" && same_y=$((same_y + 1)) || same_n=$((same_n + 1))
	fi
	kill "$SPID"
	i=0
	while kill -0 "$SPID" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$SPID" 2>/dev/null
	SPID=
}
run_keepalived() {
	if ! command -v keepalived >/dev/null 2>&1; then
		k_prog="$k_prog -"
		return
	fi
	fresh
	t0=$(now)
	keepalived -n -C -f "$T/ka.conf" -p "$T/k.pid" -c "$T/kc.pid" >"$T/klog" 2>&1 &
	KPID=$!
	t1=-
	i=0
	while [ "$i" -lt 12000 ] && kill -0 "$KPID" 2>/dev/null; do
		if ipvsadm -Ln -t "$last" 2>/dev/null | grep -q '192.0.2.4:80'; then
			t=$(now)
			if whole_table; then t1=$t; break; fi
			sleep 0.2
		else
			sleep 0.05
		fi
		i=$((i + 1))
	done
	[ "$t1" = - ] && echo "note: keepalived's table never matched ipvsadm -R's"
	[ "$t1" = - ] && k_prog="$k_prog -" || k_prog="$k_prog $(secs "$t0" "$t1")"
	kill "$KPID"; wait "$KPID" 2>/dev/null; KPID=
	rm -f "$T/k.pid" "$T/kc.pid"
}

echo "figures: median [min..max] n=rounds, seconds; ratios over the rounds' pairs; $REPS rounds, the order rotating"
for n in ${SOFTLB_BENCH_SIZES:-1000 10000}; do
	# The same table, as keepalived.conf and as ipvsadm -R input; the
	# addresses exist only in this VM.
	awk -v n="$n" 'BEGIN {
		for (i = 0; i < n; i++) {
			vip = sprintf("10.%d.%d.%d", 100 + int(i / 65536), int(i / 256) % 256, i % 256)
			printf "virtual_server %s 80 {\n    lb_algo wrr\n    lb_kind DR\n    protocol TCP\n", vip
			for (r = 1; r <= 4; r++)
				printf "    real_server 192.0.2.%d 80 {\n        weight %d\n    }\n", r, r
			printf "}\n"
			printf "-A -t %s:80 -s wrr\n", vip > "/dev/stderr"
			for (r = 1; r <= 4; r++)
				printf "-a -t %s:80 -r 192.0.2.%d:80 -g -w %d\n", vip, r, r > "/dev/stderr"
		}
	}' >"$T/ka.conf" 2>"$T/rules"
	last=$(awk -v n="$n" 'BEGIN { i = n - 1; printf "10.%d.%d.%d:80", 100 + int(i / 65536), int(i / 256) % 256, i % 256 }')
	i_prog='' i_list='' f_prog='' f_list='' s_prog='' s_list='' k_prog=''
	s_whole=0 s_short= same_y=0 same_n=0
	# ipvsadm's table is the reference the others are compared with:
	# the first round starts with it.
	rm -f "$T/ipvsadm.out"
	r=0
	while [ "$r" -lt "$REPS" ]; do
		case $((r % 4)) in
		0) order="ipvsadm floor softlbd keepalived" ;;
		1) order="floor softlbd keepalived ipvsadm" ;;
		2) order="softlbd keepalived ipvsadm floor" ;;
		*) order="keepalived ipvsadm floor softlbd" ;;
		esac
		for tool in $order; do
			"run_$tool"
		done
		r=$((r + 1))
	done
	ipvsadm -C

	echo "== $n services x 4 real servers ($((n * 5)) objects)"
	echo "programming: ipvsadm -R  $(st_summary $i_prog)"
	echo "             softlbd     $(st_summary $s_prog) (start returned; whole table there: $s_whole of $REPS${s_short:+; short:$s_short real servers})"
	echo "             keepalived  $(st_summary $k_prog) (late by up to 0.05 s, whole table compared)"
	echo "             floor       $(st_summary $f_prog) (backend/lvs's batches alone)"
	echo "             ratio softlbd/ipvsadm $(st_ratio "$s_prog" "$i_prog"), softlbd/keepalived $(st_ratio "$s_prog" "$k_prog")"
	echo "             ratio softlbd/floor $(st_ratio "$s_prog" "$f_prog"), keepalived/floor $(st_ratio "$k_prog" "$f_prog"), ipvsadm/floor $(st_ratio "$i_prog" "$f_prog")"
	echo "listing:     ipvsadm -Ln $(st_summary $i_list)"
	echo "             show lvs    $(st_summary $s_list) (output identical to ipvsadm -Ln: $same_y of $((same_y + same_n)))"
	echo "             floor       $(st_summary $f_list) (the dumps alone)"
	echo "             ratio show lvs/ipvsadm -Ln $(st_ratio "$s_list" "$i_list"), show lvs/floor $(st_ratio "$s_list" "$f_list")"
	# A median under every floor round: the floor is wrong. Under the
	# floor's median only: within the floor's own spread, said as such.
	fp=$(st_clean $f_prog | sort -g | head -n 1)
	fl=$(st_clean $f_list | sort -g | head -n 1)
	fpm=$(st_median $f_prog)
	flm=$(st_median $f_list)
	for pair in "softlbd:$(st_median $s_prog):$fp:$fpm:programming" \
		"keepalived:$(st_median $k_prog):$fp:$fpm:programming" \
		"ipvsadm:$(st_median $i_prog):$fp:$fpm:programming" \
		"show-lvs:$(st_median $s_list):$fl:$flm:listing" \
		"ipvsadm-Ln:$(st_median $i_list):$fl:$flm:listing"; do
		IFS=: read -r who m f fm what <<EOP
$pair
EOP
		if awk -v m="$m" -v f="$f" 'BEGIN { exit !(m != "-" && f != "" && f != "-" && m < f) }'; then
			echo "NOTE: $who's median $what ($m s) is under every floor round (least $f s): the floor is wrong"
		elif awk -v m="$m" -v f="$fm" 'BEGIN { exit !(m != "-" && f != "" && f != "-" && m < f) }'; then
			echo "note: $who's median $what ($m s) is under the floor's median ($fm s), within its range: the floor is too noisy here to bound it"
		fi
	done
	st_row "IPVS programming, $n x 4, s" "$(st_summary $s_prog)" "ipvsadm -R $(st_summary $i_prog)" \
		"$(st_ratio "$s_prog" "$i_prog")" "floor $(st_summary $f_prog)" "softlbd/floor $(st_ratio "$s_prog" "$f_prog")"
	st_row "IPVS programming, $n x 4, s" "$(st_summary $s_prog)" "keepalived $(st_summary $k_prog)" \
		"$(st_ratio "$s_prog" "$k_prog")" "floor $(st_summary $f_prog)" "keepalived/floor $(st_ratio "$k_prog" "$f_prog")"
	st_row "IPVS listing, $n x 4, s" "$(st_summary $s_list)" "ipvsadm -Ln $(st_summary $i_list)" \
		"$(st_ratio "$s_list" "$i_list")" "floor $(st_summary $f_list)" "show lvs/floor $(st_ratio "$s_list" "$f_list")"
done
