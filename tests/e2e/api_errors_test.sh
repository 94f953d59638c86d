# End-to-end: every error path of the HTTP API against the real binary, with curl only.
# Each check asserts the exact status, cargo's error shape {"errors":[{"detail":"..."}]} with the
# key words of the message, and that nothing stored changed after a refusal.
# Usage: bash tests/e2e/api_errors_test.sh build/registry
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

MK=(python3 -S "$HERE/make_crate.py")
LIMIT=64K            # --max-crate-size: the good crates are a few hundred bytes
SECONDS=0

# Many bad tokens follow; the back-off they would trigger has its own test.
start_server --max-crate-size "$LIMIT" --failed-auth-limit off
ALICE=$(new_user alice)
BOB=$(new_user bob)
CAROL=$(new_user carol)
H_ALICE="Authorization: $ALICE"
H_BOB="Authorization: $BOB"
H_CAROL="Authorization: $CAROL"
H_BAD="Authorization: crg_0000000000000000000000000000000000000000000000000000000000000000"

# ---------------------------------------------------------------------------------------------
# Helpers

# call METHOD PATH [curl args...]: sets ST; body in $WORK/body, headers in $WORK/hdr.
call() {
  local method=$1 path=$2
  shift 2
  rm -f "$WORK/body" "$WORK/hdr"
  : >"$WORK/body"   # curl leaves -o untouched when there is no body (304)
  ST=$(curl -sS -o "$WORK/body" -D "$WORK/hdr" -w '%{http_code}' --max-time 15 -X "$method" \
    "$@" "$BASE$path" 2>"$WORK/curl.err") || ST="curl-failed($(head -c 200 "$WORK/curl.err"))"
}
# hdr NAME: the value of response header NAME (case-insensitive), "" when absent.
hdr() { { grep -i "^$1:" "$WORK/hdr" || true; } | head -1 | sed 's/^[^:]*: *//' | tr -d '\r'; }
body() { cat "$WORK/body"; }

# publish TOKEN_HEADER BODY_FILE [curl args...]: PUT /api/v1/crates/new without Content-Type
# (as cargo <= 1.95 sends it) unless the extra args set one.
publish() {
  local auth=$1 file=$2
  shift 2
  call PUT /api/v1/crates/new -H "$auth" -H "Content-Type:" "$@" --data-binary "@$file"
}
# mkbody FILE NAME VERS [make_crate.py body options...]
mkbody() { local f=$1; shift; "${MK[@]}" body "$@" >"$f"; }

# Prints "DETAIL: <detail>" when the body is exactly {"errors":[{"detail":"<non-empty>"}]}.
error_detail() {
  python3 -S -c '
import json, sys
raw = open(sys.argv[1], "rb").read()
try:
    j = json.loads(raw)
except Exception:
    print("NOT-JSON: " + raw[:300].decode("utf-8", "replace")); sys.exit(0)
e = j.get("errors") if isinstance(j, dict) else None
if (isinstance(j, dict) and list(j) == ["errors"] and isinstance(e, list) and len(e) == 1
        and isinstance(e[0], dict) and list(e[0]) == ["detail"]
        and isinstance(e[0]["detail"], str) and e[0]["detail"]):
    print("DETAIL: " + e[0]["detail"])
else:
    print("BAD-SHAPE: " + json.dumps(j)[:300])
' "$WORK/body"
}

# expect_error DESC STATUS NEEDLE...: exact status, JSON content type, cargo's error shape, and
# a detail containing every needle.
expect_error() {
  local desc=$1 want=$2 d problems="" n ctype
  shift 2
  d=$(error_detail)
  [ "$ST" = "$want" ] || problems+=" status $ST, want $want;"
  [[ "$d" == "DETAIL: "* ]] || problems+=" not cargo's error shape;"
  ctype=$(hdr content-type)
  [[ "$ctype" == application/json* ]] || problems+=" content-type [$ctype];"
  for n in "$@"; do [[ "$d" == *"$n"* ]] || problems+=" detail lacks [$n];"; done
  if [ -z "$problems" ]; then pass "$desc -> $want"; else fail "$desc:$problems got [$d]"; fi
}
# expect_body DESC STATUS JSON: the body is that JSON value (same members and values; member
# order is free, as for any JSON reader such as cargo's).
expect_body() {
  if [ "$ST" = "$2" ] && python3 -S -c 'import json, sys
sys.exit(0 if json.load(open(sys.argv[1], "rb")) == json.loads(sys.argv[2]) else 1)' \
    "$WORK/body" "$3" 2>/dev/null; then pass "$1 -> $2"; else
    fail "$1: want $2 [$3], got $ST [$(head -c 300 "$WORK/body")]"; fi
}
# expect_json DESC STATUS PYTHON_EXPR: the expression (over the parsed body `j`) must be true.
expect_json() {
  local ok=1
  [ "$ST" = "$2" ] || ok=0
  if [ $ok = 1 ] && ! python3 -S -c 'import json, sys; j = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$WORK/body" "$3" 2>/dev/null; then ok=0; fi
  if [ $ok = 1 ]; then pass "$1 -> $2"; else fail "$1: want $2 and [$3], got $ST [$(head -c 400 "$WORK/body")]"; fi
}
# expect_401 DESC NEEDLE: 401 with cargo's WWW-Authenticate challenge pointing at /me.
expect_401() {
  expect_error "$1" 401 "$2"
  check_eq "$1: WWW-Authenticate" "Cargo login_url=\"$LOGIN_BASE/me\"" "$(hdr www-authenticate)"
}

