#include "auth/claim_resolver.hpp"

namespace weft::auth {

namespace {

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

Result<std::optional<Principal>> ClaimResolver::resolve(const Json& claim) const {
  if (!claim.is_object()) return std::optional<Principal>();
  if (auto hash = string_field(claim, "apiKeyHash")) return resolve_api_key(*hash);
  if (auto id = string_field(claim, "userId")) {
    auto p = resolve_user(users_.get(*id));
    if (!p || !*p) return p;
    if (auto it = claim.find("scopes"); it != claim.end() && it->is_array())
      for (const auto& s : *it)
        if (s.is_string()) (*p)->scopes.push_back(s.get<std::string>());
    return p;
  }
  if (auto email = string_field(claim, "email")) return resolve_user(users_.find_by_email(*email));
  return std::optional<Principal>();
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
  p.user_id = user->id;
  return std::optional<Principal>(std::move(p));
}

}  // namespace weft::auth
