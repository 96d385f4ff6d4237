#!/bin/sh
# lvs_program.sh: programming and listing IPVS at scale, softlbd against
# ipvsadm -R and keepalived, side by side in one VM run. A benchmark, not a
# test: it reports ratios and never fails on a timing. Build without
# sanitizers for numbers worth quoting (ASan slows softlbd several times).
#
#   top_builddir=BUILD top_srcdir=SRC tests/bench/lvs_program.sh [N...]
#
# Default sizes: 1000 and 10000 services, 4 real servers each.
#
# The kernel's floor is measured too: tests/vm/ipvs_floor (built by make
# check) sends the same table through backend/lvs's batches with nothing
# else around them, then lists it as show lvs does. No tool can program
# or list that table faster than that in this kernel.
#
# softlbd is started as a daemon: it returns once it is up, and it
# programs the whole table before that, so its wall time is the time to
# program (no polling beside it on the VM's single CPU). keepalived has no
# such signal: it is polled with ipvsadm until the last real server is
# there, every 0.2 s (its time is rounded up by that much).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_builddir top_srcdir
if [ "${SOFTLB_VM:-}" != 1 ]; then
	out=$("$top_srcdir/tests/vm/setup") || { echo "SKIP: ${out:-vm setup failed}"; exit 77; }
	SOFTLB_BENCH_SIZES="${*:-1000 10000}" exec "$top_srcdir/tests/vm/run-in-vm" --timeout 3000 \
		-- sh "$here/lvs_program.sh"
fi

# Inside the VM from here on.
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
# Each tool starts on a fresh IPVS: a flush leaves every deleted real
# server in the kernel's dest_trash for up to two minutes, and every
# later add searches that list, so whoever ran after a flush of 40,000
# real servers paid a hundred times more (ipvsadm ran first, on a clean
# table). Reloading the modules empties it.
fresh() {
	ipvsadm -C
	modprobe -r ip_vs_wrr ip_vs 2>/dev/null
	modprobe ip_vs && modprobe ip_vs_wrr
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
for n in ${SOFTLB_BENCH_SIZES:-1000 10000}; do
	echo "== $n services x 4 real servers"
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

	# ipvsadm -R
	fresh
	t0=$(now); ipvsadm -R <"$T/rules"; t1=$(now)
	ipvsadm_prog=$(secs "$t0" "$t1")
	t0=$(now); ipvsadm -Ln >"$T/ipvsadm.out"; t1=$(now)
	ipvsadm_list=$(secs "$t0" "$t1")

	# The floor: the batched writes alone, then the dumps show lvs makes.
	floor="not measured (make check builds tests/vm/ipvs_floor)"
	if [ -x "$top_builddir/tests/vm/ipvs_floor" ]; then
		fresh
		floor=$("$top_builddir/tests/vm/ipvs_floor" "$n" 2>&1 | sed -n 's/^floor: //p')
	fi

	# softlbd
	fresh
	t0=$(now)
	s0=$t0
	"$top_builddir/softlbd" -l -S "$T/s.sock" --pidfile "$T/p.pid" -f "$T/ka.conf" \
		>"$T/log" 2>&1 || { echo "softlbd did not start:"; cat "$T/log"; exit 1; }
	t1=$(now)
	SPID=$(cat "$T/p.pid")
	softlbd_prog=$(secs "$t0" "$t1")
	got=$(ipvsadm -Ln | grep -c '^TCP')
	# Both listings run warm: ipvsadm's binary was just read (over 9p,
	# slow under TCG) by the calls above, softlb's is read here once.
	"$top_builddir/softlb" -s "$T/s.sock" -c 'show version' >/dev/null
	t0=$(now); "$top_builddir/softlb" -s "$T/s.sock" -c 'show lvs' >"$T/softlb.out"; t1=$(now)
	softlb_list=$(secs "$t0" "$t1")
	same=no
	cmp -s "$T/ipvsadm.out" "$T/softlb.out" && same=yes
	t0=$(now); "$top_builddir/softlbd" -t -f "$T/ka.conf" >/dev/null 2>&1; t1=$(now)
	parse=$(secs "$t0" "$t1")
	kill "$SPID"; SPID=
	if [ -n "${SOFTLB_BENCH_VERBOSE:-}" ]; then
		echo "softlbd started at $(date -d @"${s0%.*}" +%T).${s0#*.}"
		head -n 3 "$T/log"; grep -E "LVS: IPVS|listening|ready" "$T/log"; tail -n 2 "$T/log"
	fi
	sleep 1

	# keepalived (its checker process programs IPVS)
	fresh
	kal=-
	if command -v keepalived >/dev/null 2>&1; then
		t0=$(now)
		keepalived -n -C -f "$T/ka.conf" -p "$T/k.pid" -c "$T/kc.pid" >"$T/klog" 2>&1 &
		KPID=$!
		i=0
		until ipvsadm -Ln -t "$last" 2>/dev/null | grep -q '192.0.2.4:80'; do
			i=$((i + 1))
			[ $i -lt 3000 ] && kill -0 $KPID 2>/dev/null || break
			sleep 0.2
		done
		t1=$(now)
		kal=$(secs "$t0" "$t1")
		kill $KPID; wait $KPID 2>/dev/null; KPID=
	fi

	echo "programming: ipvsadm -R ${ipvsadm_prog}s, softlbd start ${softlbd_prog}s (of which softlbd -t, parsing alone, ${parse}s), keepalived ${kal}s"
	echo "             ratio softlbd/ipvsadm $(ratio "$softlbd_prog" "$ipvsadm_prog"), softlbd/keepalived $(ratio "$softlbd_prog" "$kal"); $got services in the kernel"
	echo "listing:     ipvsadm -Ln ${ipvsadm_list}s, softlb -c 'show lvs' ${softlb_list}s" \
		"(ratio $(ratio "$softlb_list" "$ipvsadm_list"); identical output: $same)"
	fp=$(echo "$floor" | sed -n 's/.* sends \([0-9.]*\) s .*/\1/p')
	echo "floor:       ${floor:-failed}${fp:+ (programming floor / ipvsadm -R $(ratio "$fp" "$ipvsadm_prog"))}"
	ipvsadm -C
done
