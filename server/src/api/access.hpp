// Role checks the routes share. (Permissions per role, ownership and sharing come with RBAC.)
#pragma once

#include "http/request.hpp"
#include "http/response.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace weft::api {

// nullopt when the caller's role is admin; otherwise the 403 to answer, saying that only an
// admin may `what` ("manage users").
inline std::optional<http::Response> require_admin(const http::Request& r, std::string_view what) {
  if (r.principal && r.principal->role == "admin") return std::nullopt;
  return http::Response::problem(http::Problem::of(403, "only an admin may " + std::string(what)));
}

}  // namespace weft::api
