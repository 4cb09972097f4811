// /api/v1/workflows: workflows and their immutable versions over WorkflowRepository.
//
// A workflow is answered as its current definition (name, nodes, edges, settings, ...) with the
// server-owned members laid over it: id, version, active, owner, createdAt, updatedAt (ms since
// the epoch). ETag / If-Match carry the version: `"3"`. Every save plans the document with the
// executor's validator first; an invalid one answers 422 with the full report as "errors".
//
// Access: the owner (and an admin) may do everything; a user it is shared with may read (read),
// run (run, see executions.cpp), or also save, activate and deactivate (edit). Deleting takes
// the owner. Ids the caller has no access to answer 404; lists leave them out.
#include "api/access.hpp"
#include "api/api_routes.hpp"
#include "api/visible_page.hpp"
#include "http/pagination.hpp"
#include "http/preconditions.hpp"
#include "http/query_params.hpp"
#include "services.hpp"

#include <weft/runtime/plan.hpp>
#include <weft/runtime/repositories/random_id.hpp>
#include <weft/runtime/workflow.hpp>

#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace weft::api {

namespace {

using http::Request;
using http::Response;

// Members the server owns. A create naming any of them is refused; a replace may repeat their
// current values (a GET, edited, PUT back) but not change them.
constexpr std::array<const char*, 6> kReadOnlyFields = {"id", "version", "owner", "createdAt",
                                                        "updatedAt", "active"};

Json workflow_json(const WorkflowRecord& w) {
  Json j = {{"id", w.id},       {"name", w.name},   {"version", w.version},
            {"active", w.active}, {"owner", w.owner}, {"createdAt", w.created_at_ms},
            {"updatedAt", w.updated_at_ms}};
  if (w.definition.is_object())
    for (const auto& [key, value] : w.definition.items())
      if (!j.contains(key)) j[key] = value;
  return j;
}

Json version_json(const WorkflowVersion& v) {
  return {{"workflowId", v.workflow_id}, {"version", v.version}, {"author", v.author},
          {"createdAt", v.created_at_ms}, {"definition", v.definition}};
}

Response with_etag(Response r, const WorkflowRecord& w) {
  r.headers.set("ETag", http::etag_of(w.version));
  return r;
}

Response validation_problem(const ValidationReport& report, const std::string& instance) {
  auto p = http::Problem::of(422, std::to_string(report.problems.size()) + " problem" +
                                      (report.problems.size() == 1 ? "" : "s") +
                                      " in the workflow: " + report.problems.front().message);
  p.instance = instance;
  p.with("errors", report.to_json());
  return Response::problem(p);
}

// Plans `document` (whose id and version the server has set) with the executor's validator and
// adds the server's own rule: a workflow has a non-empty name.
ValidationReport validate(const ApiContext& ctx, const Json& document) {
  ValidationReport report;
  auto name = document.find("name");
  if (name == document.end() || !name->is_string() || name->get_ref<const std::string&>().empty())
    report.add("name", "", "name must be a non-empty string");
  if (ctx.plugins) {
    ValidationReport planned;
    plan_workflow(document, ctx.plugins->registry(), planned);
    for (auto& p : planned.problems) report.problems.push_back(std::move(p));
  } else {
    parse_workflow(document, report);
  }
  return report;
}

// The read-only members of `body` that differ from `current` (nullptr: every one present).
// Removes the ones that repeat the current value.
std::vector<std::string> strip_read_only(Json& body, const Json* current) {
  std::vector<std::string> refused;
  for (const char* field : kReadOnlyFields) {
    auto it = body.find(field);
    if (it == body.end()) continue;
    if (current && current->contains(field) && (*current)[field] == *it) {
      body.erase(field);
      continue;
    }
    refused.emplace_back(field);
  }
  return refused;
}

Response read_only_problem(const std::vector<std::string>& fields, const std::string& instance) {
  std::string list;
  for (const auto& f : fields) list += (list.empty() ? "" : ", ") + f;
  auto p = http::Problem::of(422, "field" + std::string(fields.size() == 1 ? " " : "s ") + list +
                                      " cannot be set by a caller (the server owns id, version, owner, "
                                      "createdAt, updatedAt, active; use /activate and /deactivate)");
  p.instance = instance;
  Json errors = Json::array();
  for (const auto& f : fields) errors.push_back({{"path", f}, {"node", ""}, {"message", "read-only field"}});
  p.with("errors", {{"valid", false}, {"problems", std::move(errors)}});
  return Response::problem(p);
}

// The workflow `id` when the caller has `needed` access: 404 when unknown or without any access,
// 403 with too little. `refusal` is set on failure.
Result<WorkflowRecord> accessible_workflow(const ApiContext& ctx, const Request& r, security::Access needed,
                                           Response& refusal) {
  auto w = ctx.services->workflows().get(r.param("id"));
  if (!w) {
    refusal = Response::problem(w.status());
    return w.status();
  }
  if (auto refused = require_access(r, w->owner, w->shares, needed, "workflow", w->id)) {
    refusal = std::move(*refused);
    return Status::not_found("no access");
  }
  return w;
}

// The current record for a write needing `needed` access: 404 / 403 as accessible_workflow,
// 412 when If-Match names another version.
Result<WorkflowRecord> current_for_write(const ApiContext& ctx, const Request& r, security::Access needed,
                                         Response& refusal) {
  auto expected = http::if_match_number(r, "a workflow version");
  if (!expected) {
    refusal = Response::bad_request(expected.status());
    return expected.status();
  }
  auto w = accessible_workflow(ctx, r, needed, refusal);
  if (!w) return w.status();
  if (*expected && **expected != w->version) {
    auto p = http::Problem::of(412, "the workflow is at version " + std::to_string(w->version) +
                                        ", not " + std::to_string(**expected) + " (If-Match)");
    p.instance = r.path;
    p.with("currentVersion", w->version);
    refusal = Response::problem(p);
    return Status::conflict("stale If-Match");
  }
  return w;
}

// Tells live subscribers (WebSocket /ws) of a change that succeeded.
void publish(const ApiContext& ctx, events::EventType type, const std::string& id, int64_t version) {
  events::Event e;
  e.type = type;
  e.workflow_id = id;
  e.workflow_version = version;
  ctx.services->events().publish(std::move(e));
}

Response create(const ApiContext& ctx, Request& r) {
  Json body = r.json;
  if (!body.is_object()) return Response::problem(Status::invalid("the body must be a workflow object"));
  if (auto refused = strip_read_only(body, nullptr); !refused.empty()) return read_only_problem(refused, r.path);
  std::string id = random_id();
  Json document = body;
  document["id"] = id;
  document["version"] = 1;
  if (auto report = validate(ctx, document); !report.ok()) return validation_problem(report, r.path);
  NewWorkflow n;
  n.id = id;
  n.owner = r.principal->acting_user();
  n.author = n.owner;
  n.definition = std::move(body);
  auto w = ctx.services->workflows().create(n);
  if (!w) return Response::problem(w.status());
  ctx.services->audit().record(r, "workflow.create", "workflow", w->id, {{"version", w->version}});
  publish(ctx, events::EventType::kWorkflowCreated, w->id, w->version);
  Response out = with_etag(Response::json(201, workflow_json(*w)), *w);
  out.headers.set("Location", "/api/v1/workflows/" + w->id);
  return out;
}

Response list(const ApiContext& ctx, Request& r) {
  auto page = http::PageRequest::from(r);
  if (!page) return Response::bad_request(page.status());
  WorkflowFilter filter;
  if (auto name = r.query("name")) filter.name = *name;
  if (r.query("active")) {
    auto active = http::query_bool(r, "active", false);
    if (!active) return Response::bad_request(active.status());
    filter.active = *active;
  }
  std::string sort = r.query("sort").value_or("updatedAt");
  if (sort == "updatedAt") filter.sort = WorkflowSort::kUpdatedAt;
  else if (sort == "name") filter.sort = WorkflowSort::kName;
  else return Response::bad_request("sort must be updatedAt or name, not '" + sort + "'");
  std::string order = r.query("order").value_or(filter.sort == WorkflowSort::kName ? "asc" : "desc");
  if (order != "asc" && order != "desc")
    return Response::bad_request("order must be asc or desc, not '" + order + "'");
  filter.descending = order == "desc";
  auto result = visible_page<WorkflowRecord>(
      {.limit = page->limit, .cursor = page->cursor},
      [&](const PageRequest& p) {
        filter.page = p;
        return ctx.services->workflows().list(filter);
      },
      [&](const WorkflowRecord& w) { return access_of(r, w.owner, w.shares) >= security::Access::kRead; });
  if (!result) return Response::bad_request(result.status());
  Json items = Json::array();
  for (const auto& w : result->items) items.push_back(workflow_json(w));
  return Response::json(http::page_json(std::move(items), result->next_cursor));
}

Response get(const ApiContext& ctx, Request& r) {
  Response refusal;
  auto w = accessible_workflow(ctx, r, security::Access::kRead, refusal);
  if (!w) return refusal;
  return with_etag(Response::json(workflow_json(*w)), *w);
}

// OK when the owner of workflow `w` may use every credential its nodes name (a literal
// `credential` parameter): active triggers such as webhooks read their credential with no caller
// present, so the check is made when the workflow goes active. kInvalid naming the node
// otherwise; an unknown credential and one the owner may not use get the same answer.
Status check_credentials_usable(const ApiContext& ctx, const WorkflowRecord& w, const Json& definition) {
  auto owner = ctx.services->users().get(w.owner);
  const std::string role = owner && !owner->disabled ? owner->role : std::string();
  const bool may_use = security::role_permissions(role).has(security::Permission::kCredentialUse);
  auto nodes = definition.find("nodes");
  if (nodes == definition.end() || !nodes->is_array()) return Status::ok();
  for (const auto& node : *nodes) {
    if (!node.is_object() || !node.contains("parameters") || !node["parameters"].is_object()) continue;
    auto id = node["parameters"].find("credential");
    if (id == node["parameters"].end() || !id->is_string()) continue;
    const CredentialRepository& plain = ctx.services->credentials();  // no secret is opened
    auto c = plain.get(id->get<std::string>());
    if (may_use && c &&
        security::access_to(w.owner, role, c->owner, c->shares) >= security::Access::kRun)
      continue;
    return Status::invalid("node '" + node.value("id", std::string()) + "': credential '" +
                           id->get<std::string>().substr(0, 64) +
                           "' does not exist or the workflow's owner may not use it (credential.use and "
                           "at least run access)");
  }
  return Status::ok();
}

// Tells every activation listener that `next` is (to be) active. When one refuses, those
// before it are put back as they were: to `previous` when the workflow was already active,
// released otherwise.
Status claim_triggers(const ApiContext& ctx, const WorkflowRecord& next, const WorkflowRecord* previous) {
  for (size_t i = 0; i < ctx.activation_listeners.size(); ++i) {
    Status st = ctx.activation_listeners[i]->on_activate(next);
    if (st) continue;
    for (size_t k = 0; k < i; ++k) {
      if (previous) (void)ctx.activation_listeners[k]->on_activate(*previous);
      else ctx.activation_listeners[k]->on_deactivate(next.id);
    }
    return st;
  }
  return Status::ok();
}

// Saves `definition` (a complete document, read-only members already checked and removed) as
// the next version of `current`.
Response save(const ApiContext& ctx, const Request& r, const WorkflowRecord& current, Json definition) {
  Json document = definition;
  document["id"] = current.id;
  document["version"] = current.version + 1;
  if (auto report = validate(ctx, document); !report.ok()) return validation_problem(report, r.path);
  // The triggers of an active workflow follow its new version: a listener may refuse it (409)
  // before anything is saved.
  if (current.active) {
    if (Status st = check_credentials_usable(ctx, current, document); !st) return Response::problem(st);
    WorkflowRecord next = current;
    next.version = current.version + 1;
    next.definition = document;
    if (auto n = document.find("name"); n != document.end() && n->is_string()) next.name = n->get<std::string>();
    if (Status st = claim_triggers(ctx, next, &current); !st) return Response::problem(st);
  }
  auto w = ctx.services->workflows().replace(current.id, std::move(definition), current.revision,
                                             r.principal->acting_user());
  if (!w) {
    // Not saved: the triggers go back to the version that is still current.
    if (current.active) (void)claim_triggers(ctx, current, nullptr);
    return Response::problem(w.status());
  }
  ctx.services->audit().record(r, "workflow.update", "workflow", w->id, {{"version", w->version}});
  publish(ctx, events::EventType::kWorkflowUpdated, w->id, w->version);
  return with_etag(Response::json(workflow_json(*w)), *w);
}

Response replace(const ApiContext& ctx, Request& r) {
  Response refusal;
  auto current = current_for_write(ctx, r, security::Access::kEdit, refusal);
  if (!current) return refusal;
  Json body = r.json;
  if (!body.is_object()) return Response::problem(Status::invalid("the body must be a workflow object"));
  Json shown = workflow_json(*current);
  if (auto refused = strip_read_only(body, &shown); !refused.empty()) return read_only_problem(refused, r.path);
  return save(ctx, r, *current, std::move(body));
}

Response patch(const ApiContext& ctx, Request& r) {
  Response refusal;
  auto current = current_for_write(ctx, r, security::Access::kEdit, refusal);
  if (!current) return refusal;
  Json patch = r.json;
  if (!patch.is_object())
    return Response::problem(Status::invalid("a JSON merge patch of a workflow must be an object"));
  Json shown = workflow_json(*current);
  if (auto refused = strip_read_only(patch, &shown); !refused.empty()) return read_only_problem(refused, r.path);
  Json definition = current->definition.is_object() ? current->definition : Json::object();
  definition.erase("id");
  definition.erase("version");
  definition.merge_patch(patch);
  return save(ctx, r, *current, std::move(definition));
}

Response remove(const ApiContext& ctx, Request& r) {
  Response refusal;
  auto current = current_for_write(ctx, r, security::Access::kOwner, refusal);
  if (!current) return refusal;
  if (auto s = ctx.services->workflows().remove(current->id, current->revision); !s) return Response::problem(s);
  if (current->active)
    for (auto* l : ctx.activation_listeners) l->on_deactivate(current->id);
  ctx.services->audit().record(r, "workflow.delete", "workflow", current->id);
  publish(ctx, events::EventType::kWorkflowDeleted, current->id, 0);
  return Response::no_content();
}

Response versions(const ApiContext& ctx, Request& r) {
  auto page = http::PageRequest::from(r);
  if (!page) return Response::bad_request(page.status());
  Response refusal;
  auto w = accessible_workflow(ctx, r, security::Access::kRead, refusal);
  if (!w) return refusal;
  auto result = ctx.services->workflows().list_versions(w->id, {.limit = page->limit, .cursor = page->cursor});
  if (!result) return Response::bad_request(result.status());
  Json items = Json::array();
  for (const auto& v : result->items) items.push_back(version_json(v));
  return Response::json(http::page_json(std::move(items), result->next_cursor));
}

Response version(const ApiContext& ctx, Request& r) {
  const std::string& text = r.param("version");
  int64_t n = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || n < 1)
    return Response::bad_request("version must be a positive integer, not '" + text + "'");
  Response refusal;
  if (auto w = accessible_workflow(ctx, r, security::Access::kRead, refusal); !w) return refusal;
  auto v = ctx.services->workflows().get_version(r.param("id"), n);
  if (!v) return Response::problem(v.status());
  Response out = Response::json(version_json(*v));
  out.headers.set("ETag", http::etag_of(v->version));
  return out;
}

