#!/usr/bin/env bash
# End to end with the real cargo: publish crates using every dependency kind, feature syntax and
# name length to the real registry binary, read their index lines, build and run a binary that
# depends on them, and drive yank, owner, search, info and the auth failures through cargo.
# Usage: bash tests/e2e/cargo_test.sh build/registry. Needs cargo (>= 1.94) and jq; no network
# beyond 127.0.0.1: every dependency comes from the registry under test.
source "$(dirname "$0")/lib.sh"

command -v cargo >/dev/null || { echo "cargo not found"; exit 1; }
command -v jq >/dev/null || { echo "jq not found"; exit 1; }
echo "# $(cargo --version)"

start_server --quiet
[ -n "${ADMIN_TOKEN:-}" ] || { echo "no admin token printed on first start"; exit 1; }

use_private_cargo "$ADMIN_TOKEN"
# auth_get URL: body of an authenticated GET ("" on failure).
auth_get() { curl -sf -H "Authorization: $ADMIN_TOKEN" "$1" || true; }
# index_line NAME_PATH VERSION: that version's line of the index file at index/NAME_PATH.
index_line() { auth_get "$BASE/index/$1" | jq -c --arg v "$2" 'select(.vers == $v)'; }

SRC="$WORK/src"
mkdir -p "$SRC"

# lib_crate DIR NAME VERSION RUST_SOURCE: a minimal library crate.
lib_crate() {
  mkdir -p "$SRC/$1/src"
  cat >"$SRC/$1/Cargo.toml" <<EOF
[package]
name = "$2"
version = "$3"
edition = "2021"
description = "e2e crate $2, the $(echo -n "$2" | wc -c)-letter one"
license = "MIT"

[lib]
doctest = false
EOF
  printf '%s\n' "$4" >"$SRC/$1/src/lib.rs"
}

lib_crate a a 0.1.0 'pub fn one() -> u32 { 1 }'
lib_crate ab-0.1.0 ab 0.1.0 'pub fn minor() -> u32 { 0 }'
lib_crate ab-0.1.1 ab 0.1.1 'pub fn minor() -> u32 { 1 }'
lib_crate abc abc 0.1.0 'pub fn value() -> u32 { 4 }'
lib_crate mixed Mixed_Case-Name 0.1.0 '#![allow(non_snake_case)]
pub fn value() -> u32 { 7 }'

# The crate with every kind of dependency. compute() = 1000*a + 100*ab.minor + 7 (unix)
# + 40 (feature extra, optional abc) + 40000 (from build.rs, through the build-dependency).
mkdir -p "$SRC/kitchen-sink/src" "$SRC/kitchen-sink/tests"
cat >"$SRC/kitchen-sink/Cargo.toml" <<'EOF'
[package]
name = "kitchen-sink"
version = "0.1.0"
edition = "2021"
description = "Everything at once: features, optional, renamed, target, build and dev deps"
license = "MIT OR Apache-2.0"
keywords = ["e2e", "sink"]

[lib]
doctest = false

[features]
default = ["fancy"]
fancy = []
extra = ["dep:abc"]

[dependencies]
a = { version = "0.1", registry = "private" }
alias = { package = "ab", version = "0.1", registry = "private" }
abc = { version = "0.1", registry = "private", optional = true }

[target.'cfg(unix)'.dependencies]
Mixed_Case-Name = { version = "0.1", registry = "private" }

[build-dependencies]
abc = { version = "0.1", registry = "private" }

# (cargo refuses one crate under two names in one package, so not `ab` here)
[dev-dependencies]
abc = { version = "0.1", registry = "private" }
EOF
cat >"$SRC/kitchen-sink/build.rs" <<'EOF'
fn main() {
    println!("cargo:rustc-env=KS_FROM_BUILD={}", abc::value() * 10000);
}
EOF
cat >"$SRC/kitchen-sink/src/lib.rs" <<'EOF'
pub fn compute() -> u32 {
    let mut v = a::one() * 1000 + alias::minor() * 100;
    #[cfg(unix)]
    {
        v += Mixed_Case_Name::value();
    }
    #[cfg(feature = "extra")]
    {
        v += abc::value() * 10;
    }
    v + env!("KS_FROM_BUILD").parse::<u32>().unwrap()
}
EOF
cat >"$SRC/kitchen-sink/tests/dev.rs" <<'EOF'
#[test]
fn uses_dev_dep() { assert_eq!(abc::value(), 4); }
EOF

