#!/usr/bin/env bash
# Sets up, builds and runs every test: doctest unit tests and end-to-end tests with real cargo,
# then every fuzz target for a bounded time (FUZZ_SECONDS each, default 15; 0 skips them).
# --sanitize: the same tests on an ASan + UBSan build in build-asan/ instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
if [ "${1:-}" = "--sanitize" ]; then
  # Leaks are not checked: the static caches (scrypt's dummy hash, web assets) live until exit.
  export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREGISTRY_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$(nproc)"
  ctest --test-dir build-asan --output-on-failure --timeout 1800
  exit 0
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure --timeout 900
if [ "${FUZZ_SECONDS:-15}" != 0 ]; then
  scripts/fuzz.sh "${FUZZ_SECONDS:-15}"
fi
