#!/bin/sh
# lvs_engine_guest.sh: runs INSIDE the VM only (it loads ip_vs, creates
# namespaces and programs the kernel's IPVS table); lvs_engine.sh boots
# the VM for it. The seed's addresses (10.10.209.x) live only here: the
# real servers are namespaces rs1 and rs2 on a bridge with the director,
# each with the VIP on its loopback (arp_ignore=1, arp_announce=2), as the
# seed's DR scheme wants.
set -u
GUEST=lvs-guest
. "$(dirname "$0")/guest_lib.sh"

cleanup() {
	ip netns del rs1 2>/dev/null
	ip netns del rs2 2>/dev/null
	guest_cleanup
}
trap cleanup EXIT

start() {
	"$SOFTLBD" -n -l -S "$SOCK" --pidfile "$T/p.pid" -f "$CONF" \
		--lvs-reconcile-interval 1 --lvs-drain-timeout "${DRAIN:-60}" \
		--metrics 127.0.0.1:19777 >>"$LOG" 2>&1 &
	PID=$!
	wait_softlbd "$SOCK" "$PID" "$LOG"
}
stop() { stop_cleanly softlbd "$PID"; PID=; }
svc_stat() {	# conns of the seed service, from ipvsadm --stats
	ipvsadm -Ln --stats -t 10.10.209.199:8180 2>/dev/null | awk '/^TCP/ { print $3 }'
}
rs_field() {	# rs_field RS COLUMN: ipvsadm -Ln's column for that real server
	ipvsadm -Ln -t 10.10.209.199:8180 | awk -v rs="$1" -v c="$2" '$2 == rs { print $c }'
}
rs_is() { [ "$(rs_field "$1" 4)" = "$2" ]; }	# rs_is RS WEIGHT
rs_gone() { [ -z "$(rs_field "$1" 4)" ]; }

# The seed's keepalived.conf with the two real servers' weights as $1 $2
# (a weight "-" drops that real server), plus optional extra text.
write_conf() {
	sed -n '1,/^virtual_server/p' "$S/tests/config/good/seed-keepalived.conf" | sed '$d' >"$CONF"
	{
		echo 'virtual_server 10.10.209.199 8180 {'
		echo '    delay_loop 6'
		echo '    lb_algo wlc'
		echo '    lb_kind DR'
		echo '    persistence_timeout 600'
		echo '    protocol TCP'
		[ "$1" != - ] && printf '    real_server 10.10.209.102 8180 {\n        weight %s\n    }\n' "$1"
		[ "$2" != - ] && printf '    real_server 10.10.209.144 8180 {\n        weight %s\n    }\n' "$2"
		echo '}'
		printf '%s\n' "${3:-}"
	} >>"$CONF"
}

echo "== set-up: ip_vs, the bridge and the real-server namespaces"
modprobe ip_vs || { echo "FAIL: modprobe ip_vs"; exit 1; }
ip link set lo up
ip link add br0 type bridge && ip link set br0 up && ip addr add 10.10.209.1/24 dev br0 ||
	{ echo "FAIL: bridge"; exit 1; }
i=0
for rs in 10.10.209.102 10.10.209.144; do
	i=$((i + 1))
	ip netns add rs$i
	ip link add v$i type veth peer name eth0 netns rs$i
	ip link set v$i master br0 up
	ip -n rs$i link set lo up
	ip -n rs$i link set eth0 up
	ip -n rs$i addr add "$rs/24" dev eth0
	ip -n rs$i addr add 10.10.209.199/32 dev lo
	ip netns exec rs$i sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
	mkdir -p "$T/www$i" && echo "rs$i" >"$T/www$i/index.html"
	(cd "$T/www$i" && exec ip netns exec rs$i $PY -m http.server 8180 --bind 0.0.0.0 \
		>/dev/null 2>&1) &
done
wait_for 100 sh -c 'ip netns exec rs1 ss -ltn | grep -q :8180 && ip netns exec rs2 ss -ltn | grep -q :8180' ||
	echo "note: the HTTP servers are slow to start"