Response activate(const ApiContext& ctx, Request& r) {
  Response refusal;
  auto w = accessible_workflow(ctx, r, security::Access::kEdit, refusal);
  if (!w) return refusal;
  Json document = w->definition;
  document["id"] = w->id;
  document["version"] = w->version;
  if (auto report = validate(ctx, document); !report.ok()) return validation_problem(report, r.path);
  if (Status st = check_credentials_usable(ctx, *w, document); !st) return Response::problem(st);
  if (Status st = claim_triggers(ctx, *w, w->active ? &*w : nullptr); !st) return Response::problem(st);
  // Pinned to the validated record: a save in between answers 409 rather than activating an
  // unchecked version.
  auto updated = ctx.services->workflows().set_active(w->id, true, w->revision);
  if (!updated) {
    if (!w->active)
      for (auto* l : ctx.activation_listeners) l->on_deactivate(w->id);
    return Response::problem(updated.status());
  }
  ctx.services->audit().record(r, "workflow.activate", "workflow", updated->id, {{"version", updated->version}});
  publish(ctx, events::EventType::kWorkflowActivated, updated->id, updated->version);
  return with_etag(Response::json(workflow_json(*updated)), *updated);
}

Response deactivate(const ApiContext& ctx, Request& r) {
  Response refusal;
  if (auto w = accessible_workflow(ctx, r, security::Access::kEdit, refusal); !w) return refusal;
  auto updated = ctx.services->workflows().set_active(r.param("id"), false);
  if (!updated) return Response::problem(updated.status());
  for (auto* l : ctx.activation_listeners) l->on_deactivate(updated->id);
  ctx.services->audit().record(r, "workflow.deactivate", "workflow", updated->id);
  publish(ctx, events::EventType::kWorkflowDeactivated, updated->id, updated->version);
  return with_etag(Response::json(workflow_json(*updated)), *updated);
}

