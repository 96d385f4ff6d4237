# Shared helpers for the integration scripts (sourced, POSIX sh).
#
# Each script gets its own temporary directory, starts its own softlbd on a
# socket inside it, and removes everything it made on exit, also on failure.
# Exit codes follow automake: 0 pass, 77 skip (with the reason printed),
# 99 hard error, anything else fail.

set -u

: "${top_builddir:?run through make check}"
: "${top_srcdir:?run through make check}"
SOFTLBD="$top_builddir/softlbd"
SOFTLB="$top_builddir/softlb"
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
CTLC="$PYTHON $top_srcdir/tests/integration/ctlc.py"

T=$(mktemp -d /tmp/softlb-test.XXXXXX)
chmod 0755 "$T"
SOCK="$T/softlbd.sock"
PIDFILE="$T/softlbd.pid"
DAEMON_LOG="$T/softlbd.log"
DAEMON_PID=
CLEANUPS=
FAILED=0

# Registers a shell command to run at exit, last registered first.
at_exit() {
	CLEANUPS="$1
$CLEANUPS"
}

run_cleanups() {
	status=$?
	printf '%s\n' "$CLEANUPS" | while IFS= read -r c; do
		[ -n "$c" ] && eval "$c" >/dev/null 2>&1
	done
	if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -9 "$DAEMON_PID" 2>/dev/null
	fi
	rm -rf "$T"
	exit "$status"
}
trap run_cleanups EXIT
trap 'exit 99' INT TERM

skip() {
	echo "SKIP: $*"
	exit 77
}

fail() {
	echo "FAIL: $*"
	FAILED=$((FAILED + 1))
}

ok() {
	echo "ok: $*"
}

# check DESCRIPTION COMMAND...: runs the command, counts a failure if it fails.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}

# Starts softlbd in the foreground (background job) with extra options and
# waits until its socket answers.
#
# softlbd runs in a network namespace of its own with only lo in it: the
# configurations the tests load (the seed's among them) name interfaces
# such as eth0, and the VRRP engine would otherwise advertise on, and add
# VIPs to, the test machine's real eth0. The control socket is a path, so
# it is reached across namespaces as before. Tests that build a lab run
# their daemons inside it instead (vrrp_lib.sh).
start_daemon() {
	unshare --net sh -c 'ip link set lo up && exec "$@"' softlbd \
		"$SOFTLBD" -n -l -S "$SOCK" --pidfile "$PIDFILE" "$@" >"$DAEMON_LOG" 2>&1 &
	DAEMON_PID=$!
	for _ in $(seq 100); do
		# Answering, not merely present: a stale socket file may be there.
		"$SOFTLB" -s "$SOCK" -c 'show version' >/dev/null 2>&1 && return 0
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "softlbd did not start:"
	cat "$DAEMON_LOG"
	exit 99
}

# Stops softlbd with SIGTERM and checks it exits 0 (under ASan a leak or an
# error makes the exit status non-zero, so this also catches those).
stop_daemon() {
	[ -n "$DAEMON_PID" ] || return 0
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID"
	rc=$?
	DAEMON_PID=
	if [ "$rc" -ne 0 ]; then
		fail "softlbd exited with status $rc"
		cat "$DAEMON_LOG"
		return 1
	fi
	ok "softlbd stopped cleanly"
}

daemon_alive() {
	kill -0 "$DAEMON_PID" 2>/dev/null
}

# Runs softlb -c against the test daemon; output in $OUT, status in $RC.
sl() {
	OUT=$("$SOFTLB" -s "$SOCK" "$@" 2>&1)
	RC=$?
}

# loopback_ns PREFIX: a network namespace of the test's own (PREFIX and
# the test's pid), its loopback up, removed at exit; softlbd runs inside
# it ($SOFTLBD for start_daemon), in_ns CMD runs a command there and
# bg_ns CMD starts one in the background (output to $T/bg.log, its pid
# in BG_PID, killed at exit). Skips when namespaces cannot be made.
loopback_ns() {
	[ "$(id -u)" = 0 ] || skip "needs root (a network namespace)"
	NS="$1$$"
	ip netns add "$NS" || skip "cannot make a network namespace"
	at_exit "ip netns del $NS"
	ip -n "$NS" link set lo up
	cat >"$T/softlbd-ns" <<EOS
#!/bin/sh
exec ip netns exec $NS "$top_builddir/softlbd" "\$@"
EOS
	chmod +x "$T/softlbd-ns"
	SOFTLBD="$T/softlbd-ns"
}
in_ns() { ip netns exec "$NS" "$@"; }
bg_ns() {
	ip netns exec "$NS" "$@" >>"$T/bg.log" 2>&1 &
	BG_PID=$!
	at_exit "kill -9 $BG_PID"
}

# wait_ns_port NS PORT...: until something listens on each TCP PORT
# inside network namespace NS (at most 10 s each), seen with ss, so no
# probe connection reaches the listener (it would be logged, counted):
# a test must not send its first request to a backend or a peer that
# has not bound yet (on a loaded machine a python server takes seconds).
wait_ns_port() {
	_ns=$1
	shift
	for _p in "$@"; do
		_i=0
		until ip netns exec "$_ns" ss -Hltn "sport = :$_p" 2>/dev/null | grep -q .; do
			_i=$((_i + 1))
			if [ "$_i" -ge 100 ]; then
				echo "note: nothing listens on port $_p in $_ns after 10 s"
				break
			fi
			sleep 0.1
		done
	done
}

contains() {
	case "$1" in
	*"$2"*) return 0 ;;
	*) return 1 ;;
	esac
}

finish() {
	stop_daemon
	if [ "$FAILED" -ne 0 ]; then
		echo "$FAILED check(s) failed"
		echo "--- softlbd log"
		cat "$DAEMON_LOG"
		exit 1
	fi
	exit 0
}

# Health checks (show check): field TARGET KEY prints one field of a
# check's JSON ("" when there is none; booleans as true / false), and
# wait_check TARGET STATE REASON SECONDS waits for a state whose reason
# contains REASON, saying what it saw when it gives up.
field() {
	"$SOFTLB" -s "$SOCK" --json -c "show check $1" 2>/dev/null |
		"$PYTHON" -c 'import json,sys
try:
    v = json.load(sys.stdin).get(sys.argv[1], "")
except Exception:
    v = ""
print(str(v).lower() if isinstance(v, bool) else v)' "$2"
}

wait_check() {
	target=$1 want=$2 why=$3 max=$(($4 * 10))
	WAITED=0
	while [ "$WAITED" -lt "$max" ]; do
		st=$(field "$target" state)
		rs=$(field "$target" reason)
		if [ "$st" = "$want" ] && contains "$rs" "$why"; then
			return 0
		fi
		sleep 0.1
		WAITED=$((WAITED + 1))
	done
	echo "  $target: state '$st', reason '$rs' after $4 s (wanted $want, '$why')"
	return 1
}
