# base_mibs DIR: puts the IETF base MIBs net-snmp's tools and smilint need
# into DIR (sourced after lib.sh). Debian ships none of them, so
# SNMPv2-SMI, -TC, -CONF and IF-MIB come from the npm package net-snmp,
# fetched now (`npm pack`) and never committed; INET-ADDRESS-MIB is in no
# package reachable here, so a stand-in defining just the three types
# SOFTLB-MIB imports (InetAddressType, InetAddress, InetPortNumber, with
# RFC 4001's syntax) is written. Returns 1 with the reason in $MIB_WHY
# when npm is missing or cannot reach its registry.
base_mibs() {
	_d=$1
	MIB_WHY=
	command -v npm >/dev/null || { MIB_WHY="npm missing (Debian package npm)"; return 1; }
	mkdir -p "$_d" "$T/npm"
	if ! (cd "$T/npm" && timeout 120 npm pack --silent net-snmp >"$T/npm.log" 2>&1); then
		MIB_WHY="npm could not fetch net-snmp (registry unreachable?): $(tail -n 1 "$T/npm.log")"
		return 1
	fi
	tar xzf "$T"/npm/net-snmp-*.tgz -C "$T/npm" || { MIB_WHY="bad npm archive"; return 1; }
	for _m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF IF-MIB IANAifType-MIB SNMPv2-MIB; do
		cp "$T/npm/package/lib/mibs/$_m.mib" "$_d/$_m.txt" ||
			{ MIB_WHY="npm net-snmp has no $_m"; return 1; }
	done
	cat >"$_d/INET-ADDRESS-MIB.txt" <<'EOM'
INET-ADDRESS-MIB DEFINITIONS ::= BEGIN
IMPORTS MODULE-IDENTITY, mib-2, Unsigned32 FROM SNMPv2-SMI
        TEXTUAL-CONVENTION FROM SNMPv2-TC;
inetAddressMIB MODULE-IDENTITY
    LAST-UPDATED "200502040000Z"
    ORGANIZATION "softlb test stand-in"
    CONTACT-INFO "none"
    DESCRIPTION "The three types SOFTLB-MIB imports, for tests only."
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
}
