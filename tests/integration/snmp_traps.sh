#!/bin/sh
# SOFTLB-MIB notifications from the event journal, end to end: softlbd on
# lab host lb1 (a keepalived virtual server whose two real servers have
# TCP_CHECKs; a proxy whose servers have checks; a VRRP instance) as the
# AgentX subagent of a real snmpd, snmptrapd receiving. A backend killed
# makes its checks fail: slbRealServerDown and slbProxyServerDown arrive;
# started again: the Up ones; a VRRP transition sends
# slbVrrpTransition. Every notification's varbinds are compared with the
# event of the same sequence number in `softlb --json -c 'show events'`.
# With enable_traps off (reload), nothing more is sent. (The quorum
# notifications need the LVS engine, so real IPVS: tests/vm/snmp_lvs.sh.)
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"
. "$top_srcdir/tests/integration/snmp_lib.sh"

lab_up client lb1 rs1 rs2
use_lb1
backend rs1 8080 one
backend rs2 8080 two
RS2_PID=$BG_PID
trapd_start
snmpd_start

# kconf TRAPS: keepalived.conf, enable_traps when TRAPS is 1.
kconf() {
	cat >"$T/keepalived.conf" <<EOC
global_defs {
    router_id lb1
    enable_snmp_proxy
    enable_snmp_checker
    enable_snmp_rfc
    $([ "$1" = 1 ] && echo enable_traps)
    snmp_socket unix:$AGENTX
}
vrrp_script chk_false {
    script "/bin/false"
    interval 1
    weight -20
}
vrrp_instance VI_7 {
    state BACKUP
    interface eth0
    virtual_router_id 77
    priority 100
    advert_int 1
    track_script {
        chk_false weight -20
    }
    virtual_ipaddress {
        192.0.2.177/32
    }
}
virtual_server 192.0.2.100 8080 {
    lb_kind DR
    protocol TCP
    real_server 192.0.2.21 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
            delay_loop 1
        }
    }
    real_server 192.0.2.22 8080 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
            delay_loop 1
        }
    }
}
EOC
}
kconf 1
cat >"$T/haproxy.cfg" <<EOC
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
listen web
    bind 192.0.2.2:80
    server s1 192.0.2.21:8080 check inter 300ms rise 1 fall 1
    server s2 192.0.2.22:8080 check inter 300ms rise 1 fall 1
EOC
start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"
registered() {
	sl -c 'show status'
	contains "$OUT" "registered with unix:$AGENTX"
}
wait_for() {
	for _ in $(seq $(($1 * 5))); do
		"$2" && return 0
		sleep 0.2
	done
	return 1
}
check "show status: snmp registered, traps on" wait_for 10 registered &&
	contains "$OUT" "traps on"
check "both proxy servers up" wait_srv web s2 status UP 10

SL=".1.3.6.1.4.1.99999.1"
N="$SL.0"
RS="192.0.2.100:8080"

# agree NOTIFICATION OBJECT NEW: the last notification NOTIFICATION in
# traps.log about OBJECT with new state NEW: its slbEventSeq names an
# event of show events whose object, old and new state and reason are
# the notification's varbinds.
agree() {
	sl --json -c 'show events'
	printf '%s' "$OUT" >"$T/events.json"
	"$PYTHON" - "$T/traps.log" "$T/events.json" "$SL" "$1" "$2" "$3" <<'EOP'
import json, re, sys
log, evf, sl, notif, obj, new = sys.argv[1:]
events = {e["seq"]: e for e in json.load(open(evf))["events"]}
vb_re = re.compile(r'(\.[0-9.]+) = ([A-Za-z0-9]+): ((?:"(?:[^"\\]|\\.)*")|[^\t]*)')
found = None
for line in open(log, errors="replace"):
    vbs = {}
    for name, typ, val in vb_re.findall(line):
        if val.startswith('"'):
            val = val[1:-1].replace('\\"', '"')
        vbs[name] = val.strip()
    if vbs.get(".1.3.6.1.6.3.1.1.4.1.0") != sl + ".0." + notif:
        continue
    if vbs.get(sl + ".4.2.0") == obj and vbs.get(sl + ".4.4.0") == new:
        found = vbs
if not found:
    sys.exit("no notification %s for %s -> %s" % (notif, obj, new))
seq = int(found[sl + ".4.1.0"])
ev = events.get(seq)
if not ev:
    sys.exit("slbEventSeq %d is no event of show events" % seq)
want = [ev.get("object", ""), ev.get("old", ""), ev.get("new", ""), ev.get("reason", "")[:255]]
got = [found.get(sl + ".4.%d.0" % i, "") for i in (2, 3, 4, 5)]
if want != got:
    sys.exit("event %d %s != notification %s" % (seq, want, got))
print("  #%d %s: %s -> %s (%s)" % (seq, got[0], got[1], got[2], got[3]))
EOP
}

