# End-to-end: operating the server. Prometheus /metrics counters move after a publish and a
# download; who may read /metrics under each --metrics mode; JSON access-log lines parse and
# never carry a token, cookie or query string; `registry health` exit codes.
# Usage: bash tests/e2e/ops_test.sh build/registry. Needs curl and jq.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

command -v jq >/dev/null || { echo "jq not found"; exit 1; }
MK=(python3 -S "$HERE/make_crate.py")
SECONDS=0

# metric NAME_WITH_LABELS: its value in $WORK/metrics ("" when absent).
metric() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/metrics"; }
scrape() { curl -sf --max-time 10 "$@" "$BASE/metrics" >"$WORK/metrics" || : >"$WORK/metrics"; }
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }

# ---------------------------------------------------------------- 1. metrics move
start_server --access-log json
H_ADMIN="Authorization: $ADMIN_TOKEN"

scrape
check_eq "metrics: served to loopback clients by default, in text format 0.0.4" \
  "text/plain; version=0.0.4; charset=utf-8" \
  "$(curl -s -o /dev/null -w '%{content_type}' "$BASE/metrics")"
check_eq "metrics: no publishes yet" "0" "$(metric registry_publishes_total)"
check_eq "metrics: no downloads yet" "0" "$(metric registry_downloads_total)"
start_time=$(metric process_start_time_seconds)
now=$(date +%s)
if [ -n "$start_time" ] && [ "$start_time" -le "$now" ] && [ "$start_time" -gt $((now - 60)) ]; then
  pass "metrics: process_start_time_seconds is the start ($start_time)"
else
  fail "metrics: process_start_time_seconds [$start_time], now $now"
fi
blob_before=$(metric registry_blob_bytes)
check_eq "metrics: no blob bytes before a publish" "0" "$blob_before"
db_bytes=$(metric registry_database_bytes)
if [ "${db_bytes:-0}" -gt 0 ]; then pass "metrics: database bytes ($db_bytes)"; else fail "database bytes [$db_bytes]"; fi

"${MK[@]}" body ops-crate 1.2.3 >"$WORK/publish.bin"
check_eq "publish with curl" "200" \
  "$(status_of -X PUT -H "$H_ADMIN" --data-binary "@$WORK/publish.bin" "$BASE/api/v1/crates/new")"
check_eq "download with curl" "200" \
  "$(status_of -H "$H_ADMIN" "$BASE/api/v1/crates/ops-crate/1.2.3/download")"
check_eq "a download of a missing version is refused" "404" \
  "$(status_of -H "$H_ADMIN" "$BASE/api/v1/crates/ops-crate/9.9.9/download")"
check_eq "index file" "200" "$(status_of -H "$H_ADMIN" "$BASE/index/op/s-/ops-crate")"

scrape
check_eq "metrics: one publish" "1" "$(metric registry_publishes_total)"
check_eq "metrics: one download (the refused one does not count)" "1" \
  "$(metric registry_downloads_total)"
R_DL='route="/api/v1/crates/{name}/{version}/download"'
check_eq "metrics: downloads by route pattern and status 200" "1" \
  "$(metric "registry_http_requests_total{method=\"GET\",$R_DL,status=\"200\"}")"
check_eq "metrics: and status 404" "1" \
  "$(metric "registry_http_requests_total{method=\"GET\",$R_DL,status=\"404\"}")"
check_eq "metrics: the publish by its route" "1" \
  "$(metric 'registry_http_requests_total{method="PUT",route="/api/v1/crates/new",status="200"}')"
check_eq "metrics: latency histogram of the download route counts both" "2" \
  "$(metric "registry_http_request_duration_seconds_count{method=\"GET\",$R_DL}")"
check_eq "metrics: its +Inf bucket equals its count" "2" \
  "$(metric "registry_http_request_duration_seconds_bucket{method=\"GET\",$R_DL,le=\"+Inf\"}")"
if grep -q 'ops-crate' "$WORK/metrics"; then
  fail "metrics: a raw path leaked into the labels"
else
  pass "metrics: labels are route patterns, never raw paths"
fi
blob_after=$(metric registry_blob_bytes)
if [ "${blob_after:-0}" -gt 0 ]; then pass "metrics: blob bytes grew ($blob_after)"; else fail "blob bytes [$blob_after]"; fi

# ---------------------------------------------------------------- 2. JSON access log
# Requests that carry secrets in every place a careless log would copy them from.
curl -s -o /dev/null -H "$H_ADMIN" "$BASE/api/v1/crates?q=needle-in-query&per_page=1"
curl -s -o /dev/null -H "Cookie: registry_session=cookie-secret-value" "$BASE/api/v1/session"
curl -s -o /dev/null -H "$H_ADMIN" "$BASE/odd%20path%22%5C%0A%C3%A9"
curl -s -o /dev/null -H "Content-Type: application/json" \
  --data '{"login":"admin","password":"body-secret-password"}' "$BASE/api/v1/session"
sleep 0.2
grep '^{' "$WORK/server.err" >"$WORK/access.jsonl" || true
lines=$(wc -l <"$WORK/access.jsonl")
if [ "$lines" -ge 10 ]; then pass "access log: $lines JSON lines"; else fail "access log: $lines JSON lines"; fi
if jq -e . "$WORK/access.jsonl" >/dev/null 2>&1 && \
   python3 -S -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$WORK/access.jsonl"; then
  pass "access log: every line parses with jq and python"
