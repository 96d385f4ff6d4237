"""Bulk bytes as fast as Python can move them, for proxy_bulk.sh (no
hashing: the proxy, not this script, should be the bottleneck).

  bulk_fast.py serve ADDR PORT
      per connection: a 32-byte command "up N" or "down N" (space padded);
      down: sends N bytes and closes; up: reads until the client's end of
      stream, then answers "ok BYTES\\n"
  bulk_fast.py run HOST PORT up|down MBYTES STREAMS
      STREAMS connections at once, each moving MBYTES; prints "mbps X"
      (MB/s over all streams), "bytes B" (what arrived) and "seconds S"
"""
import socket
import sys
import threading
import time

CHUNK = 1 << 20
BUF = bytes(CHUNK)


def handle(c):
    try:
        cmd = b""
        while len(cmd) < 32:
            d = c.recv(32 - len(cmd))
            if not d:
                return
            cmd += d
        what, n = cmd.split()[0], int(cmd.split()[1])
        if what == b"down":
            mv = memoryview(BUF)
            while n > 0:
                k = c.send(mv[:min(n, CHUNK)])
                n -= k
        else:
            buf = bytearray(CHUNK)
            got = 0
            while True:
                k = c.recv_into(buf)
                if not k:
                    break
                got += k
            c.sendall(b"ok %d\n" % got)
    except OSError:
        pass
    finally:
        c.close()


def serve(addr, port):
    ls = socket.socket(socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(128)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


def one(host, port, what, n, res):
    got = 0
    try:
        c = socket.create_connection((host, port), timeout=120)
        c.sendall(("%s %d" % (what, n)).encode().ljust(32))
        if what == "down":
            buf = bytearray(CHUNK)
            while True:
                k = c.recv_into(buf)
                if not k:
                    break
                got += k
        else:
            mv = memoryview(BUF)
            left = n
            while left > 0:
                left -= c.send(mv[:min(left, CHUNK)])
            c.shutdown(socket.SHUT_WR)
            line = c.makefile("rb").readline().split()
            got = int(line[1]) if len(line) == 2 else 0
        c.close()
    except OSError:
        pass
    res.append(got)


def run(host, port, what, mb, streams):
    n = mb * 1000000
    res = []
    ts = [threading.Thread(target=one, args=(host, port, what, n, res)) for _ in range(streams)]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    dt = time.monotonic() - t0
    print("mbps %.1f" % (sum(res) / 1e6 / dt))
    print("bytes %d" % sum(res))
    print("seconds %.4f" % dt)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        run(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
