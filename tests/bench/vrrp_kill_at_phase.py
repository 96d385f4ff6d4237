#!/usr/bin/env python3
"""vrrp_kill_at_phase.py: one failover sample for tests/bench/vrrp_failover.sh.

Run inside the backup's network namespace:

    vrrp_kill_at_phase.py IFACE VRID VIP PHASE_MS TIMEOUT_S PID...

Waits for the next advert of VRID on IFACE (a packet socket: the kernel's
receive timestamp), sleeps until PHASE_MS after it, stops then kills every
PID (the master's processes; stopped first so that none sees another die
and sends a priority-0 advert), and waits for the kernel to announce VIP
on this namespace (rtnetlink RTM_NEWADDR, no polling). Prints

    PHASE_MS_ACTUAL FAILOVER_MS

where PHASE is the time from the advert's arrival to the SIGKILL and
FAILOVER the time from the SIGKILL to the VIP's arrival, both in ms; "-"
for FAILOVER when the VIP did not come within TIMEOUT_S. The backup's
protocol bound for that sample is then Master_Down_Interval - PHASE.
Exits 1 (and prints why on stderr) when no advert came.
"""
import os
import select
import signal
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800
SO_TIMESTAMPNS = 35
RTMGRP_IPV4_IFADDR = 0x10
RTM_NEWADDR = 20
IFA_ADDRESS, IFA_LOCAL = 1, 2


def wait_advert(iface, vrid, deadline):
    """The kernel's receive time (ns, CLOCK_REALTIME) of the next advert."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
    s.bind((iface, ETH_P_IP))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    try:
        while time.time() < deadline:
            r, _, _ = select.select([s], [], [], max(0.0, deadline - time.time()))
            if not r:
                break
            data, anc, _, addr = s.recvmsg(2048, socket.CMSG_SPACE(16))
            if addr[2] == socket.PACKET_OUTGOING or len(data) < 24:
                continue
            ihl = (data[0] & 0x0F) * 4
            if data[9] != 112 or len(data) < ihl + 4 or data[ihl + 1] != vrid:
                continue
            if data[ihl + 2] == 0:  # priority 0: the master standing down
                continue
            for level, kind, val in anc:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack("qq", val[:16])
                    return sec * 1_000_000_000 + nsec
            return time.time_ns()
    finally:
        s.close()
    return None


def vip_added(buf, vip):
    """Whether an rtnetlink datagram announces VIP."""
    off = 0
    while off + 16 <= len(buf):
        ln, typ = struct.unpack_from("IH", buf, off)
        if ln < 16:
            break
        if typ == RTM_NEWADDR and ln >= 24:
            a = off + 24
            while a + 4 <= off + ln:
                alen, atyp = struct.unpack_from("HH", buf, a)
                if alen < 4:
                    break
                if atyp in (IFA_ADDRESS, IFA_LOCAL) and buf[a + 4:a + alen] == vip:
                    return True
                a += (alen + 3) & ~3
        off += (ln + 3) & ~3
    return False


def main():
    if len(sys.argv) < 7:
        sys.exit(__doc__)
    iface, vrid, vip = sys.argv[1], int(sys.argv[2]), socket.inet_aton(sys.argv[3])
    phase_ms, timeout = float(sys.argv[4]), float(sys.argv[5])
    pids = [int(p) for p in sys.argv[6:]]
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    nl.bind((0, RTMGRP_IPV4_IFADDR))
    deadline = time.time() + timeout
    t_adv = wait_advert(iface, vrid, deadline)
    if t_adv is None:
        sys.exit("no advert of VRID %d on %s" % (vrid, iface))
    delay = (t_adv + phase_ms * 1e6 - time.time_ns()) / 1e9
    if delay > 0:
        time.sleep(delay)
    for p in pids:
        try:
            os.kill(p, signal.SIGSTOP)
        except ProcessLookupError:
            pass
    t0 = time.time_ns()
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    got = None
    deadline = time.time() + timeout
    while got is None and time.time() < deadline:
        r, _, _ = select.select([nl], [], [], max(0.0, deadline - time.time()))
        if r and vip_added(nl.recv(65536), vip):
            got = time.time_ns()
    print("%.1f %s" % ((t0 - t_adv) / 1e6, "-" if got is None else "%.1f" % ((got - t0) / 1e6)))


if __name__ == "__main__":
    main()
