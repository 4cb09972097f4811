#!/usr/bin/env bash
# Runs every benchmark program of the build and prints their tables (`make bench`).
# bench_storage measures PostgreSQL too: a throwaway server is started for the run
# (tests/contract/pg/start.sh; WEFT_TEST_PG_URL names an existing server instead) and stopped
# at the end.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
pg_state=""
stop_pg() { [ -z "$pg_state" ] || { bash "$here/../contract/pg/stop.sh" "$pg_state"; rm -rf "$pg_state"; }; }
trap stop_pg EXIT
if [ -x "$build/bin/bench_storage" ] && [ -f "$build/lib/weft/plugins/weft_storage_postgres.so" ]; then
  pg_state=$(mktemp -d /tmp/weft-bench-pg.XXXXXX)
  bash "$here/../contract/pg/start.sh" "$pg_state"
  WEFT_BENCH_PG_URL=$(cat "$pg_state/url")
  export WEFT_BENCH_PG_URL
fi
for b in "$build"/bin/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=1 "${@:2}"
done
echo "== http.sh (wrk against weft serve)"
bash "$here/http.sh" "$build" 5
echo "== webhook.sh (wrk against the order-triage webhook per backend, and the Poco echo ceiling)"
bash "$here/webhook.sh" "$build" 5
