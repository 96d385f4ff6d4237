#!/bin/sh
# snmp_lvs_guest.sh: runs INSIDE the VM only (it loads ip_vs and programs
# the kernel's IPVS table); snmp_lvs.sh boots the VM for it. The seed's
# keepalived.conf (its LVS part as lvs_engine_guest.sh runs it, real
# servers rs1 and rs2 in namespaces, the VM as the client) with SNMP
# turned on; a real snmpd as AgentX master (socket in $T, SNMP on
# 127.0.0.1 only) and snmptrapd. Checked:
#   - LVS-MIB's lvsServiceTable / lvsRealTable agree with ipvsadm -Ln
#     --stats --exact (and -Ln for scheduler and weights);
#   - SOFTLB-MIB's slbVirtualServerTable / slbRealServerTable agree with
#     ipvsadm and with softlb --json -c 'show virtual-server';
#   - KEEPALIVED-MIB's virtualServerTable / realServerTable (its check
#     part, .3) agree with ipvsadm -Ln --stats --exact and -Ln;
#   - a reload that adds one virtual server and removes another leaves
#     the SOFTLB-MIB indexes (and values) of the untouched rows alone;
#   - slbQuorumLost / slbQuorumRegained arrive when a real server behind
#     a quorum fails its check and comes back, and agree with show events.
set -u
GUEST=snmp-lvs
. "$(dirname "$0")/guest_lib.sh"

SNMPD=/usr/sbin/snmpd
SNMPTRAPD=/usr/sbin/snmptrapd
SNMPD_PID=
TRAPD_PID=
cleanup() {
	[ -n "$SNMPD_PID" ] && kill "$SNMPD_PID" 2>/dev/null
	[ -n "$TRAPD_PID" ] && kill "$TRAPD_PID" 2>/dev/null
	for p in $(cat "$T"/http*.pid 2>/dev/null); do kill "$p" 2>/dev/null; done
	ip netns del rs1 2>/dev/null
	ip netns del rs2 2>/dev/null
	guest_cleanup
}
trap cleanup EXIT

for tool in "$SNMPD" "$SNMPTRAPD" /usr/bin/snmpwalk /usr/bin/snmpget; do
	[ -x "$tool" ] || { echo "SKIP: $tool missing in the guest (it sees the host's root)"; exit 77; }
done
MIBS=
SNMP_PERSISTENT_DIR=$T/snmp-persist
export MIBS SNMP_PERSISTENT_DIR
mkdir -p "$SNMP_PERSISTENT_DIR"
AGENTX=$T/agentx.sock
AGENT=127.0.0.1:16161
TRAPS=127.0.0.1:16162
LVS=.1.3.6.1.4.1.8225.4711
SL=.1.3.6.1.4.1.99999.1
KADC=.1.3.6.1.4.1.9586.100.5.3

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
done
# http RS PORT: a web server in rsN on PORT (pid in $T/httpN-PORT.pid)
http() {
	(cd "$T/www$1" && exec ip netns exec "rs$1" $PY -m http.server "$2" --bind 0.0.0.0 \
		>/dev/null 2>&1) &
	echo $! >"$T/http$1-$2.pid"
}
http 1 8180
http 2 8180
http 1 8181
wait_for 100 sh -c 'ip netns exec rs1 ss -ltn | grep -q :8181 && ip netns exec rs2 ss -ltn | grep -q :8180' ||
	echo "note: the HTTP servers are slow to start"

echo "== snmpd and snmptrapd"
cat >"$T/snmpd.conf" <<EOC
agentaddress udp:$AGENT
master agentx
agentXSocket unix:$AGENTX
agentXPerms 0600 0700
# The guest is emulated (TCG) and softlbd runs under ASan: a subagent
# answer may take longer than AgentX's default 1 s here.
agentXTimeout 10
agentXRetries 2
rocommunity public 127.0.0.1
trap2sink $TRAPS public
EOC
echo 'disableAuthorization yes' >"$T/snmptrapd.conf"
: >"$T/traps.log"
"$SNMPTRAPD" -f -C -c "$T/snmptrapd.conf" -On -Lf "$T/traps.log" "udp:$TRAPS" >/dev/null 2>&1 &
TRAPD_PID=$!
"$SNMPD" -f -C -c "$T/snmpd.conf" -Lf "$T/snmpd.log" >/dev/null 2>&1 &
SNMPD_PID=$!
wait_for 100 snmpget -v2c -c public -t 1 -r 0 "$AGENT" .1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 ||
	{ echo "FAIL: snmpd did not start"; cat "$T/snmpd.log"; exit 1; }

