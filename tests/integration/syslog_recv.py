"""A syslog receiver for the log tests: one datagram a line, as received.

  syslog_recv.py udp ADDR PORT FILE [SECONDS]
  syslog_recv.py unix PATH FILE [SECONDS]

Each datagram is appended to FILE (its trailing newline kept as the line
end; a datagram without one gets one). Stops after SECONDS (default 120),
so a test that forgets it leaves nothing running.
"""
import os
import socket
import sys
import time

if sys.argv[1] == "udp":
    s = socket.socket(socket.AF_INET6 if ":" in sys.argv[2] else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[2], int(sys.argv[3])))
    out, rest = sys.argv[4], sys.argv[5:]
else:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.exists(sys.argv[2]):
        os.unlink(sys.argv[2])
    s.bind(sys.argv[2])
    out, rest = sys.argv[3], sys.argv[4:]
end = time.time() + (float(rest[0]) if rest else 120.0)
with open(out, "ab", buffering=0) as f:
    while time.time() < end:
        s.settimeout(max(0.1, end - time.time()))
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d.endswith(b"\n"):
            d += b"\n"
        f.write(d)
