// Turns what an auth provider vouches for (a claim, sdk/AUTH.md "Claims") into the principal
// making the request, from the store, on every request: a revoked or expired key, a disabled or
// deleted user, a changed role take effect at once.
#pragma once

#include "auth/principal.hpp"

#include <weft/runtime/json.hpp>
#include <weft/runtime/repositories/api_key_repository.hpp>
#include <weft/runtime/repositories/session_repository.hpp>
#include <weft/runtime/repositories/user_repository.hpp>
#include <weft/runtime/status.hpp>

#include <functional>
#include <optional>

namespace weft::auth {

class ClaimResolver {
 public:
  using Clock = std::function<int64_t()>;  // now, in milliseconds since the epoch

  // OWNERSHIP: the repositories are borrowed and must outlive the resolver.
  ClaimResolver(const ApiKeyRepository& keys, const UserRepository& users, Clock now);
  // As above, with the login sessions a claim's `sessionId` is checked against. Without them a
  // claim naming a session resolves to nothing.
  ClaimResolver(const ApiKeyRepository& keys, const UserRepository& users, const SessionRepository& sessions,
                Clock now);

  // The principal of `claim`; nullopt when it stands for nothing usable (an unknown, revoked or
  // expired key; a missing or disabled user; a claim of no known shape): callers answer all
  // of these with the same 401. kUnavailable (or another storage error) when the store could
  // not answer.
  Result<std::optional<Principal>> resolve(const Json& claim) const;

  // `principal` resolved again from the store, for a credential held across requests (a
  // WebSocket): the same key, user, session, scopes and cookie flag, with the role and
  // permissions as they are now; nullopt when the key was revoked or expired, the user
  // disabled or deleted, or the session revoked. Errors as for resolve().
  Result<std::optional<Principal>> refresh(const Principal& principal) const;

 private:
  Result<std::optional<Principal>> resolve_api_key(const std::string& hash) const;
  // The enabled user `id` as a user principal, or nullopt.
  Result<std::optional<Principal>> resolve_user(Result<UserRecord> user) const;
  // True when session `id` exists, belongs to `user_id` and is not revoked (a rotated one still
  // counts: its access tokens live until they expire).
  Result<bool> session_live(const std::string& id, const std::string& user_id) const;

  const ApiKeyRepository& keys_;
  const UserRepository& users_;
  const SessionRepository* sessions_ = nullptr;  // OWNERSHIP: borrowed; may be null
  Clock now_;
};

}  // namespace weft::auth
