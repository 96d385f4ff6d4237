#!/bin/sh
# write memory keeps the user's layout: a keepalived.conf that includes
# conf.d/*.conf, edited from the shell, is written back object by object
# to the files the objects came from; the main file keeps its include
# line; new objects go to the main file; every file gets its .bak; and
# a reload afterwards changes nothing.
. "${top_srcdir:?}/tests/integration/lib.sh"

KAD="$T/keepalived.conf"
HAP="$T/haproxy.cfg"
mkdir "$T/conf.d"
cat >"$KAD" <<'EOF'
! main file
global_defs {
    router_id lb1
}

include conf.d/*.conf

virtual_server 192.0.2.10 80 {
    lvs_sched rr
    real_server 198.51.100.1 80 {
        weight 5
    }
}
EOF
cat >"$T/conf.d/10-web.conf" <<'EOF'
virtual_server 192.0.2.20 80 {
    lvs_sched wrr
    real_server 198.51.100.21 80 {
    }
}
EOF
# conf.d/20-api.conf is a symbolic link, as sites-enabled files often are
mkdir "$T/avail"
ln -s ../avail/api.conf "$T/conf.d/20-api.conf"
cat >"$T/avail/api.conf" <<'EOF'
virtual_server_group api {
    192.0.2.30 8080
}
virtual_server group api {
    real_server 198.51.100.31 8080 {
    }
}
EOF
printf 'defaults\n    mode http\nlisten web\n    bind 192.0.2.40:80\n    server w1 198.51.100.41:80\n' >"$HAP"
start_daemon -f "$KAD" -p "$HAP"

sl -c configure -c 'virtual-server 192.0.2.20:80 tcp' -c 'real-server 198.51.100.22:80 weight 3' \
	-c exit -c 'virtual-server-group api' -c 'member 192.0.2.31:8080' \
	-c exit -c 'virtual-server 192.0.2.99:80 tcp' -c 'real-server 198.51.100.99:80' -c end
check "objects of included files are edited from the shell" [ "$RC" -eq 0 ]
sl -c 'write memory'
check "write memory names every file it wrote" \
	contains "$OUT" "wrote $KAD, $T/conf.d/10-web.conf, $T/conf.d/20-api.conf, $HAP"

check "the main file keeps its include line" grep -qx 'include conf.d/\*.conf' "$KAD"
check "  and is not flattened" sh -c '! grep -q "192.0.2.20\|group api" "$1"' _ "$KAD"
check "  and gets the virtual server made in the shell" grep -q '^virtual_server 192.0.2.99 80 {' "$KAD"
check "the real server added in the shell is in its virtual server's file" \
	sh -c 'grep -q "real_server 198.51.100.22 80" "$1" && ! grep -q 192.0.2.99 "$1"' _ "$T/conf.d/10-web.conf"
check "the group member added in the shell is in the group's file" \
	grep -q '192.0.2.31 8080' "$T/conf.d/20-api.conf"
check "  which is still a symbolic link, its target rewritten" \
	sh -c '[ -L "$1" ] && grep -q "192.0.2.31 8080" "$2" && [ -f "$2.bak" ]' _ "$T/conf.d/20-api.conf" "$T/avail/api.conf"
check "every file has its previous version as .bak" \
	sh -c 'for f in "$1" "$2/conf.d/10-web.conf" "$2/avail/api.conf" "$3"; do [ -f "$f.bak" ] || exit 1; done' _ "$KAD" "$T" "$HAP"
check "  and the .bak is the file as it was" grep -q '^! main file' "$KAD.bak"
check "no file is left over in conf.d" [ "$(ls "$T/conf.d" "$T/avail" | grep -c '\.conf$')" -eq 3 ]

sl -c 'show startup-config keepalived'
check "show startup-config shows the included files too" \
	sh -c 'case "$1" in *"! ---- included: $2/conf.d/10-web.conf"*"real_server 198.51.100.22 80"*) ;; *) exit 1;; esac' _ "$OUT" "$T"
sl -c reload
check "a reload after write memory changes nothing" contains "$OUT" "no changes"
sl -c 'show config diff startup'
check "  and the files match the running configuration" contains "$OUT" "match the running configuration"
out=$("$SOFTLBD" -t -f "$KAD" -p "$HAP" 2>&1)
check "the written files pass softlbd -t" contains "$out" "4 virtual servers with 5 real servers"

# Edited again after the reload: the layout still holds.
sl -c configure -c 'virtual-server 192.0.2.20:80 tcp' -c 'no real-server 198.51.100.21:80' -c end -c 'write memory'
check "after a reload the layout still holds" \
	sh -c '! grep -q 198.51.100.21 "$1" && grep -q 198.51.100.22 "$1" && grep -qx "include conf.d/\*.conf" "$2"' \
	_ "$T/conf.d/10-web.conf" "$KAD"

# An include inside a block cannot be kept: written flat, and said so.
stop_daemon
cat >"$KAD" <<'EOF'
virtual_server 192.0.2.50 80 {
    include rs.inc
}
EOF
printf 'real_server 198.51.100.51 80 {\n}\n' >"$T/rs.inc"
start_daemon -f "$KAD" -p /dev/null
sl -c 'write memory'
check "an include inside a block is flattened, with a note" contains "$OUT" "includes 'rs.inc' inside a block"
check "  into the main file" grep -q 'real_server 198.51.100.51 80' "$KAD"
check "  and /dev/null (no haproxy file) is left alone" [ -c /dev/null ]
sl -c configure -c 'proxy p' -c end -c 'write memory'
check "haproxy objects with -p /dev/null: write memory refuses, saying why" \
	sh -c '[ "$1" -eq 1 ] && case "$2" in *"its file is /dev/null"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
check "  and /dev/null is still the device" [ -c /dev/null ]

finish
