# Helpers for the VRRP integration scripts (sourced after lib.sh).
#
# Each script builds its own netns lab (scripts/lab) under a unique prefix
# and runs its daemons inside the lab's hosts, so every VRRP packet, VIP
# and ARP stays on the lab's bridge. The lab, and everything running in
# it, is removed on exit, also on failure.

[ "$(id -u)" -eq 0 ] || skip "VRRP tests need root (network namespaces, raw sockets)"
command -v ip >/dev/null 2>&1 || skip "iproute2 (ip) is not installed"

LAB="$top_srcdir/scripts/lab"
# Short and unique: namespace names stay readable in 'ip netns list'.
LABP="v$$"
EMPTY_HAP="$T/empty.cfg"
: >"$EMPTY_HAP"

# lab_up HOST...: builds the lab, or skips when this machine cannot.
lab_up() {
	at_exit "\"$LAB\" down $LABP"
	"$LAB" up "$LABP" "$@" >"$T/lab.log" 2>&1 ||
		skip "cannot build a network-namespace lab: $(tail -n 1 "$T/lab.log")"
}

# ns HOST: the lab namespace of a host.
ns() {
	echo "$LABP-$1"
}

# vd_start NAME HOST CONF: starts softlbd NAME on lab host HOST with the
# keepalived-dialect file CONF; waits until its socket answers (for
# VD_START_WAIT tenths of a second, default 100).
vd_start() {
	_n=$1 _h=$2 _c=$3
	ip netns exec "$(ns "$_h")" "$SOFTLBD" -n -l -S "$T/$_n.sock" --pidfile "$T/$_n.pid" \
		-f "$_c" -p "$EMPTY_HAP" >>"$T/$_n.log" 2>&1 &
	eval "VD_PID_$_n=$!"
	at_exit "kill -9 $! 2>/dev/null"
	for _ in $(seq "${VD_START_WAIT:-100}"); do
		"$SOFTLB" -s "$T/$_n.sock" -c 'show version' >/dev/null 2>&1 && return 0
		kill -0 "$!" 2>/dev/null || break
		sleep 0.1
	done
	echo "softlbd $_n did not start:"
	cat "$T/$_n.log"
	exit 99
}

vd_pid() {
	eval "echo \${VD_PID_$1:-}"
}

# vd_stop NAME [SIGNAL]: signals softlbd NAME (TERM by default) and waits
# for it; with TERM, checks it exits 0 (so ASan reports fail the test).
vd_stop() {
	_p=$(vd_pid "$1")
	[ -n "$_p" ] || return 0
	kill "-${2:-TERM}" "$_p" 2>/dev/null
	wait "$_p"
	_rc=$?
	eval "VD_PID_$1="
	if [ "${2:-TERM}" = TERM ] && [ "$_rc" -ne 0 ]; then
		fail "softlbd $1 exited with status $_rc"
		tail -n 30 "$T/$1.log"
	fi
}

# vsl NAME COMMAND...: softlb -c against softlbd NAME; output in $OUT.
vsl() {
	_n=$1
	shift
	OUT=$("$SOFTLB" -s "$T/$_n.sock" -c "$*" 2>&1)
	RC=$?
}

# jget NAME INSTANCE KEY[.KEY...]: one value of 'show vrrp INSTANCE json'
# (a number KEY indexes a list).
jget() {
	"$SOFTLB" -s "$T/$1.sock" -c "show vrrp $2 json" 2>/dev/null |
		"$PYTHON" -c 'import json,sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$3" 2>/dev/null
}

# wait_state NAME INSTANCE STATE SECONDS: polls every 0.1 s.
wait_state() {
	_i=0
	while [ "$_i" -lt $(($4 * 10)) ]; do
		[ "$(jget "$1" "$2" state)" = "$3" ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "  $1 $2 is $(jget "$1" "$2" state), not $3 after $4 s"
	return 1
}

# wait_prio NAME INSTANCE PRIORITY SECONDS: polls the effective priority.
wait_prio() {
	_i=0
	while [ "$_i" -lt $(($4 * 10)) ]; do
		[ "$(jget "$1" "$2" priority.effective)" = "$3" ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "  $1 $2 has priority $(jget "$1" "$2" priority.effective), not $3 after $4 s"
	return 1
}

# has_vip HOST ADDR: the address is on the host's eth0.
has_vip() {
	ip -n "$(ns "$1")" addr show dev eth0 2>/dev/null | grep -q "inet6\{0,1\} $2/"
}

no_vip() {
	! has_vip "$@"
}

# wait_vip HOST ADDR SECONDS
wait_vip() {
	_i=0
	while [ "$_i" -lt $(($3 * 10)) ]; do
		has_vip "$1" "$2" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# now_ms: monotonic-enough wall clock in milliseconds.
now_ms() {
	date +%s%3N
}

vrrp_finish() {
	if [ "$FAILED" -ne 0 ]; then
		echo "$FAILED check(s) failed"
		for f in "$T"/*.log; do
			echo "--- $f"
			tail -n 40 "$f"
		done
		exit 1
	fi
	exit 0
}
