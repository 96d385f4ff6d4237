# Helpers for the softlbtop tests (sourced after lib.sh): a netns lab
# whose lb1 runs softlbd with VRRP, health checks and the proxy (no LVS:
# this machine's kernel has no IPVS), real backends on rs1 and rs2
# (proxy_backend.py), and one server whose name carries escape
# sequences, to see that the monitor shows them made visible.
. "$top_srcdir/tests/integration/proxy_lib.sh"

SOFTLBTOP="$top_builddir/softlbtop"
[ -x "$SOFTLBTOP" ] || { echo "softlbtop is not built"; exit 99; }
# The hostile name: ESC [31m (red) and a BEL inside a server name.
EVIL=$(printf 'ev\033[31mil\007x')
EVIL_SHOWN='ev^[[31mil^Gx'

# tui_lab: builds the lab, starts the backends and softlbd in lb1.
# web/s1 is up (a backend answers), web/s2 is down (nothing listens on
# rs2:8081), web/$EVIL has no check; api has one server, up.
tui_lab() {
	lab_up client lb1 rs1 rs2
	use_lb1
	backend rs1 8080 one
	backend rs2 8080 two
	cat >"$T/keepalived.conf" <<'EOC'
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 61
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
EOC
	cat >"$T/haproxy.cfg" <<EOC
defaults
    mode http
    timeout connect 1s
    timeout client 20s
    timeout server 20s

listen web
    bind 192.0.2.2:80
    server s1 192.0.2.21:8080 check inter 200ms rise 1 fall 1
    server s2 192.0.2.22:8081 check inter 200ms rise 1 fall 1
    server $EVIL 192.0.2.22:8080

listen api
    bind 192.0.2.2:81
    server a1 192.0.2.22:8080 check inter 200ms rise 1 fall 1
EOC
	start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"
	wait_port 192.0.2.21 8080 && wait_port 192.0.2.22 8080 || exit 99
	wait_srv web s1 status UP 10 && wait_srv web s2 status DOWN 10 &&
		wait_srv api a1 status UP 10 || { echo "the lab's servers did not settle"; exit 99; }
}

# once SCREEN [OPTION...]: softlbtop --once, 200 columns; output in
# $OUT, status in $RC.
once() {
	scr=$1
	shift
	OUT=$(COLUMNS=200 "$SOFTLBTOP" -s "$SOCK" --once --screen "$scr" "$@" 2>&1)
	RC=$?
}

# row_of TEXT STATE: some line of $OUT has TEXT (at its start, after
# blanks) and then STATE as a later word.
row_of() {
	printf '%s\n' "$OUT" | grep -qE "^ *$1 +.*\<$2\>"
}

not_contains() {
	! contains "$1" "$2"
}

# col ROW_RE TITLE: the cell under column TITLE (right-aligned: it ends
# where its title ends: the last word up to there) in the first line of
# $OUT matching ROW_RE. The header is the line holding TITLE.
col() {
	printf '%s\n' "$OUT" | LC_ALL=C awk -v re="$1" -v t="$2" '
		hdr == "" && index($0, t) { hdr = $0; e = index($0, t) + length(t) - 1; next }
		hdr != "" && $0 ~ re { v = substr($0, 1, e); sub(/.* /, "", v); print v; exit }'
}
