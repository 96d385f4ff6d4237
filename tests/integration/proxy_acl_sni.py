"""Sends a real TLS ClientHello (made by Python's ssl module, so it is what
a client library sends) to HOST:PORT and prints the first line answered,
or "closed" when the connection ends without one. For SNI routing in mode
tcp (req.ssl_sni): the backends are plain TCP servers that name
themselves.

  proxy_acl_sni.py HOST PORT NAME     ClientHello with server_name NAME
  proxy_acl_sni.py HOST PORT -        ClientHello without server_name
  proxy_acl_sni.py HOST PORT garbage  bytes that are no ClientHello
"""
import socket
import ssl
import sys

host, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if name == "garbage":
    hello = b"\x16\x03\x01\x00\x05\x01\xff\xff\xff\xff" + b"GET / HTTP/1.0\r\n\r\n"
else:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname=None if name == "-" else name)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = out.read()
s = socket.create_connection((host, port), timeout=5)
s.sendall(hello)
try:
    data = s.recv(200)
except OSError:
    data = b""
line = data.split(b"\n")[0].decode(errors="replace").strip()
print(line if line else "closed")
