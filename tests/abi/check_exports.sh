#!/usr/bin/env bash
# Every shipped plugin exports exactly one dynamic symbol: weft_plugin_v1.
set -euo pipefail
dir=$1
count=0
fail=0
for so in "$dir"/*.so; do
  count=$((count + 1))
  exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sort)
  if [ "$exported" != "weft_plugin_v1" ]; then
    echo "FAIL $so exports: $(echo "$exported" | tr '\n' ' ')"
    fail=1
  fi
done
if [ "$count" -eq 0 ]; then echo "FAIL no plugins in $dir"; exit 1; fi
echo "$count plugins checked"
exit $fail