# raw MODE [TOKEN LENGTH]: a hand-made request over a socket (make_crate.py raw); sets ST and
# the body like call does ("none" when the server closed without a reply).
raw() {
  local out
  out=$(timeout 20 "${MK[@]}" raw 127.0.0.1 "$PORT" "$@" || echo "raw-failed")
  ST=${out%%$'\n'*}
  printf '%s' "${out#*$'\n'}" >"$WORK/body"
  echo "Content-Type: application/json" >"$WORK/hdr"   # checked by expect_error; raw drops it
}

idx_path() {
  local n=${1,,}
  case ${#n} in
    1) echo "1/$n" ;; 2) echo "2/$n" ;; 3) echo "3/${n:0:1}/$n" ;; *) echo "${n:0:2}/${n:2:2}/$n" ;;
  esac
}
# index_state NAME: "STATUS SHA256" of the crate's index file, to prove nothing changed.
index_state() {
  local st
  st=$(curl -sS -o "$WORK/idx" -w '%{http_code}' --max-time 15 -H "$H_ALICE" \
    "$BASE/index/$(idx_path "$1")") || st=curl-failed
  echo "$st $(sha256sum <"$WORK/idx" | cut -c1-64)"
}
# index_versions NAME: "vers:yanked ..." from the index file, "404" when there is none.
index_versions() {
  local st
  st=$(curl -sS -o "$WORK/idx" -w '%{http_code}' --max-time 15 -H "$H_ALICE" \
    "$BASE/index/$(idx_path "$1")") || st=curl-failed
  if [ "$st" != 200 ]; then echo "$st"; return; fi
  python3 -S -c 'import json, sys
print(" ".join("%s:%s" % (l["vers"], str(l["yanked"]).lower())
               for l in map(json.loads, open(sys.argv[1]).read().splitlines())))' "$WORK/idx"
}
blob_count() { find "$DATA/blobs" -type f | wc -l; }

WARNINGS='{"warnings":{"invalid_categories":[],"invalid_badges":[],"other":[]}}'
LOGIN_BASE=$BASE
B="$WORK/b"   # scratch publish body

# ---------------------------------------------------------------------------------------------
echo "# health and valid publishes"
call GET /health
expect_json "health without a token" 200 'j == {"status": "ok"}'

mkbody "$B" foo-bar 1.0.0
publish "$H_ALICE" "$B"
expect_body "publish foo-bar 1.0.0 without Content-Type" 200 "$WARNINGS"
mkbody "$B" foo-bar 1.1.0
publish "$H_ALICE" "$B" -H "Content-Type: application/octet-stream"
expect_body "publish foo-bar 1.1.0 with Content-Type: application/octet-stream" 200 "$WARNINGS"
check_eq "index lists both versions" "1.0.0:false 1.1.0:false" "$(index_versions foo-bar)"

# ---------------------------------------------------------------------------------------------
echo "# authentication: 401 + challenge on index and downloads, 403 on the API"
FOO_IDX=/index/$(idx_path foo-bar)
DL=/api/v1/crates/foo-bar/1.0.0/download
for path in /index/config.json "$FOO_IDX" /index/$(idx_path no-such-crate) "$DL"; do
  call GET "$path"
  expect_401 "GET $path without a token" "requires a token"
  call GET "$path" -H "$H_BAD"
  expect_401 "GET $path with a bad token" "token is not valid"
done
call GET "$FOO_IDX" -H "Authorization: Bearer $ALICE"
check_eq "a Bearer-prefixed token is accepted on the index" 200 "$ST"

before=$(index_state foo-bar)
mkbody "$B" foo-bar 1.5.0
api_routes=(
  "PUT /api/v1/crates/new"
  "DELETE /api/v1/crates/foo-bar/1.0.0/yank"
  "PUT /api/v1/crates/foo-bar/1.0.0/unyank"
  "GET /api/v1/crates/foo-bar/owners"
  "PUT /api/v1/crates/foo-bar/owners"
  "DELETE /api/v1/crates/foo-bar/owners"
  "GET /api/v1/crates?q=foo"
)
for route in "${api_routes[@]}"; do
  read -r m p <<<"$route"
  data=()
  case "$route" in
    *crates/new) data=(--data-binary "@$B") ;;
    *owners) [ "$m" = GET ] || data=(--data '{"users":["bob"]}') ;;
    *unyank) data=(-H "Content-Length: 0") ;;   # cargo sends its empty PUT body like this
  esac
  call "$m" "$p" "${data[@]}"
  expect_error "$route without a token" 403 "requires a token"
  call "$m" "$p" -H "$H_BAD" "${data[@]}"
  expect_error "$route with a bad token" 403 "token is not valid"
done
check_eq "refused API calls changed nothing in the index" "$before" "$(index_state foo-bar)"
call GET /api/v1/crates/foo-bar/owners -H "$H_ALICE"
expect_json "refused owner changes changed no owners" 200 '[u["login"] for u in j["users"]] == ["alice"]'

