#!/bin/sh
# Stock hatop (Debian's) in tmux against softlbd's runtime socket: it
# attaches (prompt, set timeout cli, show info, show stat), shows the
# proxies and an LVS virtual server as a mode tcp proxy, and its keys
# act: F10 puts a server in MAINT, F9 brings it back, F8 adds 10 to its
# weight; each change seen by `softlb -c 'show proxy'`.
. "${top_srcdir:?}/tests/integration/lib.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
command -v hatop >/dev/null 2>&1 || skip "hatop is not installed (Debian package hatop)"

unset TMUX
TM="tmux -L hatop-test-$$ -f /dev/null"
at_exit "$TM kill-server"
RT="$T/rt.sock"
cat >"$T/haproxy.cfg" <<EOC
global
    stats socket $RT mode 600 level admin

defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s

listen web
    bind 127.0.0.1:18580
    server s1 127.0.0.1:18581 weight 10
    server s2 127.0.0.1:18582 weight 20

backend app
    server a1 127.0.0.1:18584
EOC
cat >"$T/keepalived.conf" <<'EOC'
virtual_server 192.0.2.10 80 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    real_server 198.51.100.11 80 {
        weight 3
    }
}
EOC
start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"

$TM new-session -d -s h -x 132 -y 45 /bin/sh -c '
	TERM=xterm hatop -s "$1" -i 1
	echo "EXIT=$?"
	exec sleep 3600' sh "$RT" || { echo "cannot start tmux"; exit 99; }

pane() { $TM capture-pane -p -t h 2>/dev/null; }
wait_pane() {
	for _ in $(seq 100); do
		pane | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	echo "  the screen has no '$1':"
	pane | sed 's/^/  | /'
	return 1
}
# show_proxy LINE_RE: waits until show proxy has a line matching LINE_RE.
show_proxy() {
	for _ in $(seq 50); do
		"$SOFTLB" -s "$SOCK" -c 'show proxy' 2>/dev/null | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	echo "  show proxy has no line '$1':"
	"$SOFTLB" -s "$SOCK" -c 'show proxy' | sed 's/^/  | /'
	return 1
}

check "hatop attaches and shows softlb's name and version" wait_pane "softlb Version: [0-9]"
check "  the node" wait_pane "Node: [^ ]+ \\(uptime"
check "  >>> web and >>> app" wait_pane ">>> app"
check "  the LVS virtual server as a proxy" wait_pane ">>> TCP_192.0.2.10:80"
check "  web's servers with their weights" wait_pane "^s2 +20 "
check "  hatop did not give up" sh -c '! $1 capture-pane -p -t h | grep -q "EXIT="' _ "$TM"

# The cursor starts on web's FRONTEND; one row down is s1. A key sent
# before hatop reads its keyboard would be lost: wait for the footer that
# says where the cursor is, and move until it is on #2/#1.
for _ in $(seq 20); do
	pane | grep -q "\\[#2/#1\\]" && break
	$TM send-keys -t h Down
	sleep 0.3
done
check "the cursor is on web/s1 (#2/#1)" wait_pane "\\[#2/#1\\]"
$TM send-keys -t h F10
check "F10 (disable server): hatop shows s1 MAINT" wait_pane "^s1 +10 MAINT"
check "  and softlb -c 'show proxy' shows web/s1 in MAINT" show_proxy "^web/s1 +server +MAINT "
"$SOFTLB" -s "$SOCK" -c 'show events' >"$T/ev" 2>&1
check "  the journal names the stats socket" grep -q "server web/s1: as configured -> disabled by .*stats socket" "$T/ev"
$TM send-keys -t h F9
check "F9 (enable server): UP again" show_proxy "^web/s1 +server +UP "
$TM send-keys -t h F8
check "F8 (weight + 10): weight 20" show_proxy "^web/s1 +server +UP +20 "
check "  hatop shows it" wait_pane "^s1 +20 "
check "softlbd is fine" daemon_alive
$TM send-keys -t h q
check "q: hatop exits 0" wait_pane "EXIT=0"
finish
