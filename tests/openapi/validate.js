#!/usr/bin/env node
// Checks weft's OpenAPI document with a real validator and against the router's table:
//   node validate.js <openapi.json> [<routes.txt>]
// 1. @apidevtools/swagger-parser resolves every $ref and validates the document against the
//    official OpenAPI 3.0/3.1 JSON Schema.
// 2. The rules of the specification that its schema cannot express, which swagger-parser checks
//    only for Swagger 2.0: unique operationIds, every path template variable declared once as a
//    required path parameter (and no other path parameter), no duplicate parameter, no two
//    paths equal but for their variable names, every security requirement naming a scheme.
// 3. With routes.txt (the output of `weft serve --print-routes`: "METHOD /path operationId
//    [public]" per line, "{name...}" for a rest segment): the document's (method, path) set
//    equals the routes', and each operation has the route's operationId and is public (an empty
//    `security`) exactly when the route is.
// Prints one line per problem on stderr and exits 1 when there is any; 2 on bad usage.
"use strict";

const fs = require("fs");
const path = require("path");

const kMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function usage(message) {
  process.stderr.write(`openapi: ${message}\nusage: node validate.js <openapi.json> [<routes.txt>]\n`);
  process.exit(2);
}

function loadParser() {
  try {
    return require("@apidevtools/swagger-parser");
  } catch (e) {
    usage(`cannot load @apidevtools/swagger-parser from ${path.join(__dirname, "node_modules")} ` +
          `(run packaging/deps.sh, or npm ci in tests/openapi): ${e.message.split("\n")[0]}`);
  }
}

function readJson(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    usage(`cannot read ${file}: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    return { parseError: e.message };
  }
}

// The schema errors of swagger-parser, one line each. The official schema says "a Reference or
// an X" (oneOf) almost everywhere, and Ajv reports every branch that did not match: drop
// "must have required property '$ref'" where another error explains the value, and merge the
// enums of the branches (parameter `in`) into one line.
function schemaProblems(error) {
  if (!Array.isArray(error.details)) return [error.message.split("\n").filter((l) => l.trim()).join("; ")];
  const details = error.details.filter((d) => !["oneOf", "anyOf", "if"].includes(d.keyword));
  const under = (d, other) => other !== d && (other.instancePath + "/").startsWith(d.instancePath + "/");
  const kept = details.filter((d) => {
    const isRefBranch = d.keyword === "required" && d.params.missingProperty === "$ref";
    return !(isRefBranch && details.some((o) => under(d, o) && !(o.keyword === "required" && o.params.missingProperty === "$ref")));
  });
  const lines = new Map();  // line key -> text, in order
  const enums = new Map();  // instancePath -> allowed values
  for (const d of kept) {
    const at = `#${d.instancePath || "/"}`;
    if (d.keyword === "enum") {
      if (!enums.has(at)) {
        enums.set(at, []);
        lines.set(`enum ${at}`, null);
      }
      enums.get(at).push(...d.params.allowedValues);
      continue;
    }
    let line = `${at} ${d.message}`;
    if (d.keyword === "additionalProperties") line += ` ('${d.params.additionalProperty}')`;
    lines.set(line, line);
  }
  const out = [...lines].map(([key, line]) => {
    if (line !== null) return line;
    const at = key.slice("enum ".length);
    return `${at} must be one of ${JSON.stringify([...new Set(enums.get(at))])}`;
  });
  return out.length ? out : [error.message.split("\n")[0]];
}

