#!/bin/sh
# lvs_scale_guest.sh: runs INSIDE the VM only (lvs_engine.sh boots it).
# The cost of one change on a big director, counted in netlink requests:
# with 10,000 services x 4 real servers (SOFTLB_SCALE_SERVICES to change
# it), one weight typed in the shell, one operator drain and one health-
# free reload with nothing changed must read and edit only the service
# concerned, or nothing at all. The counters come from the lvs line of
# `show status` ("N requests, M services listed, K real-server lists"),
# and ipvsadm -Ln must show the new weights. Before the changed set, the
# same edit dumped all 10,000 services' real servers.
set -u
GUEST=lvs-scale
. "$(dirname "$0")/guest_lib.sh"

N=${SOFTLB_SCALE_SERVICES:-10000}
# Under ASan in the emulated VM one edit at 10,000 x 4 takes 10-16 s and
# the start minutes: a sanitizer build proves the same count (requests do
# not grow with the table) at 2,000; a release build runs 10,000.
if [ -z "${SOFTLB_SCALE_SERVICES:-}" ] && grep -q __asan_init "$SOFTLBD" 2>/dev/null; then
	N=2000
	echo "(a sanitizer build: $N services; a release build runs 10,000)"
fi
# A change of one service may cost: a get of the service, a dump of its
# real servers, one edit; a few more would still be "a handful".
HANDFUL=10

cleanup() { guest_cleanup; }
trap cleanup EXIT

modprobe ip_vs || { echo "FAIL: modprobe ip_vs"; exit 1; }
ipvsadm -C

# Service i: 192.0.2.(1 + i/100):(1000 + i%100), NAT to 198.51.100.1-4:80.
# Inside the VM's own namespace, which nothing leaves (no network device).
awk -v n="$N" 'BEGIN {
	for (i = 0; i < n; i++) {
		printf "virtual_server 192.0.2.%d %d {\n  lb_algo wlc\n  lb_kind NAT\n  protocol TCP\n",
			1 + int(i / 100), 1000 + i % 100
		for (r = 1; r <= 4; r++)
			printf "  real_server 198.51.100.%d 80 {\n    weight 1\n  }\n", r
		print "}"
	}
}' >"$CONF"

# No reconcile pass during the test (its drift repair reads 1,000
# services a pass, by design): only the changes are counted.
: >"$T/haproxy.cfg"
"$SOFTLBD" -n -l -S "$SOCK" --pidfile "$T/p.pid" -f "$CONF" -p "$T/haproxy.cfg" \
	--lvs-reconcile-interval 3600 \
	>>"$LOG" 2>&1 &
PID=$!
for _ in $(seq 3000); do
	"$SOFTLB" -s "$SOCK" -c 'show version' >/dev/null 2>&1 && break
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.1
done
sl -c 'show version'
[ "$RC" -eq 0 ] || { echo "FAIL: softlbd did not start"; tail -20 "$LOG"; exit 1; }
check "$N services programmed" [ "$(ipvsadm -Ln | grep -c '^TCP')" -eq "$N" ]

# counters: sets REQ, LISTED and DLISTS from show status's lvs line.
counters() {
	sl -c 'show status'
	line=$(printf '%s\n' "$OUT" | grep 'requests,')
	REQ=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9][0-9]*\) requests,.*/\1/p')
	LISTED=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9][0-9]*\) services listed.*/\1/p')
	DLISTS=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9][0-9]*\) real-server lists.*/\1/p')
	[ -n "$REQ" ] && [ -n "$LISTED" ] && [ -n "$DLISTS" ]
}
svc() {		# svc I: service I's address and port
	echo "192.0.2.$((1 + $1 / 100)):$((1000 + $1 % 100))"
}
# the edited service, in the middle of the table, its neighbour, and the
# drained one, the last (at 10,000: 192.0.2.51:1000, .51:1001, .100:1099)
EDIT=$(svc $((N / 2)))
NEXT=$(svc $((N / 2 + 1)))
LAST=$(svc $((N - 1)))

weight_of() {	# weight_of VS RS: ipvsadm's weight of that real server
	ipvsadm -Ln -t "$1" | awk -v rs="$2" '$2 == rs { print $4 }'
}

check "show status has the request counters" counters || printf '%s\n' "$OUT"
printf '%s\n' "$line"
echo "after start: $REQ requests, $LISTED services listed, $DLISTS real-server lists"

echo "== one weight typed in the shell"
r0=$REQ l0=$LISTED d0=$DLISTS
t0=$(date +%s%N)
sl -c configure -c "virtual-server $EDIT tcp" -c 'real-server 198.51.100.2:80 weight 77' \
	-c end
t1=$(date +%s%N)
check "the edit is accepted" [ "$RC" -eq 0 ] || printf '%s\n' "$OUT"
check "ipvsadm -Ln shows weight 77" [ "$(weight_of "$EDIT" 198.51.100.2:80)" = 77 ]
check "its neighbours keep weight 1" [ "$(weight_of "$NEXT" 198.51.100.2:80)" = 1 ]
counters
echo "the edit: $((REQ - r0)) requests, $((LISTED - l0)) services listed, $((DLISTS - d0)) real-server lists, shell round trip $(((t1 - t0) / 1000000)) ms"
check "the edit cost a handful of requests ($((REQ - r0)))" [ $((REQ - r0)) -ge 1 ] && [ $((REQ - r0)) -le $HANDFUL ]
check "the edit read one service ($((LISTED - l0)))" [ $((LISTED - l0)) -le 1 ]
check "the edit listed one service's real servers ($((DLISTS - d0)))" [ $((DLISTS - d0)) -eq 1 ]

echo "== one operator drain"
r0=$REQ l0=$LISTED d0=$DLISTS
sl -c "real-server 198.51.100.3:80 of $LAST tcp drain"
check "ipvsadm -Ln shows the drained server at weight 0" \
	[ "$(weight_of "$LAST" 198.51.100.3:80)" = 0 ]
counters
echo "the drain: $((REQ - r0)) requests, $((LISTED - l0)) services listed, $((DLISTS - d0)) real-server lists"
check "the drain cost a handful of requests ($((REQ - r0)))" [ $((REQ - r0)) -le $HANDFUL ]
check "the drain listed one service's real servers" [ $((DLISTS - d0)) -eq 1 ]

echo "== a reload with nothing changed"
sl -c 'write memory'
check "write memory saves the edit" [ "$RC" -eq 0 ] || printf '%s\n' "$OUT"
r0=$REQ l0=$LISTED d0=$DLISTS
sl -c reload
check "the reload is accepted" [ "$RC" -eq 0 ] || printf '%s\n' "$OUT"
counters
echo "the reload: $((REQ - r0)) requests"
check "the no-change reload sent no request" [ $((REQ - r0)) -eq 0 ]

stop_cleanly softlbd "$PID"
PID=
ipvsadm -C
guest_finish
