#!/bin/sh
# tls_audit.sh: the full testssl.sh run against softlbd's TLS listener
# with default settings, and the same run against HAProxy 2.6 with the
# same certificate, for reference; prints each one's findings that are
# not OK or INFO, and exits 1 when softlbd has any about its TLS (the
# cert_* findings are about the test certificate: made now by a test CA,
# for names that are not 127.0.0.1, valid two days; the same for both).
# Too slow for make check (about 2 minutes per run on a quiet 2-core
# machine, 15 and more on a loaded one, with an ASan build); proxy_tls.sh checks the same points (versions,
# ciphers, renegotiation, compression) in seconds. The JSON of each run
# is kept in $AUDIT_OUT (default /tmp/tls-audit-DATE).
# Everything runs in a network namespace of its own, on 127.0.0.1.
#
#   top_builddir=BUILD [top_srcdir=SRC] tests/bench/tls_audit.sh [testssl options]
#
# Without options: testssl's default run minus the HTTP header and
# client-simulation parts (--protocols --std --server-preference
# --server-defaults --vulnerable --pfs).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:?set top_builddir to the build directory}"
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
for t in testssl haproxy openssl python3 unshare; do
	command -v "$t" >/dev/null || { echo "SKIP: $t missing (scripts/deps installs it)"; exit 77; }
done
if [ "${TLS_AUDIT_INNER:-}" != 1 ]; then
	# Our own network namespace: 127.0.0.1 is ours alone.
	TLS_AUDIT_INNER=1 exec unshare --net "$0" "$@"
fi
ip link set lo up
T=$(mktemp -d /tmp/tls-audit.XXXXXX)
OUTD=${AUDIT_OUT:-/tmp/tls-audit-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUTD"
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# make_certs from the test helpers (skip() is theirs to call).
skip() { echo "SKIP: $*"; exit 77; }
. "$top_srcdir/tests/integration/tls_lib.sh"
make_certs "$T/c" || { echo "cannot make certificates"; exit 1; }
cat "$T/c/ec.pem" >"$T/site.pem"

python3 "$top_srcdir/tests/integration/proxy_backend.py" 127.0.0.1 8080 audit >/dev/null 2>&1 &
PIDS="$PIDS $!"
cat >"$T/softlb.cfg" <<EOC
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:8443 ssl crt $T/site.pem
    default_backend be
backend be
    server s1 127.0.0.1:8080
EOC
sed "s/8443/9443/" "$T/softlb.cfg" >"$T/haproxy.cfg"
"$top_builddir/softlbd" -n -l -S "$T/s.sock" --pidfile "$T/s.pid" -f /dev/null \
	-p "$T/softlb.cfg" >"$T/softlbd.log" 2>&1 &
PIDS="$PIDS $!"
haproxy -q -f "$T/haproxy.cfg" >"$T/haproxy.log" 2>&1 &
PIDS="$PIDS $!"
for port in 8080 8443 9443; do
	for _ in $(seq 100); do
		python3 -c 'import socket,sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)' "$port" 2>/dev/null && break
		sleep 0.1
	done
done

opts=${*:---protocols --std --server-preference --server-defaults --vulnerable --pfs}
run() {	# run NAME PORT
	echo "== $1 (127.0.0.1:$2)"
	start=$(date +%s)
	# shellcheck disable=SC2086
	timeout "${AUDIT_TIMEOUT:-2400}" testssl --quiet --color 0 --warnings off --nodns=min \
		--jsonfile "$OUTD/$1.json" \
		$opts "127.0.0.1:$2" >"$OUTD/$1.out" 2>&1
	echo "   testssl exit $?, $(($(date +%s) - start)) s"
	python3 - "$OUTD/$1.json" <<'EOP'
import json, sys
from collections import Counter
d = json.load(open(sys.argv[1]))
print("   severities:", dict(Counter(x["severity"] for x in d)))
bad = [x for x in d if x["severity"] not in ("OK", "INFO")]
for x in bad:
    print("   %-28s %-8s %s" % (x["id"], x["severity"], x["finding"][:100]))
# The test certificate's own properties, and testssl's bookkeeping, are
# not findings about the TLS stack.
tls = [x for x in bad if not x["id"].startswith("cert") and x["id"] != "scanTime"]
open(sys.argv[1] + ".bad", "w").write("".join("%s\n" % x["id"] for x in tls))
EOP
}
run softlbd 8443
run haproxy 9443
n=$(wc -l <"$OUTD/softlbd.json.bad")
echo "about TLS, not the test certificate: softlbd $n finding(s) above INFO;" \
	"haproxy 2.6 $(wc -l <"$OUTD/haproxy.json.bad") (JSON in $OUTD)"
[ "$n" -eq 0 ]
