#!/usr/bin/env bash
# The registry's benchmarks, each against nginx serving the same bytes as plain files, run
# alternately in the same run on this machine; prints one Markdown table (docs/BENCHMARKS.md
# explains the method and the findings).
#
#   bench/run.sh [--binary build/registry] [--parts p1,p2,floor,idle,p3,p3b,p4,p5,p6,p7,p8,p9]
#                [--scale | --scale-versions N] [--import-versions N] [--duration S]
#                [--rounds N] [--cargo-runs N]
#                [--slow-runs N] [--out FILE] [--keep]
#
#   p1    index files: wrk at 1, 8 and 64 connections over every index file of a registry
#         of 1,301 crates (3,601 versions); requests/s and p99
#   p2    downloads of a 1 MiB .crate: MB/s at 8 and 64 connections
#   floor p1 and p2 (8 and 64 connections) with httplib alone in the registry's place
#         (bench/httplib_floor.cpp, built with cmake's httplib_floor target when missing)
#   idle  1,000 idle keep-alive connections open: latency of fresh requests
#   p3    `cargo generate-lockfile`, cold cache, for a project whose dependencies make cargo
#         read 300 index files
#   p3b   p3 through a proxy adding 10 ms each way; nginx also over TLS, HTTP/1.1 and HTTP/2
#   p4    durable publishes/s of 10 KiB crates at concurrency 4, p99 per publish
#   p5    stripped binary size, idle RSS, peak RSS during p1 (and p2)
#   p6    a generated registry of --scale-versions versions (default 200,000; --scale:
#         2,000,000): cold start, index and search p99, database size
#   p7    the crates.io mirror: `cargo fetch` of a real crate graph (Debian's crate sources
#         on a stand-in crates.io, nginx behind a +20 ms RTT proxy), cold through the mirror
#         vs cargo direct to that upstream, warm through the mirror vs nginx on loopback
#   p8    `registry import` of a generated local-registry source of --import-versions
#         versions (default 20,000; bench/import_source.py), versions/s; then `registry export`
#         of the result, cold and again (nothing changed)
#   p9    hosted docs: memchr's `cargo doc` uploaded, wrk at 1 and 16 connections over a docs
#         page and the assets a browser loads with it, vs nginx serving the extracted tree;
#         requests/s, p99 and MB/s
#
# Defaults: every part; 3 alternating rounds of 8 s per wrk measurement; 9 cargo runs per
# server (3 over the slow link). Installs wrk and nginx with apt-get when missing (needs root
# or sudo); needs python3, curl, openssl and, for p3/p3b/p7/p9, cargo. Every server listens on
# 127.0.0.1 and is stopped on exit; everything is written under one temp directory (kept with
# --keep). Takes about 10 minutes on 2 cores, p9 about 3 of them (p6 with --scale: about 2
# minutes more, 7 GB).
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BIN=$ROOT/build/registry
PARTS=p1,p2,floor,idle,p3,p3b,p4,p5,p6,p7,p8,p9
SCALE_VERSIONS=200000
IMPORT_VERSIONS=20000
DURATION=8
ROUNDS=3
CARGO_RUNS=9
SLOW_RUNS=3
OUT=""
KEEP=0

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --binary) BIN=$2; shift ;;
    --parts) PARTS=$2; shift ;;
    --scale) SCALE_VERSIONS=2000000 ;;
    --scale-versions) SCALE_VERSIONS=$2; shift ;;
    --import-versions) IMPORT_VERSIONS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --cargo-runs) CARGO_RUNS=$2; shift ;;
    --slow-runs) SLOW_RUNS=$2; shift ;;
    --out) OUT=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) usage ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
  shift
done
BIN=$(realpath "$BIN")
[ -x "$BIN" ] || { echo "no registry binary at $BIN (build it first)" >&2; exit 1; }
want() { [[ ",$PARTS," == *",$1,"* ]]; }
log() { echo "# $*" >&2; }

