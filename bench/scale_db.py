#!/usr/bin/env python3
"""P6: fills a registry database with VERSIONS generated versions, directly in SQLite.

  scale_db.py DATA_DIR OUT_DIR [--versions 2000000] [--seed 6]

DATA_DIR must hold a registry.db the real binary created (and then stopped): this fills its
real schema, in one transaction, with rows as a publish would write them: crates (about one
per 11 versions; a few have hundreds of versions, most have one to five), versions with
index lines in the registry's exact format (up to 8 dependencies on older crates, features,
pubtime) and the publish JSON as cargo sends it (without README text), owners, the
full-text search rows and each crate's stored index file (body, gzip at level 9, ETag). No .crate blobs are written: index files and search do not read them.
Writes OUT_DIR/scale_index_paths.txt (20,000 random crates' index paths) and
OUT_DIR/scale_search_paths.txt (search URLs for single words, two words and name prefixes).
"""
import argparse
import hashlib
import json
import os
import random
import sqlite3
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

# Versions per crate and how often each count occurs (mean about 11, as on crates.io).
HISTOGRAM = ((1, 30), (2, 15), (3, 10), (5, 10), (8, 10), (13, 10), (25, 8), (50, 5),
             (100, 1.5), (300, 0.5))


def make_words(rng, count=600):
    """Pronounceable made-up words, so names and descriptions have realistic token spread."""
    cons, vows = "bcdfghjklmnprstvwz", "aeiou"
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(cons) + rng.choice(vows) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def pubtime(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def version_string(i):
    return f"{i // 100}.{(i // 10) % 10}.{i % 10}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--versions", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=6)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    words = make_words(rng)
    counts, weights = zip(*HISTOGRAM)

    db = sqlite3.connect(os.path.join(a.data, "registry.db"), isolation_level=None)
    admin = db.execute("SELECT id FROM users WHERE login = 'admin'").fetchone()[0]
    if db.execute("SELECT count(*) FROM crates").fetchone()[0]:
        raise SystemExit("the database already has crates")
    db.execute("PRAGMA journal_mode = OFF")  # one bulk transaction; WAL is restored below
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -1000000")
    db.execute("BEGIN")

    start = time.time()
    names, seen = [], set()
    crate_rows, version_rows, owner_rows, fts_rows, file_rows = [], [], [], [], []
    total = 0
    now = int(time.time())
    while total < a.versions:
        cid = len(names) + 1
        while True:
            name = rng.choice(words) + rng.choice("-_") + rng.choice(words)
            if rng.random() < 0.3:
                name += rng.choice("-_") + rng.choice(words)
            canonical = name.replace("-", "_")
            if len(name) <= 64 and canonical not in seen:
                break
        seen.add(canonical)
        names.append(name)
        n = min(rng.choices(counts, weights)[0], a.versions - total)
        total += n
        desc = (f"A {rng.choice(words)} {rng.choice(words)} library for "
                f"{rng.choice(words)} and {rng.choice(words)} {rng.choice(words)}")
        keywords = rng.sample(words, rng.randint(0, 5))
        deps = []
        if cid > 10:
            for j in rng.sample(range(1, cid), min(cid - 1, rng.choice((0, 1, 2, 3, 4, 6, 8)))):
                deps.append((names[j - 1], f"^{rng.randint(0, 2)}.{rng.randint(0, 9)}",
                             rng.random() < 0.1, rng.choice(("normal",) * 6 + ("dev", "build"))))
        features = {"default": ["std"], "std": []}
        features.update({f"with-{d[0]}": [f"dep:{d[0]}"] for d in deps if d[2]})
        index_deps = [{"name": d, "req": r, "features": [], "optional": o,
                       "default_features": True, "target": None, "kind": k, "registry": None}
                      for d, r, o, k in deps]
        meta_deps = [{"name": d, "version_req": r, "features": [], "optional": o,
                      "default_features": True, "target": None, "kind": k, "registry": None,
                      "explicit_name_in_toml": None} for d, r, o, k in deps]
        plain = {f: v for f, v in features.items() if not any(x.startswith("dep:") for x in v)}
        extra = {f: v for f, v in features.items() if f not in plain}
        created = now - rng.randint(86400, 6 * 365 * 86400)
        t = created
        lines = []
        for i in range(n):
            vers = version_string(i)
            cksum = "%064x" % rng.getrandbits(256)
            line = {"name": name, "vers": vers, "deps": index_deps, "cksum": cksum,
                    "features": plain}
            if extra:
                line["features2"] = extra
            line.update({"yanked": False, "links": None, "pubtime": pubtime(t)})
            if extra:
                line["v"] = 2
            meta = {"name": name, "vers": vers, "deps": meta_deps, "features": features,
                    "authors": ["Bench Author <bench@example.com>"], "description": desc,
                    "documentation": None, "homepage": f"https://example.com/{name}",
                    "readme": None, "readme_file": "README.md", "keywords": keywords,
                    "categories": [], "license": "MIT OR Apache-2.0", "license_file": None,
                    "repository": f"https://git.example.com/{name}", "badges": {},
                    "links": None, "rust_version": None}
            lines.append(json.dumps(line, separators=(",", ":")))
            version_rows.append((cid, vers, vers, cksum, rng.randint(5000, 500000), lines[-1],
                                 json.dumps(meta, separators=(",", ":")), admin, t))
            t += rng.randint(3600, 90 * 86400)
        updated = min(t, now)
        crate_rows.append((cid, name, canonical.lower(), desc, version_string(n - 1), created,
                           updated))
        body = "".join(x + "\n" for x in lines).encode()
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        file_rows.append((cid, name.lower(), body, z.compress(body) + z.flush(),
                          '"' + hashlib.sha256(body).hexdigest()[:32] + '"', updated))
        owner_rows.append((cid, admin, created))
        fts_rows.append((cid, name, desc, " ".join(keywords)))
        if len(version_rows) >= 100_000:
            flush(db, crate_rows, version_rows, owner_rows, fts_rows, file_rows)
    flush(db, crate_rows, version_rows, owner_rows, fts_rows, file_rows)
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode = WAL")
    db.close()

    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "scale_index_paths.txt"), "w") as f:
        for name in rng.sample(names, min(20_000, len(names))):
            f.write(f"/index/{benchlib.index_path(name)}\n")
    with open(os.path.join(a.out, "scale_search_paths.txt"), "w") as f:
        for _ in range(2_000):
            kind = rng.random()
            if kind < 0.5:
                q = rng.choice(words)
            elif kind < 0.8:
                q = f"{rng.choice(words)}%20{rng.choice(words)}"
            else:
                q = rng.choice(names)[:4]
            f.write(f"/api/v1/crates?q={q}&per_page=10\n")
    print(f"generated {total} versions of {len(names)} crates in {time.time() - start:.0f} s")


def flush(db, crate_rows, version_rows, owner_rows, fts_rows, file_rows):
    db.executemany("INSERT INTO crates(id, name, canonical, description, max_version, "
                   "created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?)", crate_rows)
    db.executemany("INSERT INTO versions(crate_id, vers, vers_key, cksum, size, index_line, "
                   "metadata, published_by, published_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   version_rows)
    db.executemany("INSERT INTO owners(crate_id, user_id, added_at) VALUES(?, ?, ?)", owner_rows)
    db.executemany("INSERT INTO crates_fts(rowid, name, description, keywords) "
                   "VALUES(?, ?, ?, ?)", fts_rows)
    db.executemany("INSERT INTO index_files(crate_id, lower_name, body, gzip, etag, "
                   "last_modified) VALUES(?, ?, ?, ?, ?, ?)", file_rows)
    for rows in (crate_rows, version_rows, owner_rows, fts_rows, file_rows):
        rows.clear()


if __name__ == "__main__":
    main()
