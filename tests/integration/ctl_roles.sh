#!/bin/sh
# Roles come from the kernel's peer credentials: real users and groups,
# created here and removed at exit.
. "${top_srcdir:?}/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root to create users and groups"
command -v useradd >/dev/null || skip "useradd missing (Debian package passwd)"
command -v setpriv >/dev/null || skip "setpriv missing (Debian package util-linux)"

# Groups are global names: create the ones missing, remove only those.
for g in softlb softlb-oper softlb-admin; do
	if ! getent group "$g" >/dev/null; then
		groupadd "$g" || exit 99
		at_exit "groupdel $g"
	fi
done
suffix=$$
u_view="slbv$suffix" u_oper="slbo$suffix" u_admin="slba$suffix" u_none="slbn$suffix"
useradd -M -N -g nogroup -G softlb "$u_view" && at_exit "userdel $u_view"
useradd -M -N -g nogroup -G softlb,softlb-oper "$u_oper" && at_exit "userdel $u_oper"
useradd -M -N -g nogroup -G softlb,softlb-admin "$u_admin" && at_exit "userdel $u_admin"
useradd -M -N -g nogroup "$u_none" && at_exit "userdel $u_none"

as() {
	u=$1
	shift
	setpriv --reuid="$u" --regid=nogroup --init-groups -- "$@"
}

start_daemon

out=$(as "$u_view" "$SOFTLB" -s "$SOCK" -c 'show status' 2>&1); rc=$?
check "view: show status works" sh -c '[ "$1" -eq 0 ] && case "$2" in *ENGINE*) ;; *) exit 1 ;; esac' _ "$rc" "$out"
out=$(as "$u_view" "$SOFTLB" -s "$SOCK" -c 'configure' 2>&1); rc=$?
check "view: configure is refused with exit 3" [ "$rc" -eq 3 ]
check "view: the refusal names the role needed" contains "$out" "needs role admin"
check "view: describe and complete hide configure" as "$u_view" $CTLC "$SOCK" role-view
out=$(as "$u_view" "$SOFTLB" -s "$SOCK" -c 'show clients' 2>&1)
check "view: show clients shows the user and role" sh -c 'printf "%s\n" "$1" | grep -q "$2 .* view "' _ "$out" "$u_view"

out=$(as "$u_oper" "$SOFTLB" -s "$SOCK" --json -c 'show clients' 2>&1)
check "operator: is greeted as operator" sh -c 'printf "%s" "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); assert [c for c in d if c[\"self\"]][0][\"role\"]==\"operator\""' _ "$out"
out=$(as "$u_oper" "$SOFTLB" -s "$SOCK" -c 'configure' 2>&1); rc=$?
check "operator: configure is refused with exit 3" [ "$rc" -eq 3 ]

check "admin (by group): describe offers configure, configure works" as "$u_admin" $CTLC "$SOCK" role-admin
out=$(as "$u_admin" "$SOFTLB" -s "$SOCK" -c 'configure' -c 'end' 2>&1); rc=$?
check "admin: configure and end" [ "$rc" -eq 0 ]

out=$(as "$u_none" "$SOFTLB" -s "$SOCK" -c 'show status' 2>&1); rc=$?
check "a user in no softlb group is refused with exit 3" [ "$rc" -eq 3 ]
check "with a one-line reason naming the groups" contains "$out" "is in none of the groups softlb, softlb-oper, softlb-admin"

check "the refusal at connect is in the audit trail" grep -q "refused: connection from user=$u_none" "$DAEMON_LOG"
check "the refused command is in the audit trail" grep -q "refused: user=$u_view .*command=\"configure\" result=403" "$DAEMON_LOG"
check "the admin's configure is in the audit trail" grep -q "command: user=$u_admin .*role=admin command=\"configure\" result=200" "$DAEMON_LOG"

finish
