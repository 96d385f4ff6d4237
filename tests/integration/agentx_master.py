#!/usr/bin/env python3
"""A minimal AgentX master (RFC 2741) for snmp_agentx.sh: accepts softlbd's
subagent session on a unix socket, answers its Open, Register,
AddAgentCaps and Ping, and then sends it requests snmpd never sends in
that shape -- GetBulk, GetNext with the include flag and with an end to
its search range -- and checks the answers against a GetNext walk of the
same subtree. Prints "ok: ..." / "FAIL: ..." lines; exit 1 on a failure.
Usage: agentx_master.py SOCKET ROOT GO_FILE -- the requests start once
GO_FILE exists (softlbd fully started), pings are answered meanwhile."""
import os
import select
import socket
import time
import struct
import sys

SOCK, ROOT = sys.argv[1], tuple(int(x) for x in sys.argv[2].strip(".").split("."))
GO = sys.argv[3]
NBO = 0x10
GET, GETNEXT, GETBULK, RESPONSE, PING, OPEN, CLOSE = 5, 6, 7, 18, 13, 1, 2
END_OF_VIEW, NO_SUCH_INSTANCE, NO_SUCH_OBJECT = 130, 129, 128
failed = 0


def check(desc, cond):
    global failed
    print(("ok: " if cond else "FAIL: ") + desc)
    if not cond:
        failed += 1


def enc_oid(o, include=0):
    o = tuple(o)
    prefix = 0
    if len(o) >= 5 and o[:4] == (1, 3, 6, 1) and 0 < o[4] < 256:
        prefix, o = o[4], o[5:]
    return struct.pack(">BBBB", len(o), prefix, include, 0) + b"".join(struct.pack(">I", x) for x in o)


class Reader:
    def __init__(self, data, big):
        self.d, self.p, self.e = data, 0, ">" if big else "<"

    def take(self, fmt):
        v = struct.unpack_from(self.e + fmt, self.d, self.p)
        self.p += struct.calcsize(fmt)
        return v

    def oid(self):
        n, prefix, include, _ = self.take("BBBB")
        sub = list(self.take("%dI" % n)) if n else []
        if prefix:
            sub = [1, 3, 6, 1, prefix] + sub
        return tuple(sub), include

    def octets(self):
        (n,) = self.take("I")
        v = self.d[self.p:self.p + n]
        self.p += (n + 3) // 4 * 4
        return v

    def varbind(self):
        t, _ = self.take("HH")
        name, _ = self.oid()
        if t in (2, 65, 66, 67):
            (v,) = self.take("I")
        elif t == 70:
            (v,) = self.take("Q")
        elif t in (4, 64, 68):
            v = self.octets()
        elif t == 6:
            v, _ = self.oid()
        else:
            v = None
        return name, t, v


class Master:
    def __init__(self, conn):
        self.c, self.buf, self.pkt, self.sess = conn, b"", 1000, 7

    def recv_pdu(self):
        while True:
            if len(self.buf) >= 20:
                big = self.buf[2] & NBO
                (plen,) = struct.unpack_from(">I" if big else "<I", self.buf, 16)
                if len(self.buf) >= 20 + plen:
                    h, body = self.buf[:20], self.buf[20:20 + plen]
                    self.buf = self.buf[20 + plen:]
                    return h, body
            d = self.c.recv(65536)
            if not d:
                raise EOFError("softlbd closed the session")
            self.buf += d

    def send(self, typ, sess, trans, pkt, payload, flags=NBO):
        self.c.sendall(struct.pack(">BBBBIIII", 1, typ, flags, 0, sess, trans, pkt, len(payload)) + payload)

    def answer(self, h):
        """Answers a PDU softlbd sent (Open, Register, caps, Ping...)."""
        big = h[2] & NBO
        _, typ, _, _, sess, trans, pkt, _ = struct.unpack(">BBBBIIII" if big else "<BBBBIIII", h)
        if typ == OPEN:
            sess = self.sess
        self.send(RESPONSE, sess, trans, pkt, struct.pack(">IHH", 0, 0, 0))
        return typ

    def request(self, typ, payload):
        """Sends a request; answers softlbd's own PDUs meanwhile; returns
        the varbinds of the response."""
        self.pkt += 1
        self.send(typ, self.sess, self.pkt, self.pkt, payload)
        while True:
            h, body = self.recv_pdu()
            big = h[2] & NBO
            _, t, _, _, _, _, pkt, _ = struct.unpack(">BBBBIIII" if big else "<BBBBIIII", h)
            if t != RESPONSE:
                self.answer(h)
                continue
            if pkt != self.pkt:
                continue
            r = Reader(body, big)
            _, err, idx = r.take("IHH")
            vbs = []
            while r.p < len(body):
                vbs.append(r.varbind())
            return err, vbs

    def getnext(self, start, include=0, end=()):
        return self.request(GETNEXT, enc_oid(start, include) + enc_oid(end))[1]

    def getbulk(self, nonrep, maxrep, ranges):
        p = struct.pack(">HH", nonrep, maxrep)
        for start, end in ranges:
            p += enc_oid(start) + enc_oid(end)
        return self.request(GETBULK, p)[1]

    def get(self, names):
        return self.request(GET, b"".join(enc_oid(n) + enc_oid(()) for n in names))[1]


