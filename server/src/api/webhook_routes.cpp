// /webhook/<path>: the webhooks of active workflows (WebhookRegistry). Public routes: each
// webhook node decides its own caller check (webhook_auth.hpp). The request becomes the
// trigger item (webhook_request.hpp), and the node's responseMode decides the answer:
//   onReceived    202 {"executionId", "status": "queued"} at once
//   lastNode      the first item of the final node that finished last (200; 204 without
//                 items), its "webhook" member left out so the request is not echoed back
//   responseNode  the {status, headers, body} a weft.respond node set
// Waiting is bounded by server.waitTimeoutMs: past it the answer is 202 with the execution id
// (the execution goes on). A failed execution answers 500 with its id only: its error may
// hold details the caller should not see (read it over the API).
#include "api/api_routes.hpp"
#include "api/execution_accepted.hpp"
#include "executions/execution_service.hpp"
#include "http/rate_limit_options.hpp"
#include "http/route_template.hpp"
#include "logging/logger.hpp"
#include "services.hpp"
#include "webhooks/webhook_auth.hpp"
#include "webhooks/webhook_registry.hpp"
#include "webhooks/webhook_request.hpp"

#include <cctype>
#include <chrono>

namespace weft::api {

namespace {

using http::Problem;
using http::Request;
using http::Response;
using server::WebhookTarget;

Response with_instance(Problem p, const Request& r) {
  p.instance = r.path;
  return Response::problem(p);
}

Response failed(const Request& r, const ExecutionRecord& record) {
  Problem p = Problem::typed(500, "execution-failed", "The workflow's execution did not succeed",
                             "execution " + record.id + " ended " + execution_state_name(record.status));
  p.with("executionId", record.id);
  p.with("status", execution_state_name(record.status));
  return with_instance(std::move(p), r);
}

// Response headers a weft.respond node may not set: framing and what the server owns.
bool reserved_header(std::string_view name) {
  for (const char* h : {"content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "trailer",
                        "te", "date", "x-request-id"})
    if (http::equals_ignore_case(name, h)) return true;
  return false;
}

// The HTTP response a weft.respond node described: {status, headers?, body?}.
Response from_respond_node(const Request& r, const Json& spec) {
  const int status = spec.value("status", 200);
  if (status < 200 || status > 599) {
    logging::warn("webhooks", "weft.respond set a status outside 200 to 599", {{"route", r.route}, {"status", status}});
    return with_instance(Problem::typed(500, "webhook-bad-response", "The workflow set an invalid response",
                                        "the response status must be from 200 to 599"),
                         r);
  }
  Response out;
  out.status = status;
  if (auto h = spec.find("headers"); h != spec.end() && h->is_object())
    for (const auto& [name, value] : h->items()) {
      if (!value.is_string() || reserved_header(name)) continue;
      const std::string& v = value.get_ref<const std::string&>();
      if (v.find_first_of("\r\n") != std::string::npos) continue;
      out.headers.add(name, v);
    }
  auto body = spec.find("body");
  if (body == spec.end() || status == 204 || status == 304) return out;
  if (body->is_string() && out.headers.has("Content-Type")) {
    out.body = body->get<std::string>();
  } else if (body->is_string()) {
    out.body = body->get<std::string>();
    out.headers.set("Content-Type", "text/plain; charset=utf-8");
  } else {
    Response json = Response::json(status, *body);
    out.body = std::move(json.body);
    out.headers.set_default("Content-Type", http::kJsonContentType);
  }
  return out;
}

Response answer(const ApiContext& ctx, const Request& r, const WebhookTarget& target,
                const server::ExecutionService::Ticket& ticket) {
  const auto deadline = server::ExecutionService::Clock::now() +
                        std::chrono::milliseconds(ctx.config->get_int("server.waitTimeoutMs"));
  auto outcome = ctx.executions->wait(ticket, deadline);
  if (!outcome) return execution_accepted(ticket.id(), "running");
  if (target.response_mode == WebhookTarget::ResponseMode::kResponseNode) {
    if (outcome->response) return from_respond_node(r, *outcome->response);
    if (outcome->record.status != ExecutionState::kSuccess) return failed(r, outcome->record);
    return with_instance(Problem::typed(500, "webhook-no-response", "The workflow did not respond",
                                        "the execution " + ticket.id() + " finished without running a weft.respond node"),
                         r);
  }
  if (outcome->record.status != ExecutionState::kSuccess) return failed(r, outcome->record);
  if (outcome->last_output.empty()) return Response::no_content();
  Json first = *outcome->last_output.front();
  if (first.is_object()) first.erase("webhook");
  return Response::json(200, first);
}

Response handle(const ApiContext& ctx, Request& r) {
  auto segments = http::split_path(r.path);
  if (!segments || segments->empty())
    return with_instance(Problem::of(400, "the path holds a malformed percent-escape"), r);
  segments->erase(segments->begin());  // "webhook"
  auto found = ctx.webhooks->find(r.method, *segments);
  if (!found.target) {
    if (found.allowed.empty())
      return with_instance(Problem::of(404, "no active workflow serves a webhook at this path"), r);
    std::string allow;
    for (const auto& m : found.allowed) allow += (allow.empty() ? "" : ", ") + m;
    Response out = with_instance(Problem::of(405, "this webhook answers " + allow), r);
    out.headers.set("Allow", allow);
    return out;
  }
  const WebhookTarget& target = *found.target;

  auto auth = server::check_webhook_auth(target, r.headers, ctx.services->credentials());
  switch (auth.kind) {
    case server::WebhookAuthOutcome::Kind::kAccepted: break;
    case server::WebhookAuthOutcome::Kind::kRejected: {
      Response out = with_instance(Problem::of(401, auth.reason), r);
      if (target.auth == WebhookTarget::Auth::kBasic)
        out.headers.set("WWW-Authenticate", "Basic realm=\"weft webhook\", charset=\"UTF-8\"");
      return out;
    }
    case server::WebhookAuthOutcome::Kind::kMisconfigured:
      logging::error("webhooks", auth.reason, {{"workflowId", target.workflow_id}});
      return with_instance(Problem::typed(500, "webhook-misconfigured", "The webhook cannot check its callers",
                                          "the webhook's credential is missing or of the wrong type"),
                           r);
    case server::WebhookAuthOutcome::Kind::kUnavailable:
      logging::warn("webhooks", auth.reason, {{"workflowId", target.workflow_id}});
      return with_instance(http::problem_from_status(Status::unavailable("credentials cannot be read right now; retry later")), r);
  }

  Problem problem;
  auto item = server::webhook_item(r, target.path(), found.params, auth.secret_header, problem);
  if (!item) return with_instance(std::move(problem), r);

  server::Submission s;
  s.workflow_id = target.workflow_id;
  s.version = target.version;
  s.definition = target.definition;
  s.input = {make_item(std::move(*item))};
  s.mode = "webhook";
  auto ticket = ctx.executions->submit(std::move(s));
  if (!ticket) {
    if (ticket.status().code() == Code::kUnavailable) return with_instance(http::problem_from_status(ticket.status()), r);
    logging::error("webhooks", "the workflow cannot run",
                   {{"workflowId", target.workflow_id}, {"error", ticket.status().message()}});
    return with_instance(http::problem_from_status(Status::internal("")), r);
  }
  // The caller is whoever passed the webhook's own check (anonymous to the auth chain): the
  // event keeps its address and request id.
  ctx.services->audit().record(r, "execution.start", "execution", ticket->id(),
                               {{"workflowId", target.workflow_id}, {"mode", "webhook"}});
  if (target.response_mode == WebhookTarget::ResponseMode::kOnReceived)
    return execution_accepted(ticket->id(), "queued");
  return answer(ctx, r, target, *ticket);
}

}  // namespace

void add_webhook_routes(http::Router& router, const ApiContext& context) {
  for (const char* method : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}) {
    http::RouteSpec spec;
    std::string m = method;
    spec.operation_id = "webhook" + m.substr(0, 1) + [&] {
      std::string rest = m.substr(1);
      for (auto& c : rest) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return rest;
    }();
    spec.summary = "Start the active workflow whose weft.webhook node serves " + m + " at this path";
    spec.tag = "webhooks";
    spec.is_public = true;
    spec.body = http::BodyKind::kRaw;
    spec.limit_group = http::kLimitGroupWebhooks;
    router.add(m, "/webhook/{path...}", spec, [&context](Request& r) { return handle(context, r); });
  }
}

}  // namespace weft::api
