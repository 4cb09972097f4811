// Who is calling: what the auth chain resolved a request's credential to. Handlers read it from
// Request::principal; the dispatcher checks the route's permission against it, and object-level
// authorization (weft/runtime/security/object_access.hpp) checks it on every id.
#pragma once

#include <weft/runtime/security/permissions.hpp>

#include <string>
#include <vector>

namespace weft::auth {

struct Principal {
  enum class Kind { kUser, kApiKey };

  std::string id;    // the user id, or the API key id
  Kind kind = Kind::kUser;
  std::string role;  // "admin", "editor", "operator", "viewer"
  // What the caller may do: the role's permissions, narrowed to an API key's (or a token's)
  // scopes when it has any. Resolved on every request, so a changed role counts at once.
  security::PermissionSet permissions;
  // The scopes the credential was narrowed to (permission names); empty: the whole role.
  std::vector<std::string> scopes;
  // For an API key: the user it belongs to; for a user, the user itself.
  std::string user_id;
  // The login session a session token belongs to; empty for an API key.
  std::string session_id;
  // True when the credential came in a cookie: unsafe requests must then carry the session's
  // CSRF token (the dispatcher checks it).
  bool via_cookie = false;

  // The user this principal acts for: an API key's owner, or the user itself.
  const std::string& acting_user() const { return user_id.empty() ? id : user_id; }

  bool can(security::Permission p) const { return permissions.has(p); }
};

// "user" or "api-key".
inline const char* kind_name(Principal::Kind kind) {
  return kind == Principal::Kind::kUser ? "user" : "api-key";
}

}  // namespace weft::auth
