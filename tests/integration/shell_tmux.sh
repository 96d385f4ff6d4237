#!/bin/sh
# The interactive shell in a real terminal: softlb runs in tmux panes and
# is driven key by key (send-keys) and read back from the screen
# (capture-pane): TAB and ?, errors with a caret, modes and prompts, the
# pager, Ctrl-C, Ctrl-D, a hostile ~/.inputrc and the history file.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tmux_lib.sh"

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"

# A private tmux server (own socket, no configuration file), so a user's
# tmux server and ~/.tmux.conf are never touched.
unset TMUX
TM="tmux -L softlb-test-$$ -f /dev/null"
TMUX_SOCKET=	# known once the server runs; tmux leaves it behind
at_exit "$TM kill-server; [ -z \"\$TMUX_SOCKET\" ] || rm -f \"\$TMUX_SOCKET\""

HOST=$(hostname 2>/dev/null || uname -n)
VIEW="softlb@$HOST> "
CONFIG="softlb@$HOST(config)# "
# Bounded waits, polled every 0.1 s: generous for ASan under a parallel
# make check, immediate when things work.
WAIT_TENTHS=100

# start_shell NAME ROWS HOMEDIR [INPUTRC]: a 100-column tmux session of
# ROWS rows running softlb against the test daemon with HOME=HOMEDIR (and
# INPUTRC, when given), then printing its exit status as EXIT=N.
start_shell() {
	$TM new-session -d -s "$1" -x 100 -y "$2" /bin/sh -c '
		umask 022
		# Ctrl-C in the pane must reach softlb only: untrapped, this
		# non-interactive sh would die of it and take the pane along.
		# (A caught signal is reset to the default for softlb.)
		trap : INT
		HOME=$1; export HOME
		if [ -n "$2" ]; then INPUTRC=$2; export INPUTRC; else unset INPUTRC; fi
		"$3" -s "$4"
		echo "EXIT=$?"
		exec sleep 3600' sh "$3" "${4:-}" "$SOFTLB" "$SOCK" || {
		echo "cannot start a tmux session"
		exit 99
	}
	[ -n "$TMUX_SOCKET" ] || TMUX_SOCKET=$($TM display-message -p '#{socket_path}')
}

type_text() {	# type_text SESSION TEXT: TEXT literally
	$TM send-keys -t "$1" -l "$2"
}

# at_line SESSION TEXT: the cursor's row reads TEXT and the cursor sits
# right after it (so a trailing blank in TEXT counts too).
at_line() {
	cursor_row "$1" || return 1
	[ "$ROW" = "$(printf '%s' "$2" | sed 's/ *$//')" ] && [ "$CX" -eq "${#2}" ]
}

# row_has SESSION TEXT: the cursor's row contains TEXT.
row_has() {
	cursor_row "$1" && contains "$ROW" "$2"
}

# rows_are SESSION TEXT...: the cursor's row reads the first TEXT, with
# the cursor right after it, and the rows above it read the others,
# upwards.
rows_are() {
	s=$1
	shift
	cursor_row "$s" && [ "$CX" -eq "${#1}" ] || return 1
	screen=$(pane "$s")
	y=$((CY + 1))
	for want; do
		[ "$y" -ge 1 ] || return 1
		[ "$(printf '%s\n' "$screen" | sed -n "${y}p")" = "$(printf '%s' "$want" | sed 's/ *$//')" ] ||
			return 1
		y=$((y - 1))
	done
}

# help_above SESSION TEXT: the cursor is right after TEXT on its row, and
# the row above is a line of ? help ("  word   text").
help_above() {
	cursor_row "$1" && [ "$ROW" = "$(printf '%s' "$2" | sed 's/ *$//')" ] &&
		[ "$CX" -eq "${#2}" ] && [ "$CY" -ge 1 ] &&
		pane "$1" | sed -n "${CY}p" | grep -qE '^ +[a-z][a-z-]* +[^ ]'
}

