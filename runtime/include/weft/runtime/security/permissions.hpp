// Roles and permissions: the one table that says what each role may do (README, "Roles and
// permissions", shows it). A principal's permissions are its role's, narrowed by an API key's
// scopes when the key has any. Object-level access (owner, shares) is a separate check:
// security/object_access.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft::security {

enum class Permission : uint32_t {
  kWorkflowRead = 1u << 0,
  kWorkflowWrite = 1u << 1,    // create, save, activate, deactivate, share
  kWorkflowExecute = 1u << 2,  // run
  kWorkflowDelete = 1u << 3,
  kExecutionRead = 1u << 4,
  kExecutionCancel = 1u << 5,
  kExecutionRetry = 1u << 6,
  kCredentialRead = 1u << 7,   // metadata only: secret fields are never answered
  kCredentialWrite = 1u << 8,  // create, change, delete, share
  kCredentialUse = 1u << 9,    // name a credential in a workflow that runs
  kUserManage = 1u << 10,
  kAdminStorage = 1u << 11,
  kAuditRead = 1u << 12,
};

// A set of permissions (a bit mask).
class PermissionSet {
 public:
  constexpr PermissionSet() = default;
  constexpr explicit PermissionSet(uint32_t bits) : bits_(bits) {}
  constexpr PermissionSet(std::initializer_list<Permission> ps) {
    for (Permission p : ps) bits_ |= static_cast<uint32_t>(p);
  }
  constexpr bool has(Permission p) const { return (bits_ & static_cast<uint32_t>(p)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr uint32_t bits() const { return bits_; }
  constexpr PermissionSet operator&(PermissionSet o) const { return PermissionSet(bits_ & o.bits_); }
  constexpr PermissionSet operator|(PermissionSet o) const { return PermissionSet(bits_ | o.bits_); }
  constexpr bool operator==(const PermissionSet&) const = default;
  // True when every permission of `other` is in this set.
  constexpr bool covers(PermissionSet other) const { return (other.bits_ & ~bits_) == 0; }

 private:
  uint32_t bits_ = 0;
};

// Every permission, in the table's order.
const std::vector<Permission>& all_permissions();

// "workflow.read", ...
std::string_view permission_name(Permission p);

// The permission of that name, or nullopt.
std::optional<Permission> parse_permission(std::string_view name);

// The names of the permissions in `set`, in the table's order.
std::vector<std::string> permission_names(PermissionSet set);

// The roles, most powerful first: admin, editor, operator, viewer.
const std::vector<std::string>& all_roles();

// True for one of all_roles().
bool is_role(std::string_view role);

// What `role` may do; empty for an unknown role (which may do nothing).
PermissionSet role_permissions(std::string_view role);

// Whether the role sees and manages every user's objects (admin) rather than its own and those
// shared with it.
bool role_sees_everything(std::string_view role);

}  // namespace weft::security