# ---------------------------------------------------------------------------------------------
echo "# publish: malformed bodies and metadata (400)"
blobs_before=$(blob_count)
printf 'ab' >"$B"
publish "$H_ALICE" "$B"
expect_error "body shorter than the JSON length" 400 "invalid publish body" "4-byte JSON length"
mkbody "$B" foo-bar 2.0.0 --truncate 10
publish "$H_ALICE" "$B"
expect_error "truncated crate part" 400 "invalid publish body" "the crate part claims" "remain"
mkbody "$B" foo-bar 2.0.0 --json-len 100000
publish "$H_ALICE" "$B"
expect_error "JSON length past the end" 400 "invalid publish body" "the JSON part claims 100000 bytes"
mkbody "$B" foo-bar 2.0.0 --trailing 3
publish "$H_ALICE" "$B"
expect_error "trailing bytes" 400 "invalid publish body" "3 bytes unexpected after the crate"
mkbody "$B" foo-bar 2.0.0 --raw-json '{"name": "foo-bar", "vers": '
publish "$H_ALICE" "$B"
expect_error "bad JSON" 400 "invalid publish metadata" "not valid JSON"
mkbody "$B" foo-bar 2.0.0 --raw-json '["foo-bar", "2.0.0"]'
publish "$H_ALICE" "$B"
expect_error "JSON that is not an object" 400 "invalid publish metadata" "must be an object"
for field in name vers deps; do
  mkbody "$B" foo-bar 2.0.0 --drop "$field"
  publish "$H_ALICE" "$B"
  expect_error "metadata without \`$field\`" 400 "invalid publish metadata" "\`$field\` is missing"
done
mkbody "$B" foo-bar 2.0.0 --raw-json '{"name": 5, "vers": "2.0.0", "deps": []}'
publish "$H_ALICE" "$B"
expect_error "name that is not a string" 400 "\`name\` must be a string"

LONG=$(printf 'a%.0s' $(seq 65))
name_cases=(
  "|the name is empty"
  "$LONG|longer than 64 characters"
  "1abc|the first character must be an ASCII letter"
  "foo.bar|character \`.\` is not allowed"
  "foo bar|character \` \` is not allowed"
  "std|\`std\` is a reserved name"
  "nul|\`nul\` is a reserved name"
)
for c in "${name_cases[@]}"; do
  n=${c%%|*}
  mkbody "$B" "$n" 0.1.0
  publish "$H_ALICE" "$B"
  expect_error "crate name [$n]" 400 "invalid crate name \`$n\`" "${c#*|}"
done
for c in "1.0|expected major.minor.patch" "01.0.0|leading zero" "v1.0.0|unexpected character" \
         "1.0.0-|empty identifier"; do
  v=${c%%|*}
  mkbody "$B" foo-bar "$v"
  publish "$H_ALICE" "$B"
  expect_error "version [$v]" 400 "invalid version \`$v\`" "${c#*|}"
done
check_eq "refused metadata left the index alone" "$before" "$(index_state foo-bar)"
for n in std nul 1abc; do check_eq "no index file for refused name $n" 404 "$(index_versions "$n")"; done

echo "# publish: conflicts (409) and ownership (403)"
mkbody "$B" foo-bar 1.0.0
publish "$H_ALICE" "$B"
expect_error "duplicate version 1.0.0" 409 "crate \`foo-bar\` version \`1.0.0\` is already uploaded" "immutable"
mkbody "$B" foo-bar 1.0.0+a --manifest-vers 1.0.0+a
publish "$H_ALICE" "$B"
expect_error "1.0.0+a after 1.0.0 (build metadata ignored)" 409 "version \`1.0.0\` is already uploaded"
for n in Foo_Bar foo_bar FOO-BAR; do
  mkbody "$B" "$n" 3.0.0
  publish "$H_ALICE" "$B"
  expect_error "canonical collision $n vs foo-bar" 409 "crate \`$n\` conflicts with existing crate \`foo-bar\`"
done
mkbody "$B" foo-bar 2.0.0
publish "$H_BOB" "$B"
expect_error "non-owner publishes a new version" 403 "user \`bob\` is not an owner of crate \`foo-bar\`" "publish new versions"
check_eq "refused conflicts left the index alone" "$before" "$(index_state foo-bar)"
check_eq "no index file under the colliding name" 404 "$(index_versions foo_bar)"

echo "# publish: size limits (413)"
mkbody "$B" bigcrate 0.1.0 --tar big --pad 70000
publish "$H_ALICE" "$B"
expect_error "crate over --max-crate-size $LIMIT (real bytes)" 413 "the crate is" \
  "over this registry's limit of 65536 bytes (64 KiB)"
