#!/bin/sh
# lvs_engine.sh: the LVS engine on a real kernel. Boots the VM once and
# runs the guest scripts inside it, one after the other:
# lvs_engine_guest.sh (the seed's keepalived.conf, adopt, repair, drain,
# health checks) and lvs_paths_guest.sh (DR / NAT / TUN traffic, every
# scheduler and flag, the sync daemon following VRRP, quorum) and
# lvs_sync_guest.sh (two directors in namespaces: a connection synced to
# the backup survives a VRRP failover); lvs_scale.sh runs
# lvs_scale_guest.sh (10,000 services x 4: one weight edit, one drain and
# a reload cost a handful of netlink requests, counted) in a VM of its
# own. Each is cross-checked against ipvsadm.
# SOFTLB_LVS_GUESTS picks some of them.
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
guests=
for g in ${SOFTLB_LVS_GUESTS:-lvs_engine_guest.sh lvs_paths_guest.sh lvs_sync_guest.sh}; do
	guests="$guests $here/$g"
done
# shellcheck disable=SC2086
"$here/run-in-vm" --timeout "${SOFTLB_VM_TIMEOUT:-900}" -- sh -c '
rc=0
for g in "$@"; do
	echo "=== $g"
	sh "$g"
	r=$?
	echo "=== $g: exit $r"
	[ $r -eq 0 ] || rc=$r
done
exit $rc' _ $guests
rc=$?
echo "lvs_engine.sh: VM run took $(($(date +%s) - start)) s, exit $rc"
case $rc in
0|1|77|99) exit $rc ;;
*) exit 1 ;;
esac
