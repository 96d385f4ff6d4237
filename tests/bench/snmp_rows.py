#!/usr/bin/env python3
"""snmp_rows.py: fetch tables the way snmptable or an NMS graphing whole
rows does, in one process (snmp_poll.sh, a benchmark helper).

    snmp_rows.py HOST:PORT COLUMNS-FILE [FETCHES [PERIOD-S]]

COLUMNS-FILE has "t TABLE COLUMN" lines (a table's columns, without row
indexes) and "s OID" lines (scalars). One fetch: the scalars in one GET;
each table by SNMPv2c GETBULK requests (max-repetitions 25) naming every
one of its columns still in the table, each request going on from the
last row answered, a column dropped once it leaves the table. snmpd then
sends its AgentX subagent one GetNext per repetition carrying all the
columns, where a column-by-column walk costs one per object.

FETCHES fetches (default 1), each PERIOD-S (default 1) after the last one
started, or at once when it took longer. Prints one line per fetch:
"objects MS". Only the standard library: the few BER encodings SNMP needs
are written out here (no SNMP module is packaged for the CI machine).
"""
import socket
import sys
import time

MAX_REPS = 25


def enc_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + enc_len(len(body)) + body


def enc_int(v):
    return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))


def enc_oid(oid):
    arcs = [int(x) for x in oid.strip(".").split(".")]
    out = bytearray([arcs[0] * 40 + arcs[1]])
    for a in arcs[2:]:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, bytes(out))


def dec(buf, i):
    """One TLV at buf[i]: (tag, body start, body end)."""
    tag = buf[i]
    n = buf[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[i:i + k], "big")
        i += k
    return tag, i, i + n


def dec_oid(b):
    arcs = [b[0] // 40, b[0] % 40]
    v = 0
    for x in b[1:]:
        v = (v << 7) | (x & 0x7F)
        if not x & 0x80:
            arcs.append(v)
            v = 0
    return "." + ".".join(str(a) for a in arcs)


class Agent:
    def __init__(self, addr):
        host, port = addr.rsplit(":", 1)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(10)
        self.sock.connect((host, int(port)))
        self.reqid = 1

    def request(self, tag, oids, non_rep=0, max_reps=0):
        """The response's varbinds: [(oid, value tag)]."""
        self.reqid += 1
        vbs = b"".join(tlv(0x30, enc_oid(o) + b"\x05\x00") for o in oids)
        pdu = tlv(tag, enc_int(self.reqid) + enc_int(non_rep) + enc_int(max_reps) +
                  tlv(0x30, vbs))
        msg = tlv(0x30, enc_int(1) + tlv(0x04, b"public") + pdu)
        self.sock.send(msg)
        while True:
            buf = self.sock.recv(65535)
            _, i, _ = dec(buf, 0)                  # message
            _, s, i = dec(buf, i)                  # version
            _, s, i = dec(buf, i)                  # community
            _, i, _ = dec(buf, i)                  # response PDU
            _, s, e = dec(buf, i)                  # request-id
            if int.from_bytes(buf[s:e], "big", signed=True) != self.reqid:
                continue                           # a late answer to a retry
            _, s, i = dec(buf, e)                  # error-status
            if int.from_bytes(buf[s:i], "big"):
                raise RuntimeError("error-status %d" % int.from_bytes(buf[s:i], "big"))
            _, s, i = dec(buf, i)                  # error-index
            _, i, end = dec(buf, i)                # varbind list
            out = []
            while i < end:
                _, vs, ve = dec(buf, i)
                _, os_, oe = dec(buf, vs)
                vtag, _, _ = dec(buf, oe)
                out.append((dec_oid(buf[os_:oe]), vtag))
                i = ve
            return out


def fetch(agent, tables, scalars):
    got = 0
    if scalars:
        got += sum(1 for _, t in agent.request(0xA0, scalars) if t not in (0x80, 0x81, 0x82))
    for cols in tables.values():
        live = [(c, c) for c in cols]              # (column, last name answered)
        while live:
            vbs = agent.request(0xA5, [last for _, last in live], 0, MAX_REPS)
            n = len(live)
            done = [False] * n
            last = [l for _, l in live]
            for k, (oid, vtag) in enumerate(vbs):
                j = k % n
                if done[j]:
                    continue
                if oid.startswith(live[j][0] + ".") and vtag != 0x82 and oid != last[j]:
                    last[j] = oid
                    got += 1
                else:
                    done[j] = True
            if all(last[j] == live[j][1] for j in range(n)):
                break                              # no progress: never loop
            live = [(live[j][0], last[j]) for j in range(n) if not done[j]]
    return got


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: snmp_rows.py HOST:PORT COLUMNS-FILE [FETCHES [PERIOD-S]]")
    tables, scalars = {}, []
    with open(sys.argv[2]) as f:
        for line in f:
            w = line.split()
            if w and w[0] == "t":
                tables.setdefault(w[1], []).append(w[2])
            elif w and w[0] == "s":
                scalars.append(w[1])
    fetches = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    period = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
    agent = Agent(sys.argv[1])
    for _ in range(fetches):
        t0 = time.monotonic()
        n = fetch(agent, tables, scalars)
        ms = (time.monotonic() - t0) * 1000
        print(n, int(ms), flush=True)
        left = period - (time.monotonic() - t0)
        if left > 0:
            time.sleep(left)


if __name__ == "__main__":
    main()
