// An open instance of an auth provider plugin, called through the contract of sdk/AUTH.md. The
// server's auth chain is built on this class and on the repositories that resolve claims.
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/plugin_host.hpp>
#include <weft/runtime/status.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace weft {

class AuthPlugin {
 public:
  // Opens provider `name` with `config` (an object). kNotFound lists the registered providers
  // when there is none of that name; a failing open keeps the provider's one-line reason.
  static Result<std::unique_ptr<AuthPlugin>> open(const PluginHost& plugins, std::string_view name,
                                                  const Json& config);
  // Closes the instance. No call may be in progress.
  ~AuthPlugin();
  AuthPlugin(const AuthPlugin&) = delete;
  AuthPlugin& operator=(const AuthPlugin&) = delete;

  const std::string& name() const { return type_->name; }
  // The provider's description JSON ({"displayName", "description", "challenge", ...}).
  const Json& description() const { return type_->description; }

  // Examines `request` ({"method", "path", "headers", "remoteAddress"}). The claim when the
  // request carries a credential of this provider's kind that verified; kNotFound when it
  // carries none; kInvalid when it carries one that does not verify; any other code is a fault
  // of the provider.
  Result<Json> authenticate(const Json& request) const;
  // A provider-specific operation ({"op": ...}); kUnsupported when the provider has none.
  Result<Json> invoke(const Json& request) const;

 private:
  AuthPlugin(const PluginHost& plugins, const AuthProviderType* type, void* instance)
      : plugins_(plugins), type_(type), instance_(instance) {}

  const PluginHost& plugins_;
  const AuthProviderType* type_;  // OWNERSHIP: the plugin host's, which outlives this instance
  void* instance_;                // OWNERSHIP: the plugin's, released by close in ~AuthPlugin
};

}  // namespace weft
