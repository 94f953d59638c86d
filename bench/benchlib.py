"""Shared helpers for the benchmark scripts (stdlib only): sparse-index paths, publish
bodies built with the e2e tests' make_crate.py, and a keep-alive HTTP client."""
import http.client
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import make_crate  # noqa: E402,F401  (re-exported for the other scripts)


def index_path(name):
    """The sparse-index path of a crate, as cargo asks for it (lower-case)."""
    n = name.lower()
    if len(n) <= 2:
        return f"{len(n)}/{n}"
    if len(n) == 3:
        return f"3/{n[0]}/{n}"
    return f"{n[0:2]}/{n[2:4]}/{n}"


def dep(name, req, kind="normal", optional=False, features=()):
    """One dependency as cargo sends it in a publish body (registry None: this registry)."""
    return {"name": name, "version_req": req, "features": list(features), "optional": optional,
            "default_features": True, "target": None, "kind": kind, "registry": None,
            "explicit_name_in_toml": None}


def publish_body(name, vers, deps=(), features=None, desc=None, keywords=(), pad=0):
    meta = make_crate.metadata(name, vers, list(deps), desc)
    meta["features"] = features or {}
    meta["keywords"] = list(keywords)
    crate = make_crate.make_crate(name, vers, "big" if pad else "good", pad=pad)
    return make_crate.publish_body(json.dumps(meta).encode(), crate)


class Client:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1:port, reconnecting when closed."""

    def __init__(self, port, token, timeout=30):
        self.port, self.token, self.timeout = port, token, timeout
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        """Returns (status, body, response headers as a dict with lower-case names)."""
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = self.token
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return r.status, data, {k.lower(): v for k, v in r.getheaders()}
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: retry once on a new one.
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
