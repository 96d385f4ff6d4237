"""A raw TCP client for the PROXY protocol tests.

  pp_client.py HOST PORT DATA [WAIT]

Sends DATA (a Python bytes literal body: escapes such as \\r\\n and
\\x00 are decoded), then reads until the server closes (at most WAIT
seconds, default 5) and prints the last line of what came, or EMPTY when
the connection closed with nothing, or TIMEOUT when it stayed open.
The time until the close is printed on a second line (tenths of a
second), so a test can tell a refusal at once from a timeout.
"""
import ast
import socket
import sys
import time


def main():
    host, port, data = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    wait = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0
    raw = ast.literal_eval("b'" + data.replace("'", "\\'") + "'")
    t0 = time.monotonic()
    c = socket.create_connection((host, port), timeout=wait)
    got = b""
    try:
        if raw:
            c.sendall(raw)
        while True:
            d = c.recv(65536)
            if not d:
                break
            got += d
    except socket.timeout:
        print("TIMEOUT")
        print(int((time.monotonic() - t0) * 10))
        return
    except ConnectionResetError:
        pass
    lines = got.strip().split(b"\n")
    print(lines[-1].decode(errors="replace").strip() if got else "EMPTY")
    print(int((time.monotonic() - t0) * 10))


if __name__ == "__main__":
    main()
