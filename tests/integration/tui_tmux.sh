#!/bin/sh
# softlbtop in a real terminal: tmux runs it against a live softlbd in a
# netns lab and reads the screen back (capture-pane). 80x24 and 200x50
# and resizes between them; screen switching; a drain with its
# confirmation, then seen by `softlb -c 'show proxy'`; a cancelled
# action; a view-role user and --readonly see no action keys; the
# daemon killed under it (reconnecting banner) and started again
# (live again); colours only where allowed (NO_COLOR, TERM=dumb);
# Ctrl-Z / fg; and the terminal given back by q, Ctrl-C, SIGTERM and a
# crash signal.
. "${top_srcdir:?}/tests/integration/lib.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
. "$top_srcdir/tests/integration/tui_lib.sh"
. "$top_srcdir/tests/integration/tmux_lib.sh"

unset TMUX
TM="tmux -L softlbtop-test-$$ -f /dev/null"
TMUX_SOCKET=
# Every softlbtop this test started names a socket under $T: none may
# outlive it (one stuck in a sanitizer's exit, its terminal gone, was
# seen spinning after a run). Registered first, so it runs last.
at_exit "sleep 1; pkill -9 -f -- '-s $T/'"
at_exit "$TM kill-server; [ -z \"\$TMUX_SOCKET\" ] || rm -f \"\$TMUX_SOCKET\""
WAIT_TENTHS=100

tui_lab

# start NAME COLS ROWS [ENV...] -- [OPTION...]: softlbtop in a tmux
# session of that size, then its exit status and the terminal's modes
# (stty: icanon and echo must be back on) printed when it ends.
start() {
	name=$1 cols=$2 rows=$3
	shift 3
	envs=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs="$envs $1"
		shift
	done
	[ $# -gt 0 ] && shift
	$TM new-session -d -s "$name" -x "$cols" -y "$rows" /bin/sh -c '
		trap : INT
		env $1 "$2" -s "$3" $4
		echo "EXIT=$?"
		stty -a | tr " " "\n" | grep -xE -- "-?(icanon|echo)" | tr "\n" " "
		echo
		exec sleep 3600' sh "TERM=${TERM_FOR_TEST:-xterm-256color}$envs" "$SOFTLBTOP" "$SOCK" "$*" || {
		echo "cannot start a tmux session"
		exit 99
	}
	[ -n "$TMUX_SOCKET" ] || TMUX_SOCKET=$($TM display-message -p '#{socket_path}')
}

# no_colour SESSION: the screen, with its attributes, sets no foreground
# or background colour (SGR 30-37, 40-47, 38;5 / 48;5, 90-97); shows
# what it found otherwise.
no_colour() {
	# A real ESC: the hostile name's "^[[31m" is visible text, not this.
	esc=$(printf '\033')
	found=$(pane_e "$1" | grep -oE "$esc\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7])(;[0-9;]*)?m" | sort -u | cat -v)
	[ -z "$found" ] && return 0
	echo "  colour sequences on the screen of $1: $found"
	return 1
}

# The pane's lines are all at most COLS columns and there are ROWS of
# them: nothing wrapped (a wrapped line would push the last row off).
fits() {
	w=$(pane "$1" | LC_ALL=C.UTF-8 wc -L)
	last=$(pane "$1" | tail -n 1)
	[ "$w" -le "$2" ] && contains "$last" "q quit"
}

# The softlbtop process of a session (the child of the pane's sh).
top_pid() {
	pgrep -P "$($TM display-message -p -t "$1" '#{pane_pid}')" -x softlbtop
}

# Restored: softlbtop printed its exit status, the terminal is back in
# canonical mode with echo, and the alternate screen is gone (no tab bar).
restored() {
	pane_has "$1" "EXIT=$2" && pane_has_re "$1" '(^| )icanon( |$)' &&
		pane_has_re "$1" '(^| )echo( |$)' && pane_lacks "$1" "[1 Overview]"
}

# --- 80x24: the overview --------------------------------------------
start a 80 24
pcheck "80x24: the overview shows VRRP VI_1 MASTER" a pane_has_re a '^VI_1 +MASTER'
pcheck "80x24: and web's servers: s1 UP, s2 DOWN" a \
	sh -c "$TM capture-pane -p -t a | grep -qE '^  s1 +UP' && $TM capture-pane -p -t a | grep -qE '^  s2 +DOWN'"
pcheck "80x24: nothing wraps, the key line is the last row" a fits a 80
check "80x24: the greeting says the role" pane_has a "(admin)"
check "80x24: operator keys offered to an admin" pane_has a "d drain"

