#include "auth/claim_resolver.hpp"

namespace weft::auth {

namespace {

// The role's permissions, narrowed to `scopes` when there are any. A scope that names no
// permission grants nothing.
security::PermissionSet narrowed(security::PermissionSet role, const std::vector<std::string>& scopes) {
  if (scopes.empty()) return role;
  security::PermissionSet granted;
  for (const auto& s : scopes)
    if (auto p = security::parse_permission(s)) granted = granted | security::PermissionSet{*p};
  return role & granted;
}

// How stale a key's lastUsedAt may get before a request refreshes it: one write per key per
// minute at most, not one per request.
constexpr int64_t kLastUsedResolutionMs = 60'000;

std::optional<std::string> string_field(const Json& claim, const char* name) {
  auto it = claim.find(name);
  if (it == claim.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
    return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

ClaimResolver::ClaimResolver(const ApiKeyRepository& keys, const UserRepository& users, Clock now)
    : keys_(keys), users_(users), now_(std::move(now)) {}

ClaimResolver::ClaimResolver(const ApiKeyRepository& keys, const UserRepository& users,
                             const SessionRepository& sessions, Clock now)
    : keys_(keys), users_(users), sessions_(&sessions), now_(std::move(now)) {}

Result<bool> ClaimResolver::session_live(const std::string& id, const std::string& user_id) const {
  if (!sessions_) return false;
  auto session = sessions_->get(id);
  if (!session) {
    if (session.status().code() == Code::kNotFound) return false;
    return session.status();
  }
  return session->user_id == user_id && !session->revoked_at_ms;
}

Result<std::optional<Principal>> ClaimResolver::resolve(const Json& claim) const {
  if (!claim.is_object()) return std::optional<Principal>();
  if (auto hash = string_field(claim, "apiKeyHash")) return resolve_api_key(*hash);
  if (auto id = string_field(claim, "userId")) {
    auto p = resolve_user(users_.get(*id));
    if (!p || !*p) return p;
    if (auto sid = string_field(claim, "sessionId")) {
      auto live = session_live(*sid, *id);
      if (!live) return live.status();
      if (!*live) return std::optional<Principal>();
      (*p)->session_id = *sid;
    }
    if (auto via = string_field(claim, "via"); via && *via == "cookie") (*p)->via_cookie = true;
    if (auto it = claim.find("scopes"); it != claim.end() && it->is_array())
      for (const auto& s : *it)
        if (s.is_string()) (*p)->scopes.push_back(s.get<std::string>());
    (*p)->permissions = narrowed((*p)->permissions, (*p)->scopes);
    return p;
  }
  if (auto email = string_field(claim, "email")) return resolve_user(users_.find_by_email(*email));
  return std::optional<Principal>();
}

Result<std::optional<Principal>> ClaimResolver::refresh(const Principal& principal) const {
  if (principal.kind == Principal::Kind::kApiKey) {
    auto key = keys_.get(principal.id);
    if (!key) {
      if (key.status().code() == Code::kNotFound) return std::optional<Principal>();
      return key.status();
    }
    return resolve_api_key(key->hash);
  }
  Json claim = {{"userId", principal.id}, {"scopes", principal.scopes}};
  if (!principal.session_id.empty()) claim["sessionId"] = principal.session_id;
  if (principal.via_cookie) claim["via"] = "cookie";
  return resolve(claim);
}

Result<std::optional<Principal>> ClaimResolver::resolve_api_key(const std::string& hash) const {
  auto key = keys_.find_by_hash(hash);
  if (!key) {
    if (key.status().code() == Code::kNotFound) return std::optional<Principal>();
    return key.status();
  }
  const int64_t now = now_();
  if (!key->usable(now)) return std::optional<Principal>();
  auto owner = resolve_user(users_.get(key->user_id));
  if (!owner || !*owner) return owner;
  Principal p;
  p.id = key->id;
  p.kind = Principal::Kind::kApiKey;
  p.role = (*owner)->role;
  p.scopes = key->scopes;
  p.permissions = narrowed((*owner)->permissions, key->scopes);
  p.user_id = key->user_id;
  if (!key->last_used_at_ms || now - *key->last_used_at_ms >= kLastUsedResolutionMs)
    (void)keys_.mark_used(key->id, now);  // best effort: a failure must not refuse the request
  return std::optional<Principal>(std::move(p));
}

Result<std::optional<Principal>> ClaimResolver::resolve_user(Result<UserRecord> user) const {
  if (!user) {
    if (user.status().code() == Code::kNotFound) return std::optional<Principal>();
    return user.status();
  }
  if (user->disabled) return std::optional<Principal>();
  Principal p;
  p.id = user->id;
  p.kind = Principal::Kind::kUser;
  p.role = user->role;
  p.permissions = security::role_permissions(user->role);
  p.user_id = user->id;
  return std::optional<Principal>(std::move(p));
}

}  // namespace weft::auth
