// GET /api/v1/audit: who did what to which object, newest first, for callers with audit.read
// (admins). Filters: actor (a user id), action ("auth.login", "workflow.update", ...) and
// objectId; cursor pagination.
#include "api/api_routes.hpp"
#include "http/pagination.hpp"
#include "services.hpp"

namespace weft::api {

namespace {

using http::Request;
using http::Response;

Response list(const ApiContext& ctx, Request& r) {
  auto page = http::PageRequest::from(r);
  if (!page) return Response::bad_request(page.status());
  AuditFilter filter;
  filter.page = {.limit = page->limit, .cursor = page->cursor};
  if (auto v = r.query("actor")) filter.actor = *v;
  if (auto v = r.query("action")) filter.action = *v;
  if (auto v = r.query("objectId")) filter.object_id = *v;
  auto result = ctx.services->audit().events().list(filter);
  if (!result) return Response::bad_request(result.status());
  Json items = Json::array();
  for (const auto& e : result->items) items.push_back(audit_event_json(e));
  return Response::json(http::page_json(std::move(items), result->next_cursor));
}

}  // namespace

void add_audit_routes(http::Router& router, const ApiContext& context) {
  Json text = {{"type", "string"}};
  router.add_schema("AuditEvent",
                    {{"type", "object"},
                     {"required", {"id", "at", "actor", "actorKind", "action", "objectType", "objectId", "outcome"}},
                     {"properties",
                      {{"id", text},
                       {"at", {{"type", "integer"}, {"description", "ms since the epoch"}}},
                       {"actor", {{"type", "string"}, {"description", "the acting user's id; empty when anonymous"}}},
                       {"actorKind", {{"type", "string"}, {"enum", {"user", "api-key", "node", "system", "anonymous"}}}},
                       {"via", {{"type", "string"}, {"description", "the API key's id, when one was used"}}},
                       {"action", text},
                       {"objectType", text},
                       {"objectId", text},
                       {"outcome", {{"type", "string"}, {"enum", {"success", "failure", "denied"}}}},
                       {"address", text},
                       {"requestId", text},
                       {"detail", {{"type", "object"}}}}}});
  router.add("GET", "/api/v1/audit",
             {.operation_id = "listAuditEvents", .summary = "The audit log, newest first (admins)", .tag = "admin",
              .permission = security::Permission::kAuditRead, .response_schema = "AuditEvent", .paginated = true,
              .query = {{.name = "actor", .description = "only events of this user id"},
                        {.name = "action", .description = "only this action, e.g. auth.login"},
                        {.name = "objectId", .description = "only events on this object"}}},
             [&context](Request& r) { return list(context, r); });
}

}  // namespace weft::api