// "{name}" of every template variable of an OpenAPI path.
function templateVariables(p) {
  return [...p.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
}

function resolve(doc, value) {
  if (value && typeof value.$ref === "string" && value.$ref.startsWith("#/")) {
    let at = doc;
    for (const part of value.$ref.slice(2).split("/")) at = at && at[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    return at;
  }
  return value;
}

function* operations(doc) {
  for (const [p, item] of Object.entries(doc.paths || {}))
    for (const method of kMethods) if (item && item[method]) yield { p, method, item, op: item[method] };
}

function specProblems(doc) {
  const problems = [];
  const schemes = Object.keys((doc.components && doc.components.securitySchemes) || {});
  const ids = new Map();
  const shapes = new Map();
  for (const p of Object.keys(doc.paths || {})) {
    const shape = p.replace(/\{[^}]*\}/g, "{}");
    if (shapes.has(shape)) problems.push(`paths ${shapes.get(shape)} and ${p} differ only in their variable names`);
    else shapes.set(shape, p);
  }
  for (const { p, method, item, op } of operations(doc)) {
    const where = `${method.toUpperCase()} ${p}`;
    if (op.operationId !== undefined) {
      if (ids.has(op.operationId)) problems.push(`${where}: operationId '${op.operationId}' is also used by ${ids.get(op.operationId)}`);
      else ids.set(op.operationId, where);
    }
    // Operation parameters override path-item ones of the same (name, in).
    const params = new Map();
    for (const list of [item.parameters || [], op.parameters || []]) {
      const here = new Set();
      for (const raw of list) {
        const param = resolve(doc, raw);
        if (!param || typeof param.name !== "string") continue;
        const key = `${param.in}:${param.name}`;
        if (here.has(key)) problems.push(`${where}: parameter '${param.name}' (in ${param.in}) is declared twice`);
        here.add(key);
        params.set(key, param);
      }
    }
    const variables = templateVariables(p);
    for (const v of variables) {
      const param = params.get(`path:${v}`);
      if (!param) problems.push(`${where}: path variable {${v}} has no path parameter`);
      else if (param.required !== true) problems.push(`${where}: path parameter '${v}' must be required: true`);
    }
    for (const param of params.values())
      if (param.in === "path" && !variables.includes(param.name))
        problems.push(`${where}: path parameter '${param.name}' is not a variable of the path`);
    for (const requirement of op.security || doc.security || [])
      for (const name of Object.keys(requirement))
        if (!schemes.includes(name)) problems.push(`${where}: security scheme '${name}' is not in components.securitySchemes`);
  }
  return problems;
}

// The routes of `weft serve --print-routes`, keyed "METHOD /path" with "{name...}" as "{name}".
function readRoutes(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    usage(`cannot read ${file}: ${e.message}`);
  }
  const routes = new Map();
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const f = line.trim().split(/\s+/);
    if (f.length !== 4 || !f[1].startsWith("/"))
      usage(`${file}:${i + 1}: expected "METHOD /path operationId public|self-service|<permission>", got '${line.slice(0, 80)}'`);
    const key = `${f[0].toUpperCase()} ${f[1].replace(/\{([^}]*)\.\.\.\}/g, "{$1}")}`;
    const access = f[3];
    routes.set(key, {
      operationId: f[2],
      isPublic: access === "public",
      permission: access === "public" || access === "self-service" ? undefined : access,
    });
  });
  if (routes.size === 0) usage(`${file} lists no route`);
  return routes;
}

function routeProblems(doc, routes) {
  const problems = [];
  const documented = new Map();
  for (const { p, method, op } of operations(doc)) documented.set(`${method.toUpperCase()} ${p}`, op);
  for (const [key, route] of routes) {
    const op = documented.get(key);
    if (!op) {
      problems.push(`route ${key} (${route.operationId}) is not documented`);
      continue;
    }
    if (op.operationId !== route.operationId)
      problems.push(`${key}: documented operationId '${op.operationId}', routed as '${route.operationId}'`);
    const isPublic = Array.isArray(op.security) && op.security.length === 0;
    if (isPublic !== route.isPublic)
      problems.push(`${key}: documented as ${isPublic ? "public" : "authenticated"}, routed as ${route.isPublic ? "public" : "authenticated"}`);
    if (op["x-weft-permission"] !== route.permission)
      problems.push(`${key}: documented permission '${op["x-weft-permission"]}', routed as '${route.permission}'`);
  }
  for (const key of documented.keys()) if (!routes.has(key)) problems.push(`${key} is documented but not routed`);
  return problems;
}

async function main() {
  const [docFile, routesFile] = process.argv.slice(2);
  if (!docFile || process.argv.length > 4) usage("expected a document and optionally a route list");
  const SwaggerParser = loadParser();
  const doc = readJson(docFile);
  if (doc.parseError) {
    process.stderr.write(`openapi: ${docFile} is not JSON: ${doc.parseError}\n`);
    return 1;
  }
  const routes = routesFile ? readRoutes(routesFile) : null;

  const problems = [];
  try {
    await SwaggerParser.validate(structuredClone(doc));  // it dereferences what it is given
  } catch (e) {
    for (const line of schemaProblems(e)) problems.push(`invalid: ${line}`);
  }
  if (doc && typeof doc.paths === "object" && doc.paths !== null) {
    for (const line of specProblems(doc)) problems.push(`invalid: ${line}`);
    if (routes) problems.push(...routeProblems(doc, routes));
  }
  if (problems.length) {
    process.stderr.write(`openapi: ${docFile}: ${problems.length} problem(s)\n`);
    for (const line of problems) process.stderr.write(`openapi: ${line}\n`);
    return 1;
  }
  const count = [...operations(doc)].length;
  process.stdout.write(`openapi: ${docFile}: a valid OpenAPI ${doc.openapi} document (swagger-parser), ` +
                       `${count} operations` + (routes ? `, the same as the ${routes.size} routes of --print-routes` : "") + "\n");
  return 0;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`openapi: unexpected failure: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
