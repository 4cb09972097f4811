#!/usr/bin/env bash
# Installs the Debian 12 packages weft needs to build, test and run. Idempotent and quick when
# everything is present: it asks apt only for what is missing. Needs root (or sudo) to install.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # libraries
  libpoco-dev        # HTTP server and client, TLS, crypto, data access, configuration
  libboost-dev       # Boost.DLL (header-only) for loading plugins
  nlohmann-json3-dev # the host's in-memory JSON value
  libssl-dev
  libsodium-dev      # argon2id password hashes (plugins/password)
  libhowardhinnant-date-dev # IANA time zones for schedules (date/tz.h over the system's tzdata)
  tzdata             # the IANA time zone database itself
  libpq-dev          # PostgreSQL client library: Poco's PostgreSQL connector links it
  prometheus-cpp-dev # the /metrics registry and its text format (prometheus-cpp 1.0)
  libjemalloc-dev    # the `weft` executable's allocator (README, Benchmarks: webhooks)
  postgresql-15      # the server behind the postgres backend's tests (throwaway clusters)
  # tests and benchmarks
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  wrk                # the HTTP load generator of tests/bench/http.sh
  curl               # an outside HTTP client in the integration tests of `weft serve`
  nodejs             # tests/openapi: the OpenAPI validator (@apidevtools/swagger-parser)
  gdb                # thread backtraces of a `weft serve` that hangs on stop in a test
  prometheus         # promtool: tests/integration/metrics_test.cpp checks /metrics with it
)
# Debian's npm, unless the installed nodejs brings its own (NodeSource's does, and conflicts with it).
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# The npm packages of tests/openapi and tests/ws, as pinned by their package-lock.json: installed
# again when node_modules is missing or older than the lock file (npm ci writes
# node_modules/.package-lock.json).
tests_dir=$(cd "$(dirname "$0")/../tests" && pwd)
npm_modules() {
  for dir in "$tests_dir/openapi" "$tests_dir/ws"; do
    if [ ! "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
      echo "deps: npm ci in $dir"
      (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    fi
  done
}

if [ ${#missing[@]} -eq 0 ]; then
  npm_modules
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "deps: missing packages (${missing[*]}) and not root; install them and retry" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
npm_modules
