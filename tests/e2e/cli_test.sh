# End-to-end: the command line itself. Help for every command and group, one-line usage errors
# with exit status 2, commands that must not create a data directory, `user add` on a terminal,
# and a registry that starts with members but no administrator.
# Usage: bash tests/e2e/cli_test.sh build/registry
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

# run ARGS...: sets RC, STDOUT and STDERR of `registry ARGS...` (stdin empty).
run() {
  RC=0
  "$REGISTRY_BIN" "$@" </dev/null >"$WORK/out" 2>"$WORK/err" || RC=$?
  STDOUT=$(cat "$WORK/out")
  STDERR=$(cat "$WORK/err")
}

# --- help ---------------------------------------------------------------------------------------
for form in "help" "--help" "-h"; do
  run $form
  check_eq "\`registry $form\` exits 0" 0 "$RC"
  check_contains "\`registry $form\` lists every command" "registry mirror disallow" "$STDOUT"
done
run user --help
check_eq "\`registry user --help\` exits 0" 0 "$RC"
check_contains "... and shows user add" "registry user add --data DIR NAME" "$STDOUT"
check_contains "... and user list" "registry user list --data DIR" "$STDOUT"
check_eq "... and nothing but user commands" 0 "$(grep -c 'registry token\|registry serve\|registry check' <<<"$STDOUT" || true)"
run help token create
check_eq "\`registry help token create\` exits 0" 0 "$RC"
check_eq "... and prints that command's usage only" 1 "$(grep -c '^  registry ' <<<"$STDOUT")"
check_contains "... which is token create's" "registry token create --data DIR --user NAME" "$STDOUT"
run user add --data "$DATA" alice --help
check_eq "\`--help\` after a command's arguments prints its help" 1 "$(grep -c '^  registry ' <<<"$STDOUT")"
check_contains "... the command's" "registry user add" "$STDOUT"
run serve --help
check_contains "\`registry serve --help\` shows serve's options" "--max-connections-per-address" "$STDOUT"
run --version
check_eq "\`registry --version\` prints VERSION and the commit" \
  "registry $(head -n1 "$HERE/../../VERSION") (commit" "$(cut -d' ' -f1-3 <<<"$STDOUT")"
check_eq "help wrote nothing to a data directory" "no" "$([ -e "$DATA" ] && echo yes || echo no)"

# --- usage errors: one line and a hint, exit 2 ----------------------------------------------------
# usage_error DESCRIPTION EXPECTED-MESSAGE EXPECTED-HINT ARGS...
usage_error() {
  local what=$1 message=$2 hint=$3
  shift 3
  run "$@"
  check_eq "$what: exit status 2" 2 "$RC"
  check_eq "$what: one error line and one hint" "error: $message"$'\n'"hint: see \`$hint\`" "$STDERR"
  check_eq "$what: nothing on stdout" "" "$STDOUT"
}
usage_error "no arguments" \
  "no command given; \`registry --data DIR\` serves a registry from DIR" "registry --help"
usage_error "an unknown command" "unknown command \`frobnicate\`" "registry --help" frobnicate
usage_error "help for an unknown command" "unknown command \`frobnicate\`" "registry --help" \
  help frobnicate
usage_error "a group without a subcommand" \
  "\`registry user\` needs a subcommand: add, passwd, disable, enable, role, list" \
  "registry user --help" user
usage_error "an unknown subcommand" \
  "\`registry token\` needs a subcommand: create, list, revoke" "registry token --help" token frob
usage_error "a missing required option" "missing required option \`--data\`" \
  "registry user list --help" user list
usage_error "an unknown option" "unknown option \`--bogus\` for \`registry serve\`" \
  "registry serve --help" --data "$DATA" --bogus
usage_error "--listen nonsense" "invalid --listen \`nonsense\`: expected HOST:PORT" \
  "registry serve --help" serve --data "$DATA" --listen nonsense
usage_error "--threads 0" "invalid --threads \`0\`: give a whole number from 1 to 1024" \
  "registry serve --help" serve --data "$DATA" --threads 0
usage_error "--threads many" "invalid --threads \`many\`: give a whole number from 1 to 1024" \
  "registry serve --help" serve --data "$DATA" --threads many
