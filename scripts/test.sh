#!/usr/bin/env bash
# Sets up, builds and runs every test: doctest unit tests and end-to-end tests with real cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure --timeout 900
