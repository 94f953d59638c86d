#!/usr/bin/env bash
# Installs everything the registry needs to build and test, from Debian 12 packages,
# and fetches cpp-httplib's Debian source package (built statically by CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

BUILD_PACKAGES=(
  build-essential cmake pkg-config python3 dpkg-dev file ca-certificates
  libsqlite3-dev libssl-dev zlib1g-dev libzstd-dev nlohmann-json3-dev doctest-dev
  libarchive-dev liblzma-dev libbz2-dev nettle-dev libtomlplusplus-dev libcmark-gfm-dev
  libcmark-gfm-extensions-dev
  libboost1.81-dev libnghttp2-dev libjs-highlight.js libc-ares-dev
)
# The browser test drives Debian's chromium with playwright-core, an npm package; the TLS test
# makes its certificate with the openssl command; the mirror test serves a stand-in crates.io
# with nginx, made from crate sources Debian ships; the transport test speaks HTTP/2 with curl
# and nghttp2's tools; the import test makes a Kellnr-shaped database with the sqlite3 shell.
TEST_PACKAGES=(curl git jq chromium openssl nghttp2-client nginx-light librust-itoa-dev
  librust-ryu-dev librust-memchr-dev sqlite3)
# scripts/fuzz.sh builds the libFuzzer targets with clang and its sanitizer runtimes.
TEST_PACKAGES+=(clang libfuzzer-14-dev libclang-rt-14-dev)
if [ "${1:-}" = "--test" ]; then
  BUILD_PACKAGES+=("${TEST_PACKAGES[@]}")
  # A Node.js installed otherwise (NodeSource's bundles npm and conflicts with Debian's npm
  # package) is used as it is.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    BUILD_PACKAGES+=(nodejs npm)
  fi
fi

missing=()
for p in "${BUILD_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# A deb-src entry mirroring the machine's own deb entries, so `apt-get source` works.
ensure_deb_src() {
  if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 1
  fi
  local out=/etc/apt/sources.list.d/registry-deb-src.sources
  local tmp
  tmp=$(mktemp)
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    sed -E 's/^Types:.*/Types: deb-src/' "$f" >>"$tmp"
    echo >>"$tmp"
  done
  if [ -f /etc/apt/sources.list ]; then
    grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
      >/tmp/registry-deb-src.list || true
    [ -s /tmp/registry-deb-src.list ] && $SUDO cp /tmp/registry-deb-src.list \
      /etc/apt/sources.list.d/registry-deb-src.list
  fi
  [ -s "$tmp" ] && $SUDO cp "$tmp" "$out"
  rm -f "$tmp"
  return 0
}

need_update=0
ensure_deb_src && need_update=1
if [ ${#missing[@]} -gt 0 ] || [ $need_update = 1 ]; then
  $SUDO apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# cpp-httplib from Debian's source package (no static library ships in the binary package).
mkdir -p third_party
if ! ls -d third_party/cpp-httplib-*/ >/dev/null 2>&1; then
  (cd third_party && apt-get source -qq cpp-httplib >/dev/null)
fi
ls -d third_party/cpp-httplib-*/ >/dev/null
if [ "${1:-}" = "--test" ]; then
  # playwright-core only: it drives /usr/bin/chromium and never downloads a browser.
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
if [ "${1:-}" = "--test" ] && ! command -v cargo >/dev/null; then
  echo "warning: cargo is not on the PATH; the end-to-end tests need cargo 1.95" >&2
fi