keys a 3
pcheck "key 3: the proxy screen" a pane_has a "[3 Proxy]"
pcheck "  the hostile server name is shown escaped" a pane_has a "$EVIL_SHOWN"
keys a Tab
pcheck "Tab: the VRRP screen" a pane_has a "[4 VRRP]"
pcheck "  with the instance's details" a pane_has a "advert interval"
keys a 5
pcheck "key 5: the events screen (or why there is none)" a \
	pane_has_re a 'no event journal|Events \(newest first\)'
keys a 3

# --- resize -----------------------------------------------------------
$TM resize-window -t a -x 200 -y 50
pcheck "200x50: the proxy screen grows its low-priority columns (REDIS)" a pane_has a REDIS
pcheck "200x50: nothing wraps" a fits a 200
$TM resize-window -t a -x 80 -y 24
pcheck "back to 80x24: REDIS dropped again" a pane_lacks a REDIS
pcheck "80x24 again: nothing wraps" a fits a 80

# --- a drain with its confirmation -------------------------------------
# Rows of the proxy screen: web, s1, s2, the hostile one, api, a1.
keys a j d
pcheck "d on s1 asks first, saying what it touches" a \
	pane_has a "Drain 1 server (s1) in 1 backend (web), 0 sessions? [y/N]"
keys a y
pcheck "y: the daemon's answer is shown" a pane_has a "done: server web s1 drain"
pcheck "  and s1 shows DRAIN" a pane_has_re a '^  s1 +DRAIN'
sl -c 'show proxy'
check "softlb -c 'show proxy' sees web/s1 DRAIN" \
	sh -c 'printf "%s\n" "$1" | grep -qE "^web/s1 +server +DRAIN"' _ "$OUT"
keys a j x
pcheck "x on s2 asks" a pane_has a "Disable 1 server (s2) in 1 backend (web)"
keys a n
pcheck "n cancels" a pane_has a "cancelled"
check "  and s2 is not MAINT" [ "$(srv web s2 status)" = DOWN ]
keys a j d
pcheck "the hostile name cannot be typed as a command: refused before asking" a \
	pane_has a "cannot be typed as a command"
sl -c 'server web s1 restore'
keys a 3 j w
$TM send-keys -t a -l "7"
keys a Enter
pcheck "w on s1 asks for the weight, then confirms it" a \
	pane_has a "Set the weight of 1 server (s1) in 1 backend (web), 0 sessions to 7? [y/N]"
keys a y
s1_weight_7() { [ "$(srv web s1 weight)" = 7 ]; }
check "  y: softlb sees weight 7" wait_until s1_weight_7
sl -c 'server web s1 restore'

# --- tagging: one action on several rows ---------------------------------
keys a 3 j Space Space
pcheck "space tags s1 and s2 (marked with *)" a \
	sh -c "$TM capture-pane -p -t a | grep -qE '^\* s1 ' && $TM capture-pane -p -t a | grep -qE '^\* s2 '"
keys a d
pcheck "d on the tagged rows says what it touches, in sum" a \
	pane_has a "Drain 2 servers in backend web, 0 sessions? [y/N]"
keys a y
pcheck "y: 2 of 2 done" a pane_has a "2 of 2 done"
both_drain() { [ "$(srv web s1 status)" = DRAIN ] && [ "$(srv web s2 status)" = DRAIN ]; }
check "  softlb sees both DRAIN" wait_until both_drain
check "  and the tags are gone" pane_lacks a "* s1"
sl -c 'server web s1 restore'
sl -c 'server web s2 restore'

# --- sorting ------------------------------------------------------------
# line_no SESSION RE: the number of the first screen line matching RE.
line_no() { pane "$1" | grep -nE -- "$2" | head -n 1 | cut -d: -f1; }
s2_before_s1() { a1=$(line_no a '^  s1 +UP'); a2=$(line_no a '^  s2 +DOWN'); [ -n "$a1" ] && [ -n "$a2" ] && [ "$a2" -lt "$a1" ]; }
s1_before_s2() { a1=$(line_no a '^  s1 +UP'); a2=$(line_no a '^  s2 +DOWN'); [ -n "$a1" ] && [ -n "$a2" ] && [ "$a1" -lt "$a2" ]; }
keys a 3 s s
pcheck "s s: sorted by STATUS, said on the key line" a pane_has a "sort: STATUS (asc)"
pcheck "  DOWN before UP within web: s2 above s1" a s2_before_s1
keys a I
pcheck "I inverts: s1 above s2" a s1_before_s2
keys a 3
pcheck "a screen key goes back to the daemon's order" a pane_lacks a "sort: "

