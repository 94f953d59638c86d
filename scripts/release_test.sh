#!/usr/bin/env bash
# Proves the release: for each foreign architecture, its cross-built unit tests and the
# end-to-end cargo and command-line tests under qemu-user (host cargo and curl driving the
# emulated registry over 127.0.0.1); and the amd64 .deb installed, served and removed on this
# machine (tests/release/deb_test.sh). Each step is bounded in time and prints how long it took.
# Usage: scripts/release_test.sh [--arch arm64,armhf] [--deb|--no-deb] [--no-unit]
#   --arch "": no architecture; --no-unit: the end-to-end tests only (no registry_tests built).
#   Needs what scripts/release.sh --arch ARCH --tests built (build-release-ARCH/) and, for
#   --deb (the default when amd64 was packaged), dist/registry_VERSION_amd64.deb. Root for --deb.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/release_lib.sh

arches=arm64,armhf
deb=auto
unit=1
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arches=$2; shift 2 ;;
    --deb) deb=1; shift ;;
    --no-deb) deb=0; shift ;;
    --no-unit) unit=0; shift ;;
    *) echo "usage: scripts/release_test.sh [--arch arm64,armhf] [--deb|--no-deb] [--no-unit]" >&2; exit 2 ;;
  esac
done
ARCHES=()
[ -z "$arches" ] || IFS=, read -r -a ARCHES <<<"$arches"
VERSION=$(head -n1 VERSION)
DEB=dist/registry_${VERSION}_amd64.deb
[ "$deb" != auto ] || { [ -f "$DEB" ] && deb=1 || deb=0; }

# unit_tests QEMU TESTS: the unit tests under qemu-user, in two processes at once (the halves
# of one shuffled order, so each gets a share of the slow cases), as qemu emulates one thread
# on one core. Emulated, every thread runs several times slower: the few time bounds are
# widened (REGISTRY_TEST_EMULATED).
unit_tests() {
  local qemu=$1 tests=$2 count half rc=0 pids=() logs=() range
  count=$("$qemu" "$tests" --count | sed -n 's/.*passing the current filters: \([0-9]*\).*/\1/p')
  [ -n "$count" ] || { echo "$tests --count printed no count" >&2; return 1; }
  half=$(((count + 1) / 2))
  for range in "--first=1 --last=$half" "--first=$((half + 1)) --last=$count"; do
    logs+=("$wrap_dir/unit-${#logs[@]}.log")
    # shellcheck disable=SC2086  # two options
    REGISTRY_TEST_EMULATED=1 timeout 1800 "$qemu" "$tests" --order-by=rand --rand-seed=1 \
      $range >"${logs[-1]}" 2>&1 &
    pids+=($!)
  done
  for i in 0 1; do
    wait "${pids[$i]}" || rc=1
    cat "${logs[$i]}"
  done
  echo "unit tests: $count cases in two halves, $([ $rc = 0 ] && echo all passed || echo FAILED)"
  return $rc
}

wrap_dir=$(mktemp -d)
trap 'rm -rf "$wrap_dir"' EXIT
failed=()

for arch in ${ARCHES[@]+"${ARCHES[@]}"}; do
  qemu=$(qemu_of "$arch")
  [ -n "$qemu" ] || { echo "$arch runs natively: its tests are scripts/test.sh's" >&2; exit 2; }
  dir=build-release-$arch
  bins=(registry)
  [ "$unit" = 0 ] || bins+=(registry_tests)
  for f in "${bins[@]}"; do
    [ -x "$dir/$f" ] || { echo "no $dir/$f: run scripts/release.sh --arch $arch --tests" >&2; exit 1; }
  done
  file "$dir/registry" | grep -q 'statically linked' || { echo "$dir/registry is not static" >&2; exit 1; }
  # The e2e tests take the binary as their argument; this one runs it under qemu-user.
  wrapper=$wrap_dir/registry-$arch
  printf '#!/bin/sh\nexec %s %s "$@"\n' "$qemu" "$(realpath "$dir/registry")" >"$wrapper"
  chmod +x "$wrapper"
  timed "$arch: registry --version under $qemu" "$wrapper" --version || failed+=("$arch version")
  if [ "$unit" = 1 ]; then
    timed "$arch: unit tests under $qemu" unit_tests "$qemu" "$dir/registry_tests" ||
      failed+=("$arch unit")
  fi
  for t in cargo cli; do
    timed "$arch: tests/e2e/${t}_test.sh under $qemu" \
      timeout 1200 bash "tests/e2e/${t}_test.sh" "$wrapper" || failed+=("$arch e2e $t")
  done
done

if [ "$deb" = 1 ]; then
  timed "amd64 .deb: install, serve, publish, upgrade, remove, purge" \
    timeout 600 bash tests/release/deb_test.sh "$DEB" || failed+=("deb")
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "release tests passed"
