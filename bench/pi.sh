#!/usr/bin/env bash
# Footprint on a Raspberry Pi's budget: RSS of the cross-built binary (under qemu-user) idle and
# while serving a generated registry of --versions versions (bench/scale_db.py) under wrk load on
# index files and search; the same for the host's native binary beside it, and qemu-user's own
# RSS for a command that does nothing (what the emulator adds). Prints one Markdown table.
#
#   bench/pi.sh [--arch arm64|armhf] [--binary B] [--native B] [--versions 10000]
#               [--duration 15] [--connections 8]
#
# Defaults: build-release-ARCH/registry (scripts/release.sh) and build/registry as the native
# one (skipped when missing). Every server listens on 127.0.0.1 and is stopped on exit.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ARCH=arm64
BIN=""
NATIVE=$ROOT/build/registry
VERSIONS=10000
DURATION=15
CONNS=8
while [ $# -gt 0 ]; do
  case $1 in
    --arch) ARCH=$2; shift ;;
    --binary) BIN=$2; shift ;;
    --native) NATIVE=$2; shift ;;
    --versions) VERSIONS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
  esac
  shift
done
case $ARCH in arm64) QEMU=qemu-aarch64-static ;; armhf) QEMU=qemu-arm-static ;;
  *) echo "--arch arm64 or armhf" >&2; exit 2 ;; esac
BIN=${BIN:-$ROOT/build-release-$ARCH/registry}
[ -x "$BIN" ] || { echo "no $BIN: run scripts/release.sh --arch $ARCH first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/registry-pi.XXXXXX")
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "# $*" >&2; }
kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# start RUNNER... : starts `RUNNER... serve` on $DATA at a free loopback port; sets PID, PORT and,
# on a first start, TOKEN. Waits at most 60 s (emulated start-up is slower).
start() {
  local out=$WORK/out.$RANDOM
  "$@" --data "$DATA" --listen 127.0.0.1:0 --quiet >"$out" 2>"$out.err" &
  PID=$!
  PIDS+=("$PID")
  PORT=""
  for _ in $(seq 1 600); do
    PORT=$(sed -n 's/^registry .* serving .* on 127.0.0.1:\([0-9]*\)$/\1/p' "$out")
    [ -n "$PORT" ] && break
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$PORT" ] || { echo "the registry did not start:" >&2; cat "$out" "$out.err" >&2; exit 1; }
  local first
  first=$(sed -n '2p' "$out" | tr -d ' ')
  if [[ "$first" == crg_* ]]; then TOKEN=$first; fi
  for _ in $(seq 1 300); do curl -sf --max-time 1 "http://127.0.0.1:$PORT/health" >/dev/null && return 0; sleep 0.1; done
  echo "no /health answer" >&2; exit 1
}
stop() { kill "$PID"; wait "$PID" || true; }

# The registry: created by the binary under test, then filled directly in SQLite.
DATA=$WORK/data
start "$QEMU" "$BIN"
stop
log "generating $VERSIONS versions"
timeout 600 python3 "$HERE/scale_db.py" "$DATA" "$WORK/lists" --versions "$VERSIONS" >&2
crates=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from crates").fetchone()[0])' "$DATA/registry.db")

# measure NAME RUNNER...: idle RSS 2 s after start, then wrk on index files and search at once
# for $DURATION s; peak RSS (VmHWM) at the end. Appends a table row.
ROWS=()
measure() {
  local name=$1; shift
  start "$@"
  sleep 2
  local idle
  idle=$(kb "$PID" VmRSS)
  local url=http://127.0.0.1:$PORT w1 w2
  timeout $((DURATION + 30)) wrk -t2 -c"$CONNS" -d"$DURATION"s --timeout 10s -H "Authorization: $TOKEN" \
    -H "Accept-Encoding: deflate, gzip" -s "$HERE/wrk_paths.lua" "$url" -- \
    "$WORK/lists/scale_index_paths.txt" >"$WORK/wrk-index" &
  w1=$!
  timeout $((DURATION + 30)) wrk -t1 -c"$CONNS" -d"$DURATION"s --timeout 10s -H "Authorization: $TOKEN" \
    -s "$HERE/wrk_paths.lua" "$url" -- "$WORK/lists/scale_search_paths.txt" >"$WORK/wrk-search" &
  w2=$!
  wait $w1 $w2
  local peak rps_i rps_s bad now jit
  peak=$(kb "$PID" VmHWM)
  now=$(kb "$PID" VmRSS)
  # Under qemu-user, RSS also holds the emulator: its translated code (anonymous rwx mappings)
  # and its own executable's pages. What is left is the guest's memory, as on a board.
  jit=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { x = ($2 ~ /x/ && $6 == ""); q = ($6 ~ /qemu/) }
             /^Rss:/ { if (x || q) s += $2 } END { print s + 0 }' "/proc/$PID/smaps")
  rps_i=$(grep '^RESULT' "$WORK/wrk-index" | tr ' ' '\n' | awk -F= '$1=="requests"{r=$2} $1=="duration_us"{d=$2} END{printf "%.0f", r/(d/1e6)}')
  rps_s=$(grep '^RESULT' "$WORK/wrk-search" | tr ' ' '\n' | awk -F= '$1=="requests"{r=$2} $1=="duration_us"{d=$2} END{printf "%.0f", r/(d/1e6)}')
  bad=$(cat "$WORK/wrk-index" "$WORK/wrk-search" | grep '^RESULT' | tr ' ' '\n' \
    | awk -F= '$1=="non2xx"||$1=="timeouts"||$1=="connect_errors"||$1=="read_errors"{s+=$2} END{print s+0}')
  stop
  log "$name: idle $idle kB, peak $peak kB, $rps_i index req/s, $rps_s search req/s, $bad failed"
  [ "$bad" = 0 ] || { echo "$name: $bad requests failed under load" >&2; exit 1; }
  ROWS+=("| $name | $(mib "$idle") | $(mib "$peak") | $(mib "$now") | $(mib "$jit") | $(mib $((now - jit))) | $rps_i | $rps_s |")
}

measure "$ARCH under $QEMU" "$QEMU" "$BIN"
if [ -x "$NATIVE" ]; then measure "native $(uname -m)" "$NATIVE"; fi
# What qemu-user itself holds: its peak RSS running `--version` of the same binary.
overhead=$(/usr/bin/time -f %M "$QEMU" "$BIN" --version 2>&1 >/dev/null | tail -1)

echo "RSS with a generated registry of $VERSIONS versions ($crates crates); load: wrk, $CONNS connections on index files and $CONNS on search at once, ${DURATION} s."
echo
echo "| binary | idle RSS (MiB) | peak RSS under load (MiB) | RSS at the end of the load | of it, qemu's translated code and image | the rest: the registry's own | index req/s | search req/s |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "qemu-user's own peak RSS for \`registry --version\`: $(mib "$overhead") MiB."
