# guest_lib.sh: what the VM guest scripts share (lvs_engine_guest.sh,
# lvs_paths_guest.sh, lvs_sync_guest.sh). Each sources it first:
#
#   GUEST=lvs-paths
#   . "$(dirname "$0")/guest_lib.sh"
#
# It refuses to run outside the VM (the scripts load ip_vs and program the
# kernel's IPVS table), names the binaries, makes the temporary directory
# $T (/tmp/$GUEST.XXXXXX), and gives the check counters and helpers. It
# sets no trap: each script's own cleanup knows what it built, and calls
# guest_cleanup last.

[ "${SOFTLB_VM:-}" = 1 ] || { echo "ERROR: run me inside the VM (tests/vm/lvs_engine.sh)"; exit 99; }
B=${top_builddir:?}
S=${top_srcdir:?}
SOFTLBD=$B/softlbd
SOFTLB=$B/softlb
PY=/usr/bin/python3
T=$(mktemp -d "/tmp/${GUEST:?}.XXXXXX") || { echo "ERROR: mktemp"; exit 99; }
# One softlbd per script by default (lvs_sync_guest.sh runs two, each
# with its own socket, log and configuration).
SOCK=$T/s.sock
LOG=$T/softlbd.log
CONF=$T/keepalived.conf
PID=
FAILED=0
CHECKS=0

ok() { CHECKS=$((CHECKS + 1)); echo "ok: $*"; }
fail() { CHECKS=$((CHECKS + 1)); FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
# check DESCRIPTION COMMAND...: one ok / FAIL line; returns the command's
# success, so a caller may print more on failure (check ... || cat x).
# (It uses the variable d: helpers called through it must not.)
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; return 1; fi; }
# wait_for N COMMAND...: up to N tenths of a second for COMMAND to succeed
wait_for() { n=$1; shift; for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done; return 1; }
# sl COMMAND...: softlb against $SOCK; its output in $OUT, status in $RC
sl() { OUT=$("$SOFTLB" -s "$SOCK" "$@" 2>&1); RC=$?; }
has_log() { grep -q "$1" "$LOG"; }

# wait_softlbd SOCK PID LOG: waits (30 s at most) until the softlbd with
# that PID answers on SOCK; if it dies or never answers, prints its log
# and ends the script.
wait_softlbd() {
	for _ in $(seq 300); do
		"$SOFTLB" -s "$1" -c 'show version' >/dev/null 2>&1 && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
	done
	echo "FAIL: softlbd ($1) did not start:"
	cat "$3"
	exit 1
}

# stop_cleanly WHAT PID: TERM, wait, and check the exit status is 0 (so a
# sanitizer's report fails the test).
stop_cleanly() {
	kill -TERM "$2"
	wait "$2"
	rc=$?
	check "$1 stops cleanly (status $rc)" [ "$rc" -eq 0 ]
}

# guest_cleanup: the shared end of every script's cleanup: the default
# softlbd (if still running) and $T.
guest_cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	PID=
	rm -rf "$T"
}

# guest_finish: the summary line; its status is the script's.
guest_finish() {
	echo "$CHECKS checks, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
