#!/bin/sh
# testssl.sh against softlbd's TLS listener with default settings (no
# TLS option on the bind: softlb's defaults are what is audited), and
# the same run against haproxy 2.6 with the same certificate beside it,
# for reference. testssl's checks of protocols, cipher categories,
# forward secrecy, server defaults and preference, and every
# vulnerability check; its JSON is parsed, and any finding of severity
# LOW or above about softlbd's TLS fails the test (the certificate's own
# findings are left out: it is the test's throw-away certificate, made
# now by a test CA for names that are not 127.0.0.1 and valid two days;
# they are printed, and are the same for haproxy). A finding testssl
# reports as WARN (a check it could not run) fails it too.
#
# Offline: everything runs in softlbd's network namespace, which holds
# only lo; testssl is told the address (--ip), looks up no name
# (--nodns none), never phones out (no --phone-out), and uses the system's
# openssl (--openssl). Not part of make check (a run takes minutes):
# `make check-tls-audit`, which scripts/check runs once after
# check-package.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/tls_lib.sh"
command -v testssl >/dev/null || skip "testssl missing (Debian package testssl.sh)"
command -v haproxy >/dev/null || skip "haproxy missing (Debian package haproxy)"

C="$T/certs"
make_certs "$C" || { echo "cannot make certificates"; exit 99; }

cat >"$T/softlb.cfg" <<EOC
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:8443 ssl crt $C/ec.pem
    default_backend be
backend be
    server s1 127.0.0.1:8080
EOC
sed "s/8443/9443/" "$T/softlb.cfg" >"$T/haproxy.cfg"
start_daemon -f /dev/null -p "$T/softlb.cfg"
ns_bg "$PYTHON" "$top_srcdir/tests/integration/proxy_backend.py" 127.0.0.1 8080 audit
ns_bg haproxy -db -f "$T/haproxy.cfg"
ns_wait_port 8080 && ns_wait_port 8443 && ns_wait_port 9443 || exit 99

# The subset (testssl 3.0): protocols, standard cipher categories,
# forward secrecy, server preference and defaults, vulnerabilities (what
# testssl runs by default, less the HTTP headers and client simulations).
# Not --fast: it makes testssl test ciphers with the local openssl, and
# Debian's OpenSSL 3 has no RC4, so the RC4 check would not run (a WARN);
# without it testssl sends its own ClientHellos for every cipher.
OPTS=${TLS_AUDIT_OPTS:---protocols --std --pfs --server-preference --server-defaults --vulnerable}
audit() {	# audit NAME PORT: testssl's JSON in $T/NAME.json
	start=$(date +%s)
	# shellcheck disable=SC2086
	ns timeout 2400 testssl --quiet --color 0 --warnings batch --nodns none \
		--openssl "$(command -v openssl)" --ip 127.0.0.1 --connect-timeout 30 \
		--openssl-timeout 30 --jsonfile "$T/$1.json" $OPTS "127.0.0.1:$2" \
		>"$T/$1.out" 2>&1
	rc=$?
	echo "  testssl against $1: exit $rc, $(($(date +%s) - start)) s"
	[ -s "$T/$1.json" ] || { echo "  no JSON:"; tail -20 "$T/$1.out"; return 1; }
}

# findings NAME: the findings of LOW and above, and WARN, one a line
# "id severity finding", the certificate's marked "cert"; exit 1 when a
# finding that is not the certificate's is there.
# testssl's ticket resumption probe (openssl s_client -sess_out with
# stdin closed) hangs up right after its Finished; a TLS 1.3 server sends
# its tickets after reading that Finished, so a slower server (an ASan
# build on a loaded machine) can lose the race, and testssl reports a
# WARN "connect problem". That one WARN is not counted here: the test
# checks ticket resumption itself below (a client that waits for the
# tickets, then resumes with one).
findings() {
	"$PYTHON" - "$T/$1.json" <<'EOP'
import json, sys
bad = 0
order = ["LOW", "MEDIUM", "HIGH", "CRITICAL", "WARN"]
for x in json.load(open(sys.argv[1])):
    if x.get("severity") not in order:
        continue
    cert = x["id"].startswith("cert") or x["id"] in ("intermediate_cert_badOCSP",)
    race = (x["id"] == "sessionresumption_ticket" and x["severity"] == "WARN" and
            "connect problem" in x.get("finding", ""))
    bad += not cert and not race
    print("    %-4s %-28s %-8s %s" % ("cert" if cert else "race" if race else "TLS", x["id"],
                                   x["severity"], x.get("finding", "")[:90]))
sys.exit(1 if bad else 0)
EOP
}

# The reference runs beside softlbd's audit (each testssl mostly waits
# for its peer: together they take about as long as the longer one).
audit haproxy 9443 >"$T/haproxy.rc.out" 2>&1 &
HAP_AUDIT=$!
if audit softlbd 8443; then
	echo "  softlbd, findings LOW and above:"
	if findings softlbd; then
		ok "testssl: no finding of severity LOW or above about softlbd's TLS"
	else
		fail "testssl found weaknesses in softlbd's TLS (above; full output in the log)"
		cat "$T/softlbd.out"
	fi
	# Each check ran: a run cut short would have no finding either.
	for id in SSLv2 SSLv3 TLS1 TLS1_1 TLS1_2 TLS1_3 heartbleed CCS ticketbleed ROBOT \
		secure_renego secure_client_renego CRIME_TLS POODLE_SSL fallback_SCSV SWEET32 \
		FREAK DROWN LOGJAM BEAST LUCKY13 RC4; do
		grep -q "\"id\" *: *\"$id\"" "$T/softlbd.json" || fail "testssl did not report '$id'"
	done
	# Ticket resumption, TLS 1.3 and 1.2, by a client that waits.
	for v in -tls1_3 -tls1_2; do
		rm -f "$T/sess"
		sleep 1 | ns timeout 20 openssl s_client $v -connect 127.0.0.1:8443 \
			-sess_out "$T/sess" >/dev/null 2>&1
		R=$(sleep 1 | ns timeout 20 openssl s_client $v -connect 127.0.0.1:8443 \
			-sess_in "$T/sess" 2>&1 | grep -E '^(New|Reused),')
		check "session ticket resumption ($v): $R" contains "$R" "Reused"
	done
else
	fail "testssl did not run against softlbd"
fi
if wait "$HAP_AUDIT"; then
	cat "$T/haproxy.rc.out"
	echo "  haproxy 2.6 (reference), findings LOW and above:"
	findings haproxy
else
	cat "$T/haproxy.rc.out"
	echo "  testssl did not run against haproxy (reference only)"
fi
finish
