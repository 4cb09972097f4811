#!/usr/bin/env bash
# Builds sdk/examples/greet as a third party would — copied out of the source tree, its own
# CMake project, the SDK package found through WeftSDK_DIR — then loads and runs it with the
# real weft binary next to the shipped plugins.
set -euo pipefail
sdk_dir=$1 work=$2 weft=$3 core_plugins=$4
here=$(cd "$(dirname "$0")" && pwd)
example="$here/../../../sdk/examples/greet"

rm -rf "$work"
mkdir -p "$work/src" "$work/plugins"
cp -r "$example"/. "$work/src/"
cmake -S "$work/src" -B "$work/build" -G Ninja -DWeftSDK_DIR="$sdk_dir" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" > "$work/configure.log" || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
ctest --test-dir "$work/build" --output-on-failure
cp "$work/build/acme_greet.so" "$work/plugins/"

"$weft" plugins inspect "$work/plugins/acme_greet.so" | tee "$work/inspect.txt"
grep -q "acme-greet 1.0.0" "$work/inspect.txt"
grep -q "acme.greet@1" "$work/inspect.txt"

out=$("$weft" run "$work/src/workflow.json" --plugins "$core_plugins" --plugins "$work/plugins" \
      --input '[{"name":"Ada"},{"name":"Linus"}]' --compact)
echo "$out"
echo "$out" | grep -q '"status":"succeeded"'
echo "$out" | grep -q '"greeting":"Hello, Ada!"'
echo "$out" | grep -q '"greeting":"Hello, Linus!"'
echo "out-of-tree plugin built, inspected and run"