# ---------------------------------------------------------------- tools
need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]}"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get install -y "${need_apt[@]}" >/dev/null 2>&1 ||
    { $sudo_cmd apt-get update >/dev/null && $sudo_cmd apt-get install -y "${need_apt[@]}" >/dev/null; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in python3 curl openssl wrk; do
  command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
if want p3 || want p3b || want p7 || want p9; then
  command -v cargo >/dev/null || { echo "cargo is needed for p3/p3b/p7/p9" >&2; exit 1; }
fi
# Room for 1,000 idle connections and wrk's sockets.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---------------------------------------------------------------- processes and cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/registry-bench.XXXXXX")
chmod 755 "$WORK"  # nginx's workers may run as another user
RESULTS=$WORK/results.tsv
RAW=$WORK/raw.log
: >"$RESULTS"
: >"$RAW"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stop PID: SIGTERM, at most 10 s for a clean exit, then SIGKILL; cleanup forgets it (so it
# never signals a process that later reuses the number).
stop() {
  local pid kept=()
  for pid in "${PIDS[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  PIDS=("${kept[@]}")
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_http URL [CACERT]: until URL answers (any HTTP status), at most 30 s.
wait_http() {
  for _ in $(seq 1 300); do
    curl -s -o /dev/null ${2:+--cacert "$2"} --max-time 1 "$1" && return 0
    sleep 0.1
  done
  echo "$1 did not answer within 30 s" >&2
  exit 1
}

# start_registry DATA [ARGS...]: starts the registry on 127.0.0.1 with a free port; sets
# REG_PID, REG_PORT and, on a first start, FIRST_TOKEN. Waits at most 30 s.
start_registry() {
  local data=$1; shift
  local out="$WORK/registry-$(date +%s%N).out"
  : >"$out"
  "$BIN" --data "$data" --listen 127.0.0.1:0 "$@" >"$out" 2>>"$WORK/registry-access.log" &
  REG_PID=$!
  PIDS+=("$REG_PID")
  REG_PORT=""
  for _ in $(seq 1 300); do
    REG_PORT=$(sed -n 's/^registry .* serving .* on 127.0.0.1:\([0-9]*\)$/\1/p' "$out" || true)
    [ -n "$REG_PORT" ] && break
    kill -0 "$REG_PID" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$REG_PORT" ] || { echo "the registry did not start:" >&2; cat "$out" >&2; exit 1; }
  local first
  first=$(sed -n '2p' "$out" | tr -d ' ')
  if [[ "$first" == crg_* ]]; then FIRST_TOKEN=$first; fi
  local scheme=http
  [[ " $* " == *" --tls-cert "* ]] && scheme=https
  wait_http "$scheme://127.0.0.1:$REG_PORT/health" "${CERT:-}"
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
rss_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# record PART MEASURE UNIT REGISTRY NGINX GOAL (one row of the table)
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# field NAME LINE: the value of NAME=value in a RESULT line.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

# run_wrk NAME BASE_URL PATHS_FILE CONNECTIONS SECONDS: one wrk measurement, with the token
# and cargo's Accept-Encoding header; prints its RESULT line and logs it to raw.log under NAME.
run_wrk() {
  local line
  local threads=2
  [ "$4" -lt 2 ] && threads=1
  line=$(timeout $(($5 + 30)) wrk -t$threads -c"$4" -d"$5"s --timeout 5s -H "Authorization: $TOKEN" \
    -H "Accept-Encoding: deflate, gzip" \
    -s "$HERE/wrk_paths.lua" "$2" -- "$3" | grep '^RESULT' || true)
  [ -n "$line" ] || { echo "wrk against $1 gave no result" >&2; exit 1; }
  echo "$1 c=$4 $line" >>"$RAW"
  local bad
  bad=$(( $(field non2xx "$line") + $(field timeouts "$line") + $(field connect_errors "$line") + $(field read_errors "$line") ))
  [ "$bad" = 0 ] || log "warning: $1 c=$4: $bad failed requests ($line)"
  echo "$line"
}

# ---------------------------------------------------------------- the benchmark registry
DATA=$WORK/data
TOKEN=""
if want p1 || want p2 || want floor || want idle || want p3 || want p3b || want p4 || want p5; then
  log "populating the benchmark registry"
  start_registry "$DATA"
  TOKEN=$FIRST_TOKEN
  python3 "$HERE/populate.py" "$REG_PORT" "$TOKEN" "$WORK/lists" >&2

  # The same bytes as plain files for nginx.
  WWW=$WORK/www
  python3 "$HERE/export_index.py" "$REG_PORT" "$TOKEN" "$WORK/lists" "$WWW" >&2
  chmod -R a+rX "$WWW"

  # A fresh process, so idle and peak memory are of serving, not of the publishes above.
  # Every benchmark client connects from 127.0.0.1: lift the per-address cap (256) so the
  # 1,000 idle connections are admitted, as nginx admits them.
  stop "$REG_PID"
  start_registry "$DATA" --max-connections-per-address 100000
  sleep 1
  IDLE_RSS_KB=$(rss_kb "$REG_PID" VmRSS)
  log "registry pid $REG_PID on port $REG_PORT, idle RSS $IDLE_RSS_KB kB"

  # nginx: one server per way it is reached, each with its own config.json naming the
  # address its clients use (dl and api; no auth-required).
  CERT=$WORK/tls/cert.pem
  KEY=$WORK/tls/key.pem
  mkdir -p "$WORK/tls" "$WORK/nginx/tmp"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$KEY" -out "$CERT" 2>/dev/null
  chmod a+r "$KEY"
  NGX_PORT=$(free_port)          # direct, plain HTTP/1.1
  NGX_SLOW_PORT=$(free_port)     # plain HTTP/1.1, reached through the delay proxy
  NGX_TLS1_PORT=$(free_port)     # TLS, HTTP/1.1 only, through the proxy
  NGX_TLS2_PORT=$(free_port)     # TLS with HTTP/2, through the proxy
  NGX_FRONT_PORT=$(free_port)    # TLS with HTTP/2 in front of the registry (proxy_pass)
  SLOW_REG=$(free_port); SLOW_NGX=$(free_port); SLOW_REG_TLS=$(free_port)
  SLOW_NGX_TLS1=$(free_port); SLOW_NGX_TLS2=$(free_port); SLOW_FRONT=$(free_port)
  config_json() {
    printf '{"dl":"%s/api/v1/crates","api":"%s"}\n' "$2" "$2" >"$WWW/config-$1.json"
  }
  config_json "$NGX_PORT" "http://127.0.0.1:$NGX_PORT"
  config_json "$NGX_SLOW_PORT" "http://127.0.0.1:$SLOW_NGX"
  config_json "$NGX_TLS1_PORT" "https://127.0.0.1:$SLOW_NGX_TLS1"
  config_json "$NGX_TLS2_PORT" "https://127.0.0.1:$SLOW_NGX_TLS2"
  chmod a+r "$WWW"/config-*.json
  server_block() {  # PORT LISTEN_OPTIONS
    cat <<EOF
  server {
    listen 127.0.0.1:$1$2;
    root $WWW;
    location = /index/config.json { alias $WWW/config-$1.json; default_type application/json; }
  }
EOF
  }
  cat >"$WORK/nginx/nginx.conf" <<EOF
# Written by bench/run.sh: static files on loopback, no privileges needed.
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log $WORK/nginx/access.log;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  default_type application/octet-stream;
  # Index files have .gz siblings with the registry's own gzip bytes, served to clients that
  # accept gzip (cargo does), as the registry serves its stored gzip form.
  gzip_static on;
  gzip_vary on;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 5s;
  keepalive_requests 1000;
  ssl_certificate $CERT;
  ssl_certificate_key $KEY;
$(server_block "$NGX_PORT" "")
$(server_block "$NGX_SLOW_PORT" "")
$(server_block "$NGX_TLS1_PORT" " ssl")
$(server_block "$NGX_TLS2_PORT" " ssl http2")
  # The registry itself behind nginx terminating TLS and HTTP/2.
  upstream registry { server 127.0.0.1:$REG_PORT; keepalive 16; }
  server {
    listen 127.0.0.1:$NGX_FRONT_PORT ssl http2;
    location / {
      proxy_pass http://registry;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
    }
  }
}
EOF
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" \
    >"$WORK/nginx/stdout" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  wait_http "http://127.0.0.1:$NGX_PORT/index/config.json"
  REG_URL=http://127.0.0.1:$REG_PORT
  NGX_URL=http://127.0.0.1:$NGX_PORT
  # Both must serve the same bytes, plain and gzip'd.
  for p in $(shuf -n 20 --random-source=<(yes) "$WORK/lists/index_paths.txt") \
           "$(cat "$WORK/lists/big.txt")"; do
    for enc in identity gzip; do
      cmp -s <(curl -sf -H "Authorization: $TOKEN" -H "Accept-Encoding: $enc" "$REG_URL$p") \
             <(curl -sf -H "Accept-Encoding: $enc" "$NGX_URL$p") ||
        { echo "nginx and the registry differ on $p ($enc)" >&2; exit 1; }
    done
  done
fi

# pair NAME PATHS CONNECTIONS: ROUNDS alternating wrk runs of the registry and nginx (the
# order flips every round), after a 2 s warm-up of each; sets R_RPS N_RPS R_P99 N_P99
# R_MBS N_MBS (medians; latencies in ms, MB = 10^6 bytes).
pair() {
  local name=$1 paths=$2 c=$3 r line
  run_wrk "$name-warmup-registry" "$REG_URL" "$paths" "$c" 2 >/dev/null
  run_wrk "$name-warmup-nginx" "$NGX_URL" "$paths" "$c" 2 >/dev/null
  local rr=() nr=() rp=() np=() rb=() nb=()
  for r in $(seq 1 "$ROUNDS"); do
    local order="registry nginx"
    [ $((r % 2)) = 0 ] && order="nginx registry"
    for who in $order; do
      local url=$REG_URL
      [ "$who" = nginx ] && url=$NGX_URL
      line=$(run_wrk "$name-$who" "$url" "$paths" "$c" "$DURATION")
      local dur req bytes p99
      dur=$(field duration_us "$line"); req=$(field requests "$line")
      bytes=$(field bytes "$line"); p99=$(field p99_us "$line")
      local rps mbs ms
      rps=$(awk -v a="$req" -v d="$dur" 'BEGIN { printf "%.1f", a / (d / 1e6) }')
      mbs=$(awk -v a="$bytes" -v d="$dur" 'BEGIN { printf "%.1f", a / d }')
      ms=$(awk -v a="$p99" 'BEGIN { printf "%.3f", a / 1000 }')
      log "$name c=$c round $r $who: $rps req/s, $mbs MB/s, p99 $ms ms"
      if [ "$who" = registry ]; then rr+=("$rps"); rp+=("$ms"); rb+=("$mbs")
      else nr+=("$rps"); np+=("$ms"); nb+=("$mbs"); fi
    done
  done
  R_RPS=$(printf '%s\n' "${rr[@]}" | median); N_RPS=$(printf '%s\n' "${nr[@]}" | median)
  R_P99=$(printf '%s\n' "${rp[@]}" | median); N_P99=$(printf '%s\n' "${np[@]}" | median)
  R_MBS=$(printf '%s\n' "${rb[@]}" | median); N_MBS=$(printf '%s\n' "${nb[@]}" | median)
}

# ---------------------------------------------------------------- P1 index files
if want p1; then
  log "P1: index files"
  for c in 1 8 64; do
    pair p1 "$WORK/lists/index_paths.txt" "$c"
    goal="ratio>=1.0"  # the registry answers from memory; nginx reads files
    conns="$c connections"
    [ "$c" = 1 ] && conns="1 connection"
    record P1 "index files, $conns" "req/s" "$R_RPS" "$N_RPS" "$goal"
    record P1 "index files, $conns, p99" "ms" "$R_P99" "$N_P99" ""
  done
  PEAK_P1_KB=$(rss_kb "$REG_PID" VmHWM)
fi

# ---------------------------------------------------------------- P2 downloads
if want p2; then
  log "P2: downloads of a $(stat -c %s "$WWW$(cat "$WORK/lists/big.txt")")-byte .crate"
  for c in 8 64; do
    pair p2 "$WORK/lists/big.txt" "$c"
    record P2 "1 MiB .crate downloads, $c connections" "MB/s" "$R_MBS" "$N_MBS" "ratio>=0.9"
    record P2 "1 MiB .crate downloads, $c connections, p99" "ms" "$R_P99" "$N_P99" ""
  done
  PEAK_P2_KB=$(rss_kb "$REG_PID" VmHWM)
fi

# ---------------------------------------------------------------- floor: httplib alone
# The same comparisons with bench/httplib_floor.cpp in the registry's place: httplib as the
# registry builds it, answering from memory with no token, database or log. Shows how much of
# P1's and P2's gap to nginx is httplib's own.
if want floor; then
  log "floor: httplib alone"
  FLOOR_BIN=$(dirname "$BIN")/httplib_floor
  if [ ! -x "$FLOOR_BIN" ]; then
    cmake --build "$(dirname "$BIN")" --target httplib_floor -j2 >/dev/null
  fi
  "$FLOOR_BIN" "$WWW" >"$WORK/floor.out" 2>&1 &
  FLOOR_PID=$!
  PIDS+=("$FLOOR_PID")
  FLOOR_PORT=""
  for _ in $(seq 1 100); do
    FLOOR_PORT=$(sed -n 's/^port //p' "$WORK/floor.out")
    [ -n "$FLOOR_PORT" ] && break
    sleep 0.1
  done
  [ -n "$FLOOR_PORT" ] || { echo "httplib_floor did not start" >&2; cat "$WORK/floor.out" >&2; exit 1; }
  SAVED_REG_URL=$REG_URL
  REG_URL=http://127.0.0.1:$FLOOR_PORT
  cmp -s <(curl -sf -H "Accept-Encoding: gzip" "$REG_URL$(head -1 "$WORK/lists/index_paths.txt")") \
         <(curl -sf -H "Accept-Encoding: gzip" "$NGX_URL$(head -1 "$WORK/lists/index_paths.txt")") ||
    { echo "httplib_floor and nginx differ" >&2; exit 1; }
  for c in 8 64; do
    pair floor-p1 "$WORK/lists/index_paths.txt" "$c"
    record floor "httplib alone: index files, $c connections" "req/s" "$R_RPS" "$N_RPS" ""
  done
  for c in 8 64; do
    pair floor-p2 "$WORK/lists/big.txt" "$c"
    record floor "httplib alone: 1 MiB downloads, $c connections" "MB/s" "$R_MBS" "$N_MBS" ""
  done
  REG_URL=$SAVED_REG_URL
  stop "$FLOOR_PID"
fi

# ---------------------------------------------------------------- idle connections
if want idle; then
  log "idle: 1,000 idle keep-alive connections"
  declare -A IDLE_P50=() IDLE_MAX=() IDLE_CPU=() BURST_S=() BURST_STALLED=() IDLE_NOTE=()
  for who in registry nginx; do
    port=$REG_PORT
    pids=$REG_PID
    if [ $who = nginx ]; then port=$NGX_PORT; pids=$(pgrep -P "$NGINX_PID" | paste -sd,); fi
    line=$(timeout 180 python3 "$HERE/idle_conns.py" "$port" --token "$TOKEN" \
      --path /index/config.json --pids "$pids" | grep '^RESULT' || true)
    [ -n "$line" ] || { echo "idle_conns.py against $who gave no result" >&2; exit 1; }
    echo "idle-$who $line" >>"$RAW"
    log "idle $who: $line"
    IDLE_P50[$who]=$(field probe_p50_ms "$line")
    IDLE_MAX[$who]=$(field probe_max_ms "$line")
    IDLE_CPU[$who]=$(field hold_cpu_pct "$line")
    IDLE_NOTE[$who]="$(field answered "$line") answered, $(field probe_failed "$line") probes failed, $(field closed_by_server "$line") closed"
    line=$(timeout 180 python3 "$HERE/idle_conns.py" "$port" --burst | grep '^RESULT' || true)
    [ -n "$line" ] || { echo "idle_conns.py --burst against $who gave no result" >&2; exit 1; }
    echo "burst-$who $line" >>"$RAW"
    log "burst $who: $line"
    BURST_S[$who]=$(field burst_s "$line")
    BURST_STALLED[$who]=$(field stalled "$line")
  done
  record idle "fresh requests (new connection each) while 1,000 idle connections open, median (registry: ${IDLE_NOTE[registry]})" "ms" \
    "${IDLE_P50[registry]}" "${IDLE_P50[nginx]}" ""
  record idle "the same, slowest" "ms" "${IDLE_MAX[registry]}" "${IDLE_MAX[nginx]}" "<100"
  record idle "CPU used while holding them (% of one core)" "%" "${IDLE_CPU[registry]}" "${IDLE_CPU[nginx]}" "<5"
  record idle "1,000 connects in a burst (connects over 0.5 s: ${BURST_STALLED[registry]} vs ${BURST_STALLED[nginx]})" "s" \
    "${BURST_S[registry]}" "${BURST_S[nginx]}" ""
fi

# ---------------------------------------------------------------- P3 and P3b: real cargo
# A project depending on the top layer of the 300-crate graph.
PROJECT=$WORK/project
if want p3 || want p3b; then
  mkdir -p "$PROJECT/src"
  {
    printf '[package]\nname = "bench-app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
    while read -r name; do printf '%s = { version = "0.1", registry = "bench" }\n' "$name"; done \
      <"$WORK/lists/top.txt"
  } >"$PROJECT/Cargo.toml"
  : >"$PROJECT/src/lib.rs"
fi

# lockfile NAME INDEX_URL [TOKEN]: one cold `cargo generate-lockfile` (fresh CARGO_HOME);
# prints its seconds. Checks that the lock file names all 300 graph crates.
lockfile() {
  local home
  home=$(mktemp -d "$WORK/cargo-home.XXXXXX")
  cat >"$home/config.toml" <<EOF
[registries.bench]
index = "sparse+$2"
credential-provider = "cargo:token"

[net]
retry = 0
EOF
  rm -f "$PROJECT/Cargo.lock"
  local t0 t1 rc=0
  t0=$EPOCHREALTIME
  (cd "$PROJECT" && env CARGO_HOME="$home" CARGO_REGISTRIES_BENCH_TOKEN="${3:-}" \
     CARGO_TERM_PROGRESS_WHEN=never CARGO_HTTP_TIMEOUT=30 CARGO_HTTP_CAINFO="$CERT" \
     timeout 300 cargo generate-lockfile >"$home/out" 2>&1) || rc=$?
  t1=$EPOCHREALTIME
  local locked
  locked=$(grep -c '^name = "g[0-9]*-[0-9]*"' "$PROJECT/Cargo.lock" 2>/dev/null || true)
  if [ "$rc" != 0 ] || [ "$locked" != 300 ]; then
    echo "cargo generate-lockfile against $1 failed (exit $rc, $locked graph crates locked):" >&2
    cat "$home/out" >&2
    exit 1
  fi
  rm -rf "$home"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

if want p3; then
  log "P3: cargo generate-lockfile, 300 index files, cold cache"
  lockfile warmup-registry "$REG_URL/index/" "$TOKEN" >/dev/null
  lockfile warmup-nginx "$NGX_URL/index/" >/dev/null
  rt=(); nt=()
  for r in $(seq 1 "$CARGO_RUNS"); do
    order="registry nginx"
    [ $((r % 2)) = 0 ] && order="nginx registry"
    for who in $order; do
      if [ $who = registry ]; then s=$(lockfile registry "$REG_URL/index/" "$TOKEN"); rt+=("$s")
      else s=$(lockfile nginx "$NGX_URL/index/"); nt+=("$s"); fi
      echo "p3-$who run $r seconds=$s" >>"$RAW"
      log "p3 run $r $who: $s s"
    done
  done
  record P3 "cargo generate-lockfile, 300 crates, cold, median of $CARGO_RUNS" "s" \
    "$(printf '%s\n' "${rt[@]}" | median)" "$(printf '%s\n' "${nt[@]}" | median)" "ratio<=1.1"
fi

if want p3b; then
  log "P3b: the same through a proxy adding 10 ms each way"
  # A second server on the same data directory, speaking TLS.
  MAIN_REG_PID=$REG_PID
  start_registry "$DATA" --tls-cert "$CERT" --tls-key "$KEY" --max-connections-per-address 100000
  REG_TLS_PORT=$REG_PORT
  REG_PORT=${REG_URL##*:}
  proxy() {  # LISTEN UPSTREAM
    python3 -u "$HERE/delay_proxy.py" "$1" "$2" --delay-ms 10 --count-file "$WORK/conns-$1" \
      >"$WORK/proxy-$1.out" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 1 100); do grep -q listening "$WORK/proxy-$1.out" 2>/dev/null && return 0; sleep 0.1; done
    echo "the delay proxy on $1 did not start" >&2; exit 1
  }
  proxy "$SLOW_REG" "$REG_PORT"
  proxy "$SLOW_NGX" "$NGX_SLOW_PORT"
  proxy "$SLOW_REG_TLS" "$REG_TLS_PORT"
  proxy "$SLOW_NGX_TLS1" "$NGX_TLS1_PORT"
  proxy "$SLOW_NGX_TLS2" "$NGX_TLS2_PORT"
  # Cargo speaks HTTP/2 to the registry both ways: h2c (Upgrade) over http://, h2 by ALPN
  # over https://. nginx serves the same files over HTTP/1.1 and over TLS with HTTP/1.1 or h2.
  declare -A SLOW_URL=(
    [registry-h2c]="http://127.0.0.1:$SLOW_REG/index/"
    [nginx-h1]="http://127.0.0.1:$SLOW_NGX/index/"
    [registry-tls-h2]="https://127.0.0.1:$SLOW_REG_TLS/index/"
    [nginx-tls-h1]="https://127.0.0.1:$SLOW_NGX_TLS1/index/"
    [nginx-tls-h2]="https://127.0.0.1:$SLOW_NGX_TLS2/index/"
  )
  declare -A SLOW_PORT=(
    [registry-h2c]=$SLOW_REG [nginx-h1]=$SLOW_NGX [registry-tls-h2]=$SLOW_REG_TLS
    [nginx-tls-h1]=$SLOW_NGX_TLS1 [nginx-tls-h2]=$SLOW_NGX_TLS2
  )
  CONFIGS=(registry-h2c nginx-h1 registry-tls-h2 nginx-tls-h1 nginx-tls-h2)
  declare -A SLOW_TIMES=() SLOW_CONNS=()
  for r in $(seq 1 "$SLOW_RUNS"); do
    # Rotate the order each round.
    for i in $(seq 0 $((${#CONFIGS[@]} - 1))); do
      who=${CONFIGS[$(((i + r) % ${#CONFIGS[@]}))]}
      tok=""
      [[ $who == registry* ]] && tok=$TOKEN
      before=$(cat "$WORK/conns-${SLOW_PORT[$who]}" 2>/dev/null || echo 0)
      s=$(lockfile "$who" "${SLOW_URL[$who]}" "$tok")
      after=$(cat "$WORK/conns-${SLOW_PORT[$who]}")
      SLOW_TIMES[$who]+="$s "
      SLOW_CONNS[$who]=$((after - before))
      echo "p3b-$who run $r seconds=$s connections=$((after - before))" >>"$RAW"
      log "p3b run $r $who: $s s, $((after - before)) TCP connections"
    done
  done
  slow_median() { tr ' ' '\n' <<<"${SLOW_TIMES[$1]}" | grep . | median; }
  record P3b "+20 ms RTT, registry h2c (http://) vs nginx TLS HTTP/2, ${SLOW_CONNS[registry-h2c]} vs ${SLOW_CONNS[nginx-tls-h2]} connections" "s" \
    "$(slow_median registry-h2c)" "$(slow_median nginx-tls-h2)" "ratio<=1.1"
  record P3b "+20 ms RTT, registry TLS h2 vs nginx TLS HTTP/2, ${SLOW_CONNS[registry-tls-h2]} vs ${SLOW_CONNS[nginx-tls-h2]} connections" "s" \
    "$(slow_median registry-tls-h2)" "$(slow_median nginx-tls-h2)" "ratio<=1.1"
  record P3b "+20 ms RTT, nginx HTTP/1.1 and TLS HTTP/1.1, for reference" "s" \
    "$(slow_median nginx-h1)" "$(slow_median nginx-tls-h1)" ""
  # h2load (Debian's nghttp2-client): index files over TLS h2, 8 connections of 16 streams.
  if command -v h2load >/dev/null; then
    head -200 "$WORK/lists/index_paths.txt" >"$WORK/h2load-paths.txt"
    for who in registry nginx; do
      port=$REG_TLS_PORT
      [ $who = nginx ] && port=$NGX_TLS2_PORT
      urls=$(sed "s#^#https://127.0.0.1:$port#" "$WORK/h2load-paths.txt" | head -50)
      line=$(h2load -n 40000 -c 8 -m 16 -t 2 -H "Authorization: $TOKEN" $urls 2>&1 |
        sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p')
      echo "h2load-$who req_per_s=$line" >>"$RAW"
      eval "H2LOAD_$who=\$line"
    done
    record P3b "h2load, TLS h2, 8 connections x 16 streams, index files" "req/s" \
      "${H2LOAD_registry:-}" "${H2LOAD_nginx:-}" "ratio>=1.0"
  fi
  REG_PID=$MAIN_REG_PID
fi

# ---------------------------------------------------------------- P4 publishes
if want p4; then
  log "P4: durable publishes, concurrency 4, 10 KiB crates"
  line=$(timeout 300 python3 "$HERE/publish_load.py" "$REG_PORT" "$TOKEN" --concurrency 4 \
    --count 2000 --kib 10 --fsync-dir "$DATA/tmp" | grep '^RESULT')
  echo "p4 $line" >>"$RAW"
  log "p4: $line"
  record P4 "durable publishes of 10 KiB crates, concurrency 4" "/s" "$(field rate "$line")" "" ">=100"
  record P4 "publish p99 (median p50 $(field p50_ms "$line") ms; this disk's write+fsync: $(field fsync_ms "$line") ms)" "ms" \
    "$(field p99_ms "$line")" "" "<100"
fi

# ---------------------------------------------------------------- P5 footprint
if want p5; then
  strip -o "$WORK/registry.stripped" "$BIN"
  size=$(stat -c %s "$WORK/registry.stripped")
  record P5 "stripped binary ($size bytes)" "MiB" "$(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1048576 }')" "" "<=12"
  record P5 "idle RSS after start (1,301 crates)" "MiB" "$(mib "$IDLE_RSS_KB")" "" "<=10"
  if [ -n "${PEAK_P1_KB:-}" ]; then
    record P5 "peak RSS during P1" "MiB" "$(mib "$PEAK_P1_KB")" "" "<=32"
  fi
  if [ -n "${PEAK_P2_KB:-}" ]; then
    record P5 "peak RSS during P1 and P2 (1 MiB downloads, 64 connections)" "MiB" \
      "$(mib "$PEAK_P2_KB")" "" ""
  fi
fi

# ---------------------------------------------------------------- P6 scale
if want p6; then
  log "P6: a generated registry of $SCALE_VERSIONS versions"
  SDATA=$WORK/scale
  start_registry "$SDATA"
  TOKEN=$FIRST_TOKEN
  stop "$REG_PID"
  timeout 3600 python3 "$HERE/scale_db.py" "$SDATA" "$WORK/lists" --versions "$SCALE_VERSIONS" >&2
  db_bytes=$(du -cb "$SDATA"/registry.db* | tail -1 | cut -f1)
  crates=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from crates").fetchone()[0])' "$SDATA/registry.db")
  # Cold: the page cache dropped first (when allowed), then exec -> first /health 200. Then
  # the database is read into the page cache, as on a server that has been up a while, for
  # the warm start and the load measurements.
  start_times=()
  for cold in 1 0; do
    note=warm
    if [ $cold = 1 ]; then
      if sync && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then note="cold page cache"
      else note="warm (could not drop the page cache)"; fi
    fi
    t0=$EPOCHREALTIME
    start_registry "$SDATA"
    t1=$EPOCHREALTIME
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    start_times+=("$s")
    log "p6 start ($note): $s s"
    echo "p6-start $note seconds=$s" >>"$RAW"
    if [ $cold = 1 ]; then
      COLD_NOTE=$note
      stop "$REG_PID"
      cat "$SDATA"/registry.db* >/dev/null
    fi
  done
  SURL=http://127.0.0.1:$REG_PORT
  # p6_wrk NAME PATHS CONNECTIONS: sets P99 (ms) and RPS.
  p6_wrk() {
    run_wrk "$1-warmup" "$SURL" "$2" "$3" 3 >/dev/null
    local line
    line=$(run_wrk "$1" "$SURL" "$2" "$3" "$DURATION")
    P99=$(awk -v a="$(field p99_us "$line")" 'BEGIN { printf "%.3f", a / 1000 }')
    RPS=$(awk -v a="$(field requests "$line")" -v d="$(field duration_us "$line")" 'BEGIN { printf "%.0f", a / (d / 1e6) }')
    log "p6 $1, $3 connections: $RPS req/s, p99 $P99 ms"
  }
  label="$SCALE_VERSIONS versions, $crates crates"
  record P6 "$label: start to first answer ($COLD_NOTE)" "s" "${start_times[0]}" "" "<=1"
  record P6 "$label: start to first answer (warm)" "s" "${start_times[1]}" "" "<=1"
  p6_wrk p6-index "$WORK/lists/scale_index_paths.txt" 8
  record P6 "$label: index file p99, 8 connections ($RPS req/s)" "ms" "$P99" "" "<=5"
  for c in 1 8; do
    p6_wrk p6-search "$WORK/lists/scale_search_paths.txt" "$c"
    conns="$c connections"
    [ "$c" = 1 ] && conns="1 connection"
    record P6 "$label: search p99, $conns ($RPS req/s)" "ms" "$P99" "" "<=20"
  done
  record P6 "$label: database size" "MiB" "$(mib $((db_bytes / 1024)))" "" ""
  record P6 "$label: peak RSS" "MiB" "$(mib "$(rss_kb "$REG_PID" VmHWM)")" "" ""
fi

# ---------------------------------------------------------------- P7 the crates.io mirror
# A real crate graph (Debian's crate sources packaged with cargo, tests/e2e/stand_in.sh) on a
# stand-in crates.io: nginx behind the delay proxy (+20 ms RTT). Cold: `cargo fetch` with a
# fresh CARGO_HOME through a mirror with an empty cache vs cargo straight to that upstream.
# Warm: through the mirror once it has everything vs cargo straight to nginx on loopback.
if want p7; then
  log "P7: cargo fetch of a real crate graph through the mirror"
  P7=$WORK/p7
  UP=$P7/upstream STAND_IN_WORK=$P7
  source "$ROOT/tests/e2e/stand_in.sh"
  P7_GRAPH=()
  for c in itoa-1.0.1 ryu-1.0.2 memchr-2.5.0 libc-0.2.139; do
    [ -d "$DEBIAN_CRATES/$c" ] || { echo "p7 needs $DEBIAN_CRATES/$c (apt-get install librust-${c%-*}-dev)" >&2; exit 1; }
    debian_crate "$c"
    publish_upstream "$P7/pkg/$c" >&2
    P7_GRAPH+=("${c%-*}")
  done
  P7_NGX=$(free_port); P7_SLOW=$(free_port)
  stand_in_nginx "$P7/nginx" "$P7_NGX"
  "$NGINX" -p "$P7/nginx" -c "$P7/nginx/nginx.conf" -g 'daemon off;' 2>>"$P7/nginx/logs/stderr" &
  PIDS+=("$!")
  python3 -u "$HERE/delay_proxy.py" "$P7_SLOW" "$P7_NGX" --delay-ms 10 >"$P7/proxy.out" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 100); do grep -q listening "$P7/proxy.out" 2>/dev/null && break; sleep 0.1; done
  # index/: downloads through the slow link. fast/index/: the same files, downloads straight
  # from nginx, for the warm comparison.
  stand_in_config "http://127.0.0.1:$P7_SLOW"
  mkdir -p "$UP/fast/index"
  cp -r "$UP/index/." "$UP/fast/index/"
  printf '{"dl":"http://127.0.0.1:%s/crates/{crate}/{crate}-{version}.crate"}\n' "$P7_NGX" \
    >"$UP/fast/index/config.json"
  chmod -R a+rX "$P7"
  wait_http "http://127.0.0.1:$P7_SLOW/index/config.json"
  P7_APP=$P7/app
  mkdir -p "$P7_APP/src"
  { printf '[package]\nname = "p7-app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
    for n in "${P7_GRAPH[@]}"; do printf '%s = "*"\n' "$n"; done; } >"$P7_APP/Cargo.toml"
  : >"$P7_APP/src/lib.rs"

  # p7_fetch CONFIG_TOML [TOKEN]: one `cargo fetch` (lock file and downloads) with a fresh
  # CARGO_HOME holding CONFIG_TOML; prints its seconds. Checks every graph crate was fetched.
  p7_fetch() {
    local home
    home=$(mktemp -d "$P7/cargo-home.XXXXXX")
    printf '%s\n[net]\nretry = 0\n' "$1" >"$home/config.toml"
    rm -f "$P7_APP/Cargo.lock"
    local t0 t1 rc=0
    t0=$EPOCHREALTIME
    (cd "$P7_APP" && env CARGO_HOME="$home" CARGO_REGISTRIES_P7_TOKEN="${2:-}" \
       CARGO_REGISTRIES_P7_CRATES_IO_TOKEN="${2:-}" CARGO_TERM_PROGRESS_WHEN=never \
       CARGO_HTTP_TIMEOUT=30 timeout 300 cargo fetch >"$home/out" 2>&1) || rc=$?
    t1=$EPOCHREALTIME
    local got
    got=$(find "$home/registry/cache" -name '*.crate' 2>/dev/null | wc -l)
    if [ "$rc" != 0 ] || [ "$got" != "${#P7_GRAPH[@]}" ]; then
      echo "p7: cargo fetch failed (exit $rc, $got of ${#P7_GRAPH[@]} crates):" >&2
      cat "$home/out" >&2
      exit 1
    fi
    rm -rf "$home"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
  }
  direct_config() {  # INDEX_URL: crates.io replaced by the stand-in itself
    printf '[source.crates-io]\nreplace-with = "up"\n[source.up]\nregistry = "sparse+%s"\n' "$1"
  }
  mirror_config() {  # BASE: the config the server prints, registry name p7
    printf '[registries.p7]\nindex = "sparse+%s/index/"\ncredential-provider = "cargo:token"\n' "$1"
    printf '[registries.p7-crates-io]\nindex = "sparse+%s/crates-io/index/"\ncredential-provider = "cargo:token"\n' "$1"
    printf '[source.crates-io]\nreplace-with = "p7-crates-io"\n'
  }
  cold=(); direct=(); warm=(); fast=()
  for r in $(seq 1 "$CARGO_RUNS"); do
    # A mirror with an empty cache per cold run; the same one, filled, for the warm run.
    start_registry "$P7/data-$r" --quiet --registry-name p7 --upstream "http://127.0.0.1:$P7_SLOW/index/"
    tok=$FIRST_TOKEN
    base="http://127.0.0.1:$REG_PORT"
    order="mirror direct"
    [ $((r % 2)) = 0 ] && order="direct mirror"
    for who in $order; do
      if [ $who = mirror ]; then s=$(p7_fetch "$(mirror_config "$base")" "$tok"); cold+=("$s")
      else s=$(p7_fetch "$(direct_config "http://127.0.0.1:$P7_SLOW/index/")"); direct+=("$s"); fi
      echo "p7-cold-$who run $r seconds=$s" >>"$RAW"
      log "p7 cold run $r $who: $s s"
    done
    order="mirror nginx"
    [ $((r % 2)) = 0 ] && order="nginx mirror"
    for who in $order; do
      if [ $who = mirror ]; then s=$(p7_fetch "$(mirror_config "$base")" "$tok"); warm+=("$s")
      else s=$(p7_fetch "$(direct_config "http://127.0.0.1:$P7_NGX/fast/index/")"); fast+=("$s"); fi
      echo "p7-warm-$who run $r seconds=$s" >>"$RAW"
      log "p7 warm run $r $who: $s s"
    done
    stop "$REG_PID"
  done
  record P7 "cargo fetch, ${#P7_GRAPH[@]} crates, cold: mirror (upstream +20 ms RTT) vs cargo direct to that upstream, median of $CARGO_RUNS" "s" \
    "$(printf '%s\n' "${cold[@]}" | median)" "$(printf '%s\n' "${direct[@]}" | median)" "ratio<=1.2"
  record P7 "cargo fetch, ${#P7_GRAPH[@]} crates, warm: mirror (all cached) vs nginx serving the same files, median of $CARGO_RUNS" "s" \
    "$(printf '%s\n' "${warm[@]}" | median)" "$(printf '%s\n' "${fast[@]}" | median)" "ratio<=1.1"
fi

# ---------------------------------------------------------------- P8 import and export
if want p8; then
  log "P8: import of $IMPORT_VERSIONS generated versions, then export"
  SRC=$WORK/import-source
  python3 "$HERE/import_source.py" "$SRC" --versions "$IMPORT_VERSIONS" >&2
  IDATA=$WORK/import-data
  "$BIN" user add --data "$IDATA" admin --admin >/dev/null 2>&1
  # seconds_of CMD...: runs CMD (output to raw.log), prints its wall time in seconds.
  seconds_of() {
    local t0=$EPOCHREALTIME
    "$@" >>"$RAW" 2>&1 || { echo "failed: $*" >&2; tail -5 "$RAW" >&2; exit 1; }
    awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
  }
  s=$(seconds_of timeout 3600 "$BIN" import --data "$IDATA" "$SRC")
  rate=$(awk -v n="$IMPORT_VERSIONS" -v s="$s" 'BEGIN { printf "%.0f", n / s }')
  log "p8 import: $s s, $rate versions/s"
  record P8 "import of $IMPORT_VERSIONS versions (local registry, $s s)" "versions/s" "$rate" "" ">=2000"
  s=$(seconds_of timeout 3600 "$BIN" import --data "$IDATA" "$SRC")
  rate=$(awk -v n="$IMPORT_VERSIONS" -v s="$s" 'BEGIN { printf "%.0f", n / s }')
  record P8 "the same import again (all skipped, $s s)" "versions/s" "$rate" "" ""
  s=$(seconds_of timeout 3600 "$BIN" export --data "$IDATA" "$WORK/export" --base-url http://127.0.0.1/x)
  rate=$(awk -v n="$IMPORT_VERSIONS" -v s="$s" 'BEGIN { printf "%.0f", n / s }')
  log "p8 export: $s s"
  record P8 "export of the $IMPORT_VERSIONS versions ($s s)" "versions/s" "$rate" "" ""
  s=$(seconds_of timeout 3600 "$BIN" export --data "$IDATA" "$WORK/export" --base-url http://127.0.0.1/x)
  record P8 "export again, nothing changed" "s" "$s" "" ""
fi

# ---------------------------------------------------------------- P9 hosted docs
# memchr 2.5.0's `cargo doc` (Debian's sources, built offline) uploaded to a registry of its
# own, and the same extracted target/doc tree as plain files from nginx at the same paths
# (/docs/memchr/2.5.0/...). wrk walks a docs page and the assets a browser loads with it,
# sending the token and Accept-Encoding: gzip to both. The registry sends its stored gzip form
# of text files; nginx, as configured by default (gzip off), sends every file as it is. For
# reference, a second nginx server sends the registry's own gzip bytes (gzip_static).
if want p9; then
  log "P9: hosted docs, a docs page and its assets"
  P9=$WORK/p9
  UP=$P9/upstream STAND_IN_WORK=$P9
  source "$ROOT/tests/e2e/stand_in.sh"
  [ -d "$DEBIAN_CRATES/memchr-2.5.0" ] || { echo "p9 needs $DEBIAN_CRATES/memchr-2.5.0 (apt-get install librust-memchr-dev)" >&2; exit 1; }
  debian_crate memchr-2.5.0 "$P9/memchr"
  (cd "$P9/memchr" && CARGO_HOME="$PKG_HOME" CARGO_TARGET_DIR="$P9/memchr/target" \
     timeout 300 cargo doc --no-deps --offline --quiet 2>"$P9/cargo-doc.err") ||
    { echo "p9: cargo doc failed:" >&2; cat "$P9/cargo-doc.err" >&2; exit 1; }
  DOC=$P9/memchr/target/doc
  tar -czf "$P9/doc.tar.gz" -C "$P9/memchr/target" doc

  SAVED_TOKEN=$TOKEN SAVED_REG_URL=${REG_URL:-} SAVED_NGX_URL=${NGX_URL:-} SAVED_REG_PID=${REG_PID:-}
  start_registry "$P9/data"
  P9_REG_PID=$REG_PID
  TOKEN=$FIRST_TOKEN
  REG_URL=http://127.0.0.1:$REG_PORT
  python3 "$ROOT/tests/e2e/make_crate.py" body memchr 2.5.0 >"$P9/body.bin"
  curl -sf -X PUT -H "Authorization: $TOKEN" --data-binary @"$P9/body.bin" \
    "$REG_URL/api/v1/crates/new" >/dev/null || { echo "p9: publishing memchr failed" >&2; exit 1; }
  curl -sf -X PUT -H "Authorization: $TOKEN" --data-binary @"$P9/doc.tar.gz" \
    "$REG_URL/api/v1/crates/memchr/2.5.0/docs" >"$P9/upload.json" ||
    { echo "p9: uploading the docs failed" >&2; exit 1; }
  echo "p9-upload $(cat "$P9/upload.json")" >>"$RAW"

  # What a browser fetches for memchr's crate page, an item page or two, the source view and a
  # search: the pages, rustdoc's CSS and scripts, one font, the sidebar and search index.
  # Hashed names are found in the tree, so a newer rustdoc's output works as well.
  P9_PATHS=$P9/paths.txt
  : >"$P9_PATHS"
  for pattern in memchr/index.html memchr/fn.memchr.html memchr/struct.Memchr.html \
      memchr/memmem/index.html src/memchr/lib.rs.html crates.js memchr/sidebar-items.js \
      'static.files/normalize-*.css' 'static.files/rustdoc-*.css' 'static.files/storage-*.js' \
      'static.files/main-*.js' 'static.files/favicon-*.svg' 'static.files/FiraSans-Regular-*.woff2' \
      'static.files/search-*.js' 'static.files/stringdex-*.js' search.index/root.js \
      'search.index/name/*.js' 'search.index/desc/*.js'; do
    matched=$(cd "$DOC" && compgen -G "$pattern" || true)
    [ "$(wc -w <<<"$matched")" = 1 ] || { echo "p9: $pattern names no single file of the docs tree" >&2; exit 1; }
    echo "/docs/memchr/2.5.0/$matched" >>"$P9_PATHS"
  done
  P9_N=$(wc -l <"$P9_PATHS")

  # nginx: the tree as it is (NGX), and with .gz siblings holding the registry's gzip bytes
  # (GZ). Both send the types of /etc/nginx/mime.types, as a real docs server would.
  mkdir -p "$P9/www/docs/memchr" "$P9/www-gz/docs/memchr" "$P9/nginx/tmp"
  cp -r "$DOC" "$P9/www/docs/memchr/2.5.0"
  cp -r "$DOC" "$P9/www-gz/docs/memchr/2.5.0"
  P9_WIRE=0 P9_RAW=0
  while read -r p; do
    f=$P9/www-gz$p
    enc=$(curl -sf -H "Authorization: $TOKEN" -H "Accept-Encoding: gzip" -o "$f.gz" \
      -w '%header{content-encoding}' "$REG_URL$p") || { echo "p9: the registry did not serve $p" >&2; exit 1; }
    [ "$enc" = gzip ] || rm -f "$f.gz"
    P9_WIRE=$((P9_WIRE + $(stat -c %s "${f}$([ "$enc" = gzip ] && echo .gz)")))
    P9_RAW=$((P9_RAW + $(stat -c %s "$f")))
  done <"$P9_PATHS"
  chmod -R a+rX "$P9"
  P9_NGX_PORT=$(free_port); P9_GZ_PORT=$(free_port)
  types=""
  [ -f /etc/nginx/mime.types ] && types="include /etc/nginx/mime.types;"
  cat >"$P9/nginx/nginx.conf" <<NGINX_CONF
# Written by bench/run.sh (P9): rustdoc's output as static files on loopback.
daemon off;
worker_processes auto;
pid $P9/nginx/nginx.pid;
error_log $P9/nginx/error.log warn;
events { worker_connections 4096; }
http {
  $types
  default_type application/octet-stream;
  access_log $P9/nginx/access.log;
  client_body_temp_path $P9/nginx/tmp/body;
  proxy_temp_path $P9/nginx/tmp/proxy;
  fastcgi_temp_path $P9/nginx/tmp/fastcgi;
  uwsgi_temp_path $P9/nginx/tmp/uwsgi;
  scgi_temp_path $P9/nginx/tmp/scgi;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 5s;
  keepalive_requests 1000;
  server { listen 127.0.0.1:$P9_NGX_PORT; root $P9/www; }
  server { listen 127.0.0.1:$P9_GZ_PORT; root $P9/www-gz; gzip_static on; gzip_vary on; }
}
NGINX_CONF
  "$NGINX" -p "$P9/nginx" -c "$P9/nginx/nginx.conf" -e "$P9/nginx/error.log" \
    >"$P9/nginx/stdout" 2>&1 &
  P9_NGINX_PID=$!
  PIDS+=("$P9_NGINX_PID")
  wait_http "http://127.0.0.1:$P9_NGX_PORT/docs/memchr/2.5.0/crates.js"
  wait_http "http://127.0.0.1:$P9_GZ_PORT/docs/memchr/2.5.0/crates.js"
  # The same files from all three, once inflated; nginx as it is compresses nothing.
  while read -r p; do
    for port in $P9_NGX_PORT $P9_GZ_PORT; do
      cmp -s <(curl -sf --compressed -H "Authorization: $TOKEN" "$REG_URL$p") \
             <(curl -sf --compressed "http://127.0.0.1:$port$p") ||
        { echo "p9: nginx (port $port) and the registry differ on $p" >&2; exit 1; }
    done
    enc=$(curl -sf -o /dev/null -H "Accept-Encoding: gzip" -w '%header{content-encoding}' \
      "http://127.0.0.1:$P9_NGX_PORT$p")
    [ -z "$enc" ] || { echo "p9: nginx compressed $p ($enc)" >&2; exit 1; }
  done <"$P9_PATHS"
  log "p9: $P9_N paths, $P9_RAW bytes as files, $P9_WIRE bytes as the registry sends them"

  label="docs page and assets ($P9_N paths)"
  for c in 1 16; do
    conns="$c connections"
    [ "$c" = 1 ] && conns="1 connection"
    NGX_URL=http://127.0.0.1:$P9_NGX_PORT
    pair p9 "$P9_PATHS" "$c"
    record P9 "$label, $conns" "req/s" "$R_RPS" "$N_RPS" "ratio>=0.9"
    record P9 "$label, $conns, p99" "ms" "$R_P99" "$N_P99" ""
    record P9 "$label, $conns, on the wire (registry gzip, nginx as files)" "MB/s" "$R_MBS" "$N_MBS" ""
  done
  NGX_URL=http://127.0.0.1:$P9_GZ_PORT
  pair p9-gz "$P9_PATHS" 16
  record P9 "$label, 16 connections, nginx sending the registry's gzip bytes (gzip_static), for reference" \
    "req/s" "$R_RPS" "$N_RPS" ""
  record P9 "the same, p99" "ms" "$R_P99" "$N_P99" ""
  record P9 "bytes of one walk over the $P9_N paths: the registry's (gzip), nginx's (files)" "kB" \
    "$(awk -v b="$P9_WIRE" 'BEGIN { printf "%.1f", b / 1000 }')" \
    "$(awk -v b="$P9_RAW" 'BEGIN { printf "%.1f", b / 1000 }')" ""
  record P9 "peak RSS of the docs registry (the upload included)" "MiB" \
    "$(mib "$(rss_kb "$P9_REG_PID" VmHWM)")" "" ""
  stop "$P9_NGINX_PID"
  stop "$P9_REG_PID"
  TOKEN=$SAVED_TOKEN REG_URL=$SAVED_REG_URL NGX_URL=$SAVED_NGX_URL REG_PID=$SAVED_REG_PID
fi

# ---------------------------------------------------------------- the table
{
  echo "registry $("$BIN" --version 2>/dev/null | head -1), $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  python3 "$HERE/report.py" "$RESULTS"
} | tee ${OUT:+"$OUT"}
if [ -n "$OUT" ]; then
  { echo; echo "Raw measurements:"; echo; sed 's/^/    /' "$RAW"; } >>"$OUT"
fi
