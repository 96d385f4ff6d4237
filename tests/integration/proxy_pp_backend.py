"""A backend that reads a PROXY protocol header (v1 or v2), for the
PROXY protocol tests; run inside a lab namespace.

  proxy_pp_backend.py ADDR PORT

Each connection: an optional PROXY header, then an HTTP/1.x request head;
the answer is HTTP/1.0 200 with one line saying what the header said:
  V1 TCP4 SRC SPORT DST DPORT | V1 UNKNOWN | V2 PROXY SRC SPORT DST DPORT
  | V2 LOCAL | NONE
and the connection is closed. A request without a header gets 400 (so
an HTTP health check passes only when the header is sent). A header this
parser finds malformed gets no answer (closed). Every connection that
sent any byte is counted: GET /count answers how many did before it.
"""
import ipaddress
import socket
import struct
import sys
import threading

SIG = b"\r\n\r\n\x00\r\nQUIT\n"
count_lock = threading.Lock()
count = 0


def read_exact(c, buf, n):
    while len(buf) < n:
        d = c.recv(4096)
        if not d:
            raise EOFError
        buf += d
    return buf


def handle(c):
    global count
    try:
        buf = c.recv(4096)
        if not buf:
            return
        with count_lock:
            count += 1
            seen = count - 1
        info = "NONE"
        if buf.startswith(b"PROXY "):
            while b"\r\n" not in buf:
                d = c.recv(4096)
                if not d:
                    return
                buf += d
            line, buf = buf.split(b"\r\n", 1)
            f = line.decode().split(" ")
            if f[1] == "UNKNOWN":
                info = "V1 UNKNOWN"
            else:
                info = "V1 %s %s %s %s %s" % (f[1], f[2], f[4], f[3], f[5])
        elif buf[:1] == b"\r":
            buf = read_exact(c, buf, 16)
            if buf[:12] != SIG:
                return
            ver_cmd, fam, ln = struct.unpack("!BBH", buf[12:16])
            buf = read_exact(c, buf, 16 + ln)
            body, buf = buf[16:16 + ln], buf[16 + ln:]
            if ver_cmd & 0xF == 0:
                info = "V2 LOCAL"
            elif fam >> 4 == 1:
                s, d, sp, dp = struct.unpack("!4s4sHH", body[:12])
                info = "V2 PROXY %s %d %s %d" % (ipaddress.ip_address(s), sp,
                                                 ipaddress.ip_address(d), dp)
            elif fam >> 4 == 2:
                s, d, sp, dp = struct.unpack("!16s16sHH", body[:36])
                info = "V2 PROXY %s %d %s %d" % (ipaddress.ip_address(s), sp,
                                                 ipaddress.ip_address(d), dp)
            else:
                info = "V2 PROXY fam %d" % fam
        while b"\r\n\r\n" not in buf:
            d = c.recv(4096)
            if not d:
                return
            buf += d
        if buf.startswith(b"GET /count"):
            body = ("%d\n" % seen).encode()
            status = "200 OK"
        elif info == "NONE":
            body = b"NONE\n"
            status = "400 Bad Request"
        else:
            body = (info + "\n").encode()
            status = "200 OK"
        c.sendall(("HTTP/1.0 %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                   % (status, len(body))).encode() + body)
    except (EOFError, OSError, ValueError, IndexError):
        pass
    finally:
        c.close()


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(128)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


if __name__ == "__main__":
    main()
