// /api/v1/credentials: the caller's credentials over CredentialRepository, checked against the
// type table (credentials/credential_types.hpp).
//
// A credential belongs to the user who created it, who may share it (share_routes.cpp): `read`
// shows it, `run` lets the user's workflows use it, `edit` lets them change it. An id the caller
// has no access to answers 404, as an unknown one does, and lists hold only what the caller may
// see. Deleting takes the owner (or an admin). Its secret fields are write-only: every answer
// carries the public view (data without them, plus `secretsSet`, the names of those set), and
// no error quotes a value. ETag / If-Match carry the storage revision: `"3"`.
#include "api/access.hpp"
#include "api/api_routes.hpp"
#include "api/visible_page.hpp"
#include "credentials/credential_types.hpp"
#include "http/pagination.hpp"
#include "http/preconditions.hpp"
#include "services.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

namespace weft::api {

namespace {

using http::Request;
using http::Response;

constexpr size_t kMaxNameLength = 200;

// A caller's text as an error quotes it, cut to a readable length.
std::string quote_text(std::string_view text) {
  constexpr size_t kMax = 64;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMax)) + "...'";
}

// The API view: never a secret field.
Json credential_json(const CredentialRecord& c) {
  auto view = credentials::public_view(credentials::find_credential_type(c.type), c.data);
  return {{"id", c.id},
          {"name", c.name},
          {"type", c.type},
          {"owner", c.owner},
          {"data", std::move(view.data)},
          {"secretsSet", std::move(view.secrets_set)},
          {"createdAt", c.created_at_ms},
          {"updatedAt", c.updated_at_ms}};
}

Response with_etag(Response r, const CredentialRecord& c) {
  r.headers.set("ETag", http::etag_of(c.revision));
  return r;
}

Status not_found(std::string_view id) { return Status::not_found("credential " + quote_text(id) + " not found"); }

// The credential `id` when the caller has `needed` access to it; the same 404 as an unknown id
// without any access (ids of other users' credentials cannot be probed), 403 with too little.
// `refusal` is set on failure.
Result<CredentialRecord> accessible_credential(const ApiContext& ctx, const Request& r, security::Access needed,
                                               Response& refusal) {
  const std::string& id = r.param("id");
  auto c = ctx.services->credentials().get(id);
  if (!c) {
    Status st = c.status().code() == Code::kNotFound ? not_found(id) : c.status();
    refusal = Response::problem(st);
    return st;
  }
  if (auto refused = require_access(r, c->owner, c->shares, needed, "credential", id)) {
    refusal = std::move(*refused);
    return Status::not_found("no access");
  }
  return c;
}

// The credential for a write needing `needed` access: 400 for a malformed If-Match, 404 / 403
// as accessible_credential, 412 when If-Match names another revision. `refusal` is set on failure.
Result<CredentialRecord> current_for_write(const ApiContext& ctx, const Request& r, security::Access needed,
                                           Response& refusal) {
  auto expected = http::if_match_number(r, "a credential");
  if (!expected) {
    refusal = Response::bad_request(expected.status());
    return expected.status();
  }
  auto c = accessible_credential(ctx, r, needed, refusal);
  if (!c) return c.status();
  if (*expected && **expected != c->revision) {
    auto p = http::Problem::of(412, "the credential is at revision " + std::to_string(c->revision) + ", not " +
                                        std::to_string(**expected) + " (If-Match)");
    p.instance = r.path;
    p.with("currentRevision", c->revision);
    refusal = Response::problem(p);
    return Status::conflict("stale If-Match");
  }
  return c;
}

// kInvalid unless every member of `body` is one of `allowed` (a comma-separated list for the
// message).
Status only_fields(const Json& body, std::initializer_list<std::string_view> allowed) {
  for (const auto& [field, value] : body.items()) {
    (void)value;
    if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Status::invalid("field " + quote_text(field) + " cannot be set (" + list + " can)");
    }
  }
  return Status::ok();
}

// The `name` member, checked: a string of 1 to 200 characters.
Result<std::string> name_of(const Json& value) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
      value.get_ref<const std::string&>().size() > kMaxNameLength)
    return Status::invalid("name must be a string of 1 to 200 characters");
  return value.get<std::string>();
}

Response unknown_type(std::string_view type, const std::string& instance) {
  auto p = http::Problem::of(422, "unknown credential type " + quote_text(type) + " (known: " +
                                      credentials::known_credential_type_names() + ")");
  p.instance = instance;
  Json known = Json::array();
  for (const auto& t : credentials::credential_types()) known.push_back(std::string(t.name));
  p.with("knownTypes", std::move(known));
  return Response::problem(p);
}

