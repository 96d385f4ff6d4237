"""A backend for the proxy tests, run inside a lab namespace.

  proxy_backend.py ADDR PORT NAME

HTTP/1.0 (one request per connection):
  GET /id          -> NAME
  GET /xff         -> the X-Forwarded-For header received ("-" if none)
  GET /conn        -> the Connection header received ("-" if none)
  GET /slow/N/MS   -> N chunks of 64 KiB, MS milliseconds apart, with a
                      Content-Length (a long transfer)
  GET /hang        -> reads the request, never answers
  GET /close       -> closes without answering
  GET /status/N    -> an empty answer with status N (200 .. 599)
"""
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        name = self.server.name
        if self.path == "/id":
            self.reply(name.encode() + b"\n")
        elif self.path == "/xff":
            self.reply((self.headers.get("X-Forwarded-For", "-") + "\n").encode())
        elif self.path == "/conn":
            self.reply((self.headers.get("Connection", "-") + "\n").encode())
        elif self.path.startswith("/slow/"):
            _, _, n, ms = self.path.split("/")
            n, ms = int(n), int(ms)
            chunk = b"x" * 65536
            self.send_response(200)
            self.send_header("Content-Length", str(n * len(chunk)))
            self.end_headers()
            for _ in range(n):
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(ms / 1000.0)
        elif self.path == "/hang":
            time.sleep(3600)
        elif self.path == "/close":
            self.close_connection = True
        elif self.path.startswith("/status/"):
            self.send_response(int(self.path.split("/")[2]))
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    addr, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    srv = Server((addr, port), Handler)
    srv.name = name
    srv.serve_forever()


if __name__ == "__main__":
    main()
