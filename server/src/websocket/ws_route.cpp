#include "websocket/ws_route.hpp"

#include "services.hpp"
#include "websocket/frame.hpp"

#include <weft/runtime/security/object_access.hpp>

#include <algorithm>

namespace weft::websocket {

namespace {

bool may_read(const auth::Principal& p, const WorkflowRecord& w) {
  return security::access_to(p.acting_user(), p.role, w.owner, w.shares) >= security::Access::kRead;
}

}  // namespace

Result<HubOptions> hub_options_from_config(const Config& config) {
  HubOptions o;
  auto connections = config.get_int_in("server.websocket.maxConnections", 1, 1000000);
  auto queued = config.get_int_in("server.websocket.maxQueuedBytes", 1024, int64_t(1) << 30);
  auto message = config.get_int_in("server.websocket.maxMessageBytes", 256, 16 << 20);
  auto ping = config.get_int_in("server.websocket.pingIntervalMs", 100, 3600000);
  auto revalidate = config.get_int_in("server.websocket.revalidateIntervalMs", 100, 3600000);
  for (const auto* r : {&connections, &queued, &message, &ping, &revalidate})
    if (!*r) return r->status();
  o.max_connections = static_cast<size_t>(*connections);
  o.max_queued_bytes = static_cast<size_t>(*queued);
  o.max_message_bytes = static_cast<size_t>(*message);
  o.ping_interval = std::chrono::milliseconds(*ping);
  o.revalidate_interval = std::chrono::milliseconds(*revalidate);
  return o;
}

HubAccess hub_access(const server::Services& services) {
  HubAccess a;
  a.workflow_readable = [&services](const auth::Principal& p, const std::string& id) {
    if (!p.can(security::Permission::kWorkflowRead) && !p.can(security::Permission::kExecutionRead)) return false;
    auto w = services.workflows().get(id);
    return w && may_read(p, *w);
  };
  a.execution_workflow = [&services](const auth::Principal& p,
                                     const std::string& id) -> std::optional<std::string> {
    if (!p.can(security::Permission::kExecutionRead)) return std::nullopt;
    auto r = services.executions().get(id);
    if (!r) return std::nullopt;
    auto w = services.workflows().get(r->workflow_id);
    // The executions of a deleted workflow are seen by admins only (as on the REST routes).
    if (w ? !may_read(p, *w) : !security::role_sees_everything(p.role)) return std::nullopt;
    return r->workflow_id;
  };
  const auth::ClaimResolver& resolver = services.claim_resolver();
  a.refresh = [&resolver](const auth::Principal& p) { return resolver.refresh(p); };
  return a;
}

void add_websocket_route(http::Router& router, Hub* hub, std::vector<std::string> allowed_origins) {
  http::RouteSpec spec;
  spec.operation_id = "openWebSocket";
  spec.summary = "Live workflow and execution events over a WebSocket (RFC 6455)";
  spec.tag = "events";
  spec.permission = security::Permission::kExecutionRead;
  spec.success_status = 101;
  router.add("GET", "/ws", spec, [hub, origins = std::move(allowed_origins)](http::Request& r) {
    auto refuse = [&](int status, const std::string& detail) {
      auto p = http::Problem::of(status, detail);
      p.instance = r.path;
      return http::Response::problem(p);
    };
    if (r.method != "GET") return refuse(400, "a WebSocket handshake is a GET request");
    if (!r.headers.has_token("Upgrade", "websocket") || !r.headers.has_token("Connection", "upgrade"))
      return refuse(400, "this endpoint needs a WebSocket upgrade (Upgrade: websocket, Connection: Upgrade)");
    if (r.headers.get_or("Sec-WebSocket-Version", "") != "13") {
      http::Response resp = refuse(426, "Sec-WebSocket-Version must be 13");
      resp.headers.set("Sec-WebSocket-Version", "13");
      return resp;
    }
    const std::string key = r.headers.get_or("Sec-WebSocket-Key", "");
    if (!valid_client_key(key)) return refuse(400, "Sec-WebSocket-Key must be the base64 of 16 bytes");
    // A browser sends the session cookie with any page's WebSocket: only pages of an allowed
    // origin may use it (cross-site WebSocket hijacking).
    if (r.principal->via_cookie) {
      auto origin = r.headers.get("Origin");
      if (!origin || std::find(origins.begin(), origins.end(), *origin) == origins.end())
        return refuse(403, origin ? "the Origin is not in server.allowedOrigins"
                                  : "a session-cookie WebSocket upgrade needs an Origin in server.allowedOrigins");
    }
    if (!hub) return refuse(503, "WebSockets are not served by this process");
    http::Response resp;
    resp.status = 101;
    resp.headers.set("Upgrade", "websocket");
    resp.headers.set("Sec-WebSocket-Accept", accept_key(key));
    auth::Principal principal = *r.principal;
    resp.upgrade = [hub, principal](const Poco::Net::StreamSocket& socket) { hub->adopt(socket, principal); };
    return resp;
  });
}

}  // namespace weft::websocket
