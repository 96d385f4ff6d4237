#!/bin/sh
# snmp_lvs.sh: LVS-MIB and SOFTLB-MIB's virtual / real server tables on a
# real kernel, against ipvsadm, and the quorum notifications. Boots the
# VM and runs snmp_lvs_guest.sh inside it (through lvs_engine.sh's
# runner); snmpd, snmptrapd and the net-snmp tools are the host's, which
# the guest sees over 9p.
# Exit: 0 pass, 77 skip (only when the VM cannot be set up or snmpd is not
# installed), 1 fail, 99 harness error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/sbin/snmpd ] || { echo "SKIP: snmpd missing (Debian package snmpd)"; exit 77; }
SOFTLB_LVS_GUESTS=snmp_lvs_guest.sh \
	exec sh "$here/lvs_engine.sh"
