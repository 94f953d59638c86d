#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ in the sanitizer build (clang, ASan + UBSan,
# build-asan/, shared with scripts/test.sh) and runs each for SECONDS (default 30) from its seed
# corpus in tests/fuzz/corpus/NAME/. Fails on any crash, leak, sanitizer report or timeout; the
# input that caused it is kept in build-asan/fuzz/findings/.
# Usage: scripts/fuzz.sh [SECONDS] [NAME...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi
CC=clang CXX=clang++ cmake -S . -B build-asan -DREGISTRY_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$(nproc)" --target "${targets[@]}"

mkdir -p build-asan/fuzz/findings build-asan/fuzz/logs
failed=()
for name in "${targets[@]}"; do
  corpus="tests/fuzz/corpus/${name%_fuzz}"
  # New inputs go to a scratch corpus: the seeds in the repository stay as committed.
  work="build-asan/fuzz/corpus/${name%_fuzz}"
  mkdir -p "$work"
  seeds=()
  [ -d "$corpus" ] && seeds+=("$corpus")
  log="build-asan/fuzz/logs/$name.log"
  echo "== $name: ${seconds}s"
  if ! "build-asan/$name" "$work" "${seeds[@]}" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="build-asan/fuzz/findings/$name-" >"$log" 2>&1; then
    failed+=("$name")
    tail -n 40 "$log"
  fi
  # The last status line: executions, coverage, corpus.
  grep -E '^#[0-9]+' "$log" | tail -n 1 || true
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" || true
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failures in ${failed[*]}; inputs in build-asan/fuzz/findings/" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a finding"
