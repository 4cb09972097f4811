#include <weft/runtime/security/permissions.hpp>

#include <array>

namespace weft::security {

namespace {

struct PermissionRow {
  Permission permission;
  std::string_view name;
};

constexpr std::array<PermissionRow, 13> kPermissions = {{
    {Permission::kWorkflowRead, "workflow.read"},
    {Permission::kWorkflowWrite, "workflow.write"},
    {Permission::kWorkflowExecute, "workflow.execute"},
    {Permission::kWorkflowDelete, "workflow.delete"},
    {Permission::kExecutionRead, "execution.read"},
    {Permission::kExecutionCancel, "execution.cancel"},
    {Permission::kExecutionRetry, "execution.retry"},
    {Permission::kCredentialRead, "credential.read"},
    {Permission::kCredentialWrite, "credential.write"},
    {Permission::kCredentialUse, "credential.use"},
    {Permission::kUserManage, "user.manage"},
    {Permission::kAdminStorage, "admin.storage"},
    {Permission::kAuditRead, "audit.read"},
}};

using P = Permission;
constexpr PermissionSet kViewer = {P::kWorkflowRead, P::kExecutionRead, P::kCredentialRead};
constexpr PermissionSet kOperator = kViewer | PermissionSet{P::kWorkflowExecute, P::kExecutionCancel,
                                                           P::kExecutionRetry, P::kCredentialUse};
constexpr PermissionSet kEditor =
    kOperator | PermissionSet{P::kWorkflowWrite, P::kWorkflowDelete, P::kCredentialWrite};
constexpr PermissionSet kAdmin =
    kEditor | PermissionSet{P::kUserManage, P::kAdminStorage, P::kAuditRead};

}  // namespace

const std::vector<Permission>& all_permissions() {
  static const std::vector<Permission> all = [] {
    std::vector<Permission> v;
    for (const auto& row : kPermissions) v.push_back(row.permission);
    return v;
  }();
  return all;
}

std::string_view permission_name(Permission p) {
  for (const auto& row : kPermissions)
    if (row.permission == p) return row.name;
  return "unknown";
}

std::optional<Permission> parse_permission(std::string_view name) {
  for (const auto& row : kPermissions)
    if (row.name == name) return row.permission;
  return std::nullopt;
}

std::vector<std::string> permission_names(PermissionSet set) {
  std::vector<std::string> names;
  for (const auto& row : kPermissions)
    if (set.has(row.permission)) names.emplace_back(row.name);
  return names;
}

const std::vector<std::string>& all_roles() {
  static const std::vector<std::string> roles = {"admin", "editor", "operator", "viewer"};
  return roles;
}

bool is_role(std::string_view role) {
  for (const auto& r : all_roles())
    if (r == role) return true;
  return false;
}

PermissionSet role_permissions(std::string_view role) {
  if (role == "admin") return kAdmin;
  if (role == "editor") return kEditor;
  if (role == "operator") return kOperator;
  if (role == "viewer") return kViewer;
  return {};
}

bool role_sees_everything(std::string_view role) { return role == "admin"; }

}  // namespace weft::security
