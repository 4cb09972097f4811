// Credentials in collection "credentials": a name, a type (what node types use it), an owner,
// and `data`, opaque JSON kept as given (encryption comes later). `data` is returned by get()
// only, never by list(). Thread-safe.
#pragma once

#include <weft/runtime/repositories/page.hpp>
#include <weft/runtime/security/object_access.hpp>
#include <weft/runtime/storage.hpp>

#include <optional>
#include <string>

namespace weft {

struct CredentialRecord {
  std::string id;
  std::string name;
  std::string type;
  std::string owner;
  // The users the owner shares it with (security/object_access.hpp): `run` lets their
  // workflows use it, `edit` lets them change it. Nobody but the host ever reads its secrets.
  security::Shares shares;
  Json data;             // null in listings
  int64_t revision = 0;  // storage version: what an update's expected revision refers to
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct NewCredential {
  std::string name;
  std::string type;
  std::string owner;
  Json data = Json::object();
  std::string id;  // empty: a random one is made (a caller that binds data to the id picks it first)
};

struct CredentialFilter {
  std::optional<std::string> owner;
  std::optional<std::string> type;
  PageRequest page;  // by name, then id
};

// What update() changes; absent fields keep their value.
struct CredentialChange {
  std::optional<std::string> name;
  std::optional<Json> data;
  std::optional<security::Shares> shares;
};

class CredentialRepository {
 public:
  // OWNERSHIP: `storage` is borrowed and must outlive the repository.
  explicit CredentialRepository(const Storage& storage) : storage_(storage) {}

  // Stores a new credential with the given id, or a random one. kInvalid when name or type is
  // empty; kConflict when the id is taken.
  Result<CredentialRecord> create(const NewCredential& credential) const;
  // The credential with its data, or kNotFound.
  Result<CredentialRecord> get(std::string_view id) const;
  // Credentials matching `filter`, by name, WITHOUT data.
  Result<Page<CredentialRecord>> list(const CredentialFilter& filter) const;
  // Applies `change` when the credential is still at `expected_revision` (kConflict otherwise,
  // kNotFound when missing). kInvalid for an empty name.
  Result<CredentialRecord> update(std::string_view id, const CredentialChange& change,
                                  int64_t expected_revision) const;
  // Deletes the credential; kNotFound when missing; with `expected_revision`, kConflict when it
  // has changed since.
  Status remove(std::string_view id, std::optional<int64_t> expected_revision = std::nullopt) const;

 private:
  const Storage& storage_;
};

}  // namespace weft
