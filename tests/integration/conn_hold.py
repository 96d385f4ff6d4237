"""Many concurrent connections, held open, for the source and maxconn tests.

  conn_hold.py serve ADDR PORT
      accepts any number of connections; to each byte received it answers
      the peer's address and a newline; holds every connection until the
      peer closes it
  conn_hold.py open HOST PORT N WAIT
      opens N connections at once, sends one byte on each, and waits at
      most WAIT seconds for every answer; then prints "answered K" and,
      per line received, "from ADDR COUNT"; all connections are held
      until the end, then closed
"""
import collections
import selectors
import socket
import sys
import time


def serve(addr, port):
    sel = selectors.DefaultSelector()
    ls = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(4096)
    ls.setblocking(False)
    sel.register(ls, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            if s is ls:
                try:
                    c, _ = ls.accept()
                except OSError:
                    continue
                c.setblocking(False)
                sel.register(c, selectors.EVENT_READ)
                continue
            try:
                d = s.recv(4096)
            except OSError:
                d = b""
            if not d:
                sel.unregister(s)
                s.close()
                continue
            try:
                s.send((s.getpeername()[0] + "\n").encode())
            except OSError:
                pass


def open_many(host, port, n, wait):
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        s.setblocking(False)
        s.connect_ex((host, port))
        socks.append(s)
        sel.register(s, selectors.EVENT_WRITE)
    sent = set()
    answers = {}
    deadline = time.monotonic() + wait
    while len(answers) < n and time.monotonic() < deadline:
        for key, ev in sel.select(timeout=0.2):
            s = key.fileobj
            if ev & selectors.EVENT_WRITE and s not in sent:
                try:
                    s.send(b"x")
                    sent.add(s)
                    sel.modify(s, selectors.EVENT_READ)
                except OSError:
                    sel.unregister(s)
                    answers[s] = None
                continue
            try:
                d = s.recv(4096)
            except OSError:
                d = b""
            sel.unregister(s)
            answers[s] = d.decode().strip() if d else None
    ok = [a for a in answers.values() if a]
    print("answered", len(ok))
    for addr, k in sorted(collections.Counter(ok).items()):
        print("from", addr, k)
    for s in socks:
        s.close()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        open_many(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
