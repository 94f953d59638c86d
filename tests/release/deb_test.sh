#!/usr/bin/env bash
# The Debian package on this machine: install it, run the unit's ExecStart line as the `registry`
# user (as systemd would, without systemd), publish to it with cargo and build against it, then
# remove (data kept) and purge (data gone). The machine is left as it was found: the test refuses
# to start when a registry package, user or /var/lib/registry is already there.
# Usage (as root): bash tests/release/deb_test.sh dist/registry_VERSION_amd64.deb
HERE=$(cd "$(dirname "$0")" && pwd)
[ -f "${1:-}" ] || { echo "usage: $0 dist/registry_VERSION_amd64.deb"; exit 2; }
DEB=$(realpath "$1")
[ "$(id -u)" = 0 ] || { echo "deb_test needs root (dpkg -i)"; exit 1; }
if dpkg-query -W registry >/dev/null 2>&1 || getent passwd registry >/dev/null \
    || [ -e /var/lib/registry ] || [ -e /etc/default/registry ]; then
  echo "a registry package, user or data directory is already here: not touching it"; exit 1
fi
# lib.sh sets up $WORK, the checks and the cargo helpers; the binary is the installed one.
source "$HERE/../e2e/lib.sh" /usr/bin/registry

dpkg_out=$(dpkg -i "$DEB" 2>&1) && rc=0 || rc=$?
# From here on the machine is changed: undo whatever is left, whatever fails.
restore_machine() {
  cleanup
  dpkg --purge registry >/dev/null 2>&1 || true
  if getent passwd registry >/dev/null; then deluser --quiet --system registry >/dev/null 2>&1 || true; fi
  if getent group registry >/dev/null; then delgroup --quiet --system registry >/dev/null 2>&1 || true; fi
  rm -rf /var/lib/registry
}
trap restore_machine EXIT
check_eq "dpkg -i exits 0" 0 "$rc"
[ "$rc" = 0 ] || echo "$dpkg_out"
check_eq "/usr/bin/registry --version is the package's version" \
  "registry $(dpkg-deb -f "$DEB" Version)" "$(/usr/bin/registry --version | cut -d' ' -f1-2)"
check_eq "the registry system user exists, with no login shell" "/usr/sbin/nologin" \
  "$(getent passwd registry | cut -d: -f7)"
check_eq "/var/lib/registry is registry's, mode 0750" "registry registry 750" \
  "$(stat -c '%U %G %a' /var/lib/registry)"
check_eq "/etc/default/registry is a conffile" "/etc/default/registry" \
  "$(dpkg-query -W -f='${Conffiles}' registry | awk '{print $1}')"
UNIT=/lib/systemd/system/registry.service
check_contains "the unit runs as registry" $'\nUser=registry\n' "$(cat "$UNIT")"
check_contains "the unit reads /etc/default/registry" "EnvironmentFile=-/etc/default/registry" \
  "$(cat "$UNIT")"

# The unit's command line with its options from /etc/default/registry, as systemd expands it,
# except the address: loopback and a free port instead of 0.0.0.0:8000.
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
# shellcheck disable=SC1091
REGISTRY_OPTS=$(. /etc/default/registry && echo "$REGISTRY_OPTS")
PORT=$(free_port)
opts=${REGISTRY_OPTS/--listen 0.0.0.0:8000/--listen 127.0.0.1:$PORT}
check_contains "the default options listen on :8000" "--listen 0.0.0.0:8000" "$REGISTRY_OPTS"
cmdline=${exec_start/\$REGISTRY_OPTS/$opts}
echo "# as registry (umask 0077): $cmdline"
# shellcheck disable=SC2086
(umask 0077 && exec runuser -u registry -- $cmdline) >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.1; done
check_eq "the server answers /health" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health")"
ADMIN_TOKEN=$(grep -m1 -o 'crg_[0-9a-f]\{64\}' "$WORK/server.out" || true)
check_contains "first start printed the admin token" "crg_" "$ADMIN_TOKEN"
check_contains "first start printed the admin password" "password" "$(cat "$WORK/server.out")"
check_eq "the database belongs to registry, mode 0600" "registry 600" \
  "$(stat -c '%U %a' /var/lib/registry/registry.db)"

use_private_cargo "$ADMIN_TOKEN"
mkdir -p "$WORK/lib/src"
cat >"$WORK/lib/Cargo.toml" <<'EOF'
[package]
name = "deb-lib"
version = "0.1.0"
edition = "2021"
description = "published to the packaged registry"
license = "MIT"
EOF
echo 'pub fn answer() -> u32 { 42 }' >"$WORK/lib/src/lib.rs"
cargo_in "$WORK/lib" publish --registry private --allow-dirty
check_ok "cargo publish to the packaged registry"
app_crate "$WORK/app" 'deb-lib = { version = "0.1", registry = "private" }' \
  'fn main() { println!("{}", deb_lib::answer()); }'
cargo_in "$WORK/app" run --quiet
check_ok "cargo run of a consumer"
check_eq "the consumer ran the published code" 42 "$OUT"
stop_server

# An upgrade (here: the same package again) runs postinst configure with the old version and
# keeps the data and the user.
uid=$(id -u registry)
dpkg -i "$DEB" >/dev/null 2>&1 && rc=0 || rc=$?
check_eq "dpkg -i over the installed package (upgrade) exits 0" 0 "$rc"
check_eq "the upgrade kept the registry user" "$uid" "$(id -u registry)"
check_eq "the upgrade kept the database" yes \
  "$([ -f /var/lib/registry/registry.db ] && echo yes || echo no)"
check_eq "the upgraded package opens the published crate" "deb-lib" \
  "$(runuser -u registry -- /usr/bin/registry audit --data /var/lib/registry 2>/dev/null \
     | grep -o -m1 'deb-lib' || true)"

dpkg -r registry >/dev/null 2>&1 && rc=0 || rc=$?
check_eq "dpkg -r exits 0" 0 "$rc"
check_eq "remove took the binary" no "$([ -e /usr/bin/registry ] && echo yes || echo no)"
check_eq "remove kept the data" yes "$([ -f /var/lib/registry/registry.db ] && echo yes || echo no)"
check_eq "remove kept /etc/default/registry (a conffile)" yes \
  "$([ -f /etc/default/registry ] && echo yes || echo no)"
dpkg --purge registry >/dev/null 2>&1 && rc=0 || rc=$?
check_eq "dpkg --purge exits 0" 0 "$rc"
check_eq "purge removed /var/lib/registry" no "$([ -e /var/lib/registry ] && echo yes || echo no)"
check_eq "purge removed /etc/default/registry" no "$([ -e /etc/default/registry ] && echo yes || echo no)"
finish
