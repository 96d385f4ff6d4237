#!/bin/sh
# ipvs.sh: runs the already-built tests/vm/ipvs_test inside the VM, where
# Debian's kernel has IPVS: the IPVS netlink library (backend/lvs) is
# programmed and cross-checked against ipvsadm on a real kernel.
# Exit: 0 pass, 77 skip (only when the VM cannot be set up), 1 fail,
# 99 harness error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
builddir=${top_builddir:-$(cd "$here/../.." && pwd)}
bin=$builddir/tests/vm/ipvs_test

if [ ! -x "$bin" ]; then
	echo "ERROR: $bin is not built (make check builds it)"
	exit 99
fi
out=$("$here/setup") || { rc=$?; echo "SKIP: ${out:-vm setup failed}"; [ $rc = 77 ] && exit 77; exit 99; }

start=$(date +%s)
# The binary is run by its absolute path: the guest sees the host's
# filesystem at the same paths (read-only, with a throw-away overlay).
case "$bin" in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
"$here/run-in-vm" --timeout "${SOFTLB_VM_TIMEOUT:-600}" -- "$bin"
rc=$?
echo "ipvs.sh: VM run took $(($(date +%s) - start)) s, exit $rc"
case $rc in
0|1|77|99) exit $rc ;;
*) exit 1 ;;
esac