# --- a VRRP transition: VI_7 has no peer, it becomes master
check "VI_7 becomes master" wait_trap "$N.7" 10
check "slbVrrpTransition BACKUP -> MASTER agrees with show events" agree 7 "vrrp VI_7" MASTER

# --- slbVrrpTable: VI_7's row (index: its name) agrees with show vrrp
VI7=$("$PYTHON" -c 'print(".".join([str(len("VI_7"))] + [str(c) for c in b"VI_7"]))')
sget "$SL.1.5.1.2.$VI7" "$SL.1.5.1.3.$VI7" "$SL.1.5.1.4.$VI7" "$SL.1.5.1.5.$VI7" \
	"$SL.1.5.1.6.$VI7" "$SL.1.5.1.7.$VI7" "$SL.1.5.1.8.$VI7" "$SL.1.5.1.10.$VI7"
printf '%s\n' "$OUT" >"$T/vrrp.snmp"
sl --json -c 'show vrrp VI_7'
printf '%s' "$OUT" >"$T/vrrp.json"
check "slbVrrpTable VI_7 = show vrrp VI_7 json ($(tr '\n' '|' <"$T/vrrp.snmp"))" "$PYTHON" -c '
import json, sys
j = json.load(open(sys.argv[1]))
if isinstance(j, dict) and "instances" in j:
    j = j["instances"][0]
elif isinstance(j, list):
    j = j[0]
v = [l.strip().strip("\"") for l in open(sys.argv[2])]
states = {"INIT": "1", "BACKUP": "2", "MASTER": "3", "FAULT": "4", "DISABLED": "5"}
last = j["transitions"][-1]
want = [states[j["state"]], str(j["priority"]["configured"]), str(j["priority"]["effective"]),
        str(j["priority"]["track_delta"]), "script chk_false weight -20 bad", "1",
        "%s -> %s" % (last["from"], last["to"]), last["reason"]]
assert v == want, (v, want)
' "$T/vrrp.json" "$T/vrrp.snmp"
check "  the failing track script lowered the priority: 80" [ "$(sed -n 3p "$T/vrrp.snmp")" = 80 ]

sl -c 'vrrp VI_7 disable'
sleep 1
check "an operator disable: slbVrrpTransition to DISABLED agrees with show events" \
	agree 7 "vrrp VI_7" DISABLED

# --- rs2's backend killed: its TCP_CHECK and the proxy's check fail
kill "$RS2_PID"
check "slbRealServerDown received" wait_trap "$N.2" 10
check "slbRealServerDown agrees with show events" \
	agree 2 "rs TCP $RS 192.0.2.22:8080" DOWN
check "slbProxyServerDown received" wait_trap "$N.4" 10
check "slbProxyServerDown agrees with show events" agree 4 "server web/s2" DOWN

# --- started again: the Up ones
backend rs2 8080 two
check "slbRealServerUp received" wait_trap "$N.1" 10
check "slbRealServerUp agrees with show events" agree 1 "rs TCP $RS 192.0.2.22:8080" UP
check "slbProxyServerUp received" wait_trap "$N.3" 10
check "slbProxyServerUp agrees with show events" agree 3 "server web/s2" UP

# --- enable_traps off: a failure is journalled, not sent
kconf 0
sl -c reload
check "reload without enable_traps accepted" [ "$RC" -eq 0 ]
before=$(grep -c "OID: $N.2" "$T/traps.log")
kill "$BG_PID"
wait_down() {
	sl -c 'show events'
	contains "$OUT" "rs TCP $RS 192.0.2.22:8080: UP -> DOWN" &&
		[ "$(printf '%s\n' "$OUT" | grep -c "rs TCP $RS 192.0.2.22:8080: UP -> DOWN")" -ge 2 ]
}
check "the second failure is in show events" wait_for 10 wait_down
sleep 1
after=$(grep -c "OID: $N.2" "$T/traps.log")
check "but no slbRealServerDown was sent ($before, $after)" [ "$before" -eq "$after" ]

finish
