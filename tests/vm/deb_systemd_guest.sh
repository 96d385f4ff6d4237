#!/bin/sh
# In the VM (tests/vm/run-in-vm), from tests/integration/deb_package.sh:
# installs the .deb in the VM's throw-away root, runs systemd as PID 1 of
# a PID namespace (a container, as far as systemd is concerned), and
# drives softlbd.service through systemctl there (deb_systemd_steps.sh).
# Prints the steps' ok:/FAIL: lines; exits 0 when every step passed.
#
#   deb_systemd_guest.sh DEB
set -u
DEB=$1
HERE=$(cd "$(dirname "$0")" && pwd)
LOG=/var/tmp/softlb-systemd.log

[ "${SOFTLB_VM:-}" = 1 ] || { echo "deb_systemd_guest.sh runs only inside the VM"; exit 99; }
mkdir -p /sys/fs/cgroup
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup ||
	{ echo "FAIL: cannot mount cgroup2 in the VM"; exit 1; }
# man-db's trigger would rebuild the whole index under TCG: minutes.
# Debian's own switch for it (the VM's root is thrown away anyway).
rm -f /var/lib/man-db/auto-update
echo "vm: installing $(basename "$DEB")"
if ! DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" >/var/tmp/dpkg.log 2>&1; then
	echo "FAIL: dpkg -i in the VM"
	cat /var/tmp/dpkg.log
	exit 1
fi
cp "$HERE/deb_systemd_steps.sh" /usr/local/sbin/softlb-vmtest-steps
cat >/etc/systemd/system/softlb-vmtest.service <<'UNIT'
[Unit]
Description=softlb test: drive softlbd.service through systemctl
[Service]
Type=oneshot
ExecStart=/bin/sh /usr/local/sbin/softlb-vmtest-steps
StandardOutput=file:/var/tmp/softlb-systemd.log
StandardError=inherit
UNIT
: >"$LOG"
echo "vm: starting systemd"
# The steps end the container themselves (systemctl exit); timeout(1)
# bounds it if they cannot.
timeout -k 5 300 unshare --pid --fork --mount --mount-proc \
	env container=softlb-vm /lib/systemd/systemd --system \
	--unit=softlb-vmtest.service --log-target=null --show-status=no >/dev/null 2>&1
echo "systemd (PID 1 of the container) exited with status $?"
cat "$LOG"
grep -q '^FAIL' "$LOG" && exit 1
grep -q '^ok: every step ran' "$LOG" || { echo "FAIL: the steps did not finish"; exit 1; }
exit 0
