#!/bin/sh
# A short, bounded, deterministic libFuzzer run of every parser of outside
# input: both configuration dialects, the control socket's frames and
# command lines, the runtime socket's (stats socket) command lines, the HTTP
# replies health checks read, VRRP adverts, the OIDs of SNMP requests, and
# the PROXY protocol header, the ClientHello peek of req.ssl_sni. Seeds: the configuration corpus, plus the inputs
# kept under tests/fuzz/corpus/TARGET/ (regressions: every crash ever found goes there).
#
# Longer runs by hand:  SOFTLB_FUZZ_SECONDS=600 tests/fuzz/run.sh
. "${top_srcdir:?}/tests/integration/lib.sh"

command -v clang >/dev/null || skip "clang missing (Debian package clang)"
printf 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}\n' >"$T/probe.c"
clang -fsanitize=fuzzer "$T/probe.c" -o "$T/probe" 2>/dev/null ||
	skip "clang cannot build libFuzzer targets (Debian package libclang-rt-14-dev)"

runs=${SOFTLB_FUZZ_RUNS:-20000}
seconds=${SOFTLB_FUZZ_SECONDS:-60}
src=$top_srcdir
cflags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
	-std=c11 -D_GNU_SOURCE -I$top_builddir -I$src/backend"
util="$src/backend/util/strbuf.c $src/backend/util/strvec.c $src/backend/util/xalloc.c $src/backend/util/hindex.c"

build() {
	name=$1
	shift
	# shellcheck disable=SC2086
	if ! clang $cflags "$src/tests/fuzz/$name.c" "$@" $util -o "$T/$name" 2>"$T/$name.build"; then
		head -n 20 "$T/$name.build"
		fail "$name builds"
		return 1
	fi
}

fuzz() {
	name=$1
	shift
	mkdir -p "$T/new-$name"
	seeds=""
	for d in "$@" "$src/tests/fuzz/corpus/$name"; do
		[ -d "$d" ] && seeds="$seeds $d"
	done
	# -seed fixes the run, so a failure here is repeatable, never flaky.
	# shellcheck disable=SC2086
	if "$T/$name" -seed=1 -runs="$runs" -max_total_time="$seconds" -max_len=65536 \
		-rss_limit_mb=1024 -artifact_prefix="$top_builddir/fuzz-$name-" "$T/new-$name" $seeds \
		>"$T/$name.log" 2>&1; then
		ok "$name: $(grep -o 'Done [0-9]* runs.*' "$T/$name.log" | head -n 1)"
	else
		tail -n 40 "$T/$name.log"
		fail "$name found a crash (input saved as $top_builddir/fuzz-$name-*)"
	fi
}

config_srcs=$(ls "$src"/backend/config/*.c)
# shellcheck disable=SC2086
build fuzz_kad $config_srcs && fuzz fuzz_kad "$src/tests/config/good" "$src/tests/config/bad"
# shellcheck disable=SC2086
build fuzz_hap $config_srcs && fuzz fuzz_hap "$src/tests/config/good" "$src/tests/config/bad"
build fuzz_ctl "$src/backend/ctl/grammar.c" "$src/backend/ctl/grammar_compile.c" \
	"$src/backend/ctl/grammar_complete.c" "$src/backend/ctl/grammar_token.c" \
	"$src/backend/ctl/proto.c" && fuzz fuzz_ctl
build fuzz_http_reply "$src/backend/check/http_reply.c" && fuzz fuzz_http_reply
build fuzz_vrrp "$src/backend/vrrp/vrrp_pkt.c" && fuzz fuzz_vrrp
build fuzz_px_http "$src/backend/proxy/px_http.c" "$src/backend/proxy/px_h1.c" \
	"$src/backend/proxy/px_cookie.c" "$src/backend/config/hap_cookie.c" \
	"$src/backend/config/value.c" && fuzz fuzz_px_http
build fuzz_px_proxyproto "$src/backend/proxy/px_proxyproto.c" && fuzz fuzz_px_proxyproto
build fuzz_px_sni "$src/backend/proxy/px_sni.c" && fuzz fuzz_px_sni
build fuzz_snmp_tree "$src/backend/snmp/snmp_tree.c" && fuzz fuzz_snmp_tree
# shellcheck disable=SC2086
build fuzz_px_cli "$src/backend/proxy/px_cli_cmd.c" "$src/backend/proxy/px_stat.c" $config_srcs &&
	fuzz fuzz_px_cli

exit $((FAILED ? 1 : 0))