Response create(const ApiContext& ctx, Request& r) {
  const Json& body = r.json;
  if (!body.is_object()) return Response::problem(Status::invalid("the body must be a JSON object"));
  if (auto s = only_fields(body, {"name", "type", "data"}); !s) return Response::problem(s);
  auto name = name_of(body.contains("name") ? body["name"] : Json());
  if (!name) return Response::problem(name.status());
  auto type_member = body.find("type");
  if (type_member == body.end() || !type_member->is_string())
    return Response::problem(Status::invalid("type must be a string, one of " +
                                             credentials::known_credential_type_names()));
  const std::string& type_name = type_member->get_ref<const std::string&>();
  const credentials::CredentialType* type = credentials::find_credential_type(type_name);
  if (!type) return unknown_type(type_name, r.path);
  auto data = body.find("data");
  if (data == body.end()) return Response::problem(Status::invalid("data is required: the fields of a " + type_name));
  if (auto s = credentials::validate_credential_data(*type, *data); !s) return Response::problem(s);

  NewCredential n;
  n.name = std::move(*name);
  n.type = type_name;
  n.owner = r.principal->acting_user();
  n.data = *data;
  auto stored = ctx.services->credentials().create(n);
  if (!stored) return Response::problem(stored.status());
  ctx.services->audit().record(r, "credential.create", "credential", stored->id,
                               {{"name", stored->name}, {"type", stored->type}});
  Response out = with_etag(Response::json(201, credential_json(*stored)), *stored);
  out.headers.set("Location", "/api/v1/credentials/" + stored->id);
  return out;
}

Response list(const ApiContext& ctx, Request& r) {
  auto page = http::PageRequest::from(r);
  if (!page) return Response::bad_request(page.status());
  CredentialFilter filter;
  if (auto type = r.query("type")) {
    if (type->empty()) return Response::bad_request("type must not be empty");
    filter.type = *type;
  }
  auto result = visible_page<CredentialRecord>(
      {.limit = page->limit, .cursor = page->cursor},
      [&](const PageRequest& p) {
        filter.page = p;
        return ctx.services->credentials().list(filter);
      },
      [&](const CredentialRecord& c) { return access_of(r, c.owner, c.shares) >= security::Access::kRead; });
  if (!result) return Response::bad_request(result.status());
  // Listings come without data; each item reads its credential for the public view. One
  // deleted in between is left out.
  Json items = Json::array();
  for (const auto& summary : result->items) {
    auto c = ctx.services->credentials().get(summary.id);
    if (!c) {
      if (c.status().code() == Code::kNotFound) continue;
      return Response::problem(c.status());
    }
    items.push_back(credential_json(*c));
  }
  return Response::json(http::page_json(std::move(items), result->next_cursor));
}

Response get(const ApiContext& ctx, Request& r) {
  Response refusal;
  auto c = accessible_credential(ctx, r, security::Access::kRead, refusal);
  if (!c) return refusal;
  return with_etag(Response::json(credential_json(*c)), *c);
}

Response patch(const ApiContext& ctx, Request& r) {
  Response refusal;
  auto current = current_for_write(ctx, r, security::Access::kEdit, refusal);
  if (!current) return refusal;
  const Json& body = r.json;
  if (!body.is_object()) return Response::problem(Status::invalid("the body must be a JSON object"));
  if (body.contains("type"))
    return Response::problem(Status::invalid("type cannot be changed: create a new credential instead"));
  if (auto s = only_fields(body, {"name", "data"}); !s) return Response::problem(s);
  CredentialChange change;
  if (auto n = body.find("name"); n != body.end()) {
    auto name = name_of(*n);
    if (!name) return Response::problem(name.status());
    change.name = std::move(*name);
  }
  if (auto d = body.find("data"); d != body.end()) {
    if (!d->is_object()) return Response::problem(Status::invalid("data must be a JSON object of fields to change"));
    const credentials::CredentialType* type = credentials::find_credential_type(current->type);
    if (!type)
      return Response::problem(Status::invalid("credential type " + quote_text(current->type) +
                                               " is no longer known, so its data cannot be changed"));
    Json merged = credentials::merge_credential_data(current->data, *d);
    if (auto s = credentials::validate_credential_data(*type, merged); !s) return Response::problem(s);
    change.data = std::move(merged);
  }
  if (!change.name && !change.data) return with_etag(Response::json(credential_json(*current)), *current);
  auto updated = ctx.services->credentials().update(current->id, change, current->revision);
  if (!updated) return Response::problem(updated.status());
  Json changed = Json::array();
  if (change.name) changed.push_back("name");
  if (change.data) changed.push_back("data");
  ctx.services->audit().record(r, "credential.update", "credential", current->id, {{"changed", std::move(changed)}});
  return with_etag(Response::json(credential_json(*updated)), *updated);
}

Response remove(const ApiContext& ctx, Request& r) {
  Response refusal;
  auto current = current_for_write(ctx, r, security::Access::kOwner, refusal);
  if (!current) return refusal;
  if (auto s = ctx.services->credentials().remove(current->id, current->revision); !s) return Response::problem(s);
  ctx.services->audit().record(r, "credential.delete", "credential", current->id);
  return Response::no_content();
}

