// GET /health, GET /ready, GET /api/v1/openapi.json.
#include "api/api_routes.hpp"
#include "http/server_log.hpp"

#include <memory>
#include <mutex>

namespace weft::api {

namespace {

using http::Request;
using http::Response;

Response health(const Request&) { return Response::json({{"status", "ok"}, {"version", WEFT_VERSION}}); }

// Each dependency's state. The public answer says only ok/unavailable: the cause (which may
// name hosts) goes to the log.
Response ready(const ApiContext& ctx, const Request& request) {
  Json checks = Json::object();
  bool ok = true;
  if (ctx.storage) {
    auto ping = ctx.storage->admin({{"op", "ping"}});
    checks["storage"] = {{"status", ping ? "ok" : "unavailable"}, {"backend", ctx.storage->backend_name()}};
    if (!ping) {
      ok = false;
      http::log_line("request " + request.request_id + ": readiness: storage " + ctx.storage->backend_name() +
                     " is unreachable: " + ping.status().message());
    }
  } else {
    checks["storage"] = {{"status", "unavailable"}};
    ok = false;
  }
  if (ctx.plugins) {
    checks["plugins"] = {{"status", "ok"},
                         {"loaded", ctx.plugins->plugins().size()},
                         {"refused", ctx.plugins->refused().size()},
                         {"nodeTypes", ctx.plugins->registry().size()}};
  }
  if (!ok) {
    http::Problem p = http::Problem::of(503, "a dependency is unavailable");
    p.retry_after_seconds = 5;
    p.instance = request.path;
    p.with("checks", checks);
    return Response::problem(p);
  }
  return Response::json({{"status", "ready"}, {"checks", checks}});
}

}  // namespace

void add_system_routes(http::Router& router, const ApiContext& context) {
  router.add_schema("Health", {{"type", "object"},
                               {"required", {"status", "version"}},
                               {"properties", {{"status", {{"type", "string"}, {"enum", {"ok"}}}},
                                               {"version", {{"type", "string"}}}}}});
  router.add_schema("Readiness", {{"type", "object"},
                                  {"required", {"status", "checks"}},
                                  {"properties", {{"status", {{"type", "string"}, {"enum", {"ready"}}}},
                                                  {"checks", {{"type", "object"}, {"additionalProperties", {{"type", "object"}}}}}}}});
  router.add_schema("OpenApiDocument", {{"type", "object"}, {"description", "this document"}});

  // /health and /ready are never rate limited: probes of a supervisor or load balancer must
  // not be refused (a refused liveness probe gets the process restarted), and both are cheap.
  router.add("GET", "/health",
             {.operation_id = "getHealth", .summary = "Liveness: the process serves requests", .tag = "system",
              .is_public = true, .response_schema = "Health", .limit_group = ""},
             health);
  router.add("GET", "/ready",
             {.operation_id = "getReadiness",
              .summary = "Readiness: storage reachable and plugins loaded (503 when not)",
              .tag = "system", .is_public = true, .response_schema = "Readiness", .limit_group = ""},
             [&context](Request& r) { return ready(context, r); });

  // Generated once, on first request, when every route is registered.
  struct Cache {
    std::once_flag once;
    std::string body;
  };
  auto cache = std::make_shared<Cache>();
  const http::Router* table = &router;
  router.add("GET", "/api/v1/openapi.json",
             {.operation_id = "getOpenApi", .summary = "This API's OpenAPI 3.0 document", .tag = "system",
              .is_public = true, .response_schema = "OpenApiDocument"},
             [cache, table, &context](Request&) {
               std::call_once(cache->once, [&] {
                 cache->body = http::openapi_document(*table, context.openapi).dump(-1, ' ', false, Json::error_handler_t::replace);
               });
               return Response::text(200, cache->body, http::kJsonContentType);
             });
}

}  // namespace weft::api
