#!/usr/bin/env bash
# End to end for the crates.io mirror: a stand-in crates.io on loopback (a sparse index and
# .crate files packaged with stock cargo from the crate sources Debian ships, served by nginx
# with ETags), the real registry binary as the read-through mirror, and real cargo with a cold
# CARGO_HOME using the two-registry config the server prints. Covers: build through the
# mirror with crates.io's checksums in Cargo.lock, bytes passed through verbatim, one upstream
# fetch per file for eight concurrent cold runs, builds from the cache with upstream stopped,
# the clear error for an uncached crate, a tampered .crate refused and not kept, a new upstream
# version after the TTL, the dependency-confusion guard both ways, and prefetch, export and
# import into an offline registry.
# Usage: bash tests/e2e/mirror_test.sh build/registry. Needs cargo, nginx, jq, python3 >= 3.11
# and Debian's librust-{itoa,ryu,memchr}-dev; loopback only.
source "$(dirname "$0")/lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
for tool in cargo nginx jq python3; do
  command -v "$tool" >/dev/null || { echo "$tool not found"; exit 1; }
done
for c in itoa-1.0.1 ryu-1.0.2 memchr-2.5.0; do
  [ -d "/usr/share/cargo/registry/$c" ] || { echo "missing /usr/share/cargo/registry/$c: apt-get install librust-${c%-*}-dev"; exit 1; }
done
echo "# $(cargo --version); $(nginx -v 2>&1)"

# --- the stand-in crates.io --------------------------------------------------------------------
UP="$WORK/upstream"          # nginx's root: index/ and crates/
UP_PORT=$(free_port)
UP_URL="http://127.0.0.1:$UP_PORT"
STAND_IN_WORK="$WORK"
source "$HERE/stand_in.sh"
stand_in_config "$UP_URL"

for c in itoa-1.0.1 ryu-1.0.2 memchr-2.5.0; do
  debian_crate "$c"
  publish_upstream "$WORK/pkg/$c"
done

# tiny_crate DIR NAME VERSION VALUE: a library crate whose value() returns VALUE.
tiny_crate() {
  mkdir -p "$1/src"
  printf '[package]\nname = "%s"\nversion = "%s"\nedition = "2021"\ndescription = "a stand-in crate"\nlicense = "MIT"\n' \
    "$2" "$3" >"$1/Cargo.toml"
  printf 'pub fn value() -> u32 { %s }\n' "$4" >"$1/src/lib.rs"
}
# The crates.io crate that shares its name with a private crate (the confusion case), and one
# whose file upstream will tamper with.
tiny_crate "$WORK/pkg/corp-secret" corp-secret 0.1.0 666
publish_upstream "$WORK/pkg/corp-secret"
tiny_crate "$WORK/pkg/tamper-me" tamper-me 1.0.0 1
publish_upstream "$WORK/pkg/tamper-me"

stand_in_nginx "$WORK/nginx" "$UP_PORT"
NGINX_PID=""
start_upstream() {
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' 2>>"$WORK/nginx/logs/stderr" &
  NGINX_PID=$!
  local i
  for i in $(seq 1 100); do
    curl -sf "$UP_URL/index/config.json" >/dev/null && return 0
    sleep 0.1
  done
  echo "nginx did not start"; cat "$WORK/nginx/logs/"*; exit 1
}
stop_upstream() {
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""; fi
}
trap 'stop_upstream; cleanup' EXIT
# upstream_hits PATH: how many GETs nginx answered for PATH.
upstream_hits() { grep -c "\"GET $1 HTTP" "$WORK/nginx/logs/access.log" || true; }

start_upstream
check_contains "the stand-in serves ETags" "ETag" "$(curl -sI "$UP_URL/index/it/oa/itoa")"

# --- the mirror --------------------------------------------------------------------------------
start_server --quiet --registry-name corp --upstream "$UP_URL/index/" --upstream-ttl 3s \
  --private-names 'acme-*'
TOKEN=$ADMIN_TOKEN