# The seed's keepalived.conf, SNMP on in its global_defs, plus EXTRA ($1):
# more virtual servers.
write_conf() {
	sed "s|^global_defs {|global_defs {\\
    enable_snmp_checker\\
    enable_snmp_proxy\\
    enable_traps\\
    snmp_socket unix:$AGENTX|" "$S/tests/config/good/seed-keepalived.conf" >"$CONF"
	printf '%s\n' "${1:-}" >>"$CONF"
}
# The quorum's virtual server: one real server on rs1:8181 (TCP_CHECK
# every second), quorum 1, a sorry server.
QVS='virtual_server 10.10.209.199 8181 {
    delay_loop 1
    lb_algo rr
    lb_kind DR
    protocol TCP
    quorum 1
    sorry_server 10.10.209.144 8181
    real_server 10.10.209.102 8181 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}'
# A virtual server the reload adds (IPv4, UDP) and one it removes.
ADDED='virtual_server 10.10.209.199 53 {
    lb_algo rr
    lb_kind DR
    protocol UDP
    real_server 10.10.209.102 53 {
        weight 5
    }
}'
REMOVED='virtual_server 10.10.209.199 8443 {
    lb_algo sh
    lb_kind DR
    protocol TCP
    real_server 10.10.209.144 8443 {
        weight 3
    }
}'
write_conf "$QVS
$REMOVED"
"$SOFTLBD" -n -l -S "$SOCK" --pidfile "$T/p.pid" -f "$CONF" --lvs-reconcile-interval 1 \
	>>"$LOG" 2>&1 &
PID=$!
wait_softlbd "$SOCK" "$PID" "$LOG"
registered() { sl -c 'show status'; case "$OUT" in *"registered with unix:$AGENTX"*) return 0 ;; esac; return 1; }
check "softlbd registered with snmpd" wait_for 100 registered || cat "$LOG"
check "the seed's service is in IPVS" wait_for 100 sh -c 'ipvsadm -Ln | grep -q "10.10.209.199:8180"'

echo "== traffic through the seed's service, then a pause for the counters"
for _ in $(seq 20); do curl -s -m 5 -o /dev/null http://10.10.209.199:8180/; done
for _ in $(seq 5); do curl -s -m 5 -o /dev/null http://10.10.209.199:8181/; done
# The reconcile pass reads the kernel every second, the snapshot is at
# most a second old: 4 s after the traffic both agree with the kernel.
sleep 4

# walk OID FILE: a numeric walk, "OID value" lines
walk() {
	snmpwalk -v2c -c public -On -Oq -Ot -t 30 -r 1 "$AGENT" "$1" >"$2" 2>&1 ||
		{ echo "snmpwalk $1 failed:"; cat "$2" "$T/snmpd.log"; }
}
# take: the walks and the kernel's view, one after the other
take() {
	walk "$LVS" "$T/lvs.walk"
	walk "$SL.1.3" "$T/vs.walk"
	walk "$SL.1.4" "$T/rs.walk"
	ipvsadm -Ln --stats --exact >"$T/ipvs.stats"
	ipvsadm -Ln >"$T/ipvs.list"
	sl --json -c 'show virtual-server'
	printf '%s' "$OUT" >"$T/vs.json"
}
take

cat >"$T/cmp.py" <<'EOP'
import json, re, sys

def walk(path, root):
    """{(column, index tuple): value} under root (table entry)."""
    out = {}
    for line in open(path):
        parts = line.strip().split(" ", 1)
        if len(parts) < 2 or not parts[0].startswith(root + "."):
            continue
        sub = [int(x) for x in parts[0][len(root) + 1:].split(".")]
        out[(sub[0], tuple(sub[1:]))] = parts[1].strip().strip('"')
    return out

