#!/bin/sh
# softlbd's life cycle and softlb -c round trips: start, answer, refuse a
# second instance, reload on SIGHUP, stop cleanly and leave nothing behind.
. "${top_srcdir:?}/tests/integration/lib.sh"

# Options.
out=$("$SOFTLBD" --version)
check "--version prints the version" contains "$out" "softlbd "
out=$("$SOFTLBD" --help)
check "--help lists -f -p -t -n -l -S --pidfile" sh -c '
	for o in " -f" " -p" " -t" " -n" " -l" " -S" "--pidfile"; do
		case "$1" in *"$o"*) ;; *) exit 1 ;; esac
	done' _ "$out"
out=$("$SOFTLBD" --bogus 2>&1); rc=$?
check "an unknown option fails with a hint" sh -c '[ "$1" -eq 1 ] && case "$2" in *"--help"*) ;; *) exit 1 ;; esac' _ "$rc" "$out"
out=$("$SOFTLBD" --max-clients 0 2>&1); rc=$?
check "a bad option value names the option" sh -c '[ "$1" -eq 1 ] && case "$2" in *"--max-clients expects"*) ;; *) exit 1 ;; esac' _ "$rc" "$out"

# Nothing listening yet: exit 2 and a clear message.
sl -c 'show status'
check "softlb exits 2 when softlbd is unreachable" [ "$RC" -eq 2 ]
check "and says so" contains "$OUT" "is softlbd running?"

start_daemon

sl -c 'show version'
check "show version" sh -c '[ "$1" -eq 0 ] && case "$2" in *"softlbd "*) ;; *) exit 1 ;; esac' _ "$RC" "$OUT"
sl -c 'show status'
check "show status lists the ctl engine as running" contains "$OUT" "ctl      running"
sl -c 'sh stat'
check "unique prefixes work (sh stat)" contains "$OUT" "ENGINE"
sl -c 'show version' -c 'show clients'
check "-c repeats, in order" sh -c 'case "$1" in *softlbd*ROLE*) ;; *) exit 1 ;; esac' _ "$OUT"
sl -c 'show nothing'
check "an unknown command exits 1" [ "$RC" -eq 1 ]
check "with a caret under the bad word" sh -c 'printf "%s\n" "$1" | grep -q "^       ^$"' _ "$OUT"
sl -c 'show'
check "an incomplete command says so" contains "$OUT" "% Incomplete command"
sl --json -c 'show status'
check "--json gives JSON" sh -c 'printf "%s" "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); assert \"ctl\" in [e[\"name\"] for e in d[\"engines\"]]"' _ "$OUT"
sl -c 'show clients json'
check "the json keyword gives JSON" sh -c 'printf "%s" "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[0][\"role\"]==\"admin\""' _ "$OUT"
OUT=$(printf 'show version\nshow status\n' | "$SOFTLB" -s "$SOCK" 2>&1); RC=$?
check "commands on stdin" sh -c '[ "$1" -eq 0 ] && case "$2" in *softlbd*ENGINE*) ;; *) exit 1 ;; esac' _ "$RC" "$OUT"
OUT=$(printf 'show version\nshow bogus\nshow status\n' | "$SOFTLB" -s "$SOCK" 2>&1); RC=$?
check "a failing command on stdin exits 1" [ "$RC" -eq 1 ]
sl -c 'configure' -c 'exit' -c 'show version'
check "configure, exit, and on" [ "$RC" -eq 0 ]
sl -c 'exit'
check "exit in view mode ends the session with status 0" [ "$RC" -eq 0 ]

# A second daemon on the same pidfile refuses, naming the holder.
out=$("$SOFTLBD" -n -l -S "$T/other.sock" --pidfile "$PIDFILE" 2>&1); rc=$?
check "a second softlbd on the same pidfile refuses" sh -c '[ "$1" -eq 1 ] && case "$2" in *"another softlbd (pid "*) ;; *) exit 1 ;; esac' _ "$rc" "$out"
# ... and one on the same socket refuses too.
out=$("$SOFTLBD" -n -l -S "$SOCK" --pidfile "$T/other.pid" 2>&1); rc=$?
check "a second softlbd on a live socket refuses" sh -c '[ "$1" -eq 1 ] && case "$2" in *"another softlbd is listening"*) ;; *) exit 1 ;; esac' _ "$rc" "$out"
check "and the first one still answers" sh -c '"$1" -s "$2" -c "show version" >/dev/null' _ "$SOFTLB" "$SOCK"