else
  fail "access log: a line does not parse"
fi
check_eq "access log: the fields, in order" \
  '["time","addr","method","path","protocol","status","bytes","ms","user"]' \
  "$(jq -c 'keys_unsorted' <<<"$(grep '"/api/v1/crates/ops-crate/1.2.3/download"' "$WORK/access.jsonl" | head -1)")"
dl=$(grep '"/api/v1/crates/ops-crate/1.2.3/download"' "$WORK/access.jsonl" | head -1)
check_eq "access log: the download's user, status and address" "admin 200 127.0.0.1" \
  "$(jq -r '"\(.user) \(.status) \(.addr)"' <<<"$dl")"
check_eq "access log: the download's byte count" "$(curl -s -H "$H_ADMIN" \
  "$BASE/api/v1/crates/ops-crate/1.2.3/download" | wc -c)" "$(jq -r .bytes <<<"$dl")"
check_eq "access log: ms is a number" "number" "$(jq -r '.ms | type' <<<"$dl")"
check_eq "access log: time is UTC with milliseconds" "1" \
  "$(jq -r '.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$") | if . then 1 else 0 end' <<<"$dl")"
check_eq "access log: no user on an unauthenticated request" "null" \
  "$(jq -r 'select(.path == "/health") | .user' "$WORK/access.jsonl" | head -1)"
check_eq "access log: an odd path is escaped and read back intact" "/odd path\"\\"$'\n'"é" \
  "$(jq -r 'select(.path | startswith("/odd")) | .path' "$WORK/access.jsonl")"
for secret in "$ADMIN_TOKEN" needle-in-query cookie-secret-value body-secret-password; do
  if grep -qF -- "$secret" "$WORK/server.err"; then
    fail "access log: [${secret:0:12}...] appears in the server's log"
  else
    pass "access log: never [${secret:0:12}...]"
  fi
done
stop_server

# ---------------------------------------------------------------- 3. who may read /metrics
start_server --metrics token --quiet
check_eq "--metrics token: refused without a credential" "403" "$(status_of "$BASE/metrics")"
check_eq "--metrics token: refused with a bad token" "403" \
  "$(status_of -H 'Authorization: crg_bad' "$BASE/metrics")"
READER=$(new_user reader)
scrape -H "Authorization: $READER"
check_eq "--metrics token: any valid token reads them" "0" "$(metric registry_publishes_total)"
if [ -s "$WORK/server.err" ]; then fail "--quiet: the server logged requests"; else pass "--quiet: no access log"; fi
stop_server

start_server --metrics off
check_eq "--metrics off: 404" "404" "$(status_of -H "Authorization: $READER" "$BASE/metrics")"
stop_server

start_server --metrics public --access-log plain
check_eq "--metrics public: no credential needed" "200" "$(status_of "$BASE/metrics")"
check_contains "plain access log: address user method path protocol status bytes duration" \
  "127.0.0.1 - GET /metrics HTTP/1.1 200 " "$(cat "$WORK/server.err")"
curl -s -o /dev/null -H "Authorization: $ADMIN_TOKEN" "$BASE/index/config.json"
sleep 0.2
check_contains "plain access log: the user behind the token" \
  "127.0.0.1 admin GET /index/config.json HTTP/1.1 200 " "$(cat "$WORK/server.err")"
day=$(date -u +%Y-%m-%d)
if grep -Eq "^${day}T[0-9:]{8}\.[0-9]{3}Z 127\.0\.0\.1 - GET /metrics HTTP/1\.1 200 [0-9]+ [0-9]+\.[0-9]ms\$" \
    "$WORK/server.err"; then
  pass "plain access log: one line of nine fields, from the UTC time to the duration in ms"
else
  fail "plain access log: [$(grep /metrics "$WORK/server.err" | head -1)]"
fi

# ---------------------------------------------------------------- 4. registry health
out=$("$REGISTRY_BIN" health --url "$BASE" 2>&1); rc=$?
check_eq "health: exit 0 when the server answers" "0 ok" "$rc $out"
out=$("$REGISTRY_BIN" health --url "$BASE/" 2>&1); rc=$?
check_eq "health: a trailing slash is fine" "0" "$rc"
stop_server
set +e
out=$("$REGISTRY_BIN" health --url "$BASE" 2>&1); rc=$?
set -e
check_eq "health: exit 1 when nothing listens" "1" "$rc"
check_eq "health: says what failed" "error: $BASE/health: cannot connect" "$out"
set +e
out=$("$REGISTRY_BIN" health --url "not-a-url" 2>&1); rc=$?
usage=$("$REGISTRY_BIN" health 2>&1); usage_rc=$?
set -e
check_eq "health: a bad URL is exit 1 with the reason" \
  "1 error: invalid URL \`not-a-url\`: expected http://HOST[:PORT] or https://HOST[:PORT]" \
  "$rc $out"
check_eq "health: without --url, the usage and exit 2" "2" "$usage_rc"

echo "# took ${SECONDS}s"
finish
