// Login sessions in collection "sessions": one document per refresh token, found by the
// token's hash (the token itself is never stored). Sessions that descend from one login share
// a family: refreshing rotates a session (marks it rotated and creates its successor, in one
// atomic batch), and reuse of a rotated token lets the caller revoke the whole family.
// Thread-safe.
#pragma once

#include <weft/runtime/storage.hpp>

#include <optional>
#include <string>

namespace weft {

struct SessionRecord {
  std::string id;
  std::string user_id;
  std::string family;
  std::string token_hash;  // hash of the refresh token
  int64_t revision = 0;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  std::optional<int64_t> revoked_at_ms;
  bool rotated = false;  // its token was exchanged for a successor's

  // Neither revoked, rotated nor expired at `now_ms`.
  bool usable(int64_t now_ms) const { return !revoked_at_ms && !rotated && now_ms < expires_at_ms; }
};

struct NewSession {
  std::string user_id;
  std::string family;  // empty: a new family (a random id)
  std::string token_hash;
  int64_t expires_at_ms = 0;
};

class SessionRepository {
 public:
  // OWNERSHIP: `storage` is borrowed and must outlive the repository.
  explicit SessionRepository(const Storage& storage) : storage_(storage) {}

  // Stores a new session with a random id. kInvalid when user_id or token_hash is empty.
  Result<SessionRecord> create(const NewSession& session) const;
  // The session, or kNotFound.
  Result<SessionRecord> get(std::string_view id) const;
  // The session whose refresh token has this hash (rotated, revoked and expired ones included:
  // check usable()), or kNotFound.
  Result<SessionRecord> find_by_hash(std::string_view token_hash) const;
  // Marks `current` rotated and creates its successor in the same family, atomically, provided
  // `current` is unchanged since read (kConflict otherwise: a concurrent refresh won, or it was
  // revoked). kConflict also when `current` is already rotated or revoked.
  Result<SessionRecord> rotate(const SessionRecord& current, std::string token_hash,
                               int64_t expires_at_ms) const;
  // Revokes one session at `now_ms` (an already revoked one keeps its first time).
  Result<SessionRecord> revoke(std::string_view id, int64_t now_ms) const;
  // Revokes every session of `family` not yet revoked; returns how many it revoked.
  Result<int64_t> revoke_family(std::string_view family, int64_t now_ms) const;
  // Deletes the sessions that expired before `now_ms`, in bounded batches; returns how many.
  Result<int64_t> remove_expired(int64_t now_ms) const;

 private:
  const Storage& storage_;
};

}  // namespace weft
