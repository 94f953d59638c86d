#!/usr/bin/env bash
# The web UI in a real browser: Debian's chromium, driven by playwright-core
# (tests/browser/ui.test.mjs), against the real registry binary, with crates published by the
# real cargo. The browser creates a token that cargo then uses, and revokes it, after which
# cargo is refused. The browser's network is cut off from everything but the registry.
# Usage: bash tests/e2e/browser_test.sh build/registry. Needs cargo, node, /usr/bin/chromium
# and `npm ci --prefix tests/browser` (scripts/setup.sh --test does all that).
# UPDATE_SCREENSHOTS=1 writes the screenshots to docs/screenshots/ (otherwise to the work dir).
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

command -v cargo >/dev/null || { echo "cargo not found"; exit 1; }
command -v node >/dev/null || { echo "node not found"; exit 1; }
[ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium not found: apt-get install chromium"; exit 1; }
[ -d "$ROOT/tests/browser/node_modules/playwright-core" ] ||
  { echo "playwright-core missing: run npm ci --prefix tests/browser"; exit 1; }
command -v nginx >/dev/null || { echo "nginx not found"; exit 1; }
started=$(date +%s)

# A stand-in crates.io (tests/e2e/stand_in.sh) holding itoa, which the mirror caches below, so
# the UI has a crates.io crate to mark.
UP="$WORK/upstream" STAND_IN_WORK="$WORK"
source "$(dirname "$0")/stand_in.sh"
UP_PORT=$(free_port)
stand_in_config "http://127.0.0.1:$UP_PORT"
debian_crate itoa-1.0.1
publish_upstream "$WORK/pkg/itoa-1.0.1"
stand_in_nginx "$WORK/nginx" "$UP_PORT"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' 2>>"$WORK/nginx/logs/stderr" &
NGINX_PID=$!
trap 'kill "$NGINX_PID" 2>/dev/null || true; cleanup' EXIT

start_server --quiet --upstream "http://127.0.0.1:$UP_PORT/index/"
[ -n "${ADMIN_TOKEN:-}" ] || { echo "no admin token printed on first start"; exit 1; }
ADMIN_PASSWORD=$(sed -n '4p' "$WORK/server.out" | tr -d ' ')
[ -n "$ADMIN_PASSWORD" ] || { echo "no admin password on line 4 of the first start"; exit 1; }

use_private_cargo "$ADMIN_TOKEN"
check_eq "the mirror caches itoa from the stand-in crates.io" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $ADMIN_TOKEN" \
     "$BASE/crates-io/api/v1/crates/itoa/1.0.1/download")"

SRC="$WORK/src"
# new_crate DIR NAME VERSION EXTRA_TOML: a library crate; EXTRA_TOML ends its Cargo.toml.
new_crate() {
  mkdir -p "$SRC/$1/src"
  cat >"$SRC/$1/Cargo.toml" <<EOF
[package]
name = "$2"
version = "$3"
edition = "2021"
license = "MIT"
$4
EOF
  echo 'pub fn answer() -> u32 { 42 }' >"$SRC/$1/src/lib.rs"
}

# ---------------------------------------------------------------- crates to look at
# 21 tiny crates so that a search has two pages (20 a page).
bulk=$(python3 "$(dirname "$0")/make_crate.py" bulk "$BASE" "$ADMIN_TOKEN" pagefill- 21 \
  "a crate that fills a page of search results")
check_eq "21 filler crates published" "ok 21" "$bulk"

new_crate helper ui-helper 0.1.0 'description = "A helper the demo crate can use"'
cargo_in "$SRC/helper" publish --registry private --allow-dirty --no-verify
check_ok "cargo publish ui-helper"

DEMO_TOML='description = "The crate the browser test looks at"
repository = "https://git.example.com/ui-demo"
keywords = ["demo", "web"]
readme = "README.md"

[features]
default = ["std"]
std = []
helper = ["dep:ui-helper"]

[dependencies]
ui-helper = { version = "0.1", registry = "private", optional = true }'
new_crate demo-0.1.0 ui-demo 0.1.0 "$DEMO_TOML"
new_crate demo-0.2.0 ui-demo 0.2.0 "$DEMO_TOML"
echo '# ui-demo 0.1.0' >"$SRC/demo-0.1.0/README.md"
# A README with a heading, a table, an autolink, hostile HTML and links, a table of contents,
# relative links and images, a footnote, <details> and code to highlight.
cat >"$SRC/demo-0.2.0/README.md" <<'EOF'
# UI demo heading

Contents: [Usage](#usage). See the [guide](docs/guide.md) and [the parent](../up.md).

![logo](logo.svg)

<details>
<summary>More about the demo</summary>

Hidden text.[^why]

</details>

| Feature | What it does |
|---------|--------------|
| std     | uses the standard library |
| helper  | pulls in ui-helper |

Docs live at https://docs.example.com/ui-demo (an autolink).

<script>window.__pwned=1</script>

[x](javascript:alert(1))

<img src=x onerror="window.__pwned=1">

<iframe src="https://example.com"></iframe>

## Usage

```rust
fn main() { println!("hello"); }
```

```toml
[dependencies]
ui-demo = "0.2"
```

[^why]: Because a footnote needs a reason.
EOF
cargo_in "$SRC/demo-0.1.0" publish --registry private --allow-dirty --no-verify
check_ok "cargo publish ui-demo 0.1.0"
cargo_in "$SRC/demo-0.2.0" publish --registry private --allow-dirty
check_ok "cargo publish ui-demo 0.2.0 (with verification)"

# A binary crate (no library) for the crate page: its install box, documentation link, categories, the
# tags of a dependency row (default-features = false, features) and ui-demo's dependents.
# Two versions, so the page's owner controls have one to yank and unyank.
TOOL_TOML='description = "A command-line tool built on ui-demo"
documentation = "https://docs.example.com/ui-tool"
categories = ["command-line-utilities"]

[dependencies]
ui-demo = { version = "0.2", registry = "private", default-features = false, features = ["helper"] }'
for v in 0.1.0 0.2.0; do
  new_crate "tool-$v" ui-tool "$v" "$TOOL_TOML"
  # Only binaries: a project cannot depend on it.
  rm "$SRC/tool-$v/src/lib.rs"
  echo 'fn main() { println!("{}", ui_demo::answer()); }' >"$SRC/tool-$v/src/main.rs"
  mkdir -p "$SRC/tool-$v/src/bin"
  echo 'fn main() {}' >"$SRC/tool-$v/src/bin/ui-tool-extra.rs"
  cargo_in "$SRC/tool-$v" publish --registry private --allow-dirty --no-verify
  check_ok "cargo publish ui-tool $v (a binary crate)"
done
check_eq "the crate info names ui-tool's binaries, found in the .crate" '["ui-tool","ui-tool-extra"]' \
  "$(curl -s -H "Authorization: $ADMIN_TOKEN" "$BASE/api/v1/crates/ui-tool" | jq -c '.versions[0].bin_names')"
check_eq "... and no library" 'false' \
  "$(curl -s -H "Authorization: $ADMIN_TOKEN" "$BASE/api/v1/crates/ui-tool" | jq -c '.versions[0].has_lib')"
check_eq "a library crate has a library and no binaries" 'true []' \
  "$(curl -s -H "Authorization: $ADMIN_TOKEN" "$BASE/api/v1/crates/ui-demo" |
     jq -c '.versions[0].has_lib, .versions[0].bin_names' | tr '\n' ' ' | sed 's/ $//')"
check_eq "ui-demo's dependents: ui-tool, by its requirement" '[{"name":"ui-tool","req":"^0.2"}]' \
  "$(curl -s -H "Authorization: $ADMIN_TOKEN" "$BASE/api/v1/crates/ui-demo/reverse_dependencies" |
     jq -c '[.dependents[] | {name, req: .uses[0].req}]')"
