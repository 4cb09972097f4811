// Object-level authorization the routes share. The dispatcher has already checked the route's
// permission (RouteSpec::permission); these check the OBJECT: the caller's access to it through
// ownership or a share (weft/runtime/security/object_access.hpp).
//
// A caller without any access gets 404, exactly as for an id that does not exist, so ids of
// other users' objects reveal nothing. A caller that may see the object but not do this to it
// gets 403.
#pragma once

#include "http/request.hpp"
#include "http/response.hpp"

#include <weft/runtime/security/object_access.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace weft::api {

// The caller's access to an object owned by `owner` and shared by `shares`.
inline security::Access access_of(const http::Request& r, std::string_view owner,
                                  const security::Shares& shares) {
  if (!r.principal) return security::Access::kNone;
  return security::access_to(r.principal->acting_user(), r.principal->role, owner, shares);
}

// nullopt when the caller's access to the object is at least `needed`; otherwise the answer:
// 404 "<what> '<id>' not found" without any access, 403 naming the access it lacks otherwise.
inline std::optional<http::Response> require_access(const http::Request& r, std::string_view owner,
                                                    const security::Shares& shares,
                                                    security::Access needed, std::string_view what,
                                                    std::string_view id) {
  const security::Access has = access_of(r, owner, shares);
  if (has >= needed) return std::nullopt;
  auto p = has == security::Access::kNone
               ? http::Problem::of(404, std::string(what) + " '" + std::string(id) + "' not found")
               : http::Problem::of(403, "this needs " + std::string(security::access_name(needed)) +
                                            " access to " + std::string(what) + " '" + std::string(id) +
                                            "', and it is shared with you at " +
                                            std::string(security::access_name(has)));
  p.instance = r.path;
  return http::Response::problem(p);
}

// True when the caller sees every user's objects (an admin), so lists need no filtering.
inline bool sees_everything(const http::Request& r) {
  return r.principal && security::role_sees_everything(r.principal->role);
}

}  // namespace weft::api
