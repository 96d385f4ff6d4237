#!/bin/sh
# proxy_conns.sh: the seed's figure, 200,000 concurrent connections held
# through the proxy (mode tcp), on a real kernel where root can raise the
# file limits: boots the qemu VM (tests/vm/run-in-vm, 8 GiB) and runs
# proxy_conns_guest.sh in it. A benchmark, by hand, as root, on a build
# without sanitizers; it reports and never fails on a figure.
#
#   top_builddir=BUILD [top_srcdir=SRC] tests/bench/proxy_conns.sh [N] [PEERS]
#
# N: connections (default 200000); PEERS: "softlbd haproxy" (default) or
# one of them. Each peer in turn: a client namespace opens N connections
# from 4 source addresses, the proxy relays each to one of 4 server ports
# (50,000 per port, under one source address's 64k), a holder namespace
# accepts them all; once every one is established end to end, the
# proxy's sessions, RSS and descriptors are printed, per connection too.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:?set top_builddir to the build directory}
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_builddir top_srcdir
SOFTLB_BENCH_CONNS=${1:-${SOFTLB_BENCH_CONNS:-200000}}
SOFTLB_BENCH_PEERS=${2:-${SOFTLB_BENCH_PEERS:-softlbd haproxy}}
SOFTLB_BENCH_WAIT=${SOFTLB_BENCH_WAIT:-2400}
export SOFTLB_BENCH_CONNS SOFTLB_BENCH_PEERS SOFTLB_BENCH_WAIT
[ -x "$top_builddir/softlbd" ] || { echo "ERROR: softlbd is not built in $top_builddir"; exit 99; }
if nm "$top_builddir/softlbd" 2>/dev/null | grep -q __asan_init; then
	echo "note: this softlbd is built with ASan; its memory figures are several times too high"
fi
out=$("$top_srcdir/tests/vm/setup") || { rc=$?; echo "SKIP: ${out:-vm setup failed}"; [ $rc = 77 ] && exit 77; exit 99; }
SOFTLB_VM_MEM=${SOFTLB_VM_MEM:-8192} exec "$top_srcdir/tests/vm/run-in-vm" --timeout 5400 -- \
	sh "$here/proxy_conns_guest.sh"
