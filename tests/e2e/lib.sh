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
# ADMIN_TOKEN (the token printed on first start). Waits at most 30 s for /health.
start_server() {
  "$REGISTRY_BIN" --data "$DATA" --listen 127.0.0.1:0 "$@" >"$WORK/server.out" 2>"$WORK/server.err" &
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
  BASE="http://127.0.0.1:$PORT"
  local first
  first=$(sed -n '2p' "$WORK/server.out" | tr -d ' ')
  if [[ "$first" == crg_* ]]; then ADMIN_TOKEN=$first; fi
  for i in $(seq 1 100); do
    curl -sf "$BASE/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "server not healthy"; exit 1
}

stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""; fi
}

# new_user NAME [--admin] -> prints a fresh token for that user.
new_user() {
  "$REGISTRY_BIN" user add --data "$DATA" "$@" 2>/dev/null
  "$REGISTRY_BIN" token create --data "$DATA" --user "$1"
}

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
