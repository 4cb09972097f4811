// Creating and changing users: the rules the API (/api/v1/users) and the CLI (`weft users`)
// share — e-mail, name, role and password checks — with passwords hashed by the weft.password
// plugin. A user's view never holds the password hash. Thread-safe.
#pragma once

#include <weft/runtime/auth_plugin.hpp>
#include <weft/runtime/json.hpp>
#include <weft/runtime/repositories/user_repository.hpp>
#include <weft/runtime/status.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace weft::server {

// The roles, from most to least powerful.
inline constexpr std::string_view kRoles[] = {"admin", "editor", "operator", "viewer"};

// What a caller asks to set; absent fields are left alone (create needs all but `disabled`).
struct UserInput {
  std::optional<std::string> email;
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<std::string> password;  // hashed before it is stored; never kept as given
  std::optional<bool> disabled;
};

class UserAdmin {
 public:
  // OWNERSHIP: `users` and `passwords` are borrowed and must outlive this object. Without
  // `passwords` (weft.password not loaded), setting a password answers kUnsupported.
  UserAdmin(const UserRepository& users, const AuthPlugin* passwords) : users_(users), passwords_(passwords) {}

  // A new user. kInvalid naming the field for a missing or malformed email, name, role or
  // password (at least 12 characters); kConflict when the e-mail address is taken.
  Result<UserRecord> create(const UserInput& input) const;
  // Applies `input` to user `id`, at `expected_revision` when given (kConflict otherwise).
  Result<UserRecord> change(std::string_view id, const UserInput& input,
                            std::optional<int64_t> expected_revision = std::nullopt) const;

  // The API view: id, email, name, role, disabled, createdAt, updatedAt.
  static Json view(const UserRecord& user);

 private:
  Result<std::string> hash(const std::string& password) const;

  const UserRepository& users_;
  const AuthPlugin* passwords_;
};

}  // namespace weft::server