# cold_cargo_home DIR: a fresh CARGO_HOME with exactly the config the issue gives (HOST filled
# in); the token for both entries comes from the environment.
cold_cargo_home() {
  mkdir -p "$1"
  printf '%s\n' \
    '[registries.corp]' \
    "index = \"sparse+$BASE/index/\"" \
    'credential-provider = "cargo:token"' \
    '[registries.corp-crates-io]' \
    "index = \"sparse+$BASE/crates-io/index/\"" \
    'credential-provider = "cargo:token"' \
    '[source.crates-io]' \
    'replace-with = "corp-crates-io"' >"$1/config.toml"
}
export CARGO_TERM_COLOR=never CARGO_TERM_PROGRESS_WHEN=never CARGO_HTTP_TIMEOUT=30 CARGO_NET_RETRY=0
export CARGO_REGISTRIES_CORP_TOKEN="$TOKEN" CARGO_REGISTRIES_CORP_CRATES_IO_TOKEN="$TOKEN"
unset CARGO_REGISTRY_TOKEN CARGO_BUILD_TARGET RUSTC_WRAPPER RUSTFLAGS 2>/dev/null || true
cold_cargo_home "$WORK/print-check"
check_contains "the server prints exactly the config tested here" \
  "$(cat "$WORK/print-check/config.toml")" "$(cat "$WORK/server.out")"

# in_home HOME DIR ARGS...: cargo_in with CARGO_HOME=HOME and its own target dir.
in_home() {
  local home=$1; shift
  CARGO_HOME="$home" CARGO_TARGET_DIR="$home/target" cargo_in "$@"
}
# lock_entry DIR NAME: NAME's [[package]] entry in DIR/Cargo.lock.
lock_entry() { awk -v n="name = \"$2\"" '$0==n{f=1} f&&/^$/{exit} f' "$1/Cargo.lock"; }

APP="$WORK/app"
app_crate "$APP" 'itoa = "1"
ryu = "1"
memchr = "2"' 'fn main() {
    let mut a = itoa::Buffer::new();
    let mut r = ryu::Buffer::new();
    let hay = b"registry mirror";
    println!("{} {} {:?}", a.format(42u32), r.format(1.5f64), memchr::memchr(b'"'"'m'"'"', hay));
}'

# --- (a) eight cold cargo runs at once: one upstream fetch per file --------------------------
pids=()
for i in $(seq 1 8); do
  cold_cargo_home "$WORK/home-$i"
  cp -r "$APP" "$WORK/app-$i"
  (CARGO_HOME="$WORK/home-$i" timeout 120 cargo fetch --manifest-path "$WORK/app-$i/Cargo.toml" \
     >"$WORK/fetch-$i.log" 2>&1) &
  pids+=($!)
done
fetch_failures=0
for p in "${pids[@]}"; do wait "$p" || fetch_failures=$((fetch_failures + 1)); done
check_eq "(a) eight concurrent cold fetches through the mirror succeed" 0 "$fetch_failures"
[ "$fetch_failures" = 0 ] || cat "$WORK/fetch-1.log"
for f in /index/it/oa/itoa /index/3/r/ryu /index/me/mc/memchr /crates/itoa/itoa-1.0.1.crate \
         /crates/ryu/ryu-1.0.2.crate /crates/memchr/memchr-2.5.0.crate; do
  check_eq "(a) upstream answered $f once" 1 "$(upstream_hits "$f")"
done

# --- (b) build and run through the mirror; the lock file names crates.io ---------------------
cold_cargo_home "$WORK/home-b"
in_home "$WORK/home-b" "$APP" run --quiet
check_ok "(b) the app builds and runs through the mirror"
check_eq "(b) it prints what its crates.io dependencies compute" "42 1.5 Some(9)" "$(printf '%s\n' "$OUT" | tail -1)"
for c in itoa ryu memchr; do
  entry=$(lock_entry "$APP" "$c")
  upstream_cksum=$(jq -r .cksum "$UP/index/$($STAND_IN path "$c")" | head -1)
  check_contains "(b) Cargo.lock: $c comes from crates.io" \
    'source = "registry+https://github.com/rust-lang/crates.io-index"' "$entry"
  check_contains "(b) Cargo.lock: $c has upstream's checksum" "checksum = \"$upstream_cksum\"" "$entry"
done

# Index files are passed through byte for byte, unknown fields included; ours carry an ETag
# and X-Cache, and a revalidation with our ETag is a 304.
mirror_get() { curl -s -H "Authorization: $TOKEN" "$@"; }
check_eq "(b) the index file is upstream's bytes" "$(sha256sum <"$UP/index/it/oa/itoa")" \
  "$(mirror_get "$BASE/crates-io/index/it/oa/itoa" | sha256sum)"
