#!/usr/bin/env bash
# Hosted docs end to end: stock `cargo doc --no-deps` on real crates from Debian's
# /usr/share/cargo/registry, uploaded with `registry docs upload`, then read back through
# curl: redirects, `latest`, the sandbox headers, gzip and ETags, docs grants for browsers,
# who may upload, read and delete, every archive check (a refused upload leaves nothing), and
# check, backup and restore. The browser side is docs_browser_test.sh.
# Usage: bash tests/e2e/docs_test.sh build/registry. Needs cargo, curl, jq, python3 and
# librust-memchr-dev, librust-itoa-dev.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

for c in memchr-2.5.0 itoa-1.0.1; do
  [ -d "/usr/share/cargo/registry/$c" ] ||
    { echo "missing /usr/share/cargo/registry/$c: apt-get install librust-${c%-*}-dev"; exit 1; }
done
command -v cargo >/dev/null || { echo "cargo not found"; exit 1; }

start_server --quiet
[ -n "${ADMIN_TOKEN:-}" ] || { echo "no admin token printed on first start"; exit 1; }
ADMIN_PASSWORD=$(sed -n '4p' "$WORK/server.out" | tr -d ' ')
ALICE=$(new_user alice)
BOB=$(new_user bob)
token_of() { "$REGISTRY_BIN" token create --data "$DATA" --user alice --name "$1" "${@:2}"; }
ALICE_READ=$(token_of read-only --scope read)
ALICE_NO_DOCS=$(token_of no-docs --scope publish-new --scope publish-update --scope yank)
ALICE_OTHER=$(token_of other-crates --crate 'other-*')

# publish NAME VERSION TOKEN: a stand-in .crate for that version (the docs are the real ones).
publish() {
  python3 "$ROOT/tests/e2e/make_crate.py" body "$1" "$2" >"$WORK/body.bin"
  curl -sf -X PUT -H "Authorization: $3" --data-binary "@$WORK/body.bin" \
    "$BASE/api/v1/crates/new" >/dev/null || { echo "publishing $1 $2 failed"; exit 1; }
}
publish memchr 2.5.0 "$ALICE"
publish memchr 2.5.1 "$ALICE"
publish itoa 1.0.1 "$ALICE"

# make_docs SOURCE VERSION: the real crate's docs, built by stock cargo doc (offline, with
# Debian's crate directory standing in for crates.io), as VERSION; prints target/doc.
export CARGO_HOME="$WORK/cargo-home" CARGO_TERM_COLOR=never CARGO_TERM_PROGRESS_WHEN=never
mkdir -p "$CARGO_HOME"
cat >"$CARGO_HOME/config.toml" <<'EOF'
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "/usr/share/cargo/registry"
[net]
offline = true
EOF
make_docs() {
  local src="$WORK/src/$1-$2"
  rm -rf "$src"; mkdir -p "$WORK/src"
  cp -r "/usr/share/cargo/registry/$1" "$src"
  rm -f "$src/.cargo-checksum.json"
  python3 - "$src/Cargo.toml" "$2" <<'EOF'
import re, sys
path, version = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r'(?ms)^\[dev-dependencies[^\]]*\].*?(?=^\[|\Z)', '', text)
text = re.sub(r'(?m)^version = "[^"]*"', 'version = "%s"' % version, text, count=1)
open(path, "w").write(text)
EOF
  (cd "$src" && CARGO_TARGET_DIR="$src/target" timeout 300 cargo doc --no-deps --offline -q \
    2>"$WORK/cargo-doc.err") || { cat "$WORK/cargo-doc.err"; echo "cargo doc failed"; exit 1; }
  echo "$src/target/doc"
}
DOC_250=$(make_docs memchr-2.5.0 2.5.0)
DOC_251=$(make_docs memchr-2.5.0 2.5.1)
DOC_ITOA=$(make_docs itoa-1.0.1 1.0.1)
check_eq "cargo doc wrote memchr's own page" yes "$([ -f "$DOC_250/memchr/index.html" ] && echo yes)"

