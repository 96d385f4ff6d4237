#!/bin/sh
# lvs_engine.sh: the LVS engine on a real kernel. Boots the VM and runs
# lvs_engine_guest.sh inside it, where softlbd programs the seed's
# keepalived.conf into IPVS and is cross-checked against ipvsadm.
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
out=$("$here/setup") || { rc=$?; echo "SKIP: ${out:-vm setup failed}"; [ $rc = 77 ] && exit 77; exit 99; }

start=$(date +%s)
"$here/run-in-vm" --timeout "${SOFTLB_VM_TIMEOUT:-600}" -- sh "$here/lvs_engine_guest.sh"
rc=$?
echo "lvs_engine.sh: VM run took $(($(date +%s) - start)) s, exit $rc"
case $rc in
0|1|77|99) exit $rc ;;
*) exit 1 ;;
esac
