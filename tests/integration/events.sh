#!/bin/sh
# The event journal: show events since SEQ returns exactly the events
# after SEQ, in order; the ring wraps without losing order; an operator's
# drain is recorded with the operator's name, uid and role; a shell edit
# and a reload say what changed and who did it; the filters work.
. "${top_srcdir:?}/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root to create a user and groups"
command -v useradd >/dev/null || skip "useradd missing (Debian package passwd)"
command -v setpriv >/dev/null || skip "setpriv missing (Debian package util-linux)"

for g in softlb softlb-oper; do
	if ! getent group "$g" >/dev/null; then
		groupadd "$g" || exit 99
		at_exit "groupdel $g"
	fi
done
u_oper="slbe$$"
useradd -M -N -g nogroup -G softlb,softlb-oper "$u_oper" && at_exit "userdel $u_oper"
as_oper() { setpriv --reuid="$u_oper" --regid=nogroup --init-groups -- "$@"; }

cat >"$T/ka.conf" <<'CONF'
virtual_server 192.0.2.10 80 {
    lb_algo rr
    protocol TCP
    real_server 198.51.100.11 80 {
        weight 1
    }
    real_server 198.51.100.12 80 {
        weight 1
    }
}
CONF
# a small ring, so that it wraps within the test
start_daemon -f "$T/ka.conf" -p /dev/null --events 8

json() { "$PYTHON" -c "import json, sys; d = json.load(sys.stdin); $1"; }

sl --json -c 'show events'
first=$(printf '%s' "$OUT" | json 'print(d["last_seq"])')
check "the journal starts with softlbd's start" sh -c 'printf "%s" "$1" | grep -q "\"started\""' _ "$OUT"

out=$(as_oper "$SOFTLB" -s "$SOCK" -c 'real-server 198.51.100.11:80 of 192.0.2.10:80 tcp drain' 2>&1)
check "an operator drains a real server" contains "$out" "draining"
sl --json -c "show events since $first"
check "since SEQ returns exactly the one event after SEQ" sh -c 'printf "%s" "$1" | "$2" -c "
import json, sys
d = json.load(sys.stdin)
ev = d[\"events\"]
assert len(ev) == 1, ev
e = ev[0]
assert e[\"seq\"] == int(sys.argv[1]) + 1 == d[\"last_seq\"], e
assert e[\"engine\"] == \"runtime\" and e[\"kind\"] == \"override\", e
assert e[\"object\"] == \"rs TCP 192.0.2.10:80 198.51.100.11:80\", e
assert e[\"old\"] == \"as configured\" and e[\"new\"] == \"draining\", e
assert e[\"user\"] == sys.argv[2] and e[\"role\"] == \"operator\", e
assert e[\"uid\"] > 0
"  "$3" "$4"' _ "$OUT" "$PYTHON" "$first" "$u_oper"
drain_seq=$((first + 1))
sl --json -c "show events since $drain_seq"
check "since the newest returns nothing" sh -c 'printf "%s" "$1" | "$2" -c "
import json, sys
d = json.load(sys.stdin)
assert d[\"events\"] == [] and d[\"last_seq\"] == int(sys.argv[1]), d
" "$3"' _ "$OUT" "$PYTHON" "$drain_seq"

sl -c "show events object 198.51.100.11:80"
check "the text form names the operator" contains "$OUT" "by $u_oper (uid"

# a shell edit, then a reload that undoes it: each change with its fields
printf 'configure\nvirtual-server 192.0.2.10:80 tcp\nreal-server 198.51.100.12:80 weight 7\nend\n' | "$SOFTLB" -s "$SOCK" >/dev/null 2>&1
sl -c 'reload'
sl --json -c "show events engine config since $drain_seq"
check "an edit and a reload each say what changed, and who" sh -c 'printf "%s" "$1" | "$2" -c "
import json, sys
ev = json.load(sys.stdin)[\"events\"]
kinds = [(e[\"kind\"], e[\"object\"], e.get(\"reason\"), e.get(\"user\")) for e in ev]
assert (\"edit\", \"rs TCP 192.0.2.10:80 198.51.100.12:80\", \"weight\", \"root\") in kinds, kinds
assert (\"reload\", \"rs TCP 192.0.2.10:80 198.51.100.12:80\", \"weight\", \"root\") in kinds, kinds
assert all(e[\"engine\"] == \"config\" for e in ev)
" ' _ "$OUT" "$PYTHON"

# wrap the ring (8): 20 drains and restores
i=0
while [ $i -lt 10 ]; do
	sl -c 'real-server 198.51.100.12:80 of 192.0.2.10:80 tcp drain'
	sl -c 'real-server 198.51.100.12:80 of 192.0.2.10:80 tcp restore'
	i=$((i + 1))
done
sl --json -c 'show events'
check "the ring keeps the newest 8, in order, numbered without gaps" sh -c 'printf "%s" "$1" | "$2" -c "
import json, sys
d = json.load(sys.stdin)
seqs = [e[\"seq\"] for e in d[\"events\"]]
assert len(seqs) == 8 == d[\"capacity\"], seqs
assert seqs == list(range(d[\"last_seq\"] - 7, d[\"last_seq\"] + 1)), seqs
assert d[\"oldest_seq\"] == seqs[0]
assert [e[\"new\"] for e in d[\"events\"]][-2:] == [\"draining\", \"as configured\"]
"' _ "$OUT" "$PYTHON"
sl --json -c 'show events since 1'
check "since a SEQ that left the ring starts at the oldest held" sh -c 'printf "%s" "$1" | "$2" -c "
import json, sys
d = json.load(sys.stdin)
assert d[\"events\"][0][\"seq\"] == d[\"oldest_seq\"] > 2, d[\"oldest_seq\"]
"' _ "$OUT" "$PYTHON"
sl -c 'show events last 2'
check "last N gives the newest N" [ "$(printf '%s\n' "$OUT" | grep -c ' runtime override ')" -eq 2 ]
sl -c 'show events engine nosuch'
check "an unknown engine is refused by name" sh -c '[ "$1" -ne 0 ] && case "$2" in *"no engine named '"'"'nosuch'"'"'"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"

# an override whose object a reload removes is dropped, and the journal
# says so under the name its set event used, with who reloaded
sl -c 'real-server 198.51.100.12:80 of 192.0.2.10:80 tcp drain'
sl --json -c 'show events last 1'
before=$(printf '%s' "$OUT" | json 'print(d["last_seq"])')
sed -i '/real_server 198.51.100.12 80/,/}/d' "$T/ka.conf"
sl -c 'reload'
check "the reload says the override was dropped" contains "$OUT" "dropped"
sl --json -c "show events engine runtime since $before"
check "a dropped override is an event, named as when it was set" sh -c 'printf "%s" "$1" | "$2" -c "
import json, sys
ev = json.load(sys.stdin)[\"events\"]
assert len(ev) == 1, ev
e = ev[0]
assert e[\"object\"] == \"rs TCP 192.0.2.10:80 198.51.100.12:80\", e
assert (e[\"old\"], e[\"new\"]) == (\"draining\", \"dropped\"), e
assert \"no longer configured\" in e[\"reason\"], e
assert e[\"user\"] == \"root\", e
"' _ "$OUT" "$PYTHON"

finish
