# Shared by the shell-driven tests (tests/openapi, tests/ws): start the real `weft serve` on a
# free port in a throwaway folder, and stop it expecting exit 0. Source it, then:
#   weft_workdir                    # $work: a temp folder, removed (and weft killed) on exit
#   weft_start <weft> [args...]     # serve --port 0 in $work; sets $pid, $url, $serve_out, $serve_err
#   weft_stop                       # SIGTERM; fails unless weft exits 0
# The server sees the test's environment minus WEFT_* (as the C++ harness does).

fail() { echo "FAIL: $*" >&2; exit 1; }

while read -r v; do unset "$v"; done < <(compgen -e | grep '^WEFT_' || true)

weft_workdir() {
  work=$(mktemp -d)
  pid=
  trap '_weft_cleanup' EXIT
}

_weft_cleanup() {
  if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}

weft_start() {
  local weft=$1
  shift
  serve_out="$work/serve.out" serve_err="$work/serve.err"
  "$weft" serve --port 0 --host 127.0.0.1 --data "$work/data" "$@" >"$serve_out" 2>"$serve_err" &
  pid=$!
  url=
  for _ in $(seq 600); do  # up to about 60 s
    url=$(sed -n 's/^weft: listening on \(http:[^ ]*\)$/\1/p' "$serve_out")
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || fail "weft serve exited before listening: $(cat "$serve_err")"
    sleep 0.1
  done
  [ -n "$url" ] || fail "weft serve printed no 'listening on' line: $(cat "$serve_out" "$serve_err")"
  echo "weft serve: $url"
}

weft_stop() {
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  pid=
  [ "$rc" -eq 0 ] || fail "weft serve exited $rc after SIGTERM: $(tail -c 2000 "$serve_err")"
  echo "weft serve stopped (exit 0)"
}
