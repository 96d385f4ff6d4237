"""Bulk transfers both ways with a half-close, for the splice tests and
the bulk benchmark.

  bulk_peer.py serve ADDR PORT
      per connection: reads a line "M", then everything until the client
      shuts its side (half-close); answers the SHA-256 of what it read and
      a newline, then M bytes of a fixed pattern, then closes
  bulk_peer.py send HOST PORT UP DOWN [N]
      N connections at once (default 1), each sending UP bytes of a fixed
      pattern, shutting its side, and reading the answer; prints "intact K"
      (answers whose hash and DOWN bytes are right), "mbytes X" (both ways,
      all connections) and "seconds S"
"""
import hashlib
import socket
import sys
import threading
import time

BLOCK = 1 << 16


def pattern(n, seed):
    """n bytes of a fixed pseudo-random pattern, in blocks."""
    x = seed
    blk = bytearray()
    for _ in range(BLOCK // 8):
        x = (x * 6364136223846793005 + 1442695040888963407) & (2**64 - 1)
        blk += x.to_bytes(8, "little")
    blk = bytes(blk)
    while n > 0:
        yield blk[:min(n, BLOCK)]
        n -= BLOCK


def digest(n, seed):
    h = hashlib.sha256()
    for b in pattern(n, seed):
        h.update(b)
    return h.hexdigest()


def handle(c):
    try:
        f = c.makefile("rb")
        m = int(f.readline())
        h = hashlib.sha256()
        while True:
            d = f.read1(1 << 20)
            if not d:
                break
            h.update(d)
        c.sendall((h.hexdigest() + "\n").encode())
        for b in pattern(m, 2):
            c.sendall(b)
    except (OSError, ValueError):
        pass
    finally:
        c.close()


def serve(addr, port):
    ls = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(128)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


def one(host, port, up, down, want_up, want_down, res):
    try:
        c = socket.create_connection((host, port), timeout=60)
        c.sendall(("%d\n" % down).encode())
        for b in pattern(up, 1):
            c.sendall(b)
        c.shutdown(socket.SHUT_WR)
        f = c.makefile("rb")
        line = f.readline().decode().strip()
        h = hashlib.sha256()
        n = 0
        while True:
            d = f.read1(1 << 20)
            if not d:
                break
            h.update(d)
            n += len(d)
        c.close()
        res.append(line == want_up and n == down and h.hexdigest() == want_down)
    except OSError:
        res.append(False)


def send(host, port, up, down, n):
    want_up, want_down = digest(up, 1), digest(down, 2)
    res = []
    t0 = time.monotonic()
    ts = [threading.Thread(target=one, args=(host, port, up, down, want_up, want_down, res))
          for _ in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    dt = time.monotonic() - t0
    print("intact", sum(1 for r in res if r))
    print("mbytes %.1f" % ((up + down) * n / 1e6))
    print("seconds %.3f" % dt)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]),
             int(sys.argv[6]) if len(sys.argv) > 6 else 1)
