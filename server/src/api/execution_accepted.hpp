// The 202 answer of a started execution (runs, retries, cancels, webhooks): the id, its
// status, and where to read it.
#pragma once

#include "http/response.hpp"

#include <string>

namespace weft::api {

// 202 {"executionId": id, "status": status} with Location: /api/v1/executions/{id}.
inline http::Response execution_accepted(const std::string& id, const char* status) {
  http::Response out = http::Response::json(202, {{"executionId", id}, {"status", status}});
  out.headers.set("Location", "/api/v1/executions/" + id);
  return out;
}

}  // namespace weft::api
