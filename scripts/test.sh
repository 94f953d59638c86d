#!/usr/bin/env bash
# Sets up, builds and runs every test. First the release build, the static executable that
# ships, with the end-to-end tests and its amd64 tarball and .deb (installed and purged here);
# then the sanitizer build (clang, ASan + UBSan) with the unit tests, the same end-to-end tests
# and every fuzz target for a bounded time (FUZZ_SECONDS each, default 10). Beside them, the
# arm64 and armhf release executables and unit tests, cross-built, with the unit tests and the
# end-to-end cargo and command-line tests under qemu-user (scripts/release.sh,
# release_test.sh; logs in build-arm/). The amd64 unit tests run in the sanitizer build only:
# there they also catch memory errors, and the release build is spared compiling them.
# --sanitize: only the sanitizer part. SANITIZE=0 skips it (then the unit tests run in the
# release build); FUZZ_SECONDS=0 skips the fuzzers; ARM=0 skips the ARM part; ARM_UNIT=armhf
# runs the unit tests of armhf only (arm64 then gets the end-to-end tests alone). Each step
# prints its time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/release_lib.sh
timed "setup" scripts/setup.sh --test

# Both builds compile the sources in batches (CMake's unity build): from scratch that takes
# about half the CPU time of one compiler run per file. Incremental builds need not use it.
unity=(-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16)

sanitize=${SANITIZE:-1}
arm=${ARM:-1}
if [ "${1:-}" = "--sanitize" ]; then sanitize=only; arm=0; fi

# Background jobs. The builds get their own process groups (set -m), so a failed step stops them
# and their compilers; the package installation is left to finish (a killed dpkg leaves the
# machine half-installed).
asan_build_pid=""
packages_pid=""
arm_pid=""
stop_background() {
  local p
  for p in "$asan_build_pid" "$arm_pid"; do
    [ -z "$p" ] || kill -- -"$p" 2>/dev/null || true
  done
  [ -z "$packages_pid" ] || wait "$packages_pid" 2>/dev/null || true
}
trap stop_background EXIT

if [ "$arm" = 1 ]; then
  # The cross toolchains, the arm64 and armhf -dev packages, qemu-user-static and the packaging
  # tools: minutes on a fresh machine, mostly download and unpack, so begun at once.
  mkdir -p build-arm
  timed "install cross toolchains, arm64/armhf -dev packages, qemu-user-static, lintian" \
    install_release_packages amd64 arm64 armhf >build-arm/packages.log 2>&1 &
  packages_pid=$!
fi
# wait_packages: waits for that installation (the amd64 packaging and the ARM builds need it).
wait_packages() {
  [ -n "$packages_pid" ] || return 0
  local rc=0
  wait "$packages_pid" || rc=$?
  packages_pid=""
  cat build-arm/packages.log
  [ $rc = 0 ] || { echo "installing the release packages failed" >&2; exit 1; }
}

# arm_proof: the ARM builds, then their tests under qemu-user; arm64's tests run while armhf
# builds. The builds run at the idle priority (SCHED_IDLE, below the sanitizer build's nice
# 19): they take the CPU time the other tests and the sanitizer build leave, since the
# sanitizer build and its tests are the longer path. The tests run at normal priority, as
# their few time bounds (widened for emulation) assume.
# ARM_UNIT lists the architectures whose unit tests are built and run (default both; the
# others get the end-to-end tests only).
arm_unit=${ARM_UNIT-arm64,armhf}
arm_build() {
  local tests=()
  case ",$arm_unit," in *",$1,"*) tests=(--tests) ;; esac
  chrt --idle 0 scripts/release.sh --arch "$1" ${tests[@]+"${tests[@]}"} --no-package \
    >"build-arm/$1-build.log" 2>&1
}
arm_test() {
  local unit=()
  case ",$arm_unit," in *",$1,"*) ;; *) unit=(--no-unit) ;; esac
  scripts/release_test.sh --arch "$1" --no-deb ${unit[@]+"${unit[@]}"} >"build-arm/$1-test.log" 2>&1
}
arm_proof() {
  local rc=0 armhf_build
  arm_build arm64 || return 1
  arm_build armhf &
  armhf_build=$!
  arm_test arm64 || rc=1
  wait "$armhf_build" || return 1
  arm_test armhf || rc=1
  return $rc
}

