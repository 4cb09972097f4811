#!/usr/bin/env bash
# Webhook throughput of the real `weft serve` under wrk, against the ceiling of the HTTP stack:
#   webhook.sh <build dir> [seconds]      (default 10 seconds per run)
#
# Builds nothing: expects bin/weft, bin/echo_server and the plugins in the build dir.
# Runs the same wrk load (-t2 -c32 --latency, POST {"price":30,"qty":5} as application/json)
# against:
#   ceiling    bin/echo_server, a minimal Poco HTTP server that sends the body back as JSON
#   memory     weft serve, storage.backend memory (the same default save policy)
#   sqlite     weft serve, sqlite, saving each execution (the default save policy)
#   postgres   weft serve, a throwaway PostgreSQL started for the run (tests/contract/pg/start.sh;
#              WEFT_TEST_PG_URL is ignored: the first admin is created only in an empty store),
#              saving each execution
# Each weft serve starts with a fresh data folder; the script creates and activates
# config/examples/order-triage.json and checks that POST /webhook/orders answers 200 with
# "tier":"big" before measuring. Then it prints one table (requests/s, p50, p99, non-2xx and
# socket errors, % of the ceiling against the target) and the idle resident memory of each
# weft serve (VmRSS after start, before any request) against 30 MB.
#
# Server settings (the same for every run): server.maxThreads 32 (one thread per wrk
# connection; the echo server gets 32 too), executions.maxConcurrent 16 and
# executions.queueSize 64, so that the 32 connections always fit and nothing answers 503.
# wrk runs on the same machine as the server and shares its cores.
# Exit 0 when every run was measured (targets met or not), 1 when a run could not be.
set -euo pipefail

build=${1:-build}
seconds=${2:-10}
seconds=${seconds%s}
case "$seconds" in '' | *[!0-9]*) echo "webhook.sh: the duration must be whole seconds, got '${2}'" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$build" && pwd)
weft=$build/bin/weft
echo_server=$build/bin/echo_server
plugins=$build/lib/weft/plugins
workflow=$root/config/examples/order-triage.json
body='{"price":30,"qty":5}'
connections=32
threads=2
max_threads=32
max_concurrent=16
queue_size=64
rss_target_kb=29297  # 30 MB = 30,000,000 bytes

die() { echo "webhook.sh: $*" >&2; exit 1; }

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v curl >/dev/null || die "curl is not installed (apt-get install curl)"
[ -x "$weft" ] || die "$weft is missing; build the target weft"
[ -x "$echo_server" ] || die "$echo_server is missing; build the target echo_server (WEFT_BUILD_BENCH=ON)"
for p in weft_webhook weft_set weft_if weft_api_key weft_storage_memory weft_storage_sqlite weft_storage_postgres; do
  [ -f "$plugins/$p.so" ] || die "$plugins/$p.so is missing; build the target $p"
done

