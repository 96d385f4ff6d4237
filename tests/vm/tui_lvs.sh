#!/bin/sh
# tui_lvs.sh: softlbtop's LVS screen on a real kernel. Boots the VM and
# runs tui_lvs_guest.sh inside it (through lvs_engine.sh's runner).
# Exit: 0 pass, 77 skip (only when the VM cannot be set up), 1 fail,
# 99 harness error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:-$(cd "$here/../.." && pwd)}
if [ ! -x "$top_builddir/softlbtop" ]; then
	echo "ERROR: softlbtop is not built in $top_builddir"
	exit 99
fi
SOFTLB_LVS_GUESTS=tui_lvs_guest.sh exec sh "$here/lvs_engine.sh"