def ipvs_stats(path):
    """{service: (counters, {rs: counters})} from ipvsadm -Ln --stats --exact."""
    svcs, cur = {}, None
    for line in open(path):
        f = line.split()
        if len(f) == 7 and f[0] in ("TCP", "UDP", "SCTP", "FWM"):
            cur = (f[0], f[1])
            svcs[cur] = ([int(x) for x in f[2:7]], {})
        elif len(f) == 7 and f[0] == "->" and cur:
            svcs[cur][1][f[1]] = [int(x) for x in f[2:7]]
    return svcs

def ipvs_list(path):
    """{service: (scheduler, {rs: (fwd, weight, active, inactive)})} from ipvsadm -Ln."""
    svcs, cur = {}, None
    for line in open(path):
        f = line.split()
        if len(f) >= 3 and f[0] in ("TCP", "UDP", "SCTP", "FWM"):
            cur = (f[0], f[1])
            svcs[cur] = (f[2], {})
        elif len(f) == 6 and f[0] == "->" and cur and f[1] != "RemoteAddress:Port":
            svcs[cur][1][f[1]] = (f[2], int(f[3]), int(f[4]), int(f[5]))
    return svcs

PROTO = {6: "TCP", 17: "UDP", 132: "SCTP"}
FWD = {"Masq": 1, "Local": 2, "Tunnel": 3, "Route": 4}

def ip4(idx):
    return ".".join(str(x) for x in idx)

def check_lvs(lvs_walk, stats, lst):
    lvs = walk(lvs_walk, ".1.3.6.1.4.1.8225.4711.17.1")
    real = walk(lvs_walk, ".1.3.6.1.4.1.8225.4711.18.1")
    rows = sorted({i for (c, i) in lvs})
    seen = set()
    for i in rows:
        key = (PROTO[int(lvs[(3, i)])], "%s:%s" % (lvs[(4, i)], lvs[(5, i)]))
        if key not in stats:
            continue        # a service of softlbd's that IPVS does not have
        seen.add(key)
        got = [int(lvs[(c, i)]) for c in (10, 11, 12, 13, 14)]
        assert got == stats[key][0], ("lvsService", key, got, stats[key][0])
        assert lvs[(2, i)] == lst[key][0], ("scheduler", key, lvs[(2, i)], lst[key][0])
        rs_rows = sorted({j for (c, j) in real if j[0] == i[0]})
        assert int(lvs[(9, i)]) == len(rs_rows), ("lvsServiceNumDests", key)
        for j in rs_rows:
            rkey = "%s:%s" % (real[(3, j)], real[(4, j)])
            if rkey not in stats[key][1]:
                continue    # not in the kernel now (down, no inhibit)
            got = [int(real[(c, j)]) for c in (7, 8, 9, 10, 11)]
            assert got == stats[key][1][rkey], ("lvsReal", key, rkey, got, stats[key][1][rkey])
            assert int(real[(6, j)]) == lst[key][1][rkey][1], ("lvsRealWeight", key, rkey)
    assert seen == set(stats), ("services in ipvsadm without a row", set(stats) - seen)
    return len(seen)

