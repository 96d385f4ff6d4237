#!/bin/sh
# The Debian package end to end: dpkg-buildpackage builds softlb's .deb
# from a copy of the source (the worktree stays clean), lintian finds no
# error, the man pages pass mandoc's and man's checks, dpkg -i installs it
# on this machine, the files land, the unit passes systemd-analyze verify
# and scores a lower exposure than keepalived's and haproxy's Debian units,
# the installed softlbd loads the shipped configuration and answers, the
# bash completion works against it, and dpkg --purge leaves nothing
# behind. Under systemd it also starts, reloads (a bad configuration must
# fail `systemctl reload`), kills (Restart=on-failure) and stops the
# service: here when systemd is PID 1, else in the VM of tests/vm.
. "${top_srcdir:?}/tests/integration/lib.sh"

# It installs softlb on this machine and purges it: tests beside it would
# see /etc/softlb and the softlb groups come and go (tests/subdir.am).
[ "${SOFTLB_DEB_ALONE:-}" = 1 ] ||
	skip "runs alone, after the other tests: make check-package (scripts/check does)"
[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
for tool in dpkg-buildpackage dh lintian mandoc man systemd-analyze bash; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip "$tool is missing (scripts/deps installs it)"
done
[ -f /usr/share/bash-completion/bash_completion ] ||
	skip "bash-completion is missing (scripts/deps installs it)"
if dpkg-query -W -f='${Status}' softlb 2>/dev/null | grep -q 'installed'; then
	skip "a softlb package is already installed here; this test will not replace it"
fi

# ------------------------------------------------------------------
# Build, from a copy of the source tree.

: >"$DAEMON_LOG"	# finish() shows it; this test's daemon logs elsewhere
SRC="$T/src/softlb"
mkdir -p "$SRC"
if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	# What git knows plus new files, never build products or .git.
	git -C "$top_srcdir" ls-files -z -co --exclude-standard |
		tar -C "$top_srcdir" --null --ignore-failed-read -T - -cf - 2>/dev/null |
		tar -C "$SRC" -xf -
else
	tar -C "$top_srcdir" --exclude=autom4te.cache -cf - . | tar -C "$SRC" -xf -
fi
[ -f "$SRC/debian/control" ] || { echo "the source copy has no debian/"; exit 99; }

# nocheck: this machine runs the test suite in the source tree; the
# package build checks that the tree builds and installs.
(cd "$SRC" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
	dpkg-buildpackage -b -us -uc) >"$T/build.log" 2>&1
rc=$?
DEB=$(ls "$T"/src/softlb_*_*.deb 2>/dev/null | head -1)
if [ "$rc" -ne 0 ] || [ -z "$DEB" ]; then
	fail "dpkg-buildpackage -b -us -uc (exit $rc)"
	tail -40 "$T/build.log"
	exit 1
fi
ok "dpkg-buildpackage -b -us -uc built $(basename "$DEB")"

# ------------------------------------------------------------------
# lintian: no error; warnings are listed (README.md lists them too).

lintian --tag-display-limit 0 "$T"/src/softlb_*.changes >"$T/lintian.log" 2>&1
errors=$(grep -c '^E: ' "$T/lintian.log")
check "lintian: no error" [ "$errors" -eq 0 ]
grep '^[EW]: ' "$T/lintian.log" | sed 's/^/  lintian: /'

# ------------------------------------------------------------------
# The man pages, as built into the package.

MANS=$(find "$SRC/debian/softlb/usr/share/man" -name '*.gz' | sort)
check "four man pages in the package" [ "$(echo "$MANS" | wc -l)" -eq 4 ]
for m in $MANS; do
	name=$(basename "$m" .gz)
	lint=$(mandoc -T lint -W warning "$m" 2>&1)
	check "mandoc -T lint: $name has no warning${lint:+ ($lint)}" [ -z "$lint" ]
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$m" 2>&1 >/dev/null)
	check "man --warnings: $name renders without a warning${warn:+ ($warn)}" [ -z "$warn" ]
done

# ------------------------------------------------------------------
# Install.

# What exists before, so the purge can be checked against it.
snapshot() {
	find /etc /lib/systemd /usr/lib/systemd /usr/lib/tmpfiles.d /usr/sbin /usr/bin \
		/usr/share/man /usr/share/doc /usr/share/snmp /usr/share/bash-completion \
		/var/lib/systemd /var/lib/dpkg/info /run/softlb \
		\( -name '*softlb*' -o -path '/run/softlb*' \) -print 2>/dev/null | sort
}
snapshot >"$T/before"
NEW_GROUPS=
for g in softlb softlb-oper softlb-admin; do
	getent group "$g" >/dev/null || NEW_GROUPS="$NEW_GROUPS $g"
done

purge() {
	if dpkg-query -W -f='${Status}' softlb 2>/dev/null | grep -q 'installed\|config-files'; then
		dpkg --purge softlb >>"$T/dpkg.log" 2>&1
	fi
}
# Groups the package made for this test only, after the purge.
drop_groups() {
	for g in $NEW_GROUPS; do
		getent group "$g" >/dev/null && groupdel "$g"
	done
}
at_exit "drop_groups"
at_exit "purge"

DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" >"$T/dpkg.log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
	fail "dpkg -i (exit $rc)"
	cat "$T/dpkg.log"
	exit 1
fi
ok "dpkg -i installed the package"
dpkg -L softlb >"$T/files"

for f in /usr/sbin/softlbd /usr/bin/softlb /usr/bin/softlbtop \
	/etc/softlb/keepalived.conf /etc/softlb/haproxy.cfg /etc/default/softlbd \
	/lib/systemd/system/softlbd.service /usr/lib/tmpfiles.d/softlb.conf \
	/usr/share/snmp/mibs/SOFTLB-MIB.txt \
	/usr/share/man/man8/softlbd.8.gz /usr/share/man/man1/softlb.1.gz \
	/usr/share/man/man1/softlbtop.1.gz /usr/share/man/man5/softlb.conf.5.gz \
	/usr/share/bash-completion/completions/softlb \
	/usr/share/bash-completion/completions/softlbd \
	/usr/share/bash-completion/completions/softlbtop; do
	check "installed: $f" [ -e "$f" ]
done
check "the example files are conffiles" \
	sh -c 'dpkg-query -W -f="\${Conffiles}" softlb | grep -q /etc/softlb/haproxy.cfg'
for g in softlb softlb-oper softlb-admin; do
	check "postinst created group $g" sh -c 'getent group "$1" >/dev/null' _ "$g"
done
check "tmpfiles.d made /run/softlb, mode 0750, group softlb" \
	sh -c '[ "$(stat -c "%a %U %G" /run/softlb)" = "750 root softlb" ]'
check "man finds the installed pages" \
	sh -c 'man -w softlbd && man -w 1 softlb && man -w softlbtop && man -w 5 softlb.conf' >/dev/null
warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 8 softlbd 2>&1 >/dev/null)
check "man --warnings softlbd (installed) is clean${warn:+ ($warn)}" [ -z "$warn" ]