# SIGHUP does not stop it.
kill -HUP "$DAEMON_PID"
sleep 0.3
check "SIGHUP leaves softlbd running" daemon_alive
sl -c 'show version'
check "and answering" [ "$RC" -eq 0 ]

stop_daemon
check "SIGTERM removes the socket" [ ! -e "$SOCK" ]
check "SIGTERM removes the pidfile" [ ! -e "$PIDFILE" ]

# A stale pidfile (no lock holder) is taken over.
echo 999999 >"$PIDFILE"
start_daemon
check "a stale pidfile is taken over" sh -c '[ "$(cat "$1")" = "$2" ]' _ "$PIDFILE" "$DAEMON_PID"
stop_daemon

# Paths that must never be used for the socket.
ln -s /etc/passwd "$T/link.sock"
out=$("$SOFTLBD" -n -l -S "$T/link.sock" --pidfile "$T/p1" 2>&1); rc=$?
check "a symlink at the socket path is refused" sh -c '[ "$1" -eq 1 ] && case "$2" in *"symbolic link"*) ;; *) exit 1 ;; esac' _ "$rc" "$out"
echo data >"$T/file.sock"
out=$("$SOFTLBD" -n -l -S "$T/file.sock" --pidfile "$T/p2" 2>&1); rc=$?
check "a regular file at the socket path is refused" sh -c '[ "$1" -eq 1 ] && case "$2" in *"not a socket"*) ;; *) exit 1 ;; esac' _ "$rc" "$out"
check "and left alone" sh -c '[ "$(cat "$1")" = data ]' _ "$T/file.sock"
# A stale socket (nobody listening) is replaced.
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SOCK"
start_daemon
sl -c 'show version'
check "a stale socket is replaced" [ "$RC" -eq 0 ]
# The script helper, with nothing to run, sleeps in poll(): sampled 20
# times over a second it is never running. (It once polled a descriptor
# it had closed and spun on a core.)
helper=
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = softlbd-script ] || continue
	[ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = "$DAEMON_PID" ] && helper=${p#/proc/}
done
running=0
for _ in $(seq 20); do
	[ "$(awk '{print $3}' "/proc/$helper/stat" 2>/dev/null)" = R ] && running=$((running + 1))
	sleep 0.05
done
check "the idle script helper ($helper) sleeps (running in $running of 20 samples)" \
	sh -c '[ -n "$1" ] && [ "$2" -le 2 ]' _ "$helper" "$running"
stop_daemon

# As a daemon: returns once up; the socket directory is created 0750.
"$SOFTLBD" -S "$T/run/d.sock" --pidfile "$T/d.pid"; rc=$?
check "softlbd daemonises and returns 0" [ "$rc" -eq 0 ]
check "the daemon answers" sh -c '"$1" -s "$2" -c "show version" >/dev/null' _ "$SOFTLB" "$T/run/d.sock"
check "the socket directory it created is mode 0750" sh -c '[ "$(stat -c %a "$1")" = 750 ]' _ "$T/run"
dpid=$(cat "$T/d.pid")
at_exit "kill -9 $dpid"
kill -TERM "$dpid"
for _ in $(seq 50); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.1; done
check "the daemon stops on SIGTERM" sh -c '! kill -0 "$1" 2>/dev/null' _ "$dpid"
# A daemon that cannot start says why, on the terminal, and exits 1.
out=$("$SOFTLBD" -S "$T/file.sock" --pidfile "$T/d2.pid" 2>&1); rc=$?
check "a failed daemon start prints the reason and exits 1" sh -c '[ "$1" -eq 1 ] && case "$2" in *"not a socket"*) ;; *) exit 1 ;; esac' _ "$rc" "$out"

finish
