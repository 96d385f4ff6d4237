# Helpers for the TLS tests (sourced after lib.sh): certificates made at
# run time (nothing committed that could expire), and clients run in
# softlbd's own network namespace (start_daemon unshares one).
command -v openssl >/dev/null || skip "openssl missing (Debian package openssl)"
command -v curl >/dev/null || skip "curl missing (Debian package curl)"
command -v nsenter >/dev/null || skip "nsenter missing (Debian package util-linux)"

# make_certs DIR: a CA (ca.pem) and, signed by it, in HAProxy's PEM
# layout (certificate, chain, key in one file):
#   rsa.pem    RSA-2048, www.example.test and example.test
#   ec.pem     ECDSA P-256, api.example.test
#   wild.pem   ECDSA P-256, *.wild.test
#   client.pem a client certificate (CN client)
#   split.pem  + split.pem.key: the key in a file of its own
make_certs() {
	d=$1
	mkdir -p "$d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=softlb test CA $$" -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null || return 1
	_leaf "$d" rsa "rsa:2048" "www.example.test" "DNS:www.example.test,DNS:example.test" || return 1
	_leaf "$d" ec "ec -pkeyopt ec_paramgen_curve:P-256" "api.example.test" "DNS:api.example.test" || return 1
	_leaf "$d" wild "ec -pkeyopt ec_paramgen_curve:P-256" "*.wild.test" "DNS:*.wild.test" || return 1
	_leaf "$d" client "ec -pkeyopt ec_paramgen_curve:P-256" "client" "DNS:client" || return 1
	_leaf "$d" split "ec -pkeyopt ec_paramgen_curve:P-256" "split.example.test" "DNS:split.example.test" || return 1
	sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' "$d/split.full.pem" >"$d/split.pem"
	cp "$d/split.key" "$d/split.pem.key"
}

# _leaf DIR NAME KEYSPEC CN SAN
_leaf() {
	# shellcheck disable=SC2086
	openssl req -newkey $3 -nodes -subj "/CN=$4" -keyout "$1/$2.key" -out "$1/$2.csr" \
		2>/dev/null || return 1
	printf 'subjectAltName=%s\n' "$5" >"$1/$2.ext"
	openssl x509 -req -in "$1/$2.csr" -CA "$1/ca.pem" -CAkey "$1/ca.key" -CAcreateserial \
		-days 2 -extfile "$1/$2.ext" -out "$1/$2.crt" 2>/dev/null || return 1
	cat "$1/$2.crt" "$1/ca.pem" "$1/$2.key" >"$1/$2.pem"
	cp "$1/$2.pem" "$1/$2.full.pem"
}

# ns CMD...: runs CMD in softlbd's network namespace.
ns() {
	nsenter -t "$DAEMON_PID" -n "$@"
}

# ns_bg CMD...: the same in the background; pid in $BG_PID, killed at exit.
ns_bg() {
	nsenter -t "$DAEMON_PID" -n "$@" >>"$T/bg.log" 2>&1 &
	BG_PID=$!
	at_exit "kill -9 $BG_PID"
}

# ns_wait_port PORT: until something listens on 127.0.0.1:PORT there.
ns_wait_port() {
	for _ in $(seq 50); do
		ns "$PYTHON" -c 'import socket,sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)' "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "  nothing listens on 127.0.0.1:$1"
	return 1
}

# sclient ARGS...: openssl s_client to softlbd's namespace, stdin empty;
# its output in $OUT.
sclient() {
	OUT=$(ns timeout 10 openssl s_client "$@" </dev/null 2>&1)
}
