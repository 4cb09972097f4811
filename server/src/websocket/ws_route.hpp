// GET /ws: the WebSocket handshake (RFC 6455 section 4.2). The dispatcher has authenticated
// the request like any other route (bearer token, API key or session cookie); this handler
// then checks the upgrade headers (400 / 426), refuses a cookie-authenticated upgrade whose
// Origin is not in server.allowedOrigins (403, before upgrading: the cross-site WebSocket
// hijacking guard), and answers 101, handing the socket to the hub.
#pragma once

#include "http/router.hpp"
#include "websocket/hub.hpp"

#include <weft/runtime/config.hpp>

#include <string>
#include <vector>

namespace weft::server {
class Services;
}

namespace weft::websocket {

// The hub's settings from server.websocket.* (kInvalid naming the key when out of range).
Result<HubOptions> hub_options_from_config(const Config& config);

// What principals may watch: workflow read access through ownership or a share
// (security/object_access.hpp), executions through their workflow. OWNERSHIP: borrows
// `services`, which must outlive the hub.
HubAccess hub_access(const server::Services& services);

// Registers GET /ws. `hub` null (weft serve --print-routes): the route is documented, never
// served. OWNERSHIP: borrows `hub`, which must outlive the router.
void add_websocket_route(http::Router& router, Hub* hub, std::vector<std::string> allowed_origins);

}  // namespace weft::websocket
