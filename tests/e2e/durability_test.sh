# End-to-end durability: kill -9 during concurrent publishes loses no acknowledged publish;
# `check` is clean after restart; backup under write load restores with every checksum; a full
# disk refuses publishes with 507 while reads keep working; SIGTERM shuts down cleanly.
# Usage: bash tests/e2e/durability_test.sh build/registry
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

CLIENTS=4
ROUNDS=6
start_server --quiet
TOKEN=$ADMIN_TOKEN

# start_clients TAG [MAX]: one publisher per client in the background; PIDs in CLIENT_PIDS.
start_clients() {
  CLIENT_PIDS=()
  local c
  for c in $(seq 1 $CLIENTS); do
    python3 -S "$HERE/publish_client.py" "$BASE" "$TOKEN" "$1-c$c" "$WORK/acks-$1-c$c" "${2:-100000}" \
      2>>"$WORK/clients.err" &
    CLIENT_PIDS+=($!)
  done
}
wait_clients() { local p; for p in "${CLIENT_PIDS[@]}"; do wait "$p" || true; done; }
# wait_first_ack TAG: until a client of TAG has an acknowledged publish (at most 10 s). On a
# loaded machine the four clients' Python start-up alone can take a second.
wait_first_ack() {
  local i
  for i in $(seq 1 100); do
    [ -n "$(cat "$WORK"/acks-"$1"-* 2>/dev/null | head -c 1)" ] && return 0
    sleep 0.1
  done
}

# --- kill -9 at random moments while four clients publish ------------------------------------
for round in $(seq 1 $ROUNDS); do
  start_clients "r$round"
  wait_first_ack "r$round"
  sleep "0.$((RANDOM % 9 + 2))"
  kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  wait_clients
  start_server --quiet
done
ACKED=$(cat "$WORK"/acks-r* 2>/dev/null | wc -l)
echo "acknowledged publishes across $ROUNDS kill -9 rounds: $ACKED"
[ "$ACKED" -gt 10 ] && pass "the clients got publishes acknowledged between kills" \
  || fail "too few acknowledged publishes ($ACKED) for the crash test to mean anything"
out=$(python3 -S "$HERE/verify_acks.py" "$BASE" "$TOKEN" "$WORK"/acks-r* 2>&1) && rc=0 || rc=$?
check_eq "every acknowledged publish survived kill -9 (${out##*$'\n'})" 0 "$rc"
[ "$rc" = 0 ] || echo "$out" | head -20
check_eq "no temp file is left after restart" "" "$(ls "$DATA/tmp")"
out=$("$REGISTRY_BIN" check --data "$DATA" 2>&1) && rc=0 || rc=$?
check_eq "check is clean after the crashes" 0 "$rc"
check_contains "check summary" "clean" "$out"

# --- backup while four clients publish, then restore and verify ------------------------------
start_clients load 150
wait_first_ack load
sleep 0.5
cat "$WORK"/acks-* >"$WORK/acked-before-backup"
"$REGISTRY_BIN" backup --data "$DATA" "$WORK/backup.cpio.zst" 2>"$WORK/backup.err" && rc=0 || rc=$?
check_eq "backup under write load succeeds" 0 "$rc"
wait_clients
echo "publishes acknowledged by the time the backup started: $(wc -l <"$WORK/acked-before-backup")"
"$REGISTRY_BIN" restore "$WORK/backup.cpio.zst" --data "$WORK/restored" 2>"$WORK/restore.err" \
  && rc=0 || rc=$?
check_eq "restore verifies and succeeds" 0 "$rc"
check_contains "restore reports verified checksums" "every checksum verified" "$(cat "$WORK/restore.err")"
out=$("$REGISTRY_BIN" check --data "$WORK/restored" 2>&1) && rc=0 || rc=$?
check_eq "check is clean on the restored directory" 0 "$rc"
MAIN_DATA=$DATA MAIN_PID=$SERVER_PID MAIN_BASE=$BASE
DATA="$WORK/restored" SERVER_PID=""
start_server --quiet
out=$(python3 -S "$HERE/verify_acks.py" "$BASE" "$TOKEN" "$WORK/acked-before-backup" 2>&1) \
  && rc=0 || rc=$?
