# End-to-end: the HTTP front end as an attacker and a remote team meet it. HTTP/1.1, h2c
# (Upgrade and prior knowledge) and h2 over TLS with curl and real cargo, asserted from the
# access log's protocol field; the requests that crashed or desynchronised the old server;
# bounds on targets, heads, bodies and connections; slowloris; HTTP/2 floods; memory before
# auth; SIGHUP certificate reload; graceful stop. After each attack: a normal request from
# another connection, and the published data unchanged.
# Usage: bash tests/e2e/transport_test.sh build/registry. Needs curl (with HTTP/2), python3,
# openssl, jq and cargo.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
SECONDS=0
ulimit -n 8192 2>/dev/null || true
for tool in curl python3 openssl jq cargo; do
  command -v "$tool" >/dev/null || { echo "$tool not found"; exit 1; }
done
curl --version | grep -q HTTP2 || { echo "curl has no HTTP/2"; exit 1; }
RAW=(python3 -S "$HERE/raw_http.py")

start_server --access-log plain
H="Authorization: $ADMIN_TOKEN"
python3 -S "$HERE/make_crate.py" bulk "$BASE" "$ADMIN_TOKEN" wire 3 "transport test" >/dev/null
index_before=$(curl -sf -H "$H" "$BASE/index/wi/re/wire000")
[ -n "$index_before" ] || { echo "publishing the fixtures failed"; exit 1; }
crate_sum=$(curl -sf -H "$H" "$BASE/api/v1/crates/wire000/0.1.0/download" | sha256sum)

# still_serving DESC: another connection gets /health and the published data is unchanged.
still_serving() {
  check_eq "$1: /health from another connection" 200 \
    "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$BASE/health")"
  check_eq "$1: the index file is unchanged" "$index_before" \
    "$(curl -s -m 5 -H "$H" "$BASE/index/wi/re/wire000")"
}
# status_lines TEXT: how many HTTP/1.x status lines TEXT holds.
status_lines() { grep -o 'HTTP/1\.[01] [0-9][0-9][0-9] ' <<<"$1" | wc -l; }
# The server's stderr. Truncating it while the server writes leaves a run of NUL bytes.
server_log() { tr -d '\0' <"$WORK/server.err"; }

# ---------------------------------------------------------------- 1. protocols, every route kind
for route in /health /index/config.json /index/wi/re/wire000 /api/v1/crates/wire000/0.1.0/download \
              "/api/v1/crates?q=wire" /; do
  for mode in --http1.1 --http2 --http2-prior-knowledge; do
    code=$(curl -s -o "$WORK/body" -w '%{http_code} %{http_version}' "$mode" -H "$H" "$BASE$route")
    want_version=2; [ "$mode" = --http1.1 ] && want_version=1.1
    check_eq "curl $mode $route" "200 $want_version" "$code"
  done
done
check_contains "the access log names HTTP/2 streams" "GET /index/wi/re/wire000 HTTP/2 200" \
  "$(server_log)"
check_contains "and HTTP/1.1 requests" "GET /index/wi/re/wire000 HTTP/1.1 200" "$(server_log)"
check_eq "a download over h2 has the stored bytes" "$crate_sum" \
  "$(curl -s --http2-prior-knowledge -H "$H" "$BASE/api/v1/crates/wire000/0.1.0/download" | sha256sum)"
check_eq "HEAD over h2c: headers only" "200 0" \
  "$(curl -s -o /dev/null -I --http2-prior-knowledge -w '%{http_code} %{size_download}' "$BASE/health")"

# Real cargo over plain http:// upgrades to h2c.
# lockfile_over_h2 SCHEME: a cold `cargo generate-lockfile` of $WORK/app, whose index reads
# the access log shows as HTTP/2 streams.
lockfile_over_h2() {
  rm -f "$WORK/app/Cargo.lock"
  : >"$WORK/server.err"
  cargo_in "$WORK/app" generate-lockfile
  check_ok "cargo generate-lockfile over $1://"
  local streams
  streams=$(server_log | grep -c "GET /index/.* HTTP/2 200" || true)
  if [ "$streams" -ge 2 ]; then pass "cargo read the index over HTTP/2 on $1:// ($streams streams)";
  else fail "cargo over $1:// did not use HTTP/2: $(server_log | grep /index/ | head -3)"; fi
}
use_private_cargo "$ADMIN_TOKEN"
app_crate "$WORK/app" 'wire000 = { version = "0.1", registry = "private" }
wire001 = { version = "0.1", registry = "private" }' 'fn main() {}'
lockfile_over_h2 http
cargo_in "$WORK/app" fetch
check_ok "cargo fetch (downloads) over h2c"
check_contains "downloads went over HTTP/2" "/api/v1/crates/wire000/0.1.0/download HTTP/2 200" \
  "$(server_log)"

