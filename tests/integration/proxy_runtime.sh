#!/bin/sh
# HAProxy's runtime API on softlbd's `stats socket`, driven with socat as
# HAProxy users' scripts drive haproxy: one command per connection, `;`
# separation, an empty line after each reply, prompt mode; show info
# (hatop's keys), show stat (HAProxy 2.6's 128 fields), show servers
# state, show backend; disable / enable / set server state / set weight
# through the runtime overrides (show proxy, show runtime and the event
# journal see them); levels; LVS virtual servers as mode tcp proxies; and
# bad input (long lines, unknown commands, clients that leave mid-reply)
# answered in words while the daemon lives on.
. "${top_srcdir:?}/tests/integration/lib.sh"

command -v socat >/dev/null || skip "socat missing (Debian package socat)"
RT="$T/rt.sock"

write_cfg() {
	cat >"$T/haproxy.cfg" <<EOC
global
    stats socket $RT mode 600 level $1
    stats timeout 30s

defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s

listen web
    bind 127.0.0.1:18480
    server s1 127.0.0.1:18481 weight 10
    server s2 127.0.0.1:18482 weight 20

frontend fe
    bind 127.0.0.1:18483
    default_backend app

backend app
    server a1 127.0.0.1:18484

backend chk
    server c1 127.0.0.1:18485 check inter 200ms fall 1 rise 1
EOC
}
write_cfg admin
cat >"$T/keepalived.conf" <<'EOC'
virtual_server 192.0.2.10 80 {
    lb_algo wrr
    lb_kind DR
    protocol TCP
    real_server 198.51.100.11 80 {
        weight 3
    }
    real_server 198.51.100.12 80 {
        weight 4
    }
}
EOC
start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"

# rt TEXT: sends TEXT (printf format) on a new connection; reply in $R.
rt() {
	# shellcheck disable=SC2059
	R=$(printf "$1" | socat -t 5 - "UNIX-CONNECT:$RT" 2>&1; echo x)
	R=${R%x}
}

check "the socket has mode 600" [ "$(stat -c %a "$RT")" = 600 ]

rt 'show info\n'
for k in Name Version Release_date Nbproc Process_num Pid Uptime Maxconn CurrConns \
	Maxpipes PipesUsed Tasks Run_queue node; do
	printf '%s' "$R" | grep -Eq "^$k: [^ ]" || fail "show info has no '$k: ...' line"
done
ok "show info has every key hatop requires, node included"
check "  Version has no space, so hatop reads it" sh -c 'printf "%s" "$1" | grep -Eq "^Version: [^ ]+$"' _ "$R"
check "  the reply ends with one empty line" [ "$(printf '%s' "$R" | tail -c 2 | od -An -c | tr -d ' ')" = '\n\n' ]

rt 'show stat\n'
printf '%s' "$R" >"$T/stat.csv"
HDR=$(head -1 "$T/stat.csv")
check "show stat starts with '# pxname,svname,'" contains "$HDR" "# pxname,svname,qcur,qmax,"
NF=$(printf '%s\n' "$HDR" | awk -F, '{print NF}')
check "  the header names HAProxy 2.6's 128 fields and a trailing comma ($NF)" [ "$NF" = 129 ]
BAD=$(awk -F, 'NR > 1 && NF > 0 && (NF != 129 || $NF != "")' "$T/stat.csv" | wc -l)
check "  every row has 128 fields and a trailing comma" [ "$BAD" = 0 ]
ROWS=$(awk -F, 'NR > 1 && NF > 0 {print $1 "/" $2 "/" $33}' "$T/stat.csv" | tr '\n' ' ')
check "  rows in HAProxy's order, with types ($ROWS)" [ "$ROWS" = \
	"web/FRONTEND/0 web/s1/2 web/s2/2 web/BACKEND/1 fe/FRONTEND/0 app/a1/2 app/BACKEND/1 chk/c1/2 chk/BACKEND/1 TCP_192.0.2.10:80/FRONTEND/0 TCP_192.0.2.10:80/198.51.100.11:80/2 TCP_192.0.2.10:80/198.51.100.12:80/2 TCP_192.0.2.10:80/BACKEND/1 " ]
LVS=$(awk -F, '$1 == "TCP_192.0.2.10:80" && $2 == "BACKEND" {print $76 "," $77 "," $19}' "$T/stat.csv")
check "  the LVS virtual server is a mode tcp proxy with its scheduler and weight ($LVS)" [ "$LVS" = "tcp,wrr,7" ]
IDS=$(awk -F, '$1 == "web" {print $28 ":" $29}' "$T/stat.csv" | tr '\n' ' ')
check "  iid and sid as HAProxy numbers them ($IDS)" [ "$IDS" = "2:0 2:1 2:2 2:0 " ]
check "  the dump ends with an empty line" [ "$(tail -c 2 "$T/stat.csv" | od -An -c | tr -d ' ')" = '\n\n' ]
rt 'show stat 2 4 -1\n'
N=$(printf '%s' "$R" | grep -c '^web,s')
check "show stat IID 4 -1: the servers of one proxy only (hatop -p)" [ "$N" = 2 ]
check "  and nothing else" [ "$(printf '%s' "$R" | grep -vc '^#' )" = 3 ]

