#!/bin/sh
# The control socket under abuse: garbage, huge requests, clients that
# vanish, clients that never read, too many clients, idle clients. After
# each, the daemon must still answer.
. "${top_srcdir:?}/tests/integration/lib.sh"

start_daemon --max-clients 60 --stall-timeout 2 --idle-timeout 3

alive() {
	daemon_alive && "$SOFTLB" -s "$SOCK" -c 'show version' >/dev/null
}

check "garbage gets 400 and a close" $CTLC "$SOCK" garbage
check "  daemon still answers" alive
check "a 1 MiB request gets 413 naming the limit" $CTLC "$SOCK" huge
check "  daemon still answers" alive
check "a 1 MiB unframed line gets 400" $CTLC "$SOCK" huge-line
check "  daemon still answers" alive
check "clients that disconnect mid-reply" $CTLC "$SOCK" disconnect
check "  daemon still answers" alive
check "50 concurrent clients" $CTLC "$SOCK" concurrent 50
check "  daemon still answers" alive
check "a client that never reads is dropped" $CTLC "$SOCK" never-reads 4
check "  daemon still answers" alive
grep -q "not reading its reply" "$DAEMON_LOG"
check "  and the log says why" [ $? -eq 0 ]
check "the client cap refuses the 61st with 503" $CTLC "$SOCK" max-clients 60
check "  daemon still answers" alive

# Control characters in a command are refused, and shown harmlessly.
out=$($CTLC "$SOCK" exec "$(printf 'show \033[2Jversion')")
check "a control character is refused" contains "$out" "% Invalid input"

# An idle client is dropped after --idle-timeout.
python3 - "$SOCK" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(10)
t = time.time(); data = b""
while True:
    d = s.recv(4096)
    if not d:
        break
    data += d
took = time.time() - t
print("closed after %.1f s" % took)
sys.exit(0 if 2.5 <= took <= 8 else 1)
PY
check "an idle client is dropped after the idle timeout" [ $? -eq 0 ]

finish