# ---------------------------------------------------------------- 2. what crashed the old server
long_path="/$(head -c 3300 /dev/zero | tr '\0' a)"
check_eq "GET / + 3,300-character path" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$BASE$long_path")"
range=$(python3 -c 'print("bytes=" + "0" * 7990 + "-1")')
check_eq "/health with an 8,000-byte Range" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' -H "Range: $range" "$BASE/health")"
many=$(python3 -c 'print("bytes=" + ",".join("%d-%d" % (i, i) for i in range(2000)))')
check_eq "/health with 2,000 ranges: a head over 16 KiB, refused" 431 \
  "$(curl -s -o /dev/null -w '%{http_code}' -H "Range: $many" "$BASE/health")"
name=$(head -c 7000 /dev/zero | tr '\0' n)
code=$(curl -s -o "$WORK/body" -w '%{http_code}' -F "$name=x" "$BASE/api/v1/session")
if [ "$code" -ge 400 ] && [ "$code" -lt 500 ]; then pass "multipart sign-in with a 7,000-byte part name: $code";
else fail "multipart sign-in with a 7,000-byte part name: $code"; fi
still_serving "after the crash cases"

# Range: one range of a file, streamed; many ranges: the whole file.
check_eq "one range of a .crate" "206 10" "$(curl -s -o /dev/null -w '%{http_code} %{size_download}' \
  -H "$H" -H 'Range: bytes=0-9' "$BASE/api/v1/crates/wire000/0.1.0/download")"
check_eq "a range past the end" 416 "$(curl -s -o /dev/null -w '%{http_code}' \
  -H "$H" -H 'Range: bytes=99999999-' "$BASE/api/v1/crates/wire000/0.1.0/download")"
size=$(curl -s -H "$H" "$BASE/api/v1/crates/wire000/0.1.0/download" | wc -c)
check_eq "3 KB of ranges: the whole file, once" "200 $size" "$(curl -s -o /dev/null \
  -w '%{http_code} %{size_download}' -H "$H" -H "Range: $(python3 -c 'print("bytes=" + ",".join("0-%d" % i for i in range(600)))')" \
  "$BASE/api/v1/crates/wire000/0.1.0/download")"

# A client that goes away in the middle of a download (sendfile to a closed socket).
python3 -S "$HERE/make_crate.py" body wirebig 1.0.0 --tar big --pad 3000000 >"$WORK/big.body"
curl -sf -o /dev/null -X PUT -H "$H" --data-binary "@$WORK/big.body" "$BASE/api/v1/crates/new" ||
  fail "publishing a 3 MB crate"
python3 -S "$HERE/leave_mid_download.py" "$PORT" "$ADMIN_TOKEN" /api/v1/crates/wirebig/1.0.0/download
curl -s -o /dev/null --http2-prior-knowledge --limit-rate 200K -m 0.5 -H "$H" \
  "$BASE/api/v1/crates/wirebig/1.0.0/download" || true
still_serving "after clients left mid-download"

