#!/usr/bin/env bash
# Sets up, builds and runs every test. First the release build, the static executable that
# ships, with the end-to-end tests and its amd64 tarball and .deb (installed and purged here);
# then the sanitizer build (clang, ASan + UBSan) with the unit tests, the same end-to-end tests
# and every fuzz target for a bounded time (FUZZ_SECONDS each, default 10). The unit tests run in the sanitizer build only: there they also catch memory
# errors, and the release build is spared compiling them.
# --sanitize: only the sanitizer part. SANITIZE=0 skips it (then the unit tests run in the
# release build); FUZZ_SECONDS=0 skips the fuzzers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

# Both builds compile the sources in batches (CMake's unity build): from scratch that takes
# about half the CPU time of one compiler run per file. Incremental builds need not use it.
unity=(-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16)

sanitize=${SANITIZE:-1}
if [ "${1:-}" = "--sanitize" ]; then sanitize=only; fi

asan_build_pid=""
if [ "$sanitize" != 0 ]; then
  CC=clang CXX=clang++ cmake -S . -B build-asan -DREGISTRY_SANITIZE=ON "${unity[@]}" >/dev/null
  if [ "$sanitize" = 1 ]; then
    # Built beside the release build and its tests at the lowest priority: it takes the time
    # those tests spend waiting (on cargo, timeouts, sleeps) and yields the CPU to them. It stays
    # in this session (with the kernel's autogroup scheduling, a new session would get a fair
    # half of the CPU whatever its nice value) but gets its own process group (set -m), so a
    # failed release test stops it too.
    set -m
    nice -n 19 cmake --build build-asan -j"$(nproc)" >build-asan/build.log 2>&1 &
    asan_build_pid=$!
    set +m
    trap '[ -z "$asan_build_pid" ] || kill -- -"$asan_build_pid" 2>/dev/null || true' EXIT
  fi
fi

if [ "$sanitize" != only ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${unity[@]}" >/dev/null
  if [ "$sanitize" = 0 ]; then
    cmake --build build -j"$(nproc)"
    ctest --test-dir build --output-on-failure --timeout 900
  else
    cmake --build build -j"$(nproc)" --target registry
    ctest --test-dir build --output-on-failure --timeout 900 --exclude-regex '^unit$'
  fi
  # The amd64 release from that same executable: tarball and .deb (checked by lintian), then
  # the .deb installed, served, upgraded, removed and purged on this machine (as root only:
  # it runs dpkg; it refuses to touch a machine that already has a registry package or user).
  scripts/release.sh --arch amd64
  if [ "$(id -u)" = 0 ]; then
    timeout 600 bash tests/release/deb_test.sh "dist/registry_$(head -n1 VERSION)_amd64.deb"
  else
    echo "skipped tests/release/deb_test.sh: it needs root (dpkg -i)"
  fi
fi

if [ "$sanitize" != 0 ]; then
  if [ -n "$asan_build_pid" ]; then
    if ! wait "$asan_build_pid"; then
      asan_build_pid=""
      tail -n 60 build-asan/build.log
      echo "the sanitizer build failed; its log: build-asan/build.log" >&2
      exit 1
    fi
    asan_build_pid=""
  fi
  cmake --build build-asan -j"$(nproc)"
  # Leaks are not checked in the tests: the static caches (scrypt's dummy hash, web assets) live
  # until exit. The fuzzers check them (scripts/fuzz.sh).
  ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1" \
    ctest --test-dir build-asan --output-on-failure --timeout 1800
  if [ "${FUZZ_SECONDS:-10}" != 0 ]; then
    scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
  fi
fi
