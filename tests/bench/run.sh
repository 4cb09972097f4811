#!/usr/bin/env bash
# Runs every benchmark program of the build and prints their tables (`make bench`).
set -euo pipefail
build=${1:-build}
for b in "$build"/bin/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=1 "${@:2}"
done
