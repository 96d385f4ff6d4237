#!/bin/sh
# show table proxy, the terse form softlbtop reads, against show proxy
# json on the same daemon: every row and every field the JSON has, with
# the same values (taken one right after the other with no traffic in
# between, so the counters stand still); "since GEN" answers "unchanged"
# only while nothing changed; softlbtop's proxy screen shows what the
# table says; and softlbtop --once over 10,000 servers prints every row
# (the time it took is printed, never judged).
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tui_lib.sh"

tui_lab

# Traffic first, then a pause: counters that move, then stand still.
on client sh -c 'i=0; while [ $i -lt 30 ]; do
	curl -s -o /dev/null --max-time 2 http://192.0.2.2/id; i=$((i + 1)); done'
sleep 0.3

# compare.py SOCKET: both forms, one right after the other on one
# connection (the raw protocol: softlb would make the hostile name's ESC
# visible, and the test wants the bytes); prints "ok: ..." / "FAIL: ...".
cat >"$T/compare.py" <<'EOP'
import json, os, sys
sys.path.insert(0, os.path.join(os.environ['top_srcdir'], 'tests', 'integration'))
import ctlc

def text(b):
    return b.decode('utf-8', 'surrogateescape') if isinstance(b, bytes) else b

s, g = ctlc.greeting(sys.argv[1])
# The health checks' results change every second: a pair is kept only
# when the table, asked again after the JSON, is still the same
# generation (no check ended in between); a few tries.
for _ in range(10):
    t = ctlc.request(s, 'exec', 'show table proxy')
    j = ctlc.request(s, 'exec', 'show proxy', 'json')
    gen = text(t[2]).split(None, 5)[4] if t[0] == 200 else '0'
    again = ctlc.request(s, 'exec', 'show table proxy since ' + gen)
    if again[0] == 200 and text(again[2]).rstrip().endswith('unchanged'):
        break
if t[0] != 200 or j[0] != 200:
    print('FAIL: the requests: %r %r' % (t[:2], j[:2])); sys.exit(0)
open(sys.argv[2], 'w', encoding='utf-8', errors='surrogateescape').write(text(t[2]))

def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == '\\' and i + 1 < len(s) and s[i + 1] in 'tnr\\':
            out.append({'t': '\t', 'n': '\n', 'r': '\r', '\\': '\\'}[s[i + 1]])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return ''.join(out)

lines = text(t[2]).split('\n')
head = lines[0].split()
if head[:3] != ['softlb-table', '1', 'proxy'] or head[5] != 'rows':
    print('FAIL: the header line: %r' % lines[0]); sys.exit(0)
cols = lines[1].split('\t')
rows = [dict(zip(cols, [unescape(f) for f in l.split('\t')])) for l in lines[2:] if l != '']
print(('ok' if len(rows) == int(head[6]) else 'FAIL') + ': the header counts the %d rows' % len(rows))
print(('ok' if all(len(l.split('\t')) == len(cols) for l in lines[2:] if l) else 'FAIL') +
      ': every row has the %d columns' % len(cols))
js = json.loads(text(j[2]))
want = []
for px in js:
    want.append((px, None))
    for sv in px.get('servers', []):
        want.append((px, sv))
print(('ok' if len(want) == len(rows) else 'FAIL') +
      ': as many rows as the JSON has proxies and servers (%d, %d)' % (len(rows), len(want)))
