#!/bin/sh
# The proxy with three worker threads (nbthread 3), in a netns lab: 3,000
# requests 30 at a time all served; the counters that each thread keeps
# add up exactly in show proxy; the weights hold across threads; a reload
# reaches every thread; softlbd stops cleanly (ASan: no leak, no race on
# the snapshots).
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/proxy_lib.sh"
command -v ab >/dev/null || skip "ab missing (Debian package apache2-utils)"

lab_up client lb1 rs1 rs2
use_lb1
backend rs1 8080 one
backend rs2 8080 two
conf() {
	cat >"$T/haproxy.cfg" <<EOC
global
    nbthread 3
defaults
    mode tcp
    timeout connect 2s
    timeout client 20s
    timeout server 20s
listen web
    bind 192.0.2.2:80
    server s1 192.0.2.21:8080 weight $1
    server s2 192.0.2.22:8080 weight 1
EOC
}
conf 3
start_daemon -f /dev/null -p "$T/haproxy.cfg"
wait_port 192.0.2.21 8080 && wait_port 192.0.2.22 8080 && wait_port 192.0.2.2 80 || exit 99
sl -c 'show status'
check "three worker threads run" contains "$OUT" "3 worker threads"
on client ab -q -n 3000 -c 30 http://192.0.2.2/id >"$T/ab" 2>&1
failed=$(awk '/^Failed requests/ { print $3 }' "$T/ab")
done_=$(awk '/^Complete requests/ { print $3 }' "$T/ab")
check "3,000 requests, 30 at a time, all served ($done_ done, $failed failed)" \
	[ "$done_" = 3000 ] && [ "$failed" = 0 ]
t=$(pxf web total) t1=$(srv web s1 total) t2=$(srv web s2 total)
check "the threads' counters add up: $t sessions = $t1 + $t2 (+ the probe)" \
	[ "$t" -eq $((t1 + t2)) ] && [ "$t" -eq 3001 ]
check "weights 3:1 hold across threads ($t1 : $t2)" [ "$t1" -ge 2100 ] && [ "$t1" -le 2400 ]
conf 1
sl -c reload
R=$(count 60 http://192.0.2.2/id | tr '\n' ' ')
check "a reload to 1:1 reaches every thread ($R)" sh -c 'set -- $1; [ "$2" -ge 24 ] && [ "$2" -le 36 ]' _ "$R"
finish
