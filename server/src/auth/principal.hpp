// Who is calling: what the auth chain resolved a request's credential to. Handlers read it from
// Request::principal; object-level authorization checks it on every id.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace weft::auth {

struct Principal {
  enum class Kind { kUser, kApiKey };

  std::string id;    // the user id, or the API key id
  Kind kind = Kind::kUser;
  std::string role;  // "admin", "editor", "viewer", ...
  // What the credential may do ("workflows:read", ...); empty for a user session, which has
  // every scope of its role.
  std::vector<std::string> scopes;
  // For an API key: the user it belongs to.
  std::string user_id;

  // The user this principal acts for: an API key's owner, or the user itself.
  const std::string& acting_user() const { return user_id.empty() ? id : user_id; }

  bool has_scope(std::string_view scope) const {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
  }
};

// "user" or "api-key".
inline const char* kind_name(Principal::Kind kind) {
  return kind == Principal::Kind::kUser ? "user" : "api-key";
}

}  // namespace weft::auth