mkbody "$B" bigcrate 0.1.0 --crate-len 65537
publish "$H_ALICE" "$B"
expect_error "crate_len field over the limit" 413 "the crate is 65537 bytes" "65536 bytes (64 KiB)"
mkbody "$B" bigcrate 0.1.0 --json-pad 1100000
publish "$H_ALICE" "$B"
expect_error "JSON over 1 MiB (real bytes)" 413 "the publish metadata is" "1048576 bytes (1 MiB)"
mkbody "$B" bigcrate 0.1.0 --json-len 1048577
publish "$H_ALICE" "$B"
expect_error "json_len field over 1 MiB" 413 "the publish metadata is 1048577 bytes" "1048576 bytes (1 MiB)"
# Content-Length alone over the limit: refused before the body is sent (raw socket, headers only).
raw preflight "$ALICE" 5000000
expect_error "declared Content-Length over the limit (preflight)" 413 "5000000 bytes" "over this registry's limit" "65536"
raw preflight - 5000000
expect_error "oversized preflight without a token is refused for the token first" 403 "requires a token"
check_eq "no index file for the oversized crate" 404 "$(index_versions bigcrate)"

echo "# publish: tarball checks (400)"
tar_cases=(
  "junk|not a gzip-compressed tar archive"
  "plain-tar|not a gzip-compressed tar archive"
  "outside|entry \`other-0.1.0/src/evil.rs\` is not under \`tarcheck-0.1.0/\`"
  "dotdot|contains a \`..\` component"
  "absolute|entry \`/tmp/evil.rs\` has an absolute path"
  "symlink|entry \`tarcheck-0.1.0/link\` is a symbolic link"
  "hardlink|entry \`tarcheck-0.1.0/hard\` is a hard link"
  "no-manifest|no \`tarcheck-0.1.0/Cargo.toml\` in the archive"
)
for c in "${tar_cases[@]}"; do
  kind=${c%%|*}
  mkbody "$B" tarcheck 0.1.0 --tar "$kind"
  publish "$H_ALICE" "$B"
  expect_error "tarball: $kind" 400 "invalid crate file" "${c#*|}"
done
mkbody "$B" tarcheck 0.1.0 --manifest-name other
publish "$H_ALICE" "$B"
expect_error "tarball: Cargo.toml name mismatch" 400 "Cargo.toml says name \`other\` but the metadata says \`tarcheck\`"
mkbody "$B" tarcheck 0.1.0 --manifest-vers 9.9.9
publish "$H_ALICE" "$B"
expect_error "tarball: Cargo.toml version mismatch" 400 "Cargo.toml says version \`9.9.9\` but the metadata says \`0.1.0\`"
check_eq "no index file for the refused tarballs" 404 "$(index_versions tarcheck)"

echo "# publish: dependencies (400)"
mkbody "$B" depcheck 0.1.0 --deps '[{"name":"no-such-dep","version_req":"^1","features":[],"optional":false,"default_features":true,"target":null,"kind":"normal"}]'
publish "$H_ALICE" "$B"
expect_error "dependency on a crate not in this registry" 400 "dependency \`no-such-dep\` does not exist in this registry"
mkbody "$B" depcheck 0.1.0 --deps '[{"name":"foo-bar","version_req":"*","features":[],"optional":false,"default_features":true,"target":null,"kind":"normal"}]'
publish "$H_ALICE" "$B"
expect_error "wildcard * requirement" 400 "dependency \`foo-bar\`" "requirement \`*\` is not allowed" "wildcard"
mkbody "$B" depcheck 0.1.0 --deps '[{"name":"foo-bar","version_req":"^1","features":[],"optional":false,"default_features":true,"target":null,"kind":"sideways"}]'
publish "$H_ALICE" "$B"
expect_error "unknown dependency kind" 400 "kind must be"
check_eq "no index file for the refused dependency checks" 404 "$(index_versions depcheck)"
check_eq "no blob was stored by any refused publish" "$blobs_before" "$(blob_count)"
# The rule is not over-broad: a local dependency that exists and a crates.io one are accepted.
mkbody "$B" uses-foo 0.1.0 --deps '[{"name":"foo-bar","version_req":"^1","features":[],"optional":false,"default_features":true,"target":null,"kind":"normal"},{"name":"serde","version_req":"^1","features":[],"optional":false,"default_features":true,"target":null,"kind":"normal","registry":"https://github.com/rust-lang/crates.io-index"}]'
publish "$H_ALICE" "$B"
expect_body "publish uses-foo with a local and a crates.io dependency" 200 "$WARNINGS"

# ---------------------------------------------------------------------------------------------
echo "# yank / unyank"
call DELETE /api/v1/crates/foo-bar/1.0.0/yank -H "$H_ALICE"
expect_body "yank foo-bar 1.0.0" 200 '{"ok":true}'
check_eq "index shows 1.0.0 yanked" "1.0.0:true 1.1.0:false" "$(index_versions foo-bar)"
call GET "$DL" -H "$H_ALICE"
check_eq "a yanked version stays downloadable" 200 "$ST"
mkbody "$B" foo-bar 1.0.0
publish "$H_ALICE" "$B"
expect_error "re-publish a yanked version" 409 "version \`1.0.0\` is already uploaded (and yanked)"
before=$(index_state foo-bar)
call DELETE /api/v1/crates/foo-bar/1.1.0/yank -H "$H_BOB"
expect_error "non-owner yank" 403 "user \`bob\` is not an owner of crate \`foo-bar\`" "may not yank it"
call PUT /api/v1/crates/foo-bar/1.0.0/unyank -H "$H_BOB" -H "Content-Length: 0"
expect_error "non-owner unyank" 403 "may not unyank it"
for verb in "DELETE yank" "PUT unyank"; do
  read -r m a <<<"$verb"
  call "$m" "/api/v1/crates/nope-crate/1.0.0/$a" -H "$H_ALICE" -H "Content-Length: 0"
  expect_error "$a of an unknown crate" 404 "crate \`nope-crate\` does not exist"
  call "$m" "/api/v1/crates/foo-bar/9.9.9/$a" -H "$H_ALICE" -H "Content-Length: 0"
  expect_error "$a of an unknown version" 404 "crate \`foo-bar\` has no version \`9.9.9\`"
  call "$m" "/api/v1/crates/foo-bar/abc/$a" -H "$H_ALICE" -H "Content-Length: 0"
  expect_error "$a of an invalid version string" 400 "invalid version \`abc\`"
