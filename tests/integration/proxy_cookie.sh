#!/bin/sh
# Cookie persistence (cookie NAME insert|rewrite|prefix ..., server ...
# cookie V) through softlbd, and the same configuration through haproxy
# 2.6 beside it for the bytes of Set-Cookie and Cache-Control: curl with a
# cookie jar stays on one server; the server never sees an indirect
# cookie; rewrite and prefix modes; maxidle / maxlife dates; a dead
# cookie server with and without option redispatch; drain keeps
# persistent clients (as HAProxy); a DOWN server only with option
# persist; hostile Cookie fields. Loopback of a namespace of its own.
. "${top_srcdir:?}/tests/integration/lib.sh"
command -v curl >/dev/null || skip "curl missing (Debian package curl)"
loopback_ns slbck
BE="$top_srcdir/tests/integration/cookie_backend.py"
bg_ns "$PYTHON" "$BE" 127.0.0.1 19281 s1
bg_ns "$PYTHON" "$BE" 127.0.0.1 19282 s2

# cfg BASE: every case on ports BASE.. (softlbd 19200, haproxy 19300).
cfg() {
	b=$1
	cat <<EOC
defaults
    mode http
    timeout connect 500ms
    timeout client 5s
    timeout server 5s
listen one
    bind 127.0.0.1:$b
    cookie SRV insert indirect nocache httponly secure domain .example.org domain .example.com attr SameSite=Lax
    server s1 127.0.0.1:19281 cookie a1
listen ins
    bind 127.0.0.1:$((b + 1))
    cookie SRV insert indirect nocache
    server s1 127.0.0.1:19281 cookie a1
    server s2 127.0.0.1:19282 cookie b2
listen dates
    bind 127.0.0.1:$((b + 2))
    cookie SRV insert maxidle 30m maxlife 8h
    server s1 127.0.0.1:19281 cookie a1
listen rw
    bind 127.0.0.1:$((b + 3))
    cookie SRV rewrite
    server s1 127.0.0.1:19281 cookie a1
listen pfx
    bind 127.0.0.1:$((b + 4))
    cookie SRV prefix
    server s1 127.0.0.1:19281 cookie a1
    server s2 127.0.0.1:19282 cookie b2
listen red
    bind 127.0.0.1:$((b + 5))
    cookie SRV insert indirect
    option redispatch
    retries 2
    server s1 127.0.0.1:19289 cookie a1
    server s2 127.0.0.1:19282 cookie b2
listen nored
    bind 127.0.0.1:$((b + 6))
    cookie SRV insert indirect
    retries 1
    server s1 127.0.0.1:19289 cookie a1
    server s2 127.0.0.1:19282 cookie b2
listen drn
    bind 127.0.0.1:$((b + 7))
    cookie SRV insert indirect
    server s1 127.0.0.1:19281 cookie a1
    server s2 127.0.0.1:19282 cookie b2
listen per
    bind 127.0.0.1:$((b + 8))
    cookie SRV insert indirect
    option persist
    server s1 127.0.0.1:19281 cookie a1 check port 19289 inter 200 fall 1
    server s2 127.0.0.1:19282 cookie b2
listen noper
    bind 127.0.0.1:$((b + 9))
    cookie SRV insert indirect
    server s1 127.0.0.1:19281 cookie a1 check port 19289 inter 200 fall 1
    server s2 127.0.0.1:19282 cookie b2
listen mx
    bind 127.0.0.1:$((b + 10))
    cookie SRV insert indirect
    timeout queue 3s
    server s1 127.0.0.1:19281 cookie a1 maxconn 1
    server s2 127.0.0.1:19282 cookie b2
EOC
}
cfg 19200 >"$T/softlb.cfg"
start_daemon -f /dev/null -p "$T/softlb.cfg"
HAP=
if command -v haproxy >/dev/null; then
	cfg 19300 >"$T/haproxy.cfg"
	bg_ns haproxy -db -f "$T/haproxy.cfg"
	HAP=1
fi
sleep 1
wait_ns_port "$NS" 19281 19282
[ -z "$HAP" ] || wait_ns_port "$NS" 19300

c() { ip netns exec "$NS" curl -s --max-time 5 "$@"; }
# hdr NAME PORT PATH [curl args]: the values of field NAME of the answer
# (names compared without case: haproxy 2.6 writes them in lower case).
hdr() {
	n=$1 p=$2 path=$3
	shift 3
	c -o /dev/null -D - "$@" "http://127.0.0.1:$p$path" | tr -d '\r' |
		awk -v n="$n" 'BEGIN { n = tolower(n) } { i = index($0, ":");
			if (i && tolower(substr($0, 1, i - 1)) == n) print substr($0, i + 2) }'
}
body() { p=$1 path=$2; shift 2; c "$@" "http://127.0.0.1:$p$path"; }