def check_softlb(vs_walk, rs_walk, stats, lst, vs_json):
    vs = walk(vs_walk, ".1.3.6.1.4.1.99999.1.1.3.1")
    rs = walk(rs_walk, ".1.3.6.1.4.1.99999.1.1.4.1")
    js = json.load(open(vs_json))
    js = js.get("virtual_servers", js) if isinstance(js, dict) else js
    by_service = {}
    for s in js:
        by_service[s["service"]] = s
    n = 0
    for i in sorted({i for (c, i) in vs}):
        # index: type, len, addr..., protocol, port, fwmark
        assert i[0] == 1 and i[1] == 4, i
        addr, proto, port = ip4(i[2:6]), i[6], i[7]
        key = (PROTO[proto], "%s:%d" % (addr, port))
        if key not in stats:
            continue
        n += 1
        got = [int(vs[(c, i)]) for c in (13, 14, 15, 16, 17)]
        assert got == stats[key][0], ("slbVs counters", key, got, stats[key][0])
        assert vs[(7, i)] == lst[key][0], ("slbVsScheduler", key)
        act = sum(v[2] for v in lst[key][1].values())
        inact = sum(v[3] for v in lst[key][1].values())
        assert (int(vs[(10, i)]), int(vs[(11, i)])) == (act, inact), ("slbVs conns", key, act, inact)
        svc = [s for s in js if s["virtual_server"] == vs[(6, i)]]
        assert svc, ("slbVsName names no virtual server of show virtual-server", vs[(6, i)])
        for j in sorted({j for (c, j) in rs if j[:len(i)] == i}):
            r = j[len(i):]
            assert r[0] == 1 and r[1] == 4, r
            rkey = "%s:%d" % (ip4(r[2:6]), r[6])
            sj = [x for x in svc[0]["real_servers"] if x["address"] == rkey]
            assert sj, ("no real server %s in show virtual-server" % rkey)
            sj = sj[0]
            assert int(rs[(5, j)]) == sj["config_weight"], ("slbRsConfigWeight", rkey)
            assert int(rs[(6, j)]) == sj["wanted_weight"], ("slbRsWeight", rkey)
            states = ["up", "draining", "disabled", "down", "sorry-server", "no-quorum"]
            assert states[int(rs[(7, j)]) - 1] == sj["state"], ("slbRsState", rkey, rs[(7, j)], sj["state"])
            if rkey in stats[key][1]:
                got = [int(rs[(c, j)]) for c in (11, 12, 13, 14, 15)]
                assert got == stats[key][1][rkey], ("slbRs counters", key, rkey, got)
                f = lst[key][1][rkey]
                assert int(rs[(4, j)]) == FWD[f[0]], ("slbRsFwdMethod", rkey)
                assert (int(rs[(8, j)]), int(rs[(9, j)])) == (f[2], f[3]), ("slbRs conns", rkey)
                assert (int(rs[(8, j)]), int(rs[(9, j)])) == (sj["active_conns"], sj["inactive_conns"])
    return n

def octets(v):
    """An InetAddress as -Oq prints it: hex pairs (or printable text)."""
    f = v.replace('"', "").split()
    if f and all(len(x) == 2 for x in f):
        try:
            return bytes(int(x, 16) for x in f)
        except ValueError:
            pass
    return v.encode()

ALGO = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"]

def check_kad(kad_walk, stats, lst):
    vs = walk(kad_walk, ".1.3.6.1.4.1.9586.100.5.3.3.1")
    rs = walk(kad_walk, ".1.3.6.1.4.1.9586.100.5.3.4.1")
    seen = set()
    for i in sorted({i for (c, i) in vs}):
        if int(vs[(5, i)]) != 1:
            continue
        addr = ".".join(str(b) for b in octets(vs[(6, i)]))
        key = ({1: "TCP", 2: "UDP", 3: "SCTP"}[int(vs[(8, i)])], "%s:%s" % (addr, vs[(7, i)]))
        if key not in stats:
            continue
        seen.add(key)
        got = [int(vs[(c, i)]) for c in (38, 39, 40, 30, 31)]
        assert got == stats[key][0], ("virtualServer counters", key, got, stats[key][0])
        assert ALGO[int(vs[(9, i)]) - 1] == lst[key][0], ("virtualServerLoadBalancingAlgo", key)
        rows = sorted({j for (c, j) in rs if j[0] == i[0]})
        assert int(vs[(20, i)]) == len(rows), ("virtualServerRealServersTotal", key)
        for j in rows:
            raddr = ".".join(str(b) for b in octets(rs[(4, j)]))
            rkey = "%s:%s" % (raddr, rs[(5, j)])
            if rkey not in stats[key][1]:
                continue
            got = [int(rs[(c, j)]) for c in (27, 28, 29, 20, 21)]
            assert got == stats[key][1][rkey], ("realServer counters", key, rkey, got)
            f = lst[key][1][rkey]
            assert int(rs[(7, j)]) == f[1], ("realServerWeight", key, rkey)
            # (active / inactive connections expire between the listing and
            # this walk: SOFTLB-MIB's, walked next to it, are compared)
            assert int(rs[(40, j)]) == {"Masq": 1, "Route": 2, "Tunnel": 3}[f[0]], ("fwd", rkey)
    assert seen == set(stats), ("services in ipvsadm without a row", set(stats) - seen)
    return len(seen)