# --- uploading with the command line ---------------------------------------------------------
upload() {  # upload TOKEN NAME VERSION DIR: sets OUT (stdout), ERR and RC
  set +e
  OUT=$(CARGO_REGISTRIES_PRIVATE_TOKEN=$1 timeout 120 "$REGISTRY_BIN" docs upload --url "$BASE" \
    "$2" "$3" "$4" 2>"$WORK/upload.err")
  RC=$?
  ERR=$(cat "$WORK/upload.err")
  set -e
}
upload "$ALICE" memchr 2.5.0 "$DOC_250"
check_eq "docs upload prints the docs address" "0 $BASE/docs/memchr/2.5.0/" "$RC $OUT"
upload "$ALICE" memchr 2.5.1 "$DOC_251"
check_eq "the second version's docs upload" "0 $BASE/docs/memchr/2.5.1/" "$RC $OUT"
upload "$ALICE" itoa 1.0.1 "$DOC_ITOA"
check_eq "itoa's docs upload" 0 "$RC"

# --- reading with a token --------------------------------------------------------------------
get() { curl -s -H "Authorization: $ALICE" "$@"; }
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check_eq "a version's address leads to its crate's page" "/docs/memchr/2.5.0/memchr/index.html" \
  "$(get -o /dev/null -w '%{redirect_url}' "$BASE/docs/memchr/2.5.0/" | sed "s|^$BASE||")"
check_eq "latest leads to the newest version" "/docs/memchr/2.5.1/memchr/index.html" \
  "$(get -o /dev/null -w '%{redirect_url}' "$BASE/docs/memchr/latest/" | sed "s|^$BASE||")"
check_eq "latest keeps the page asked for" "/docs/memchr/2.5.1/memchr/fn.memchr.html" \
  "$(get -o /dev/null -w '%{redirect_url}' "$BASE/docs/memchr/latest/memchr/fn.memchr.html" |
     sed "s|^$BASE||")"
PAGE="$BASE/docs/memchr/2.5.0/memchr/index.html"
get -D "$WORK/page.hdr" -o "$WORK/page.html" "$PAGE"
hdr() { tr -d '\r' <"$WORK/page.hdr" | sed -n "s/^$1: //Ip"; }
check_eq "a docs page is HTML" "text/html; charset=utf-8" "$(hdr content-type)"
check_eq "docs are sandboxed: their scripts get an opaque origin" \
  "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox" "$(hdr content-security-policy)"
check_eq "docs pages send no referrer" "no-referrer" "$(hdr referrer-policy)"
check_eq "without gzip the page is the file cargo doc wrote" \
  "$(sha256sum <"$DOC_250/memchr/index.html")" "$(sha256sum <"$WORK/page.html")"
get -D "$WORK/page.hdr" -o "$WORK/page.gz" -H 'Accept-Encoding: gzip' "$PAGE"
check_eq "with gzip it comes precompressed" gzip "$(hdr content-encoding)"
check_eq "... and inflates to the same file" "$(sha256sum <"$DOC_250/memchr/index.html")" \
  "$(gunzip -c "$WORK/page.gz" | sha256sum)"
ETAG=$(hdr etag)
check_eq "an unchanged page is 304" 304 \
  "$(code -H "Authorization: $ALICE" -H "If-None-Match: $ETAG" "$PAGE")"
