#!/bin/sh
# softlbd against keepalived (Debian's 2.2) on the neighbouring lab host:
# VRRPv2 with PASS authentication and VRRPv3 (IPv4, and IPv6), each time
# with softlbd first as master, then as backup. The right node is master,
# the VIP is where it must be, and takeover works both ways.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

KEEPALIVED=$(command -v keepalived) || skip "keepalived is not installed (scripts/deps installs it)"
lab_up lb1 lb2
KA_PID=

# ka_conf FILE VERSION VRID PRIORITY VIP INTERVAL
ka_conf() {
	auth=
	[ "$2" = 2 ] && auth="authentication {
        auth_type PASS
        auth_pass s3cret
    }"
	cat >"$1" <<EOC
global_defs {
    router_id $(basename "$1" .conf)
    vrrp_version $2
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id $3
    priority $4
    advert_int $6
    $auth
    virtual_ipaddress {
        $5
    }
}
EOC
}

# ka_start CONF: keepalived (VRRP only) in the foreground on lb2, its pid
# files in the test directory, killed by PID at the end.
ka_start() {
	ip netns exec "$(ns lb2)" "$KEEPALIVED" -n -l -D -P -f "$1" \
		-p "$T/ka.pid" -r "$T/ka-vrrp.pid" >>"$T/keepalived.log" 2>&1 &
	KA_PID=$!
	at_exit "kill -9 $KA_PID 2>/dev/null"
}

ka_stop() {
	[ -n "$KA_PID" ] || return 0
	kill -TERM "$KA_PID" 2>/dev/null
	# keepalived's own VRRP child exits with it; bounded wait.
	for _ in $(seq 50); do
		kill -0 "$KA_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$KA_PID" 2>/dev/null
	wait "$KA_PID" 2>/dev/null
	KA_PID=
}

# ka_state: keepalived's last state for VI_1, from its log.
ka_state() {
	grep -o '(VI_1) Entering [A-Z]* STATE' "$T/keepalived.log" | tail -n 1 |
		sed 's/.*Entering \([A-Z]*\) STATE/\1/'
}

