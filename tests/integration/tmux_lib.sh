# tmux_lib.sh: driving a program in a real terminal (tmux), for the shell
# and monitor tests. Sourced after lib.sh (ok, fail); the caller sets TM
# (its tmux command, with a server of its own: tmux -L NAME -f /dev/null)
# and WAIT_TENTHS (how long a screen may take, in tenths of a second).

pane() { $TM capture-pane -p -t "$1" 2>/dev/null; }
pane_e() { $TM capture-pane -p -e -t "$1" 2>/dev/null; }	# with attributes
pane_has() { pane "$1" | grep -qF -- "$2"; }			# SESSION FIXED-STRING
pane_has_re() { pane "$1" | grep -qE -- "$2"; }		# SESSION EXTENDED-REGEX
pane_lacks() { ! pane "$1" | grep -qF -- "$2"; }
keys() { s=$1; shift; $TM send-keys -t "$s" "$@"; }		# SESSION KEY... (tmux key names)
not() { ! "$@"; }

# cursor_row SESSION: sets CX, CY (the cursor) and ROW (the pane's row
# that holds it; tmux trims trailing blanks).
cursor_row() {
	pos=$($TM display-message -p -t "$1" '#{cursor_x} #{cursor_y}' 2>/dev/null) || return 1
	CX=${pos% *}
	CY=${pos#* }
	ROW=$(pane "$1" | sed -n "$((CY + 1))p")
}

# wait_until CMD...: polls CMD until it succeeds, for WAIT_TENTHS tenths
# of a second at most.
wait_until() {
	n=0
	while ! "$@"; do
		n=$((n + 1))
		[ "$n" -ge "$WAIT_TENTHS" ] && return 1
		sleep 0.1
	done
	return 0
}

# pcheck DESCRIPTION SESSION CMD...: a check that waits for CMD, and on
# failure shows the screen of SESSION as it was, and where the cursor was.
pcheck() {
	pc_desc=$1
	pc_session=$2
	shift 2
	if wait_until "$@"; then
		ok "$pc_desc"
	else
		fail "$pc_desc"
		CX=? CY=?
		cursor_row "$pc_session"
		echo "--- screen of tmux session $pc_session (cursor at column $CX, row $CY):"
		pane "$pc_session" | sed 's/^/| /' || echo "(the session is gone)"
		echo "---"
	fi
}
