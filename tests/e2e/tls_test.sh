# End-to-end: HTTPS built in. A self-signed certificate for 127.0.0.1/localhost made with the
# openssl CLI; bad certificates and keys refused at start with exit 1 and a message; real cargo
# publishes to and builds from the registry over TLS (CARGO_HTTP_CAINFO); curl trusts it only
# with the CA; the sign-in cookie is Secure; `registry health --cacert`.
# Usage: bash tests/e2e/tls_test.sh build/registry. Needs openssl, curl, jq and cargo.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

for tool in openssl cargo jq; do
  command -v "$tool" >/dev/null || { echo "$tool not found"; exit 1; }
done
SECONDS=0

TLS="$WORK/tls"
mkdir -p "$TLS"
CERT="$TLS/cert.pem"
KEY="$TLS/key.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$KEY" -out "$CERT" 2>/dev/null
openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out "$TLS/other-key.pem" 2>/dev/null
echo "not a certificate" >"$TLS/junk.pem"

# ---------------------------------------------------------------- 1. refused at start
# refused DESC EXPECTED_MESSAGE ARGS...: the server exits at once with that message on stderr:
# 1 for files it cannot use, 2 (WANT_RC=2 refused ...) for a command line that is wrong.
refused() {
  local desc=$1 want=$2 want_rc=${WANT_RC:-1}
  shift 2
  set +e
  timeout 10 "$REGISTRY_BIN" --data "$WORK/refused-data" --listen 127.0.0.1:0 "$@" \
    >"$WORK/refused.out" 2>"$WORK/refused.err"
  local rc=$?
  set -e
  check_eq "$desc: exit $want_rc" "$want_rc" "$rc"
  check_eq "$desc: the message" "$want" "$(cat "$WORK/refused.err")"
}
refused "missing certificate" \
  "error: cannot read TLS certificate $TLS/none.pem: No such file or directory" \
  --tls-cert "$TLS/none.pem" --tls-key "$KEY"
refused "missing key" "error: cannot read TLS private key $TLS/none.key: No such file or directory" \
  --tls-cert "$CERT" --tls-key "$TLS/none.key"
refused "a key that does not match" \
  "error: TLS private key $TLS/other-key.pem does not match the certificate $CERT" \
  --tls-cert "$CERT" --tls-key "$TLS/other-key.pem"
refused "a certificate that is not PEM" \
  "error: TLS certificate $TLS/junk.pem is not a PEM certificate (chain): no start line" \
  --tls-cert "$TLS/junk.pem" --tls-key "$KEY"
WANT_RC=2 refused "a certificate without a key" \
  "error: give both --tls-cert FILE and --tls-key FILE to serve HTTPS"$'\n'"hint: see \`registry serve --help\`" \
  --tls-cert "$CERT"
if [ -e "$WORK/refused-data" ]; then
  fail "a refused start created the data directory"
else
  pass "a refused start touches no data"
fi

# ---------------------------------------------------------------- 2. serving HTTPS
start_server --tls-cert "$CERT" --tls-key "$KEY" --quiet
[ -n "${ADMIN_TOKEN:-}" ] || { echo "no admin token printed on first start"; exit 1; }
ADMIN_PASSWORD=$(sed -n '4p' "$WORK/server.out" | tr -d ' ')
check_contains "the printed web UI address is https" "web UI:       https://127.0.0.1:$PORT/" \
  "$(cat "$WORK/server.out")"
check_contains "the printed cargo config uses https" "index = \"sparse+https://127.0.0.1:$PORT/index/\"" \
  "$(cat "$WORK/server.out")"

set +e
curl -s -o /dev/null --max-time 10 "$BASE/health"
rc=$?
set -e
check_eq "curl without the CA refuses the certificate (exit 60)" "60" "$rc"
check_eq "curl with --cacert gets /health" '{"status":"ok"}' \
  "$(curl -s --max-time 10 --cacert "$CERT" "$BASE/health")"
check_eq "plain HTTP to the TLS port gets no answer" "000" \
  "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/health" || true)"
config=$(curl -s --cacert "$CERT" -H "Authorization: $ADMIN_TOKEN" "$BASE/index/config.json")
check_eq "config.json's dl and api are https" "$BASE/api/v1/crates $BASE" \
  "$(jq -r '"\(.dl) \(.api)"' <<<"$config")"

headers=$(curl -s --cacert "$CERT" -D - -o /dev/null -H "Content-Type: application/json" \
  --data "{\"login\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE/api/v1/session" | tr -d '\r')
check_eq "sign-in over TLS" "200" "$(head -1 <<<"$headers" | cut -d' ' -f2)"
cookie=$(grep -i '^set-cookie: registry_session=' <<<"$headers" || true)
check_contains "the session cookie is Secure" "; Secure" "$cookie"
check_contains "the session cookie is HttpOnly" "HttpOnly" "$cookie"

out=$("$REGISTRY_BIN" health --url "$BASE" --cacert "$CERT" 2>&1)
check_eq "registry health --cacert: exit 0" "ok" "$out"
set +e
out=$("$REGISTRY_BIN" health --url "$BASE" 2>&1)
rc=$?
set -e
check_eq "registry health without the CA: exit 1" "1" "$rc"
check_contains "registry health says the certificate is not trusted" "not trusted" "$out"

# ---------------------------------------------------------------- 3. cargo over TLS
use_private_cargo "$ADMIN_TOKEN"
export CARGO_HTTP_CAINFO="$CERT"

LIB="$WORK/src/tls-lib"
mkdir -p "$LIB/src"
cat >"$LIB/Cargo.toml" <<'EOF'
[package]
name = "tls-lib"
version = "0.1.0"
edition = "2021"
description = "published over TLS"
license = "MIT"

[lib]
doctest = false
EOF
echo 'pub fn answer() -> u32 { 42 }' >"$LIB/src/lib.rs"
cargo_in "$LIB" publish --registry private --allow-dirty
check_ok "cargo publish over TLS"

APP="$WORK/app"
app_crate "$APP" 'tls-lib = { version = "0.1", registry = "private" }' \
  'fn main() { println!("answer={}", tls_lib::answer()); }'
cargo_in "$APP" run --quiet
check_ok "cargo builds and runs a project depending on it, over TLS"
check_eq "the dependency's code ran" "answer=42" "$OUT"

rm -rf "$APP/Cargo.lock" "$CARGO_HOME/registry"
set +e
OUT=$(cd "$APP" && env -u CARGO_HTTP_CAINFO timeout 120 cargo generate-lockfile 2>&1)
RC=$?
set -e
if [ "$RC" != 0 ]; then pass "cargo without the CA fails"; else fail "cargo trusted an unknown CA"; fi
check_contains "cargo says why: the certificate" "certificate" "$OUT"

echo "# took ${SECONDS}s"
finish