bad, compared, nonzero = [], 0, 0
for (px, sv), r in zip(want, rows):
    if r['proxy'] != px['name'] or r['server'] != (sv['name'] if sv else ''):
        bad.append('row %s/%s is %s/%s' % (px['name'], sv and sv['name'], r['proxy'], r['server']))
        continue
    obj = sv if sv else px
    for c in cols:
        if c in ('proxy', 'server'):
            continue
        if c in ('type', 'mode'):
            v = px[c]
        elif c not in obj:
            # A field the JSON does not have for this row is empty.
            if r[c] != '':
                bad.append('%s/%s %s: %r where the JSON has none' % (px['name'], sv and sv['name'], c, r[c]))
            continue
        else:
            v = obj[c]
        if isinstance(v, bool):
            v = '1' if v else '0'
        if c == 'last_check' and r[c].isdigit() and abs(int(r[c]) - int(v)) <= 2:
            # Checks run every 200 ms: their wall-clock second may turn
            # between the two requests.
            v = r[c]
        if str(v) != r[c]:
            bad.append('%s/%s %s: table %r, JSON %r' % (px['name'], sv and sv['name'], c, r[c], v))
        compared += 1
        if isinstance(v, int) and not isinstance(v, bool) and v > 0:
            nonzero += 1
print(('ok' if not bad else 'FAIL') + ': %d fields equal to the JSON\'s%s' %
      (compared, '' if not bad else ': ' + '; '.join(bad[:5])))
print(('ok' if nonzero >= 5 else 'FAIL') + ': %d of them are counters above 0 (traffic counted)' % nonzero)
names = [r['server'] for r in rows]
print(('ok' if any('\x1b' in n for n in names) else 'FAIL') +
      ': the hostile name comes through the table with its ESC byte, as in the JSON')
EOP
top_srcdir=$top_srcdir "$PYTHON" "$T/compare.py" "$SOCK" "$T/table" >"$T/cmp" 2>&1 || echo "FAIL: compare.py: $(cat "$T/cmp")" >>"$T/cmp"
while IFS= read -r l; do
	case $l in
	ok:*) ok "${l#ok: }" ;;
	*) fail "${l#FAIL: }" ;;
	esac
done <"$T/cmp"

# The summary (what softlbtop's header reads on every screen): a row per
# proxy with the table's values, and its servers counted by status.
sl -c 'show table proxy summary'
SUM=$OUT
sl -c 'show table proxy'
check "the summary: a table of its own name, a row per proxy" \
	sh -c 'printf "%s\n" "$1" | head -n1 | grep -qE "^softlb-table 1 proxy-summary gen [0-9]+ rows $(printf "%s\n" "$2" | awk -F"\t" "NR > 2 && \$2 == \"\"" | wc -l)\$"' _ "$SUM" "$OUT"
cat >"$T/sum.awk" <<'EOA'
# The summary's rows, and the full table's proxy rows with their servers
# counted as the summary counts them: "proxy total servers up drain maint down".
FNR == 2 { for (i = 1; i <= NF; i++) c[FILENAME, $i] = i; next }
FNR < 2 || $0 == "" { next }
FILENAME == ARGV[1] { print "sum", $1, $c[FILENAME, "total"], $c[FILENAME, "servers"],
	$c[FILENAME, "srv_up"], $c[FILENAME, "srv_drain"], $c[FILENAME, "srv_maint"],
	$c[FILENAME, "srv_down"]; next }
$2 == "" { p = $1; order[++n] = p; tot[p] = $c[FILENAME, "total"]; next }
{ st = $c[FILENAME, "status"]; k[p, "n"]++
  if (st ~ /^(DRAIN|NOLB)/) k[p, "drain"]++; else if (st ~ /^MAINT/) k[p, "maint"]++
  else if (st ~ /^UP/) k[p, "up"]++; else k[p, "down"]++ }
END { for (i = 1; i <= n; i++) { p = order[i]; print "sum", p, tot[p], k[p, "n"] + 0,
	k[p, "up"] + 0, k[p, "drain"] + 0, k[p, "maint"] + 0, k[p, "down"] + 0 } }
