// The OpenAPI 3.0 document of a router, generated from its table (paths, methods,
// operationIds, parameters, bodies, component schemas) so it cannot drift from the routes.
#pragma once

#include "http/router.hpp"

#include <weft/runtime/json.hpp>

#include <string>

namespace weft::http {

struct OpenApiInfo {
  std::string title = "weft";
  std::string version;      // the server's version
  std::string description;
  // components.securitySchemes; every non-public operation accepts any one of them.
  Json security_schemes = Json::object();
};

// The schema of a problem document (RFC 9457), as components.schemas.Problem.
const Json& problem_schema();

// The document. Path parameters come from the templates ({name...} is documented as {name});
// a paginated route gets `limit` and `cursor` and a page of its response schema; every
// operation documents the Problem response for its errors, non-public ones 401 too.
Json openapi_document(const Router& router, const OpenApiInfo& info);

// The OpenAPI path of a route template: a rest parameter "{name...}" is "{name}" there.
std::string openapi_path(const RouteTemplate& route_template);

}  // namespace weft::http
