// The route table: (method, path template) -> handler plus the metadata the OpenAPI document is
// generated from, so the document cannot drift from the routes. Built once before the server
// starts; read-only (and so thread-safe) while it serves.
#pragma once

#include "http/request.hpp"
#include "http/response.hpp"
#include "http/route_template.hpp"

#include <weft/runtime/json.hpp>
#include <weft/runtime/security/permissions.hpp>

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft::http {

// What a route reads from the request body before its handler runs.
enum class BodyKind {
  kNone,  // nothing is expected; a body is still read (within the limit) and left in body
  kJson,  // Content-Type must be application/json (415 otherwise); parsed into Request::json
  kRaw,   // any content type, left as bytes in Request::body
};

struct QueryParamSpec {
  std::string name;
  std::string type = "string";  // OpenAPI type: string, integer, boolean
  std::string description;
  bool required = false;
};

struct RouteSpec {
  std::string operation_id;  // unique, camelCase: "listWorkflows"
  std::string summary;
  std::string tag;           // OpenAPI tag grouping the operation
  bool is_public = false;    // true: no auth chain (only DESIGN.md's public routes)
  // What the caller must be allowed to do (security/permissions.hpp); the dispatcher answers
  // 403 before the handler runs when the principal lacks it. Every non-public route names one,
  // unless it is `self_service`. The handler still checks the OBJECT (owner, shares) itself.
  std::optional<security::Permission> permission;
  // True for a route any authenticated caller may use on its own things (its session, its API
  // keys): it needs no permission. Router::add refuses a non-public route with neither.
  bool self_service = false;
  BodyKind body = BodyKind::kNone;
  std::string request_schema;   // component schema of a JSON body (must be registered)
  std::string response_schema;  // component schema of the success body; empty: none documented
  // The success body's media type in the OpenAPI document; empty: application/json.
  std::string response_content_type;
  int success_status = 200;
  // Further success answers: status -> component schema (run's 200 with ?wait=true).
  std::map<int, std::string> other_responses;
  // Takes `limit` and `cursor` and answers {"items": [response_schema], "nextCursor"}.
  bool paginated = false;
  std::vector<QueryParamSpec> query;
  // The rate-limit group whose buckets the route draws from (rate_limit_options.hpp); empty:
  // never limited.
  std::string limit_group = "default";
};

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  RouteTemplate path;
  RouteSpec spec;
  Handler handler;
};

class Router {
 public:
  // Registers a route. Throws std::logic_error on a malformed template, a (method, template)
  // already taken, an operationId used twice, or a schema that is not registered yet: these
  // are programming errors, caught by any test that builds the table.
  void add(std::string method, std::string_view path_template, RouteSpec spec, Handler handler);

  // Registers an OpenAPI component schema under `name` (referenced by RouteSpec).
  void add_schema(std::string name, Json schema);

  struct Match {
    enum class Kind {
      kFound,             // route is set; params hold the decoded path parameters
      kNotFound,          // no template matches the path
      kMethodNotAllowed,  // templates match, none for this method; allowed lists the methods
      kBadPath,           // a malformed percent escape (400)
    };
    Kind kind = Kind::kNotFound;
    const Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> params;
    std::vector<std::string> allowed;  // sorted; HEAD included where GET is
  };

  // Finds the most specific route for `method` and the percent-encoded `path`. HEAD falls
  // back to the GET route of the same path.
  Match match(std::string_view method, std::string_view path) const;

  // Every route, in registration order. References stay valid while the router lives.
  const std::deque<Route>& routes() const { return routes_; }
  const std::map<std::string, Json>& schemas() const { return schemas_; }

 private:
  std::deque<Route> routes_;
  std::map<std::string, Json> schemas_;
};

}  // namespace weft::http
