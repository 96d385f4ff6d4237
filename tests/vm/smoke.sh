#!/bin/sh
# smoke.sh: the VM harness boots Debian's kernel, `modprobe ip_vs` loads
# IPVS there, and ipvsadm sees the kernel's table. The same boot runs the
# unit suite sock_reuse on Debian's kernel: what the health checks' socket
# reuse takes from the kernel (the host's kernel is another version).
# Exit: 0 pass, 77 skip (setup impossible, said why), 1 fail, 99 harness error.
set -u
here=$(cd "$(dirname "$0")" && pwd)

out=$("$here/setup") || { rc=$?; echo "SKIP: ${out:-vm setup failed}"; [ $rc = 77 ] && exit 77; exit 99; }

log=$(mktemp /tmp/softlb-vm-smoke.XXXXXX) || exit 99
trap 'rm -f "$log"' EXIT
start=$(date +%s)
unit=${top_builddir:-$here/../..}/tests/unit/check_softlb
[ -x "$unit" ] || { echo "ERROR: $unit is not built"; exit 99; }
SOFTLB_VM_TIMING=1 "$here/run-in-vm" --timeout 300 -- sh -c \
	'modprobe ip_vs && ipvsadm -A -t 192.0.2.1:80 -s wlc && ipvsadm -Ln &&
	CK_RUN_SUITE=sock_reuse "$1"' _ "$unit" >"$log" 2>&1
rc=$?
cat "$log"
echo "smoke: VM round trip took $(($(date +%s) - start)) s"
case $rc in
0) ;;
77) exit 77 ;;
99) echo "FAIL: the VM never reported a status"; exit 99 ;;
*) echo "FAIL: guest command exited $rc"; exit 1 ;;
esac
for want in 'IP Virtual Server version [0-9.]* (size=[0-9]*)' \
    '^Prot LocalAddress:Port Scheduler Flags' \
    '^TCP  192\.0\.2\.1:80 wlc *$'; do
	if ! grep -q "$want" "$log"; then
		echo "FAIL: ipvsadm -Ln output lacks /$want/"
		exit 1
	fi
done
echo "ok: ip_vs loaded in the VM and ipvsadm lists the kernel table"
if ! grep -q '^100%: Checks: [1-9][0-9]*, Failures: 0, Errors: 0' "$log"; then
	echo "FAIL: the sock_reuse suite did not pass on Debian's kernel"
	exit 1
fi
echo "ok: TCP socket reuse behaves on Debian's kernel as the health checks expect"
exit 0
