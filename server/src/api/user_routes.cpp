// /api/v1/users: admins manage users (UserAdmin holds the rules the CLI shares). A user is
// answered without its password hash; writes honour If-Match with the user's revision.
// Every route needs user.manage (admins; 403 otherwise); an admin cannot delete or disable
// itself. Creating, changing (role, disabled, password) and deleting users are audited.
#include "api/api_routes.hpp"
#include "http/pagination.hpp"
#include "http/preconditions.hpp"
#include "services.hpp"
#include "users/user_admin.hpp"

namespace weft::api {

namespace {

using http::Request;
using http::Response;
using server::UserAdmin;
using server::UserInput;

UserAdmin admin_of(const ApiContext& ctx) {
  return UserAdmin(ctx.services->users(), ctx.services->password_plugin());
}

Response user_response(int status, const UserRecord& u) {
  Response out = Response::json(status, UserAdmin::view(u));
  out.headers.set("ETag", http::etag_of(u.revision));
  return out;
}

// The fields of a create or patch body; kInvalid for a field that cannot be set or has the
// wrong type.
Result<UserInput> input_of(const Json& body, bool creating) {
  if (!body.is_object()) return Status::invalid("the body must be a JSON object");
  UserInput in;
  for (const auto& [field, value] : body.items()) {
    if (field == "disabled") {
      if (!value.is_boolean()) return Status::invalid("disabled must be true or false");
      in.disabled = value.get<bool>();
      continue;
    }
    std::optional<std::string>* slot = field == "email"      ? &in.email
                                       : field == "name"     ? &in.name
                                       : field == "role"     ? &in.role
                                       : field == "password" ? &in.password
                                                             : nullptr;
    if (!slot)
      return Status::invalid("field '" + field.substr(0, 64) + "' cannot be set (email, name, role, password" +
                             (creating ? "" : ", disabled") + " can)");
    if (!value.is_string()) return Status::invalid(field + " must be a string");
    *slot = value.get<std::string>();
  }
  if (creating && in.disabled) return Status::invalid("field 'disabled' cannot be set when creating a user");
  return in;
}

Response create(const ApiContext& ctx, Request& r) {
  auto in = input_of(r.json, true);
  if (!in) return Response::problem(in.status());
  auto user = admin_of(ctx).create(*in);
  if (!user) return Response::problem(user.status());
  ctx.services->audit().record(r, "user.create", "user", user->id, {{"email", user->email}, {"role", user->role}});
  Response out = user_response(201, *user);
  out.headers.set("Location", "/api/v1/users/" + user->id);
  return out;
}

Response list(const ApiContext& ctx, Request& r) {
  auto page = http::PageRequest::from(r);
  if (!page) return Response::bad_request(page.status());
  auto result = ctx.services->users().list({.limit = page->limit, .cursor = page->cursor}, r.query("role"));
  if (!result) return Response::bad_request(result.status());
  Json items = Json::array();
  for (const auto& u : result->items) items.push_back(UserAdmin::view(u));
  return Response::json(http::page_json(std::move(items), result->next_cursor));
}

Response get(const ApiContext& ctx, Request& r) {
  auto user = ctx.services->users().get(r.param("id"));
  if (!user) return Response::problem(user.status());
  return user_response(200, *user);
}

Response patch(const ApiContext& ctx, Request& r) {
  auto expected = http::if_match_number(r, "a user");
  if (!expected) return Response::bad_request(expected.status());
  auto in = input_of(r.json, false);
  if (!in) return Response::problem(in.status());
  const std::string& id = r.param("id");
  if (id == r.principal->acting_user() && ((in->disabled && *in->disabled) || (in->role && *in->role != "admin")))
    return Response::problem(Status::conflict("an admin cannot disable or demote itself; ask another admin"));
  auto user = admin_of(ctx).change(id, *in, *expected);
  if (!user) {
    if (*expected && user.status().code() == Code::kConflict)
      return Response::problem(http::Problem::of(412, "the user has changed since the revision If-Match names"));
    return Response::problem(user.status());
  }
  Json changed = Json::array();
  for (const auto& [field, value] : r.json.items()) changed.push_back(field);
  Json detail = {{"changed", std::move(changed)}};
  if (in->role) detail["role"] = *in->role;
  if (in->disabled) detail["disabled"] = *in->disabled;
  ctx.services->audit().record(r, "user.update", "user", id, std::move(detail));
  return user_response(200, *user);
}

Response remove(const ApiContext& ctx, Request& r) {
  const std::string& id = r.param("id");
  if (id == r.principal->acting_user())
    return Response::problem(Status::conflict("an admin cannot delete itself; ask another admin"));
  if (Status st = ctx.services->users().remove(id); !st) return Response::problem(st);
  ctx.services->audit().record(r, "user.delete", "user", id);
  return Response::no_content();
}

void add_schemas(http::Router& router) {
  Json role = {{"type", "string"}, {"enum", {"admin", "editor", "operator", "viewer"}}};
  router.add_schema("User", {{"type", "object"},
                             {"required", {"id", "email", "name", "role", "disabled", "createdAt", "updatedAt"}},
                             {"properties",
                              {{"id", {{"type", "string"}}},
                               {"email", {{"type", "string"}}},
                               {"name", {{"type", "string"}}},
                               {"role", role},
                               {"disabled", {{"type", "boolean"}}},
                               {"createdAt", {{"type", "integer"}}},
                               {"updatedAt", {{"type", "integer"}}}}}});
  router.add_schema("NewUser", {{"type", "object"},
                                {"required", {"email", "name", "role", "password"}},
                                {"additionalProperties", false},
                                {"properties",
                                 {{"email", {{"type", "string"}}},
                                  {"name", {{"type", "string"}}},
                                  {"role", role},
                                  {"password", {{"type", "string"}, {"minLength", 12}, {"writeOnly", true}}}}}});
  router.add_schema("UserPatch", {{"type", "object"},
                                  {"additionalProperties", false},
                                  {"properties",
                                   {{"email", {{"type", "string"}}},
                                    {"name", {{"type", "string"}}},
                                    {"role", role},
                                    {"disabled", {{"type", "boolean"}}},
                                    {"password", {{"type", "string"}, {"minLength", 12}, {"writeOnly", true}}}}}});
}

}  // namespace

void add_user_routes(http::Router& router, const ApiContext& context) {
  add_schemas(router);
  const std::string tag = "users";
  router.add("POST", "/api/v1/users",
             {.operation_id = "createUser",
              .summary = "Create a user with a password (admins only; 422 naming the field, 409 for a taken e-mail)",
              .tag = tag, .permission = security::Permission::kUserManage, .body = http::BodyKind::kJson, .request_schema = "NewUser", .response_schema = "User",
              .success_status = 201},
             [&context](Request& r) { return create(context, r); });
  router.add("GET", "/api/v1/users",
             {.operation_id = "listUsers", .summary = "Users by e-mail address (admins only)", .tag = tag, .permission = security::Permission::kUserManage,
              .response_schema = "User", .paginated = true,
              .query = {{.name = "role", .description = "only users of this role"}}},
             [&context](Request& r) { return list(context, r); });
  router.add("GET", "/api/v1/users/{id}",
             {.operation_id = "getUser", .summary = "One user (admins only; ETag: its revision)", .tag = tag, .permission = security::Permission::kUserManage,
              .response_schema = "User"},
             [&context](Request& r) { return get(context, r); });
  router.add("PATCH", "/api/v1/users/{id}",
             {.operation_id = "patchUser",
              .summary = "Change a user's e-mail, name, role, password or disabled flag (admins only; If-Match "
                         "honoured)",
              .tag = tag, .permission = security::Permission::kUserManage, .body = http::BodyKind::kJson, .request_schema = "UserPatch", .response_schema = "User"},
             [&context](Request& r) { return patch(context, r); });
  router.add("DELETE", "/api/v1/users/{id}",
             {.operation_id = "deleteUser", .summary = "Delete a user (admins only; not yourself)", .tag = tag, .permission = security::Permission::kUserManage,
              .success_status = 204},
             [&context](Request& r) { return remove(context, r); });
}

}  // namespace weft::api
