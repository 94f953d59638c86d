#!/usr/bin/env bash
# Does zstd pay for stored .crate files? A .crate is a gzip'd tar of source text and its
# checksum covers the gzip bytes, so the registry could only compress the .gz as it is.
# This packs source-like trees from /usr/include the way cargo does (tar, gzip -9) and
# compares zstd of the .crate with the .crate itself, and with zstd of the plain tar (what
# recompressing the contents would give, which the checksum rules out). Prints a table.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf "%-22s %10s %10s %10s %10s\n" tree ".crate" "zstd -3" "zstd -19" "tar.zst"
for dir in nlohmann openssl c++/12/bits sqlite3.h zstd.h archive.h; do
  src="/usr/include/$dir"
  [ -e "$src" ] || continue
  tar -C "$(dirname "$src")" -cf "$work/t.tar" "$(basename "$src")"
  gzip -9 -n -c "$work/t.tar" >"$work/t.crate"
  z3=$(zstd -q -3 -c "$work/t.crate" | wc -c)
  z19=$(zstd -q -19 -c "$work/t.crate" | wc -c)
  tz=$(zstd -q -19 -c "$work/t.tar" | wc -c)
  printf "%-22s %10d %10d %10d %10d\n" "$dir" "$(wc -c <"$work/t.crate")" "$z3" "$z19" "$tz"
done
