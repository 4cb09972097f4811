// API keys in collection "api_keys". A key is stored by its hash (computed by the caller; the
// secret itself is never stored), unique even under concurrent creates through a reservation
// "api_keys.hash:<hash>" in collection "unique_keys" written in the same batch. The prefix is
// the key's visible start, shown to users to tell keys apart. Thread-safe.
#pragma once

#include <weft/runtime/repositories/page.hpp>
#include <weft/runtime/storage.hpp>

#include <optional>
#include <string>
#include <vector>

namespace weft {

struct ApiKeyRecord {
  std::string id;
  std::string user_id;
  std::string name;
  std::string prefix;
  std::string hash;
  std::vector<std::string> scopes;
  int64_t revision = 0;
  int64_t created_at_ms = 0;
  std::optional<int64_t> last_used_at_ms;
  std::optional<int64_t> expires_at_ms;  // none: never expires
  std::optional<int64_t> revoked_at_ms;

  // Neither revoked nor expired at `now_ms`.
  bool usable(int64_t now_ms) const {
    return !revoked_at_ms && (!expires_at_ms || now_ms < *expires_at_ms);
  }
};

struct NewApiKey {
  std::string user_id;
  std::string name;
  std::string prefix;
  std::string hash;
  std::vector<std::string> scopes;
  std::optional<int64_t> expires_at_ms;
};

class ApiKeyRepository {
 public:
  // OWNERSHIP: `storage` is borrowed and must outlive the repository.
  explicit ApiKeyRepository(const Storage& storage) : storage_(storage) {}

  // Stores a new key with a random id. kConflict when a key has the same hash; kInvalid when
  // user_id or hash is empty.
  Result<ApiKeyRecord> create(const NewApiKey& key) const;
  // The key, or kNotFound.
  Result<ApiKeyRecord> get(std::string_view id) const;
  // The key with this hash, revoked and expired ones included (check usable()), or kNotFound.
  Result<ApiKeyRecord> find_by_hash(std::string_view hash) const;
  // The user's keys, newest first.
  Result<Page<ApiKeyRecord>> list_for_user(std::string_view user_id, const PageRequest& page) const;
  // Marks the key revoked at `now_ms` (a key already revoked keeps its first time); kNotFound
  // when missing.
  Result<ApiKeyRecord> revoke(std::string_view id, int64_t now_ms) const;
  // Records a use at `now_ms` (best effort: a concurrent change is retried a few times).
  Status mark_used(std::string_view id, int64_t now_ms) const;
  // Deletes the key and its hash reservation; kNotFound when missing.
  Status remove(std::string_view id) const;

 private:
  const Storage& storage_;
};

}  // namespace weft
