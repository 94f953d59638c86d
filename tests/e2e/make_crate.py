#!/usr/bin/env python3
"""Helpers for the end-to-end tests (stdlib only).

  make_crate.py crate NAME VERS [tar options]        .crate bytes on stdout
  make_crate.py body NAME VERS [tar/body options]    publish request body on stdout
  make_crate.py bulk BASE TOKEN PREFIX COUNT DESC    publish COUNT tiny crates, print "ok N"
  make_crate.py bomb MIB                             gzip of MIB MiB of zeros on stdout
  make_crate.py raw HOST PORT MODE [TOKEN LENGTH]    hand-made HTTP request; prints
                                                     "STATUS<newline>BODY"

Tarballs are deterministic (mtime 0 everywhere), so the same arguments give the same bytes.
Tar kinds (--tar): good, plain-tar (not gzip), junk (random bytes), outside, dotdot, absolute,
symlink, hardlink, no-manifest, big (incompressible file of --pad bytes).
"""
import argparse
import gzip
import io
import json
import os
import random
import struct
import sys
import tarfile


def tar_bytes(entries, compress=True):
    """entries: list of (TarInfo, data-or-None)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for info, data in entries:
            info.mtime = 0
            if data is not None:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.addfile(info)
    if not compress:
        return raw.getvalue()
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def file_entry(path, data):
    info = tarfile.TarInfo(path)
    info.type = tarfile.REGTYPE
    info.mode = 0o644
    return info, data


def make_crate(name, vers, kind="good", manifest_name=None, manifest_vers=None, pad=0):
    root = f"{name}-{vers}"
    manifest = (
        f'[package]\nname = "{manifest_name or name}"\nversion = "{manifest_vers or vers}"\n'
        f'edition = "2021"\n'
    ).encode()
    entries = [file_entry(f"{root}/Cargo.toml", manifest),
               file_entry(f"{root}/src/lib.rs", b"pub fn f() {}\n")]
    if kind == "good":
        pass
    elif kind == "junk":
        return random.Random(7).randbytes(300)
    elif kind == "plain-tar":
        return tar_bytes(entries, compress=False)
    elif kind == "outside":
        entries.append(file_entry(f"other-{vers}/src/evil.rs", b"evil\n"))
    elif kind == "dotdot":
        entries.append(file_entry(f"{root}/../evil.rs", b"evil\n"))
    elif kind == "absolute":
        entries.append(file_entry("/tmp/evil.rs", b"evil\n"))
    elif kind == "symlink":
        info = tarfile.TarInfo(f"{root}/link")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        entries.append((info, None))
    elif kind == "hardlink":
        info = tarfile.TarInfo(f"{root}/hard")
        info.type = tarfile.LNKTYPE
        info.linkname = f"{root}/src/lib.rs"
        entries.append((info, None))
    elif kind == "no-manifest":
        entries = entries[1:]
    elif kind == "big":
        entries.append(file_entry(f"{root}/blob.bin", random.Random(1).randbytes(pad)))
    else:
        raise SystemExit(f"unknown tar kind {kind}")
    return tar_bytes(entries)


def metadata(name, vers, deps=None, desc=None):
    return {
        "name": name, "vers": vers, "deps": deps or [], "features": {}, "authors": ["e2e"],
        "description": desc if desc is not None else f"{name} test crate",
        "documentation": None, "homepage": None, "readme": None, "readme_file": None,
        "keywords": [], "categories": [], "license": "MIT", "license_file": None,
        "repository": None, "badges": {}, "links": None, "rust_version": None,
    }


def publish_body(js, crate, json_len=None, crate_len=None):
    return (struct.pack("<I", len(js) if json_len is None else json_len) + js +
            struct.pack("<I", len(crate) if crate_len is None else crate_len) + crate)


def add_tar_args(p):
    p.add_argument("name")
    p.add_argument("vers")
    p.add_argument("--tar", default="good")
    p.add_argument("--manifest-name")
    p.add_argument("--manifest-vers")
    p.add_argument("--pad", type=int, default=0)


def cmd_crate(a):
    sys.stdout.buffer.write(make_crate(a.name, a.vers, a.tar, a.manifest_name, a.manifest_vers,
                                       a.pad))


def cmd_body(a):
    crate = make_crate(a.name, a.vers, a.tar, a.manifest_name, a.manifest_vers, a.pad)
    meta = metadata(a.name, a.vers, json.loads(a.deps) if a.deps else None, a.desc)
    if a.json_pad:
        meta["description"] = "x" * a.json_pad
    for field in a.drop or []:
        meta.pop(field, None)
    js = a.raw_json.encode() if a.raw_json is not None else json.dumps(meta).encode()
    body = publish_body(js, crate, a.json_len, a.crate_len)
    if a.truncate:
        body = body[:-a.truncate]
    body += b"\0" * a.trailing
    sys.stdout.buffer.write(body)


def cmd_bulk(a):
    import urllib.error
    import urllib.request
    ok = 0
    for i in range(a.count):
        name = f"{a.prefix}{i:03d}"
        body = publish_body(json.dumps(metadata(name, "0.1.0", desc=a.desc)).encode(),
                            make_crate(name, "0.1.0"))
        req = urllib.request.Request(f"{a.base}/api/v1/crates/new", data=body, method="PUT",
                                     headers={"Authorization": a.token})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                ok += r.status == 200
        except urllib.error.HTTPError as e:
            print(f"{name}: {e.code} {e.read()[:200]!r}", file=sys.stderr)
    print(f"ok {ok}")


def cmd_bomb(a):
    """gzip of a.mb MiB of zeros (about 1000:1)."""
    import zlib
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    out = [z.compress(zeros) for _ in range(a.mb)]
    sys.stdout.buffer.write(b"".join(out) + z.flush())


def cmd_raw(a):
    import socket
    if a.mode == "preflight":
        # Headers only: the server must refuse from Content-Length alone, before any body.
        auth = f"Authorization: {a.token}\r\n" if a.token != "-" else ""
        req = (f"PUT /api/v1/crates/new HTTP/1.1\r\nHost: {a.host}:{a.port}\r\n{auth}"
               f"Content-Length: {a.length}\r\n\r\n").encode()
    elif a.mode in ("gzip-headers", "chunked-headers"):
        # Headers only, announcing a body that never comes: refused at once, or the read times out.
        framing = ("Content-Encoding: gzip\r\nContent-Length: 100000" if a.mode == "gzip-headers"
                   else "Transfer-Encoding: chunked")
        req = (f"PUT /api/v1/crates/new HTTP/1.1\r\nHost: {a.host}:{a.port}\r\n"
               f"Authorization: {a.token}\r\n{framing}\r\n\r\n").encode()
    elif a.mode == "garbage":
        req = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)) + b"\r\n\r\n"
    elif a.mode == "bad-request-line":
        req = b"THIS IS NOT HTTP\r\n\r\n"
    elif a.mode == "bad-content-length":
        req = (f"PUT /api/v1/crates/new HTTP/1.1\r\nHost: {a.host}\r\n"
               f"Content-Length: -5\r\n\r\n").encode()
    elif a.mode == "huge-header":
        req = (f"GET /health HTTP/1.1\r\nHost: {a.host}\r\nX-Big: {'a' * 20000}\r\n\r\n").encode()
    else:
        raise SystemExit(f"unknown raw mode {a.mode}")
    with socket.create_connection((a.host, int(a.port)), timeout=10) as s:
        try:
            s.sendall(req)
        except OSError:
            pass
        data = b""
        try:
            while len(data) < 1 << 20:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                head, sep, rest = data.partition(b"\r\n\r\n")
                if sep:
                    length = None
                    for line in head.split(b"\r\n")[1:]:
                        k, _, v = line.partition(b":")
                        if k.strip().lower() == b"content-length":
                            length = int(v.strip())
                    if length is not None and len(rest) >= length:
                        break
        except OSError:
            pass
    head, _, rest = data.partition(b"\r\n\r\n")
    status = head.split(b" ")[1].decode() if head.startswith(b"HTTP/") else "none"
    sys.stdout.write(status + "\n" + rest.decode("utf-8", "replace"))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("crate")
    add_tar_args(p)
    p.set_defaults(fn=cmd_crate)
    p = sub.add_parser("body")
    add_tar_args(p)
    p.add_argument("--deps")
    p.add_argument("--desc")
    p.add_argument("--raw-json")
    p.add_argument("--json-pad", type=int, default=0)
    p.add_argument("--drop", action="append")
    p.add_argument("--truncate", type=int, default=0)
    p.add_argument("--trailing", type=int, default=0)
    p.add_argument("--json-len", type=int)
    p.add_argument("--crate-len", type=int)
    p.set_defaults(fn=cmd_body)
    p = sub.add_parser("bulk")
    for x in ("base", "token", "prefix"):
        p.add_argument(x)
    p.add_argument("count", type=int)
    p.add_argument("desc")
    p.set_defaults(fn=cmd_bulk)
    p = sub.add_parser("bomb")
    p.add_argument("mb", type=int)
    p.set_defaults(fn=cmd_bomb)
    p = sub.add_parser("raw")
    p.add_argument("host")
    p.add_argument("port")
    p.add_argument("mode")
    p.add_argument("token", nargs="?", default="-")
    p.add_argument("length", nargs="?", default="0")
    p.set_defaults(fn=cmd_raw)
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