css=$(cd "$DOC_250" && ls static.files/rustdoc-*.css | sed -n 1p)
font=$(cd "$DOC_250" && ls static.files/*.woff2 | sed -n 1p)
check_eq "stylesheets and fonts get their types" "text/css; charset=utf-8 font/woff2" \
  "$(get -o /dev/null -w '%{content_type}' "$BASE/docs/memchr/2.5.0/$css") $(get -o /dev/null \
     -w '%{content_type}' "$BASE/docs/memchr/2.5.0/$font")"
check_eq "a font is the file cargo doc wrote" "$(sha256sum <"$DOC_250/$font")" \
  "$(get -H 'Accept-Encoding: gzip' --compressed "$BASE/docs/memchr/2.5.0/$font" | sha256sum)"
check_eq "a directory address serves its index.html" 200 \
  "$(code -H "Authorization: $ALICE" "$BASE/docs/memchr/2.5.0/memchr/")"
check_eq "a file not in the docs is 404" 404 \
  "$(code -H "Authorization: $ALICE" "$BASE/docs/memchr/2.5.0/memchr/no-such.html")"
check_eq "a version without docs is 404" 404 \
  "$(code -H "Authorization: $ALICE" "$BASE/docs/memchr/9.9.9/")"

# --- who may read ----------------------------------------------------------------------------
check_eq "reading docs needs a credential" 401 "$(code "$PAGE")"
check_eq "a browser without a session is told to sign in" 401 "$(code -H 'Accept: text/html' "$PAGE")"
check_eq "a read-only token reads docs" 200 "$(code -H "Authorization: $ALICE_READ" "$PAGE")"
check_eq "another user's token reads docs" 200 "$(code -H "Authorization: $BOB" "$PAGE")"
check_eq "a token limited to other crates does not" 403 \
  "$(code -H "Authorization: $ALICE_OTHER" "$PAGE")"

# --- a browser's session: redirected to a docs grant -----------------------------------------
signin=$(curl -s -D "$WORK/signin.hdr" -H 'Content-Type: application/json' \
  --data "$(jq -cn --arg p "$ADMIN_PASSWORD" '{login: "admin", password: $p}')" "$BASE/api/v1/session")
SESSION=$(tr -d '\r' <"$WORK/signin.hdr" | sed -n 's/^[Ss]et-[Cc]ookie: registry_session=\([^;]*\);.*/\1/p')
CSRF=$(jq -r .csrf_token <<<"$signin")
GRANTED=$(curl -s -o /dev/null -w '%{redirect_url}' -H "Cookie: registry_session=$SESSION" \
  "$BASE/docs/memchr/2.5.0/" | sed "s|^$BASE||")
check_contains "a session is sent to an address with a docs grant" "/docs/~" "$GRANTED"
check_eq "... ending at the crate's page" "memchr/2.5.0/memchr/index.html" "${GRANTED#/docs/~*/}"
GRANT=$(sed -n 's|^/docs/~\([^/]*\)/.*|\1|p' <<<"$GRANTED")
check_eq "the grant alone reads the page (no cookie reaches sandboxed docs)" 200 \
  "$(code "$BASE$GRANTED")"
check_eq "... and its fonts, for any origin (fonts load in CORS mode)" "*" \
  "$(curl -s -D - -o /dev/null "$BASE/docs/~$GRANT/memchr/2.5.0/$font" | tr -d '\r' |
     sed -n 's/^access-control-allow-origin: //Ip')"
check_eq "the grant is for memchr only" 401 "$(code "$BASE/docs/~$GRANT/itoa/1.0.1/itoa/index.html")"
check_eq "a grant is no API credential" 403 \
  "$(code -H "Authorization: $GRANT" "$BASE/api/v1/crates/memchr")"
forged=${GRANT%?}$([ "${GRANT: -1}" = 0 ] && echo 1 || echo 0)
check_eq "a forged grant is refused" 401 \
  "$(code "$BASE/docs/~$forged/memchr/2.5.0/memchr/index.html")"
curl -s -o /dev/null -X DELETE -H "Cookie: registry_session=$SESSION" -H "X-CSRF-Token: $CSRF" \
  "$BASE/api/v1/session"
check_eq "signing out ends the session's grants" 401 "$(code "$BASE$GRANTED")"
check_contains "a browser with an ended grant is sent back through the registry" \
  'http-equiv=refresh content="0; url=/docs/memchr/2.5.0/memchr/index.html"' \
  "$(curl -s -H 'Accept: text/html' "$BASE$GRANTED")"

