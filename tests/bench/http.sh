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
work=$(mktemp -d /tmp/weft-bench-http.XXXXXX)
pid=""
collector=""
cleanup() {
  [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  [ -z "$collector" ] || { kill -TERM "$collector" 2>/dev/null; wait "$collector" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

# Starts weft with the environment given as arguments (VAR=value ...), sets $pid, $url, $key.
start_weft() {
  rm -rf "$work/data"
  # Rate limits off: wrk is one address and one key, far above any sensible limit.
  env WEFT_RATE_LIMITS=false "$@" "$weft" serve --port 0 --data "$work/data" >"$work/out" 2>"$work/err" &
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
}

stop_weft() {
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

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

echo "#### tracing off"
start_weft
measure
stop_weft

echo_server=$(cd "$build" && pwd)/bin/echo_server
[ -x "$echo_server" ] || { echo "http.sh: $echo_server is missing (WEFT_BUILD_BENCH=ON)" >&2; exit 1; }
"$echo_server" --threads 4 >"$work/collector.out" 2>"$work/collector.err" &
collector=$!
collector_url=""
for _ in $(seq 1 300); do
  collector_url=$(grep -o 'http://[^ ]*' "$work/collector.out" | head -1 || true)
  [ -n "$collector_url" ] && break
  sleep 0.1
done
[ -n "$collector_url" ] || { echo "http.sh: echo_server did not start" >&2; exit 1; }

echo "#### tracing on: every request sampled, exported to $collector_url"
start_weft WEFT_TRACING_ENDPOINT="$collector_url" WEFT_TRACING_SAMPLE_RATIO=1
measure
echo "== spans: $(curl -s "$url/metrics" | grep -E '^weft_trace_spans_(exported|dropped)_total' | tr '\n' ' ')"
stop_weft