done
check_eq "refused yanks changed nothing" "$before" "$(index_state foo-bar)"
check_eq "1.1.0 still not yanked, 1.0.0 still yanked" "1.0.0:true 1.1.0:false" "$(index_versions foo-bar)"
call PUT /api/v1/crates/foo-bar/1.0.0/unyank -H "$H_ALICE" -H "Content-Length: 0"
expect_body "unyank foo-bar 1.0.0" 200 '{"ok":true}'
call DELETE /api/v1/crates/foo-bar/1.0.0/yank -H "$H_ALICE"
expect_body "yank again" 200 '{"ok":true}'
# A PUT with neither Content-Length nor Transfer-Encoding has an empty body (RFC 9112 6.3);
# it must be answered at once, not after the server's 30 s read timeout.
call PUT /api/v1/crates/foo-bar/1.0.0/unyank -H "$H_ALICE" --max-time 5
expect_body "unyank without Content-Length is answered promptly" 200 '{"ok":true}'
check_eq "index shows 1.0.0 live again" "1.0.0:false 1.1.0:false" "$(index_versions foo-bar)"

# ---------------------------------------------------------------------------------------------
echo "# owners"
O=/api/v1/crates/foo-bar/owners
call GET "$O" -H "$H_BOB"
expect_json "list owners (any user may)" 200 \
  'list(j) == ["users"] and len(j["users"]) == 1 and set(j["users"][0]) == {"id", "login", "name"} and isinstance(j["users"][0]["id"], int) and j["users"][0]["login"] == "alice" and j["users"][0]["name"] == "alice"'
call PUT "$O" -H "$H_CAROL" --data '{"users":["carol"]}'
expect_error "non-owner adds an owner" 403 "user \`carol\` is not an owner of crate \`foo-bar\`" "may not change its owners"
call PUT "$O" -H "$H_ALICE" --data '{"users":["bob"]}'
expect_body "add bob" 200 '{"ok":true,"msg":"user `bob` is now an owner of crate `foo-bar`"}'
call GET "$O" -H "$H_ALICE"
expect_json "owners are alice and bob" 200 '[u["login"] for u in j["users"]] == ["alice", "bob"]'
mkbody "$B" foo-bar 1.2.0
publish "$H_BOB" "$B"
expect_body "the new owner bob publishes foo-bar 1.2.0" 200 "$WARNINGS"
call PUT "$O" -H "$H_ALICE" --data '{"users":["ghost"]}'
expect_error "add an unknown user" 404 "no user \`ghost\` on this registry"
call DELETE "$O" -H "$H_ALICE" --data '{"users":["ghost"]}'
expect_error "remove an unknown user" 404 "no user \`ghost\`"
for bad in 'not json' '{"users":"bob"}' '{"users":[1]}' '["bob"]' ''; do
  call PUT "$O" -H "$H_ALICE" --data "$bad"
  expect_error "malformed owners body [$bad]" 400 "invalid owners request"
done
call PUT "$O" -H "$H_ALICE" --data '{"users":[]}'
expect_error "add nobody" 400 "no users given"
for m in GET PUT DELETE; do
  call "$m" /api/v1/crates/nope-crate/owners -H "$H_ALICE" --data '{"users":["bob"]}'
  expect_error "$m owners of an unknown crate" 404 "crate \`nope-crate\` does not exist"
done
call DELETE "$O" -H "$H_CAROL" --data '{"users":["alice"]}'
expect_error "non-owner removes an owner" 403 "user \`carol\` is not an owner"
call DELETE "$O" -H "$H_ALICE" --data '{"users":["carol"]}'
expect_error "remove a user who is not an owner" 400 "user \`carol\` is not an owner of crate \`foo-bar\`"
call DELETE "$O" -H "$H_ALICE" --data '{"users":["bob"]}'
expect_body "remove bob" 200 '{"ok":true,"msg":"removed `bob` from the owners of crate `foo-bar`"}'
call DELETE "$O" -H "$H_ALICE" --data '{"users":["alice"]}'
expect_error "remove the last owner" 400 "cannot remove every owner of crate \`foo-bar\`"
call GET "$O" -H "$H_ALICE"
expect_json "alice is still the owner" 200 '[u["login"] for u in j["users"]] == ["alice"]'
mkbody "$B" foo-bar 2.0.0
publish "$H_BOB" "$B"
expect_error "bob, removed, can no longer publish" 403 "user \`bob\` is not an owner"

