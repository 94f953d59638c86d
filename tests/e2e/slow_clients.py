#!/usr/bin/env python3
"""Slowloris against the server, and a normal client's latency meanwhile.

usage: slow_clients.py PORT CONNECTIONS SECONDS
Opens CONNECTIONS connections from 127.0.0.1 that each send one header line every 1.5 s,
while another client (from 127.0.0.2) fetches /health on a fresh connection every 50 ms.
Prints one line of key=value pairs: refused (connections answered 503 at once), closed (by the
server while trickling), open (still open at the end), health_p50_ms, health_p99_ms,
health_max_ms, health_failures.
"""
import selectors
import socket
import sys
import time


def health(port):
    start = time.time()
    try:
        s = socket.socket()
        s.settimeout(4)
        s.bind(("127.0.0.2", 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
        ok = data.startswith(b"HTTP/1.1 200")
    except OSError:
        ok = False
    return ok, (time.time() - start) * 1000


def main():
    port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    sel = selectors.DefaultSelector()
    conns = []
    refused = 0
    for _ in range(count):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        conns.append(s)
    time.sleep(0.5)
    alive = []
    for s in conns:
        try:
            s.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
            alive.append(s)
        except OSError:
            refused += 1
    # A connection turned away has a 503 waiting.
    still = []
    for s in alive:
        try:
            data = s.recv(4096)
            if data.startswith(b"HTTP/1.1 503") or data == b"":
                refused += 1
                s.close()
                continue
        except BlockingIOError:
            pass
        except OSError:
            refused += 1
            continue
        still.append(s)
    alive = still
    closed = 0
    latencies, failures = [], 0
    end = time.time() + seconds
    next_line = time.time() + 1.5
    while time.time() < end:
        ok, ms = health(port)
        latencies.append(ms)
        failures += 0 if ok else 1
        if time.time() >= next_line:
            next_line += 1.5
            keep = []
            for s in alive:
                try:
                    s.send(b"X-Slow: 1\r\n")
                    data = s.recv(4096) if False else None
                    keep.append(s)
                except BlockingIOError:
                    keep.append(s)
                except OSError:
                    closed += 1
            alive = keep
        time.sleep(0.05)
    # Which of the trickling connections the server closed.
    open_count = 0
    for s in alive:
        try:
            data = s.recv(4096)
            if data == b"" or data.startswith(b"HTTP/1.1 "):
                closed += 1
            else:
                open_count += 1
        except BlockingIOError:
            open_count += 1
        except OSError:
            closed += 1
        s.close()
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print("refused=%d closed=%d open=%d health_p50_ms=%.1f health_p99_ms=%.1f health_max_ms=%.1f "
          "health_failures=%d health_requests=%d" % (refused, closed, open_count, p(0.5), p(0.99),
                                                     latencies[-1], failures, len(latencies)))


if __name__ == "__main__":
    main()