if [ "$sanitize" != 0 ]; then
  CC=clang CXX=clang++ cmake -S . -B build-asan -DREGISTRY_SANITIZE=ON "${unity[@]}" >/dev/null
  if [ "$sanitize" = 1 ]; then
    # Built beside the release build and its tests at the lowest priority: it takes the time
    # those tests spend waiting (on cargo, timeouts, sleeps) and yields the CPU to them. It stays
    # in this session (with the kernel's autogroup scheduling, a new session would get a fair
    # half of the CPU whatever its nice value) but gets its own process group (set -m), so a
    # failed release test stops it too.
    set -m
    timed "sanitizer build (background, nice 19)" \
      nice -n 19 cmake --build build-asan -j"$(nproc)" >build-asan/build.log 2>&1 &
    asan_build_pid=$!
    set +m
  fi
fi

if [ "$sanitize" != only ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${unity[@]}" >/dev/null
  if [ "$sanitize" = 0 ]; then
    timed "release build" cmake --build build -j"$(nproc)"
  else
    timed "release build" cmake --build build -j"$(nproc)" --target registry
  fi
fi

if [ "$arm" = 1 ]; then
  wait_packages
  set -m
  timed "ARM builds and tests under qemu-user (background)" arm_proof >build-arm/arm.log 2>&1 &
  arm_pid=$!
  set +m
fi

if [ "$sanitize" != only ]; then
  if [ "$sanitize" = 0 ]; then
    timed "release tests" ctest --test-dir build --output-on-failure --timeout 900
  else
    timed "release end-to-end tests" \
      ctest --test-dir build --output-on-failure --timeout 900 --exclude-regex '^unit$'
  fi
  # The amd64 release from that same executable: tarball and .deb (checked by lintian), then
  # the .deb installed, served, upgraded, removed and purged on this machine (as root only:
  # it runs dpkg; it refuses to touch a machine that already has a registry package or user).
  wait_packages
  timed "amd64 release package" scripts/release.sh --arch amd64
  if [ "$(id -u)" = 0 ]; then
    timed "amd64 .deb test" \
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
    grep '^## ' build-asan/build.log
  fi
  timed "sanitizer build" cmake --build build-asan -j"$(nproc)"
  # Leaks are not checked in the tests: the static caches (scrypt's dummy hash, web assets) live
  # until exit. The fuzzers check them (scripts/fuzz.sh).
  ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1" \
    timed "sanitizer tests" ctest --test-dir build-asan --output-on-failure --timeout 1800
  if [ "${FUZZ_SECONDS:-10}" != 0 ]; then
    timed "fuzz targets" scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
  fi
fi

if [ -n "$arm_pid" ]; then
  rc=0
  start=$(date +%s)
  wait "$arm_pid" || rc=$?
  arm_pid=""
  echo "## waiting for the ARM part: $(($(date +%s) - start)) s"
  for a in arm64 armhf; do
    [ ! -f "build-arm/$a-build.log" ] || grep '^## ' "build-arm/$a-build.log" || true
    [ ! -f "build-arm/$a-test.log" ] || cat "build-arm/$a-test.log"
  done
  cat build-arm/arm.log
  if [ $rc != 0 ]; then
    for a in arm64 armhf; do
      if [ -f "build-arm/$a-build.log" ] && grep -q '^## .*FAILED' "build-arm/$a-build.log"; then
        tail -n 60 "build-arm/$a-build.log"
      fi
    done
    echo "the ARM part failed; its logs: build-arm/" >&2
    exit 1
  fi
fi
