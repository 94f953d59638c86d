#!/usr/bin/env bash
# Hosted docs in a real browser: docs made by stock `cargo doc` (memchr 2.5.0 and 2.5.1, itoa
# 1.0.1, from Debian's crate sources) are uploaded with `registry docs upload`, then Debian's
# chromium, driven by playwright-core (tests/browser/docs.test.mjs), signs in, follows the
# crate page's Docs link and uses rustdoc inside the sandbox: the sidebar, a source page, the
# settings, the search, /docs/NAME/latest/, with no console error. A crate of a second user
# carries hostile "docs" whose script tries the API with the administrator's session; it must
# get nothing, and no token appears. Signing out ends the docs' grants. The browser's network
# is cut off from everything but the registry (the docs' own images of other hosts get a
# stand-in).
# Usage: bash tests/e2e/docs_browser_test.sh build/registry. Needs cargo, node,
# /usr/bin/chromium and `npm ci --prefix tests/browser` (scripts/setup.sh --test does all that).
# UPDATE_SCREENSHOTS=1 writes the docs page's screenshot to docs/screenshots/docs.png
# (otherwise to the work dir).
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

command -v cargo >/dev/null || { echo "cargo not found"; exit 1; }
command -v node >/dev/null || { echo "node not found"; exit 1; }
[ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium not found: apt-get install chromium"; exit 1; }
[ -d "$ROOT/tests/browser/node_modules/playwright-core" ] ||
  { echo "playwright-core missing: run npm ci --prefix tests/browser"; exit 1; }
started=$(date +%s)

# Debian's crate sources (debian_crate) and a cargo home that finds their dependencies there.
UP="$WORK/upstream" STAND_IN_WORK="$WORK"
source "$(dirname "$0")/stand_in.sh"

start_server --quiet
[ -n "${ADMIN_TOKEN:-}" ] || { echo "no admin token printed on first start"; exit 1; }
ADMIN_PASSWORD=$(sed -n '4p' "$WORK/server.out" | tr -d ' ')
[ -n "$ADMIN_PASSWORD" ] || { echo "no admin password on line 4 of the first start"; exit 1; }
EVIL_TOKEN=$(new_user evil-author)
[[ "$EVIL_TOKEN" == crg_* ]] || { echo "no token for evil-author: [$EVIL_TOKEN]"; exit 1; }

# ---------------------------------------------------------------- versions to hang docs on
# publish NAME VERSION TOKEN: a stand-in .crate of that name and version (make_crate.py).
publish() {
  python3 "$(dirname "$0")/make_crate.py" body "$1" "$2" >"$WORK/body.bin"
  check_eq "publish $1 $2" 200 "$(curl -s -o "$WORK/publish.json" -w '%{http_code}' -X PUT \
    -H "Authorization: $3" --data-binary @"$WORK/body.bin" "$BASE/api/v1/crates/new")"
}
publish memchr 2.5.0 "$ADMIN_TOKEN"
publish memchr 2.5.1 "$ADMIN_TOKEN"
publish itoa 1.0.1 "$ADMIN_TOKEN"
publish itoa 1.0.2 "$ADMIN_TOKEN" # newest, and without docs
publish no-docs 0.1.0 "$ADMIN_TOKEN"
publish evil 0.1.0 "$EVIL_TOKEN"

# ---------------------------------------------------------------- docs by stock cargo doc
# rustdoc_tree NAME-VERS VERSION: `cargo doc --no-deps` of Debian's NAME-VERS sources with
# VERSION in their Cargo.toml; prints the target/doc directory.
rustdoc_tree() {
  local src="$WORK/src/$1-as-$2" target="$WORK/doc-target/$1-as-$2"
  mkdir -p "$WORK/src"
  debian_crate "$1" "$src"
  sed -i "0,/^version = .*/s//version = \"$2\"/" "$src/Cargo.toml"
  (cd "$src" && CARGO_HOME="$PKG_HOME" CARGO_TARGET_DIR="$target" CARGO_TERM_COLOR=never \
     timeout 120 cargo doc --no-deps --offline --quiet 2>"$WORK/cargo-doc.err") ||
    { echo "cargo doc failed for $1 as $2:"; cat "$WORK/cargo-doc.err"; exit 1; }
  echo "$target/doc"
}

# upload_docs NAME VERSION DIR TOKEN: `registry docs upload` of DIR (a target/doc tree) with
# TOKEN as cargo's; sets UPLOAD_RC and UPLOAD_URL (what it prints: the docs' address).
upload_docs() {
  set +e
  UPLOAD_URL=$(CARGO_REGISTRIES_PRIVATE_TOKEN=$4 timeout 120 "$REGISTRY_BIN" docs upload \
    --url "$BASE" "$1" "$2" "$3" 2>"$WORK/upload.err")
  UPLOAD_RC=$?
  set -e
  [ "$UPLOAD_RC" = 0 ] || cat "$WORK/upload.err"
}

doc_started=$(date +%s)
for spec in "memchr-2.5.0 2.5.0" "memchr-2.5.0 2.5.1" "itoa-1.0.1 1.0.1"; do
  set -- $spec
  tree=$(rustdoc_tree "$1" "$2")
  name=${1%-*}
  check_eq "cargo doc wrote $name $2's pages" yes \
    "$([ -f "$tree/$name/index.html" ] && grep -q "<span class=\"version\">$2</span>" "$tree/$name/index.html" && echo yes)"
  upload_docs "$name" "$2" "$tree" "$ADMIN_TOKEN"
  check_eq "registry docs upload of $name $2" "0 $BASE/docs/$name/$2/" "$UPLOAD_RC $UPLOAD_URL"
done
echo "# cargo doc and uploads took $(($(date +%s) - doc_started)) s"

