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

