#!/bin/sh
# mibs/*.txt pass smilint -l 3 with no error and no warning, against the
# base MIBs mib_lib.sh fetches (npm pack net-snmp, never committed).
. "${top_srcdir:?}/tests/integration/lib.sh"

command -v smilint >/dev/null || skip "smilint missing (Debian package smitools)"
. "$top_srcdir/tests/integration/mib_lib.sh"
if ! base_mibs "$T/base"; then
	echo "SKIP: smilint: no base MIBs to lint against: $MIB_WHY"
	exit 77
fi
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
