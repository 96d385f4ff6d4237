#!/bin/sh
# mibs/*.txt pass smilint -l 3 with no error and no warning. Debian's
# smitools ship no IETF base MIBs, so SNMPv2-SMI, -TC and -CONF come from
# the npm package net-snmp, fetched now (`npm pack`) and never committed;
# INET-ADDRESS-MIB is in no package reachable here, so a stand-in defining
# just the three types SOFTLB-MIB imports (InetAddressType, InetAddress,
# InetPortNumber, with RFC 4001's syntax) is written for the run.
. "${top_srcdir:?}/tests/integration/lib.sh"

command -v smilint >/dev/null || skip "smilint missing (Debian package smitools)"
command -v npm >/dev/null || skip "npm missing (Debian package npm): no base MIBs to lint against"

mkdir -p "$T/npm" "$T/base"
if ! (cd "$T/npm" && timeout 120 npm pack --silent net-snmp >"$T/npm.log" 2>&1); then
	echo "SKIP: smilint: npm could not fetch net-snmp (registry unreachable?):"
	tail -n 3 "$T/npm.log"
	exit 77
fi
tar xzf "$T"/npm/net-snmp-*.tgz -C "$T/npm"
for m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF; do
	cp "$T/npm/package/lib/mibs/$m.mib" "$T/base/$m" || { fail "npm net-snmp has no $m"; }
done
cat >"$T/base/INET-ADDRESS-MIB" <<'EOM'
INET-ADDRESS-MIB DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, mib-2, Unsigned32 FROM SNMPv2-SMI
        TEXTUAL-CONVENTION FROM SNMPv2-TC;
inetAddressMIB MODULE-IDENTITY
    LAST-UPDATED "200502040000Z"
    ORGANIZATION "softlb test stand-in"
    CONTACT-INFO "none"
    DESCRIPTION "The three types SOFTLB-MIB imports, for linting only."
    ::= { mib-2 76 }
InetAddressType ::= TEXTUAL-CONVENTION
    STATUS current
    DESCRIPTION "Address type."
    SYNTAX INTEGER { unknown(0), ipv4(1), ipv6(2), ipv4z(3), ipv6z(4), dns(16) }
InetAddress ::= TEXTUAL-CONVENTION
    STATUS current
    DESCRIPTION "Address."
    SYNTAX OCTET STRING (SIZE (0..255))
InetPortNumber ::= TEXTUAL-CONVENTION
    DISPLAY-HINT "d"
    STATUS current
    DESCRIPTION "Port."
    SYNTAX Unsigned32 (0..65535)
END
EOM
for mib in "$top_srcdir"/mibs/*.txt; do
	OUT=$(SMIPATH="$T/base" smilint -l 3 "$mib" 2>&1)
	if [ -z "$OUT" ]; then
		ok "smilint -l 3 $(basename "$mib"): clean"
	else
		printf '%s\n' "$OUT"
		fail "smilint -l 3 $(basename "$mib")"
	fi
	n=$(SMIPATH="$T/base" smidump -f identifiers "$mib" 2>/dev/null | grep -c ' node \| scalar \| column ')
	check "smidump reads $(basename "$mib"): $n objects" [ "$n" -gt 10 ]
done
[ "$FAILED" -eq 0 ] || exit 1
exit 0