# The shipped configuration loads with no warning and carries nothing.
out=$(/usr/sbin/softlbd -t 2>&1); rc=$?
check "softlbd -t on the shipped /etc/softlb passes" [ "$rc" -eq 0 ]
check "with no warning, and defines nothing that carries traffic" contains "$out" \
	"0 VRRP instances (0 sync groups), 0 virtual servers with 0 real servers, 0 proxies with 0 servers, 0 warnings"

# ------------------------------------------------------------------
# The unit.

out=$(systemd-analyze verify /lib/systemd/system/softlbd.service 2>&1); rc=$?
check "systemd-analyze verify softlbd.service${out:+ ($out)}" [ "$rc" -eq 0 ] && [ -z "$out" ]
exposure() {
	systemd-analyze security --offline=yes --no-pager "$1" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}
ours=$(exposure /lib/systemd/system/softlbd.service)
check "systemd-analyze security scores softlbd.service ($ours)" [ -n "$ours" ]
echo "  exposure (systemd-analyze security, lower is better; 10 = no sandboxing):"
printf '    %-20s %s\n' softlbd.service "$ours"
for peer in keepalived haproxy; do
	unit=/lib/systemd/system/$peer.service
	if [ ! -f "$unit" ]; then
		echo "    $peer.service: not installed here"
		continue
	fi
	theirs=$(exposure "$unit")
	printf '    %-20s %s (Debian package %s)\n' "$peer.service" "$theirs" "$peer"
	check "softlbd.service is less exposed than $peer.service" \
		awk -v a="$ours" -v b="$theirs" 'BEGIN { exit !(a + 0 < b + 0) }'
done

# ------------------------------------------------------------------
# The installed programs, run by hand (in a network namespace of their
# own, as every test's daemon), and the bash completion against them.

ISOCK="$T/installed.sock"
unshare --net sh -c 'ip link set lo up && exec "$@"' softlbd \
	/usr/sbin/softlbd -n -l -S "$ISOCK" --pidfile "$T/installed.pid" >"$T/installed.log" 2>&1 &
IPID=$!
at_exit "kill -TERM $IPID"
for _ in $(seq 100); do
	/usr/bin/softlb -s "$ISOCK" -c 'show version' >/dev/null 2>&1 && break
	sleep 0.1
done
out=$(/usr/bin/softlb -s "$ISOCK" -c 'show status' 2>&1); rc=$?
check "the installed softlbd runs the shipped configuration and answers" [ "$rc" -eq 0 ]
out=$(/usr/bin/softlb -s "$ISOCK" -c reload 2>&1); rc=$?
check "softlb -c reload (the unit's ExecReload) succeeds on it" [ "$rc" -eq 0 ]

