#!/usr/bin/env bash
# End to end: real crates accepted (`target`, 400 features after a per-crate override, a
# dependency on `target`), then `registry import` from every source kind with stock cargo
# building from the result, `registry export` served by nginx, and a consumer whose Cargo.toml
# and Cargo.lock still name the old registry building unchanged through source replacement.
#   (a) real crates           (b) git index checkout, dl served by nginx, yanked line kept
#   (c) old-URL consumer      (d) second instance over sparse+http with a token, while serving
#   (e) local-registry dir    (f) .crate dir      (g) Kellnr data dir      (h) idempotent rerun
#   (i) export + nginx + source replacement, checksums equal, incremental second run
# Usage: bash tests/e2e/import_test.sh build/registry. Needs cargo, git, nginx, jq, sqlite3,
# python3 >= 3.11.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
STAND_IN="python3 $HERE/stand_in_index.py"

for tool in cargo git nginx jq sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 0; }
done
echo "# $(cargo --version); $(git --version); $(nginx -v 2>&1)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

export CARGO_TERM_COLOR=never CARGO_TERM_PROGRESS_WHEN=never CARGO_HTTP_TIMEOUT=30 CARGO_NET_RETRY=0
unset CARGO_REGISTRY_TOKEN CARGO_BUILD_TARGET RUSTC_WRAPPER RUSTFLAGS 2>/dev/null || true
export CARGO_TARGET_DIR="$WORK/target"

# --- nginx on loopback: the old registry's dl files, later the exported tree -------------------
WWW="$WORK/www"
NGX_PORT=$(free_port)
NGX="http://127.0.0.1:$NGX_PORT"
mkdir -p "$WWW/crates" "$WORK/nginx/logs"
NGINX_USER=""
[ "$(id -u)" = 0 ] && NGINX_USER="user root root;"
cat >"$WORK/nginx/nginx.conf" <<NGINX_CONF
$NGINX_USER
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 256; }
http {
  access_log $WORK/nginx/logs/access.log;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$NGX_PORT; root $WWW; }
}
NGINX_CONF
echo ok >"$WWW/ping"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' 2>>"$WORK/nginx/logs/stderr" &
NGINX_PID=$!
SECOND_PID=""
stop_all() {
  kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true
  if [ -n "$SECOND_PID" ]; then kill "$SECOND_PID" 2>/dev/null || true; wait "$SECOND_PID" 2>/dev/null || true; fi
  cleanup
}
trap stop_all EXIT
for i in $(seq 1 100); do curl -sf "$NGX/ping" >/dev/null && break; sleep 0.1; done
nginx_hits() { grep -c "\"GET $1 HTTP" "$WORK/nginx/logs/access.log" || true; }

# lib_crate DIR NAME VERS VALUE [DEPENDENCY-LINES]: a library whose value() returns VALUE.
lib_crate() {
  mkdir -p "$1/src"
  printf '[package]\nname = "%s"\nversion = "%s"\nedition = "2021"\ndescription = "%s, a test crate"\nlicense = "MIT"\nreadme = "README.md"\n\n[dependencies]\n%s\n' \
    "$2" "$3" "$2" "${5:-}" >"$1/Cargo.toml"
  printf '# %s\n\nThe %s crate.\n' "$2" "$2" >"$1/README.md"
  printf 'pub fn value() -> u32 { %s }\n' "$4" >"$1/src/lib.rs"
}

