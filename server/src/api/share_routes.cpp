// Sharing: the owner of a workflow or a credential grants other users `read`, `run` or `edit`
// access (weft/runtime/security/object_access.hpp) under <collection>/{id}/shares:
//
//   GET    .../{id}/shares           who owns it and who it is shared with (read access)
//   PUT    .../{id}/shares/{userId}  {"access": "read" | "run" | "edit"} (owner or admin)
//   DELETE .../{id}/shares/{userId}  takes the share back (owner or admin)
//
// One mechanism for both kinds: each supplies how to read and write its owner and shares.
// A share takes effect on the next request of the user it names; changes are audited.
#include "api/access.hpp"
#include "api/api_routes.hpp"
#include "services.hpp"

#include <functional>
#include <string>

namespace weft::api {

namespace {

using http::Request;
using http::Response;
using security::Access;

// What sharing needs to know of an object.
struct Shared {
  std::string owner;
  security::Shares shares;
  int64_t revision = 0;
};

// One kind of shareable object.
struct ShareKind {
  std::string what;         // "workflow"
  std::string collection;   // "/api/v1/workflows"
  std::string tag;          // OpenAPI tag
  std::string op_suffix;    // "Workflow": operationIds listWorkflowShares, ...
  security::Permission read;
  security::Permission write;
  std::function<Result<Shared>(const ApiContext&, const std::string& id)> load;
  // Stores `shares` when the object is still at `revision` (kConflict otherwise).
  std::function<Status(const ApiContext&, const std::string& id, security::Shares shares, int64_t revision)> store;
};

Json shares_json(const Shared& s) {
  Json list = Json::array();
  for (const auto& [user, access] : s.shares)
    list.push_back({{"userId", user}, {"access", std::string(security::access_name(access))}});
  return {{"owner", s.owner}, {"shares", std::move(list)}};
}

// The object when the caller has `needed` access; `refusal` is set otherwise.
Result<Shared> load_for(const ShareKind& kind, const ApiContext& ctx, const Request& r, Access needed,
                        Response& refusal) {
  const std::string& id = r.param("id");
  auto s = kind.load(ctx, id);
  if (!s) {
    refusal = Response::problem(s.status().code() == Code::kNotFound
                                    ? Status::not_found(kind.what + " '" + id + "' not found")
                                    : s.status());
    return s.status();
  }
  if (auto refused = require_access(r, s->owner, s->shares, needed, kind.what, id)) {
    refusal = std::move(*refused);
    return Status::not_found("no access");
  }
  return s;
}

Response list(const ShareKind& kind, const ApiContext& ctx, Request& r) {
  Response refusal;
  auto s = load_for(kind, ctx, r, Access::kRead, refusal);
  if (!s) return refusal;
  return Response::json(shares_json(*s));
}

Response put(const ShareKind& kind, const ApiContext& ctx, Request& r) {
  Response refusal;
  auto s = load_for(kind, ctx, r, Access::kOwner, refusal);
  if (!s) return refusal;
  const Json& body = r.json;
  if (!body.is_object() || body.size() != 1 || !body.contains("access") || !body["access"].is_string())
    return Response::problem(Status::invalid("the body must be {\"access\": \"read\" | \"run\" | \"edit\"}"));
  auto access = security::parse_share_level(body["access"].get_ref<const std::string&>());
  if (!access) return Response::problem(Status::invalid("access must be read, run or edit"));
  const std::string& user_id = r.param("userId");
  if (user_id == s->owner)
    return Response::problem(Status::invalid("user '" + user_id + "' owns this " + kind.what + "; owners are not shared with"));
  if (auto user = ctx.services->users().get(user_id); !user) {
    if (user.status().code() != Code::kNotFound) return Response::problem(user.status());
    return Response::problem(Status::invalid("there is no user '" + user_id.substr(0, 64) + "' to share with"));
  }
  security::Shares next = s->shares;
  next[user_id] = *access;
  if (Status st = kind.store(ctx, r.param("id"), next, s->revision); !st) return Response::problem(st);
  ctx.services->audit().record(r, kind.what + ".share", kind.what, r.param("id"),
                               {{"userId", user_id}, {"access", std::string(security::access_name(*access))}});
  s->shares = std::move(next);
  return Response::json(shares_json(*s));
}

Response remove(const ShareKind& kind, const ApiContext& ctx, Request& r) {
  Response refusal;
  auto s = load_for(kind, ctx, r, Access::kOwner, refusal);
  if (!s) return refusal;
  const std::string& user_id = r.param("userId");
  security::Shares next = s->shares;
  if (next.erase(user_id) == 0)
    return Response::problem(Status::not_found(kind.what + " '" + r.param("id") + "' is not shared with user '" +
                                               user_id.substr(0, 64) + "'"));
  if (Status st = kind.store(ctx, r.param("id"), std::move(next), s->revision); !st) return Response::problem(st);
  ctx.services->audit().record(r, kind.what + ".unshare", kind.what, r.param("id"), {{"userId", user_id}});
  return Response::no_content();
}

void add_kind(http::Router& router, const ApiContext& context, ShareKind kind) {
  auto shared = std::make_shared<const ShareKind>(std::move(kind));
  const ShareKind& k = *shared;
  router.add("GET", k.collection + "/{id}/shares",
             {.operation_id = "list" + k.op_suffix + "Shares",
              .summary = "Who owns the " + k.what + " and who it is shared with", .tag = k.tag,
              .permission = k.read, .response_schema = "Shares"},
             [shared, &context](Request& r) { return list(*shared, context, r); });
  router.add("PUT", k.collection + "/{id}/shares/{userId}",
             {.operation_id = "share" + k.op_suffix,
              .summary = "Share the " + k.what + " with a user at read, run or edit (owner or admin)", .tag = k.tag,
              .permission = k.write, .body = http::BodyKind::kJson, .request_schema = "ShareGrant",
              .response_schema = "Shares"},
             [shared, &context](Request& r) { return put(*shared, context, r); });
  router.add("DELETE", k.collection + "/{id}/shares/{userId}",
             {.operation_id = "unshare" + k.op_suffix,
              .summary = "Stop sharing the " + k.what + " with a user (owner or admin)", .tag = k.tag,
              .permission = k.write, .success_status = 204},
             [shared, &context](Request& r) { return remove(*shared, context, r); });
}

}  // namespace

void add_share_routes(http::Router& router, const ApiContext& context) {
  router.add_schema("ShareGrant", {{"type", "object"},
                                   {"required", {"access"}},
                                   {"additionalProperties", false},
                                   {"properties", {{"access", {{"type", "string"}, {"enum", {"read", "run", "edit"}}}}}}});
  Json share = {{"type", "object"},
                {"required", {"userId", "access"}},
                {"properties", {{"userId", {{"type", "string"}}},
                                {"access", {{"type", "string"}, {"enum", {"read", "run", "edit"}}}}}}};
  router.add_schema("Shares", {{"type", "object"},
                               {"required", {"owner", "shares"}},
                               {"properties", {{"owner", {{"type", "string"}}},
                                               {"shares", {{"type", "array"}, {"items", std::move(share)}}}}}});
  add_kind(router, context,
           {.what = "workflow", .collection = "/api/v1/workflows", .tag = "workflows", .op_suffix = "Workflow",
            .read = security::Permission::kWorkflowRead, .write = security::Permission::kWorkflowWrite,
            .load = [](const ApiContext& ctx, const std::string& id) -> Result<Shared> {
              auto w = ctx.services->workflows().get(id);
              if (!w) return w.status();
              return Shared{w->owner, w->shares, w->revision};
            },
            .store = [](const ApiContext& ctx, const std::string& id, security::Shares shares, int64_t revision) {
              auto w = ctx.services->workflows().set_shares(id, std::move(shares), revision);
              return w ? Status::ok() : w.status();
            }});
  add_kind(router, context,
           {.what = "credential", .collection = "/api/v1/credentials", .tag = "credentials", .op_suffix = "Credential",
            .read = security::Permission::kCredentialRead, .write = security::Permission::kCredentialWrite,
            .load = [](const ApiContext& ctx, const std::string& id) -> Result<Shared> {
              // The base repository: sharing needs no secret opened.
              const CredentialRepository& plain = ctx.services->credentials();
              auto c = plain.get(id);
              if (!c) return c.status();
              return Shared{c->owner, c->shares, c->revision};
            },
            .store = [](const ApiContext& ctx, const std::string& id, security::Shares shares, int64_t revision) {
              CredentialChange change;
              change.shares = std::move(shares);
              const CredentialRepository& plain = ctx.services->credentials();
              auto c = plain.update(id, change, revision);
              return c ? Status::ok() : c.status();
            }});
}

}  // namespace weft::api