# ---- Set-Cookie bytes, beside haproxy
SC=$(hdr Set-Cookie 19200 /x)
check "insert: Set-Cookie '$SC'" \
	[ "$SC" = "SRV=a1; path=/; domain=.example.org; domain=.example.com; HttpOnly; Secure; SameSite=Lax" ]
if [ -n "$HAP" ]; then
	H=$(hdr Set-Cookie 19300 /x)
	check "haproxy 2.6 writes the same bytes ('$H')" [ "$SC" = "$H" ]
fi
for path in /x /pub /maxage /priv /exp /lm /pub-maxage; do
	S=$(hdr Cache-Control 19200 $path | tr '\n' ' ')
	if [ -n "$HAP" ]; then
		H=$(hdr Cache-Control 19300 $path | tr '\n' ' ')
		check "nocache $path: Cache-Control '$S', as haproxy's '$H'" [ "$S" = "$H" ]
	fi
done
S=$(hdr Cache-Control 19200 /maxage | tr '\n' ' ')
check "nocache marks a cacheable answer private ('$S')" [ "$S" = "max-age=60 private " ]
S=$(hdr Cache-Control 19200 /maxage -d a=b | tr '\n' ' ')
check "... not the answer to a POST ('$S')" [ "$S" = "max-age=60 " ]

# ---- persistence with a cookie jar
J="$T/jar"
FIRST=$(body 19201 /x -c "$J" -b "$J" | cut -d' ' -f1)
R=$(for i in 1 2 3 4 5 6; do body 19201 /x -c "$J" -b "$J" -b "x=y"; done | sort | uniq -c | awk '{$1=$1; print}')
check "a jar's 6 requests all reach $FIRST, which sees no SRV cookie ($R)" \
	[ "$R" = "6 $FIRST cookie=x=y" ]
R=$(for i in 1 2 3 4; do body 19201 /x; done | sort | uniq -c | wc -l)
check "without a cookie, requests are balanced over both ($R servers)" [ "$R" = 2 ]
R=$(body 19201 /x -b "SRV=b2")
check "SRV=b2 goes to s2 ($R)" [ "$R" = "s2 cookie=-" ]
S=$(hdr Set-Cookie 19201 /x -b "SRV=b2")
check "a valid cookie gets no new Set-Cookie ('$S')" [ -z "$S" ]
S=$(hdr Set-Cookie 19201 /setsrv -b "SRV=b2")
check "insert drops the server's own SRV cookie ('$S')" [ -z "$S" ]

