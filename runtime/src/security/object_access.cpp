#include <weft/runtime/security/object_access.hpp>
#include <weft/runtime/security/permissions.hpp>

namespace weft::security {

std::string_view access_name(Access a) {
  switch (a) {
    case Access::kNone: return "none";
    case Access::kRead: return "read";
    case Access::kRun: return "run";
    case Access::kEdit: return "edit";
    case Access::kOwner: return "owner";
  }
  return "none";
}

std::optional<Access> parse_share_level(std::string_view name) {
  if (name == "read") return Access::kRead;
  if (name == "run") return Access::kRun;
  if (name == "edit") return Access::kEdit;
  return std::nullopt;
}

Access access_to(std::string_view user_id, std::string_view role, std::string_view owner,
                 const Shares& shares) {
  if (role_sees_everything(role)) return Access::kOwner;
  if (!user_id.empty() && user_id == owner) return Access::kOwner;
  if (auto it = shares.find(std::string(user_id)); it != shares.end()) return it->second;
  return Access::kNone;
}

Json shares_to_json(const Shares& shares) {
  Json j = Json::object();
  for (const auto& [user, level] : shares) j[user] = std::string(access_name(level));
  return j;
}

Result<Shares> shares_from_json(const Json& j) {
  Shares shares;
  if (j.is_null()) return shares;
  if (!j.is_object()) return Status::invalid("shares must be an object of userId: read|run|edit");
  for (const auto& [user, level] : j.items()) {
    std::optional<Access> a = level.is_string() ? parse_share_level(level.get_ref<const std::string&>())
                                                : std::nullopt;
    if (!a) return Status::invalid("the share of user '" + user.substr(0, 64) + "' must be read, run or edit");
    shares.emplace(user, *a);
  }
  return shares;
}

}  // namespace weft::security