# caret_under SESSION WORD: some row shows WORD, and the row under it
# holds only a '^' in the column where WORD starts.
caret_under() {
	pane "$1" | awk -v w="$2" '
		/^ *\^ *$/ && prev != "" {
			i = index(prev, w)
			if (i > 0 && i == index($0, "^")) found = 1
		}
		{ prev = $0 }
		END { exit !found }'
}

# Holders of idle control connections, so show clients runs long.
HOLDERS=
at_exit 'for p in $HOLDERS; do kill "$p"; done'
hold_clients() {	# hold_clients N READYFILE: sets HELD to the holder's pid
	"$PYTHON" - "$SOCK" "$1" "$2" <<'PY' &
import socket, sys, time
path, n, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3]
socks = []
for _ in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    hdr = b""
    while not hdr.endswith(b"\n"):  # the greeting: the daemon counts us
        c = s.recv(1)
        if not c:
            sys.exit("softlbd closed the connection before its greeting")
        hdr += c
    socks.append(s)
open(ready, "w").close()
time.sleep(600)
PY
	HELD=$!
	HOLDERS="$HOLDERS $HELD"
}

start_daemon

mkdir "$T/home" "$T/evil"

# ------------------------------------------------------------------
# The main session: a clean HOME.
start_shell main 20 "$T/home"
pcheck "the shell starts with the view prompt '$VIEW'" main at_line main "$VIEW"

# 1. TAB
keys main s h Tab
pcheck "sh<TAB> completes to 'show ' on the prompt line" main at_line main "${VIEW}show "

# 2. ?
keys main '?'
pcheck "show ? lists clients with its help" main pane_has_re main '^ +clients +[^ ]'
pcheck "show ? lists status with its help" main pane_has_re main '^ +status +[^ ]'
pcheck "show ? lists version with its help" main pane_has_re main '^ +version +[^ ]'
pcheck "after show ?, 'show ' is back on a prompt line under the help, to go on typing" main \
	help_above main "${VIEW}show "
type_text main version
keys main Enter
pcheck "  and typing on runs show version" main pane_has_re main '^softlbd [0-9]'
pcheck "  and comes back to the view prompt" main at_line main "$VIEW"

# 3. An unknown command
type_text main 'show frobnicate'
keys main Enter
pcheck "an unknown command shows '% Unknown command'" main pane_has_re main '^% Unknown command$'
pcheck "  with a caret under the bad word" main caret_under main frobnicate
pcheck "  and a fresh view prompt" main at_line main "$VIEW"

# 4. Modes
type_text main configure
keys main Enter
pcheck "configure changes the prompt to '$CONFIG'" main at_line main "$CONFIG"
type_text main exit
keys main Enter
pcheck "exit returns to '$VIEW'" main at_line main "$VIEW"

# 6. Ctrl-C abandons a half-typed line.
type_text main configure
pcheck "configure is typed, not run (no Enter)" main at_line main "${VIEW}configure"
keys main C-c
pcheck "Ctrl-C on a half-typed line shows ^C and a fresh, empty view prompt" main \
	rows_are main "$VIEW" "${VIEW}configure^C"
keys main Enter
pcheck "  Enter on it runs nothing: the next prompt is the view prompt again" main \
	rows_are main "$VIEW" "$VIEW" "${VIEW}configure^C"

# 7. Ctrl-D on an empty line leaves with status 0.
keys main C-d
pcheck "Ctrl-D on an empty line exits the shell with status 0" main pane_has_re main '^EXIT=0$'

# 9. History
check "~/.softlb_history exists, mode 0600" sh -c '[ -f "$1" ] && [ "$(stat -c %a "$1")" = 600 ]' _ "$T/home/.softlb_history"
check "  and holds the commands run" sh -c 'grep -qx "show version" "$1" && grep -qx configure "$1"' _ "$T/home/.softlb_history"
check "  but not the line cancelled with Ctrl-C" sh -c '[ "$(grep -cx configure "$1")" -eq 1 ]' _ "$T/home/.softlb_history"