# --- who may upload and delete -----------------------------------------------------------------
tar -C "$DOC_ITOA" -czf "$WORK/itoa-docs.tgz" .
put_docs() {  # put_docs TOKEN NAME VERSION FILE -> status
  curl -s -o "$WORK/put.out" -w '%{http_code}' -X PUT -H "Authorization: $1" \
    --data-binary "@$4" "$BASE/api/v1/crates/$2/$3/docs"
}
check_eq "a non-owner cannot upload docs" 403 "$(put_docs "$BOB" itoa 1.0.1 "$WORK/itoa-docs.tgz")"
check_eq "a token without the docs scope cannot" 403 \
  "$(put_docs "$ALICE_NO_DOCS" itoa 1.0.1 "$WORK/itoa-docs.tgz")"
check_contains "... and is told which scope it lacks" "lacks the \`docs\` scope" "$(cat "$WORK/put.out")"
check_eq "a token limited to other crates cannot" 403 \
  "$(put_docs "$ALICE_OTHER" itoa 1.0.1 "$WORK/itoa-docs.tgz")"
check_eq "docs for a version that does not exist are refused" 404 \
  "$(put_docs "$ALICE" itoa 9.0.0 "$WORK/itoa-docs.tgz")"
check_eq "an administrator may replace them (tar.gz from the API)" 200 \
  "$(put_docs "$ADMIN_TOKEN" itoa 1.0.1 "$WORK/itoa-docs.tgz")"
check_eq "... which the reply says" true "$(jq -r .replaced "$WORK/put.out")"
check_eq "... and the audit log records" "docs-replace" \
  "$("$REGISTRY_BIN" audit --data "$DATA" 2>/dev/null | grep -o docs-replace | sed -n 1p)"
python3 -c 'import shutil, sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2])' \
  "$WORK/itoa-docs" "$DOC_ITOA"
check_eq "a .zip of target/doc is accepted" 200 "$(put_docs "$ALICE" itoa 1.0.1 "$WORK/itoa-docs.zip")"

# --- every archive check: refused, nothing stored, the old docs untouched ---------------------
blobs() { find "$DATA/docs/blobs" -type f | wc -l; }
before_blobs=$(blobs)
before_page=$(get "$PAGE" | sha256sum)
python3 - "$WORK/bad" "$DOC_250" <<'EOF'
import gzip, io, os, sys, tarfile
out, tree = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
page = open(os.path.join(tree, "memchr/index.html"), "rb").read()

def tgz(name, extra, with_page=True):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as t:
        if with_page:
            info = tarfile.TarInfo("memchr/index.html"); info.size = len(page)
            t.addfile(info, io.BytesIO(page + b""))
        for info, data in extra:
            if data is not None:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            else:
                t.addfile(info)
    open(os.path.join(out, name), "wb").write(gzip.compress(raw.getvalue(), mtime=0))

def entry(name, kind=tarfile.REGTYPE, link=""):
    i = tarfile.TarInfo(name); i.type = kind; i.linkname = link
    return i

tgz("symlink.tgz", [(entry("memchr/evil.html", tarfile.SYMTYPE, "/etc/passwd"), None)])
tgz("hardlink.tgz", [(entry("memchr/hard.html", tarfile.LNKTYPE, "memchr/index.html"), None)])
tgz("dotdot.tgz", [(entry("../../escape.html"), b"x")])
tgz("absolute.tgz", [(entry("/tmp/absolute.html"), b"x")])
tgz("device.tgz", [(entry("memchr/dev", tarfile.CHRTYPE), None)])
tgz("fifo.tgz", [(entry("memchr/fifo", tarfile.FIFOTYPE), None)])
tgz("no-index.tgz", [(entry("README.md"), b"not docs")], with_page=False)
# 100 MiB of zeros packs into about 100 KiB: past the unpacked-to-packed ratio.
tgz("ratio.tgz", [(entry("memchr/zeros.html"), bytes(100 << 20))])
open(os.path.join(out, "junk.tgz"), "wb").write(os.urandom(4096))
EOF
refused() {  # refused FILE STATUS NEEDLE
  local got; got=$(put_docs "$ALICE" memchr 2.5.0 "$WORK/bad/$1")
  check_eq "$1 is refused with $2" "$2" "$got"
  check_contains "... saying why" "$3" "$(jq -r '.errors[0].detail' "$WORK/put.out")"
}
refused symlink.tgz 400 "link"
refused hardlink.tgz 400 "link"
refused dotdot.tgz 400 "\`..\`"
refused absolute.tgz 400 "absolute path"
refused device.tgz 400 "device"
refused fifo.tgz 400 "fifo"
refused no-index.tgz 400 "has no memchr/index.html"
refused ratio.tgz 400 "times its size"
refused junk.tgz 400 "not a .tar.gz, .tar.zst or .zip"
check_eq "refused uploads stored no file" "$before_blobs" "$(blobs)"
check_eq "... and the docs there were are served as before" "$before_page" "$(get "$PAGE" | sha256sum)"

