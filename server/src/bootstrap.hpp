// First start: an empty store gets an admin user and an API key for it, so that the API can be
// used at all. The key is returned once, to be printed, and written to a file only root and the
// server's user can read; later starts find the user and create nothing.
#pragma once

#include <weft/runtime/auth_plugin.hpp>
#include <weft/runtime/repositories/api_key_repository.hpp>
#include <weft/runtime/repositories/user_repository.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace weft::server {

struct FirstAdmin {
  std::string email;
  std::string key;               // the API key in clear: shown once, never stored
  std::filesystem::path key_file;  // where it was also written (mode 0600)
};

// When the store has no user: creates the admin user `email` and an API key minted by
// `api_keys` (the weft.api_key provider), stores the key's hash and prefix, and writes the key
// to <data_dir>/initial-admin-key with mode 0600. nullopt when a user exists (also when another
// server created the admin concurrently). Errors name the step that failed.
Result<std::optional<FirstAdmin>> create_first_admin(const UserRepository& users,
                                                     const ApiKeyRepository& keys,
                                                     const AuthPlugin& api_keys,
                                                     const std::filesystem::path& data_dir,
                                                     const std::string& email);

}  // namespace weft::server
