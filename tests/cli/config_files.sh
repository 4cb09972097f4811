#!/usr/bin/env bash
# Every config file the project ships is accepted by the real binary:
#   config_files.sh <weft> <source dir> <file holding a PostgreSQL URL>
# `weft db status --config F` must succeed for config/weft.json and each config/backends/*.json;
# the postgres URL in the examples is replaced through WEFT_DATABASE_URL, as an admin would.
set -euo pipefail
weft=$1 src=$2
url=$(cat "$3")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
for f in "$src"/config/weft.json "$src"/config/backends/*.json; do
  if ! out=$(WEFT_DATABASE_URL=$url "$weft" db status --config "$f" 2>&1); then
    echo "FAIL: $f: $out" >&2
    exit 1
  fi
  echo "$(basename "$f"): ${out%%$'\n'*}"
done
