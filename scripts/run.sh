#!/usr/bin/env bash
# Sets up, builds and runs the registry on ./data (extra arguments go to `registry serve`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target registry
exec build/registry --data ./data "$@"