check_eq "every publish acknowledged before the backup is in the restored registry" 0 "$rc"
stop_server
DATA=$MAIN_DATA SERVER_PID=$MAIN_PID BASE=$MAIN_BASE

# A damaged archive is refused and leaves nothing behind.
python3 -S - "$WORK/backup.cpio.zst" "$WORK/damaged.cpio.zst" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[len(data) // 2] ^= 0xFF
open(sys.argv[2], "wb").write(data)
PY
"$REGISTRY_BIN" restore "$WORK/damaged.cpio.zst" --data "$WORK/restored2" 2>"$WORK/restore2.err" \
  && rc=0 || rc=$?
check_eq "a damaged archive is refused" 1 "$rc"
check_eq "a refused restore leaves the directory empty" "" "$(ls -A "$WORK/restored2" 2>/dev/null)"

# --- SIGTERM: clean exit with the WAL checkpointed -------------------------------------------
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" && rc=0 || rc=$?; SERVER_PID=""
check_eq "SIGTERM exits 0" 0 "$rc"
check_contains "shutdown is logged" "registry stopped" "$(cat "$WORK/server.err")"
wal=$(stat -c %s "$DATA/registry.db-wal" 2>/dev/null || echo 0)
check_eq "the WAL is checkpointed on shutdown" 0 "$wal"

# --- disk full on a small tmpfs --------------------------------------------------------------
FULL="$WORK/full"
mkdir -p "$FULL"
if mount -t tmpfs -o size=3m tmpfs "$FULL" 2>/dev/null; then
  trap 'umount "$FULL" 2>/dev/null; cleanup' EXIT
  DATA="$FULL/data"
  start_server --quiet
  TOKEN=$ADMIN_TOKEN
  python3 -S "$HERE/make_crate.py" body small 1.0.0 >"$WORK/small.bin"
  st=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: $TOKEN" \
    --data-binary @"$WORK/small.bin" "$BASE/api/v1/crates/new")
  check_eq "a publish fits on the small disk" 200 "$st"
  full_status="" i=0
  while [ $i -lt 40 ]; do
    python3 -S "$HERE/make_crate.py" body "big$i" 1.0.0 --tar big --pad 400000 >"$WORK/big.bin"
    st=$(curl -s -o "$WORK/full.json" -w "%{http_code}" -X PUT -H "Authorization: $TOKEN" \
      -H "Content-Type: application/octet-stream" \
      --data-binary @"$WORK/big.bin" "$BASE/api/v1/crates/new")
    if [ "$st" != 200 ]; then full_status=$st; break; fi
    i=$((i + 1))
  done
  check_eq "a publish that does not fit gets 507" 507 "$full_status"
  check_contains "507 says the disk is full" "disk is full" "$(cat "$WORK/full.json")"
  st=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $TOKEN" "$BASE/index/bi/g$i/big$i")
  check_eq "the refused crate is not in the index" 404 "$st"
  st=$(curl -s -o "$WORK/dl" -w '%{http_code}' -H "Authorization: $TOKEN" \
    "$BASE/api/v1/crates/small/1.0.0/download")
  check_eq "downloads keep working on a full disk" 200 "$st"
  st=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $TOKEN" "$BASE/index/sm/al/small")
  check_eq "the index keeps working on a full disk" 200 "$st"
  check_eq "no temp file is left by the refused publish" "" "$(ls "$DATA/tmp")"
  stop_server
  out=$("$REGISTRY_BIN" check --data "$DATA" 2>&1) && rc=0 || rc=$?
  check_eq "check is clean after the disk filled" 0 "$rc"
  umount "$FULL"
  trap cleanup EXIT
else
  echo "skip: disk-full checks need to mount a tmpfs (run as root)"
fi

finish