# ---------------------------------------------------------------- 1. publish
for dir in a ab-0.1.0 ab-0.1.1 abc mixed kitchen-sink; do
  cargo_in "$SRC/$dir" publish --registry private --allow-dirty
  check_ok "publish $dir (with verification)"
done

# ---------------------------------------------------------------- 2. index lines
line=$(index_line 1/a 0.1.0)
check_eq "index 1/a has a 0.1.0" "a" "$(jq -r .name <<<"$line")"
line=$(index_line 2/ab 0.1.1)
check_eq "index 2/ab has ab 0.1.1" "ab" "$(jq -r .name <<<"$line")"
line=$(index_line 3/a/abc 0.1.0)
check_eq "index 3/a/abc has abc 0.1.0" "abc" "$(jq -r .name <<<"$line")"
line=$(index_line mi/xe/mixed_case-name 0.1.0)
check_eq "index mi/xe/mixed_case-name keeps the name's case" "Mixed_Case-Name" \
  "$(jq -r .name <<<"$line")"

ks=$(index_line ki/tc/kitchen-sink 0.1.0)
dep() { jq -c --arg n "$1" --arg k "$2" '[.deps[] | select(.name == $n and .kind == $k)][0]' <<<"$ks"; }
check_eq "renamed dep: name is the alias, package the real crate" '"ab"' \
  "$(dep alias normal | jq -c .package)"
check_eq "renamed dep keeps its requirement" '"^0.1"' "$(dep alias normal | jq -c .req)"
check_eq "renamed dep: registry null (same registry)" 'null' "$(dep alias normal | jq -c .registry)"
check_eq "target dep has target cfg(unix)" '"cfg(unix)"' \
  "$(dep Mixed_Case-Name normal | jq -c .target)"
check_eq "normal dep has target null" 'null' "$(dep a normal | jq -c .target)"
check_eq "optional dep is optional" 'true' "$(dep abc normal | jq -c .optional)"
check_eq "non-optional dep is not optional" 'false' "$(dep a normal | jq -c .optional)"
check_eq "build-dependency has kind build" '"build"' "$(dep abc build | jq -c .kind)"
check_eq "dev-dependency has kind dev" '"dev"' "$(dep abc dev | jq -c .kind)"
check_eq "deps carry features and default_features" 'true' \
  "$(jq -c '[.deps[] | has("features") and has("default_features")] | all' <<<"$ks")"
check_eq "features keeps plain features" '{"default":["fancy"],"fancy":[]}' \
  "$(jq -c '.features' <<<"$ks")"
check_eq "dep: feature goes to features2" '{"extra":["dep:abc"]}' "$(jq -c '.features2' <<<"$ks")"
check_eq "features2 comes with v 2" '2' "$(jq -c '.v' <<<"$ks")"
check_eq "not yanked" 'false' "$(jq -c '.yanked' <<<"$ks")"
cksum=$(jq -r .cksum <<<"$ks")
if [[ "$cksum" =~ ^[0-9a-f]{64}$ ]]; then pass "cksum is 64 lower-case hex"; else fail "cksum [$cksum]"; fi
pubtime=$(jq -r .pubtime <<<"$ks")
if [[ "$pubtime" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]]; then
  pass "pubtime is YYYY-MM-DDTHH:MM:SSZ ($pubtime)"
else
  fail "pubtime [$pubtime]"
fi

# ---------------------------------------------------------------- 10. download == cksum
for spec in 1/a:a:0.1.0 2/ab:ab:0.1.0 2/ab:ab:0.1.1 3/a/abc:abc:0.1.0 \
            mi/xe/mixed_case-name:Mixed_Case-Name:0.1.0 ki/tc/kitchen-sink:kitchen-sink:0.1.0; do
  IFS=: read -r path name vers <<<"$spec"
  want=$(index_line "$path" "$vers" | jq -r .cksum)
  got=$(curl -sf -H "Authorization: $ADMIN_TOKEN" "$BASE/api/v1/crates/$name/$vers/download" \
        | sha256sum | cut -d' ' -f1 || true)
  check_eq "download of $name $vers matches the index cksum" "$want" "$got"
done

# ---------------------------------------------------------------- 3. build and run a consumer
APP="$WORK/app"
app_crate "$APP" 'kitchen-sink = { version = "0.1", registry = "private", features = ["extra"] }
ab = { version = "0.1", registry = "private" }' 'fn main() {
    println!("compute={} ab={}", kitchen_sink::compute(), ab::minor());
}'
cargo_in "$APP" run --quiet
check_ok "cargo run of a binary using the published crates"
check_eq "the dependencies' code ran (1000+100+7+40+40000, ab 0.1.1)" "compute=41147 ab=1" "$OUT"
check_contains "Cargo.lock has ab 0.1.1" $'name = "ab"\nversion = "0.1.1"' "$(cat "$APP/Cargo.lock")"
check_contains "Cargo.lock has the mixed-case crate" 'name = "Mixed_Case-Name"' \
  "$(cat "$APP/Cargo.lock")"