echo "== 1. the seed's table, exactly"
write_conf 100 100
start
ipvsadm -Ln >"$T/ipvsadm"
cat "$T/ipvsadm"
sed 1d "$T/ipvsadm" >"$T/got"
cat >"$T/want" <<'X'
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  10.10.209.199:8180 wlc persistent 600
  -> 10.10.209.102:8180           Route   100    0          0         
  -> 10.10.209.144:8180           Route   100    0          0         
X
check "ipvsadm -Ln prints exactly the seed's table" diff -u "$T/want" "$T/got"
check "  under ipvsadm's version line" grep -q '^IP Virtual Server version 1\.2\.1 (size=[0-9]*)$' "$T/ipvsadm"
sl -c 'show lvs'
printf '%s\n' "$OUT" >"$T/softlb"
check "softlb -c 'show lvs' is ipvsadm -Ln, byte for byte" diff -u "$T/ipvsadm" "$T/softlb"
sl -c 'show lvs json'
check "show lvs json parses, with the service and 2 real servers" sh -c 'printf "%s" "$1" | '$PY' -c "
import json,sys
d=json.load(sys.stdin); s=d[\"services\"]
assert len(s)==1 and s[0][\"port\"]==8180 and s[0][\"persistent\"] and s[0][\"managed\"], s
assert [r[\"weight\"] for r in s[0][\"real_servers\"]]==[100,100]"' _ "$OUT"
sl -c 'show status'
check "show status: lvs running" sh -c 'printf "%s\n" "$1" | grep -q "^lvs  *running  *IPVS 1.2.1: 1 services, 2 real servers"' _ "$OUT"
for f in stats rate; do
	ipvsadm -Ln --$f >"$T/a"; sl -c "show lvs $f"; printf '%s\n' "$OUT" >"$T/b"
	check "show lvs $f is ipvsadm -Ln --$f" diff -u "$T/a" "$T/b"
done

echo "== 2. traffic, then a restart adopts the table (no flush)"
# DR through the VIP to a real server namespace; the VM itself is the client.
out=$(curl -s -m 10 http://10.10.209.199:8180/)
check "an HTTP request through the VIP reaches a real server ($out)" sh -c 'case "$1" in rs1|rs2) ;; *) exit 1 ;; esac' _ "$out"
# The kernel folds its per-CPU counters in every 2 s: wait for them.
conns_at_least() { [ "$(svc_stat)" -ge "$1" ] 2>/dev/null; }
check "the service counted the connection" wait_for 50 conns_at_least 1
c1=$(svc_stat)
# The Prometheus families of LVS against `show lvs stats json`, value for
# value (the scrape renders them from the same command).
sl -c 'show lvs stats json'
printf '%s' "$OUT" >"$T/lvs.json"
curl -s -m 10 http://127.0.0.1:19777/metrics >"$T/scrape.txt"
check "metrics: every LVS sample equals show lvs stats json" $PY -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
got = {}
for line in open(sys.argv[2]):
    m = re.match(r"(softlb_lvs_\w+)\{([^}]*)\} (\S+)$", line.strip())
    if m:
        got[(m.group(1), m.group(2))] = float(m.group(3))
want = {}
stats = [("connections_total", "conns"), ("in_packets_total", "inpkts"),
         ("out_packets_total", "outpkts"), ("in_bytes_total", "inbytes"),
         ("out_bytes_total", "outbytes")]
for s in d["services"]:
    vs = "%s %s:%d" % (s["protocol"].upper(), s["address"], s["port"])
    for suffix, key in stats:
        want[("softlb_lvs_virtual_server_" + suffix, "virtual_server=\"%s\"" % vs)] = s["stats"][key]
    for r in s["real_servers"]:
        lab = "virtual_server=\"%s\",real_server=\"%s:%d\"" % (vs, r["address"], r["port"])
        for suffix, key in stats:
            want[("softlb_lvs_real_server_" + suffix, lab)] = r["stats"][key]
        for suffix, key in [("weight", "weight"), ("active_connections", "active_conns"),
                            ("inactive_connections", "inactive_conns")]:
            want[("softlb_lvs_real_server_" + suffix, lab)] = r[key]
bad = [(k, v, got.get(k)) for k, v in want.items() if got.get(k) != float(v)]
extra = [k for k in got if k not in want]
assert want and not bad and not extra, (bad, extra)
print("metrics: %d LVS samples match" % len(want))
' "$T/lvs.json" "$T/scrape.txt"
# A long-lived connection through the VIP, kept across the restart.
$PY -c '
import socket,sys,time
s=socket.create_connection(("10.10.209.199",8180),timeout=10)
open(sys.argv[1],"w").write("up\n")
time.sleep(12)
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
r=s.recv(4096)
open(sys.argv[1],"a").write("reply\n" if r.startswith(b"HTTP/1.0 200") else "bad\n")
' "$T/longconn" &
LC=$!
wait_for 300 grep -qs up "$T/longconn"
stop
check "stopping softlbd leaves the service in the kernel" sh -c 'ipvsadm -Ln | grep -q "^TCP  10.10.209.199:8180 wlc persistent 600"'
: >"$LOG"
start
sleep 1
check "restart: the service is adopted (logged)" has_log "service TCP 10.10.209.199:8180 adopted from the kernel"
check "restart: nothing was re-added" sh -c '! grep -q "added" "$1"' _ "$LOG"
c2=$(svc_stat)
check "restart: counters kept (conns $c1 -> $c2)" [ "${c2:-0}" -ge "$c1" ]
wait "$LC"
check "an established connection through the VIP survives the restart" grep -q reply "$T/longconn"

echo "== 3. a service deleted by hand comes back"
check "ipvsadm -D deletes it" ipvsadm -D -t 10.10.209.199:8180
check "within the reconcile interval it is back" wait_for 50 sh -c 'ipvsadm -Ln | grep -q "^TCP  10.10.209.199:8180 wlc persistent 600"'
check "  with a log line" has_log "service TCP 10.10.209.199:8180 missing from the kernel: re-added"
check "  with both real servers" sh -c '[ "$(ipvsadm -Ln | grep -c "Route   100")" -eq 2 ]'
ipvsadm -A -t 192.0.2.50:80 -s rr
sleep 2
check "a service made by hand is left alone" sh -c 'ipvsadm -Ln | grep -q "^TCP  192.0.2.50:80 rr"'

echo "== 4. weight changes are edits in place"
curl -s -m 10 -o /dev/null http://10.10.209.199:8180/
c1=$(svc_stat)
write_conf 50 100
kill -HUP "$PID"
check "reload: weight 100 -> 50 in the kernel" wait_for 50 rs_is 10.10.209.102:8180 50
c2=$(svc_stat)
check "reload: counters not reset ($c1 -> $c2)" [ "${c2:-0}" -ge "${c1:-1}" ] 
check "reload: logged as changed in place" has_log "real server 10.10.209.102:8180 of TCP 10.10.209.199:8180 changed in place: weight 100 -> 50"
sl -c 'real-server 10.10.209.144:8180 of 10.10.209.199:8180 tcp weight 7'
check "shell weight 7 is in the kernel" [ "$(rs_field 10.10.209.144:8180 4)" = 7 ]
sl -c 'real-server 10.10.209.144:8180 of 10.10.209.199:8180 tcp drain'
check "runtime drain sets weight 0" [ "$(rs_field 10.10.209.144:8180 4)" = 0 ]
sl -c 'show virtual-server 10.10.209.199:8180 tcp'
printf '%s\n' "$OUT"
check "show virtual-server says draining" sh -c 'printf "%s\n" "$1" | grep -q "10.10.209.144:8180 *Route *100 *draining *0"' _ "$OUT"
sl -c 'real-server 10.10.209.144:8180 of 10.10.209.199:8180 tcp restore'
check "restore: back to the configured 100" [ "$(rs_field 10.10.209.144:8180 4)" = 100 ]
sl -c 'real-server 10.10.209.144:8180 of 10.10.209.199:8180 tcp disable'
check "runtime disable removes it from IPVS" [ -z "$(rs_field 10.10.209.144:8180 4)" ]
sl -c 'real-server 10.10.209.144:8180 of 10.10.209.199:8180 tcp enable'
check "enable puts it back" [ "$(rs_field 10.10.209.144:8180 4)" = 100 ]
c3=$(svc_stat)
check "runtime changes kept the counters ($c2 -> $c3)" [ "${c3:-0}" -ge "${c2:-1}" ]

echo "== 5. a removed real server drains, then goes"
# Hold a connection through the VIP, find which real server has it, and
# remove that one from the configuration. The connection ends when the
# test says so (drainconn.close, at most 120 s): a fixed lifetime (it was
# 28 s) ran out under load before the checks of the drain had run.
$PY -c '
import os,socket,sys,time
s=socket.create_connection(("10.10.209.199",8180),timeout=10)
open(sys.argv[1],"w").write("up\n")
for _ in range(1200):
    if os.path.exists(sys.argv[1] + ".close"):
        break
    time.sleep(0.1)
s.close()
' "$T/drainconn" &
DC=$!
wait_for 300 grep -qs up "$T/drainconn"
sleep 0.5
busy=$(ipvsadm -Ln -t 10.10.209.199:8180 | awk '$1 == "->" && $2 ~ /^[0-9]/ && $5 >= 1 { print $2; exit }')
echo "connection held through $busy"
if [ "$busy" = 10.10.209.102:8180 ]; then write_conf - 100; else write_conf 50 -; fi
kill -HUP "$PID"
# (a reload under ASan in a loaded TCG guest took longer than 1.5 s)
check "the removed real server is still there at weight 0" wait_for 100 rs_is "$busy" 0
check "  with its active connection" [ "$(rs_field "$busy" 5)" = 1 ]
check "  logged as draining" has_log "real server $busy of TCP 10.10.209.199:8180 no longer configured: draining 1 active connections"
sl -c 'show virtual-server json'
check "show virtual-server json shows the drain" sh -c 'printf "%s" "$1" | '$PY' -c "
import json,sys
d=json.load(sys.stdin); dr=d[0][\"draining\"]
assert len(dr)==1 and dr[0][\"address\"]==sys.argv[1] and dr[0][\"active\"]==1, dr" "$2"' _ "$OUT" "$busy"
touch "$T/drainconn.close"
wait "$DC"
check "once its connection ends it is deleted" wait_for 300 rs_gone "$busy"
check "  logged as drained" has_log "real server $busy of TCP 10.10.209.199:8180 drained after"

echo "== 6. IPv6, fwmark, a virtual_server_group, timeouts"
write_conf 100 100 'global_defs {
}
virtual_server 2001:db8::10 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 2001:db8::21 8080 {
        weight 3
    }
}
virtual_server fwmark 7 {
    lb_algo sh
    sh-port
    lb_kind DR
    real_server 192.0.2.31 0 {
        weight 2
    }
}
virtual_server_group G {
    192.0.2.40-41 443
}
virtual_server group G {
    lb_algo wrr
    lb_kind TUN
    protocol TCP
    real_server 192.0.2.61 443 {
        weight 4
    }
}'
sed -i 's/^global_defs {$/global_defs {\n    lvs_timeouts tcp 800 tcpfin 90 udp 250/' "$CONF"
kill -HUP "$PID"
sleep 2
# Connections of section 5 may still time out between the two reads.
for _ in 1 2 3; do
	ipvsadm -Ln >"$T/a"; sl -c 'show lvs'; printf '%s\n' "$OUT" >"$T/b"
	cmp -s "$T/a" "$T/b" && break
done
cat "$T/a"
check "show lvs is still ipvsadm -Ln, byte for byte" diff -u "$T/a" "$T/b"
check "IPv6 service with a Masq real server" grep -q '^TCP  \[2001:db8::10\]:80 rr' "$T/a"
check "fwmark service with its sh flag" grep -q '^FWM  7 sh (sh-port)' "$T/a"
check "the group expanded to two services" sh -c '[ "$(grep -c "^TCP  192.0.2.4[01]:443 wrr" "$1")" -eq 2 ]' _ "$T/a"
check "  with Tunnel real servers" sh -c '[ "$(grep -c "192.0.2.61:443 *Tunnel *4" "$1")" -eq 2 ]' _ "$T/a"
check "lvs_timeouts set" sh -c 'ipvsadm -Ln --timeout | grep -q "Timeout (tcp tcpfin udp): 800 90 250"'
sl -c 'show lvs timeout'
check "show lvs timeout is ipvsadm's" [ "$OUT" = "$(ipvsadm -Ln --timeout)" ]
sl -c 'show lvs json'
check "show lvs json parses (5 softlbd services + 1 by hand)" sh -c 'printf "%s" "$1" | '$PY' -c "
import json,sys
s=json.load(sys.stdin)[\"services\"]
assert len(s)==6 and sum(1 for x in s if x[\"managed\"])==5, s"' _ "$OUT"

echo "== 7. a change the kernel refuses is refused whole"
# The parser knows every scheduler name; the kernel refuses one whose
# module cannot load, so modprobe is made to fail for the moment.
cp "$CONF" "$T/good.conf"
sed -i 's/lb_algo rr/lb_algo lblcr/' "$CONF"
modprobe_was=$(cat /proc/sys/kernel/modprobe)
if [ ! -d /sys/module/ip_vs_lblcr ]; then
	echo /bin/true >/proc/sys/kernel/modprobe
	sl -c reload
	echo "$modprobe_was" >/proc/sys/kernel/modprobe
	printf '%s\n' "$OUT" | head -3
	check "a scheduler the kernel cannot load refuses the reload" sh -c '[ "$1" -ne 0 ] && case "$2" in *"lvs refused the change"*) ;; *) exit 1 ;; esac' _ "$RC" "$OUT"
else
	echo "note: ip_vs_lblcr already loaded; the refusal path is not exercised"
fi
check "  and the kernel keeps the old table" sh -c 'ipvsadm -Ln | grep -q "^TCP  \[2001:db8::10\]:80 rr"'
cp "$T/good.conf" "$CONF"

echo "== 8. removing a service deletes only it"
write_conf 100 100
kill -HUP "$PID"
sleep 2
check "removed services are deleted" sh -c '! ipvsadm -Ln | grep -q "2001:db8::10\|FWM  7\|192.0.2.40"'
check "the hand-made service is still there" sh -c 'ipvsadm -Ln | grep -q "^TCP  192.0.2.50:80 rr"'
sl -c 'clear lvs counters'
check "clear lvs counters zeroes them" [ "$(svc_stat)" = 0 ]
echo "== 9. health checks: a real server whose TCP_CHECK fails leaves IPVS, and returns"
sed -n '1,/^virtual_server/p' "$S/tests/config/good/seed-keepalived.conf" | sed '$d' >"$CONF"
cat >>"$CONF" <<'X'
virtual_server 10.10.209.199 8180 {
    delay_loop 1
    lb_algo wlc
    lb_kind DR
    protocol TCP
    real_server 10.10.209.102 8180 {
        weight 100
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
    real_server 10.10.209.144 8180 {
        weight 100
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
X
kill -HUP "$PID"
up_rs2() { ipvsadm -Ln | grep -q '10.10.209.144:8180 *Route *100 '; }
check "with both checks passing, both real servers are in IPVS" wait_for 100 up_rs2
rs2_pids=$(ip netns pids rs2)
# shellcheck disable=SC2086
kill $rs2_pids
check "rs2's server killed: its check fails and it leaves IPVS" wait_for 150 sh -c '! ipvsadm -Ln | grep -q "10.10.209.144:8180 *Route *[1-9]"'
check "  while rs1 stays" sh -c 'ipvsadm -Ln | grep -q "10.10.209.102:8180 *Route *100 "'
sl -c 'show events'
check "  and show events says why" sh -c 'printf "%s\n" "$1" | grep -q "10.10.209.144"' _ "$OUT"
(cd "$T/www2" && exec ip netns exec rs2 $PY -m http.server 8180 --bind 0.0.0.0 >/dev/null 2>&1) &
check "rs2's server back: its check passes and it returns to IPVS" wait_for 150 up_rs2

stop
echo "--- softlbd log ---"
cat "$LOG"
guest_finish
