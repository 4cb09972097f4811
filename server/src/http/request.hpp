// A request as a handler sees it: head, decoded path and query parameters, the body (already
// read within server.maxBodyBytes), the matched route template and the principal.
#pragma once

#include "auth/principal.hpp"
#include "http/headers.hpp"

#include <weft/runtime/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft::http {

struct Request {
  std::string method;        // as sent: "GET"
  std::string target;        // the raw request-target: "/api/v1/workflows?limit=5"
  std::string path;          // the target's path, still percent-encoded
  std::string query_string;  // the raw text after '?'
  HeaderList headers;
  std::string body;  // read and bounded before the handler runs
  Json json;         // the parsed body for routes that take JSON; null otherwise

  // The matched route template ("/api/v1/workflows/{id}"): for access logs and metrics.
  std::string route;
  std::map<std::string, std::string, std::less<>> path_params;        // decoded
  std::vector<std::pair<std::string, std::string>> query_params;      // decoded, in order
  // Set before the handler of every non-public route runs.
  std::optional<auth::Principal> principal;
  std::string request_id;      // echoed as X-Request-Id
  std::string remote_address;  // "127.0.0.1:53412"

  // The decoded path parameter `name` of the route template; empty when there is none.
  const std::string& param(std::string_view name) const;
  // The first value of query parameter `name`.
  std::optional<std::string> query(std::string_view name) const;
  // Every value of query parameter `name`.
  std::vector<std::string> query_all(std::string_view name) const;
};

}  // namespace weft::http
