// /api/v1/admin/storage: what the storage backend reports (stats, schema) and, for the dual
// backend, switching its mode while the server runs (audited). Needs admin.storage (admins).
#include "api/api_routes.hpp"
#include "services.hpp"

namespace weft::api {

namespace {

using http::Request;
using http::Response;

Response storage_report(const ApiContext& ctx, Request&) {
  auto stats = ctx.storage->admin({{"op", "stats"}});
  if (!stats) return Response::problem(stats.status());
  auto schema = ctx.storage->admin({{"op", "status"}});
  if (!schema) return Response::problem(schema.status());
  return Response::json({{"backend", ctx.storage->backend_name()},
                         {"durable", ctx.storage->durable()},
                         {"schema", *schema},
                         {"stats", *stats}});
}

Response set_mode(const ApiContext& ctx, Request& req) {
  if (ctx.storage->backend_name() != "dual")
    return Response::problem(http::Problem::of(
        409, "storage backend " + ctx.storage->backend_name() + " has no modes (only dual has)"));
  auto mode = req.json.find("mode");
  if (!req.json.is_object() || mode == req.json.end() || !mode->is_string() || req.json.size() != 1)
    return Response::problem(Status::invalid(
        "the body must be {\"mode\": \"memory-only\" | \"dual\" | \"database-only\"}"));
  auto stats = ctx.storage->admin({{"op", "setMode"}, {"mode", *mode}});
  if (!stats) return Response::problem(stats.status());
  ctx.services->audit().record(req, "storage.set_mode", "storage", ctx.storage->backend_name(), {{"mode", *mode}});
  return Response::json({{"backend", ctx.storage->backend_name()},
                         {"durable", ctx.storage->durable()},
                         {"stats", *stats}});
}

}  // namespace

void add_admin_routes(http::Router& router, const ApiContext& context) {
  router.add_schema("StorageReport",
                    {{"type", "object"},
                     {"required", {"backend", "durable", "stats"}},
                     {"properties", {{"backend", {{"type", "string"}}},
                                     {"durable", {{"type", "boolean"}}},
                                     {"schema", {{"type", "object"}, {"description", "current, latest, applied"}}},
                                     {"stats", {{"type", "object"}, {"description", "the backend's counters"}}}}}});
  router.add_schema("StorageMode", {{"type", "object"},
                                    {"required", {"mode"}},
                                    {"additionalProperties", false},
                                    {"properties", {{"mode", {{"type", "string"},
                                                              {"enum", {"memory-only", "dual", "database-only"}}}}}}});
  router.add("GET", "/api/v1/admin/storage",
             {.operation_id = "getStorage", .summary = "The storage backend's schema and counters (admins)",
              .tag = "admin", .permission = security::Permission::kAdminStorage, .response_schema = "StorageReport"},
             [&context](Request& r) { return storage_report(context, r); });
  router.add("PUT", "/api/v1/admin/storage/mode",
             {.operation_id = "setStorageMode",
              .summary = "Switch the dual backend's mode while running, losing no write (admins)", .tag = "admin", .permission = security::Permission::kAdminStorage,
              .body = http::BodyKind::kJson, .request_schema = "StorageMode", .response_schema = "StorageReport"},
             [&context](Request& r) { return set_mode(context, r); });
}

}  // namespace weft::api