# --- yanking keeps docs; latest skips yanked versions; deleting --------------------------------
curl -sf -o /dev/null -X DELETE -H "Authorization: $ALICE" "$BASE/api/v1/crates/memchr/2.5.1/yank"
check_eq "a yanked version keeps its docs" 200 \
  "$(code -H "Authorization: $ALICE" "$BASE/docs/memchr/2.5.1/memchr/index.html")"
check_eq "latest skips the yanked version" "/docs/memchr/2.5.0/memchr/index.html" \
  "$(get -o /dev/null -w '%{redirect_url}' "$BASE/docs/memchr/latest/" | sed "s|^$BASE||")"
check_eq "the crate page names each version's docs" "2.5.1 /docs/memchr/2.5.1/ 2.5.0 /docs/memchr/2.5.0/" \
  "$(get "$BASE/api/v1/crates/memchr" | jq -r '[.versions[] | "\(.num) \(.docs_url)"] | join(" ")')"
check_eq "a non-owner cannot delete docs" 403 \
  "$(code -X DELETE -H "Authorization: $BOB" "$BASE/api/v1/crates/itoa/1.0.1/docs")"
check_eq "the owner deletes them through the API" 200 \
  "$(code -X DELETE -H "Authorization: $ALICE" "$BASE/api/v1/crates/itoa/1.0.1/docs")"
check_eq "... and they are gone" 404 "$(code -H "Authorization: $ALICE" "$BASE/docs/itoa/1.0.1/")"

# --- check, backup and restore -------------------------------------------------------------------
set +e
report=$("$REGISTRY_BIN" check --data "$DATA" 2>&1); rc=$?
set -e
check_eq "check passes with docs stored" 0 "$rc"
check_contains "... and counts them" "docs: " "$report"
"$REGISTRY_BIN" backup --data "$DATA" "$WORK/backup.cpio.zst" 2>"$WORK/backup.err"
check_contains "backup carries the docs" "docs files" "$(cat "$WORK/backup.err")"
"$REGISTRY_BIN" restore "$WORK/backup.cpio.zst" --data "$WORK/restored" 2>"$WORK/restore.err" ||
  { cat "$WORK/restore.err"; fail "restore failed"; }
check_eq "the restored copy holds the same docs files" "$(blobs)" \
  "$(find "$WORK/restored/docs/blobs" -type f | wc -l)"
"$REGISTRY_BIN" docs delete --data "$DATA" memchr 2.5.1 >/dev/null
check_eq "docs delete on the server's directory removes a version's docs" 404 \
  "$(code -H "Authorization: $ALICE" "$BASE/docs/memchr/2.5.1/")"
victim=$(find "$DATA/docs/blobs" -type f -print -quit)
rm -f "$victim"
set +e
report=$("$REGISTRY_BIN" check --data "$DATA" 2>&1); rc=$?
set -e
check_eq "check fails when a docs file is lost" 1 "$rc"
check_contains "... naming the version" "memchr 2.5.0: docs file" "$report"

# --- the size limit, before the body is read -----------------------------------------------------
stop_server
start_server --quiet --max-docs-size 1M
head -c 2000000 /dev/urandom >"$WORK/big.bin"
check_eq "an upload over --max-docs-size is refused with 413" 413 \
  "$(put_docs "$ALICE" memchr 2.5.0 "$WORK/big.bin")"
check_contains "... saying the limit" "at most 1048576" "$(jq -r '.errors[0].detail' "$WORK/put.out")"
finish
