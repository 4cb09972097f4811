#!/usr/bin/env bash
# `weft db status|migrate|rollback` through the real binary on one backend:
#   db_commands.sh <weft> sqlite
#   db_commands.sh <weft> postgres <file holding the database URL>
# Migrates up, rolls back to 0, migrates up again, checking what status reports at each step,
# and that a bad --to is refused with a non-zero exit.
set -euo pipefail
weft=$1 backend=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if [ "$backend" = postgres ]; then
  export WEFT_DATABASE_URL
  WEFT_DATABASE_URL=$(cat "$3")
fi

fail() { echo "FAIL: $*" >&2; exit 1; }
status() { "$weft" db status --backend "$backend"; }

# Start from an empty schema whatever the database held.
"$weft" db rollback --to 0 --backend "$backend" >/dev/null

out=$(status)
echo "$out"
latest=$(sed -n 's/.*schema version 0 of \([0-9]*\)$/\1/p' <<<"$out")
[ -n "$latest" ] && [ "$latest" -ge 1 ] || fail "status on an empty schema: $out"
grep -q "migration(s) pending: run \`weft db migrate\`" <<<"$out" || fail "no pending hint: $out"

out=$("$weft" db migrate --backend "$backend")
echo "$out"
grep -q "schema version $latest of $latest" <<<"$out" || fail "migrate did not reach $latest: $out"
for v in $(seq 1 "$latest"); do
  grep -Eq "^  $v  [a-z_]+  applied [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$" <<<"$out" ||
    fail "migration $v not listed with its time: $out"
done
if [ "$backend" = postgres ]; then
  grep -q '\*\*\*@' <<<"$out" || fail "the URL is not shown redacted: $out"
  pass=$(sed -n 's#^postgresql://[^:]*:\([^@]*\)@.*#\1#p' "$3")
  if [ -n "$pass" ] && grep -qF "$pass" <<<"$out"; then fail "the password was printed"; fi
fi

out=$("$weft" db rollback --backend "$backend")
grep -q "schema version $((latest - 1)) of $latest" <<<"$out" || fail "rollback by one: $out"
out=$("$weft" db rollback --to 0 --backend "$backend")
grep -q "schema version 0 of $latest" <<<"$out" || fail "rollback to 0: $out"
out=$("$weft" db migrate --backend "$backend")
grep -q "schema version $latest of $latest" <<<"$out" || fail "migrate again: $out"

json=$("$weft" db status --backend "$backend" --json)
grep -q "\"current\": $latest," <<<"$json" && grep -q "\"latest\": $latest" <<<"$json" &&
  [ "$(grep -c '"appliedAt"' <<<"$json")" -eq "$latest" ] || fail "status --json: $json"

set +e
err=$("$weft" db migrate --to 999 --backend "$backend" 2>&1 >/dev/null); code=$?
set -e
[ $code -ne 0 ] || fail "migrate --to 999 succeeded"
grep -q "999" <<<"$err" || fail "migrate --to 999 did not name the version: $err"
echo "db commands on $backend: ok"