headers=$(mirror_get -D - -o /dev/null "$BASE/crates-io/index/it/oa/itoa" | tr -d '\r')
etag=$(printf '%s\n' "$headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
check_contains "(b) index replies say X-Cache" "X-Cache: hit" "$headers"
check_eq "(b) If-None-Match with our ETag gives 304" 304 \
  "$(mirror_get -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$BASE/crates-io/index/it/oa/itoa")"
check_eq "(b) no token, no index" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/crates-io/index/it/oa/itoa")"
check_eq "(b) writes to the mirror are refused" 405 \
  "$(mirror_get -o /dev/null -w '%{http_code}' -X PUT --data-binary x "$BASE/crates-io/api/v1/crates/new")"
check_contains "(b) /metrics counts the mirror's index reads" 'registry_mirror_index_reads_total{cache="hit"}' \
  "$(curl -s "$BASE/metrics")"
config=$(mirror_get "$BASE/crates-io/index/config.json")
check_eq "(b) the mirror's config.json: our dl, auth required, no api" \
  "{\"auth-required\":true,\"dl\":\"$BASE/crates-io/api/v1/crates\"}" "$(jq -cS . <<<"$config")"

# --- (c) a tampered .crate is refused and not cached -------------------------------------------
cp "$UP/crates/tamper-me/tamper-me-1.0.0.crate" "$WORK/tamper-me.good"
printf 'x' >>"$UP/crates/tamper-me/tamper-me-1.0.0.crate"
reply=$(mirror_get -w '\n%{http_code}' "$BASE/crates-io/api/v1/crates/tamper-me/1.0.0/download")
check_eq "(c) a .crate not matching its cksum: 502" 502 "$(tail -1 <<<"$reply")"
check_contains "(c) the detail says why" "whose SHA-256 is" "$(head -1 <<<"$reply")"
TAMPER_APP="$WORK/tamper-app"
app_crate "$TAMPER_APP" 'tamper-me = "1"' 'fn main() { println!("{}", tamper_me::value()); }'
cold_cargo_home "$WORK/home-c"
in_home "$WORK/home-c" "$TAMPER_APP" build
check_failed "(c) cargo cannot build with the tampered crate"
check_contains "(c) cargo shows the mirror's reason" "it was refused and not stored" "$OUT"
cp "$WORK/tamper-me.good" "$UP/crates/tamper-me/tamper-me-1.0.0.crate"
in_home "$WORK/home-c" "$TAMPER_APP" run --quiet
check_ok "(c) once upstream is fixed it is fetched again and builds"
check_eq "(c) the refused bytes were not kept (fetched three times)" 3 \
  "$(upstream_hits /crates/tamper-me/tamper-me-1.0.0.crate)"

# --- (d) dependency confusion, both ways -------------------------------------------------------
# corp-secret is a private crate here; crates.io also has a crate of that name.
PRIV="$WORK/private-secret"
tiny_crate "$PRIV" corp-secret 0.1.0 7
printf 'publish = ["corp"]\n' >>"$PRIV/Cargo.toml"
cold_cargo_home "$WORK/home-d"
in_home "$WORK/home-d" "$PRIV" publish --registry corp --no-verify --allow-dirty
check_ok "(d) the private corp-secret is published"
check_contains "(d) ... with a warning that crates.io has that name too" \
  "crates.io also has a crate named \`corp-secret\`" "$OUT"
asked_before=$(upstream_hits /index/co/rp/corp-secret)
reply=$(mirror_get -w '\n%{http_code}' "$BASE/crates-io/index/co/rp/corp-secret")
check_eq "(d) the crates.io view refuses the private crate's name" 404 "$(tail -1 <<<"$reply")"
check_contains "(d) the detail names the private crate and the line to use" \
  'depend on the private crate with `corp-secret = { version = \"...\", registry = \"corp\" }`' \
  "$(head -1 <<<"$reply")"
CONF_APP="$WORK/confused-app"
app_crate "$CONF_APP" 'corp-secret = "0.1"' 'fn main() { println!("{}", corp_secret::value()); }'
in_home "$WORK/home-d" "$CONF_APP" build
check_failed "(d) without registry = \"corp\", cargo does not get crates.io's corp-secret"
check_eq "(d) the build never asked upstream for corp-secret" "$asked_before" \
  "$(upstream_hits /index/co/rp/corp-secret)"
app_crate "$CONF_APP" 'corp-secret = { version = "0.1", registry = "corp" }' \
  'fn main() { println!("{}", corp_secret::value()); }'
