#!/usr/bin/env python3
"""Plays systemd's side of sd_notify for a test: receives the datagrams a
service sends to NOTIFY_SOCKET and writes each as one line to a file
(newlines inside a message become " | "), flushed at once so the test can
poll it. Stops by itself after the given number of seconds.

usage: sdnotify_listen.py SOCKET_PATH OUT_FILE SECONDS
"""
import os
import socket
import sys
import time


def main():
    path, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    deadline = time.monotonic() + seconds
    with open(out, "a", encoding="utf-8") as f:
        # The file exists once the socket does: the test waits for it.
        f.write("listening\n")
        f.flush()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                data = sock.recv(65536)
            except socket.timeout:
                break
            f.write(data.decode("utf-8", "replace").rstrip("\n").replace("\n", " | ") + "\n")
            f.flush()
    os.unlink(path)


if __name__ == "__main__":
    main()