# dev-dependencies resolve too: run the published crate's own test against the registry.
cargo_in "$SRC/kitchen-sink" test --quiet
check_ok "cargo test of kitchen-sink (dev-dependency from the registry)"

# ---------------------------------------------------------------- 4. yank / unyank
cargo_in "$WORK" yank --registry private --version 0.1.1 ab
check_ok "cargo yank ab 0.1.1"
check_eq "index says ab 0.1.1 is yanked" "true" "$(index_line 2/ab 0.1.1 | jq -c .yanked)"
rm -f "$APP/Cargo.lock"
cargo_in "$APP" generate-lockfile
check_ok "generate-lockfile after the yank"
check_contains "a fresh lock avoids the yanked ab 0.1.1" $'name = "ab"\nversion = "0.1.0"' \
  "$(cat "$APP/Cargo.lock")"
cargo_in "$APP" run --quiet
check_eq "the build uses ab 0.1.0 after the yank" "compute=41047 ab=0" "$OUT"
curl_yanked=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $ADMIN_TOKEN" \
  "$BASE/api/v1/crates/ab/0.1.1/download")
check_eq "a yanked version stays downloadable" "200" "$curl_yanked"

cargo_in "$WORK" yank --registry private --undo --version 0.1.1 ab
check_ok "cargo yank --undo ab 0.1.1"
check_eq "index says ab 0.1.1 is not yanked" "false" "$(index_line 2/ab 0.1.1 | jq -c .yanked)"
rm -f "$APP/Cargo.lock"
cargo_in "$APP" generate-lockfile
check_ok "generate-lockfile after the unyank"
check_contains "a fresh lock picks ab 0.1.1 again" $'name = "ab"\nversion = "0.1.1"' \
  "$(cat "$APP/Cargo.lock")"

# ---------------------------------------------------------------- 5. owners
BOB_TOKEN=$(new_user bob)
cargo_in "$WORK" owner --registry private --add bob kitchen-sink
check_ok "cargo owner --add bob"
cargo_in "$WORK" owner --registry private --list kitchen-sink
check_ok "cargo owner --list"
check_contains "owner list has admin" "admin" "$OUT"
check_contains "owner list has bob" "bob" "$OUT"
cargo_in "$WORK" owner --registry private --remove bob kitchen-sink
check_ok "cargo owner --remove bob"
cargo_in "$WORK" owner --registry private --list kitchen-sink
check_ok "cargo owner --list after the removal"
check_contains "owner list still has admin" "admin" "$OUT"
if [[ "$OUT" == *bob* ]]; then fail "bob still listed: $OUT"; else pass "bob no longer listed"; fi

# ---------------------------------------------------------------- 6. search
cargo_in "$WORK" search --registry private kitchen
check_ok "cargo search kitchen"
check_contains "search finds kitchen-sink with its version" 'kitchen-sink = "0.1.0"' "$OUT"
check_contains "search shows the description" "Everything at once" "$OUT"

# ---------------------------------------------------------------- 7. info
cargo_in "$WORK" info --registry private kitchen-sink
check_ok "cargo info kitchen-sink"
check_contains "info shows the name" "kitchen-sink" "$OUT"
check_contains "info shows the version" "0.1.0" "$OUT"
check_contains "info shows the description" "Everything at once" "$OUT"
check_contains "info shows the features" "extra" "$OUT"
cargo_in "$WORK" info --registry private Mixed_Case-Name
check_ok "cargo info of the mixed-case crate"
check_contains "info shows the mixed-case crate's description" "e2e crate Mixed_Case-Name" "$OUT"

# ---------------------------------------------------------------- 8. non-owners are refused
CAROL_TOKEN=$(new_user carol)
lib_crate ab-0.2.0 ab 0.2.0 'pub fn minor() -> u32 { 2 }'
CARGO_REGISTRIES_PRIVATE_TOKEN="$CAROL_TOKEN" cargo_in "$SRC/ab-0.2.0" \
  publish --registry private --allow-dirty --no-verify
check_failed "a non-owner cannot publish a new version"
check_contains "the refusal says not an owner" "not an owner" "$OUT"
check_eq "ab 0.2.0 is not in the index" "" "$(index_line 2/ab 0.2.0)"
CARGO_REGISTRIES_PRIVATE_TOKEN="$CAROL_TOKEN" cargo_in "$WORK" \
  yank --registry private --version 0.1.0 ab
