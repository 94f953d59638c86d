#!/usr/bin/env python3
"""Exports the registry's sparse index as plain files, for nginx to serve the same bytes.

  export_index.py PORT TOKEN LIST_DIR ROOT

Fetches every path in LIST_DIR/index_paths.txt from the registry (with the token, asking for
gzip as cargo does) and writes ROOT/<path> (the file) and ROOT/<path>.gz (the registry's own
gzip bytes, which nginx's gzip_static serves to clients that accept gzip; compressed here at
level 9 if the registry sent none). Writes the .crate of LIST_DIR/big.txt to ROOT/<path>, so
ROOT/api/v1/crates/NAME/VERS/download. config.json is not exported: it names the server, so
run.sh writes one per nginx address (without auth-required, which nginx cannot honour).
Prints the number of files and bytes.
"""
import gzip
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def fetch(client, path, headers=None):
    status, data, head = client.request("GET", path, headers=headers)
    if status != 200:
        raise SystemExit(f"GET {path}: HTTP {status} {data[:200]!r}")
    return data, head


def write(root, path, data):
    dest = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "wb") as f:
        f.write(data)


def main():
    port, token, list_dir, root = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    client = benchlib.Client(port, token)
    files = size = 0
    with open(os.path.join(list_dir, "index_paths.txt")) as f:
        index_paths = [line.strip() for line in f if line.strip()]
    for path in index_paths:
        data, head = fetch(client, path, {"Accept-Encoding": "deflate, gzip"})
        if head.get("content-encoding") == "gzip":
            gz, plain = data, gzip.decompress(data)
        else:
            z = zlib.compressobj(9, zlib.DEFLATED, 31)
            gz, plain = z.compress(data) + z.flush(), data
        write(root, path, plain)
        write(root, path + ".gz", gz)
        files += 1
        size += len(plain)
    with open(os.path.join(list_dir, "big.txt")) as f:
        big = f.read().strip()
    data, _ = fetch(client, big)
    write(root, big, data)
    print(f"exported {files + 1} files, {size + len(data)} bytes (and {files} .gz)")


if __name__ == "__main__":
    main()
