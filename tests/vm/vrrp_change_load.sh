#!/bin/sh
# vrrp_change_load.sh: the VRRP timing lab on a real kernel with IPVS.
# Boots the VM and runs tests/integration/vrrp_change_load.sh inside it:
# two softlbd in two namespaces (VRRPv3, advert_int 0.1), the master
# holding 10,000 x 4 services programmed into IPVS, takes a reload that
# changes 1,000 of them, ten shell edits and 50 drains/restores; the
# backup must never leave BACKUP, and the largest advert gap on the wire
# is printed against 1.5 x the interval. In the VM the script also
# checks the kernel: ipvsadm -Ln shows each change, and one weight typed
# in the shell costs 3 netlink requests.
#
# By hand or from the VM harness, not from `make check`: with a release
# build it takes a few minutes of emulated CPU (the master's start
# programs 40,000 real servers). Build without sanitizers:
#
#   top_builddir=BUILD top_srcdir=SRC tests/vm/vrrp_change_load.sh
#
# SOFTLB_CHANGE_LOAD_SERVICES changes the size (default 10,000);
# SOFTLB_VM_SMP=2 gives the VM a second vCPU, so that tshark, ipvsadm and
# the shell do not all share the master's (README: the runs of
# 2026-12-05 with one and two vCPUs).
# Exit: 0 pass, 77 skip (only when the VM cannot be set up), 1 fail,
# 99 harness error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:-$(cd "$here/../.." && pwd)}
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_builddir top_srcdir

if [ ! -x "$top_builddir/softlbd" ] || [ ! -x "$top_builddir/softlb" ]; then
	echo "ERROR: softlbd and softlb are not built in $top_builddir"
	exit 99
fi
if grep -q __asan_init "$top_builddir/softlbd" 2>/dev/null; then
	echo "note: a sanitizer build; its timings say little (use a build without --enable-sanitizers)"
fi
out=$("$here/setup") || { rc=$?; echo "SKIP: ${out:-vm setup failed}"; [ $rc = 77 ] && exit 77; exit 99; }

# The master's start under emulation takes minutes: wait up to 5.
SOFTLB_CHANGE_LOAD_START_WAIT=${SOFTLB_CHANGE_LOAD_START_WAIT:-3000}
export SOFTLB_CHANGE_LOAD_START_WAIT
start=$(date +%s)
"$here/run-in-vm" --timeout "${SOFTLB_VM_TIMEOUT:-1800}" -- sh -c '
modprobe ip_vs || { echo "FAIL: modprobe ip_vs"; exit 1; }
sh "$top_srcdir/tests/integration/vrrp_change_load.sh"'
rc=$?
echo "vrrp_change_load.sh (VM): took $(($(date +%s) - start)) s, exit $rc"
case $rc in
0|1|77|99) exit $rc ;;
*) exit 1 ;;
esac
