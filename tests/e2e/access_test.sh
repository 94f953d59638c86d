#!/usr/bin/env bash
# End-to-end access control with the real binary, the real cargo and curl: token scopes as cargo
# sees them, expiry, back-off for bad tokens and failed sign-ins, secrets never stored or logged
# in clear, and the user/token/audit commands.
# Usage: bash tests/e2e/access_test.sh build/registry. Needs cargo, curl, jq; only 127.0.0.1.
source "$(dirname "$0")/lib.sh"

command -v cargo >/dev/null || { echo "cargo not found"; exit 1; }
command -v jq >/dev/null || { echo "jq not found"; exit 1; }
SECONDS=0

# Phase 1 (a, b, c, f) sends a few bad tokens on purpose; the back-off gets its own server
# with the default limit in phase 2 (d), so these cannot interfere with it.
start_server --failed-auth-limit off
[ -n "${ADMIN_TOKEN:-}" ] || { echo "no admin token printed on first start"; exit 1; }
ADMIN_PW=$(sed -n '4p' "$WORK/server.out" | tr -d ' ')
[ -n "$ADMIN_PW" ] || { echo "no admin password printed on first start"; exit 1; }

export CARGO_TERM_COLOR=never CARGO_TERM_PROGRESS_WHEN=never CARGO_HTTP_TIMEOUT=30
export CARGO_TARGET_DIR="$WORK/target"
unset CARGO_REGISTRY_TOKEN CARGO_REGISTRIES_PRIVATE_TOKEN CARGO_BUILD_TARGET RUSTC_WRAPPER \
  RUSTFLAGS 2>/dev/null || true

# cargo_home NAME: a fresh CARGO_HOME (empty caches, so cargo must ask the server) for the registry.
cargo_home() {
  local home="$WORK/cargo-$1"
  write_cargo_config "$home"
  echo "$home"
}
# cargo_as TOKEN HOME DIR ARGS...: runs cargo in DIR with that token (bounded); sets OUT, RC.
# VERBOSE=1 echoes each command and its output.
cargo_as() {
  local token=$1 home=$2 dir=$3
  shift 3
  set +e
  OUT=$(cd "$dir" && CARGO_HOME="$home" CARGO_REGISTRIES_PRIVATE_TOKEN="$token" \
    timeout 120 cargo "$@" 2>&1)
  RC=$?
  set -e
  if [ "${VERBOSE:-0}" = 1 ]; then
    echo "    \$ (in ${dir#"$WORK"/}) cargo $* -> $RC"
    printf '%s\n' "$OUT" | sed 's/^/    | /'
  fi
}
check_lacks() { if [[ "$3" != *"$2"* ]]; then pass "$1"; else fail "$1: [$2] found in [$3]"; fi; }

# status TOKEN PATH [curl args...]: the HTTP status of a request (body in $WORK/body).
status() {
  local token=$1 path=$2
  shift 2
  local auth=()
  [ -z "$token" ] || auth=(-H "Authorization: $token")
  curl -sS -o "$WORK/body" -D "$WORK/hdr" -w '%{http_code}' --max-time 15 "${auth[@]}" "$@" \
    "$BASE$path" || echo "curl-failed"
}
hdr() { { grep -i "^$1:" "$WORK/hdr" || true; } | head -1 | sed 's/^[^:]*: *//' | tr -d '\r'; }

# user_add NAME PASSWORD [--admin]: a user with a web password given on stdin.
user_add() {
  local name=$1 pw=$2
  shift 2
  printf '%s\n' "$pw" | "$REGISTRY_BIN" user add --data "$DATA" "$name" --password-stdin "$@" \
    2>>"$WORK/cli.err"
}
# token_create VAR ARGS...: creates a token (`registry token create --data DIR ARGS`), stores the
# secret in VAR and its id in VAR_ID.
token_create() {
  local var=$1 secret id
  shift
  secret=$("$REGISTRY_BIN" token create --data "$DATA" "$@" 2>"$WORK/token.err")
  id=$(sed -n 's/^token \([0-9]*\) for .*/\1/p' "$WORK/token.err")
  cat "$WORK/token.err" >>"$WORK/cli.err"
  [[ "$secret" == crg_* && -n "$id" ]] || { echo "token create $* failed"; cat "$WORK/token.err"; exit 1; }
  printf -v "$var" '%s' "$secret"
  printf -v "${var}_ID" '%s' "$id"
}

