#!/bin/sh
# 1,000 TCP checks at once against one listener process in a lab host
# with 1,000 ports: all come UP, all go DOWN when it dies (each with its
# event), and the control socket keeps answering meanwhile.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/check_lib.sh"

N=1000
lab_up lb1 rs1
use_lb1
bg_on rs1 "$PYTHON" "$top_srcdir/tests/integration/check_backends.py" listen 192.0.2.21 20000 $N
LISTENER=$BG_PID

{
	echo "virtual_server 192.0.2.100 80 {"
	echo "    lb_kind DR"
	i=0
	while [ "$i" -lt "$N" ]; do
		echo "    real_server 192.0.2.21 $((20000 + i)) {"
		echo "        TCP_CHECK {"
		echo "            connect_timeout 2"
		echo "            retry 0"
		echo "            delay_loop 2"
		echo "        }"
		echo "    }"
		i=$((i + 1))
	done
	echo "}"
} >"$T/keepalived.conf"
: >"$T/haproxy.cfg"

# Counts targets by state from show checks json: "UP DOWN RAN" where RAN
# is how many have run at least once.
counts() {
	"$SOFTLB" -s "$SOCK" --json -c 'show checks' 2>/dev/null | "$PYTHON" -c 'import json, sys
try:
    t = json.load(sys.stdin)
except Exception:
    t = []
print(sum(x["state"] == "UP" for x in t), sum(x["state"] == "DOWN" for x in t),
      sum(x["runs"] > 0 for x in t))'
}

# Waits until counts prints WANT (a shell pattern), at most SECONDS.
wait_counts() {
	want=$1 max=$(($2 * 5)) n=0
	while [ "$n" -lt "$max" ]; do
		c=$(counts)
		case "$c" in $want) return 0 ;; esac
		sleep 0.2
		n=$((n + 1))
	done
	echo "  counts '$c' after $2 s (wanted $want)"
	return 1
}

sleep 1
start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"
check "all $N targets checked and UP within 2 intervals" wait_counts "$N 0 $N" 10
sl -c 'show checks'
check "show checks lists all $N" [ "$(printf '%s\n' "$OUT" | grep -c '/tcp ')" -eq "$N" ]

t0=$(date +%s)
kill -9 "$LISTENER"
check "all $N go DOWN when the listener dies" wait_counts "0 $N $N" 10
sl -c 'show version'
check "the control socket answers meanwhile" [ "$RC" -eq 0 ]
sl --json -c 'show events engine check'
downs=$(printf '%s' "$OUT" | "$PYTHON" -c 'import json, sys
print(sum(e.get("new") == "DOWN" for e in json.load(sys.stdin)["events"]))')
check "one DOWN event each in the journal ($downs)" [ "$downs" -eq "$N" ]
sl -c 'show status'
check "show status counts them" contains "$OUT" "$N checks: 0 up, $N down"

bg_on rs1 "$PYTHON" "$top_srcdir/tests/integration/check_backends.py" listen 192.0.2.21 20000 $N
check "and all come back UP" wait_counts "$N 0 $N" 10
echo "took $(($(date +%s) - t0)) s from kill to all back"

# TCP checks reuse their sockets (check_conn.c): after some 3,000 runs,
# up, down and up again, only a burst's worth was ever made, and the
# daemon holds no descriptor per idle target.
sleep 2
sl -c 'show status'
made=$(printf '%s\n' "$OUT" | sed -n 's/.*sockets: \([0-9]*\) made, \([0-9]*\) reused.*/\1/p')
reused=$(printf '%s\n' "$OUT" | sed -n 's/.*sockets: \([0-9]*\) made, \([0-9]*\) reused.*/\2/p')
echo "sockets: ${made:-?} made, ${reused:-?} reused"
check "checks reuse their sockets (${made:-?} made, ${reused:-?} reused)" \
	[ -n "$made" ] && [ -n "$reused" ] && [ "$reused" -gt $((2 * N)) ] && [ "$made" -le 512 ]
fds=$(ls "/proc/$DAEMON_PID/fd" | wc -l)
check "softlbd holds $fds descriptors for $N targets (at most the pool's 512 and its own)" \
	[ "$fds" -lt 600 ]

finish