EOA
printf '%s\n' "$SUM" >"$T/sum.tbl"
printf '%s\n' "$OUT" >"$T/full.tbl"
awk -F'\t' -f "$T/sum.awk" "$T/sum.tbl" "$T/full.tbl" >"$T/sum.cmp"
check "  its proxies' totals and server counts are the full table's ($(grep -c . "$T/sum.cmp") lines)" \
	sh -c 'n=$(wc -l <"$1"); [ "$n" -ge 4 ] && [ $((n % 2)) -eq 0 ] &&
		[ "$(head -n $((n / 2)) "$1")" = "$(tail -n $((n / 2)) "$1")" ]' _ "$T/sum.cmp"
check "  web counts a server DOWN (s2)" sh -c 'grep -qE "^sum web [0-9]+ [0-9]+ [0-9]+ 0 0 [1-9]" "$1"' _ "$T/sum.cmp"

# Generations: a change is a new one, and "since" an older one brings
# the whole table again (the checks' results change it every second
# here; "unchanged" is tried on the quiet daemon below).
gen=$(head -n1 "$T/table" | awk '{ print $5 }')
sl -c 'server web s1 drain'
sl -c "show table proxy since $gen"
check "after a drain: a newer generation, the whole table" \
	contains "$(printf '%s\n' "$OUT" | head -n1)" "rows 6"
check "  with web/s1 DRAIN in it" \
	sh -c "printf '%s\n' \"\$1\" | grep -q '^web	s1	listen	http	DRAIN	DRAIN	'" sh "$OUT"
sl -c 'server web s1 restore'
sl -c 'show table proxy since 0 extra'
check "a word too many is refused" [ "$RC" -ne 0 ]

# softlbtop shows the table's values: web/s1's total sessions.
wait_srv web s1 status UP 10 || fail "web/s1 did not come back UP"
once proxy
total=$(col '^ +s1 ' TOTAL)
jtotal=$(srv web s1 total)
check "softlbtop's TOTAL of web/s1 is the daemon's ($total, $jtotal)" [ "$total" = "$jtotal" ]
# HTTP responses by class: the backends answered 200.
h2=$(col '^ +s1 ' 2XX)
jh2=$(srv web s1 hrsp_2xx)
check "web/s1's 2xx responses are counted ($jh2) and softlbtop shows them ($h2)" \
	[ "${jh2:-0}" -gt 0 ] && [ "$h2" = "$jh2" ]
check "  and web's own row, the frontend's answers ($(pxf web hrsp_2xx))" [ "$(pxf web hrsp_2xx)" -ge "$jh2" ]
stop_daemon

# 10,000 servers (1,000 proxies of 10), no checks: --once prints them all.
{
	printf 'defaults\n    mode http\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n'
	p=0
	while [ "$p" -lt 1000 ]; do
		printf '\nlisten px%d\n    bind 127.0.0.1:%d\n' "$p" $((20000 + p))
		i=0
		while [ "$i" -lt 10 ]; do
			printf '    server s%d 127.0.0.2:%d\n' "$((p * 10 + i))" $((30000 + p * 10 + i))
			i=$((i + 1))
		done
		p=$((p + 1))
	done
} >"$T/big.cfg"
start_daemon -f /dev/null -p "$T/big.cfg"
t0=$(awk '{ print $1 }' /proc/uptime)
# A bound against a hang only (a normal run takes well under a second
# without sanitizers); the time is printed, not judged.
COLUMNS=200 timeout 300 "$SOFTLBTOP" -s "$SOCK" --once --screen proxy >"$T/big.out" 2>&1
RC=$?
t1=$(awk '{ print $1 }' /proc/uptime)
check "--once over 10,000 servers: exit status 0" [ "$RC" -eq 0 ]
n=$(grep -cE '^ +s[0-9]+ +UP ' "$T/big.out")
check "  every server's row is printed ($n)" [ "$n" -eq 10000 ]
n=$(grep -cE '^px[0-9]+ +UP +10/10 ' "$T/big.out")
check "  and every proxy's ($n)" [ "$n" -eq 1000 ]
check "  in the daemon's order (px999's last server is the last row)" \
	sh -c "grep -E '^ +s[0-9]+ ' '$T/big.out' | tail -n1 | grep -qE '^ +s9999 '"
