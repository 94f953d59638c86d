#!/usr/bin/env python3
"""P4: durable publishes per second at a fixed concurrency, timing every PUT.

  publish_load.py PORT TOKEN [--concurrency 4] [--count 2000] [--kib 10] [--prefix p4]
                  [--fsync-dir DIR]

Builds COUNT publish bodies first (each a distinct crate PREFIX-N 1.0.0 whose .crate holds
KIB KiB of incompressible bytes), then CONCURRENCY clients, each on its own keep-alive
connection, publish them as fast as the server acknowledges. Every reply must be 200.
With --fsync-dir, first times 200 rounds of write(10 KiB) + fsync in DIR, the floor under
each durable publish on this disk. Prints one RESULT line.
"""
import argparse
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def fsync_ms(directory, rounds=200):
    path = os.path.join(directory, "fsync-probe.tmp")
    times = []
    data = os.urandom(10240)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for _ in range(rounds):
            t = time.perf_counter()
            os.pwrite(fd, data, 0)
            os.fsync(fd)
            times.append(time.perf_counter() - t)
    finally:
        os.close(fd)
        os.unlink(path)
    return statistics.median(times) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("token")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--kib", type=int, default=10)
    ap.add_argument("--prefix", default="p4")
    ap.add_argument("--fsync-dir")
    a = ap.parse_args()

    probe = f" fsync_ms={fsync_ms(a.fsync_dir):.3f}" if a.fsync_dir else ""
    # make_crate pads the tarball with KIB KiB of random bytes: the .crate is about that size.
    bodies = [benchlib.publish_body(f"{a.prefix}-{i}", "1.0.0", desc="publish benchmark",
                                    pad=a.kib * 1024 - 300) for i in range(a.count)]
    latencies = [[] for _ in range(a.concurrency)]
    failures = []

    def worker(k):
        client = benchlib.Client(a.port, a.token)
        for body in bodies[k::a.concurrency]:
            t = time.perf_counter()
            status, data, _ = client.request("PUT", "/api/v1/crates/new", body)
            latencies[k].append(time.perf_counter() - t)
            if status != 200:
                failures.append(f"HTTP {status} {data[:200]!r}")
                return

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(a.concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit("publish failed: " + failures[0])
    lat = sorted(x for per in latencies for x in per)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print(f"RESULT publishes={len(lat)} seconds={elapsed:.3f} rate={len(lat) / elapsed:.1f} "
          f"body_bytes={len(bodies[0])} p50_ms={statistics.median(lat) * 1000:.2f} "
          f"p99_ms={p99 * 1000:.2f} max_ms={lat[-1] * 1000:.2f}{probe}")


if __name__ == "__main__":
    main()