# ---------------------------------------------------------------- 3. desync: nothing smuggled
SMUGGLED=$'GET /health HTTP/1.1\r\nHost: evil.example\r\n\r\n'
# refused_once DESC STATUS REQUEST: one reply with STATUS, then the connection closes; the
# request hidden in the body is never answered.
refused_once() {
  local out
  out=$(printf '%s' "$3" | "${RAW[@]}" "$PORT")
  check_eq "$1: one reply" 1 "$(status_lines "$out")"
  check_contains "$1: status $2" "HTTP/1.1 $2 " "$out"
  check_contains "$1: connection closed" "== closed" "$out"
  check_contains "$1: cargo's error shape" '{"errors":[{"detail":' "$out"
}
body="0"$'\r\n\r\n'"$SMUGGLED"
refused_once "Transfer-Encoding: chunked" 411 $'POST /api/v1/session HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n'"$body"
refused_once "Content-Length with Transfer-Encoding" 400 $'POST /api/v1/session HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n'"$body"
refused_once "two different Content-Lengths" 400 $'POST /api/v1/session HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 44\r\n\r\n'"$SMUGGLED"
refused_once "a repeated Content-Length" 400 $'POST /api/v1/session HTTP/1.1\r\nHost: a\r\nContent-Length: 44\r\nContent-Length: 44\r\n\r\n'"$SMUGGLED"
refused_once "Content-Encoding: gzip" 415 $'POST /api/v1/session HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nContent-Length: 44\r\n\r\n'"$SMUGGLED"
refused_once "two Host headers" 400 $'GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'
big=$((200 << 20))
refused_once "an oversized publish, refused before its body" 413 "PUT /api/v1/crates/new HTTP/1.1"$'\r\n'"Host: a"$'\r\n'"Authorization: $ADMIN_TOKEN"$'\r\n'"Content-Length: $big"$'\r\n\r\n'"$SMUGGLED"
# A GET with a body: the body is read as a body, never as the next request.
n=${#SMUGGLED}
out=$(printf 'GET /health HTTP/1.1\r\nHost: a\r\nContent-Length: %d\r\n\r\n%sGET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' "$n" "$SMUGGLED" | "${RAW[@]}" "$PORT")
check_eq "a GET with a body: two replies for two requests, not three" 2 "$(status_lines "$out")"
# Pipelining: three requests in one write, answered in order.
out=$(printf 'GET /health HTTP/1.1\r\nHost: a\r\n\r\nGET /nope HTTP/1.1\r\nHost: a\r\n\r\nGET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' | "${RAW[@]}" "$PORT")
check_eq "pipelined requests answered in order" "200 404 200" \
  "$(grep -o 'HTTP/1.1 [0-9]*' <<<"$out" | awk '{printf "%s%s", sep, $2; sep=" "}')"
# A long pipelined burst in one write: every request answered, in order, the server still up
# (replies that complete at once must not recurse once per request).
out=$(python3 -c 'import sys; sys.stdout.write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n" * 1999 + "GET /nope HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")' |
  "${RAW[@]}" "$PORT" 10)
check_eq "2,000 pipelined requests in one write: 1,999 answers of 200, then the 404" \
  "1999x200 1x404" \
  "$(grep -o 'HTTP/1.1 [0-9]*' <<<"$out" | awk '{ print $2 }' | uniq -c | awk '{ printf "%s%sx%s", sep, $1, $2; sep = " " }')"
still_serving "after the desync cases"

# ---------------------------------------------------------------- 4. bounds on the head
target="/$(head -c 9000 /dev/zero | tr '\0' a)"
refused_once "a 9 KiB target" 414 "GET $target HTTP/1.1"$'\r\nHost: a\r\n\r\n'
refused_once "a 17 KiB header" 431 "GET / HTTP/1.1"$'\r\nHost: a\r\n'"X-Big: $(head -c 17000 /dev/zero | tr '\0' b)"$'\r\n\r\n'
refused_once "101 header lines" 431 "$(python3 -c 'import sys; sys.stdout.write("GET / HTTP/1.1\r\nHost: a\r\n" + "".join("X-%d: 1\r\n" % i for i in range(101)) + "\r")')"$'\n'
refused_once "not HTTP" 400 $'HELLO\r\n\r\n'
# The same bounds on HTTP/2 streams; the connection goes on.
check_eq "h2: a 17 KiB header" 431 "$(curl -s -o /dev/null -w '%{http_code}' --http2-prior-knowledge \
  -H "X-Big: $(head -c 17000 /dev/zero | tr '\0' b)" "$BASE/health")"
check_eq "h2: 120 header lines" 431 "$(curl -s -o /dev/null -w '%{http_code}' --http2-prior-knowledge \
  $(for i in $(seq 1 120); do printf -- '-H X-%d:1 ' "$i"; done) "$BASE/health")"
check_eq "h2: a 9 KiB target" 414 "$(curl -s -o /dev/null -w '%{http_code}' --http2-prior-knowledge \
  "$BASE$target")"

# Memory before auth: 1.5 million header lines, then a flood of big heads, leave RSS as it was.
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
rss_before=$(rss)
python3 -S - "$PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n")
try:
    for _ in range(1500):
        s.sendall(b"X-Line: 1\r\n" * 1000)
except OSError:
    pass
for _ in range(200):
    c = socket.create_connection(("127.0.0.1", port))
    try:
        c.sendall(b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"x" * 16000)
    except OSError:
        pass
    c.close()
PY
sleep 0.5
rss_after=$(rss)
grown=$(( (rss_after - rss_before) / 1024 ))
if [ -n "${ASAN_OPTIONS:-}" ]; then
  echo "    (RSS not checked under AddressSanitizer: its quarantine holds freed memory; grew ${grown} MiB)"
elif [ "$grown" -le 4 ]; then pass "1.5 million header lines and 200 big heads: RSS grew ${grown} MiB";
else fail "RSS grew ${grown} MiB ($rss_before -> $rss_after KiB)"; fi
still_serving "after the memory cases"

# ---------------------------------------------------------------- 5. slowloris
# 2,000 connections from 127.0.0.1 trickling header lines; /health from 127.0.0.2 meanwhile.
result=$(python3 -S "$HERE/slow_clients.py" "$PORT" 2000 12)
echo "    slowloris: $result"
val() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$result"; }
check_eq "slowloris: connections past the per-address cap refused" 1 "$(( $(val refused) >= 1700 ))"
check_eq "slowloris: trickling heads closed at the header timeout" 0 "$(val open)"
check_eq "slowloris: no /health request from elsewhere failed" 0 "$(val health_failures)"
p99=$(val health_p99_ms)
if python3 -c "import sys; sys.exit(0 if $p99 < 50 else 1)"; then pass "slowloris: /health p99 ${p99} ms < 50 ms";
else fail "slowloris: /health p99 ${p99} ms"; fi
still_serving "after slowloris"

