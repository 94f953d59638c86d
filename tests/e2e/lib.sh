# Shared helpers for end-to-end tests: start the real binary on a free loopback port,
# create users and tokens, assert, clean up. Source it; $REGISTRY_BIN is the binary.
set -euo pipefail

REGISTRY_BIN=${REGISTRY_BIN:-${1:?usage: $0 path/to/registry}}
REGISTRY_BIN=$(realpath "$REGISTRY_BIN")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/registry-e2e.XXXXXX")
DATA="$WORK/data"
SERVER_PID=""
FAILURES=0

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# start_server [extra args...]: starts on 127.0.0.1 with an OS-chosen port; sets BASE, PORT,
# ADMIN_TOKEN (the token printed on first start). Waits at most 30 s for /health. With
# `--tls-cert FILE` among the arguments, BASE is https:// and FILE is the CA curl trusts.
# REGISTRY_WRAP (e.g. "chroot ROOT") is put before the binary when set.
start_server() {
  local scheme=http cacert="" prev=""
  for arg in "$@"; do
    if [ "$prev" = --tls-cert ]; then scheme=https; cacert=$arg; fi
    prev=$arg
  done
  # Removed first: the loop below could otherwise read the previous server's banner before the
  # new process has truncated the file, and then find no port in it.
  rm -f "$WORK/server.out" "$WORK/server.err"
  ${REGISTRY_WRAP:-} "$REGISTRY_BIN" --data "$DATA" --listen 127.0.0.1:0 "$@" \
    >"$WORK/server.out" 2>"$WORK/server.err" &
  SERVER_PID=$!
  local i
  for i in $(seq 1 300); do
    if grep -q "^registry .* serving .* on 127.0.0.1:" "$WORK/server.out" 2>/dev/null; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  PORT=$(sed -n 's/^registry .* serving .* on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/server.out")
  [ -n "$PORT" ] || {
    echo "server did not start ($( kill -0 "$SERVER_PID" 2>/dev/null && echo still running || echo exited))"
    cat "$WORK/server.out" "$WORK/server.err"; exit 1; }
  BASE="$scheme://127.0.0.1:$PORT"
  local first
  first=$(sed -n '2p' "$WORK/server.out" | tr -d ' ')
  if [[ "$first" == crg_* ]]; then ADMIN_TOKEN=$first; fi
  for i in $(seq 1 100); do
    curl -sf ${cacert:+--cacert "$cacert"} "$BASE/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "server not healthy"; exit 1
}

# free_port: a TCP port nothing listens on right now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""; fi
}

# new_user NAME [--admin] -> prints a fresh token for that user.
new_user() {
  "$REGISTRY_BIN" user add --data "$DATA" "$@" 2>/dev/null
  "$REGISTRY_BIN" token create --data "$DATA" --user "$1"
}

# --- cargo ------------------------------------------------------------------------------------

# write_cargo_config DIR: a cargo home in DIR whose registry `private` is this server ($BASE),
# with cargo's token credential provider and no retries.
write_cargo_config() {
  mkdir -p "$1"
  cat >"$1/config.toml" <<EOF
[registries.private]
index = "sparse+$BASE/index/"
credential-provider = "cargo:token"

[registry]
global-credential-providers = ["cargo:token"]

[net]
retry = 0
EOF
}

# app_crate DIR DEPENDENCIES MAIN_RS: a binary crate `app` that is never published, with
# DEPENDENCIES as the lines of its [dependencies] table and MAIN_RS as src/main.rs.
app_crate() {
  mkdir -p "$1/src"
  cat >"$1/Cargo.toml" <<EOF
[package]
name = "app"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$2
EOF
  printf '%s\n' "$3" >"$1/src/main.rs"
}

# use_private_cargo TOKEN: exports a private CARGO_HOME under $WORK (nothing from the user's
# ~/.cargo leaks in, and crates.io is never asked) set up by write_cargo_config, with TOKEN as
# the registry's token.
use_private_cargo() {
  export CARGO_HOME="$WORK/cargo-home"
  export CARGO_TARGET_DIR="$WORK/target"
  export CARGO_TERM_COLOR=never
  export CARGO_TERM_PROGRESS_WHEN=never
  export CARGO_HTTP_TIMEOUT=30
  export CARGO_REGISTRIES_PRIVATE_TOKEN="$1"
  unset CARGO_REGISTRY_TOKEN CARGO_BUILD_TARGET RUSTC_WRAPPER RUSTFLAGS 2>/dev/null || true
  write_cargo_config "$CARGO_HOME"
}

# cargo_in DIR ARGS...: runs cargo in DIR (bounded), sets OUT (stdout+stderr) and RC.
# VERBOSE=1 echoes each command and its output.
cargo_in() {
  local dir=$1; shift
  set +e
  OUT=$(cd "$dir" && timeout 180 cargo "$@" 2>&1)
  RC=$?
  set -e
  if [ "${VERBOSE:-0}" = 1 ]; then
    echo "    \$ (in ${dir#"$WORK"/}) cargo $* -> $RC"
    printf '%s\n' "$OUT" | sed 's/^/    | /'
  fi
}

# check_ok / check_failed DESCRIPTION: the last cargo_in succeeded / failed (printing cargo's
# output when it did not do as expected).
check_ok() { if [ "$RC" = 0 ]; then pass "$1"; else fail "$1: cargo exited $RC:"$'\n'"$OUT"; fi; }
check_failed() { if [ "$RC" != 0 ]; then pass "$1"; else fail "$1: cargo succeeded:"$'\n'"$OUT"; fi; }

# --- checks -----------------------------------------------------------------------------------

pass() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; FAILURES=$((FAILURES + 1)); }

# check DESCRIPTION EXPECTED ACTUAL
check_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}
# check_contains DESCRIPTION NEEDLE HAYSTACK
check_contains() {
  if [[ "$3" == *"$2"* ]]; then pass "$1"; else fail "$1: [$2] not in [$3]"; fi
}

finish() {
  if [ "$FAILURES" -gt 0 ]; then
    echo "$FAILURES check(s) failed"; echo "--- server stderr (tail)"; tail -20 "$WORK/server.err" || true
    exit 1
  fi
  echo "all checks passed"
}