def main():
    try:
        os.unlink(SOCK)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(SOCK)
    srv.listen(4)
    srv.settimeout(60)
    # softlbd probes the socket (a connect it closes at once) before the
    # library connects: the session is the first connection that speaks
    while True:
        conn, _ = srv.accept()
        conn.settimeout(30)
        m = Master(conn)
        try:
            h, body = m.recv_pdu()
            break
        except EOFError:
            conn.close()
    # the session: Open, then registrations until the root is registered
    registered = False
    while True:
        typ = m.answer(h)
        if typ == 3:
            r = Reader(body, h[2] & NBO)
            r.take("BBBB")
            name, _ = r.oid()
            registered = name == ROOT
        if registered:
            break
        h, body = m.recv_pdu()
    deadline = time.time() + 60
    while not os.path.exists(GO) and time.time() < deadline:
        if m.buf or select.select([conn], [], [], 0.1)[0]:
            m.answer(m.recv_pdu()[0])
    # a GetNext walk of the subtree, the reference
    walk, cur = [], ROOT
    while len(walk) < 5000:
        (name, t, v), = m.getnext(cur)
        if t == END_OF_VIEW or name[:len(ROOT)] != ROOT:
            break
        walk.append((name, t, v))
        cur = name
    check("GetNext walk of %s: %d objects" % (sys.argv[2], len(walk)), len(walk) >= 20)
    names = [w[0] for w in walk]
    check("GetNext walk in increasing order", all(a < b for a, b in zip(names, names[1:])))

    vbs = m.getbulk(0, 10, [(ROOT, ())])
    check("GetBulk max-repetitions 10: the walk's first 10 (%d)" % len(vbs),
          [v[:3] for v in vbs] == walk[:10])
    vbs = m.getbulk(1, 3, [(ROOT, ()), (names[4], ())])
    check("GetBulk 1 non-repeater, 3 repetitions: the first object, then objects 6-8",
          [v[0] for v in vbs] == [names[0]] + names[5:8])
    vbs = m.getbulk(0, 3, [(names[0], ()), (names[10], ())])
    check("GetBulk 2 repeaters x 3: interleaved row by row",
          [v[0] for v in vbs] == [names[1], names[11], names[2], names[12], names[3], names[13]])
    vbs = m.getbulk(0, 10000, [(ROOT, ())])
    inside = [v for v in vbs if v[1] != END_OF_VIEW]
    check("GetBulk max-repetitions 10,000: bounded (%d varbinds)" % len(vbs), 0 < len(vbs) <= 2048)
    check("  and the walk's objects in its order", [v[:3] for v in inside] == walk[:len(inside)])
    if len(walk) < 2048:
        check("  ending with one endOfMibView past the last object",
              vbs[-1][1] == END_OF_VIEW and len(vbs) == len(walk) + 1)
    vbs = m.getbulk(0, 5, [(names[-2], ())])
    check("GetBulk from the next to last object: the last, then endOfMibView",
          vbs[0][0] == names[-1] and all(v[1] == END_OF_VIEW for v in vbs[1:]))

    (name, t, v), = m.getnext(names[7], include=1)
    check("GetNext with include: the start object itself", name == names[7] and v == walk[7][2])
    (name, t, v), = m.getnext(names[7] + (0,), include=1)
    check("GetNext with include of a missing object: the next one", name == names[8])
    (name, t, v), = m.getnext(ROOT, end=names[3])
    check("GetNext with an end after the first object: the first", name == names[0])
    (name, t, v), = m.getnext(names[2], end=names[3])
    check("GetNext whose next object is the end: endOfMibView at the start name",
          t == END_OF_VIEW and name == names[2])
    vbs = m.get([names[5], names[5] + (999,), (1, 3, 6, 1, 4, 1, 4242, 1)])
    check("Get: the value, noSuchInstance inside the subtree, noSuchObject outside it",
          vbs[0][:3] == walk[5] and vbs[1][1] == NO_SUCH_INSTANCE and vbs[2][1] == NO_SUCH_OBJECT)
    long = ROOT + (1,) * (128 - len(ROOT))
    vbs = m.get([long])
    check("Get of a 128-sub-identifier name: noSuchInstance", vbs[0][1] == NO_SUCH_INSTANCE)
    (name, t, v), = m.getnext(ROOT + (0xFFFFFFFF,) * 3)
    check("GetNext after the largest sub-identifiers: endOfMibView", t == END_OF_VIEW)
    conn.close()
    return 1 if failed else 0


try:
    sys.exit(main())
except (OSError, EOFError, struct.error, ValueError) as e:
    print("FAIL: AgentX exchange: %r" % e)
    sys.exit(1)
