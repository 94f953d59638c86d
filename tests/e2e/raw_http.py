#!/usr/bin/env python3
"""Sends raw bytes to a server and prints what comes back, for transport tests.

usage: raw_http.py PORT [WAIT_SECONDS] < request-bytes
Prints every byte received until the server closes the connection or WAIT_SECONDS (default 3)
pass with nothing received, then a last line: "== closed" or "== open".
"""
import socket
import sys
import time


def main():
    port = int(sys.argv[1])
    wait = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    data = sys.stdin.buffer.read()
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    out = b""
    closed = False
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        out += chunk
    sys.stdout.buffer.write(out)
    sys.stdout.write("\n== %s\n" % ("closed" if closed else "open"))


if __name__ == "__main__":
    main()
