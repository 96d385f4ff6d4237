#!/usr/bin/python3
"""Forges VRRPv2 adverts for vrrp_forged.sh, from inside a lab namespace.

    vrrp_forge.py CASE COUNT

Sends COUNT copies of one advert to 224.0.0.18 on eth0: a valid one
("valid") or one that breaks exactly one receive rule. Every advert has
priority 254, higher than the receiver's, so one that got through would
make the receiver give up mastership. Only raw IP sockets, only eth0 of
the namespace this runs in.
"""
import socket
import struct
import sys

GROUP = "224.0.0.18"
VRID, PASS, VIP = 51, b"s3cret\0\0", "192.0.2.100"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def advert(ver=2, typ=1, vrid=VRID, prio=254, count=1, auth=1, interval=1,
           addrs=(VIP,), pw=PASS, good_sum=True):
    body = b"".join(socket.inet_aton(a) for a in addrs) + pw
    head = struct.pack("!BBBBBBH", ver << 4 | typ, vrid, prio, count, auth, interval, 0)
    ck = checksum(head + body)
    if not good_sum:
        ck ^= 0x0101
    return head[:6] + struct.pack("!H", ck) + body


CASES = {
    "valid": (advert(), 255),
    "ttl": (advert(), 254),
    "version": (advert(ver=3), 255),
    "type": (advert(typ=2), 255),
    "length": (advert(count=2), 255),
    "checksum": (advert(good_sum=False), 255),
    "auth_invalid": (advert(auth=5), 255),
    "auth_mismatch": (advert(auth=0, pw=b"\0" * 8), 255),
    "auth_fail": (advert(pw=b"guess\0\0\0"), 255),
    "interval": (advert(interval=3), 255),
    "addrlist": (advert(addrs=("192.0.2.199",)), 255),
    "vrid": (advert(vrid=52), 255),
    # VRRPv3 (no authentication) for VRID 53, with TTL 254: a protocol
    # error (vrrpv3ProtoError ipTtlError) for a v3 instance of VRID 53.
    "ttl_v3": (advert(ver=3, vrid=53, auth=0, pw=b"", addrs=("192.0.2.103",)), 254),
}


def main():
    case, count = sys.argv[1], int(sys.argv[2])
    pkt, ttl = CASES[case]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"eth0")
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    for _ in range(min(count, 100000)):
        s.sendto(pkt, (GROUP, 0))
    s.close()


if __name__ == "__main__":
    main()