ALICE_PW="alice-pw-$RANDOM-$RANDOM-correct"
BOB_PW="bob-pw-$RANDOM-$RANDOM-correct"
DAVE_PW="dave-pw-$RANDOM-$RANDOM-correct"
WRONG_PW="not-the-password-$RANDOM"
user_add alice "$ALICE_PW"
user_add bob "$BOB_PW"
user_add dave "$DAVE_PW"

# The expiring token first: phases (a) and (b) take longer than its 2 s, so nobody waits long.
token_create EXPIRING --user alice --name expiring --expires 2s
EXPIRING_MADE=$(date +%s)
check_eq "(c) a token made with --expires 2s works at first" 200 \
  "$(status "$EXPIRING" /index/config.json)"

token_create ALICE --user alice --name full
token_create READER --user bob --name reader --scope read
token_create UPDATER --user alice --name updater --scope publish-update
token_create DAVE --user dave --name dave

SRC="$WORK/src"
# lib_crate DIR NAME VERSION: a minimal library crate.
lib_crate() {
  mkdir -p "$SRC/$1/src"
  cat >"$SRC/$1/Cargo.toml" <<EOF
[package]
name = "$2"
version = "$3"
edition = "2021"
description = "access test crate $2"
license = "MIT"
EOF
  echo "pub fn version() -> &'static str { \"$3\" }" >"$SRC/$1/src/lib.rs"
}
lib_crate acc-lib-0.1.0 acc-lib 0.1.0
lib_crate acc-lib-0.2.0 acc-lib 0.2.0
lib_crate acc-new acc-new 0.1.0
APP="$WORK/app"
app_crate "$APP" 'acc-lib = { version = "0.1", registry = "private" }' \
  'fn main() { println!("acc-lib {}", acc_lib::version()); }'

PUBLISH=(publish --registry private --allow-dirty --no-verify)
# versions INDEX_PATH: the versions in an index file, space-separated (read with alice's token).
versions() {
  curl -sf -H "Authorization: $ALICE" "$BASE/index/$1" | jq -r .vers | tr '\n' ' ' | sed 's/ $//'
}
ALICE_HOME=$(cargo_home alice)
cargo_as "$ALICE" "$ALICE_HOME" "$SRC/acc-lib-0.1.0" "${PUBLISH[@]}"
check_ok "alice publishes acc-lib 0.1.0 with a full token"

# ---------------------------------------------------------------------------------------------
echo "# (a) a read-only token builds against the registry but cannot publish"
READER_HOME=$(cargo_home reader)
cargo_as "$READER" "$READER_HOME" "$APP" run --quiet
check_ok "(a) cargo run with a read token downloads and builds acc-lib"
check_eq "(a) the dependency's code ran" "acc-lib 0.1.0" "$OUT"
cargo_as "$READER" "$READER_HOME" "$SRC/acc-lib-0.2.0" "${PUBLISH[@]}"
check_failed "(a) cargo publish with a read token fails"
check_contains "(a) cargo shows the 403" "403" "$OUT"
check_contains "(a) the refusal names the missing scope" "lacks the \`publish-update\` scope" "$OUT"
check_eq "(a) acc-lib 0.2.0 was not published" "0.1.0" \
  "$(versions ac/c-/acc-lib)"

# ---------------------------------------------------------------------------------------------
echo "# (b) a publish-update token: new versions yes, new crates no"
UPDATER_HOME=$(cargo_home updater)
cargo_as "$UPDATER" "$UPDATER_HOME" "$SRC/acc-new" "${PUBLISH[@]}"
check_failed "(b) cargo publish of a new crate with a publish-update token fails"
check_contains "(b) the refusal names publish-new" "lacks the \`publish-new\` scope" "$OUT"
check_eq "(b) acc-new is not in the index" 404 "$(status "$ALICE" /index/ac/c-/acc-new)"
cargo_as "$UPDATER" "$UPDATER_HOME" "$SRC/acc-lib-0.2.0" "${PUBLISH[@]}"
check_ok "(b) cargo publish of acc-lib 0.2.0 (owned by alice) with her publish-update token"
check_eq "(b) the index has both versions" "0.1.0 0.2.0" \
  "$(versions ac/c-/acc-lib)"

