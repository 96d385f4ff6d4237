"""A backend for the cookie and errorfile tests (HTTP/1.1, keep-alive).

  cookie_backend.py ADDR PORT NAME

Every GET or POST answers "NAME cookie=<the Cookie fields received, joined
by ' / ', or ->". The path adds fields to the answer:
  ...setsrv...  Set-Cookie: SRV=app1; path=/   (a server's own cookie)
  ...other...   Set-Cookie: JSESSIONID=abc; path=/
  ...pub...     Cache-Control: public
  ...maxage...  Cache-Control: max-age=60
  ...priv...    Cache-Control: private
  ...exp...     Expires: (a date)
  ...lm...      Last-Modified: (a date)
  ...slow...    answers after one second
"""
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.command == "POST":
            n = int(self.headers.get("Content-Length", "0") or 0)
            self.rfile.read(n)
        got = self.headers.get_all("Cookie") or ["-"]
        body = ("%s cookie=%s\n" % (self.server.name, " / ".join(got))).encode()
        p = self.path
        if "slow" in p:
            time.sleep(1)
        self.send_response(200)
        if "setsrv" in p:
            self.send_header("Set-Cookie", "SRV=app1; path=/")
        if "other" in p:
            self.send_header("Set-Cookie", "JSESSIONID=abc; path=/")
        if "pub" in p:
            self.send_header("Cache-Control", "public")
        if "maxage" in p:
            self.send_header("Cache-Control", "max-age=60")
        if "priv" in p:
            self.send_header("Cache-Control", "private")
        if "exp" in p:
            self.send_header("Expires", "Thu, 01 Dec 2039 16:00:00 GMT")
        if "lm" in p:
            self.send_header("Last-Modified", "Thu, 01 Dec 2020 16:00:00 GMT")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    srv = Server((sys.argv[1], int(sys.argv[2])), Handler)
    srv.name = sys.argv[3]
    srv.timeout = 1
    srv.serve_forever()


if __name__ == "__main__":
    main()