what = sys.argv[1]
if what == "kad":
    print(check_kad(sys.argv[2], ipvs_stats(sys.argv[3]), ipvs_list(sys.argv[4])))
elif what == "lvs":
    print(check_lvs(sys.argv[2], ipvs_stats(sys.argv[3]), ipvs_list(sys.argv[4])))
elif what == "softlb":
    print(check_softlb(sys.argv[2], sys.argv[3], ipvs_stats(sys.argv[4]), ipvs_list(sys.argv[5]),
                       sys.argv[6]))
elif what == "rows":
    # the rows of a walk: "index value" of one column
    for (c, i), v in sorted(walk(sys.argv[2], sys.argv[3]).items()):
        if c == int(sys.argv[4]):
            print(".".join(str(x) for x in i), v)
EOP
# A slow guest (a loaded host) may still be a refresh behind after the
# pause: take it again, a few times, until both tables agree.
for _ in 1 2 3 4 5 6; do
	$PY "$T/cmp.py" lvs "$T/lvs.walk" "$T/ipvs.stats" "$T/ipvs.list" >/dev/null 2>&1 &&
		$PY "$T/cmp.py" softlb "$T/vs.walk" "$T/rs.walk" "$T/ipvs.stats" "$T/ipvs.list" \
			"$T/vs.json" >/dev/null 2>&1 && break
	echo "note: the walk and ipvsadm differ; taking both again in 2 s"
	sleep 2
	take
done
echo "-- ipvsadm -Ln --stats --exact"
cat "$T/ipvs.stats"
n=$($PY "$T/cmp.py" lvs "$T/lvs.walk" "$T/ipvs.stats" "$T/ipvs.list" 2>&1)
check "LVS-MIB lvsServiceTable / lvsRealTable agree with ipvsadm -Ln --stats --exact ($n services)" \
	[ "$n" -ge 3 ] 2>/dev/null || { echo "$n"; cat "$T/lvs.walk"; }
seed_conns=$(awk '$1 == "TCP" && $2 == "10.10.209.199:8180" { print $3 }' "$T/ipvs.stats")
check "  and the seed's service carried the 20 requests ($seed_conns connections)" \
	[ "${seed_conns:-0}" -ge 20 ]
n=$($PY "$T/cmp.py" softlb "$T/vs.walk" "$T/rs.walk" "$T/ipvs.stats" "$T/ipvs.list" "$T/vs.json" 2>&1)
check "SOFTLB-MIB slbVirtualServerTable / slbRealServerTable agree with ipvsadm and show virtual-server ($n services)" \
	[ "$n" -ge 3 ] 2>/dev/null || { echo "$n"; cat "$T/vs.walk" "$T/rs.walk"; cat "$T/vs.json"; }
# KEEPALIVED-MIB after the others (their active / inactive connections
# are compared with the kernel's listing, taken next to them, and those
# expire); its counters do not move without traffic.
walk "$KADC" "$T/kad.walk"
n=$($PY "$T/cmp.py" kad "$T/kad.walk" "$T/ipvs.stats" "$T/ipvs.list" 2>&1)
check "KEEPALIVED-MIB virtualServerTable / realServerTable agree with ipvsadm -Ln --stats --exact ($n services)" \
	[ "$n" -ge 3 ] 2>/dev/null || { echo "$n"; cat "$T/kad.walk"; }