# ---------------------------------------------------------------- 6. HTTP/2 floods
for mode in rapid-reset continuation settings-silence; do
  timeout 60 python3 -S "$HERE/h2_flood.py" "$PORT" "$mode" >"$WORK/flood.out" 2>&1 || true
  out=$(head -1 "$WORK/flood.out")
  case "$out" in
    goaway*|closed) pass "h2 $mode: the server ended the connection ($out)" ;;
    *) fail "h2 $mode: the server put up with it ($out)" ;;
  esac
  still_serving "after h2 $mode"
done

# ---------------------------------------------------------------- 7. TLS: h2 by ALPN, cargo, SIGHUP
stop_server
TLS="$WORK/tls"; mkdir -p "$TLS"
make_cert() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$TLS/key.pem" -out "$TLS/cert.pem" 2>/dev/null
  cat "$TLS/cert.pem" >>"$TLS/ca.pem"
}
make_cert first
start_server --tls-cert "$TLS/cert.pem" --tls-key "$TLS/key.pem" --access-log plain --max-crate-size 64K
check_eq "TLS: curl negotiates h2 by ALPN" "200 2" \
  "$(curl -s -o /dev/null -w '%{http_code} %{http_version}' --cacert "$TLS/ca.pem" "$BASE/health")"
check_eq "TLS: HTTP/1.1 still served" "200 1.1" \
  "$(curl -s -o /dev/null -w '%{http_code} %{http_version}' --http1.1 --cacert "$TLS/ca.pem" "$BASE/health")"
use_private_cargo "$ADMIN_TOKEN"
export CARGO_HTTP_CAINFO="$TLS/ca.pem"
lockfile_over_h2 https
# An upload refused before its body is read: over HTTP/2 cargo still gets the reason.
mkdir -p "$WORK/bigc/src"
printf '[package]\nname = "bigc"\nversion = "0.1.0"\nedition = "2021"\ndescription = "x"\nlicense = "MIT"\n' \
  >"$WORK/bigc/Cargo.toml"
echo 'pub fn f() {}' >"$WORK/bigc/src/lib.rs"
head -c 1500000 /dev/urandom | base64 >"$WORK/bigc/src/data.txt"
cargo_in "$WORK/bigc" publish --registry private --allow-dirty --no-verify
check_failed "cargo publish of a crate over --max-crate-size over h2"
check_contains "cargo shows the 413 and its detail" "413 Payload Too Large): the upload is" "$OUT"
check_contains "the refusal went over HTTP/2" "PUT /api/v1/crates/new HTTP/2 413" "$(server_log)"
unset CARGO_HTTP_CAINFO

serial() { openssl s_client -connect "127.0.0.1:$PORT" -servername localhost </dev/null 2>/dev/null |
  openssl x509 -noout -subject 2>/dev/null; }
check_contains "before SIGHUP: the first certificate" "CN = first" "$(serial)"
# A keep-alive connection opened before the reload keeps working after it.
exec 7< <(python3 -S - "$PORT" "$TLS/ca.pem" <<'PY'
import socket, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="localhost")
def get():
    s.sendall(b"GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
    return s.recv(4096).split(b"\r\n")[0].decode()
print(get(), flush=True)
time.sleep(3)
print(get(), flush=True)
PY
)
read -r -t 10 first_reply <&7 || true
make_cert second
kill -HUP "$SERVER_PID"
sleep 0.5
check_contains "after SIGHUP: new connections get the new certificate" "CN = second" "$(serial)"
read -r -t 10 second_reply <&7 || true
check_eq "a connection from before SIGHUP still served" "HTTP/1.1 200 OK|HTTP/1.1 200 OK" \
  "$first_reply|$second_reply"
check_contains "SIGHUP is logged" "reloaded the TLS certificate" "$(server_log)"
echo "junk" >"$TLS/cert.pem"
kill -HUP "$SERVER_PID"
sleep 0.5
check_contains "a broken certificate on SIGHUP keeps the old one" "CN = second" "$(serial)"
check_contains "and says why" "kept the old TLS certificate" "$(server_log)"

# ---------------------------------------------------------------- 8. graceful stop
kill -TERM "$SERVER_PID"
set +e
wait "$SERVER_PID"
rc=$?
set -e
SERVER_PID=""
check_eq "SIGTERM: exit 0" 0 "$rc"

echo "transport test: ${SECONDS}s"
finish