# ---------------------------------------------------------------------------------------------
echo "# search"
mkbody "$B" foo-baz 0.3.0 --desc "another one"
publish "$H_CAROL" "$B"
expect_body "publish foo-baz" 200 "$WARNINGS"
call GET "/api/v1/crates?q=foo&per_page=2" -H "$H_BOB"
expect_json "search q=foo per_page=2: shape, order, total" 200 \
  'list(j) == ["crates", "meta"] and j["meta"] == {"total": 3} and [{k: c[k] for k in ("name", "max_version", "description")} for c in j["crates"]] == [{"name": "foo-bar", "max_version": "1.2.0", "description": "foo-bar test crate"}, {"name": "foo-baz", "max_version": "0.3.0", "description": "another one"}]'
call GET "/api/v1/crates?q=foo&per_page=2&page=2" -H "$H_BOB"
expect_json "search page 2" 200 '[c["name"] for c in j["crates"]] == ["uses-foo"] and j["meta"]["total"] == 3'
call GET "/api/v1/crates?q=zzz-nothing" -H "$H_BOB"
expect_body "search with no hit" 200 '{"crates":[],"meta":{"total":0}}'
out=$(timeout 60 "${MK[@]}" bulk "$BASE" "$ALICE" bulk 105 "filler for the per_page clamp")
check_eq "105 bulk publishes" "ok 105" "$out"
call GET "/api/v1/crates?q=bulk&per_page=1000" -H "$H_BOB"
expect_json "per_page=1000 clamps to 100" 200 'len(j["crates"]) == 100 and j["meta"]["total"] == 105'
call GET "/api/v1/crates?q=bulk" -H "$H_BOB"
expect_json "per_page defaults to 10" 200 'len(j["crates"]) == 10 and j["meta"]["total"] == 105'
call GET "/api/v1/crates?q=bulk&per_page=abc" -H "$H_BOB"
expect_json "non-numeric per_page falls back to 10" 200 'len(j["crates"]) == 10'

