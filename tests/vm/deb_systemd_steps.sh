#!/bin/sh
# Runs under systemd (PID 1) in the VM, as a oneshot service, with the
# softlb package installed: starts, reloads and stops softlbd.service with
# systemctl, as an operator would. Ends the container when done.
set -u
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; }
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}
status_text() { systemctl show -p StatusText --value softlbd.service; }
contains() { case "$1" in *"$2"*) return 0 ;; *) return 1 ;; esac; }

# Whatever happens, the container ends.
trap 'systemctl --no-block exit 0' EXIT

check "softlbd.service is Type=notify" \
	[ "$(systemctl show -p Type --value softlbd.service)" = notify ]
check "systemctl start softlbd (returns once READY=1 came)" \
	timeout 60 systemctl start softlbd.service
check "softlbd.service is active" systemctl is-active --quiet softlbd.service
st=$(status_text)
check "STATUS= as systemd shows it: '$st'" contains "$st" "0 VRRP instances, 0 virtual servers (0 real), 0 proxies (0 servers); 0 reloads"
check "the control socket is in RuntimeDirectory /run/softlb" [ -S /run/softlb/softlbd.sock ]
check "softlb reaches it" sh -c 'softlb -c "show status" >/dev/null'
check "systemctl reload on the shipped configuration succeeds" \
	timeout 60 systemctl reload softlbd.service
st=$(status_text)
check "STATUS= counts the reload: '$st'" contains "$st" "; 1 reload"

# A proxy on loopback, written in place: the reload applies it.
cp /etc/softlb/haproxy.cfg /var/tmp/haproxy.cfg.shipped
printf 'listen web\n    bind 127.0.0.1:8080\n    server s1 127.0.0.1:8081\n' >>/etc/softlb/haproxy.cfg
check "systemctl reload applies a new proxy" timeout 60 systemctl reload softlbd.service
st=$(status_text)
check "STATUS= shows it: '$st'" contains "$st" "1 proxy (1 servers); 2 reloads"

# A bad one: systemctl reload fails, STATUS= says why, softlbd keeps the
# running configuration.
printf '    stick-table type ip size 1m\n' >>/etc/softlb/haproxy.cfg
if timeout 60 systemctl reload softlbd.service 2>/var/tmp/reload.err; then
	fail "systemctl reload on a bad configuration fails"
else
	ok "systemctl reload on a bad configuration fails"
fi
st=$(status_text)
check "STATUS= says the reload was refused and where: '$st'" \
	contains "$st" "reload refused (running the previous configuration): /etc/softlb/haproxy.cfg:"
check "softlbd.service is still active" systemctl is-active --quiet softlbd.service
check "and still runs the proxy" sh -c 'softlb -c "show proxy" | grep -q web'

# write memory under ProtectSystem=strict: /etc/softlb is writable.
cp /var/tmp/haproxy.cfg.shipped /etc/softlb/haproxy.cfg
check "systemctl reload on the fixed file succeeds" timeout 60 systemctl reload softlbd.service
check "write memory works under ProtectSystem=strict" sh -c 'softlb -c "write memory" >/dev/null'
check "and leaves haproxy.cfg.bak beside it" [ -f /etc/softlb/haproxy.cfg.bak ]

# Restart=on-failure: a killed softlbd comes back.
old=$(systemctl show -p MainPID --value softlbd.service)
kill -KILL "$old"
back=
for _ in $(seq 40); do
	sleep 0.5
	new=$(systemctl show -p MainPID --value softlbd.service)
	if [ "$new" != 0 ] && [ "$new" != "$old" ] && systemctl is-active --quiet softlbd.service; then
		back=yes
		break
	fi
done
check "Restart=on-failure: killed, softlbd is started again" [ -n "$back" ]

check "systemctl stop softlbd" timeout 60 systemctl stop softlbd.service
check "softlbd.service is inactive" sh -c '! systemctl is-active --quiet softlbd.service'
echo "--- softlbd's journal"
journalctl -u softlbd.service --no-pager -o cat 2>/dev/null | tail -25
ok "every step ran"
