// GET /health, GET /ready, GET /metrics, GET /api/v1/openapi.json.
#include "api/api_routes.hpp"
#include "logging/logger.hpp"
#include "metrics/metrics.hpp"

#include <weft/runtime/tracing/otlp_exporter.hpp>

#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>

namespace weft::api {

namespace {

using http::Request;
using http::Response;

Response health(const Request&) { return Response::json({{"status", "ok"}, {"version", WEFT_VERSION}}); }

// Milliseconds to the microsecond.
double to_us(double ms) { return std::round(ms * 1000) / 1000; }

// Milliseconds since `start`, to the microsecond.
double ms_since(std::chrono::steady_clock::time_point start) {
  return to_us(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
}

// The trace exporter's readiness, from its last export: "ok" (or "idle" before the first),
// "unavailable" when the collector refused or did not answer, "disabled" without an endpoint.
// Reported, and never makes /ready fail: losing traces must not take the server out of a
// load balancer. The collector's answer goes to the log, not to this public route.
Json trace_exporter_check(const ApiContext& ctx) {
  if (!ctx.trace_exporter) return {{"status", "disabled"}, {"latencyMs", nullptr}};
  const tracing::ExporterHealth h = ctx.trace_exporter->health();
  switch (h.state) {
    case tracing::ExporterHealth::State::kIdle: return {{"status", "idle"}, {"latencyMs", nullptr}};
    case tracing::ExporterHealth::State::kOk:
      return {{"status", "ok"}, {"latencyMs", to_us(h.last_latency_ms)}};
    case tracing::ExporterHealth::State::kFailing:
      logging::warn("tracing", "readiness: the trace collector is failing", {{"error", h.last_error}});
      return {{"status", "unavailable"}, {"latencyMs", to_us(h.last_latency_ms)}};
  }
  return {{"status", "disabled"}, {"latencyMs", nullptr}};
}

// GET /metrics: the Prometheus text format of every weft_* family.
Response metrics_text(const ApiContext& ctx) {
  if (!ctx.metrics) return Response::problem(http::Problem::of(503, "metrics are not collected by this server"));
  return Response::text(200, ctx.metrics->render(), metrics::kPrometheusContentType);
}

// Each dependency's state. The public answer says only ok/unavailable: the cause (which may
// name hosts) goes to the log.
Response ready(const ApiContext& ctx, const Request& request) {
  Json checks = Json::object();
  bool ok = true;
  if (ctx.storage) {
    const auto start = std::chrono::steady_clock::now();
    auto ping = ctx.storage->admin({{"op", "ping"}});
    checks["storage"] = {{"status", ping ? "ok" : "unavailable"},
                         {"backend", ctx.storage->backend_name()},
                         {"latencyMs", ms_since(start)}};
    if (!ping) {
      ok = false;
      logging::error("storage", "readiness: the storage is unreachable",
                     {{"backend", ctx.storage->backend_name()}, {"error", ping.status().message()}});
    }
  } else {
    checks["storage"] = {{"status", "unavailable"}};
    ok = false;
  }
  if (ctx.plugins) {
    // Loaded at start and never unloaded: the check reads the host's lists (no probe).
    const auto start = std::chrono::steady_clock::now();
    checks["plugins"] = {{"status", "ok"},
                         {"loaded", ctx.plugins->plugins().size()},
                         {"refused", ctx.plugins->refused().size()},
                         {"nodeTypes", ctx.plugins->registry().size()}};
    checks["plugins"]["latencyMs"] = ms_since(start);
  }
  checks["traceExporter"] = trace_exporter_check(ctx);
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
  router.add_schema("PrometheusMetrics",
                    {{"type", "string"}, {"description", "the Prometheus text exposition format 0.0.4"}});

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

  // Public and never rate limited, like /health: Prometheus scrapes it on a fixed interval, and
  // it holds counts only (no id, no secret; route labels are templates).
  router.add("GET", "/metrics",
             {.operation_id = "getMetrics", .summary = "Prometheus metrics (text exposition format 0.0.4)",
              .tag = "system", .is_public = true, .response_schema = "PrometheusMetrics",
              .response_content_type = metrics::kPrometheusContentType, .limit_group = ""},
             [&context](Request&) { return metrics_text(context); });

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