grep -q '99999.1.1.4.1.21.1.4.10.10.209.199.6.8180.0.1.4.10.10.209.102.8180 1$' "$T/rs.walk"
check "slbRsCheckState of the seed's rs1: up(1), by its TCP_CHECK" [ $? -eq 0 ]
grep -q '99999.1.1.3.1.23.1.4.10.10.209.199.6.8181.0 1$' "$T/vs.walk"
check "slbVsQuorum of the quorum's service: up(1)" [ $? -eq 0 ]

echo "== a reload adds a virtual server and removes another"
$PY "$T/cmp.py" rows "$T/vs.walk" "$SL.1.3.1" 6 >"$T/names.before"
$PY "$T/cmp.py" rows "$T/rs.walk" "$SL.1.4.1" 5 >"$T/rs.before"
write_conf "$ADDED
$QVS"
sl -c reload
check "reload accepted" [ "$RC" -eq 0 ] || echo "$OUT"
sleep 3
walk "$SL.1.3" "$T/vs2.walk"
walk "$SL.1.4" "$T/rs2.walk"
$PY "$T/cmp.py" rows "$T/vs2.walk" "$SL.1.3.1" 6 >"$T/names.after"
$PY "$T/cmp.py" rows "$T/rs2.walk" "$SL.1.4.1" 5 >"$T/rs.after"
echo "-- slbVsName before:"; cat "$T/names.before"
echo "-- after:"; cat "$T/names.after"
check "the removed service's row is gone" sh -c '! grep -q "\.8443\.0 " "$1"' _ "$T/names.after"
check "the added service has a row (UDP 53)" grep -q '^1\.4\.10\.10\.209\.199\.17\.53\.0 "*UDP' "$T/names.after"
check "the untouched services keep their index and name (2 of them)" \
	sh -c '[ "$(grep -vc "\.8443\.0 " "$1")" -eq 2 ] &&
		! grep -v "\.8443\.0 " "$1" | grep -vxF -f "$2"' _ "$T/names.before" "$T/names.after"
check "the untouched real servers keep their index and configured weight (3 or more)" \
	sh -c '[ "$(grep -vc "\.8443\.0\." "$1")" -ge 3 ] &&
		! grep -v "\.8443\.0\." "$1" | grep -vxF -f "$2"' _ "$T/rs.before" "$T/rs.after"

echo "== the quorum: rs1:8181 fails its check, then comes back"
kill "$(cat "$T/http1-8181.pid")"
# wait_trap OID SECONDS
wait_trap() { wait_for $(($2 * 10)) grep -q "1.3.6.1.6.3.1.1.4.1.0 = OID: $1	" "$T/traps.log"; }
check "slbQuorumLost received" wait_trap "$SL.0.5" 15 || cat "$T/traps.log"
http 1 8181
check "slbQuorumRegained received" wait_trap "$SL.0.6" 15 || cat "$T/traps.log"
sl --json -c 'show events engine lvs'
printf '%s' "$OUT" >"$T/events.json"
check "both agree with the journal (object, old, new, reason under slbEventSeq)" $PY - "$T/traps.log" "$T/events.json" <<'EOP'
import json, re, sys
events = {e["seq"]: e for e in json.load(open(sys.argv[2]))["events"]}
vb = re.compile(r'(\.[0-9.]+) = ([A-Za-z0-9]+): ((?:"(?:[^"\\]|\\.)*")|[^\t]*)')
sl = ".1.3.6.1.4.1.99999.1"
n = 0
for line in open(sys.argv[1], errors="replace"):
    v = {k: (x[1:-1] if x.startswith('"') else x.strip()) for k, t, x in vb.findall(line)}
    if v.get(".1.3.6.1.6.3.1.1.4.1.0") not in (sl + ".0.5", sl + ".0.6"):
        continue
    e = events[int(v[sl + ".4.1.0"])]
    got = [v[sl + ".4.%d.0" % i] for i in (2, 3, 4, 5)]
    want = [e["object"], e.get("old") or "", e["new"], e.get("reason") or ""]
    assert got == want, (got, want)
    assert got[0] == "vs TCP 10.10.209.199:8181", got
    print("  #%d %s" % (e["seq"], got))
    n += 1
assert n >= 2, n
EOP

stop_cleanly softlbd "$PID"
PID=
guest_finish