rt 'show info;show version\n'
check "one line, two commands: both answered, each with its empty line" \
	sh -c 'printf "%s" "$1" | grep -q "^Name: softlb" && printf "%s" "$1" | grep -q "^[0-9.]*$"' _ "$R"

rt 'show backend\n'
check "show backend lists the proxies with servers" [ "$R" = "# name
web
app
chk

" ]

# The health check's detail: only the control plane knows it.
for _ in $(seq 50); do
	rt 'show stat\n'
	printf '%s' "$R" | grep -q '^chk,c1,.*,DOWN,.*,L4CON,' && break
	sleep 0.1
done
C=$(printf '%s' "$R" | awk -F, '$1 == "chk" && $2 == "c1" {print $18 "|" $37 "|" $57}')
check "show stat has the check: DOWN, L4CON, its last words ($C)" sh -c 'case "$1" in
	"DOWN|L4CON|"*[Rr]efused*) exit 0;; esac; exit 1' _ "$C"

rt 'show servers state web\n'
check "show servers state: format 1, HAProxy's header" sh -c 'printf "%s" "$1" | head -1 | grep -qx 1 &&
	printf "%s" "$1" | sed -n 2p | grep -q "^# be_id be_name srv_id srv_name srv_addr srv_op_state"' _ "$R"
check "  a line per server: be_id be_name srv_id srv_name addr op admin uweight iweight" \
	sh -c 'printf "%s" "$1" | grep -q "^2 web 1 s1 127.0.0.1 2 0 10 10 "' _ "$R"