# The overview at 10,000 servers: the proxies alone, counted by softlbd's
# summary (no server row, so softlbtop did not fetch the whole table).
COLUMNS=200 timeout 300 "$SOFTLBTOP" -s "$SOCK" --once --screen overview >"$T/ov.out" 2>&1
n=$(grep -cE '^px[0-9]+ +UP +10/10 ' "$T/ov.out")
check "the overview at 10,000 servers: every proxy with its 10/10 ($n)" [ "$n" -eq 1000 ]
check "  no server's row" sh -c '! grep -qE "^ +s[0-9]+ +UP " "$1"' _ "$T/ov.out"
check "  and the header counts them all" grep -q "Servers: 10000 up, 0 down, 0 drain, 0 maint" "$T/ov.out"
# Nothing changes on this daemon: the same generation twice.
sl -c 'show table proxy'
QUIET=$OUT
gen=$(printf '%s\n' "$OUT" | head -n1 | awk '{ print $5 }')
check "a quiet daemon's table: 11,000 rows" contains "$(printf '%s\n' "$OUT" | head -n1)" "rows 11000"
sl -c "show table proxy since $gen"
check "  and since its generation ($gen): one line, unchanged" \
	[ "$OUT" = "softlb-table 1 proxy gen $gen unchanged" ]
sl -c "show table proxy since $gen"
check "  again: unchanged (rows taken as they were, by their change stamps)" \
	[ "$OUT" = "softlb-table 1 proxy gen $gen unchanged" ]
# Three connections through px5 (its server refuses: 503s): its row, and
# its row alone, changes; the table says what show proxy json says, at
# once and at the next requests (a row is read again until it settles).
for _ in 1 2 3; do
	on lb1 curl -s -o /dev/null --max-time 5 http://127.0.0.1:20005/
done
px5() {
	printf '%s\n' "$1" | awk -F'\t' 'NR == 2 { for (i = 1; i <= NF; i++) c[$i] = i }
		$1 == "px5" && $2 == "" { print $c["total"], $c["econ"], $c["hrsp_5xx"] }'
}
j5=$("$SOFTLB" -s "$SOCK" --json -c 'show proxy px5' | "$PYTHON" -c 'import json,sys
p = json.load(sys.stdin)
print(p["total"], p["econ"], p["hrsp_5xx"])')
sl -c "show table proxy since $gen"
check "after 3 connections through px5: a new generation" \
	contains "$(printf '%s\n' "$OUT" | head -n1)" "rows 11000"
t5=$(px5 "$OUT")
check "  px5's total, econ and 5xx as show proxy json says ($t5 / $j5)" \
	sh -c '[ "$1" = "$2" ] && [ "${1%% *}" -ge 3 ]' _ "$t5" "$j5"
printf '%s\n' "$QUIET" | grep -v "^px5	" | sed 1d >"$T/quiet.rows"
printf '%s\n' "$OUT" | grep -v "^px5	" | sed 1d >"$T/after.rows"
if cmp -s "$T/quiet.rows" "$T/after.rows"; then
	ok "  and every other row as it was"
else
	fail "  and every other row as it was:"
	diff "$T/quiet.rows" "$T/after.rows" | head -n 6
fi
gen=$(printf '%s\n' "$OUT" | head -n1 | awk '{ print $5 }')
sl -c "show table proxy since $gen"
sl -c "show table proxy since $(printf '%s\n' "$OUT" | head -n1 | awk '{ print $5 }')"
check "  then unchanged again" contains "$OUT" "unchanged"
sl -c 'show table proxy'
check "  with px5's values still those ($(px5 "$OUT"))" [ "$(px5 "$OUT")" = "$j5" ]
echo "info: softlbtop --once over 10,000 servers took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s (this build)"
finish