# package DIR: `cargo package` with stock cargo; prints the .crate's path.
PKG_HOME="$WORK/pkg-home"
mkdir -p "$PKG_HOME"
package() {
  rm -rf "$1/target/package"
  (cd "$1" && CARGO_HOME="$PKG_HOME" CARGO_TARGET_DIR="$1/target" \
     timeout 60 cargo package --quiet --no-verify --allow-dirty) >&2 || { echo "cargo package failed in $1" >&2; exit 1; }
  ls "$1"/target/package/*.crate | head -1
}

# consumer DIR DEPENDENCY-LINES EXPR: a binary printing EXPR.
consumer() { app_crate "$1" "$2" "fn main() { println!(\"{}\", $3); }"; }

# cargo_home NAME CONFIG: a cold CARGO_HOME under $WORK with CONFIG as its config.toml.
cargo_home() {
  export CARGO_HOME="$WORK/home-$1" CARGO_TARGET_DIR="$WORK/target-$1"
  rm -rf "$CARGO_HOME"; mkdir -p "$CARGO_HOME"
  printf '%s\n[registry]\nglobal-credential-providers = ["cargo:token"]\n[net]\nretry = 0\n' "$2" >"$CARGO_HOME/config.toml"
}

start_server
ADMIN=$ADMIN_TOKEN
CORP="[registries.corp]
index = \"sparse+$BASE/index/\"
credential-provider = \"cargo:token\""
export CARGO_REGISTRIES_CORP_TOKEN=$ADMIN

# --- (a) the real-crates regression ------------------------------------------------------------
cargo_home publish "$CORP"
lib_crate "$WORK/src/target" target 2.0.0 2
cargo_in "$WORK/src/target" publish --registry corp --no-verify --allow-dirty
check_ok "(a) a crate named target 2.0.0 publishes"
features=$(python3 -c 'print("\n".join(f"f{i} = []" for i in range(400)))')
lib_crate "$WORK/src/wide" wide 0.3.9 3
printf '\n[features]\n%s\n' "$features" >>"$WORK/src/wide/Cargo.toml"
cargo_in "$WORK/src/wide" publish --registry corp --no-verify --allow-dirty
check_failed "(a) 400 features are refused without an override"
check_contains "(a) the refusal says how to raise the limit" "registry crate limits --data DIR wide --max-features N" "$OUT"
shown=$("$REGISTRY_BIN" crate limits --data "$DATA" wide --max-features 400)
check_eq "(a) crate limits stores the override" "wide: max features 400, max size server default" "$shown"
cargo_in "$WORK/src/wide" publish --registry corp --no-verify --allow-dirty
check_ok "(a) 400 features publish after the per-crate override"
lib_crate "$WORK/src/uses-target" uses-target 1.0.0 4 'target = { version = "2", registry = "corp" }'
cargo_in "$WORK/src/uses-target" publish --registry corp --no-verify --allow-dirty
check_ok "(a) a crate depending on target publishes"
lib_crate "$WORK/src/com0" com0 1.0.0 0
cargo_in "$WORK/src/com0" publish --registry corp --no-verify --allow-dirty
check_contains "(a) com0, reserved on crates.io, is refused" "\`com0\` is a reserved name" "$OUT"

# --- (b) a hand-maintained git index, its dl served by nginx ------------------------------------
OLD_GIT="$WORK/old-index.git"
OLD_URL="file://$OLD_GIT"
git init -q --bare "$OLD_GIT"
git clone -q "$OLD_URL" "$WORK/old-work" 2>/dev/null
printf '{"dl":"%s/crates/{crate}/{crate}-{version}.crate"}\n' "$NGX" >"$WORK/old-work/config.json"
# add_to_old DIR [SED]: packages DIR, puts the .crate under nginx, appends its index line
# (edited by the python expression SED over `e`, the line as a dict).
add_to_old() {
  local crate_file name vers path
  crate_file=$(package "$1")
  name=$(basename "$crate_file" .crate); vers=${name##*-}; name=${name%-*}
  mkdir -p "$WWW/crates/$name"
  cp "$crate_file" "$WWW/crates/$name/$name-$vers.crate"
  path=$($STAND_IN path "$name")
  mkdir -p "$WORK/old-work/$(dirname "$path")"
  $STAND_IN line "$1/Cargo.toml" "$crate_file" |
    python3 -c "import json,sys; e=json.loads(sys.stdin.read()); ${2:-pass}; print(json.dumps(e, separators=(',', ':')))" \
    >>"$WORK/old-work/$path"
}
commit_old() { (cd "$WORK/old-work" && git add -A && git -c user.name=t -c user.email=t@t commit -qm "$1" && git push -q origin HEAD 2>/dev/null); }
lib_crate "$WORK/src/gitbase-1.0.0" gitbase 1.0.0 10
add_to_old "$WORK/src/gitbase-1.0.0"
lib_crate "$WORK/src/gitbase-1.1.0" gitbase 1.1.0 11
add_to_old "$WORK/src/gitbase-1.1.0" 'e["yanked"]=True'
commit_old "gitbase"
# gitdep depends on gitbase in the old registry, and its line names the old registry's URL.
printf '[registries.old]\nindex = "%s"\n' "$OLD_URL" >"$PKG_HOME/config.toml"
lib_crate "$WORK/src/gitdep" gitdep 0.1.0 20 'gitbase = { version = "1", registry = "old" }'
add_to_old "$WORK/src/gitdep" "e['deps'][0]['registry']='$OLD_URL'"
commit_old "gitdep"
rm -f "$PKG_HOME/config.toml"

# The consumer of the old registry, built there first: its Cargo.lock names the old URL.
cargo_home old "[registries.old]
index = \"$OLD_URL\""
consumer "$WORK/old-consumer" 'gitdep = { version = "0.1", registry = "old" }
gitbase = { version = "1", registry = "old" }' 'gitdep::value() + gitbase::value()'
cargo_in "$WORK/old-consumer" run --quiet
check_eq "(b) the consumer builds from the old git registry" "30" "$OUT"
cp "$WORK/old-consumer/Cargo.lock" "$WORK/old.lock"

git clone -q "$OLD_URL" "$WORK/old-checkout" 2>/dev/null
imported=$("$REGISTRY_BIN" import --data "$DATA" "$WORK/old-checkout" 2>"$WORK/import.err") || true
check_eq "(b) the git index imports (while the server serves)" \
  "imported 3, skipped 0 (already here), refused 0" "$imported"
line=$(curl -sf -H "Authorization: $ADMIN" "$BASE/index/gi/tb/gitbase" | sed -n 2p)
check_eq "(b) a yanked line is kept byte for byte" "$(sed -n 2p "$WORK/old-work/gi/tb/gitbase")" "$line"
dep_registry=$(curl -sf -H "Authorization: $ADMIN" "$BASE/index/gi/td/gitdep" | jq -c '.deps[0].registry')
check_eq "(b) a dependency on the old registry itself becomes this registry" "null" "$dep_registry"
readme=$(curl -sf -H "Authorization: $ADMIN" "$BASE/api/v1/crates?q=gitdep" | jq -r '.crates[0].description')
check_eq "(b) the description comes from the .crate" "gitdep, a test crate" "$readme"
audit=$("$REGISTRY_BIN" audit --data "$DATA" | grep -c '  import  ' || true)
check_eq "(b) the audit log records each import" "3" "$audit"

cargo_home corp "$CORP"
consumer "$WORK/fresh" 'gitdep = { version = "0.1", registry = "corp" }' 'gitdep::value()'
cargo_in "$WORK/fresh" run --quiet
check_eq "(b) a consumer builds the imported crates from this registry" "20" "$OUT"

# --- (c) the old-URL consumer, unchanged, through source replacement ---------------------------
cargo_home replaced "$CORP
[registries.old]
index = \"$OLD_URL\"
[source.old-index]
registry = \"$OLD_URL\"
replace-with = \"corp\""
mv "$OLD_GIT" "$OLD_GIT.gone"   # the old registry is switched off
cargo_in "$WORK/old-consumer" run --quiet --locked
check_eq "(c) the old-URL consumer builds unchanged with its Cargo.lock" "30" "$OUT"
check_eq "(c) its Cargo.lock is untouched" "$(cat "$WORK/old.lock")" "$(cat "$WORK/old-consumer/Cargo.lock")"
mv "$OLD_GIT.gone" "$OLD_GIT"

# --- (d) a second instance of this registry over sparse+http with a token ----------------------
DATA2="$WORK/data2"
"$REGISTRY_BIN" --data "$DATA2" --listen 127.0.0.1:0 >"$WORK/second.out" 2>"$WORK/second.err" &
SECOND_PID=$!
for i in $(seq 1 300); do grep -q "serving .* on 127.0.0.1:" "$WORK/second.out" 2>/dev/null && break; sleep 0.1; done
PORT2=$(sed -n 's/^registry .* serving .* on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/second.out")
TOKEN2=$(sed -n '2p' "$WORK/second.out" | tr -d ' ')
for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT2/health" >/dev/null && break; sleep 0.1; done
cargo_home second "[registries.second]
index = \"sparse+http://127.0.0.1:$PORT2/index/\"
credential-provider = \"cargo:token\""
lib_crate "$WORK/src/sparsy" sparsy 1.0.0 40
CARGO_REGISTRIES_SECOND_TOKEN=$TOKEN2 cargo_in "$WORK/src/sparsy" publish --registry second --no-verify --allow-dirty
check_ok "(d) a crate publishes to the second instance"
refused=$("$REGISTRY_BIN" import --data "$DATA" "sparse+http://127.0.0.1:$PORT2/index/" 2>&1) || true
check_contains "(d) without the token the source says why" "answered 401 (give a token with --token)" "$refused"
imported=$("$REGISTRY_BIN" import --data "$DATA" "sparse+http://127.0.0.1:$PORT2/index/" --token "$TOKEN2" 2>/dev/null) || true
check_eq "(d) the sparse source imports, crate list from its search API" \
  "imported 1, skipped 0 (already here), refused 0" "$imported"
check_eq "(d) the index line is the source's, byte for byte" \
  "$(curl -sf -H "Authorization: $TOKEN2" "http://127.0.0.1:$PORT2/index/sp/ar/sparsy")" \
  "$(curl -sf -H "Authorization: $ADMIN" "$BASE/index/sp/ar/sparsy")"
kill "$SECOND_PID"; wait "$SECOND_PID" 2>/dev/null || true; SECOND_PID=""

# --- (e) a cargo local-registry directory ---------------------------------------------------------
LOCAL="$WORK/local-registry"
mkdir -p "$LOCAL/index/3/l"
lib_crate "$WORK/src/loc" loc 1.0.0 50
crate_file=$(package "$WORK/src/loc")
cp "$crate_file" "$LOCAL/loc-1.0.0.crate"
$STAND_IN line "$WORK/src/loc/Cargo.toml" "$crate_file" >"$LOCAL/index/3/l/loc"
imported=$("$REGISTRY_BIN" import --data "$DATA" "$LOCAL" 2>/dev/null) || true
check_eq "(e) the local registry imports" "imported 1, skipped 0 (already here), refused 0" "$imported"

# --- (f) a plain directory of .crate files --------------------------------------------------------
mkdir -p "$WORK/crate-dir"
lib_crate "$WORK/src/plain" plain 1.0.0 60
cp "$(package "$WORK/src/plain")" "$WORK/crate-dir/"
imported=$("$REGISTRY_BIN" import --data "$DATA" "$WORK/crate-dir" --owner admin 2>/dev/null) || true
check_eq "(f) the .crate directory imports" "imported 1, skipped 0 (already here), refused 0" "$imported"

# --- (g) a Kellnr data directory -------------------------------------------------------------------
KELLNR="$WORK/kellnr"
mkdir -p "$KELLNR/crates"
lib_crate "$WORK/src/kel" kel 1.0.0 70
crate_file=$(package "$WORK/src/kel")
cp "$crate_file" "$KELLNR/crates/kel-1.0.0.crate"
sqlite3 "$KELLNR/db.sqlite" "CREATE TABLE crate_index(id INTEGER PRIMARY KEY, name TEXT NOT NULL,
  vers TEXT NOT NULL, deps TEXT, cksum TEXT NOT NULL, features TEXT, yanked BOOLEAN NOT NULL,
  links TEXT, pubtime TEXT, v INTEGER NOT NULL DEFAULT 1, crate_fk INTEGER);
  INSERT INTO crate_index(name, vers, deps, cksum, features, yanked, links, pubtime, v)
  VALUES('kel', '1.0.0', '[]', '$(sha256sum "$crate_file" | cut -d' ' -f1)', '{}', 0, NULL,
         '2024-03-01 12:00:00', 1);"
imported=$("$REGISTRY_BIN" import --data "$DATA" "$KELLNR" 2>/dev/null) || true
check_eq "(g) the Kellnr data directory imports" "imported 1, skipped 0 (already here), refused 0" "$imported"

cargo_home corp2 "$CORP"
consumer "$WORK/all" 'sparsy = { version = "1", registry = "corp" }
loc = { version = "1", registry = "corp" }
plain = { version = "1", registry = "corp" }
kel = { version = "1", registry = "corp" }' 'sparsy::value() + loc::value() + plain::value() + kel::value()'
cargo_in "$WORK/all" run --quiet
check_eq "(d-g) a consumer builds the crates of every source from this registry" "220" "$OUT"

# --- (h) idempotent and resumable; a .crate that does not match its line is refused ------------
lib_crate "$WORK/src/gitbase-1.2.0" gitbase 1.2.0 12
add_to_old "$WORK/src/gitbase-1.2.0"
commit_old "gitbase 1.2.0"
printf 'x' >>"$WWW/crates/gitbase/gitbase-1.2.0.crate"
(cd "$WORK/old-checkout" && git pull -q)
set +e; again=$("$REGISTRY_BIN" import --data "$DATA" "$WORK/old-checkout" 2>/dev/null); rc=$?; set -e
check_eq "(h) a changed .crate stops that version (exit 1)" "1" "$rc"
check_contains "(h) the rerun skips what is there" "imported 0, skipped 3 (already here), refused 1:" "$again"
check_contains "(h) with a clear error" "gitbase 1.2.0: checksum mismatch: the source's index says sha256" "$again"
# --- (i) export, served by nginx, consumed through source replacement -----------------------------
exported=$("$REGISTRY_BIN" export --data "$DATA" "$WWW/export" --base-url "$NGX/export")
check_contains "(i) export writes the tree" "files written, 0 unchanged, 0 removed" "$exported"
check_eq "(i) an exported index file has the bytes the registry serves" \
  "$(curl -sf -H "Authorization: $ADMIN" "$BASE/index/gi/td/gitdep" | sha256sum)" \
  "$(curl -sf "$NGX/export/gi/td/gitdep" | sha256sum)"
cargo_home static "[registries.old]
index = \"$OLD_URL\"
[source.old-index]
registry = \"$OLD_URL\"
replace-with = \"static\"
[source.static]
registry = \"sparse+$NGX/export/\""
cargo_in "$WORK/old-consumer" run --quiet --locked
check_eq "(i) the old-URL consumer builds from the static tree" "30" "$OUT"
check_eq "(i) the .crate came from nginx" "1" "$(nginx_hits /export/crates/gitdep/gitdep-0.1.0.crate)"
lock_sum=$(grep -A3 'name = "gitdep"' "$WORK/old-consumer/Cargo.lock" | sed -n 's/^checksum = "\(.*\)"/\1/p')
check_eq "(i) the lock file's checksum is the registry's" \
  "$(curl -sf -H "Authorization: $ADMIN" "$BASE/index/gi/td/gitdep" | jq -r .cksum)" "$lock_sum"
cargo_home publish2 "$CORP"
lib_crate "$WORK/src/gitdep-2" gitdep 0.2.0 21 'gitbase = { version = "1", registry = "corp" }'
cargo_in "$WORK/src/gitdep-2" publish --registry corp --no-verify --allow-dirty
check_ok "(i) a new version publishes after the import"
second=$("$REGISTRY_BIN" export --data "$DATA" "$WWW/export" --base-url "$NGX/export")
check_contains "(i) the second export writes only the changed index file and the new .crate" \
  "2 files written" "$second"

finish