# ---------------------------------------------------------------------------------------------
echo "# (c) an expired token: cargo says the token was rejected"
for _ in $(seq 1 50); do [ "$(date +%s)" -ge $((EXPIRING_MADE + 3)) ] && break; sleep 0.1; done
check_eq "(c) the expired token gets 401 from the index" 401 "$(status "$EXPIRING" /index/config.json)"
check_contains "(c) the 401 says it expired" "expired on" "$(cat "$WORK/body")"
EXPIRED_HOME=$(cargo_home expired)
rm -f "$APP/Cargo.lock"
cargo_as "$EXPIRING" "$EXPIRED_HOME" "$APP" generate-lockfile
check_failed "(c) cargo with an expired token fails"
check_contains "(c) cargo prints its token-rejected message" "token rejected for \`private\`" "$OUT"
check_contains "(c) cargo shows the server's reason" "expired on" "$OUT"

# ---------------------------------------------------------------------------------------------
echo "# (f) the command line: users, roles, disabling, tokens, revocation"
list=$("$REGISTRY_BIN" user list --data "$DATA")
check_eq "(f) alice's row" "alice member enabled set" \
  "$(awk '$1 == "alice" {print $1, $2, $3, $4}' <<<"$list")"
check_eq "(f) admin's row" "admin admin enabled set" \
  "$(awk '$1 == "admin" {print $1, $2, $3, $4}' <<<"$list")"
"$REGISTRY_BIN" user role --data "$DATA" bob admin 2>>"$WORK/cli.err"
check_eq "(f) user role bob admin" "bob admin" \
  "$("$REGISTRY_BIN" user list --data "$DATA" | awk '$1 == "bob" {print $1, $2}')"
"$REGISTRY_BIN" user role --data "$DATA" bob member 2>>"$WORK/cli.err"
check_eq "(f) user role bob member" "bob member" \
  "$("$REGISTRY_BIN" user list --data "$DATA" | awk '$1 == "bob" {print $1, $2}')"

check_eq "(f) dave's token reads the index" 200 "$(status "$DAVE" /index/ac/c-/acc-lib)"
"$REGISTRY_BIN" user disable --data "$DATA" dave 2>>"$WORK/cli.err"
check_eq "(f) user list shows dave disabled" "dave disabled" \
  "$("$REGISTRY_BIN" user list --data "$DATA" | awk '$1 == "dave" {print $1, $3}')"
check_eq "(f) disabling dave stops his token at once (401 from the index)" 401 \
  "$(status "$DAVE" /index/ac/c-/acc-lib)"
check_contains "(f) the 401 says the account is disabled" "the account \`dave\` is disabled" \
  "$(cat "$WORK/body")"
check_contains "(f) the 401 carries cargo's challenge" 'Cargo login_url="' "$(hdr www-authenticate)"
"$REGISTRY_BIN" user enable --data "$DATA" dave 2>>"$WORK/cli.err"
check_eq "(f) enabling dave restores his token" 200 "$(status "$DAVE" /index/ac/c-/acc-lib)"

tokens=$("$REGISTRY_BIN" token list --data "$DATA" --user alice)
check_eq "(f) token list --user alice shows her tokens by name" "expiring full updater" \
  "$(awk 'NR > 1 {print $3}' <<<"$tokens" | sort | tr '\n' ' ' | sed 's/ $//')"
check_contains "(f) token list shows the updater's scopes" "read publish-update" \
  "$(grep " updater " <<<"$tokens")"
created=$(awk '$3 == "expiring" {print $4}' <<<"$tokens")
expires=$(awk '$3 == "expiring" {print $6}' <<<"$tokens")
check_eq "(f) token list shows the expiry of the --expires 2s token ($expires)" 2 \
  "$(( $(date -d "$expires" +%s 2>/dev/null || echo 0) - $(date -d "$created" +%s 2>/dev/null || echo 9) ))"
check_lacks "(f) token list holds no secret" "crg_" "$tokens"
"$REGISTRY_BIN" token revoke --data "$DATA" "$UPDATER_ID" 2>>"$WORK/cli.err"
check_eq "(f) a revoked token gets 401 at once" 401 "$(status "$UPDATER" /index/config.json)"
check_contains "(f) the 401 says it was revoked" "was revoked on" "$(cat "$WORK/body")"
check_lacks "(f) token list no longer shows it" " updater " \
  "$("$REGISTRY_BIN" token list --data "$DATA" --user alice)"
check_contains "(f) token list --all shows it revoked" "(revoked " \
  "$("$REGISTRY_BIN" token list --data "$DATA" --user alice --all | grep " updater ")"