# ------------------------------------------------------------------
# 5. The pager, in a 10-row window, on show clients with 24 idle control
# connections from two processes, A and B, so the rows of B are easy to
# tell apart and lie past the first page.
held() { [ -e "$1" ]; }
hold_clients 12 "$T/ready.a"
APID=$HELD
wait_until held "$T/ready.a" || { echo "the idle clients did not connect"; exit 99; }
hold_clients 12 "$T/ready.b"
BPID=$HELD
wait_until held "$T/ready.b" || { echo "the idle clients did not connect"; exit 99; }
start_shell pg 10 "$T/home"
pcheck "pager window: the shell starts" pg at_line pg "$VIEW"
type_text pg 'show clients'
keys pg Enter
pcheck "output taller than the window stops at a --More-- prompt" pg row_has pg "--More--"
first_page() {
	pane_has_re pg '^ *ID +USER' && pane_has pg " $APID admin" && not pane_has pg " $BPID admin"
}
pcheck "  showing the first page (header and A's rows, not yet B's)" pg first_page
keys pg Space
pcheck "space shows the next page (B's rows appear)" pg pane_has pg " $BPID admin"
pcheck "  and stops at --More-- again" pg row_has pg "--More--"
keys pg q
pcheck "q quits back to the prompt" pg at_line pg "$VIEW"
pcheck "  without printing the rest" pg not pane_has pg "this session"

type_text pg 'show clients'
keys pg Enter
pcheck "show clients again: --More--" pg row_has pg "--More--"
keys pg /
pcheck "/ asks for a pattern on the prompt line" pg at_line pg "/"
type_text pg " $BPID admin"
pcheck "  echoing what is typed" pg at_line pg "/ $BPID admin"
keys pg Enter
only_b() {
	row_has pg "--More--" && pane_has pg " $BPID admin" && not pane_has pg " $APID admin"
}
pcheck "/PATTERN Enter jumps to the first line with PATTERN (B's rows only on screen)" pg only_b
keys pg q
pcheck "  and q leaves from there" pg at_line pg "$VIEW"
keys pg C-d
pcheck "  that shell leaves with status 0 too" pg pane_has_re pg '^EXIT=0$'
for p in $HOLDERS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
HOLDERS=

# ------------------------------------------------------------------
# 8. A hostile ~/.inputrc (and $INPUTRC naming it): vi mode, a macro on
# Ctrl-A that would run configure, completion off. None of it may apply.
cat >"$T/evil/.inputrc" <<'EOF'
"\C-a": "configure\n"
set disable-completion on
set editing-mode vi
set keymap vi-insert
"\C-a": "configure\n"
EOF
start_shell evil 20 "$T/evil" "$T/evil/.inputrc"
pcheck "hostile inputrc: the shell starts" evil at_line evil "$VIEW"
type_text evil version
pcheck "  'version' is typed" evil at_line evil "${VIEW}version"
keys evil C-a
c_a_home() {
	cursor_row evil && [ "$ROW" = "${VIEW}version" ] && [ "$CX" -eq "${#VIEW}" ]
}
pcheck "  Ctrl-A moves to the start of the line (emacs), no macro runs" evil c_a_home
type_text evil 'show '
keys evil Enter
pcheck "  so typing 'show ' there runs show version" evil pane_has_re evil '^softlbd [0-9]'
pcheck "  back at the view prompt" evil at_line evil "$VIEW"
pcheck "  and configure never ran" evil not pane_has evil "(config)#"
keys evil s h Tab
pcheck "  TAB still completes sh to 'show '" evil at_line evil "${VIEW}show "
keys evil C-u C-d
pcheck "  and Ctrl-D leaves with status 0" evil pane_has_re evil '^EXIT=0$'

finish
