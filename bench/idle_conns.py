#!/usr/bin/env python3
"""Idle keep-alive connections must not starve the server.

  idle_conns.py PORT [--idle 1000] [--token T] [--path /index/config.json] [--hold 3]
                [--pids PID,...]
  idle_conns.py PORT --burst [--idle 1000]

Opens IDLE connections to 127.0.0.1:PORT one after another: every other one sends one
request for PATH and reads the reply (keep-alive), the rest send nothing; all then stay
silent. Meanwhile a probe makes a fresh request for PATH every 50 ms, each on a new connection
(connect included, 10 s limit), from the first idle connection until HOLD seconds after the
last. Prints one RESULT line: how long opening took, the probe's median and slowest times,
how many probes failed, how many of the talkers got their reply, and how many idle
connections the server had closed by the end (a server may close idle connections; nginx and
the registry both do after their keep-alive timeout, 5 s here). With --pids, also the CPU
time those server processes used during the hold, as a percentage of one core.

With --burst it only connects IDLE times as fast as it can, sending nothing, and prints how
long that took and how many connects took over 0.5 s (a SYN the server's full accept queue
dropped is resent after 1 s, then 3 s).
"""
import argparse
import os
import resource
import select
import socket
import statistics
import threading
import time


def read_reply(sock, deadline):
    """Reads one HTTP response with a Content-Length; returns its status or None."""
    data = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            length = 0
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v)
            if len(body) >= length:
                return int(head.split(b" ")[1])
    return None


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def probe(port, request, stop, times, failures):
    while not stop.is_set():
        t = time.monotonic()
        status = None
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(request)
                status = read_reply(s, t + 10)
        except OSError:
            pass
        times.append(time.monotonic() - t)
        if status != 200:
            failures.append(status)
        stop.wait(0.05)


def burst(port, count):
    socks, slow = [], 0
    start = time.monotonic()
    try:
        for _ in range(count):
            t = time.monotonic()
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            slow += time.monotonic() - t > 0.5
    finally:
        for s in socks:
            s.close()
    print(f"RESULT connects={count} burst_s={time.monotonic() - start:.2f} stalled={slow}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--token", default="")
    ap.add_argument("--path", default="/index/config.json")
    ap.add_argument("--hold", type=float, default=3)
    ap.add_argument("--burst", action="store_true")
    ap.add_argument("--pids", default="")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, a.idle + 100)), hard))
    if a.burst:
        return burst(a.port, a.idle)
    auth = f"Authorization: {a.token}\r\n" if a.token else ""
    request = f"GET {a.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}\r\n".encode()

    stop, times, failures = threading.Event(), [], []
    prober = threading.Thread(target=probe, args=(a.port, request, stop, times, failures))
    idle, answered = [], 0
    opened = time.monotonic()
    prober.start()
    try:
        for i in range(a.idle):
            s = socket.create_connection(("127.0.0.1", a.port), timeout=10)
            idle.append(s)
            if i % 2 == 0:
                s.sendall(request)
                answered += read_reply(s, time.monotonic() + 10) == 200
        open_s = time.monotonic() - opened
        pids = [int(p) for p in a.pids.split(",") if p]
        cpu0, t0 = cpu_seconds(pids), time.monotonic()
        time.sleep(a.hold)
        cpu_pct = (cpu_seconds(pids) - cpu0) / (time.monotonic() - t0) * 100
    finally:
        stop.set()
        prober.join()
    # Connections the server closed (or answered with an error) are readable; open idle
    # ones have nothing to read.
    poller = select.poll()
    for s in idle:
        poller.register(s, select.POLLIN)
    closed = len(poller.poll(0))
    for s in idle:
        s.close()
    print(f"RESULT idle={a.idle} open_s={open_s:.2f} answered={answered}/{(a.idle + 1) // 2} "
          f"probes={len(times)} probe_failed={len(failures)} "
          f"probe_p50_ms={statistics.median(times) * 1000:.1f} "
          f"probe_max_ms={max(times) * 1000:.1f} closed_by_server={closed} "
          f"hold_cpu_pct={cpu_pct:.1f}")


if __name__ == "__main__":
    main()