check_eq "reverse dependencies of a crate that is not there: 404 in cargo's shape" \
  '404 crate `no-such-crate` does not exist' \
  "$(curl -s -w '%{http_code}' -o "$WORK/revdeps.json" -H "Authorization: $ADMIN_TOKEN" \
     "$BASE/api/v1/crates/no-such-crate/reverse_dependencies") $(jq -r '.errors[0].detail' "$WORK/revdeps.json")"

# The yank makes ui-demo the most recently updated crate again (search lists it first).
sleep 1
cargo_in "$WORK" yank --registry private --version 0.1.0 ui-demo
check_ok "cargo yank ui-demo 0.1.0"

# ---------------------------------------------------------------- the browser
SIGNALS="$WORK/browser"
mkdir -p "$SIGNALS"
SHOTS="$WORK/screenshots"
if [ "${UPDATE_SCREENSHOTS:-0}" = 1 ]; then SHOTS="$ROOT/docs/screenshots"; fi
ADMIN_PASSWORD="$ADMIN_PASSWORD" SCREENSHOT_DIR="$SHOTS" \
  timeout 240 node "$ROOT/tests/browser/ui.test.mjs" "$BASE" "$SIGNALS" &
NODE_PID=$!

# wait_for FILE: until the browser test writes FILE (60 s at most, or until it exits).
wait_for() {
  local i
  for i in $(seq 1 600); do
    [ -e "$1" ] && return 0
    kill -0 "$NODE_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# A consumer of ui-demo, built from a fresh cargo home so every index file and crate is
# fetched with the token under test.
APP="$WORK/app"
app_crate "$APP" 'ui-demo = { version = "0.2", registry = "private", features = ["helper"] }' \
  'fn main() { println!("answer={}", ui_demo::answer()); }'
new_crate second ui-second 0.1.0 'description = "Published with a token made in the browser"'

if wait_for "$SIGNALS/token.secret"; then
  SECRET=$(cat "$SIGNALS/token.secret")
  if [[ "$SECRET" == crg_* ]]; then pass "the browser read a crg_ secret off the page"; else fail "secret [$SECRET]"; fi
  write_cargo_config "$WORK/cargo-home-web"
  CARGO_HOME="$WORK/cargo-home-web" CARGO_REGISTRIES_PRIVATE_TOKEN="$SECRET" cargo_in "$APP" run --quiet
  check_ok "cargo run of a project depending on ui-demo, with the browser's token"
  check_eq "the dependency's code ran" "answer=42" "$OUT"
  CARGO_HOME="$WORK/cargo-home-web" CARGO_REGISTRIES_PRIVATE_TOKEN="$SECRET" \
    cargo_in "$SRC/second" publish --registry private --allow-dirty --no-verify
  check_ok "cargo publish of a new crate with the browser's token"
  touch "$SIGNALS/cargo.done"

  if wait_for "$SIGNALS/token.revoked"; then
    rm -rf "$WORK/cargo-home-web"
    write_cargo_config "$WORK/cargo-home-web"
    rm -f "$APP/Cargo.lock"
    CARGO_HOME="$WORK/cargo-home-web" CARGO_REGISTRIES_PRIVATE_TOKEN="$SECRET" \
      cargo_in "$APP" generate-lockfile
    check_failed "cargo with the revoked token fails"
    check_contains "cargo says the token was rejected" "token rejected for \`private\`" "$OUT"
    check_contains "cargo shows the 401" "401" "$OUT"
    new_crate second-0.2.0 ui-second 0.2.0 'description = "must not be published"'
    CARGO_HOME="$WORK/cargo-home-web" CARGO_REGISTRIES_PRIVATE_TOKEN="$SECRET" \
      cargo_in "$SRC/second-0.2.0" publish --registry private --allow-dirty --no-verify
    check_failed "cargo publish with the revoked token fails"
  else
    fail "the browser did not revoke the token"
  fi
else
  fail "the browser did not create a token"
fi

set +e
wait "$NODE_PID"
node_rc=$?
set -e
check_eq "the browser test passed (node exit status)" 0 "$node_rc"
echo "# browser test took $(($(date +%s) - started)) s; screenshots in $SHOTS"
finish