# ---- maxidle / maxlife: SRV=a1|LAST|FIRST, dates in 4 s steps
SC=$(hdr Set-Cookie 19202 /x)
NOW=$(date +%s)
R=$("$PYTHON" -c 'import re, sys
b = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
m = re.fullmatch(r"SRV=a1\|(.{5})\|(.{5}); path=/", sys.argv[1])
if not m:
    print("bad"); sys.exit()
d = [sum(b.index(ch) << (6 * (4 - i)) for i, ch in enumerate(x)) << 2 for x in m.groups()]
print("ok" if all(abs(x - int(sys.argv[2])) <= 8 for x in d) else "dates %s" % d)' "$SC" "$NOW")
check "maxidle/maxlife: '$SC' carries now twice ($R)" [ "$R" = ok ]
if [ -n "$HAP" ]; then
	H=$(hdr Set-Cookie 19302 /x)
	check "haproxy's has the same layout ('$H')" \
		[ "$(echo "$SC" | sed 's/|[^|;]*/|D/g')" = "$(echo "$H" | sed 's/|[^|;]*/|D/g')" ]
fi
OLD=$("$PYTHON" -c 'import sys
b = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
v = (int(sys.argv[1]) - 7200) >> 2
print("".join(b[(v >> (6 * (4 - i))) & 63] for i in range(5)))' "$NOW")
S=$(hdr Set-Cookie 19202 /x -b "SRV=a1|$OLD|$OLD")
check "a cookie idle for 2 h (maxidle 30m) is replaced ('$S')" contains "$S" "SRV=a1|"
contains "$S" "|$OLD;" && fail "... with a fresh first date, not the old one"

R=$("$PYTHON" -c 'import sys
b = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
e = lambda t: "".join(b[((t >> 2) >> (6 * (4 - i))) & 63] for i in range(5))
print(e(int(sys.argv[1]) - 60) + " " + e(int(sys.argv[1]) - 3600))' "$NOW")
LAST=${R% *} FIRST=${R#* }
S=$(hdr Set-Cookie 19202 /x -b "SRV=a1|$LAST|$FIRST")
check "a valid cookie seen a minute ago gets its last date refreshed, its first date kept ('$S')" \
	sh -c 'case "$1" in "SRV=a1|$2; path=/") exit 1 ;; "SRV=a1|"?????"|$3; path=/") exit 0 ;; *) exit 1 ;; esac' \
	_ "$S" "$LAST|$FIRST" "$FIRST"
if [ -n "$HAP" ]; then
	H=$(hdr Set-Cookie 19302 /x -b "SRV=a1|$LAST|$FIRST")
	check "haproxy refreshes it the same way ('$H')" [ "${H#SRV=a1|?????}" = "${S#SRV=a1|?????}" ]
fi

# ---- rewrite and prefix
S=$(hdr Set-Cookie 19203 /setsrv)
check "rewrite: the server's SRV=app1 reaches the client as '$S'" [ "$S" = "SRV=a1; path=/" ]
if [ -n "$HAP" ]; then
	H=$(hdr Set-Cookie 19303 /setsrv)
	check "haproxy: '$H'" [ "$S" = "$H" ]
fi
R=$(body 19203 /x -b "SRV=a1")
check "rewrite: the server sees the cookie as sent ($R)" [ "$R" = "s1 cookie=SRV=a1" ]
S=$(hdr Set-Cookie 19204 /setsrv -b "SRV=b2~app1")
check "prefix: the server's cookie gets its server's prefix ('$S')" [ "$S" = "SRV=b2~app1; path=/" ]
if [ -n "$HAP" ]; then
	H=$(hdr Set-Cookie 19304 /setsrv -b "SRV=b2~app1")
	check "haproxy: '$H'" [ "$S" = "$H" ]
fi
R=$(body 19204 /x -b "SRV=b2~app1; k=v")
check "prefix: s2 gets its own value back, prefix stripped ($R)" [ "$R" = "s2 cookie=SRV=app1; k=v" ]

# ---- a dead cookie server: redispatch, or 503
R=$(body 19205 /x -b "SRV=a1")
S=$(hdr Set-Cookie 19205 /x -b "SRV=a1")
check "option redispatch: SRV=a1 (dead) is served by s2 ($R) and re-pinned ('$S')" \
	[ "$R" = "s2 cookie=-" -a "$S" = "SRV=b2; path=/" ]
R=$(c -o /dev/null -w '%{http_code}' -b "SRV=a1" http://127.0.0.1:19206/x)
check "without redispatch, the retries stay on s1: 503 ($R)" [ "$R" = 503 ]

# ---- drain keeps persistent clients (HAProxy's rule), new ones go elsewhere
sl -c "server drn s1 drain"
sleep 0.5
R=$(for i in 1 2 3; do body 19207 /x -b "SRV=a1"; done | sort -u)
check "drained s1 keeps its cookie's clients ($R)" [ "$R" = "s1 cookie=-" ]
R=$(for i in 1 2 3 4; do body 19207 /x; done | sort -u)
check "new clients avoid the drained s1 ($R)" [ "$R" = "s2 cookie=-" ]
sl -c "server drn s1 disable"
sleep 0.5
R=$(body 19207 /x -b "SRV=a1")
check "a disabled (MAINT) s1 never takes its cookie's clients ($R)" [ "$R" = "s2 cookie=-" ]

# ---- DOWN by its check: only with option persist
for _ in $(seq 50); do
	"$SOFTLB" -s "$SOCK" -c 'show proxy noper' | grep -q 's1 .*DOWN' && break
	sleep 0.1
done
R=$(body 19208 /x -b "SRV=a1")
check "option persist: SRV=a1 reaches s1 though its check says DOWN ($R)" [ "$R" = "s1 cookie=-" ]
R=$(body 19209 /x -b "SRV=a1")
check "without it, it goes to s2 ($R)" [ "$R" = "s2 cookie=-" ]

# ---- a cookie server at its maxconn: the request waits for it
body 19210 /slow -b "SRV=a1" >"$T/slow.out" &
SLOW=$!
sleep 0.3
R=$(body 19210 /x -b "SRV=a1")
wait "$SLOW"
check "s1 at maxconn 1: a second SRV=a1 request waits for s1 ($R), not s2" \
	[ "$R" = "s1 cookie=-" -a "$(cat "$T/slow.out")" = "s1 cookie=-" ]

# ---- hostile cookies: never a crash, never a dead or wrong server
N=0
for ck in "SRV" "SRV=" "=a1" "SRV=zz" 'SRV="a1"' "SRV=a1|garbage|x" "SRV=|" "SRV=~" \
	"SRV=a1~" ";;;;" "SRV =a1" "SRV=a1; SRV=zz" "$(printf 'SRV=%04000d' 0)" \
	"$(seq 1 300 | sed 's/^/c/; s/$/=v/' | tr '\n' ';')SRV=a1"; do
	R=$(body 19205 /x -b "$ck" | cut -d' ' -f1)
	case "$R" in s1 | s2) N=$((N + 1)) ;; *) echo "  '$ck' -> '$R'" ;; esac
done
check "14 odd Cookie fields are each answered by a live server ($N)" [ "$N" = 14 ]
R=$(body 19205 /x -b "SRV=b2; SRV=a1" | cut -d' ' -f1)
check "the first of two SRV cookies decides ($R)" [ "$R" = s2 ]
check "softlbd still runs" daemon_alive
finish
