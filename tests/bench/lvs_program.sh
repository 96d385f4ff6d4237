#!/bin/sh
# lvs_program.sh: programming and listing IPVS at scale, softlbd against
# ipvsadm -R, side by side in one VM run. A benchmark, not a test: it
# reports ratios and never fails on a timing. Build without sanitizers for
# numbers worth quoting (ASan slows softlbd several times).
#
#   top_builddir=BUILD top_srcdir=SRC tests/bench/lvs_program.sh [N...]
#
# Default sizes: 1000 and 10000 services, 4 real servers each.
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
T=$(mktemp -d /tmp/lvs-bench.XXXXXX)
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | awk '{ printf "%.3f", $1 }'; }
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
	ipvsadm -C
	t0=$(now); ipvsadm -R <"$T/rules"; t1=$(now)
	ipvsadm_prog=$(secs "$t0" "$t1")
	t0=$(now); ipvsadm -Ln >/dev/null; t1=$(now)
	ipvsadm_list=$(secs "$t0" "$t1")
	ipvsadm -C
	t0=$(now)
	"$top_builddir/softlbd" -n -l -S "$T/s.sock" --pidfile "$T/p.pid" -f "$T/ka.conf" \
		>"$T/log" 2>&1 &
	pid=$!
	# softlbd programs the whole table before it opens its socket.
	until "$top_builddir/softlb" -s "$T/s.sock" -c 'show version' >/dev/null 2>&1; do
		kill -0 $pid 2>/dev/null || { cat "$T/log"; exit 1; }
		sleep 0.05
	done
	t1=$(now)
	softlbd_prog=$(secs "$t0" "$t1")
	got=$(ipvsadm -Ln | grep -c '^TCP')
	t0=$(now); "$top_builddir/softlb" -s "$T/s.sock" -c 'show lvs' >/dev/null; t1=$(now)
	softlb_list=$(secs "$t0" "$t1")
	kill $pid; wait $pid
	echo "programming: ipvsadm -R ${ipvsadm_prog}s, softlbd start ${softlbd_prog}s" \
		"(ratio softlbd/ipvsadm $(echo "$softlbd_prog / $ipvsadm_prog" | bc -l | awk '{ printf "%.2f", $1 }'); $got services in the kernel)"
	echo "listing:     ipvsadm -Ln ${ipvsadm_list}s, softlb -c 'show lvs' ${softlb_list}s" \
		"(ratio $(echo "$softlb_list / $ipvsadm_list" | bc -l | awk '{ printf "%.2f", $1 }'))"
	ipvsadm -C
done
rm -rf "$T"