in_home "$WORK/home-d" "$CONF_APP" run --quiet
check_ok "(d) with registry = \"corp\" it builds"
check_eq "(d) ... with the private crate" 7 "$(printf '%s\n' "$OUT" | tail -1)"
check_eq "(d) the private index does not serve crates.io's crates" 404 \
  "$(mirror_get -o /dev/null -w '%{http_code}' "$BASE/index/it/oa/itoa")"
reply=$(mirror_get -w '\n%{http_code}' "$BASE/crates-io/index/ac/me/acme-tool")
check_eq "(d) --private-names reserves acme-* before any private crate exists" 404 "$(tail -1 <<<"$reply")"
check_contains "(d) ... saying so" "a name pattern reserved for private crates" "$(head -1 <<<"$reply")"
"$REGISTRY_BIN" mirror allow --data "$DATA" corp-secret 2>/dev/null
check_eq "(d) after \`registry mirror allow\`, crates.io's corp-secret is served" \
  "$(cat "$UP/index/co/rp/corp-secret")" "$(mirror_get "$BASE/crates-io/index/co/rp/corp-secret")"

# --- (e) a new version upstream appears after the TTL ------------------------------------------
debian_crate itoa-1.0.1 "$WORK/pkg/itoa-1.0.99"
sed -i 's/^version = "1.0.1"$/version = "1.0.99"/' "$WORK/pkg/itoa-1.0.99/Cargo.toml"
publish_upstream "$WORK/pkg/itoa-1.0.99"
sleep 4
in_home "$WORK/home-b" "$APP" update -p itoa
check_ok "(e) cargo update through the mirror"
check_contains "(e) it picks the version published upstream" 'version = "1.0.99"' \
  "$(lock_entry "$APP" itoa)"
in_home "$WORK/home-b" "$APP" build --quiet
check_ok "(e) and builds with it"

# --- (f) upstream stopped: cached crates still build, uncached ones fail clearly ---------------
stop_upstream
sleep 4  # past the TTL: every index file is stale now
cold_cargo_home "$WORK/home-f"
in_home "$WORK/home-f" "$APP" run --quiet
check_ok "(f) upstream down: a fresh CARGO_HOME still builds from the cache"
stale=$(mirror_get -D - -o /dev/null "$BASE/crates-io/index/it/oa/itoa" | tr -d '\r')
check_contains "(f) stale index files are served and marked so" "X-Cache: stale" "$stale"
NEW_APP="$WORK/new-app"
app_crate "$NEW_APP" 'serde = "1"' 'fn main() {}'
in_home "$WORK/home-f" "$NEW_APP" build
check_failed "(f) a crate never cached cannot be had"
check_contains "(f) cargo shows that upstream is unreachable" \
  "the crates.io upstream is unreachable and \`serde\` is not cached yet" "$OUT"

# --- (g) mirror status and check ---------------------------------------------------------------
stop_server
status=$("$REGISTRY_BIN" mirror status --data "$DATA")
check_contains "(g) mirror status counts the cached .crate files" "5 versions of 4 crates" "$status"
check_contains "(g) ... and names the last upstream error" "cannot connect" "$status"
check_eq "(g) check verifies the mirror's blobs and finds the data clean" 0 \
  "$("$REGISTRY_BIN" check --data "$DATA" >/dev/null 2>&1; echo $?)"

# --- (h) prefetch a lock file into a fresh data directory, export, import into another, and
# build from that one offline --------------------------------------------------------------------
start_upstream
DATA2="$WORK/data2"
prefetch=$("$REGISTRY_BIN" mirror prefetch --data "$DATA2" --upstream "$UP_URL/index/" \
  "$APP/Cargo.lock" 2>"$WORK/prefetch.err"; echo "rc=$?")
check_contains "(h) prefetch fetches every crates.io package of the lock file" \
  "3 fetched, 0 already cached, 0 failed (of 3 crates.io packages)" "$prefetch"
check_contains "(h) ... and exits 0" "rc=0" "$prefetch"
check_contains "(h) ... drawing progress" "3/3 done" "$(cat "$WORK/prefetch.err")"
stop_upstream
# Carry it into a fresh "air-gapped" registry as one file.
exported=$("$REGISTRY_BIN" mirror export --data "$DATA2" "$WORK/cache.bundle" --lockfile "$APP/Cargo.lock")
check_contains "(h) export writes the lock file's crates" "3 index files, 3 .crate files" "$exported"
DATA3="$WORK/data3"
imported=$("$REGISTRY_BIN" mirror import --data "$DATA3" "$WORK/cache.bundle")
check_contains "(h) import loads them, checksums verified" \
  "imported 3 index files and 3 .crate files" "$imported"
