# Helpers for the health-check tests (sourced after lib.sh): a netns lab
# whose lb1 runs softlbd, backends written in python3 run on the lab's
# hosts, and polling of `show check TARGET json`.

command -v ip >/dev/null || skip "ip missing (Debian package iproute2)"
ip netns add "softlb-probe-$$" 2>/dev/null || skip "cannot create network namespaces here"
ip netns del "softlb-probe-$$"

# LAB: a short unique prefix (namespace and veth names are short).
LAB="ck$$"
LAB_SCRIPT="$top_srcdir/scripts/lab"

# Builds the lab with the given hosts and removes it at exit.
lab_up() {
	at_exit "'$LAB_SCRIPT' down '$LAB'"
	"$LAB_SCRIPT" up "$LAB" "$@" || { echo "cannot build the lab"; exit 99; }
}

# Runs a command on a lab host.
on() {
	host=$1
	shift
	ip netns exec "$LAB-$host" "$@"
}

# Starts a background command on a lab host; its pid in $BG_PID, killed
# at exit.
bg_on() {
	host=$1
	shift
	ip netns exec "$LAB-$host" "$@" >>"$T/bg.log" 2>&1 &
	BG_PID=$!
	at_exit "kill -9 $BG_PID"
}

# softlbd in lb1: a wrapper that start_daemon runs as $SOFTLBD (exec
# keeps the pid, so stop_daemon signals softlbd itself).
use_lb1() {
	cat >"$T/softlbd-lb1" <<EOS
#!/bin/sh
exec ip netns exec $LAB-lb1 "$top_builddir/softlbd" "\$@"
EOS
	chmod +x "$T/softlbd-lb1"
	SOFTLBD="$T/softlbd-lb1"
}

# Prints FIELD of target TARGET from show check json ('' if absent).
field() {
	"$SOFTLB" -s "$SOCK" --json -c "show check $1" 2>/dev/null |
		"$PYTHON" -c 'import json,sys
try:
    v = json.load(sys.stdin).get(sys.argv[1], "")
except Exception:
    v = ""
print(str(v).lower() if isinstance(v, bool) else v)' "$2"
}

# wait_check TARGET STATE REASON SECONDS: waits until the target is in
# STATE with REASON in its last result; returns 1 after SECONDS. The
# time it took is left in $WAITED (tenths of a second).
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
