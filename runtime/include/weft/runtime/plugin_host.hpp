// Loads plugin shared objects through the C ABI and keeps what they register.
//
// Each file is loaded with Boost.DLL (RTLD_NOW | RTLD_LOCAL), its one entry symbol read, its
// manifest checked, and its init run with the registrar. A file that cannot be accepted is
// refused with one line naming the file, the cause and the fix; the other files still load.
// Libraries are never unloaded once their init has run.
#pragma once

#include <weft/runtime/credential_type.hpp>
#include <weft/runtime/node_registry.hpp>
#include <weft/runtime/status.hpp>

#include <memory>
#include <string>
#include <vector>

namespace weft {

struct PluginInfo {
  std::string file;  // path as loaded
  std::string name;
  std::string version;
  std::string build_id;
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  std::vector<std::string> node_types;  // "name@version"
  std::vector<std::string> storage_backends;
  std::vector<std::string> auth_providers;
  std::vector<std::string> credential_types;  // ABI 1.2
};

// A storage backend as registered. OWNERSHIP: `backend`'s functions are code inside `library`,
// which this object keeps loaded.
struct StorageBackendType {
  std::string name;
  Json description;
  bool durable = true;
  weft_storage_backend backend{};
  std::shared_ptr<void> library;
  std::shared_ptr<const PluginInfo> plugin;
};

// An auth provider as registered. OWNERSHIP: `provider`'s functions are code inside `library`,
// which this object keeps loaded.
struct AuthProviderType {
  std::string name;
  Json description;
  weft_auth_provider provider{};
  std::shared_ptr<void> library;
  std::shared_ptr<const PluginInfo> plugin;
};

struct RefusedPlugin {
  std::string file;
  std::string reason;  // one line: "<file>: <cause>; <fix>"
};

class PluginHost {
 public:
  PluginHost();
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads every `*.so` directly in each folder, in file-name order. A folder that does not
  // exist is an error; refused files are not (see refused()).
  Status load_directories(const std::vector<std::string>& folders);
  // Loads one file. On refusal returns kInvalid with the one-line reason and records it.
  Status load_file(const std::string& path);
  // Fails (kNotFound) naming every plugin in `names` that is not loaded, with its refusal
  // reason when it was refused.
  Status require(const std::vector<std::string>& names) const;

  const NodeRegistry& registry() const { return registry_; }
  // The storage backend `name`, or nullptr.
  const StorageBackendType* storage_backend(std::string_view name) const;
  const std::vector<std::shared_ptr<const StorageBackendType>>& storage_backends() const {
    return storage_;
  }
  // The auth provider `name`, or nullptr.
  const AuthProviderType* auth_provider(std::string_view name) const;
  const std::vector<std::shared_ptr<const AuthProviderType>>& auth_providers() const {
    return auth_;
  }
  // The credential type `name` (exact, case-sensitive), or nullptr.
  const CredentialTypeSpec* credential_type(std::string_view name) const;
  // Every declared credential type, in load order.
  const std::vector<std::shared_ptr<const CredentialTypeSpec>>& credential_types() const {
    return credential_types_;
  }
  const std::vector<std::shared_ptr<const PluginInfo>>& plugins() const { return plugins_; }
  const std::vector<RefusedPlugin>& refused() const { return refused_; }

  // Calls every loaded plugin's shutdown once. Call after all executions have drained.
  void shutdown();

 private:
  Status refuse(const std::string& file, const std::string& cause);

  NodeRegistry registry_;
  std::vector<std::shared_ptr<const StorageBackendType>> storage_;
  std::vector<std::shared_ptr<const AuthProviderType>> auth_;
  std::vector<std::shared_ptr<const CredentialTypeSpec>> credential_types_;
  std::vector<std::shared_ptr<const PluginInfo>> plugins_;
  std::vector<RefusedPlugin> refused_;
  std::vector<void (*)()> shutdowns_;
  // Libraries whose init ran but which were refused afterwards: kept loaded, never called.
  std::vector<std::shared_ptr<void>> retired_;
  bool shut_down_ = false;
};

// The plugin folders used when none are configured: the build tree's plugin folder, then the
// installed one.
std::vector<std::string> default_plugin_directories();

}  // namespace weft
