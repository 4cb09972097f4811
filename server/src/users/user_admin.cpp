#include "users/user_admin.hpp"

namespace weft::server {

namespace {

Status check_email(const std::string& email) {
  const size_t at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || at + 1 == email.size() ||
      email.find('@', at + 1) != std::string::npos)
    return Status::invalid("email must be an address like name@example.com");
  for (unsigned char c : email)
    if (c <= ' ' || c == 0x7f) return Status::invalid("email must not hold spaces or control characters");
  return Status::ok();
}

Status check_name(const std::string& name) {
  if (name.empty() || name.size() > 200) return Status::invalid("name must have 1 to 200 characters");
  for (unsigned char c : name)
    if (c < ' ' || c == 0x7f) return Status::invalid("name must not hold control characters");
  return Status::ok();
}

Status check_role(const std::string& role) {
  for (std::string_view r : kRoles)
    if (role == r) return Status::ok();
  return Status::invalid("role must be admin, editor, operator or viewer, not '" + role.substr(0, 40) + "'");
}

}  // namespace

Result<std::string> UserAdmin::hash(const std::string& password) const {
  if (!passwords_)
    return Status::unsupported("passwords are not enabled: load the weft.password plugin and list it in auth.providers");
  auto out = passwords_->invoke({{"op", "hash"}, {"password", password}});
  if (!out) {
    if (out.status().code() == Code::kInvalid) return Status::invalid("password: " + out.status().message());
    return out.status();
  }
  return out->value("hash", "");
}

Result<UserRecord> UserAdmin::create(const UserInput& input) const {
  for (const auto& [field, value] : {std::pair{"email", &input.email}, std::pair{"name", &input.name},
                                     std::pair{"role", &input.role}, std::pair{"password", &input.password}})
    if (!*value) return Status::invalid(std::string(field) + " is required");
  if (Status st = check_email(*input.email); !st) return st;
  if (Status st = check_name(*input.name); !st) return st;
  if (Status st = check_role(*input.role); !st) return st;
  auto hashed = hash(*input.password);
  if (!hashed) return hashed.status();
  NewUser user;
  user.email = *input.email;
  user.name = *input.name;
  user.role = *input.role;
  user.password_hash = std::move(*hashed);
  user.disabled = input.disabled.value_or(false);
  return users_.create(user);
}

Result<UserRecord> UserAdmin::change(std::string_view id, const UserInput& input,
                                     std::optional<int64_t> expected_revision) const {
  UserChange change;
  if (input.email) {
    if (Status st = check_email(*input.email); !st) return st;
    change.email = input.email;
  }
  if (input.name) {
    if (Status st = check_name(*input.name); !st) return st;
    change.name = input.name;
  }
  if (input.role) {
    if (Status st = check_role(*input.role); !st) return st;
    change.role = input.role;
  }
  if (input.password) {
    auto hashed = hash(*input.password);
    if (!hashed) return hashed.status();
    change.password_hash = std::move(*hashed);
  }
  change.disabled = input.disabled;
  int64_t revision = 0;
  if (expected_revision) {
    revision = *expected_revision;
  } else {
    auto current = users_.get(id);
    if (!current) return current.status();
    revision = current->revision;
  }
  return users_.update(id, change, revision);
}

Json UserAdmin::view(const UserRecord& user) {
  return {{"id", user.id},     {"email", user.email},         {"name", user.name},
          {"role", user.role}, {"disabled", user.disabled},   {"createdAt", user.created_at_ms},
          {"updatedAt", user.updated_at_ms}};
}

}  // namespace weft::server