# --- drill down and filter ----------------------------------------------
keys a 3 j j Enter
pcheck "Enter on s2: its check in detail" a pane_has a "Detail: show check web/s2"
pcheck "  with the reason it is down" a pane_has_re a '^reason +Connection refused'
keys a Escape
pcheck "Esc: back to the proxy list" a pane_has_re a '^  s2 +DOWN'
if "$SOFTLB" -s "$SOCK" -c 'show events last 1' >/dev/null 2>&1; then
	# s1 was drained from the monitor above: its journal entry, with who.
	$TM resize-window -t a -x 140 -y 60
	keys a k Enter
	pcheck "Enter on s1: its events from the journal, with who drained it" a \
		pane_has_re a '^server web/s1 .*as configured -> draining +root \(admin\)'
	keys a Escape
	$TM resize-window -t a -x 80 -y 24
else
	echo "skipped part: this softlbd has no event journal (a row's events in its detail)"
fi
keys a /
$TM send-keys -t a -l "state:down"
keys a Enter
pcheck "filter state:down: s2 stays" a pane_has_re a '^  s2 +DOWN'
check "  s1 (UP) is hidden" not pane_has_re a '^  s1 +UP'
check "  the key line shows the filter" pane_has a "filter: state:down"
keys a / C-u Enter
pcheck "an empty filter shows everything again" a pane_has_re a '^  s1 +UP'

# --- the daemon goes away and comes back --------------------------------
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
DAEMON_PID=
pcheck "daemon killed: the reconnecting banner" a pane_has a "reconnecting:"
check "  and the last data stays on the screen" pane_has_re a '^  s2 +DOWN'
start_daemon -f "$T/keepalived.conf" -p "$T/haproxy.cfg"
pcheck "daemon back: the banner goes" a pane_lacks a "reconnecting:"
pcheck "  and the data is live again (s1 UP)" a pane_has_re a '^  s1 +UP'

# --- q gives the terminal back ----------------------------------------
keys a q
pcheck "q: exit 0, the terminal back in canonical mode with echo, no alternate screen" a \
	restored a 0

# --- Ctrl-C, SIGTERM, a crash ------------------------------------------
start b 80 24
pcheck "(second session up)" b pane_has b "[1 Overview]"
keys b C-c
pcheck "Ctrl-C: the terminal is given back" b restored b 0
start c 80 24
pcheck "(third session up)" c pane_has c "[1 Overview]"
kill -TERM "$(top_pid c)"
pcheck "SIGTERM: the terminal is given back" c restored c 0
start d 80 24
pcheck "(fourth session up)" d pane_has d "[1 Overview]"
kill -SEGV "$(top_pid d)"
pcheck "a crash (SIGSEGV): the terminal is given back before it dies (139)" d restored d 139

# --- colours ----------------------------------------------------------
start e 100 30
pcheck "colours: UP is drawn green (SGR 32)" e sh -c "$TM capture-pane -p -e -t e | grep -q '32m *UP'"
if no_colour e >/dev/null; then fail "  no_colour sees no colour where there is"; else ok "  (and no_colour sees them: it can fail)"; fi
keys e q
start f 100 30 NO_COLOR=1
pcheck "NO_COLOR: the screen is up" f pane_has_re f '^VI_1 +MASTER'
check "NO_COLOR: no colour at all" no_colour f
check "NO_COLOR: the labels are still there" pane_has_re f '^  s2 +DOWN'
keys f q
start g 100 30 -- --no-color
pcheck "--no-color: the screen is up" g pane_has_re g '^VI_1 +MASTER'
check "--no-color: no colour" no_colour g
keys g q
TERM_FOR_TEST=dumb start h 100 30
pcheck "TERM=dumb: it still draws, or says why" h \
	sh -c "$TM capture-pane -p -t h | grep -qE 'VI_1|cannot drive the terminal'"
check "TERM=dumb: no colour" no_colour h

# --- no action keys for --readonly and for a view-role user -------------
start i 100 30 -- --readonly
pcheck "--readonly: no action keys offered" i pane_has i "(read-only)"
check "--readonly: the key line has no drain" pane_lacks i "d drain"
keys i 3 j d
pcheck "--readonly: d does nothing but say so" i pane_has i "read-only: no actions"
check "  s1 untouched" [ "$(srv web s1 status)" = UP ]
keys i q