rt 'disable server web/s1\n'
check "disable server: success is an empty reply" [ "$R" = "
" ]
sl -c 'show proxy'
check "  show proxy shows web/s1 MAINT" sh -c 'printf "%s\n" "$1" | grep -qE "^web/s1 +server +MAINT"' _ "$OUT"
sl -c 'show events'
check "  the journal has it, by the stats socket" sh -c 'printf "%s" "$1" | grep -q "server web/s1: as configured -> disabled by .*(stats socket)"' _ "$OUT"
sl -c 'show runtime'
check "  show runtime lists the override" contains "$OUT" "server web/s1"
rt 'show stat\n'
check "  show stat says MAINT" sh -c 'printf "%s" "$1" | grep -q "^web,s1,.*,MAINT,"' _ "$R"
rt 'enable server web/s1\n'
sl -c 'show proxy'
check "enable server: back to UP" sh -c 'printf "%s\n" "$1" | grep -qE "^web/s1 +server +UP"' _ "$OUT"
rt 'set server web/s2 state drain\n'
sl -c 'show proxy'
check "set server state drain: DRAIN" sh -c 'printf "%s\n" "$1" | grep -qE "^web/s2 +server +DRAIN"' _ "$OUT"
rt 'set server web/s2 state maint\n'
sl -c 'show proxy'
check "set server state maint: MAINT" sh -c 'printf "%s\n" "$1" | grep -qE "^web/s2 +server +MAINT"' _ "$OUT"
rt 'set server web/s2 state ready\n'
sl -c 'show proxy'
check "set server state ready: UP" sh -c 'printf "%s\n" "$1" | grep -qE "^web/s2 +server +UP"' _ "$OUT"
rt 'set weight web/s2 50%%\n'
rt 'get weight web/s2\n'
check "set weight 50%: half the configured weight ($R)" [ "$R" = "10 (initial 20)

" ]
rt 'set weight web/s2 7;get weight web/s2\n'
check "set weight 7 ($R)" [ "$R" = "
7 (initial 20)

" ]
sl -c 'show proxy'
check "  show proxy has the weight" sh -c 'printf "%s\n" "$1" | grep -qE "^web/s2 +server +UP +7 "' _ "$OUT"
rt 'set weight web/s2 300\n'
check "set weight 300: HAProxy's refusal" [ "$R" = "Absolute weight can only be between 0 and 256 inclusive.

" ]
rt 'disable server web/nosuch\n'
check "no such server: HAProxy's words" [ "$R" = "No such server.

" ]
rt 'disable server nosuch/s1\n'
check "no such backend" [ "$R" = "No such backend.

" ]
rt 'disable server TCP_192.0.2.10:80/198.51.100.12:80\n'
sl -c 'show runtime'
check "disable server on an LVS real server: the LVS override" contains "$OUT" \
	"real-server 192.0.2.10:80 tcp 198.51.100.12:80"
rt 'show stat\n'
check "  and show stat shows it MAINT" sh -c 'printf "%s" "$1" | grep -q "^TCP_192.0.2.10:80,198.51.100.12:80,.*,MAINT,"' _ "$R"
rt 'set weight TCP_192.0.2.10:80/198.51.100.11:80 9;get weight TCP_192.0.2.10:80/198.51.100.11:80\n'
check "set weight on an LVS real server ($R)" contains "$R" "9 (initial 3)"
rt 'enable server TCP_192.0.2.10:80/198.51.100.12:80\n'

# Prompt mode, as hatop talks.
rt 'prompt\nset timeout cli 60\nget weight web/s1\nbogus cmd\nquit\n'
check "prompt: '> ' after each reply, EOF after quit" sh -c 'printf "%s" "$1" | head -3 |
	tr "\n" "|" | grep -qx "|> |> 10 (initial 10)|"' _ "$R"
check "  an unknown command gets HAProxy's words" contains "$R" \
	"Unknown command, but maybe one of the following ones is a better match:"
check "  and ends with the prompt, not after quit" sh -c '[ "$(printf "%s" "$1" | tail -c 3)" = "
> " ]' _ "$R"
rt 'show\\;info;help\n'
check "'\\;' is a ';' inside a command, not a separator" contains "$R" "Unknown command"

R=$("$PYTHON" - "$RT" <<'EOP'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(10)
s.sendall(b"prompt\nset timeout cli 1\n")
got = b""
t0 = time.monotonic()
while True:
    d = s.recv(4096)
    if not d:
        break
    got += d
print("closed" if time.monotonic() - t0 < 9 else "still open", got.count(b"> "))
EOP
)
check "set timeout cli 1: an idle prompt session is closed ($R)" [ "$R" = "closed 2" ]

# Levels.
rt 'user;disable server web/s1;show cli level\n'
check "'user' lowers this session: disable refused" contains "$R" "Permission denied"
check "  and show cli level says user" contains "$R" "user"
write_cfg user
sl -c reload
rt 'disable server web/s1\n'
check "level user (reloaded): 'Permission denied'" [ "$R" = "Permission denied

" ]
rt 'operator\n'
check "  a user session cannot raise its level" contains "$R" "Permission denied"
rt 'show stat\n'
check "  show stat still answers" contains "$R" "web,s1,"
rt 'help\n'
check "  help lists only what this level may do" sh -c '! printf "%s" "$1" | grep -q "disable server"' _ "$R"
write_cfg operator
sl -c reload
rt 'set weight web/s1 3\n'
check "level operator: set weight refused (admin only, as HAProxy)" contains "$R" "Permission denied"
write_cfg admin
sl -c reload

# A stats socket path where a plain file is: the reload is refused, the
# old socket keeps answering.
: >"$T/plain"
sed "s|stats socket $RT|stats socket $T/plain|" "$T/haproxy.cfg" >"$T/h2.cfg"
cp "$T/haproxy.cfg" "$T/h1.cfg"
cp "$T/h2.cfg" "$T/haproxy.cfg"
sl -c reload
check "a socket path that is a plain file refuses the reload ($OUT)" sh -c '[ "$1" -ne 0 ] && printf "%s" "$2" | grep -q "not a socket"' _ "$RC" "$OUT"
cp "$T/h1.cfg" "$T/haproxy.cfg"
rt 'show version\n'
check "  the old socket still answers" [ -n "$(printf '%s' "$R" | tr -d '\n')" ]

# Bad input.
R=$("$PYTHON" - "$RT" <<'EOP'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(5)
s.sendall(b"x" * 100000)
out = b""
try:
    while True:
        d = s.recv(65536)
        if not d: break
        out += d
except Exception as e:
    out += b"(" + str(e).encode() + b")"
print(out.decode(errors="replace"))
EOP
)
check "a 100 kB line: refused in words, connection closed ($R)" contains "$R" "Command line too long."
"$PYTHON" - "$RT" <<'EOP'
import socket, sys
# Clients that leave mid-reply: ask for much, read nothing, go.
for i in range(20):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
    s.sendall(b"prompt\n" + b"show stat;show info;help\n" * 200)
    s.close()
# One that sends half a line and goes.
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"show st"); s.close()
EOP
R=$("$PYTHON" - "$RT" <<'EOP'
import socket, sys
# Asks for much in prompt mode, then shuts its sending side (as socat
# does): every answer still comes, then the connection closes.
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(20)
s.sendall(b"prompt\n" + b"show stat\n" * 300)
s.shutdown(socket.SHUT_WR)
out = b""
while True:
    d = s.recv(1 << 16)
    if not d:
        break
    out += d
print(out.count(b"# pxname,"), out.endswith(b"\n> "))
EOP
)
check "300 answers asked, then a half close: all 300 come, then EOF ($R)" [ "$R" = "300 True" ]
rt 'show version\n'
check "clients that left mid-reply did not hurt: it answers" daemon_alive
check "  with its version" [ -n "$(printf '%s' "$R" | tr -d '\n')" ]
rt '\001\377;;   ;\n'
check "control bytes and empty commands: an answer, no crash" daemon_alive
finish