// The schema of `data` for each known type, from the table, for the OpenAPI document.
Json data_schema(bool for_write) {
  Json variants = Json::array();
  for (const auto& t : credentials::credential_types()) {
    Json properties = Json::object();
    Json required = Json::array();
    for (const auto& f : t.fields) {
      if (f.secret && !for_write) continue;
      Json p = {{"type", credentials::field_kind_name(f.kind)}, {"description", std::string(f.description)}};
      if (f.secret) p["writeOnly"] = true;
      properties[std::string(f.name)] = std::move(p);
      if (f.required) required.push_back(std::string(f.name));
    }
    Json v = {{"type", "object"},
              {"title", std::string(t.name)},
              {"additionalProperties", false},
              {"properties", std::move(properties)}};
    if (for_write && !required.empty()) v["required"] = std::move(required);
    variants.push_back(std::move(v));
  }
  return {{"oneOf", std::move(variants)}};
}

void add_schemas(http::Router& router) {
  Json type_names = Json::array();
  for (const auto& t : credentials::credential_types()) type_names.push_back(std::string(t.name));
  Json name = {{"type", "string"}, {"minLength", 1}, {"maxLength", kMaxNameLength}};
  router.add_schema("NewCredential",
                    {{"type", "object"},
                     {"required", {"name", "type", "data"}},
                     {"additionalProperties", false},
                     {"properties", {{"name", name},
                                     {"type", {{"type", "string"}, {"enum", type_names}}},
                                     {"data", data_schema(true)}}}});
  router.add_schema("CredentialPatch",
                    {{"type", "object"},
                     {"description", "Changes: data is merged field by field (an absent field keeps its value, "
                                     "a null removes it); the result must be valid for the type"},
                     {"additionalProperties", false},
                     {"properties", {{"name", name}, {"data", {{"type", "object"}}}}}});
  router.add_schema("Credential",
                    {{"type", "object"},
                     {"required", {"id", "name", "type", "owner", "data", "secretsSet", "createdAt", "updatedAt"}},
                     {"properties",
                      {{"id", {{"type", "string"}}},
                       {"name", {{"type", "string"}}},
                       {"owner", {{"type", "string"}, {"description", "the id of the user who owns it"}}},
                       {"type", {{"type", "string"}}},
                       {"data", {{"type", "object"}, {"description", "the fields that are not secret"}}},
                       {"secretsSet", {{"type", "array"},
                                       {"items", {{"type", "string"}}},
                                       {"description", "the secret fields that hold a value (never shown)"}}},
                       {"createdAt", {{"type", "integer"}, {"description", "ms since the epoch"}}},
                       {"updatedAt", {{"type", "integer"}, {"description", "ms since the epoch"}}}}}});
}

}  // namespace

void add_credential_routes(http::Router& router, const ApiContext& context) {
  add_schemas(router);
  const std::string tag = "credentials";
  router.add("POST", "/api/v1/credentials",
             {.operation_id = "createCredential",
              .summary = "Store a credential for the caller; 422 naming the field when its data is invalid",
              .tag = tag, .permission = security::Permission::kCredentialWrite, .body = http::BodyKind::kJson, .request_schema = "NewCredential",
              .response_schema = "Credential", .success_status = 201},
             [&context](Request& r) { return create(context, r); });
  router.add("GET", "/api/v1/credentials",
             {.operation_id = "listCredentials", .summary = "The caller's credentials, by name (secrets never shown)",
              .tag = tag, .permission = security::Permission::kCredentialRead, .response_schema = "Credential", .paginated = true,
              .query = {{.name = "type", .description = "only credentials of this type"}}},
             [&context](Request& r) { return list(context, r); });
  router.add("GET", "/api/v1/credentials/{id}",
             {.operation_id = "getCredential", .summary = "One of the caller's credentials (ETag: its revision)",
              .tag = tag, .permission = security::Permission::kCredentialRead, .response_schema = "Credential"},
             [&context](Request& r) { return get(context, r); });
  router.add("PATCH", "/api/v1/credentials/{id}",
             {.operation_id = "patchCredential",
              .summary = "Rename a credential or change fields of its data (If-Match honoured; 412 when stale)",
              .tag = tag, .permission = security::Permission::kCredentialWrite, .body = http::BodyKind::kJson, .request_schema = "CredentialPatch",
              .response_schema = "Credential"},
             [&context](Request& r) { return patch(context, r); });
  router.add("DELETE", "/api/v1/credentials/{id}",
             {.operation_id = "deleteCredential", .summary = "Delete one of the caller's credentials (If-Match honoured)",
              .tag = tag, .permission = security::Permission::kCredentialWrite, .success_status = 204},
             [&context](Request& r) { return remove(context, r); });
}

}  // namespace weft::api
