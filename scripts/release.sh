#!/usr/bin/env bash
# Builds the release: the fully static executable for each architecture (cross-compiled with
# Debian 12's toolchains), and in dist/ a tarball and a .deb per architecture and SHA256SUMS.
# Usage: scripts/release.sh [--arch amd64,arm64,armhf] [--tests] [--no-package]
#   --tests  also builds each architecture's unit test binary (for scripts/release_test.sh).
#   --no-package  builds only: nothing is written to dist/ (scripts/test.sh's ARM proof).
# Build trees: build-release-ARCH/ (amd64: build/, as scripts/test.sh). Each step prints how
# long it took. RELEASE_UNITY=0 compiles one file at a time (for incremental rebuilds).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/release_lib.sh

arches=amd64,arm64,armhf
tests=0
package=1
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arches=${2:?--arch needs a list, e.g. amd64,arm64}; shift 2 ;;
    --tests) tests=1; shift ;;
    --no-package) package=0; shift ;;
    *) echo "usage: scripts/release.sh [--arch amd64,arm64,armhf] [--tests] [--no-package]" >&2
       exit 2 ;;
  esac
done
IFS=, read -r -a ARCHES <<<"$arches"
for a in "${ARCHES[@]}"; do triple_of "$a" >/dev/null || { echo "unknown arch: $a" >&2; exit 2; }; done

VERSION=$(head -n1 VERSION)
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+~][0-9A-Za-z.+~-]+)?$ ]] ||
  { echo "VERSION is not a version: [$VERSION]" >&2; exit 1; }

timed "setup (host packages, cpp-httplib source)" scripts/setup.sh
timed "install cross toolchains and ${arches} -dev packages" install_release_packages "${ARCHES[@]}"

[ "$package" = 0 ] || mkdir -p dist
for arch in "${ARCHES[@]}"; do
  # amd64 is the host: its build is scripts/test.sh's build/ (same options), so after the
  # tests only packaging is left.
  dir=build-release-$arch
  [ "$arch" = amd64 ] && dir=build
  config=(-DCMAKE_BUILD_TYPE=Release)
  [ "$arch" = amd64 ] || config+=(-DCMAKE_TOOLCHAIN_FILE=scripts/toolchain-$arch.cmake)
  # A unity build compiles the sources in batches: about half the time of one file at a time.
  [ "${RELEASE_UNITY:-1}" = 0 ] || config+=(-DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16)
  targets=(--target registry)
  [ "$tests" = 0 ] || targets+=(--target registry_tests)
  timed "configure $arch" cmake -S . -B "$dir" "${config[@]}" >/dev/null
  timed "build $arch" cmake --build "$dir" -j"$(nproc)" "${targets[@]}"
  if [ "$package" = 1 ]; then
    timed "package $arch" package_arch "$arch" "$VERSION" "$dir/registry"
  fi
done
[ "$package" = 1 ] || exit 0

# SHA256SUMS covers this version's artifacts in dist/, of this run and earlier ones (other arches).
(cd dist && rm -f SHA256SUMS &&
  sha256sum "registry-$VERSION-linux-"*.tar.gz "registry_${VERSION}_"*.deb >SHA256SUMS)
echo "dist/:"
(cd dist && ls -l)
