"""Publishes crates in a loop for the durability tests and records each acknowledged one.

Usage: publish_client.py BASE TOKEN PREFIX ACK_FILE [MAX]
Publishes PREFIX-0, PREFIX-1, ... (version 1.0.0) until MAX or the first failure to reach
the server (it is being killed). After each 200 reply it appends "name sha256-of-crate" to
ACK_FILE and flushes, so the file lists exactly the publishes the server acknowledged.
"""
import hashlib
import os
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_crate  # noqa: E402


def main():
    base, token, prefix, ack_path = sys.argv[1:5]
    limit = int(sys.argv[5]) if len(sys.argv) > 5 else 10**9
    with open(ack_path, "a") as acks:
        for i in range(limit):
            name = f"{prefix}-{i}"
            crate = make_crate.make_crate(name, "1.0.0")
            meta = make_crate.metadata(name, "1.0.0")
            body = make_crate.publish_body(make_crate.json.dumps(meta).encode(), crate)
            req = urllib.request.Request(f"{base}/api/v1/crates/new", data=body, method="PUT",
                                         headers={"Authorization": token})
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    if r.status != 200:
                        return
            except urllib.error.HTTPError as e:
                print(f"{name}: HTTP {e.code} {e.read()[:200]!r}", file=sys.stderr)
                return
            except OSError:
                return  # the server is gone
            acks.write(f"{name} {hashlib.sha256(crate).hexdigest()}\n")
            acks.flush()


if __name__ == "__main__":
    main()