check_failed "a non-owner cannot yank"
check_contains "the yank refusal says not an owner" "not an owner" "$OUT"
check_eq "ab 0.1.0 is still not yanked" "false" "$(index_line 2/ab 0.1.0 | jq -c .yanked)"
# bob was an owner of kitchen-sink only briefly, and never of ab.
CARGO_REGISTRIES_PRIVATE_TOKEN="$BOB_TOKEN" cargo_in "$WORK" \
  yank --registry private --version 0.1.0 kitchen-sink
check_failed "a removed owner cannot yank"

# ---------------------------------------------------------------- 9. no or bad token
for url in "$BASE/index/config.json" "$BASE/index/2/ab" "$BASE/api/v1/crates/ab/0.1.0/download"; do
  headers=$(curl -s -D - -o /dev/null "$url" | tr -d '\r')
  check_eq "no token: 401 on ${url#"$BASE"}" "401" "$(head -1 <<<"$headers" | cut -d' ' -f2)"
  check_contains "no token: WWW-Authenticate on ${url#"$BASE"}" \
    "cargo login_url=" "$(grep -i '^www-authenticate:' <<<"$headers" | tr 'A-Z' 'a-z')"
done
headers=$(curl -s -D - -o /dev/null "$BASE/index/config.json" | tr -d '\r')
check_contains "WWW-Authenticate has the exact Cargo scheme" 'Cargo login_url="' \
  "$(grep -i '^www-authenticate:' <<<"$headers")"
check_eq "bad token: 401 on an index file" "401" \
  "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: crg_bad' "$BASE/index/2/ab")"

# cargo with a bad token and an empty cache (so it must ask the server).
BAD="$WORK/app-bad-token"
mkdir -p "$BAD/src" "$WORK/cargo-home-bad"
cp "$APP/Cargo.toml" "$BAD/"
cp "$APP/src/main.rs" "$BAD/src/"
cp "$CARGO_HOME/config.toml" "$WORK/cargo-home-bad/"
CARGO_HOME="$WORK/cargo-home-bad" CARGO_REGISTRIES_PRIVATE_TOKEN="crg_not_a_real_token" \
  cargo_in "$BAD" generate-lockfile
check_failed "cargo with a bad token fails"
check_contains "cargo says the token was rejected" "token rejected for \`private\`" "$OUT"
check_contains "cargo shows the 401" "401" "$OUT"
CARGO_HOME="$WORK/cargo-home-bad" CARGO_REGISTRIES_PRIVATE_TOKEN="crg_not_a_real_token" \
  cargo_in "$WORK" search --registry private kitchen
check_failed "cargo search with a bad token fails"
check_contains "cargo search says the token was rejected" "token rejected for \`private\`" "$OUT"
# The web API (as opposed to index and downloads) answers a bad token with 403 and a JSON detail.
body=$(curl -s -w '\n%{http_code}' -H 'Authorization: crg_bad' "$BASE/api/v1/crates?q=kitchen")
check_eq "API: bad token gets 403" "403" "$(tail -1 <<<"$body")"
check_contains "API: 403 body is cargo's JSON error shape" '{"errors":[{"detail":' "$(head -1 <<<"$body")"

# ---------------------------------------------------------------- 11. check, backup, restore
# What cargo published survives the operator's commands, run beside the serving process.
rc=0; out=$("$REGISTRY_BIN" check --data "$DATA" 2>&1) || rc=$?
check_eq "check of the published registry exits 0" 0 "$rc"
rc=0; "$REGISTRY_BIN" backup --data "$DATA" "$WORK/backup.cpio.zst" 2>"$WORK/backup.err" || rc=$?
check_eq "backup while serving exits 0" 0 "$rc"
rc=0; "$REGISTRY_BIN" restore "$WORK/backup.cpio.zst" --data "$WORK/restored" \
  2>"$WORK/restore.err" || rc=$?
check_eq "restore exits 0" 0 "$rc"
check_contains "restore verified every checksum" "every checksum verified" "$(cat "$WORK/restore.err")"
rc=0; out=$("$REGISTRY_BIN" check --data "$WORK/restored" 2>&1) || rc=$?
check_eq "check of the restored registry exits 0" 0 "$rc"
check_eq "the restored registry holds the same blobs" \
  "$(cd "$DATA/blobs" && find . -type f | sort)" "$(cd "$WORK/restored/blobs" && find . -type f | sort)"

finish