void add_schemas(http::Router& router) {
  Json object = {{"type", "object"}};
  Json node = {{"type", "object"},
               {"required", {"id", "type", "typeVersion"}},
               {"properties", {{"id", {{"type", "string"}}},
                               {"type", {{"type", "string"}}},
                               {"typeVersion", {{"type", "integer"}}},
                               {"parameters", object},
                               {"settings", object}}}};
  Json edge = {{"type", "object"},
               {"required", {"from", "to"}},
               {"properties", {{"from", {{"type", "string"}}},
                               {"fromPort", {{"oneOf", {{{"type", "integer"}}, {{"type", "string"}}}}}},
                               {"to", {{"type", "string"}}},
                               {"toPort", {{"oneOf", {{{"type", "integer"}}, {{"type", "string"}}}}}}}}};
  Json definition_properties = {{"name", {{"type", "string"}}},
                                {"nodes", {{"type", "array"}, {"items", node}}},
                                {"edges", {{"type", "array"}, {"items", edge}}},
                                {"settings", object}};
  router.add_schema("WorkflowDefinition",
                    {{"type", "object"},
                     {"description", "A workflow document as the executor reads it (weft validate). The "
                                     "server owns id, version, owner, createdAt, updatedAt and active."},
                     {"required", {"name", "nodes"}},
                     {"properties", definition_properties}});
  router.add_schema("WorkflowPatch", {{"type", "object"},
                                      {"description", "A JSON merge patch (RFC 7396) of the workflow definition"},
                                      {"properties", definition_properties}});
  Json workflow_properties = definition_properties;
  workflow_properties["id"] = {{"type", "string"}};
  workflow_properties["version"] = {{"type", "integer"}};
  workflow_properties["active"] = {{"type", "boolean"}};
  workflow_properties["owner"] = {{"type", "string"}};
  workflow_properties["createdAt"] = {{"type", "integer"}, {"description", "ms since the epoch"}};
  workflow_properties["updatedAt"] = {{"type", "integer"}, {"description", "ms since the epoch"}};
  router.add_schema("Workflow",
                    {{"type", "object"},
                     {"required", {"id", "name", "version", "active", "owner", "createdAt", "updatedAt", "nodes"}},
                     {"properties", std::move(workflow_properties)}});
  router.add_schema("WorkflowVersion",
                    {{"type", "object"},
                     {"required", {"workflowId", "version", "author", "createdAt", "definition"}},
                     {"properties", {{"workflowId", {{"type", "string"}}},
                                     {"version", {{"type", "integer"}}},
                                     {"author", {{"type", "string"}}},
                                     {"createdAt", {{"type", "integer"}}},
                                     {"definition", {{"$ref", "#/components/schemas/WorkflowDefinition"}}}}}});
}

}  // namespace

