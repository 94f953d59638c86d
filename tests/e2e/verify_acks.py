"""Checks that every acknowledged publish listed in ACK_FILEs is in the index with its
checksum and downloads with the same bytes. Prints one line per failure; exits 1 if any.

Usage: verify_acks.py BASE TOKEN ACK_FILE...
"""
import hashlib
import json
import sys
import urllib.request


def index_path(name):
    n = name.lower()
    if len(n) <= 2:
        return f"{len(n)}/{n}"
    if len(n) == 3:
        return f"3/{n[0]}/{n}"
    return f"{n[0:2]}/{n[2:4]}/{n}"


def get(base, token, path):
    req = urllib.request.Request(base + path, headers={"Authorization": token})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read()


def main():
    base, token = sys.argv[1:3]
    failures = checked = 0
    for ack_path in sys.argv[3:]:
        for line in open(ack_path):
            name, sha = line.split()
            checked += 1
            try:
                lines = [json.loads(x) for x in get(base, token, "/index/" + index_path(name))
                         .decode().splitlines()]
                if [x["cksum"] for x in lines if x["vers"] == "1.0.0"] != [sha]:
                    raise ValueError(f"index cksum {lines!r} != {sha}")
                data = get(base, token, f"/api/v1/crates/{name}/1.0.0/download")
                if hashlib.sha256(data).hexdigest() != sha:
                    raise ValueError("downloaded bytes do not match")
            except Exception as e:  # noqa: BLE001 - every failure is reported
                failures += 1
                print(f"LOST {name}: {e}")
    print(f"{checked} acknowledged publishes checked, {failures} missing or wrong")
    sys.exit(1 if failures or checked == 0 else 0)


if __name__ == "__main__":
    main()
