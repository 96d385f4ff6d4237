#!/bin/sh
# tui_scale.sh: watching 10,000 rows. Boots the VM (real IPVS; see
# ../shared/TESTING.md and tests/vm) and runs tui_scale_guest.sh in it:
# softlbd with 10,000 LVS real servers (100 services of 100) and 10,000
# proxy servers (1,000 proxies of 10), then, one after the other over the
# same time each, softlbtop at a 1 s refresh on the LVS screen, softlbtop
# on the proxy screen, and `watch -n1 ipvsadm -Ln --rate` on the same
# IPVS table: the CPU of each watcher and of softlbd serving it, and the
# ratios. A benchmark, run by hand as root on a build without sanitizers;
# it prints numbers and never fails on a timing.
#
#   top_builddir=BUILD tests/bench/tui_scale.sh [SECONDS]
#
# SECONDS each phase lasts (default 20; SOFTLB_BENCH_SECS=60 or 60 here
# for the issue's full minute); SOFTLB_BENCH_ROUNDS rounds (default 3) of
# the four phases (softlbd idle, the two softlbtop screens, watch), in an
# order that rotates each round; medians and ranges (stats_lib.sh). The VM runs under qemu's TCG (no KVM):
# every figure is that of an emulated CPU, several times the host's;
# compare the ratios, which were measured side by side in the same VM.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:?set top_builddir to the build directory}
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_builddir top_srcdir
SOFTLB_BENCH_SECS=${1:-${SOFTLB_BENCH_SECS:-20}}
export SOFTLB_BENCH_SECS
for b in softlbd softlb softlbtop; do
	[ -x "$top_builddir/$b" ] || { echo "ERROR: $b is not built in $top_builddir"; exit 99; }
done
out=$("$top_srcdir/tests/vm/setup") || { rc=$?; echo "SKIP: ${out:-vm setup failed}"; [ $rc = 77 ] && exit 77; exit 99; }
# Five phases of SECS, the start of 10,000 real servers under TCG, and room.
"$top_srcdir/tests/vm/run-in-vm" --timeout $((SOFTLB_BENCH_SECS * 5 * ${SOFTLB_BENCH_ROUNDS:-3} + 600)) -- \
	sh "$here/tui_scale_guest.sh"