void add_workflow_routes(http::Router& router, const ApiContext& context) {
  add_schemas(router);
  const std::string tag = "workflows";
  router.add("POST", "/api/v1/workflows",
             {.operation_id = "createWorkflow",
              .summary = "Create a workflow (version 1); 422 with the validation report when invalid",
              .tag = tag, .permission = security::Permission::kWorkflowWrite, .body = http::BodyKind::kJson, .request_schema = "WorkflowDefinition",
              .response_schema = "Workflow", .success_status = 201},
             [&context](Request& r) { return create(context, r); });
  router.add("GET", "/api/v1/workflows",
             {.operation_id = "listWorkflows", .summary = "Workflows, filtered and sorted", .tag = tag, .permission = security::Permission::kWorkflowRead,
              .response_schema = "Workflow", .paginated = true,
              .query = {{.name = "name", .description = "only workflows of exactly this name"},
                        {.name = "active", .type = "boolean", .description = "only active (true) or inactive (false) ones"},
                        {.name = "sort", .description = "updatedAt (default) or name"},
                        {.name = "order", .description = "asc or desc; default desc for updatedAt, asc for name"}}},
             [&context](Request& r) { return list(context, r); });
  router.add("GET", "/api/v1/workflows/{id}",
             {.operation_id = "getWorkflow", .summary = "One workflow at its current version (ETag: the version)",
              .tag = tag, .permission = security::Permission::kWorkflowRead, .response_schema = "Workflow"},
             [&context](Request& r) { return get(context, r); });
  router.add("PUT", "/api/v1/workflows/{id}",
             {.operation_id = "replaceWorkflow",
              .summary = "Save a new version (If-Match: the version it replaces; 412 when stale)", .tag = tag, .permission = security::Permission::kWorkflowWrite,
              .body = http::BodyKind::kJson, .request_schema = "WorkflowDefinition", .response_schema = "Workflow"},
             [&context](Request& r) { return replace(context, r); });
  router.add("PATCH", "/api/v1/workflows/{id}",
             {.operation_id = "patchWorkflow",
              .summary = "Merge-patch the definition (RFC 7396) into a new version (If-Match honoured)", .tag = tag, .permission = security::Permission::kWorkflowWrite,
              .body = http::BodyKind::kJson, .request_schema = "WorkflowPatch", .response_schema = "Workflow"},
             [&context](Request& r) { return patch(context, r); });
  router.add("DELETE", "/api/v1/workflows/{id}",
             {.operation_id = "deleteWorkflow", .summary = "Delete a workflow and its versions (If-Match honoured)",
              .tag = tag, .permission = security::Permission::kWorkflowDelete, .success_status = 204},
             [&context](Request& r) { return remove(context, r); });
  router.add("GET", "/api/v1/workflows/{id}/versions",
             {.operation_id = "listWorkflowVersions", .summary = "The saved versions, newest first", .tag = tag, .permission = security::Permission::kWorkflowRead,
              .response_schema = "WorkflowVersion", .paginated = true},
             [&context](Request& r) { return versions(context, r); });
  router.add("GET", "/api/v1/workflows/{id}/versions/{version}",
             {.operation_id = "getWorkflowVersion", .summary = "One saved version", .tag = tag, .permission = security::Permission::kWorkflowRead,
              .response_schema = "WorkflowVersion"},
             [&context](Request& r) { return version(context, r); });
  router.add("POST", "/api/v1/workflows/{id}/activate",
             {.operation_id = "activateWorkflow",
              .summary = "Activate the current version (validated; 422 when invalid, 409 when a trigger is refused)",
              .tag = tag, .permission = security::Permission::kWorkflowWrite, .response_schema = "Workflow"},
             [&context](Request& r) { return activate(context, r); });
  router.add("POST", "/api/v1/workflows/{id}/deactivate",
             {.operation_id = "deactivateWorkflow", .summary = "Deactivate the workflow", .tag = tag, .permission = security::Permission::kWorkflowWrite,
              .response_schema = "Workflow"},
             [&context](Request& r) { return deactivate(context, r); });
}

}  // namespace weft::api
