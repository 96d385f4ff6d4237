"""Backends for the health-check tests, run inside lab namespaces.

  check_backends.py http ADDR PORT MODEFILE
      GET /health answers by the mode in MODEFILE, read per request:
        200    200 with body "OK\n"
        503    503 with body "busy\n"
        body   200 with body "WRONG\n" (a digest mismatch)
        hang   accepts, reads the request, never answers
      GET /flap answers by the mode in MODEFILE.flap: 200, 503, or
      "alt" (200 and 503 in turn).
  check_backends.py https ADDR PORT MODEFILE CERT KEY
      the same as http, over TLS with the given certificate and key.
  check_backends.py chunked ADDR PORT MODEFILE
      GET /health answers 200 with the body "OK\n" in chunks
      (Transfer-Encoding: chunked, chunk extensions and a trailer), or by
      MODEFILE: "badsize" a chunk size that is not hex, "huge" a chunk
      size past 2^64, "short" the connection closed inside a chunk.
  check_backends.py record ADDR PORT FILE
      appends "PEER_ADDR:PEER_PORT FIRST_LINE" to FILE for each connection
      (the request line, or nothing when the client sends none), answers
      "HTTP/1.0 200 OK" and closes.
  check_backends.py listen ADDR FIRST_PORT COUNT
      accepts and closes on COUNT ports from FIRST_PORT.
"""
import selectors
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def read_mode(path, default):
    try:
        with open(path) as f:
            return f.read().strip() or default
    except OSError:
        return default


class Handler(BaseHTTPRequestHandler):
    flap_n = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def reply(self, code, body):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        modefile = self.server.modefile
        if self.path == "/flap":
            mode = read_mode(modefile + ".flap", "200")
            if mode == "alt":
                with Handler.lock:
                    Handler.flap_n += 1
                    mode = "200" if Handler.flap_n % 2 else "503"
            self.reply(int(mode), b"flap\n")
            return
        mode = read_mode(modefile, "200")
        if mode == "hang":
            time.sleep(3600)
        elif mode == "503":
            self.reply(503, b"busy\n")
        elif mode == "body":
            self.reply(200, b"WRONG\n")
        else:
            self.reply(200, b"OK\n")


def http(addr, port, modefile):
    srv = ThreadingHTTPServer((addr, int(port)), Handler)
    srv.daemon_threads = True
    srv.modefile = modefile
    srv.serve_forever()


def https(addr, port, modefile, cert, key):
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv = ThreadingHTTPServer((addr, int(port)), Handler)
    srv.daemon_threads = True
    srv.modefile = modefile
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.serve_forever()


CHUNKED = {
    "200": b"2;ext=1\r\nOK\r\n1\r\n\n\r\n0\r\nX-Trailer: yes\r\n\r\n",
    "badsize": b"2x\r\nOK\r\n0\r\n\r\n",
    "huge": b"10000000000000002\r\nOK\r\n0\r\n\r\n",
    "short": b"10\r\nOK",
}


def chunked(addr, port, modefile):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(64)
    while True:
        c, _ = s.accept()
        try:
            c.settimeout(2)
            data = b""
            while b"\r\n\r\n" not in data:
                d = c.recv(4096)
                if not d:
                    break
                data += d
            body = CHUNKED.get(read_mode(modefile, "200"), CHUNKED["200"])
            c.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                      b"Connection: close\r\n\r\n" + body)
        except OSError:
            pass
        c.close()


def record(addr, port, path):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(64)
    while True:
        c, peer = s.accept()
        line = b""
        try:
            c.settimeout(0.5)
            while b"\n" not in line and len(line) < 1024:
                d = c.recv(1024)
                if not d:
                    break
                line += d
            c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
        except OSError:
            pass
        c.close()
        with open(path, "a") as f:
            f.write("%s:%d %s\n" % (peer[0], peer[1],
                                    line.split(b"\r\n")[0].decode(errors="replace")))


def listen(addr, first, count):
    sel = selectors.DefaultSelector()
    for p in range(int(first), int(first) + int(count)):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, p))
        s.listen(128)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            try:
                c, _ = key.fileobj.accept()
                c.close()
            except OSError:
                pass


if __name__ == "__main__":
    if sys.argv[1] == "http":
        http(*sys.argv[2:5])
    elif sys.argv[1] == "https":
        https(*sys.argv[2:7])
    elif sys.argv[1] == "record":
        record(*sys.argv[2:5])
    elif sys.argv[1] == "chunked":
        chunked(*sys.argv[2:5])
    else:
        listen(*sys.argv[2:5])
