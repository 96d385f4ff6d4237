#!/usr/bin/env python3
"""A raw client of softlbd's control protocol, for tests that must do what
the shell never does: send garbage, huge lines, pipeline without reading,
disconnect mid-reply, or hold many connections at once.

Usage: ctlc.py SOCKET ACTION [ARGS...]; prints results, exits 0 when the
daemon behaved as expected for ACTION, 1 otherwise (with the reason).
"""
import json
import socket
import sys
import threading
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    return s


def read_frame(s):
    """Reads one reply frame; returns (status, node, body) or None on EOF."""
    hdr = b""
    while not hdr.endswith(b"\n"):
        c = s.recv(1)
        if not c:
            return None
        hdr += c
        if len(hdr) > 128:
            raise ValueError("reply header too long: %r" % hdr)
    status, node, length = hdr.decode().split()
    n = int(length)
    body = b""
    while len(body) < n:
        chunk = s.recv(n - len(body))
        if not chunk:
            raise ValueError("EOF inside a reply body")
        body += chunk
    return int(status), node, body.decode(errors="replace")


def request(s, verb, line, flags=""):
    b = line.encode()
    s.sendall(("%s %d%s\n" % (verb, len(b), (" " + flags) if flags else "")).encode() + b)
    return read_frame(s)


def expect(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)
    print("ok:", what)


def greeting(path):
    s = connect(path)
    g = read_frame(s)
    return s, g


def act_exec(path, verb, line, flags=""):
    s, g = greeting(path)
    if g[0] != 200:
        print(g[0], g[2], end="")
        sys.exit(3)
    r = request(s, verb, line, flags)
    print(r[0], r[1])
    print(r[2], end="")
    sys.exit(0)


def act_greeting(path):
    s, g = greeting(path)
    print(g[0])
    print(g[2], end="")


def act_garbage(path):
    s, g = greeting(path)
    s.sendall(b"\x00\x01hello there\n")
    r = read_frame(s)
    expect(r is not None and r[0] == 400, "garbage header answered 400: %r" % (r,))
    expect(read_frame(s) is None, "connection closed after garbage")


def act_huge(path):
    s, g = greeting(path)
    line = b"x" * (1024 * 1024)
    try:
        s.sendall(b"exec %d\n" % len(line) + line)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the daemon may close before taking it all; the reply is what counts
    r = read_frame(s)
    expect(r is not None and r[0] == 413, "1 MiB line answered 413: %r" % ((r[0], r[2]) if r else r,))
    expect("65536" in r[2], "the error names the limit")


def act_huge_line(path):
    """A 1 MiB line with no frame header at all (a human pasting into nc)."""
    s, g = greeting(path)
    try:
        s.sendall(b"y" * (1024 * 1024))
    except (BrokenPipeError, ConnectionResetError):
        pass
    r = read_frame(s)
    expect(r is not None and r[0] == 400, "1 MiB unframed line answered 400")
    expect("too long" in r[2], "the error says the header is too long: %r" % r[2])


def act_disconnect(path):
    """Asks for replies and disconnects before reading them."""
    for _ in range(20):
        s, g = greeting(path)
        b = b"show clients"
        s.sendall(b"exec %d json\n" % len(b) + b)
        s.close()
    s, g = greeting(path)
    r = request(s, "exec", "show status")
    expect(r[0] == 200, "daemon answers after 20 clients vanished mid-reply")


