"""Peers for the TLS tests, run in softlbd's network namespace.

  tls_peer.py backend ADDR PORT CERT [CA]
      A TLS HTTP server (one request per connection): answers every
      request "sni=NAME client=CN" (what the proxy sent it: its SNI, the
      CN of its client certificate). With CA, a client certificate is
      required. Stops by itself after 300 s.
  tls_peer.py hold ADDR PORT SNI CA TRIGGER
      A client on one keep-alive connection: a request, prints the
      server certificate's serial, waits (at most 20 s) until the file
      TRIGGER exists, makes a second request on the same connection and
      prints "second: STATUS serial".
  tls_peer.py garbage ADDR PORT
      Sends bytes that are no ClientHello; prints "closed" when the
      proxy closes the connection (within 10 s), else "open".
  tls_peer.py stall ADDR PORT
      Sends the first bytes of a ClientHello and no more; prints
      "closed after" when the proxy gives up (within 15 s), else "open".
  tls_peer.py half ADDR PORT N
      Opens N connections, each with half a ClientHello, holds them
      for 3 s, then closes them; prints "held N".
"""
import socket
import ssl
import sys
import time
import os

# A real ClientHello's first bytes: record header (handshake, TLS 1.0
# record version, length 512) and the handshake header.
PARTIAL_HELLO = bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]) + b"\x11" * 20


def backend(addr, port, cert, ca=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert)
    if ca:
        ctx.load_verify_locations(ca)
        ctx.verify_mode = ssl.CERT_REQUIRED
    seen = {}

    def on_sni(sock, name, _ctx):
        seen[id(sock)] = name or "-"

    ctx.sni_callback = on_sni
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(64)
    ls.settimeout(1)
    end = time.time() + 300
    while time.time() < end:
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        c.settimeout(5)
        try:
            t = ctx.wrap_socket(c, server_side=True)
            data = b""
            while b"\r\n\r\n" not in data:
                d = t.recv(4096)
                if not d:
                    break
                data += d
            peer = t.getpeercert()
            cn = "-"
            if peer:
                for rdn in peer.get("subject", ()):
                    for k, v in rdn:
                        if k == "commonName":
                            cn = v
            body = ("sni=%s client=%s\n" % (seen.pop(id(t), "-"), cn)).encode()
            t.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                      % (len(body), body))
            t.close()
        except (ssl.SSLError, OSError):
            c.close()


def request(t, host):
    t.sendall(("GET /id HTTP/1.1\r\nHost: %s\r\n\r\n" % host).encode())
    data = b""
    while b"\r\n\r\n" not in data:
        d = t.recv(4096)
        if not d:
            return "eof"
        data += d
    head, _, body = data.partition(b"\r\n\r\n")
    cl = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            cl = int(v)
    while len(body) < cl:
        body += t.recv(4096)
    return head.split(b"\r\n")[0].decode().split(" ")[1]


def hold(addr, port, sni, ca, trigger):
    ctx = ssl.create_default_context(cafile=ca)
    s = socket.create_connection((addr, int(port)), timeout=10)
    t = ctx.wrap_socket(s, server_hostname=sni)
    serial = t.getpeercert()["serialNumber"]
    print("first: %s %s" % (request(t, sni), serial), flush=True)
    end = time.time() + 20
    while not os.path.exists(trigger) and time.time() < end:
        time.sleep(0.05)
    print("second: %s %s" % (request(t, sni), t.getpeercert()["serialNumber"]), flush=True)


def wait_closed(s, limit):
    s.settimeout(limit)
    start = time.time()
    try:
        while True:
            d = s.recv(4096)
            if not d:
                return time.time() - start
    except (ConnectionResetError, BrokenPipeError):
        return time.time() - start
    except socket.timeout:
        return None


def garbage(addr, port):
    s = socket.create_connection((addr, int(port)), timeout=5)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + bytes(range(256)) * 4)
    print("closed" if wait_closed(s, 10) is not None else "open")


def stall(addr, port):
    s = socket.create_connection((addr, int(port)), timeout=5)
    s.sendall(PARTIAL_HELLO)
    t = wait_closed(s, 15)
    print("closed after %.1f s" % t if t is not None else "open")


def half(addr, port, n):
    socks = []
    for _ in range(int(n)):
        s = socket.create_connection((addr, int(port)), timeout=5)
        s.sendall(PARTIAL_HELLO)
        socks.append(s)
    print("held %d" % len(socks), flush=True)
    time.sleep(3)
    for s in socks:
        s.close()


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "backend":
        backend(args[0], int(args[1]), *args[2:])
    elif mode == "hold":
        hold(*args)
    elif mode == "garbage":
        garbage(*args)
    elif mode == "stall":
        stall(*args)
    elif mode == "half":
        half(*args)
