#include "api/api_routes.hpp"

namespace weft::api {

std::unique_ptr<http::Router> build_router(const ApiContext& context) {
  auto router = std::make_unique<http::Router>();
  add_system_routes(*router, context);
  add_catalog_routes(*router, context);
  add_auth_routes(*router, context);
  add_workflow_routes(*router, context);
  add_execution_routes(*router, context);
  add_api_key_routes(*router, context);
  add_credential_routes(*router, context);
  add_share_routes(*router, context);
  add_user_routes(*router, context);
  add_admin_routes(*router, context);
  add_audit_routes(*router, context);
  add_webhook_routes(*router, context);
  return router;
}

http::OpenApiInfo default_openapi_info() {
  http::OpenApiInfo info;
  info.title = "weft";
  info.version = WEFT_VERSION;
  info.description = "The HTTP API of weft, a workflow automation engine. Errors are problem documents "
                     "(RFC 9457); lists use cursor pagination (limit, cursor -> nextCursor).";
  info.security_schemes = {
      {"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}},
      {"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
      // A browser session (auth.sessionCookie): unsafe requests also need X-CSRF-Token.
      {"sessionCookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "__Host-weft-session"}}},
  };
  return info;
}

}  // namespace weft::api
