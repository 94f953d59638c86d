#!/usr/bin/env python3
"""The stand-in crates.io of the mirror test: sparse-index lines for packaged crates (stdlib only).

  stand_in_index.py line MANIFEST CRATE_FILE   prints the index line of the crate packaged from
                                               MANIFEST (a Cargo.toml) as CRATE_FILE
  stand_in_index.py path NAME                  prints the index path of NAME ("it/oa/itoa")
  stand_in_index.py strip-dev MANIFEST [DEP]... removes [dev-dependencies] tables, and those of
                                               optional dependencies DEP, in place

The lines carry fields the registry does not know (rust_version, pubtime, a made-up one), so
the test can check they pass through byte for byte.
"""
import hashlib
import json
import sys
import tomllib


def index_path(name):
    n = name.lower()
    if len(n) <= 2:
        return f"{len(n)}/{n}"
    if len(n) == 3:
        return f"3/{n[0]}/{n}"
    return f"{n[:2]}/{n[2:4]}/{n}"


def deps_of(table, kind, target=None):
    out = []
    for key, spec in table.items():
        if isinstance(spec, str):
            spec = {"version": spec}
        dep = {
            "name": key,
            "req": spec.get("version", "*"),
            "features": spec.get("features", []),
            "optional": spec.get("optional", False),
            "default_features": spec.get("default-features", spec.get("default_features", True)),
            "target": target,
            "kind": kind,
        }
        if "package" in spec:
            dep["package"] = spec["package"]
        out.append(dep)
    return out


def line(manifest, crate_file):
    with open(manifest, "rb") as f:
        toml = tomllib.load(f)
    pkg = toml["package"]
    deps = deps_of(toml.get("dependencies", {}), "normal")
    deps += deps_of(toml.get("build-dependencies", {}), "build")
    for target, t in toml.get("target", {}).items():
        deps += deps_of(t.get("dependencies", {}), "normal", target)
    with open(crate_file, "rb") as f:
        cksum = hashlib.sha256(f.read()).hexdigest()
    entry = {
        "name": pkg["name"],
        "vers": pkg["version"],
        "deps": deps,
        "cksum": cksum,
        "features": toml.get("features", {}),
        "yanked": False,
        "links": pkg.get("links"),
    }
    if "rust-version" in pkg:
        entry["rust_version"] = pkg["rust-version"]
    entry["pubtime"] = "2024-01-02T03:04:05Z"
    entry["x_future_field"] = {"kept": True}
    return json.dumps(entry, separators=(",", ":"))


def strip_dev(manifest, drop):
    out, skip = [], False
    dropped = [f"[dependencies.{d}]" for d in drop]
    with open(manifest) as f:
        for l in f.read().splitlines():
            if l.startswith("["):
                skip = (l.startswith("[dev-dependencies") or ".dev-dependencies" in l
                        or l.strip() in dropped)
            if not skip:
                out.append(l)
    with open(manifest, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "line":
        print(line(sys.argv[2], sys.argv[3]))
    elif cmd == "path":
        print(index_path(sys.argv[2]))
    elif cmd == "strip-dev":
        strip_dev(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(f"unknown command {cmd}")
