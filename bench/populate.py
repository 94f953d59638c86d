#!/usr/bin/env python3
"""Publishes the benchmark registry over HTTP, the way cargo would, and lists what it made.

  populate.py PORT TOKEN OUT_DIR [--bulk 1000] [--layers 10] [--width 30] [--big-kib 1024]

Publishes, with 4 concurrent clients:
  - the graph: LAYERS x WIDTH crates `g<L>-<K>` (versions 0.1.0 and 0.1.1); a crate of layer L
    depends on three crates of layer L-1, so that resolving the top layer touches every one;
  - BULK more crates with 1 to 5 versions each, two-to-twenty-letter names (so every kind of
    index path occurs), a few dependencies on graph crates, features and keywords;
  - `bench-big` 1.0.0, whose .crate holds BIG_KIB KiB of incompressible bytes.
Writes OUT_DIR/crates.txt (every crate name), OUT_DIR/index_paths.txt (their index URL paths),
OUT_DIR/top.txt (the top layer, for the cargo project) and OUT_DIR/big.txt (the download path).
"""
import argparse
import concurrent.futures
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

WORDS = ("serde tokio async json http util core derive macro log time rand sync net io fs str "
         "num parse cli term color hash map tree graph cache pool db sql web rpc proto codec "
         "zip tar gz xml yaml toml env conf test mock bench fmt text regex glob path url uri "
         "tls crypto sha md5 uuid date cron task queue chan actor stream buf bytes mem alloc "
         "arena vec list set heap sort search index store kv blob file dir walk watch").split()


def graph_name(layer, k):
    return f"g{layer}-{k}"


def graph_publishes(layers, width):
    """Publish bodies of the graph, one list per layer (each layer needs the one below)."""
    waves = []
    for layer in range(layers):
        wave = []
        for k in range(width):
            deps = []
            if layer > 0:
                for j in sorted({k, (k + 1) % width, (k + 7) % width}):
                    deps.append(benchlib.dep(graph_name(layer - 1, j), "^0.1"))
            for vers in ("0.1.0", "0.1.1"):
                wave.append(benchlib.publish_body(
                    graph_name(layer, k), vers, deps, features={"default": [], "extra": []},
                    desc=f"graph crate {layer}/{k}"))
        waves.append(wave)
    return waves


def bulk_names(count, rng):
    names, seen = [], set()
    # A few one-, two- and three-letter names, as crates.io has (paths 1/, 2/, 3/x/).
    for n in ("q", "z", "qx", "zz", "qxz", "zzy"):
        names.append(n)
        seen.add(n)
    while len(names) < count:
        n = rng.choice(WORDS) + rng.choice(["-", "_", ""]) + rng.choice(WORDS)
        if rng.random() < 0.5:
            n += str(rng.randrange(100))
        if len(n) > 20 or n.replace("_", "-") in seen:
            continue
        seen.add(n.replace("_", "-"))
        names.append(n)
    return names


def bulk_publishes(count, layers, width, rng):
    bodies, names = [], bulk_names(count, rng)
    for i, name in enumerate(names):
        deps = [benchlib.dep(graph_name(rng.randrange(layers), rng.randrange(width)), "^0.1")
                for _ in range(rng.randrange(5))]
        deps = list({d["name"]: d for d in deps}.values())
        for v in range(1 + i % 5):
            bodies.append(benchlib.publish_body(
                name, f"0.{v + 1}.0", deps,
                features={"default": ["std"], "std": [], "serde": []},
                desc=f"bulk crate {name}: {' '.join(rng.sample(WORDS, 6))}",
                keywords=rng.sample(WORDS, 3)))
    return names, bodies


def publish_all(port, token, bodies, workers=4):
    """Publishes bodies with `workers` keep-alive clients; exits on any refusal."""
    clients = [benchlib.Client(port, token) for _ in range(workers)]

    def run(k):
        for body in bodies[k::workers]:
            status, data, _ = clients[k].request("PUT", "/api/v1/crates/new", body)
            if status != 200:
                raise SystemExit(f"publish refused: HTTP {status} {data[:300]!r}")

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for f in [pool.submit(run, k) for k in range(workers)]:
            f.result()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("token")
    ap.add_argument("out")
    ap.add_argument("--bulk", type=int, default=1000)
    ap.add_argument("--layers", type=int, default=10)
    ap.add_argument("--width", type=int, default=30)
    ap.add_argument("--big-kib", type=int, default=1024)
    a = ap.parse_args()
    rng = random.Random(42)

    total = 0
    for wave in graph_publishes(a.layers, a.width):
        publish_all(a.port, a.token, wave)
        total += len(wave)
    names, bodies = bulk_publishes(a.bulk, a.layers, a.width, rng)
    publish_all(a.port, a.token, bodies)
    total += len(bodies)
    publish_all(a.port, a.token, [benchlib.publish_body("bench-big", "1.0.0",
                                                       pad=a.big_kib * 1024)], workers=1)
    total += 1

    graph = [graph_name(layer, k) for layer in range(a.layers) for k in range(a.width)]
    every = graph + names + ["bench-big"]
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "crates.txt"), "w") as f:
        f.write("".join(n + "\n" for n in every))
    with open(os.path.join(a.out, "index_paths.txt"), "w") as f:
        f.write("".join(f"/index/{benchlib.index_path(n)}\n" for n in every))
    with open(os.path.join(a.out, "top.txt"), "w") as f:
        f.write("".join(graph_name(a.layers - 1, k) + "\n" for k in range(a.width)))
    with open(os.path.join(a.out, "big.txt"), "w") as f:
        f.write("/api/v1/crates/bench-big/1.0.0/download\n")
    print(f"published {total} versions of {len(every)} crates")


if __name__ == "__main__":
    main()