check_eq "the crate's versions name their docs (or null)" \
  '["2.5.1","/docs/memchr/2.5.1/"] ["2.5.0","/docs/memchr/2.5.0/"]' \
  "$(curl -s -H "Authorization: $ADMIN_TOKEN" "$BASE/api/v1/crates/memchr" |
     jq -c '.versions[] | [.num, .docs_url]' | tr '\n' ' ' | sed 's/ $//')"
check_eq "itoa 1.0.2 has none" '["1.0.2",null] ["1.0.1","/docs/itoa/1.0.1/"]' \
  "$(curl -s -H "Authorization: $ADMIN_TOKEN" "$BASE/api/v1/crates/itoa" |
     jq -c '.versions[] | [.num, .docs_url]' | tr '\n' ' ' | sed 's/ $//')"

# ---------------------------------------------------------------- hostile docs
# evil 0.1.0's owner (not an administrator) uploads a page whose script tries the API: read
# the session, the tokens and the users, create a token (JSON and form-encoded), read the
# cookie and the storage, use its own docs grant as an API token and on another crate's
# docs. It writes what it got into <pre id=result>.
mkdir -p "$WORK/evil-doc/evil"
cat >"$WORK/evil-doc/evil/index.html" <<'EOF'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>evil - Rust</title></head>
<body><h1>Crate evil</h1><pre id="result">running</pre>
<iframe name="sink" title="sink"></iframe>
<form id="form" method="post" action="/api/v1/tokens" target="sink">
<input name="name" value="stolen-by-form"><input name="scopes" value="read"></form>
<script>
(async () => {
  const out = {};
  const grab = async (label, url, init) => {
    try {
      const r = await fetch(url, init);
      let body = "";
      try { body = await r.text(); } catch (e) { body = "unreadable: " + e; }
      out[label] = { status: r.status, type: r.type, body: body.slice(0, 2000) };
    } catch (e) {
      out[label] = { error: String(e) };
    }
  };
  const grant = (location.pathname.match(/^\/docs\/~([^/]+)\//) || [])[1] || "";
  out.grant_seen = grant !== "";
  out.origin = String(self.origin);
  await grab("session", "/api/v1/session");
  await grab("session_include", "/api/v1/session", { credentials: "include" });
  await grab("tokens", "/api/v1/tokens", { credentials: "include" });
  await grab("users", "/api/v1/users", { credentials: "include" });
  await grab("post_json", "/api/v1/tokens", {
    method: "POST", credentials: "include", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "stolen", scopes: ["read"] }) });
  await grab("post_form", "/api/v1/tokens", {
    method: "POST", mode: "no-cors", credentials: "include",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "name=stolen&scopes=read" });
  await grab("grant_as_token", "/api/v1/tokens", { headers: { Authorization: grant } });
  await grab("other_crate_docs", `/docs/~${grant}/memchr/2.5.1/memchr/index.html`);
  await grab("docs_without_grant", "/docs/memchr/2.5.1/memchr/index.html", { credentials: "include" });
  try { document.getElementById("form").submit(); out.form = "submitted"; } catch (e) { out.form = String(e); }
  try { out.cookie = document.cookie; } catch (e) { out.cookie_error = String(e); }
  try { out.local_storage = Object.keys(window.localStorage); } catch (e) { out.local_storage_error = String(e); }
  try { out.session_storage = Object.keys(window.sessionStorage); } catch (e) { out.session_storage_error = String(e); }
  document.getElementById("result").textContent = JSON.stringify(out, null, 1);
  document.body.dataset.done = "1";
})();
</script></body></html>
EOF
upload_docs evil 0.1.0 "$WORK/evil-doc" "$EVIL_TOKEN"
check_eq "evil-author uploads evil 0.1.0's docs" "0 $BASE/docs/evil/0.1.0/" "$UPLOAD_RC $UPLOAD_URL"

# ---------------------------------------------------------------- the browser
SIGNALS="$WORK/browser"
mkdir -p "$SIGNALS"
SHOTS="$WORK/screenshots"
if [ "${UPDATE_SCREENSHOTS:-0}" = 1 ]; then SHOTS="$ROOT/docs/screenshots"; fi
set +e
ADMIN_PASSWORD="$ADMIN_PASSWORD" SCREENSHOT_DIR="$SHOTS" \
  timeout 150 node "$ROOT/tests/browser/docs.test.mjs" "$BASE" "$SIGNALS"
node_rc=$?
set -e
check_eq "the browser test passed (node exit status)" 0 "$node_rc"

# After the hostile page: no user has a new token. The docs grant is no API credential, and
# the browser signed out at the end, which ended it.
TOKENS=$("$REGISTRY_BIN" token list --data "$DATA" --all)
check_eq "no token named stolen exists" "" "$(grep -i stolen <<<"$TOKENS" || true)"
check_eq "... of the two tokens there are" 2 "$(grep -c -E '^[0-9]+ ' <<<"$TOKENS")"
if [ -s "$SIGNALS/grant" ]; then
  GRANT=$(cat "$SIGNALS/grant")
  check_eq "a docs grant is refused as an API token" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $GRANT" "$BASE/api/v1/crates/memchr")"
  check_eq "after the browser signed out, its grant opens nothing" \
    "401 the web session these docs were opened in has ended; sign in again" \
    "$(curl -s -o "$WORK/ended.json" -w '%{http_code}' "$BASE/docs/~$GRANT/memchr/2.5.1/memchr/index.html") $(jq -r '.errors[0].detail' "$WORK/ended.json")"
else
  fail "the browser wrote no docs grant"
fi
echo "# docs browser test took $(($(date +%s) - started)) s; screenshot in $SHOTS"
finish