usage_error "--max-connections 0" \
  "invalid --max-connections \`0\`: give a whole number from 1 to 9999999" \
  "registry serve --help" serve --data "$DATA" --max-connections 0
usage_error "--metrics nonsense" "$("$REGISTRY_BIN" serve --data "$DATA" --metrics x 2>&1 | head -1 | sed 's/^error: //')" \
  "registry serve --help" serve --data "$DATA" --metrics x
usage_error "an invalid --registry-name" \
  "invalid --registry-name \`ACME Corp\`: cargo needs letters, digits, \`-\` and \`_\` (e.g. \`acme-corp\`), not starting with a digit or \`-\`" \
  "registry serve --help" serve --data "$DATA" --registry-name "ACME Corp"
usage_error "half a TLS pair" "give both --tls-cert FILE and --tls-key FILE to serve HTTPS" \
  "registry serve --help" serve --data "$DATA" --tls-cert x.pem
check_eq "no refused serve created the data directory" "no" "$([ -e "$DATA" ] && echo yes || echo no)"

# --- only serve creates a registry ----------------------------------------------------------------
TYPO="$WORK/typo"
for cmd in "user list" "user add bob" "token list" "check" "audit" "mirror status" "backup $WORK/b.out"; do
  # shellcheck disable=SC2086
  run $cmd --data "$TYPO"
  check_eq "\`$cmd\` on a missing directory exits 1" 1 "$RC"
  check_eq "... saying there is no registry" \
    "error: no registry in \`$TYPO\`: check the path, or start one with \`registry serve --data $TYPO\`" \
    "$STDERR"
done
check_eq "none of them created it" "no" "$([ -e "$TYPO" ] && echo yes || echo no)"
mkdir "$WORK/empty"
run user add --data "$WORK/empty" bob
check_eq "\`user add\` on an empty directory exits 1" 1 "$RC"
check_eq "... and leaves it empty" "" "$(ls -A "$WORK/empty")"

# --- a registry with members but no administrator gets one on start ------------------------------
# A registry made by `mirror import` (which may create one, for an air-gapped cache) has no
# users; add a member by hand before its first start.
start_server --quiet
stop_server
run mirror export --data "$DATA" "$WORK/empty.bundle"
check_eq "an empty mirror cache exports" 0 "$RC"
DATA="$WORK/data-b"
run mirror import --data "$DATA" "$WORK/empty.bundle"
check_eq "... and imports into a new directory" 0 "$RC"
run user add --data "$DATA" carol
check_eq "a member is added before the first start" 0 "$RC"
if [ -f "$DATA/registry.db" ]; then
  start_server --quiet
  check_contains "serve creates an administrator when there is none" \
    "created user \`admin\` (administrator)" "$(cat "$WORK/server.out")"
  check_eq "... whose printed token works" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: ${ADMIN_TOKEN:-none}" "$BASE/index/config.json")"
  stop_server
else
  fail "mirror import did not create the data directory it was given"
fi

# --- user add prompts on a terminal ----------------------------------------------------------------
# A pseudo-terminal: the password is typed twice, never echoed.
prompt=$(python3 - "$REGISTRY_BIN" "$DATA" <<'PY'
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "user", "add", "--data", sys.argv[2], "dave"])
out = b""
deadline = time.time() + 20
def read_until(needle):
    global out
    while needle not in out and time.time() < deadline:
        try:
            out += os.read(fd, 1024)
        except OSError:
            break
read_until(b"password")
os.write(fd, b"correct horse battery\n")
read_until(b"Repeat")
os.write(fd, b"correct horse battery\n")
read_until(b"created user")
os.waitpid(pid, 0)
print(out.decode(errors="replace"))
PY
)
check_contains "user add asks for the password on a terminal" "Web password" "$prompt"
check_contains "... and creates the user with it" "created user \`dave\`" "$prompt"
check_eq "... never echoing it" 0 "$(grep -c 'correct horse' <<<"$prompt" || true)"
check_eq "dave has a web password" "set" \
  "$("$REGISTRY_BIN" user list --data "$DATA" | awk '$1 == "dave" {print $4}')"

finish