wait_ka_state() {
	_i=0
	while [ "$_i" -lt $(($2 * 10)) ]; do
		[ "$(ka_state)" = "$1" ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "  keepalived is $(ka_state), not $1 after $2 s"
	return 1
}

# round NAME VERSION VRID VIP INTERVAL: one full exchange.
# first_state NAME STATE SECONDS: the first state softlbd's instance
# entered since it started (its transition history), once there is one.
first_state() {
	_i=0
	while [ "$_i" -lt $(($3 * 10)) ]; do
		_f=$(jget "$1" VI_1 transitions.0.to)
		if [ -n "$_f" ]; then
			[ "$_f" = "$2" ] && return 0
			echo "  $1 VI_1 entered $_f first, not $2"
			return 1
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "  $1 VI_1 has no transition after $3 s"
	return 1
}

round() {
	label=$1 ver=$2 vrid=$3 vip=$4 int=$5
	echo "== $label"
	: >"$T/keepalived.log"
	ka_conf "$T/ka.conf" "$ver" "$vrid" 100 "$vip" "$int"
	ka_conf "$T/sl.conf" "$ver" "$vrid" 150 "$vip" "$int"
	addr=${vip%/*}

	# softlbd (150) master, keepalived (100) backup
	vd_start sl lb1 "$T/sl.conf"
	check "$label: softlbd alone becomes master" wait_state sl VI_1 MASTER 8
	ka_start "$T/ka.conf"
	check "$label: keepalived (100) is backup to softlbd (150)" wait_ka_state BACKUP 5
	sleep 3.5
	check "$label: keepalived stays backup past its master-down time" [ "$(ka_state)" = BACKUP ]
	check "$label: softlbd is still master" [ "$(jget sl VI_1 state)" = MASTER ]
	check "$label: the VIP is on softlbd's host" has_vip lb1 "$addr"
	check "$label: and not on keepalived's" no_vip lb2 "$addr"
	check "$label: keepalived found nothing wrong in softlbd's adverts" \
		sh -c "! grep -Ei 'checksum|invalid|mismatch|wrong|bad|fail|error' $T/keepalived.log"

	# kill -9 softlbd: keepalived takes over
	vd_stop sl KILL
	check "$label: keepalived takes over after kill -9 of softlbd" wait_ka_state MASTER 6
	check "$label: the VIP is on keepalived's host" wait_vip lb2 "$addr" 2

	# softlbd comes back and preempts keepalived
	vd_start sl lb1 "$T/sl.conf"
	# Its first transition, from the history: polling the current
	# state misses the backup phase when a loaded machine starts
	# softlbd late (the preempt follows after the master-down time).
	check "$label: restarted softlbd starts as backup under keepalived" first_state sl BACKUP 3
	check "$label: softlbd accepts keepalived's adverts" \
		sh -c "sleep 1.5; [ \"\$(\"$SOFTLB\" -s $T/sl.sock -c 'show vrrp VI_1 json' | grep -c '\"advertiseRcvd\": 0')\" = 0 ]"
	check "$label: softlbd (150) preempts keepalived (100)" wait_state sl VI_1 MASTER 6
	check "$label: keepalived steps down" wait_ka_state BACKUP 3
	check "$label: the VIP left keepalived's host" sh -c "sleep 0.5; ! ip -n $(ns lb2) addr show dev eth0 | grep -q ' $addr/'"
	check "$label: the VIP is on softlbd's host" has_vip lb1 "$addr"

	# the other role: softlbd drops to 50, keepalived (100) preempts
	vsl sl vrrp VI_1 priority 50
	check "$label: keepalived preempts softlbd at priority 50" wait_ka_state MASTER 6
	check "$label: softlbd is backup" wait_state sl VI_1 BACKUP 3
	check "$label: softlbd knows keepalived's host as master" \
		sh -c "[ \"\$(\"$SOFTLB\" -s $T/sl.sock -c 'show vrrp VI_1 json' | grep -c '\"master\": \"$6\"')\" = 1 ]"
	check "$label: the VIP moved to keepalived's host" wait_vip lb2 "$addr" 3

	# keepalived stops cleanly (priority 0): softlbd takes over fast
	t0=$(now_ms)
	ka_stop
	check "$label: softlbd takes over when keepalived stops" wait_state sl VI_1 MASTER 3
	dt=$(($(now_ms) - t0))
	echo "  takeover after keepalived's clean stop: $dt ms"
	# The reason, not the wall time: keepalived itself may take a second
	# to stop on a loaded machine before it sends priority 0.
	check "$label:   on keepalived's priority 0, not after 3 intervals" \
		contains "$(jget sl VI_1 transitions.-1.reason)" "the master left (priority 0)"
	check "$label: softlbd counted keepalived's priority 0" \
		[ "$(jget sl VI_1 stats.priorityZeroPktsRcvd)" -ge 1 ]
	check "$label: no advert of keepalived's was dropped" sh -c \
		"\"$SOFTLB\" -s $T/sl.sock -c 'show vrrp VI_1 json' | grep -E '(Errors|Failures|Mismatch|Rcvd|AuthType)\": [1-9]' | grep -v -e advertiseRcvd -e priorityZero -e vrIdErrors; [ \$? -eq 1 ]"
	vd_stop sl
}

round "v2 PASS IPv4" 2 61 192.0.2.101/32 1 192.0.2.3
round "v3 IPv4, 0.5 s" 3 62 192.0.2.102/32 0.5 192.0.2.3
ll=$(ip -n "$(ns lb2)" -6 addr show dev eth0 scope link | awk '/inet6/ { sub("/.*", "", $2); print $2; exit }')
if [ -n "$ll" ]; then
	round "v3 IPv6" 3 63 2001:db8::102/128 1 "$ll"
else
	echo "no IPv6 link-local address on lb2: IPv6 round not run"
fi
vrrp_finish
