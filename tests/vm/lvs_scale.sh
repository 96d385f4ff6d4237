#!/bin/sh
# lvs_scale.sh: the cost of one change on a big director, on a real
# kernel: boots the VM and runs lvs_scale_guest.sh (through lvs_engine.sh's
# runner), in a run of its own so that its start at 10,000 services does
# not eat the other guests' time.
# Exit: 0 pass, 77 skip (only when the VM cannot be set up), 1 fail,
# 99 harness error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
SOFTLB_LVS_GUESTS=lvs_scale_guest.sh exec sh "$here/lvs_engine.sh"