def act_concurrent(path, n):
    n = int(n)
    socks = []
    for _ in range(n):
        s, g = greeting(path)
        expect_ok = g[0] == 200
        if not expect_ok:
            expect(False, "client %d greeted: %r" % (len(socks), g))
        socks.append(s)
    errors = []

    def worker(s, i):
        try:
            for _ in range(5):
                r = request(s, "exec", "show clients", "json")
                if r[0] != 200:
                    errors.append("client %d: %r" % (i, r))
                    return
                data = json.loads(r[2])
                if len(data) < n:
                    errors.append("client %d sees only %d clients" % (i, len(data)))
                    return
        except Exception as e:  # noqa: BLE001 - any failure is the test's answer
            errors.append("client %d: %s" % (i, e))

    threads = [threading.Thread(target=worker, args=(s, i)) for i, s in enumerate(socks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expect(not errors, "%d concurrent clients, 5 requests each: %s" % (n, errors[:3]))
    for s in socks:
        s.close()


def act_max_clients(path, n):
    n = int(n)
    socks = [greeting(path)[0] for _ in range(n)]
    s, g = greeting(path)
    expect(g[0] == 503 and "too many" in g[2], "client %d refused with 503: %r" % (n + 1, g))
    for x in socks:
        x.close()
    time.sleep(0.3)
    s, g = greeting(path)
    expect(g[0] == 200, "a client is accepted again once others left")


def act_never_reads(path, seconds):
    """Pipelines requests and never reads a reply: the daemon must drop us
    within about `seconds` (its --stall-timeout plus slack). We notice the
    drop without reading: a send to a closed peer fails with EPIPE."""
    s, g = greeting(path)
    b = b"show status json"
    frame = b"exec %d\n" % len(b) + b
    s.setblocking(False)
    sent = 0
    start = time.time()
    dropped = None
    while time.time() - start < float(seconds) * 3:
        try:
            s.send(frame)
            sent += 1
        except BlockingIOError:
            time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            dropped = time.time() - start
            break
    print("pipelined %d requests without reading" % sent)
    expect(dropped is not None, "daemon dropped the client that never read (after %s s)" % dropped)


def act_role_view(path):
    """Run as a view user: configure is refused and hidden."""
    s, g = greeting(path)
    expect(g[0] == 200 and "role=view" in g[2], "greeted as view: %r" % (g,))
    r = request(s, "describe", "")
    expect(r[0] == 200 and "configure" not in r[2] and "show" in r[2],
           "describe hides configure from view")
    r = request(s, "complete", "conf")
    expect(r[0] == 200 and r[2] == "", "completion offers nothing for 'conf'")
    r = request(s, "exec", "configure")
    expect(r[0] == 403 and "needs role admin" in r[2], "configure refused: %r" % (r,))
    r = request(s, "exec", "show status")
    expect(r[0] == 200, "show status allowed")


def act_role_admin(path):
    s, g = greeting(path)
    expect(g[0] == 200 and "role=admin" in g[2], "greeted as admin: %r" % (g,))
    r = request(s, "describe", "")
    expect("configure" in r[2], "describe offers configure to admin")
    r = request(s, "exec", "configure")
    expect(r[0] == 200 and r[1] == "config", "configure enters config mode")


def act_session(path, *steps):
    """Runs VERB:LINE steps in one session; prints each reply's body."""
    s, g = greeting(path)
    for step in steps:
        verb, line = step.split(":", 1)
        r = request(s, verb, line)
        print(r[2], end="")


def act_all_show_json(path):
    """Walks the grammar with describe from "show" and runs every show
    command that offers "json": each must answer 200 with valid JSON, or
    503 (its engine cannot run here, e.g. no IPVS) with a JSON "error"."""
    s, g = greeting(path)
    seen, failures = [], []

    def walk(prefix, depth):
        r = request(s, "describe", prefix + " ")
        if r[0] != 200:
            return
        tokens = [line.split("\t")[0] for line in r[2].splitlines()]
        if "json" in tokens:
            line = prefix + " json"
            a = request(s, "exec", line)
            seen.append(line)
            try:
                if a[0] not in (200, 503):
                    raise ValueError("status %d" % a[0])
                body = json.loads(a[2])
                if a[0] == 503 and "error" not in body:
                    raise ValueError("503 without an error in JSON")
            except ValueError as e:
                failures.append("%s: %s: %r" % (line, e, a[2][:200]))
        if depth >= 4:
            return
        for t in tokens:
            if t in ("json", "<cr>") or not t[:1].islower():
                continue
            walk(prefix + " " + t, depth + 1)

    walk("show", 0)
    print("show commands with json: %s" % ", ".join(seen))
    expect(len(seen) >= 5, "found %d show commands answering json" % len(seen))
    expect(not failures, "every one answers valid JSON: %s" % failures[:3])


ACTIONS = {
    "all-show-json": act_all_show_json,
    "session": act_session,
    "exec": lambda p, *a: act_exec(p, "exec", *a),
    "describe": lambda p, *a: act_exec(p, "describe", *a),
    "complete": lambda p, *a: act_exec(p, "complete", *a),
    "greeting": act_greeting,
    "garbage": act_garbage,
    "huge": act_huge,
    "huge-line": act_huge_line,
    "disconnect": act_disconnect,
    "concurrent": act_concurrent,
    "max-clients": act_max_clients,
    "never-reads": act_never_reads,
    "role-view": act_role_view,
    "role-admin": act_role_admin,
}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[2] not in ACTIONS:
        print(__doc__)
        sys.exit(2)
    ACTIONS[sys.argv[2]](sys.argv[1], *sys.argv[3:])
