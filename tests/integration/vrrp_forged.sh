#!/bin/sh
# Forged adverts against a softlbd master: each one breaks a single receive
# rule and claims priority 254 (the master has 150), so any that got
# through would make the master step down. Each must leave the state
# alone and move exactly its own counter; a flood must not starve the
# loop. A valid advert, last, does make the master step down.
. "${top_srcdir:?}/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/vrrp_lib.sh"

FORGE="$PYTHON $top_srcdir/tests/integration/vrrp_forge.py"
lab_up lb1 lb2

cat >"$T/lb1.conf" <<'EOC'
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    virtual_ipaddress {
        192.0.2.100
    }
}
EOC
vd_start lb1 lb1 "$T/lb1.conf"
check "softlbd is master" wait_state lb1 VI_1 MASTER 3

# case COUNTER: sends 3 of the case's packets from lb2.
for c in ttl:ipTtlErrors version:versionErrors type:invalidTypePktsRcvd \
	length:packetLengthErrors checksum:checksumErrors auth_invalid:invalidAuthType \
	auth_mismatch:authTypeMismatch auth_fail:authFailures \
	interval:advertiseIntervalErrors addrlist:addressListErrors vrid:vrIdErrors; do
	case=${c%%:*} counter=${c#*:}
	before=$(jget lb1 VI_1 "stats.$counter")
	rcvd=$(jget lb1 VI_1 stats.advertiseRcvd)
	ip netns exec "$(ns lb2)" $FORGE "$case" 3
	sleep 0.3
	check "$case: counted as $counter (3 more)" \
		[ "$(jget lb1 VI_1 "stats.$counter")" -eq $((before + 3)) ]
	check "$case: not accepted" [ "$(jget lb1 VI_1 stats.advertiseRcvd)" -eq "$rcvd" ]
	check "$case: still master" [ "$(jget lb1 VI_1 state)" = MASTER ]
done
check "no drop was attributed to another reason" [ "$(jget lb1 VI_1 stats.ownPktsRcvd)" = 0 ]
check "the master never left" [ "$(jget lb1 VI_1 stats.becomeMaster)" = 1 ]
check "drops are logged at a limited rate" \
	[ "$(grep -c 'dropped an advert' "$T/lb1.log")" -le 10 ]

# A flood of bad packets: adverts keep leaving on time.
sent=$(jget lb1 VI_1 stats.advertiseSent)
ip netns exec "$(ns lb2)" $FORGE checksum 20000 &
fpid=$!
at_exit "kill -9 $fpid 2>/dev/null"
sleep 3
wait "$fpid"
check "during a flood the master stays master" [ "$(jget lb1 VI_1 state)" = MASTER ]
check "  and keeps advertising (>= 2 adverts in 3 s)" \
	[ "$(jget lb1 VI_1 stats.advertiseSent)" -ge $((sent + 2)) ]
check "  one log line per reason per 10 s" \
	[ "$(grep -c 'dropped an advert from .*: bad checksum' "$T/lb1.log")" -le 2 ]

# The same advert, valid: the master steps down.
ip netns exec "$(ns lb2)" $FORGE valid 1
check "a valid priority-254 advert makes the master step down" wait_state lb1 VI_1 BACKUP 2
check "  and is counted as received" [ "$(jget lb1 VI_1 stats.advertiseRcvd)" -ge 1 ]
check "with no one advertising, softlbd is master again" wait_state lb1 VI_1 MASTER 6
vd_stop lb1
vrrp_finish
