"""Backends for the health-check tests, run inside lab namespaces.

  check_backends.py http ADDR PORT MODEFILE
      GET /health answers by the mode in MODEFILE, read per request:
        200    200 with body "OK\n"
        503    503 with body "busy\n"
        body   200 with body "WRONG\n" (a digest mismatch)
        hang   accepts, reads the request, never answers
      GET /flap answers by the mode in MODEFILE.flap: 200, 503, or
      "alt" (200 and 503 in turn).
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
    else:
        listen(*sys.argv[2:5])
