#!/usr/bin/env python3
"""P8's source: a generated `cargo local-registry` directory (stdlib only).

  import_source.py DIR --versions N [--per-crate K]

writes DIR/index/<prefix path> (one JSON line per version, with pubtime and a field this
registry does not know) and DIR/<name>-<version>.crate (a real gzip tar with Cargo.toml,
README.md and src/lib.rs), K versions per crate (default 20). Deterministic for equal
arguments.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import tarfile

from benchlib import index_path


def crate_bytes(name, vers):
    files = {
        "Cargo.toml": (f'[package]\nname = "{name}"\nversion = "{vers}"\nedition = "2021"\n'
                       f'description = "generated crate {name}"\nreadme = "README.md"\n'
                       f'license = "MIT"\n').encode(),
        "README.md": f"# {name}\n\nVersion {vers}.\n".encode(),
        "src/lib.rs": f"pub const VERSION: &str = \"{vers}\";\n".encode(),
    }
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(f"{name}-{vers}/{path}")
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--versions", type=int, required=True)
    ap.add_argument("--per-crate", type=int, default=20)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    made = 0
    c = 0
    while made < a.versions:
        name = f"gen-crate-{c:05d}"
        lines = []
        for v in range(min(a.per_crate, a.versions - made)):
            vers = f"1.{v}.0"
            data = crate_bytes(name, vers)
            with open(os.path.join(a.dir, f"{name}-{vers}.crate"), "wb") as f:
                f.write(data)
            lines.append(json.dumps({
                "name": name, "vers": vers, "deps": [], "cksum": hashlib.sha256(data).hexdigest(),
                "features": {}, "yanked": False, "links": None,
                "pubtime": "2025-01-02T03:04:05Z", "x_generated": True,
            }, separators=(",", ":")))
            made += 1
        path = os.path.join(a.dir, "index", index_path(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        c += 1
    print(f"{made} versions of {c} crates in {a.dir}")


if __name__ == "__main__":
    main()
