// Users in collection "users". The e-mail address is unique, compared case-insensitively
// (ASCII letters), even under concurrent creates: each user reserves a document
// "users.email:<lower-cased email>" in collection "unique_keys" in the same atomic batch that
// writes the user. The password hash is stored as given (hashing is the caller's). Thread-safe.
#pragma once

#include <weft/runtime/repositories/page.hpp>
#include <weft/runtime/storage.hpp>

#include <optional>
#include <string>

namespace weft {

struct UserRecord {
  std::string id;
  std::string email;  // as given
  std::string name;
  std::string role;
  bool disabled = false;
  std::string password_hash;
  int64_t revision = 0;  // storage version: what update's expected revision refers to
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct NewUser {
  std::string email;
  std::string name;
  std::string role;
  std::string password_hash;
  bool disabled = false;
};

// What update() changes; absent fields keep their value.
struct UserChange {
  std::optional<std::string> email;
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<bool> disabled;
  std::optional<std::string> password_hash;
};

class UserRepository {
 public:
  // OWNERSHIP: `storage` is borrowed and must outlive the repository.
  explicit UserRepository(const Storage& storage) : storage_(storage) {}

  // Stores a new user with a random id. kConflict when another user has the e-mail address
  // (in any letter case); kInvalid when it is empty.
  Result<UserRecord> create(const NewUser& user) const;
  // The user, or kNotFound.
  Result<UserRecord> get(std::string_view id) const;
  // The user with this e-mail address in any letter case, or kNotFound.
  Result<UserRecord> find_by_email(std::string_view email) const;
  // Users by e-mail address (lower-cased), optionally of one role.
  Result<Page<UserRecord>> list(const PageRequest& page,
                                std::optional<std::string> role = std::nullopt) const;
  // Applies `change` when the user is still at `expected_revision`: kConflict when it has
  // changed, or when the new e-mail address belongs to another user; kNotFound when missing.
  Result<UserRecord> update(std::string_view id, const UserChange& change,
                            int64_t expected_revision) const;
  // Deletes the user and frees its e-mail address; kNotFound when missing.
  Status remove(std::string_view id) const;

 private:
  const Storage& storage_;
};

}  // namespace weft
