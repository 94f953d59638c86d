#!/usr/bin/env bash
# How much disk hosted docs take across releases: builds VERSIONS (default 20) versions of a
# real crate's rustdoc output (memchr from Debian's /usr/share/cargo/registry, each version
# bumped and with one more line of crate docs, as a patch release changes little), then
# bench/docs_storage.py compares the raw trees, one archive per release (zip, .tar.zst) and
# content-addressed files (what the registry stores). Prints a Markdown table.
# With a registry binary as $1 it also starts that binary on a scratch data directory,
# publishes each version, uploads its docs with `registry docs upload`, and reports what the
# docs store holds on disk.
#   bench/docs_storage.sh [build/registry]   # VERSIONS=5, CRATE_DIR=/path/to/crate
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
registry_bin=${1:+$(realpath "$1")}
versions=${VERSIONS:-20}
[ "$versions" -ge 1 ] && [ "$versions" -le 100 ] || { echo "VERSIONS: 1 to 100" >&2; exit 2; }
crate_dir=${CRATE_DIR:-$(ls -d /usr/share/cargo/registry/memchr-2.* 2>/dev/null | sort -V | tail -1)}
[ -f "$crate_dir/Cargo.toml" ] || { echo "no crate: apt install librust-memchr-dev, or set CRATE_DIR" >&2; exit 2; }
for tool in cargo python3 tar zstd; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cp -r "$crate_dir" "$work/crate"
rm -f "$work/crate/.cargo-checksum.json"
# Dev-dependencies are not needed for docs and may not be in the offline source.
python3 - "$work/crate/Cargo.toml" <<'PY'
import re, sys
p = sys.argv[1]
text = open(p).read()
text = re.sub(r"(?ms)^\[dev-dependencies[^\]]*\]\n.*?(?=^\[|\Z)", "", text)
open(p, "w").write(text)
PY
# Optional dependencies still take part in resolution: Debian's directory of crates serves
# them, offline.
mkdir -p "$work/cargo-home"
cat >"$work/cargo-home/config.toml" <<TOML
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "/usr/share/cargo/registry"
[net]
offline = true
TOML
name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$work/crate/Cargo.toml" | head -1)
base_vers=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\)\..*"/\1/p' "$work/crate/Cargo.toml" | head -1)
cp "$work/crate/src/lib.rs" "$work/lib.rs.orig"
echo "building $versions versions of $name $base_vers.x docs in $work" >&2
for i in $(seq 1 "$versions"); do
  vers="$base_vers.$i"
  sed -i "0,/^version = \".*\"/s//version = \"$vers\"/" "$work/crate/Cargo.toml"
  # One more line of crate docs per release, first in the crate's doc block.
  { head -n 1 "$work/lib.rs.orig"; echo "Patch release $vers."; echo;
    tail -n +2 "$work/lib.rs.orig"; } >"$work/crate/src/lib.rs"
  rm -rf "$work/target/doc"
  (cd "$work/crate" && CARGO_HOME="$work/cargo-home" RUSTDOCFLAGS="--cap-lints allow" \
     timeout 600 cargo doc --no-deps --offline --quiet --target-dir "$work/target") \
    2>"$work/cargo.log" || { tail -n 30 "$work/cargo.log" >&2; exit 1; }
  [ -f "$work/target/doc/${name//-/_}/index.html" ] || { echo "cargo doc made no index" >&2; exit 1; }
  cp -r "$work/target/doc" "$work/tree-$(printf %03d "$i")"
done
timeout 1800 python3 "$here/docs_storage.py" "$work"/tree-*

[ -n "$registry_bin" ] || exit 0
# The same trees through the real server: publish each version, upload its docs.
"$registry_bin" serve --data "$work/data" --listen 127.0.0.1:0 --quiet \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's/^registry .* serving .* on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/server.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start" >&2; cat "$work/server.err" >&2; exit 1; }
token=$(sed -n '2p' "$work/server.out" | tr -d ' ')
base="http://127.0.0.1:$port"
upload_secs=0
for i in $(seq 1 "$versions"); do
  vers="$base_vers.$i"
  python3 "$here/../tests/e2e/make_crate.py" body "$name" "$vers" |
    curl -sf --max-time 60 -X PUT -H "Authorization: $token" --data-binary @- \
      "$base/api/v1/crates/new" >/dev/null || { echo "publishing $name $vers failed" >&2; exit 1; }
  start=$(date +%s.%N)
  CARGO_REGISTRIES_PRIVATE_TOKEN=$token timeout 300 "$registry_bin" docs upload --url "$base" \
    "$name" "$vers" "$work/tree-$(printf %03d "$i")" >/dev/null 2>>"$work/upload.log" ||
    { cat "$work/upload.log" >&2; exit 1; }
  upload_secs=$(python3 -c "print($upload_secs + $(date +%s.%N) - $start)")
done
echo
echo "through \`registry docs upload\` ($versions uploads, $(python3 -c "print(f'{$upload_secs:.1f}')") s in all):"
echo "last upload: $(tail -n 1 "$work/upload.log")"
echo "docs store: $(find "$work/data/docs" -type f | wc -l) files," \
  "$(find "$work/data/docs" -type f -printf '%s\n' | awk '{s += $1} END {print s}') bytes;" \
  "$(du -s --block-size=1 "$work/data/docs" | cut -f1) on disk with its directories"
