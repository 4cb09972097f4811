// Object-level access: every workflow and credential has an owner, who may share it with other
// users at `read`, `run` or `edit`. Executions take their workflow's access. This is checked on
// every id a route touches, after the permission check (permissions.hpp): a caller needs both
// the permission for what it does and enough access to the object it does it to.
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace weft::security {

// Ordered: each level includes those before it.
enum class Access {
  kNone = 0,  // the object does not exist for the caller (404, never 403)
  kRead = 1,  // see it (and a workflow's executions)
  kRun = 2,   // run a workflow, retry or cancel its executions; use a credential in a workflow
  kEdit = 3,  // change it (save, activate, deactivate)
  kOwner = 4, // everything, including deleting and sharing: the owner, and an admin
};

// userId -> read | run | edit. Never holds kNone or kOwner.
using Shares = std::map<std::string, Access>;

// "read", "run", "edit" (and "none", "owner" for the other levels).
std::string_view access_name(Access a);

// The share level of that name ("read", "run", "edit"), or nullopt (also for "none"/"owner",
// which cannot be granted).
std::optional<Access> parse_share_level(std::string_view name);

// The access of user `user_id` with `role` to an object owned by `owner` and shared by
// `shares`: kOwner for the owner and for a role that sees everything (admin); the share's level
// for a user it is shared with; kNone otherwise.
Access access_to(std::string_view user_id, std::string_view role, std::string_view owner,
                 const Shares& shares);

// {"<userId>": "read" | "run" | "edit", ...}
Json shares_to_json(const Shares& shares);
// The inverse of shares_to_json. kInvalid naming the user id whose level is not a share level;
// a missing or null `j` is no shares.
Result<Shares> shares_from_json(const Json& j);

}  // namespace weft::security
