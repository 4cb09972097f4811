#!/usr/bin/env bash
# HTTP throughput of the real `weft serve` under wrk:
#   http.sh <build dir> [seconds]
# Starts the server on a free port with a fresh data folder, then runs wrk against GET /health
# (public: the HTTP core alone) and GET /api/v1/node-types with the first admin's API key (the
# auth chain and a store lookup on every request), each with 1 and 8 connections. Then the same
# with tracing on: every request sampled (tracing.sampleRatio 1) and its spans exported as OTLP
# to bin/echo_server standing in for a collector. wrk runs on the same machine, so they share
# its cores.
set -euo pipefail
build=${1:-build}
seconds=${2:-10}
weft=$(cd "$build" && pwd)/bin/weft
source "$(dirname "$0")/../lib/weft_serve.sh"
weft_workdir
collector=""
trap '_weft_cleanup; [ -z "$collector" ] || kill -TERM "$collector" 2>/dev/null || true' EXIT

measure() {
  for connections in 1 8; do
    threads=$((connections < 2 ? 1 : 2))
    echo "== GET /health, $connections connection(s)"
    wrk -t "$threads" -c "$connections" -d "${seconds}s" --latency "$url/health" |
      grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
    echo "== GET /api/v1/node-types with an API key, $connections connection(s)"
    wrk -t "$threads" -c "$connections" -d "${seconds}s" --latency -H "X-API-Key: $key" \
      "$url/api/v1/node-types" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
  done
}

# Rate limits off: wrk is one address and one key, far above any sensible limit.
echo "#### tracing off"
WEFT_RATE_LIMITS=false weft_start "$weft"
key=$(cat "$work/data/initial-admin-key")
measure
weft_stop

echo_server=$(cd "$build" && pwd)/bin/echo_server
[ -x "$echo_server" ] || fail "$echo_server is missing (WEFT_BUILD_BENCH=ON)"
"$echo_server" --threads 4 >"$work/collector.out" 2>"$work/collector.err" &
collector=$!
collector_url=""
for _ in $(seq 1 300); do
  collector_url=$(grep -o 'http://[^ ]*' "$work/collector.out" | head -1 || true)
  [ -n "$collector_url" ] && break
  sleep 0.1
done
[ -n "$collector_url" ] || fail "echo_server did not start"

echo "#### tracing on: every request sampled, exported to $collector_url"
rm -rf "$work/data"
WEFT_RATE_LIMITS=false WEFT_TRACING_ENDPOINT="$collector_url" WEFT_TRACING_SAMPLE_RATIO=1 weft_start "$weft"
key=$(cat "$work/data/initial-admin-key")
measure
echo "== spans: $(curl -s "$url/metrics" | grep -E '^weft_trace_spans_(exported|dropped)_total' | tr '\n' ' ')"
weft_stop
