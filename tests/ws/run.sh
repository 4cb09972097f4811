#!/usr/bin/env bash
# WebSocket /ws through a real client (the `ws` package on Node.js, installed in node_modules
# here by packaging/deps.sh) against the real `weft serve`:
#   run.sh <weft> [<node>]
# Starts weft on a fresh data folder with a small per-connection queue and an allowed origin,
# then runs ws_test.js (event order, 401, bad Origin 403, another user's execution, a client
# that never reads, 1,000 connections). Stops the server with SIGTERM and expects exit 0.
set -euo pipefail
weft=$1 node=${2:-node}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/weft_serve.sh"

command -v "$node" >/dev/null || fail "Node.js ('$node') is not installed: run packaging/deps.sh"
[ -d "$here/node_modules/ws" ] || fail "$here/node_modules lacks ws: run packaging/deps.sh (npm ci in tests/ws)"

# 1,000 client sockets here and 1,000 server sockets in weft (which inherits the limit).
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge 2200 ] || fail "ulimit -n is $(ulimit -n); 1,000 WebSocket connections need more than 2,200"

weft_workdir
cd "$work"
cat >"$work/weft.json" <<'JSON'
{
  "server": {
    "allowedOrigins": ["https://app.example"],
    "maxQueued": 1024,
    "websocket": {"maxQueuedBytes": 262144, "revalidateIntervalMs": 200}
  },
  "auth": {"sessionCookie": true},
  "rateLimits": {"enabled": false}
}
JSON

weft_start "$weft" --config "$work/weft.json"
key=$(sed -n '/and an API key for it/{n;s/^ *//;p}' "$serve_out")
[ -n "$key" ] || fail "no admin API key in the first-start output"

NODE_PATH="$here/node_modules" WEFT_URL="$url" WEFT_ADMIN_KEY="$key" "$node" "$here/ws_test.js" ||
  fail "ws_test.js failed; server log: $(tail -c 2000 "$serve_err")"

weft_stop
echo "PASS: websocket"
