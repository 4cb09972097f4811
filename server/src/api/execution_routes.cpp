// POST /api/v1/workflows/{id}/run and /api/v1/executions: running workflows through the
// ExecutionService and reading, cancelling, retrying and deleting their records.
//
// An execution is answered as its stored record (execution_record.hpp): id, workflowId,
// workflowVersion, mode, status, startedAt, finishedAt, durationMs, retryOf, input, error,
// nodes (per-node runs), result, dataSaved and response when set.
//
// Access follows the execution's workflow (api/access.hpp): read access shows its executions,
// run access runs it and cancels or retries them, deleting a record takes the owner. The
// executions of a deleted workflow are seen by admins only.
#include "api/access.hpp"
#include "api/api_routes.hpp"
#include "api/visible_page.hpp"
#include "api/execution_accepted.hpp"
#include "executions/execution_service.hpp"
#include "http/json_body.hpp"
#include "http/pagination.hpp"
#include "http/query_params.hpp"
#include "services.hpp"

#include <chrono>
#include <limits>
#include <map>
#include <string>

namespace weft::api {

namespace {

using http::Request;
using http::Response;

Response validation_problem(const ValidationReport& report, const std::string& instance) {
  std::string first = report.problems.empty() ? "it does not plan" : report.problems.front().message;
  auto p = http::Problem::of(422, std::to_string(report.problems.size()) + " problem" +
                                      (report.problems.size() == 1 ? "" : "s") +
                                      " in the workflow's current version: " + first);
  p.instance = instance;
  p.with("errors", report.to_json());
  return Response::problem(p);
}

// The trigger items of a run body: none/empty, or {"items": [objects]}.
Result<Items> items_of(const Request& r) {
  Items items;
  if (r.body.empty()) return items;
  http::Problem problem;
  auto body = http::parse_json_body(r.body, problem);
  if (!body) return Status::invalid(problem.detail);
  if (!body->is_object()) return Status::invalid("the body must be an object like {\"items\": [{...}]}");
  auto it = body->find("items");
  if (it == body->end() || it->is_null()) return items;
  if (!it->is_array()) return Status::invalid("items must be an array of objects");
  for (size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_object()) return Status::invalid("items[" + std::to_string(i) + "] is not an object");
    items.push_back(make_item((*it)[i]));
  }
  return items;
}

// The items stored in a record's input.
Items items_of(const Json& input) {
  Items items;
  if (input.is_array())
    for (const auto& j : input) items.push_back(make_item(j));
  return items;
}

// The caller's access to the executions of workflow `workflow_id` (kNone when it is gone, unless
// the caller sees everything). `cache` remembers workflows already read for this request.
security::Access workflow_access(const ApiContext& ctx, const Request& r, const std::string& workflow_id,
                                 std::map<std::string, security::Access>* cache = nullptr) {
  if (cache)
    if (auto it = cache->find(workflow_id); it != cache->end()) return it->second;
  auto w = ctx.services->workflows().get(workflow_id);
  security::Access a = w ? access_of(r, w->owner, w->shares)
                         : (sees_everything(r) ? security::Access::kOwner : security::Access::kNone);
  if (cache) cache->emplace(workflow_id, a);
  return a;
}

// The execution `id` when the caller has `needed` access to its workflow: the same 404 as an
// unknown id without any, 403 with too little. `refusal` is set on failure.
Result<ExecutionRecord> accessible_execution(const ApiContext& ctx, const Request& r, security::Access needed,
                                             Response& refusal) {
  const std::string& id = r.param("id");
  auto e = ctx.services->executions().get(id);
  if (!e) {
    refusal = Response::problem(e.status());
    return e.status();
  }
  const security::Access has = workflow_access(ctx, r, e->workflow_id);
  if (has < needed) {
    auto p = has == security::Access::kNone
                 ? http::Problem::of(404, "execution '" + id + "' not found")
                 : http::Problem::of(403, "this needs " + std::string(security::access_name(needed)) +
                                              " access to workflow '" + e->workflow_id + "'");
    p.instance = r.path;
    refusal = Response::problem(p);
    return Status::not_found("no access");
  }
  return e;
}

// Submits `s` and answers 202, or with ?wait=true the finished record (200) when it ends
// within server.waitTimeoutMs (202 with status "running" otherwise).
Response submit(const ApiContext& ctx, const Request& r, server::Submission s) {
  auto wait = http::query_bool(r, "wait", false);
  if (!wait) return Response::bad_request(wait.status());
  ValidationReport report;
  const std::string ticket_workflow = s.workflow_id;
  const std::string mode = s.mode;
  auto ticket = ctx.executions->submit(std::move(s), &report);
  if (!ticket) {
    if (ticket.status().code() == Code::kInvalid && !report.problems.empty()) return validation_problem(report, r.path);
    return Response::problem(ticket.status());
  }
  const std::string& id = ticket->id();
  ctx.services->audit().record(r, "execution.start", "execution", id,
                               {{"workflowId", ticket_workflow}, {"mode", mode}});
  if (!*wait) return execution_accepted(id, "queued");
  const int64_t timeout_ms = ctx.config->get_int("server.waitTimeoutMs");
  auto finished = ctx.executions->wait(*ticket, server::ExecutionService::Clock::now() +
                                                    std::chrono::milliseconds(timeout_ms));
  if (!finished) return execution_accepted(id, "running");
  Response out = Response::json(200, std::move(finished->record).body());
  out.headers.set("Location", "/api/v1/executions/" + id);
  return out;
}

Response run(const ApiContext& ctx, Request& r) {
  auto items = items_of(r);
  if (!items) return Response::bad_request(items.status());
  auto w = ctx.services->workflows().get(r.param("id"));
  if (!w) return Response::problem(w.status());
  if (auto refused = require_access(r, w->owner, w->shares, security::Access::kRun, "workflow", w->id))
    return *refused;
  server::Submission s;
  s.workflow_id = w->id;
  s.version = w->version;
  s.definition = w->definition;
  s.input = std::move(*items);
  s.mode = "api";
  return submit(ctx, r, std::move(s));
}

Response list(const ApiContext& ctx, Request& r) {
  auto page = http::PageRequest::from(r);
  if (!page) return Response::bad_request(page.status());
  ExecutionQuery q;
  q.page.limit = page->limit;
  q.page.cursor = page->cursor;
  if (auto w = r.query("workflowId")) q.workflow_id = *w;
  if (auto s = r.query("status")) {
    auto state = parse_execution_state(*s);
    if (!state)
      return Response::bad_request("status must be queued, running, success, error, cancelled or interrupted, not '" +
                                   s->substr(0, 40) + "'");
    q.status = *state;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (r.query("startedFrom")) {
    auto v = http::query_int(r, "startedFrom", 0, 0, kMax);
    if (!v) return Response::bad_request(v.status());
    q.started_from_ms = *v;
  }
  if (r.query("startedBefore")) {
    auto v = http::query_int(r, "startedBefore", 0, 0, kMax);
    if (!v) return Response::bad_request(v.status());
    q.started_before_ms = *v;
  }
  std::map<std::string, security::Access> seen;
  auto result = visible_page<ExecutionRecord>(
      q.page,
      [&](const PageRequest& p) {
        q.page = p;
        return ctx.services->executions().list(q);
      },
      [&](const ExecutionRecord& e) { return workflow_access(ctx, r, e.workflow_id, &seen) >= security::Access::kRead; });
  if (!result) return Response::bad_request(result.status());
  Json items = Json::array();
  for (auto& e : result->items) items.push_back(std::move(e).body());
  return Response::json(http::page_json(std::move(items), result->next_cursor));
}

Response get(const ApiContext& ctx, Request& r) {
  Response refusal;
  auto e = accessible_execution(ctx, r, security::Access::kRead, refusal);
  if (!e) return refusal;
  return Response::json(std::move(*e).body());
}

Response cancel(const ApiContext& ctx, Request& r) {
  const std::string& id = r.param("id");
  Response refusal;
  auto e = accessible_execution(ctx, r, security::Access::kRun, refusal);
  if (!e) return refusal;
  if (ctx.executions->cancel(id)) {
    ctx.services->audit().record(r, "execution.cancel", "execution", id, {{"workflowId", e->workflow_id}});
    return execution_accepted(id, "cancelling");
  }
  if (is_finished(e->status))
    return Response::problem(Status::conflict("execution " + id + " already finished (" +
                                              execution_state_name(e->status) + ")"));
  // Queued or running in the store but not here: a record left by another process.
  return Response::problem(Status::conflict("execution " + id + " is not running in this server"));
}

Response retry(const ApiContext& ctx, Request& r) {
  Response refusal;
  auto previous = accessible_execution(ctx, r, security::Access::kRun, refusal);
  if (!previous) return refusal;
  std::string which = "pinned";
  if (!r.body.empty()) {
    http::Problem problem;
    auto body = http::parse_json_body(r.body, problem);
    if (!body) return Response::bad_request(problem.detail);
    if (!body->is_object()) return Response::bad_request("the body must be an object like {\"version\": \"pinned\"}");
    if (auto v = body->find("version"); v != body->end() && !v->is_null()) {
      if (!v->is_string() || (*v != "pinned" && *v != "current"))
        return Response::bad_request("version must be \"pinned\" or \"current\"");
      which = v->get<std::string>();
    }
  }
  if (!is_finished(previous->status))
    return Response::problem(Status::conflict("execution " + previous->id + " has not finished; cancel it first"));
  if (!previous->data_saved)
    return Response::problem(Status::conflict("execution " + previous->id +
                                              " was recorded without its data; its input cannot be replayed"));
  server::Submission s;
  s.workflow_id = previous->workflow_id;
  s.input = items_of(previous->input);
  s.mode = "retry";
  s.retry_of = previous->id;
  if (which == "current") {
    auto w = ctx.services->workflows().get(previous->workflow_id);
    if (!w) return Response::problem(w.status());
    s.version = w->version;
    s.definition = w->definition;
  } else {
    auto v = ctx.services->workflows().get_version(previous->workflow_id, previous->workflow_version);
    if (!v) return Response::problem(v.status());
    s.version = v->version;
    s.definition = v->definition;
  }
  return submit(ctx, r, std::move(s));
}

Response remove(const ApiContext& ctx, Request& r) {
  const std::string& id = r.param("id");
  Response refusal;
  auto e = accessible_execution(ctx, r, security::Access::kOwner, refusal);
  if (!e) return refusal;
  if (ctx.executions->active(id))
    return Response::problem(Status::conflict("execution " + id + " is still running; cancel it first"));
  if (!is_finished(e->status))
    return Response::problem(Status::conflict("execution " + id + " is still " + execution_state_name(e->status)));
  if (Status s = ctx.services->executions().remove(id); !s) return Response::problem(s);
  ctx.services->audit().record(r, "execution.delete", "execution", id, {{"workflowId", e->workflow_id}});
  return Response::no_content();
}

void add_schemas(http::Router& router) {
  Json object = {{"type", "object"}};
  Json string = {{"type", "string"}};
  Json item_list = {{"type", "array"}, {"items", object}};
  Json run_request = object;
  run_request["properties"]["items"] = item_list;
  router.add_schema("RunRequest", run_request);
  Json version = string;
  version["enum"] = Json::array({"pinned", "current"});
  Json retry_request = object;
  retry_request["properties"]["version"] = version;
  router.add_schema("RetryRequest", retry_request);
  Json accepted_schema = object;
  accepted_schema["required"] = Json::array({"executionId", "status"});
  accepted_schema["properties"]["executionId"] = string;
  accepted_schema["properties"]["status"] = string;
  router.add_schema("ExecutionAccepted", accepted_schema);
  Json nullable_int = {{"type", "integer"}, {"nullable", true}};
  router.add_schema(
      "Execution",
      {{"type", "object"},
       {"required", {"id", "workflowId", "workflowVersion", "mode", "status", "startedAt", "nodes"}},
       {"properties",
        {{"id", {{"type", "string"}}},
         {"workflowId", {{"type", "string"}}},
         {"workflowVersion", {{"type", "integer"}}},
         {"mode", {{"type", "string"}}},
         {"status", {{"type", "string"},
                     {"enum", {"queued", "running", "success", "error", "cancelled", "interrupted"}}}},
         {"startedAt", {{"type", "integer"}, {"description", "ms since the epoch"}}},
         {"finishedAt", nullable_int},
         {"durationMs", nullable_int},
         {"retryOf", {{"type", "string"}, {"nullable", true}}},
         {"input", {{"type", "array"}}},
         {"error", {{"type", "object"}, {"nullable", true}}},
         {"nodes", {{"type", "array"}, {"items", {{"type", "object"}}}}},
         {"result", {{"type", "object"}}},
         {"response", Json::object()},
         {"dataSaved", {{"type", "boolean"}}}}}});
}

}  // namespace

void add_execution_routes(http::Router& router, const ApiContext& context) {
  add_schemas(router);
  const std::string tag = "executions";
  const http::QueryParamSpec wait = {.name = "wait", .type = "boolean",
                                     .description = "false (default): 202 at once; true: 200 with the finished "
                                                    "Execution when it ends within server.waitTimeoutMs, else 202"};
  router.add("POST", "/api/v1/workflows/{id}/run",
             {.operation_id = "runWorkflow",
              .summary = "Run the current version with {\"items\": [...]} (optional): 202, or with ?wait=true the "
                         "finished execution (200) when it ends within server.waitTimeoutMs; 503 when the queue is full",
              .tag = tag, .permission = security::Permission::kWorkflowExecute, .request_schema = "RunRequest", .response_schema = "ExecutionAccepted",
              .success_status = 202, .other_responses = {{200, "Execution"}},
              .query = {wait}},
             [&context](Request& r) { return run(context, r); });
  router.add("GET", "/api/v1/executions",
             {.operation_id = "listExecutions", .summary = "Executions, newest first", .tag = tag, .permission = security::Permission::kExecutionRead,
              .response_schema = "Execution", .paginated = true,
              .query = {{.name = "workflowId", .description = "only executions of this workflow"},
                        {.name = "status", .description = "queued, running, success, error, cancelled or interrupted"},
                        {.name = "startedFrom", .type = "integer", .description = "startedAt >= this (ms since the epoch)"},
                        {.name = "startedBefore", .type = "integer", .description = "startedAt < this (ms since the epoch)"}}},
             [&context](Request& r) { return list(context, r); });
  router.add("GET", "/api/v1/executions/{id}",
             {.operation_id = "getExecution", .summary = "One execution with its per-node runs", .tag = tag, .permission = security::Permission::kExecutionRead,
              .response_schema = "Execution"},
             [&context](Request& r) { return get(context, r); });
  router.add("POST", "/api/v1/executions/{id}/cancel",
             {.operation_id = "cancelExecution", .summary = "Cancel a queued or running execution (409 when finished)",
              .tag = tag, .permission = security::Permission::kExecutionCancel, .response_schema = "ExecutionAccepted", .success_status = 202},
             [&context](Request& r) { return cancel(context, r); });
  router.add("POST", "/api/v1/executions/{id}/retry",
             {.operation_id = "retryExecution",
              .summary = "Run a finished execution again with the same input, on its pinned version (default) or "
                         "the workflow's current one ({\"version\": \"current\"}); ?wait=true as for run",
              .tag = tag, .permission = security::Permission::kExecutionRetry, .request_schema = "RetryRequest", .response_schema = "ExecutionAccepted",
              .success_status = 202, .other_responses = {{200, "Execution"}},
              .query = {wait}},
             [&context](Request& r) { return retry(context, r); });
  router.add("DELETE", "/api/v1/executions/{id}",
             {.operation_id = "deleteExecution", .summary = "Delete a finished execution (409 while it runs)",
              .tag = tag, .permission = security::Permission::kWorkflowDelete, .success_status = 204},
             [&context](Request& r) { return remove(context, r); });
}

}  // namespace weft::api
