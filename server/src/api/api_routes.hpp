// The route table of `weft serve`. Each group of routes has its own add_* function; build_router
// registers them all in a fixed order (the order of the OpenAPI document).
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

#include <memory>

namespace weft::api {

// GET /health, GET /ready (public) and GET /api/v1/openapi.json (public; generated from
// `router` itself on first request, so call it while building and let the router live on).
void add_system_routes(http::Router& router, const ApiContext& context);

// GET /api/v1/node-types and GET /api/v1/plugins.
void add_catalog_routes(http::Router& router, const ApiContext& context);

// POST/GET /api/v1/api-keys, GET/DELETE /api/v1/api-keys/{id}: the caller's API keys.
void add_api_key_routes(http::Router& router, const ApiContext& context);

// POST/GET /api/v1/credentials, GET/PATCH/DELETE /api/v1/credentials/{id}: the caller's
// credentials; secret fields are never answered (credential_routes.cpp).
void add_credential_routes(http::Router& router, const ApiContext& context);

// /api/v1/workflows: create, list, get, replace, merge-patch, delete, versions, activate and
// deactivate (workflow_routes.cpp).
void add_workflow_routes(http::Router& router, const ApiContext& context);

// /api/v1/{workflows,credentials}/{id}/shares: the owner shares an object at read, run or edit.
void add_share_routes(http::Router& router, const ApiContext& context);

// POST /api/v1/workflows/{id}/run and /api/v1/executions (execution_routes.cpp).
void add_execution_routes(http::Router& router, const ApiContext& context);

// GET /api/v1/admin/storage and PUT /api/v1/admin/storage/mode (admins only).
void add_admin_routes(http::Router& router, const ApiContext& context);

// GET /api/v1/audit: the audit log, newest first (audit.read: admins).
void add_audit_routes(http::Router& router, const ApiContext& context);

// POST/GET /api/v1/users, GET/PATCH/DELETE /api/v1/users/{id}: admins manage users
// (user_routes.cpp).
void add_user_routes(http::Router& router, const ApiContext& context);

// /webhook/{path...} for every method: the webhooks of active workflows (webhook_routes.cpp).
void add_webhook_routes(http::Router& router, const ApiContext& context);

// POST /api/v1/auth/login, /refresh (public), /logout and GET /api/v1/auth/me: password
// sign-in with JWT access tokens and rotating refresh tokens (auth_routes.cpp).
void add_auth_routes(http::Router& router, const ApiContext& context);

// The whole table. OWNERSHIP: the handlers borrow `context`, which must outlive the router.
std::unique_ptr<http::Router> build_router(const ApiContext& context);

// The OpenAPI info of weft's API: title, version and the security schemes of the shipped auth
// providers (API key as X-API-Key or bearer token).
http::OpenApiInfo default_openapi_info();

}  // namespace weft::api