DATA=$DATA3
start_server --quiet --registry-name corp --upstream off
export CARGO_REGISTRIES_CORP_TOKEN="$ADMIN_TOKEN" CARGO_REGISTRIES_CORP_CRATES_IO_TOKEN="$ADMIN_TOKEN"
cold_cargo_home "$WORK/home-h"
in_home "$WORK/home-h" "$APP" run --quiet --locked
check_ok "(h) an offline registry holding only the imported crates builds the app"
check_eq "(h) ... with the same output" "42 1.5 Some(9)" "$(printf '%s\n' "$OUT" | tail -1)"

# --- (i) --mirror-max-size: past the cap the least recently used .crate files go, and an
# evicted one is fetched again on its next download -------------------------------------------
stop_server
start_upstream
DATA="$WORK/data4"
crate_size() { stat -c %s "$UP/crates/$1/$1-$2.crate"; }
CAP=$(( $(crate_size ryu 1.0.2) + $(crate_size memchr 2.5.0) ))
start_server --quiet --registry-name corp --upstream "$UP_URL/index/" --mirror-max-size "$CAP"
TOKEN=$ADMIN_TOKEN
download() { mirror_get -o /dev/null -w '%{http_code}' "$BASE/crates-io/api/v1/crates/$1/$2/download"; }
ryu_hits=$(upstream_hits /crates/ryu/ryu-1.0.2.crate)
# Last uses are whole seconds: a pause between downloads orders them.
check_eq "(i) itoa downloads" 200 "$(download itoa 1.0.1)"; sleep 1.1
check_eq "(i) ryu downloads" 200 "$(download ryu 1.0.2)"; sleep 1.1
check_eq "(i) itoa again, from the cache" 200 "$(download itoa 1.0.1)"; sleep 1.1
check_eq "(i) memchr downloads, taking the cache past its cap" 200 "$(download memchr 2.5.0)"
status=$("$REGISTRY_BIN" mirror status --data "$DATA")
check_contains "(i) the least recently used (ryu, not the first fetched itoa) was evicted" \
  "2 versions of 2 crates" "$status"
check_eq "(i) ... its blob too" 2 "$(find "$DATA/blobs" -type f | wc -l)"
check_contains "(i) mirror status shows the cap" "size cap: $CAP bytes" "$status"
check_eq "(i) an evicted crate downloads again" 200 "$(download ryu 1.0.2)"
check_eq "(i) ... fetched anew from upstream" $((ryu_hits + 2)) "$(upstream_hits /crates/ryu/ryu-1.0.2.crate)"
check_contains "(i) /metrics counts the evictions" "registry_mirror_crate_evictions_total 2" \
  "$(curl -s "$BASE/metrics")"

# The web UI's view of the cache: its search and crate page list cached crates.io crates,
# marked as such; the administrators' Mirror page shows the cap and allows names.
cached=$(mirror_get "$BASE/api/v1/crates?q=r")
check_eq "(i) the web UI's search lists the cached crates.io crates, marked so" \
  "memchr 2.5.0 crates.io|ryu 1.0.2 crates.io" \
  "$(jq -r '[.cached_crates_io[] | "\(.name) \(.max_version) \(.source)"] | join("|")' <<<"$cached")"
check_eq "(i) ... not the evicted itoa (no field when none match)" '{"crates":[],"meta":{"total":0}}' \
  "$(mirror_get "$BASE/api/v1/crates?q=itoa")"
check_eq "(i) a cached crate's page marks its cached versions" "1.0.2 true" \
  "$(mirror_get "$BASE/api/v1/mirror/crates/ryu" | jq -r '.crate.versions[] | "\(.num) \(.cached)"')"
check_contains "(i) the web UI has the marking" "cached from crates.io" "$(curl -s "$BASE/js/mirror.js")"
ADMIN_PASSWORD=$(sed -n '4p' "$WORK/server.out" | tr -d ' ')
signin=$(curl -s -D "$WORK/signin.hdr" -H 'Content-Type: application/json' \
  --data "$(jq -cn --arg p "$ADMIN_PASSWORD" '{login: "admin", password: $p}')" "$BASE/api/v1/session")