work=$(mktemp -d /tmp/weft-bench-webhook.XXXXXX)
pid=""
pg_state=""
stop_server() {
  [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  pid=""
}
cleanup() {
  stop_server
  [ -z "$pg_state" ] || bash "$root/tests/contract/pg/stop.sh" "$pg_state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$work/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
EOF

# wait_listening PROGRAM-NAME OUT-FILE ERR-FILE: the URL the started server ($pid) printed.
wait_listening() {
  local name=$1 out=$2 err=$3 url=""
  for _ in $(seq 1 300); do
    url=$(sed -n "s/^$name: listening on //p" "$out")
    [ -n "$url" ] && { echo "$url"; return 0; }
    kill -0 "$pid" 2>/dev/null || { cat "$err" >&2; die "$name exited before listening"; }
    sleep 0.1
  done
  die "$name did not print 'listening' within 30 s"
}

# to_ms VALUE: a wrk latency (e.g. 812.00us, 1.25ms, 1.02s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.2f", n }'
}

# measure NAME URL: runs wrk against URL and appends "NAME rps p50ms p99ms non2xx sockerrs".
measure() {
  local name=$1 url=$2 out="$work/wrk-$1"
  wrk -t "$threads" -c "$connections" -d "${seconds}s" --latency -s "$work/post.lua" "$url" >"$out" 2>&1 ||
    { cat "$out" >&2; die "wrk failed against $name"; }
  local rps p50 p99 non2xx sockerr
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  sockerr=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")
  if [ -z "$rps" ] || [ -z "$p50" ] || [ -z "$p99" ]; then cat "$out" >&2; die "cannot read wrk's output for $name"; fi
  echo "$name $rps $(to_ms "$p50") $(to_ms "$p99") ${non2xx:-0} ${sockerr:-0}" >>"$work/results"
  echo "  $name: $rps requests/s, p50 $p50, p99 $p99, non-2xx ${non2xx:-0}, socket errors ${sockerr:-0}"
}

# check_answer NAME URL EXPECTED: one POST must answer 200 with a body containing EXPECTED.
check_answer() {
  local name=$1 url=$2 expected=$3 status
  status=$(curl -s -o "$work/answer" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" "$url")
  [ "$status" = 200 ] && grep -qF "$expected" "$work/answer" && return 0
  die "$name: POST $url answered $status $(head -c 300 "$work/answer"), expected 200 with $expected"
}

echo "webhook.sh: wrk -t$threads -c$connections -d${seconds}s --latency, POST $body; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The ceiling.
"$echo_server" --threads "$max_threads" >"$work/echo.out" 2>"$work/echo.err" &
pid=$!
url=$(wait_listening echo_server "$work/echo.out" "$work/echo.err")
check_answer ceiling "$url/" "$body"
measure ceiling "$url/"
stop_server

for backend in memory sqlite postgres; do
  env_extra=()
  if [ "$backend" = postgres ]; then
    pg_state="$work/pg"
    env -u WEFT_TEST_PG_URL bash "$root/tests/contract/pg/start.sh" "$pg_state" >"$work/pg.log" 2>&1 ||
      { cat "$work/pg.log" >&2; die "cannot start PostgreSQL"; }
    env_extra=(WEFT_DATABASE_URL="$(cat "$pg_state/url")")
  fi
  data="$work/data-$backend"
  # Rate limits off: one address sending thousands of requests a second is the point here.
  env WEFT_STORAGE_BACKEND="$backend" WEFT_PLUGIN_PATH="$plugins" WEFT_SERVER_MAX_THREADS="$max_threads" WEFT_RATE_LIMITS=false \
      WEFT_MAX_CONCURRENT_EXECUTIONS="$max_concurrent" WEFT_EXECUTION_QUEUE_SIZE="$queue_size" "${env_extra[@]}" \
      "$weft" serve --port 0 --data "$data" >"$work/weft.out" 2>"$work/weft.err" &
  pid=$!
  url=$(wait_listening weft "$work/weft.out" "$work/weft.err")
  sleep 1  # let start-up work (migrations, pruner, first admin) settle before reading RSS
  rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  echo "$backend $rss_kb" >>"$work/rss"

  key=$(cat "$data/initial-admin-key")
  # The new workflow's id, from the Location header of the 201.
  id=$(curl -s -D - -o "$work/answer" -X POST -H "X-API-Key: $key" -H 'Content-Type: application/json' \
            --data-binary "@$workflow" "$url/api/v1/workflows" |
         sed -n 's|^[Ll]ocation: */api/v1/workflows/\([^[:space:]]*\).*|\1|p')
  [ -n "$id" ] || die "$backend: creating the workflow answered: $(head -c 300 "$work/answer")"
  status=$(curl -s -o "$work/answer" -w '%{http_code}' -X POST -H "X-API-Key: $key" "$url/api/v1/workflows/$id/activate")
  [ "$status" = 200 ] || die "$backend: activating the workflow answered $status $(head -c 300 "$work/answer")"
  check_answer "$backend" "$url/webhook/orders" '"tier":"big"'

  measure "$backend" "$url/webhook/orders"
  if [ "$backend" != memory ]; then
    # Saving is on: the executions of the run must be in the store.
    saved=$(curl -s -H "X-API-Key: $key" "$url/api/v1/executions?workflowId=$id&limit=1")
    grep -q '"status" *: *"succeeded"' <<<"$saved" ||
      die "$backend: no succeeded execution recorded after the run: $(head -c 300 <<<"$saved")"
  fi
  stop_server
done

# The table.
awk -v seconds="$seconds" -v rss_target="$rss_target_kb" -v rssfile="$work/rss" '
  function target(name) { return name == "memory" ? 40 : (name == "ceiling" ? 0 : 20) }
  $1 == "ceiling" { ceiling = $2 }
  { name[NR] = $1; rps[NR] = $2; p50[NR] = $3; p99[NR] = $4; bad[NR] = $5; err[NR] = $6; n = NR }
  END {
    printf "\n%-9s %12s %9s %9s %8s %8s %11s %7s  %s\n", "backend", "requests/s", "p50 ms", "p99 ms",
           "non-2xx", "sockerr", "% ceiling", "target", "met"
    for (i = 1; i <= n; i++) {
      pct = 100 * rps[i] / ceiling
      total = rps[i] * seconds
      valid = (bad[i] + err[i]) <= 0.01 * total
      if (name[i] == "ceiling") met = valid ? "-" : "INVALID (errors)"
      else met = !valid ? "INVALID (errors)" : (pct >= target(name[i]) ? "yes" : "NO")
      tgt = name[i] == "ceiling" ? "-" : ">= " target(name[i]) "%"
      printf "%-9s %12.0f %9s %9s %8d %8d %10.1f%% %7s  %s\n", name[i], rps[i], p50[i], p99[i], bad[i], err[i],
             pct, tgt, met
    }
    printf "\n%-9s %16s %10s  %s\n", "weft serve", "idle VmRSS", "target", "met"
    while ((getline line < rssfile) > 0) {
      split(line, f, " ")
      printf "%-10s %13.1f MB %10s  %s\n", f[1], f[2] * 1024 / 1e6, "<= 30 MB", f[2] <= rss_target ? "yes" : "NO"
    }
  }' "$work/results"