# ---------------------------------------------------------------------------------------------
echo "# sparse index"
call GET "$FOO_IDX" -H "$H_ALICE"
ETAG=$(hdr etag)
LASTMOD=$(hdr last-modified)
check_eq "index file 200" 200 "$ST"
check_contains "index content type" "text/plain" "$(hdr content-type)"
[[ "$ETAG" =~ ^\"[0-9a-f]+\"$ ]] && pass "ETag present ($ETAG)" || fail "ETag missing or odd: [$ETAG]"
[[ "$LASTMOD" =~ ^[A-Z][a-z]{2},\ [0-9]{2}\ [A-Z][a-z]{2}\ [0-9]{4}\ [0-9:]{8}\ GMT$ ]] &&
  pass "Last-Modified present ($LASTMOD)" || fail "Last-Modified missing or odd: [$LASTMOD]"
cp "$WORK/body" "$WORK/plain-index"
check_eq "no Content-Encoding unless asked" "" "$(hdr content-encoding)"
call GET "$FOO_IDX" -H "$H_ALICE" -H "Accept-Encoding: gzip"
check_eq "gzip index 200" 200 "$ST"
check_eq "gzip index is sent precompressed" "gzip" "$(hdr content-encoding)"
check_eq "gzip index varies on Accept-Encoding" "Accept-Encoding" "$(hdr vary)"
check_eq "gzip index inflates to the plain one" "$(cat "$WORK/plain-index")" "$(gzip -dc "$WORK/body")"
call GET "$FOO_IDX" -H "$H_ALICE" -H "Accept-Encoding: gzip;q=0"
check_eq "gzip;q=0 gets the plain index" "" "$(hdr content-encoding)"
call GET "$FOO_IDX" -H "$H_ALICE" -H "If-None-Match: $ETAG"
check_eq "If-None-Match with the ETag -> 304" 304 "$ST"
check_eq "304 has no body" 0 "$(stat -c %s "$WORK/body")"
call GET "$FOO_IDX" -H "$H_ALICE" -H 'If-None-Match: "0000"'
check_eq "If-None-Match with another ETag -> 200" 200 "$ST"
call GET "$FOO_IDX" -H "$H_ALICE" -H "If-Modified-Since: $LASTMOD"
check_eq "If-Modified-Since Last-Modified -> 304" 304 "$ST"
call GET "$FOO_IDX" -H "$H_ALICE" -H "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT"
check_eq "If-Modified-Since long ago -> 200" 200 "$ST"
mkbody "$B" foo-bar 1.3.0
publish "$H_ALICE" "$B"
expect_body "publish foo-bar 1.3.0" 200 "$WARNINGS"
call GET "$FOO_IDX" -H "$H_ALICE" -H "If-None-Match: $ETAG"
check_eq "after a publish the old ETag is stale -> 200" 200 "$ST"
ETAG2=$(hdr etag)
[ -n "$ETAG2" ] && [ "$ETAG2" != "$ETAG" ] && pass "ETag changed after publish" || fail "ETag unchanged: $ETAG2"
call DELETE /api/v1/crates/foo-bar/1.3.0/yank -H "$H_ALICE"
call GET "$FOO_IDX" -H "$H_ALICE" -H "If-None-Match: $ETAG2"
check_eq "after a yank the ETag is stale -> 200" 200 "$ST"
call PUT /api/v1/crates/foo-bar/1.3.0/unyank -H "$H_ALICE" -H "Content-Length: 0"
call GET /index/$(idx_path no-such-crate) -H "$H_ALICE"
expect_error "index file of an unknown crate" 404 "does not exist"
for p in zz/zz/abcd fo/ob/foo-bar 3/f/foo-bar fo/o-/foo-bar/extra fo/o-/ 'fo/o-/foo%20bar'; do
  call GET "/index/$p" -H "$H_ALICE"
  expect_error "malformed index path /index/$p" 404
done
call GET /index/config.json -H "$H_ALICE"
expect_json "config.json: absolute URLs from Host, auth-required" 200 \
  "j == {'dl': '$BASE/api/v1/crates', 'api': '$BASE', 'auth-required': True}"
call GET /index/config.json -H "$H_ALICE" -H "Host: registry.test:8443"
expect_json "config.json follows the Host header" 200 \
  "j['dl'] == 'http://registry.test:8443/api/v1/crates' and j['api'] == 'http://registry.test:8443'"

# ---------------------------------------------------------------------------------------------
echo "# downloads"
call GET "$DL" -H "$H_ALICE"
check_eq "download foo-bar 1.0.0" 200 "$ST"
got=$(sha256sum <"$WORK/body" | cut -c1-64)
call GET "$FOO_IDX" -H "$H_ALICE"
cksum=$(python3 -S -c 'import json, sys
print([l for l in map(json.loads, open(sys.argv[1]).read().splitlines()) if l["vers"] == "1.0.0"][0]["cksum"])' "$WORK/body")
check_eq "downloaded bytes match the index cksum" "$cksum" "$got"
check_eq "downloaded bytes are the published crate" "$("${MK[@]}" crate foo-bar 1.0.0 | sha256sum | cut -c1-64)" "$got"
call GET /api/v1/crates/foo-bar/9.9.9/download -H "$H_ALICE"
expect_error "download of an unknown version" 404 "crate \`foo-bar\` has no version \`9.9.9\`"
call GET /api/v1/crates/foo-bar/not-a-version/download -H "$H_ALICE"
expect_error "download of an invalid version" 404 "has no version"
call GET /api/v1/crates/nope-crate/1.0.0/download -H "$H_ALICE"
expect_error "download of an unknown crate" 404 "crate \`nope-crate\` does not exist"

mkbody "$B" corruptme 0.1.0
publish "$H_ALICE" "$B"
expect_body "publish corruptme" 200 "$WARNINGS"
ck=$("${MK[@]}" crate corruptme 0.1.0 | sha256sum | cut -c1-64)
blob="$DATA/blobs/${ck:0:2}/$ck"
[ -f "$blob" ] && pass "blob stored at blobs/${ck:0:2}/<sha256>" || fail "no blob at $blob"
chmod u+w "$blob" 2>/dev/null || true
printf 'this is not the crate' >"$blob"
call GET /api/v1/crates/corruptme/0.1.0/download -H "$H_ALICE"
expect_error "download of a corrupted blob" 500 "corrupt" "crate \`corruptme\` version \`0.1.0\`"
[[ "$(body)" != *"$DATA"* ]] && pass "the corrupt-blob reply does not reveal server paths" ||
  fail "the corrupt-blob reply contains the data directory"
sleep 0.2
grep -q "corrupt.*$ck\|$ck.*corrupt" "$WORK/server.err" && pass "server log names the corrupt blob" ||
  fail "server.err has no line about the corrupt blob"
mkbody "$B" vanishme 0.1.0
publish "$H_ALICE" "$B"
ck=$("${MK[@]}" crate vanishme 0.1.0 | sha256sum | cut -c1-64)
rm -f "$DATA/blobs/${ck:0:2}/$ck"
call GET /api/v1/crates/vanishme/0.1.0/download -H "$H_ALICE"
expect_error "download of a missing blob" 500 "corrupt or missing"
call GET /health
check_eq "server healthy after corrupt downloads" 200 "$ST"

# ---------------------------------------------------------------------------------------------
echo "# routing and garbage"
call GET /api/v1/no-such-thing -H "$H_ALICE"
expect_error "unknown API route" 404
call GET /no-such-page.html
expect_error "unknown page" 404
call POST /api/v1/crates/new -H "$H_ALICE" --data x
expect_error "POST on the publish route" 405 "method POST is not allowed on /api/v1/crates/new"
# GET /api/v1/crates/new is the crate page of a crate named `new`.
check_eq "405 names the allowed methods" "PUT, GET" "$(hdr Allow)"
call PUT /api/v1/no-such-thing -H "$H_ALICE"
expect_error "PUT on an unknown path" 404 "no such route"
call DELETE /index/config.json -H "$H_ALICE"
expect_error "DELETE on config.json" 405 "not allowed"
call PATCH /api/v1/crates/foo-bar/1.0.0/yank -H "$H_ALICE" -H "Content-Length: 0"
expect_error "PATCH on yank" 405 "not allowed"
check_eq "wrong methods changed nothing" "1.0.0:false 1.1.0:false 1.2.0:false 1.3.0:false" "$(index_versions foo-bar)"
for mode in garbage bad-request-line bad-content-length huge-header; do
  raw "$mode"
  case "$ST" in 4[0-9][0-9]) expect_error "raw $mode request refused" "$ST" ;;
    none) pass "raw $mode request: connection closed" ;;
    *) fail "raw $mode request: unexpected reply [$ST $(head -c 200 "$WORK/body")]" ;; esac
  call GET /health
  check_eq "server healthy after raw $mode request" 200 "$ST"
