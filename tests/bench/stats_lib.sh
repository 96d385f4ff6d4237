# stats_lib.sh: the statistics every benchmark under tests/bench prints,
# in one place so that they all mean the same thing. Sourced (POSIX sh);
# the arithmetic is awk's. Samples are passed as words; a sample of "-"
# (a round that failed) is not a number and is left out of the figures,
# but counted and named ("2 failed") so it is never silently dropped.
#
# Every figure is "MEDIAN [MIN..MAX] n=N": the median because a shared
# machine's noise is one-sided (a sample is slowed, never sped up), the
# whole range rather than a deviation so that a reader sees the worst
# round, and n so that nobody quotes the median of two as if it were of
# twenty.

# st_clean V...: the numeric samples, one a line.
st_clean() {
	for _v in "$@"; do
		case $_v in
		-|"") ;;
		*) echo "$_v" ;;
		esac
	done
}

# st_failed V...: how many samples are "-".
st_failed() {
	_f=0
	for _v in "$@"; do
		[ "$_v" = - ] && _f=$((_f + 1))
	done
	echo "$_f"
}

# st_median V...: the median, or "-" when no sample is a number.
st_median() {
	st_clean "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m + 0 }'
}

# st_fmt FORMAT V...: "MEDIAN [MIN..MAX] n=N" with each figure printed by
# FORMAT (a printf format such as %.0f or %.2f); "- n=0" when none.
st_fmt() {
	_fmt=$1
	shift
	_failed=$(st_failed "$@")
	st_clean "$@" | sort -g | awk -v f="$_fmt" -v failed="$_failed" '{ v[NR] = $1 } END {
		tail = failed > 0 ? sprintf(" (%d failed)", failed) : ""
		if (NR == 0) { printf "- n=0%s\n", tail; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf f " [" f ".." f "] n=%d%s\n", m, v[1], v[NR], NR, tail }'
}

# st_summary V...: st_fmt with the precision chosen from the median's
# size (3 significant digits or whole units).
st_summary() {
	_m=$(st_median "$@")
	_f=%.0f
	case $_m in
	-) ;;
	*) _f=$(awk -v m="$_m" 'BEGIN { m = m < 0 ? -m : m
		print (m >= 100) ? "%.0f" : (m >= 10) ? "%.1f" : (m >= 1) ? "%.2f" : "%.3f" }') ;;
	esac
	st_fmt "$_f" "$@"
}

# st_pairs OP "A..." "B...": the i-th A against the i-th B, per pair: OP
# is ratio (a/b) or diff (a-b). A pair with a "-" gives "-". The scripts
# interleave A and B, so the i-th of each ran at the same time, under the
# same load: the spread of the pairs is the comparison's own spread, not
# the spread of two unrelated runs.
st_pairs() {
	_op=$1
	echo "$2" | tr -s ' \t' '\n\n' | grep . >"${TMPDIR:-/tmp}/st_a.$$"
	echo "$3" | tr -s ' \t' '\n\n' | grep . | paste "${TMPDIR:-/tmp}/st_a.$$" - |
		awk -v op="$_op" 'NF == 2 {
			if ($1 == "-" || $2 == "-" || (op == "ratio" && $2 == 0)) { print "-"; next }
			print (op == "ratio") ? $1 / $2 : $1 - $2 }' | tr '\n' ' '
	rm -f "${TMPDIR:-/tmp}/st_a.$$"
}

# st_ratio "A..." "B...": the ratio A/B as "MEDIAN [MIN..MAX] n=N" over
# the interleaved pairs.
st_ratio() {
	# shellcheck disable=SC2046
	st_fmt %.2f $(st_pairs ratio "$1" "$2")
}

# st_bound VALUE BOUND: how far VALUE is from its bound: "+D (xR)".
st_bound() {
	awk -v v="$1" -v b="$2" 'BEGIN {
		if (v == "-" || b == "-" || b == "") { print "-"; exit }
		d = v - b
		if (b != 0) printf "%+.3g (x%.2f)\n", d, v / b; else printf "%+.3g\n", d }'
}

# st_below V... BOUND (the bound last): how many samples are below BOUND.
st_below() {
	_n=$#
	eval "_b=\${$_n}"
	_c=0 _i=0
	for _v in "$@"; do
		_i=$((_i + 1))
		[ "$_i" -lt "$_n" ] || break
		[ "$_v" = - ] && continue
		awk -v v="$_v" -v b="$_b" 'BEGIN { exit !(v < b) }' && _c=$((_c + 1))
	done
	echo "$_c"
}

# st_row CELL...: one row of the markdown summary that tests/bench/run-all
# collects: "summary: | CELL | CELL |". Columns: benchmark, softlbd, peer
# (named), ratio softlbd/peer, bound, softlbd's distance from the bound.
st_row() {
	printf 'summary: |'
	for _c in "$@"; do
		printf ' %s |' "$_c"
	done
	printf '\n'
}

# st_order I: "A B" or "B A", alternating with I, so that neither
# always runs first in a pair (the first of a pair sees the tail of
# whatever ran before it).
st_order() {
	if [ $(($1 % 2)) -eq 0 ]; then echo "A B"; else echo "B A"; fi
}
