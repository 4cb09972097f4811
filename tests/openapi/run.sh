#!/usr/bin/env bash
# The served OpenAPI document is valid and documents exactly the router's routes:
#   run.sh <weft> [<node>]
# Starts the real `weft serve --port 0` on a fresh data folder, fetches /api/v1/openapi.json with
# curl, and runs validate.js (swagger-parser, from tests/openapi/node_modules) on it together with
# `weft serve --print-routes`. Then proves the check can fail: broken copies of the document
# must be refused with the expected message. Stops the server with SIGTERM and expects exit 0.
set -euo pipefail
weft=$1 node=${2:-node}
here=$(cd "$(dirname "$0")" && pwd)
validator=$here/validate.js
source "$here/../lib/weft_serve.sh"

command -v "$node" >/dev/null || fail "Node.js ('$node') is not installed: run packaging/deps.sh"
command -v curl >/dev/null || fail "curl is not installed: run packaging/deps.sh"
[ -d "$here/node_modules/@apidevtools/swagger-parser" ] ||
  fail "$here/node_modules lacks @apidevtools/swagger-parser: run packaging/deps.sh (npm ci in tests/openapi)"

weft_workdir
cd "$work"  # no config/weft.json here: the built-in defaults
weft_start "$weft"

status=$(curl -sS -o "$work/openapi.json" -w '%{http_code} %{content_type}' "$url/api/v1/openapi.json") ||
  fail "curl $url/api/v1/openapi.json failed"
[[ $status == "200 application/json"* ]] ||
  fail "GET /api/v1/openapi.json answered '$status': $(head -c 300 "$work/openapi.json")"
"$weft" serve --print-routes >"$work/routes.txt" || fail "weft serve --print-routes exited $?"

"$node" "$validator" "$work/openapi.json" "$work/routes.txt"

# Running and retrying document their optional JSON body, ?wait, the 202 body with the id and
# the 200 finished execution of ?wait=true.
"$node" -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const problems = [];
  for (const [p, body] of [["/api/v1/workflows/{id}/run", "RunRequest"], ["/api/v1/executions/{id}/retry", "RetryRequest"]]) {
    const op = (d.paths[p] || {}).post || {};
    const json = ((op.requestBody || {}).content || {})["application/json"];
    if (!json || json.schema.$ref !== "#/components/schemas/" + body) problems.push(`POST ${p}: no JSON body of ${body}`);
    const wait = (op.parameters || []).find(q => q.name === "wait" && q.in === "query");
    if (!wait || wait.schema.type !== "boolean") problems.push(`POST ${p}: no boolean query parameter wait`);
    const accepted = (((op.responses || {})["202"] || {}).content || {})["application/json"];
    if (!accepted || accepted.schema.$ref !== "#/components/schemas/ExecutionAccepted") problems.push(`POST ${p}: no 202 ExecutionAccepted`);
    const finished = (((op.responses || {})["200"] || {}).content || {})["application/json"];
    if (!finished || finished.schema.$ref !== "#/components/schemas/Execution") problems.push(`POST ${p}: no 200 Execution (?wait=true)`);
  }
  if (!(d.components.schemas.ExecutionAccepted.required || []).includes("executionId")) problems.push("ExecutionAccepted lacks a required executionId");
  for (const line of problems) console.error("FAIL: " + line);
  process.exit(problems.length ? 1 : 0);' "$work/openapi.json"
echo "run and retry document their body, ?wait, the 202 ExecutionAccepted and the 200 Execution"

# The check can fail: each broken copy is refused (exit 1) with a line naming the fault.
broken() {  # broken <expected text> <JavaScript editing the document `d`>
  "$node" -e 'const fs = require("fs");
    const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    new Function("d", process.argv[3])(d);
    fs.writeFileSync(process.argv[2], JSON.stringify(d));' \
    "$work/openapi.json" "$work/broken.json" "$2"
  local rc=0
  "$node" "$validator" "$work/broken.json" "$work/routes.txt" 2>"$work/broken.err" || rc=$?
  [ "$rc" -eq 1 ] || fail "a document where $2 was accepted (exit $rc)"
  grep -qF -- "$1" "$work/broken.err" || fail "a document where $2: expected '$1' in: $(cat "$work/broken.err")"
  echo "refused ($2): $(grep -F -- "$1" "$work/broken.err" | head -1)"
}
broken "#/paths/~1health/get must have required property 'responses'" 'delete d.paths["/health"].get.responses'
broken "#/paths/~1health/get/responses/200 must have required property 'description'" \
  'delete d.paths["/health"].get.responses["200"].description'
broken 'Missing $ref pointer "#/components/schemas/Health"' 'delete d.components.schemas.Health'
broken "operationId 'getHealth' is also used by GET /health" 'd.paths["/ready"].get.operationId = "getHealth"'
broken "path variable {id} has no path parameter" \
  'const op = d.paths["/api/v1/executions/{id}"].get; op.parameters = op.parameters.filter(p => p.in !== "path")'
broken "route GET /health (getHealth) is not documented" 'delete d.paths["/health"]'
broken "GET /api/v1/nowhere is documented but not routed" 'd.paths["/api/v1/nowhere"] = d.paths["/health"]'
broken "GET /ready: documented as authenticated, routed as public" 'd.paths["/ready"].get.security = [{"apiKey": []}]'
broken "DELETE /api/v1/workflows/{id}: documented permission 'workflow.read', routed as 'workflow.delete'" \
  'd.paths["/api/v1/workflows/{id}"].delete["x-weft-permission"] = "workflow.read"'

weft_stop
