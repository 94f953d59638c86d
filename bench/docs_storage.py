#!/usr/bin/env python3
"""Storage of many versions' rustdoc output, three ways: per-release zip and .tar.zst archives
(docs.rs keeps one archive per release with an offset index) and content-addressed files
(each distinct file once, gzip -6 where it saves a tenth: what Registry::UploadDocs stores).
Usage: docs_storage.py TREE... (each a target/doc directory). Prints a Markdown table."""
import gzip
import hashlib
import io
import os
import subprocess
import sys
import zipfile

BLOCK = 4096  # what a file occupies on ext4 is its size rounded up to this


def files_of(tree):
    """(relative path, bytes) of each regular file, sorted; `.`-names are left out, as the
    server and `registry docs upload` leave them out."""
    out = []
    for root, dirs, names in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not os.path.islink(os.path.join(root, d)))
        for n in sorted(names):
            p = os.path.join(root, n)
            if n.startswith(".") or os.path.islink(p) or not os.path.isfile(p):
                continue
            with open(p, "rb") as f:
                out.append((os.path.relpath(p, tree), f.read()))
    return out


def on_disk(size):
    return -(-size // BLOCK) * BLOCK


def zip_size(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data, compresslevel=6)
    return len(buf.getvalue())


def tar_zst_size(tree, level):
    tar = subprocess.run(
        ["tar", "-C", tree, "--sort=name", "--mtime=@0", "--owner=0", "--group=0",
         "--numeric-owner", "--format=pax", "-cf", "-", "--"]
        + sorted(n for n in os.listdir(tree) if not n.startswith(".")),
        check=True, capture_output=True, timeout=300).stdout
    return len(subprocess.run(["zstd", "-q", f"-{level}", "-c"], input=tar, check=True,
                              capture_output=True, timeout=300).stdout)


def stored_form(data):
    """The bytes the server keeps for one file (src/registry/docs.cpp, UploadDocs)."""
    if len(data) >= 256:
        gz = gzip.compress(data, 6, mtime=0)
        if len(gz) < len(data) - len(data) // 10:
            return gz
    return data


def main(trees):
    raw = raw_disk = total_files = 0
    zips = zst3 = zst9 = zst19 = 0
    distinct = {}  # sha256 of the stored form -> its size
    added = []  # bytes each version adds to the content-addressed store
    first = last = None
    for tree in trees:
        files = files_of(tree)
        total_files += len(files)
        raw += sum(len(d) for _, d in files)
        raw_disk += sum(on_disk(len(d)) for _, d in files)
        zips += zip_size(files)
        zst3 += tar_zst_size(tree, 3)
        zst9 += tar_zst_size(tree, 9)
        zst19 += tar_zst_size(tree, 19)
        before = sum(distinct.values())
        for _, data in files:
            s = stored_form(data)
            distinct[hashlib.sha256(s).hexdigest()] = len(s)
        added.append(sum(distinct.values()) - before)
        if first is None:
            first = (len(files), sum(len(d) for _, d in files))
        last = (len(files), sum(len(d) for _, d in files))
    ca = sum(distinct.values())
    ca_disk = sum(on_disk(v) for v in distinct.values())
    n = len(trees)

    def row(what, size, disk=None):
        disk = size if disk is None else disk
        print(f"| {what} | {size:,} | {disk:,} | {100.0 * disk / raw_disk:.1f} % |")

    print(f"{n} versions; one tree: {first[0]:,} files, {first[1]:,} bytes "
          f"(the last: {last[0]:,} files, {last[1]:,} bytes)")
    later = added[1:]
    print(f"content-addressed: the first version stores {added[0]:,} bytes"
          + (f", each later one {min(later):,}-{max(later):,} (mean {sum(later) // len(later):,})"
             if later else "") + "\n")
    print("| stored as | bytes | on disk (4 KiB blocks) | of the raw trees on disk |")
    print("|---|---:|---:|---:|")
    row(f"raw trees ({total_files:,} files)", raw, raw_disk)
    row(f"{n} zip archives (deflate -6)", zips)
    row(f"{n} .tar.zst, zstd -3 (what `registry docs upload` sends)", zst3)
    row(f"{n} .tar.zst, zstd -9", zst9)
    row(f"{n} .tar.zst, zstd -19", zst19)
    row(f"content-addressed, gzip -6 where it saves 10 % ({len(distinct):,} distinct files "
        f"of {total_files:,})", ca, ca_disk)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: docs_storage.py TREE...")
    main(sys.argv[1:])
