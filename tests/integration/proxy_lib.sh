# Helpers for the proxy tests (sourced after lib.sh): the lab of
# check_lib.sh (softlbd in lb1 at 192.0.2.2, backends rs1.. at
# 192.0.2.2N, curl from client), backends from proxy_backend.py, and
# readers of `show proxy json`.
. "$top_srcdir/tests/integration/check_lib.sh"
LAB="px$$"
command -v curl >/dev/null || skip "curl missing (Debian package curl)"
PXB="$top_srcdir/tests/integration/proxy_backend.py"

# backend HOST PORT NAME: starts proxy_backend.py on rsN's address; its
# pid in $BG_PID.
backend() {
	bg_on "$1" "$PYTHON" "$PXB" "192.0.2.2${1#rs}" "$2" "$3"
}

# Waits until something listens on ADDR:PORT as seen from the client.
wait_port() {
	for _ in $(seq 50); do
		on client "$PYTHON" -c 'import socket,sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1)' "$1" "$2" \
			2>/dev/null && return 0
		sleep 0.1
	done
	echo "  nothing listens on $1:$2"
	return 1
}

# get URL: curl from the client; body in $OUT.
get() {
	OUT=$(on client curl -s --max-time 10 "$@" 2>&1)
}

# srv PROXY SERVER FIELD: a field of one server in show proxy json.
srv() {
	"$SOFTLB" -s "$SOCK" --json -c "show proxy $1" 2>/dev/null | "$PYTHON" -c 'import json,sys
p = json.load(sys.stdin)
print([s for s in p["servers"] if s["name"] == sys.argv[1]][0].get(sys.argv[2], ""))' "$2" "$3"
}

# pxf PROXY FIELD: a field of the proxy itself in show proxy json.
pxf() {
	"$SOFTLB" -s "$SOCK" --json -c "show proxy $1" 2>/dev/null | "$PYTHON" -c 'import json,sys
print(json.load(sys.stdin).get(sys.argv[1], ""))' "$2"
}

# wait_srv PROXY SERVER FIELD VALUE SECONDS
wait_srv() {
	for _ in $(seq $(($5 * 10))); do
		[ "$(srv "$1" "$2" "$3")" = "$4" ] && return 0
		sleep 0.1
	done
	echo "  $1/$2 $3 is '$(srv "$1" "$2" "$3")', wanted '$4'"
	return 1
}

# count N URL: N requests one after the other; prints "name count" lines.
count() {
	n=$1
	shift
	on client sh -c 'i=0; while [ $i -lt "$1" ]; do curl -s --max-time 10 "$2"; i=$((i+1)); done' \
		_ "$n" "$1" | sort | uniq -c | awk '{print $2, $1}'
}