done

echo "# bodies the HTTP library would read without bound (chunked, compressed)"
# Headers only, announcing a body that never comes: the refusal must not wait for the body.
raw gzip-headers "$ALICE"
expect_error "Content-Encoding: gzip refused before the body is read" 415 "Content-Encoding: gzip" "not accepted"
raw chunked-headers "$ALICE"
expect_error "Transfer-Encoding: chunked refused before the body is read" 411 "Content-Length"
"${MK[@]}" bomb 64 >"$WORK/bomb.gz"   # 64 KiB on the wire, 64 MiB inflated
call PUT /api/v1/crates/new -H "$H_ALICE" -H "Content-Type:" -H "Content-Encoding: gzip" \
  --data-binary "@$WORK/bomb.gz"
expect_error "a gzip bomb as a publish body" 415 "not accepted"
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SERVER_PID/status")
if [ -n "${ASAN_OPTIONS:-}" ]; then
  echo "    (peak memory not checked under AddressSanitizer, whose shadow memory is RSS: ${hwm} kB)"
elif [ -n "$hwm" ] && [ "$hwm" -lt 100000 ]; then pass "server peak memory stays small (${hwm} kB)"
else fail "server peak memory ${hwm} kB: the gzip bomb was inflated"; fi
mkbody "$B" chunky 0.1.0
call PUT /api/v1/crates/new -H "$H_ALICE" -H "Content-Type:" -H "Transfer-Encoding: chunked" \
  --data-binary "@$B"
expect_error "a chunked publish" 411 "Content-Length"
check_eq "no index file for the chunked publish" 404 "$(index_versions chunky)"
call GET /health
check_eq "server healthy after the unbounded-body attempts" 200 "$ST"

# ---------------------------------------------------------------------------------------------
echo "# concurrency: 8 parallel publishes"
pids=()
for i in $(seq 0 7); do
  "${MK[@]}" body "par-$i" 0.1.0 >"$WORK/par-$i.body"
done
for i in $(seq 0 7); do
  curl -sS -o "$WORK/par-$i.out" -w '%{http_code}' --max-time 20 -X PUT -H "$H_BOB" \
    --data-binary "@$WORK/par-$i.body" "$BASE/api/v1/crates/new" >"$WORK/par-$i.st" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done
ok=0
for i in $(seq 0 7); do
  if [ "$(cat "$WORK/par-$i.st")" = 200 ] && python3 -S -c 'import json, sys
sys.exit(json.load(open(sys.argv[1])) != json.loads(sys.argv[2]))' "$WORK/par-$i.out" "$WARNINGS" &&
    [ "$(index_versions "par-$i")" = "0.1.0:false" ]; then ok=$((ok + 1)); else
    echo "  par-$i: $(cat "$WORK/par-$i.st") $(head -c 200 "$WORK/par-$i.out")"; fi
done
check_eq "8 parallel publishes succeeded and are indexed" 8 "$ok"

# ---------------------------------------------------------------------------------------------
echo "# hardening: headers, Host, sign-in body limit"
call GET /
check_eq "the web UI may not be framed" "DENY" "$(hdr x-frame-options)"
check_contains "CSP header forbids framing" "frame-ancestors 'none'" "$(hdr content-security-policy)"
call GET /index/config.json -H 'Host: a"b'
check_eq "a quote in Host does not reach WWW-Authenticate" \
  'Cargo login_url="http://localhost/me"' "$(hdr www-authenticate)"
head -c 100000 /dev/zero | tr '\0' '[' >"$WORK/deep.json"
call POST /api/v1/session -H "Content-Type: application/json" --data-binary "@$WORK/deep.json"
check_eq "an oversized sign-in body is refused before it is read" 413 "$ST"
call POST /api/v1/session -H "Content-Type: application/json" \
  --data-binary '{"login":"x","password":[1]}'
check_eq "a mistyped sign-in field is a 400" 400 "$ST"
check_eq "no exception text in any header" "" "$(hdr exception_what)"

# ---------------------------------------------------------------------------------------------
echo "# final index state and --public-url"
check_eq "foo-bar has exactly the accepted versions" \
  "1.0.0:false 1.1.0:false 1.2.0:false 1.3.0:false" "$(index_versions foo-bar)"
for n in tarcheck bigcrate depcheck foo_bar std; do
  check_eq "still no index file for $n" 404 "$(index_versions "$n")"
done
before=$(index_state foo-bar)
stop_server
start_server --max-crate-size "$LIMIT" --failed-auth-limit off --public-url https://crates.example.com/
LOGIN_BASE=https://crates.example.com
check_eq "index survives a restart" "$before" "$(index_state foo-bar)"
call GET /index/config.json -H "$H_ALICE"
expect_json "config.json uses --public-url" 200 \
  "j == {'dl': 'https://crates.example.com/api/v1/crates', 'api': 'https://crates.example.com', 'auth-required': True}"
call GET /index/config.json
expect_401 "401 login_url uses --public-url" "requires a token"

echo "runtime: ${SECONDS}s"
finish
