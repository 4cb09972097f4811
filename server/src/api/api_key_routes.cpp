// /api/v1/api-keys: the caller's API keys. A key is shown once, when it is created; lists show
// its display prefix, never the key or its hash. Another user's key answers 404.
//
// A key acts with its user's permissions, narrowed to `scopes` (permission names) when it has
// any. A caller cannot give a key a permission it does not have itself.
#include "api/api_routes.hpp"
#include "http/pagination.hpp"
#include "services.hpp"

#include <weft/runtime/wall_clock.hpp>

namespace weft::api {

namespace {

using http::Request;
using http::Response;

// The API view of a key: everything but its hash.
Json key_json(const ApiKeyRecord& k) {
  Json j = {{"id", k.id},           {"name", k.name},        {"prefix", k.prefix},
            {"scopes", k.scopes},   {"createdAt", k.created_at_ms}};
  j["lastUsedAt"] = k.last_used_at_ms ? Json(*k.last_used_at_ms) : Json(nullptr);
  j["expiresAt"] = k.expires_at_ms ? Json(*k.expires_at_ms) : Json(nullptr);
  j["revokedAt"] = k.revoked_at_ms ? Json(*k.revoked_at_ms) : Json(nullptr);
  return j;
}

// The key `id` when it belongs to the caller; 404 otherwise, so that ids of other users' keys
// cannot be probed.
Result<ApiKeyRecord> own_key(const ApiContext& ctx, const Request& req) {
  auto key = ctx.services->api_keys().get(req.param("id"));
  if (!key) return key.status();
  if (key->user_id != req.principal->acting_user())
    return Status::not_found("no API key with id " + req.param("id"));
  return key;
}

Response create(const ApiContext& ctx, Request& req) {
  const Json& body = req.json;
  if (!body.is_object()) return Response::problem(Status::invalid("the body must be a JSON object"));
  for (const auto& [field, value] : body.items()) {
    if (field != "name" && field != "scopes" && field != "expiresAt")
      return Response::problem(Status::invalid("field '" + field +
                                               "' cannot be set (name, scopes, expiresAt can)"));
    (void)value;
  }
  auto name = body.find("name");
  if (name == body.end() || !name->is_string() || name->get_ref<const std::string&>().empty() ||
      name->get_ref<const std::string&>().size() > 200)
    return Response::problem(Status::invalid("name must be a string of 1 to 200 characters"));
  NewApiKey key;
  key.user_id = req.principal->acting_user();
  key.name = name->get<std::string>();
  if (auto s = body.find("scopes"); s != body.end()) {
    if (!s->is_array()) return Response::problem(Status::invalid("scopes must be a list of strings"));
    for (const auto& scope : *s) {
      if (!scope.is_string() || scope.get_ref<const std::string&>().empty())
        return Response::problem(Status::invalid("scopes must be a list of non-empty strings"));
      const std::string& name = scope.get_ref<const std::string&>();
      auto permission = security::parse_permission(name);
      if (!permission)
        return Response::problem(Status::invalid("scope '" + name.substr(0, 64) +
                                                 "' is not a permission (workflow.read, workflow.write, ...)"));
      if (!req.principal->can(*permission))
        return Response::problem(http::Problem::of(
            403, "scope '" + name + "' is a permission the caller does not have itself"));
      key.scopes.push_back(name);
    }
  }
  if (auto e = body.find("expiresAt"); e != body.end() && !e->is_null()) {
    if (!e->is_number_integer() || e->get<int64_t>() <= now_ms())
      return Response::problem(
          Status::invalid("expiresAt must be a future time in milliseconds since the epoch"));
    key.expires_at_ms = e->get<int64_t>();
  }
  const AuthPlugin* minter = ctx.services->api_key_plugin();
  if (!minter)
    return Response::problem(Status::unsupported(
        "API keys are not enabled: add weft.api_key to auth.providers"));
  auto minted = minter->invoke({{"op", "issue"}});
  if (!minted) return Response::problem(minted.status());
  key.prefix = minted->value("prefix", "");
  key.hash = minted->value("hash", "");
  auto stored = ctx.services->api_keys().create(key);
  if (!stored) return Response::problem(stored.status());
  ctx.services->audit().record(req, "api_key.create", "api-key", stored->id,
                               {{"name", stored->name}, {"scopes", stored->scopes}});
  Json out = key_json(*stored);
  out["key"] = minted->value("key", "");  // the only time it is shown
  Response r = Response::json(201, out);
  r.headers.set("Location", "/api/v1/api-keys/" + stored->id);
  return r;
}

Response list(const ApiContext& ctx, Request& req) {
  auto page = http::PageRequest::from(req);
  if (!page) return Response::bad_request(page.status());
  auto keys = ctx.services->api_keys().list_for_user(req.principal->acting_user(),
                                                     weft::PageRequest{page->limit, page->cursor});
  if (!keys) return Response::problem(keys.status(), 400);
  Json items = Json::array();
  for (const auto& k : keys->items) items.push_back(key_json(k));
  return Response::json(http::page_json(std::move(items), keys->next_cursor));
}

Response get(const ApiContext& ctx, Request& req) {
  auto key = own_key(ctx, req);
  if (!key) return Response::problem(key.status());
  return Response::json(key_json(*key));
}

Response revoke(const ApiContext& ctx, Request& req) {
  auto key = own_key(ctx, req);
  if (!key) return Response::problem(key.status());
  auto revoked = ctx.services->api_keys().revoke(key->id, now_ms());
  if (!revoked) return Response::problem(revoked.status());
  ctx.services->audit().record(req, "api_key.revoke", "api-key", key->id);
  return Response::no_content();
}

}  // namespace

void add_api_key_routes(http::Router& router, const ApiContext& context) {
  Json nullable_time = {{"type", "integer"}, {"nullable", true}, {"description", "milliseconds since the epoch"}};
  Json key_properties = {{"id", {{"type", "string"}}},
                         {"name", {{"type", "string"}}},
                         {"prefix", {{"type", "string"}, {"description", "the start of the key, to tell keys apart"}}},
                         {"scopes", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                         {"createdAt", {{"type", "integer"}}},
                         {"lastUsedAt", nullable_time},
                         {"expiresAt", nullable_time},
                         {"revokedAt", nullable_time}};
  router.add_schema("ApiKey", {{"type", "object"},
                               {"required", {"id", "name", "prefix", "scopes", "createdAt"}},
                               {"properties", key_properties}});
  Json created = key_properties;
  created["key"] = {{"type", "string"}, {"description", "the key itself: shown in this response only"}};
  router.add_schema("CreatedApiKey", {{"type", "object"},
                                      {"required", {"id", "name", "prefix", "key"}},
                                      {"properties", created}});
  router.add_schema("NewApiKey", {{"type", "object"},
                                  {"required", {"name"}},
                                  {"additionalProperties", false},
                                  {"properties", {{"name", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}}},
                                                  {"scopes", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                                  {"expiresAt", nullable_time}}}});

  router.add("POST", "/api/v1/api-keys",
             {.operation_id = "createApiKey", .summary = "Create an API key for the caller; the key is shown once",
              .tag = "api-keys", .self_service = true, .body = http::BodyKind::kJson, .request_schema = "NewApiKey",
              .response_schema = "CreatedApiKey", .success_status = 201},
             [&context](Request& r) { return create(context, r); });
  router.add("GET", "/api/v1/api-keys",
             {.operation_id = "listApiKeys", .summary = "The caller's API keys (prefixes only)", .tag = "api-keys", .self_service = true,
              .response_schema = "ApiKey", .paginated = true},
             [&context](Request& r) { return list(context, r); });
  router.add("GET", "/api/v1/api-keys/{id}",
             {.operation_id = "getApiKey", .summary = "One of the caller's API keys", .tag = "api-keys", .self_service = true,
              .response_schema = "ApiKey"},
             [&context](Request& r) { return get(context, r); });
  router.add("DELETE", "/api/v1/api-keys/{id}",
             {.operation_id = "revokeApiKey", .summary = "Revoke one of the caller's API keys; it stops working at once",
              .tag = "api-keys", .self_service = true, .success_status = 204},
             [&context](Request& r) { return revoke(context, r); });
}

}  // namespace weft::api