SESSION=$(tr -d '\r' <"$WORK/signin.hdr" | sed -n 's/^[Ss]et-[Cc]ookie: registry_session=\([^;]*\);.*/\1/p')
CSRF=$(jq -r .csrf_token <<<"$signin")
state=$(curl -s -H "Cookie: registry_session=$SESSION" "$BASE/api/v1/mirror")
check_eq "(i) the Mirror page's state: cap, versions, upstream" "$CAP 2 $UP_URL/index/" \
  "$(jq -r '"\(.max_bytes) \(.versions) \(.upstream)"' <<<"$state")"
check_eq "(i) the Mirror page allows a name" '{"allowed":["corp_secret"]}' \
  "$(curl -s -X PUT -H "Cookie: registry_session=$SESSION" -H "X-CSRF-Token: $CSRF" \
     "$BASE/api/v1/mirror/allowed/corp-secret")"
check_contains "(i) ... and its state lists it" "corp_secret" \
  "$(curl -s -H "Cookie: registry_session=$SESSION" "$BASE/api/v1/mirror" | jq -c .allowed)"
check_eq "(i) a token cannot see the Mirror page" 403 \
  "$(mirror_get -o /dev/null -w '%{http_code}' "$BASE/api/v1/mirror")"

# --- (j) the static binary alone in a chroot: no NSS modules, no libc files, only
# /etc/resolv.conf and /etc/hosts, as in the FROM scratch image. The upstream is given by a
# host name (in that hosts file), resolved without glibc's NSS -----------------------------------
stop_server
ROOT="$WORK/scratch"
if [ "$(id -u)" != 0 ] || ! chroot / true 2>/dev/null; then
  echo "skip - (j) chroot needs root (or CAP_SYS_CHROOT), which this user lacks: the FROM scratch name resolution is not tested"
elif ! file -L "$REGISTRY_BIN" | grep -q "statically linked"; then
  # The sanitizer build links dynamically (ASan needs it); the release run covers (j).
  echo "skip - (j) needs the static executable; $REGISTRY_BIN is linked dynamically"
else
  mkdir -p "$ROOT/etc" "$ROOT/data" "$ROOT/tmp"
  cp "$REGISTRY_BIN" "$ROOT/registry"
  printf 'nameserver 127.0.0.1\n' >"$ROOT/etc/resolv.conf"
  printf '127.0.0.1 localhost\n127.0.0.1 upstream.stand-in.test\n' >"$ROOT/etc/hosts"
  NAMED_URL="http://upstream.stand-in.test:$UP_PORT"
  sed -i "s|$UP_URL|$NAMED_URL|g" "$UP/index/config.json"
  check_eq "(j) the root holds the binary and the two files only" \
    "./etc/hosts ./etc/resolv.conf ./registry" "$(cd "$ROOT" && find . -type f | sort | tr '\n' ' ' | sed 's/ $//')"
  saved_bin=$REGISTRY_BIN saved_data=$DATA
  REGISTRY_BIN=/registry DATA=/data REGISTRY_WRAP="chroot $ROOT"
  start_server --quiet --registry-name corp --upstream "$NAMED_URL/index/"
  REGISTRY_BIN=$saved_bin DATA=$saved_data REGISTRY_WRAP=""
  TOKEN=$ADMIN_TOKEN
  memchr_hits=$(upstream_hits /crates/memchr/memchr-2.5.0.crate)
  check_eq "(j) in the chroot, an index file comes from the upstream named in /etc/hosts" \
    "$(sha256sum <"$UP/index/me/mc/memchr")" "$(mirror_get "$BASE/crates-io/index/me/mc/memchr" | sha256sum)"
  check_eq "(j) ... and a .crate from the download URL with that name" \
    "$(sha256sum <"$UP/crates/memchr/memchr-2.5.0.crate")" \
    "$(mirror_get "$BASE/crates-io/api/v1/crates/memchr/2.5.0/download" | sha256sum)"
  check_eq "(j) ... fetched from upstream once" $((memchr_hits + 1)) \
    "$(upstream_hits /crates/memchr/memchr-2.5.0.crate)"
  check_eq "(j) \`registry health\` resolves localhost there too" ok \
    "$(chroot "$ROOT" /registry health --url "http://localhost:$PORT" 2>&1)"
  stop_server
fi

finish
