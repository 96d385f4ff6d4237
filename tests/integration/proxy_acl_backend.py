"""An echo backend for the L7 rule tests (proxy_acl*.sh, the bench).

  proxy_acl_backend.py ADDR PORT NAME

Answers every request (any method, HTTP/1.1 keep-alive) with a body of
lines that say what it received, so a test asserts on what the server
was sent after the proxy's rules:

  name NAME
  target /the/request/target?as=received
  hdr lower-case-name: value        (one line per header field, in order)

and the response headers X-Backend: NAME and X-Secret (for the response
rules to work on).

With NAME tcp:LABEL it is a plain TCP server instead: it reads what the
client sends first (a TLS ClientHello, for SNI routing) and answers
LABEL and a newline, then closes.
"""
import socketserver
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self):
        n = int(self.headers.get("Content-Length", "0") or "0")
        if n:
            self.rfile.read(n)
        lines = ["name " + self.server.name, "target " + self.path]
        for k, v in self.headers.items():
            lines.append("hdr %s: %s" % (k.lower(), v))
        body = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Backend", self.server.name)
        self.send_header("X-Secret", "internal")
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = answer


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Tcp(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.recv(4096)
        self.request.sendall(self.server.name.encode() + b"\n")


class TcpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


if __name__ == "__main__":
    if sys.argv[3].startswith("tcp:"):
        srv = TcpServer((sys.argv[1], int(sys.argv[2])), Tcp)
        srv.name = sys.argv[3][4:]
        srv.serve_forever()
    srv = Server((sys.argv[1], int(sys.argv[2])), Handler)
    srv.name = sys.argv[3]
    srv.serve_forever()
