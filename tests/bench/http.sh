#!/usr/bin/env bash
# HTTP throughput of the real `weft serve` under wrk:
#   http.sh <build dir> [seconds]
# Starts the server on a free port with a fresh data folder, then runs wrk against GET /health
# (public: the HTTP core alone) and GET /api/v1/node-types with the first admin's API key (the
# auth chain and a store lookup on every request), each with 1 and 8 connections. wrk runs on
# the same machine, so the two share its cores.
set -euo pipefail
build=${1:-build}
seconds=${2:-10}
weft=$(cd "$build" && pwd)/bin/weft
work=$(mktemp -d /tmp/weft-bench-http.XXXXXX)
pid=""
cleanup() {
  [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

# Rate limits off: wrk is one address and one key, far above any sensible limit.
WEFT_RATE_LIMITS=false "$weft" serve --port 0 --data "$work/data" >"$work/out" 2>"$work/err" &
pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(sed -n 's/^weft: listening on //p' "$work/out")
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "http.sh: weft serve did not start" >&2; exit 1; }
key=$(cat "$work/data/initial-admin-key")

for connections in 1 8; do
  threads=$((connections < 2 ? 1 : 2))
  echo "== GET /health, $connections connection(s)"
  wrk -t "$threads" -c "$connections" -d "${seconds}s" --latency "$url/health" |
    grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
  echo "== GET /api/v1/node-types with an API key, $connections connection(s)"
  wrk -t "$threads" -c "$connections" -d "${seconds}s" --latency -H "X-API-Key: $key" \
    "$url/api/v1/node-types" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
done