cat >"$T/complete.bash" <<CMP
. /usr/share/bash-completion/bash_completion
# COMP_WORDS as bash splits the line typed so far; prints COMPREPLY.
try() {
	COMP_WORDS=("\$@"); COMP_CWORD=\$((\$# - 1))
	COMP_LINE="\$*"; COMP_POINT=\${#COMP_LINE}; COMPREPLY=()
	_completion_loader "\$1"
	\$(complete -p "\$1" | sed 's/.*-F \([^ ]*\) .*/\1/') "\$1"
	printf '%s\n' "\${COMPREPLY[@]}"
}
echo "== softlb -c"; try softlb -s "$ISOCK" -c "'show st"
echo "== softlb opt"; try softlb --js
echo "== softlbd"; try softlbd --pid
echo "== softlbtop"; try softlbtop --screen vr
CMP
out=$(bash "$T/complete.bash" 2>&1)
check "bash completes softlb -c 'show st from the daemon's grammar" contains "$out" "'show status"
check "and offers startup-config too" contains "$out" "'show startup-config"
check "bash completes softlb's options" contains "$out" "--json"
check "bash completes softlbd's options" contains "$out" "--pidfile"
check "bash completes softlbtop --screen" contains "$out" "vrrp"
contains "$out" "--pidfile" || { echo "--- what bash completed"; echo "$out"; }

kill -TERM "$IPID"
wait "$IPID"
rc=$?
check "the installed softlbd stops cleanly" [ "$rc" -eq 0 ]

# ------------------------------------------------------------------
# Under systemd as PID 1: the service itself.

pid1=$(ps -p 1 -o comm= 2>/dev/null)
if [ "${SOFTLB_DEB_VM:-1}" = 0 ] && [ "$pid1" != systemd ]; then
	echo "note: PID 1 is '${pid1:-unknown}', not systemd, and SOFTLB_DEB_VM=0:" \
		"softlbd.service was not started"
elif [ "$pid1" = systemd ] && [ -d /run/systemd/system ]; then
	systemctl start softlbd.service
	check "systemctl start softlbd (Type=notify: returns after READY=1)" \
		systemctl is-active --quiet softlbd.service
	status=$(systemctl show -p StatusText --value softlbd.service)
	check "STATUS= is shown by systemd ($status)" contains "$status" "0 reloads"
	check "systemctl reload on a good configuration succeeds" \
		systemctl reload softlbd.service
	cp /etc/softlb/haproxy.cfg "$T/haproxy.cfg.shipped"
	printf 'listen bad\n    bind 127.0.0.1:1\n    stick-table type ip size 1m\n' >>/etc/softlb/haproxy.cfg
	if systemctl reload softlbd.service 2>"$T/reload.err"; then
		fail "systemctl reload on a bad configuration fails"
	else
		ok "systemctl reload on a bad configuration fails"
	fi
	status=$(systemctl show -p StatusText --value softlbd.service)
	check "and STATUS= says why ($status)" contains "$status" "reload refused"
	check "the service still runs" systemctl is-active --quiet softlbd.service
	cp "$T/haproxy.cfg.shipped" /etc/softlb/haproxy.cfg
	systemctl stop softlbd.service
	check "systemctl stop softlbd" sh -c '! systemctl is-active --quiet softlbd.service'
else
	# Not here: then in the VM of tests/vm (Debian's kernel, this
	# machine's root read-only under a throw-away overlay), with systemd
	# as PID 1 of a PID namespace, which is all systemd needs.
	echo "note: PID 1 here is '${pid1:-unknown}', not systemd: the service is driven" \
		"by systemd in the VM instead (tests/vm/deb_systemd_guest.sh)"
	"$top_srcdir/tests/vm/run-in-vm" --timeout 500 -- \
		sh "$top_srcdir/tests/vm/deb_systemd_guest.sh" "$DEB" >"$T/vm.log" 2>&1
	rc=$?
	grep -E '^(ok|FAIL): ' "$T/vm.log" | sed 's/^/  vm: /'
	case $rc in
	0) ok "under systemd (PID 1, in the VM): start, STATUS=, reload good and bad, write memory, restart, stop" ;;
	77) echo "note: no VM here either ($(tail -1 "$T/vm.log")): softlbd.service was not started" ;;
	*)
		fail "under systemd in the VM (exit $rc)"
		tail -40 "$T/vm.log"
		;;
	esac
fi

# ------------------------------------------------------------------
# Purge: nothing left.

dpkg --purge softlb >>"$T/dpkg.log" 2>&1
rc=$?
check "dpkg --purge softlb" [ "$rc" -eq 0 ]
left=
while IFS= read -r f; do
	[ -d "$f" ] && continue
	[ -e "$f" ] || [ -L "$f" ] && left="$left $f"
done <"$T/files"
check "no file of the package is left${left:+:$left}" [ -z "$left" ]
snapshot >"$T/after"
extra=$(comm -13 "$T/before" "$T/after" | tr '\n' ' ')
check "nothing named softlb appeared anywhere${extra:+: $extra}" [ -z "$extra" ]
check "/etc/softlb is gone" [ ! -e /etc/softlb ] || grep -qx /etc/softlb "$T/before"

finish