# ---------------------------------------------------------------------------------------------
echo "# (e, setup) web sessions and a token made on the web"
signin() {  # signin LOGIN PASSWORD: POST /api/v1/session; body in $WORK/body
  status "" /api/v1/session -X POST -H 'Content-Type: application/json' \
    --data "$(jq -cn --arg l "$1" --arg p "$2" '{login: $l, password: $p}')"
}
check_eq "admin signs in with the password printed on first start" 200 "$(signin admin "$ADMIN_PW")"
ADMIN_SESSION=$(sed -n 's/^[Ss]et-[Cc]ookie: registry_session=\([^;]*\);.*/\1/p' "$WORK/hdr")
check_eq "alice signs in" 200 "$(signin alice "$ALICE_PW")"
SESSION=$(sed -n 's/^[Ss]et-[Cc]ookie: registry_session=\([^;]*\);.*/\1/p' "$WORK/hdr")
CSRF=$(jq -r .csrf_token "$WORK/body")
[ -n "$SESSION" ] && [ -n "$CSRF" ] || { echo "no session from sign-in"; exit 1; }
check_eq "alice creates a token on the web" 200 \
  "$(status "" /api/v1/tokens -X POST -H "Cookie: registry_session=$SESSION" \
     -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
     --data '{"name":"web","scopes":["read"],"expires_in_days":1}')"
WEB_TOKEN=$(jq -r .secret "$WORK/body")
check_eq "the web token reads the index" 200 "$(status "$WEB_TOKEN" /index/ac/c-/acc-lib)"

# ---------------------------------------------------------------------------------------------
echo "# (d) back-off, on a fresh server with the default limit"
sleep 1   # every phase-1 event is now strictly before MARK
MARK=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cp "$WORK/server.out" "$WORK/server1.out"
cp "$WORK/server.err" "$WORK/server1.err"
stop_server
start_server
UNKNOWN=crg_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
got=""
for i in 1 2 3 4 5 6; do got+="$(status "$UNKNOWN" /index/config.json) "; done
# FailureLimiter (failure_limiter.h): failures 1-5 are free and failure 6 starts the back-off,
# so the 6th request is still answered (401) and only the 7th is held back.
check_eq "(d) the first six bad-token requests get 401" "401 401 401 401 401 401 " "$got"
# The block is whole seconds from the 6th failure; if a second boundary passed, the 7th fails
# once more (and blocks for 2 s), so the 8th is refused for sure.
first_429=""
for i in 7 8; do
  st=$(status "$UNKNOWN" /index/config.json)
  if [ "$st" = 429 ]; then first_429=$i; break; fi
done
if [ -n "$first_429" ]; then pass "(d) then bad tokens get 429 (from request $first_429 on)"; else
  fail "(d) no 429 by request 8 (last status $st)"; fi
ra=$(hdr retry-after)
if [[ "$ra" =~ ^[1-9][0-9]*$ ]]; then pass "(d) the 429 has Retry-After: $ra"; else
  fail "(d) the 429's Retry-After is [$ra]"; fi
check_contains "(d) the 429 says why, in cargo's error shape" \
  '{"errors":[{"detail":"too many requests with bad tokens from this address' "$(cat "$WORK/body")"
check_eq "(d) a valid token from the same address still gets 200 (index)" 200 \
  "$(status "$ALICE" /index/ac/c-/acc-lib)"
check_eq "(d) ... and 200 on the API" 200 "$(status "$ALICE" "/api/v1/crates?q=acc")"
check_eq "(d) the bad token is still refused meanwhile" 429 "$(status "$UNKNOWN" /index/config.json)"

got=""
for i in 1 2 3 4 5 6; do got+="$(signin alice "$WRONG_PW") "; done
check_eq "(d) six wrong passwords for alice: 403 each" "403 403 403 403 403 403 " "$got"
# Wait (bounded) for a 429 with at least 2 s left, so the next requests surely fall inside it.
blocked=""
for _ in $(seq 1 20); do
  st=$(signin alice "$WRONG_PW")
  if [ "$st" = 429 ] && [ "$(hdr retry-after)" -ge 2 ] 2>/dev/null; then blocked=yes; break; fi
  sleep 0.3
done
check_eq "(d) failed sign-ins back off with 429 and Retry-After" yes "$blocked"
check_contains "(d) the sign-in 429 says why" "too many failed sign-ins for this user" \
  "$(cat "$WORK/body")"