if command -v useradd >/dev/null && command -v setpriv >/dev/null; then
	for g in softlb softlb-oper softlb-admin; do
		if ! getent group "$g" >/dev/null; then
			groupadd "$g" || exit 99
			at_exit "groupdel $g"
		fi
	done
	u_view="slbtv$$"
	useradd -M -N -g nogroup -G softlb "$u_view" && at_exit "userdel $u_view"
	chmod 0755 "$T"
	$TM new-session -d -s v -x 100 -y 30 /bin/sh -c '
		setpriv --reuid="$1" --regid=nogroup --init-groups -- env TERM=xterm "$2" -s "$3"
		echo "EXIT=$?"; exec sleep 3600' sh "$u_view" "$SOFTLBTOP" "$SOCK"
	pcheck "a view-role user: the greeting says view" v pane_has v "(view)"
	check "  and no action keys are offered" pane_lacks v "d drain"
	keys v 3 j d
	pcheck "  d is refused by the monitor itself" v pane_has v "your role may not change anything"
	check "  s1 untouched" [ "$(srv web s1 status)" = UP ]
	keys v q
else
	echo "skipped part: a view-role user (useradd or setpriv missing)"
fi

# --- the shell's monitor command ----------------------------------------
# softlb_montest is softlb with the monitor's fixed path pointing into
# this build tree (the real one runs $(bindir)/softlbtop).
MONTEST="$top_builddir/tests/integration/softlb_montest"
HOSTN=$(hostname 2>/dev/null || uname -n)
$TM new-session -d -s m -x 100 -y 30 /bin/sh -c '
	trap : INT
	HOME=$1 TERM=xterm-256color "$2" -s "$3"
	echo "EXIT=$?"
	exec sleep 3600' sh "$T" "$MONTEST" "$SOCK"
pcheck "(the shell is up)" m pane_has m "softlb@$HOSTN>"
$TM send-keys -t m -l "monitor now"
keys m Enter
pcheck "monitor with an argument is refused" m pane_has m "monitor takes no argument"
$TM send-keys -t m -l "monitor"
keys m Enter
pcheck "monitor: softlbtop runs in the shell's terminal" m pane_has m "[1 Overview]"
pcheck "  on the shell's socket (the lab's VI_1)" m pane_has_re m '^VI_1 +MASTER'
keys m C-c
pcheck "Ctrl-C ends the monitor, not the shell: back at the prompt" m \
	sh -c "$TM capture-pane -p -t m | grep -v '^$' | tail -n 1 | grep -qF 'softlb@$HOSTN>' && ! $TM capture-pane -p -t m | grep -qF '[1 Overview]'"
$TM send-keys -t m -l "monitor"
keys m Enter
pcheck "monitor again" m pane_has m "[1 Overview]"
keys m q
pcheck "q: back at the prompt" m sh -c "! $TM capture-pane -p -t m | grep -qF '[1 Overview]'"
$TM send-keys -t m -l "show version"
keys m Enter
pcheck "  and the shell still works (show version)" m pane_has m "softlbd"
$TM send-keys -t m -l "configure"
keys m Enter
$TM send-keys -t m -l "monitor"
keys m Enter
pcheck "monitor in configure mode is refused" m pane_has m "leave configure mode first"
keys m C-d
printf 'monitor\n' | "$SOFTLB" -s "$SOCK" >"$T/mon.out" 2>&1
check "monitor without a terminal (softlb on a pipe) is not run" \
	not grep -qF "[1 Overview]" "$T/mon.out"

# --- Ctrl-Z and fg in a job-control shell -------------------------------
if command -v bash >/dev/null; then
	$TM new-session -d -s z -x 100 -y 30 "env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME=$T bash --norc --noprofile -i"
	sleep 0.5
	$TM send-keys -t z -l "PS1='zsh\$ '; '$SOFTLBTOP' -s '$SOCK'"
	$TM send-keys -t z Enter
	pcheck "(under bash)" z pane_has z "[1 Overview]"
	keys z C-z
	pcheck "Ctrl-Z: the shell is back (softlbtop stopped)" z \
		sh -c "$TM capture-pane -p -t z | grep -qi 'stopped' && ! $TM capture-pane -p -t z | grep -qF '[1 Overview]'"
	$TM send-keys -t z -l "fg"
	$TM send-keys -t z Enter
	pcheck "fg: the monitor is drawn again" z pane_has z "[1 Overview]"
	keys z q
	pcheck "  and q after fg leaves cleanly" z sh -c "! $TM capture-pane -p -t z | grep -qF '[1 Overview]'"
fi

finish