check_eq "(d) alice is refused even with her right password while backing off" 429 \
  "$(signin alice "$ALICE_PW")"
check_eq "(d) bob signs in from the same address meanwhile" 200 "$(signin bob "$BOB_PW")"
BOB_SESSION=$(sed -n 's/^[Ss]et-[Cc]ookie: registry_session=\([^;]*\);.*/\1/p' "$WORK/hdr")
BOB_CSRF=$(jq -r .csrf_token "$WORK/body")

# ---------------------------------------------------------------------------------------------
echo "# (f) the audit log"
AUDIT=$("$REGISTRY_BIN" audit --data "$DATA")
for action in publish token-create token-revoke login login-failed user-disable user-enable \
              user-role; do
  check_eq "(f) audit lists $action" yes \
    "$(awk -v a="$action" '$2 == a {found = 1} END {print found ? "yes" : "no"}' <<<"$AUDIT")"
done
check_contains "(f) audit: alice published acc-lib 0.1.0" "publish  alice" \
  "$(grep 'acc-lib@0.1.0' <<<"$AUDIT")"
check_contains "(f) audit: the revocation names the token" "token $UPDATER_ID" \
  "$(grep '  token-revoke  ' <<<"$AUDIT")"
check_contains "(f) audit: dave's disabling" "user dave" "$(grep '  user-disable  ' <<<"$AUDIT")"
SINCE=$("$REGISTRY_BIN" audit --data "$DATA" --since "$MARK")
check_eq "(f) audit --since MARK: only phase 2 (login-failed, login)" "login login-failed" \
  "$(awk '{print $2}' <<<"$SINCE" | sort -u | tr '\n' ' ' | sed 's/ $//')"
check_eq "(f) audit --since in the future is empty" "" \
  "$("$REGISTRY_BIN" audit --data "$DATA" --since 2999-01-01)"

# ---------------------------------------------------------------------------------------------
echo "# (e) no secret in clear: data directory, server logs, audit output"
SECRETS=("$ADMIN_TOKEN" "$EXPIRING" "$ALICE" "$READER" "$UPDATER" "$DAVE" "$WEB_TOKEN" "$UNKNOWN"
         "$SESSION" "$BOB_SESSION" "$ADMIN_SESSION" "$CSRF" "$BOB_CSRF"
         "$ADMIN_PW" "$ALICE_PW" "$BOB_PW" "$DAVE_PW" "$WRONG_PW")
# Positive controls: the grep sees the database (a token's hash is there) and the printed token.
hash=$(printf '%s' "$ALICE" | sha256sum | cut -c1-64)
check_eq "(e) control: the hash of alice's token is in the data directory" yes \
  "$(grep -rqaF -- "$hash" "$DATA" && echo yes || echo no)"
check_eq "(e) control: the first start printed the admin token" yes \
  "$(grep -qF -- "$ADMIN_TOKEN" "$WORK/server1.out" && echo yes || echo no)"
check_contains "(e) server.out starts with the first-start block" "First start: created user" \
  "$(sed -n 1p "$WORK/server1.out")"
sed '1,/^$/d' "$WORK/server1.out" >"$WORK/server1.rest"   # all but the first-start block
printf '%s\n' "$AUDIT" >"$WORK/audit.out"
"$REGISTRY_BIN" token list --data "$DATA" --all >"$WORK/token-list.out"
"$REGISTRY_BIN" user list --data "$DATA" >"$WORK/user-list.out"
checked=("$DATA" "$WORK/server1.rest" "$WORK/server1.err" "$WORK/server.out" "$WORK/server.err"
         "$WORK/audit.out" "$WORK/token-list.out" "$WORK/user-list.out" "$WORK/cli.err")
found=""
for s in "${SECRETS[@]}"; do
  [ ${#s} -ge 8 ] || { fail "(e) a secret is unexpectedly short: [$s]"; continue; }
  where=$(grep -rlaF -- "$s" "${checked[@]}" || true)
  [ -z "$where" ] || found+="${s:0:12}... in: $(tr '\n' ' ' <<<"$where")"$'\n'
done
check_eq "(e) no token, session, CSRF token or password in any data file, log or listing" "" "$found"
pass "(e) checked $(find "$DATA" -type f | wc -l) data files, 8 logs and listings, ${#SECRETS[@]} secrets"

echo "runtime: ${SECONDS}s"
finish
