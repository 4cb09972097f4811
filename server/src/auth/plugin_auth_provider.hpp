// An auth provider plugin (weft::AuthPlugin) in the server's auth chain: the plugin verifies
// the credential, the ClaimResolver decides who it stands for.
#pragma once

#include "auth/auth_provider.hpp"
#include "auth/claim_resolver.hpp"

#include <weft/runtime/auth_plugin.hpp>

#include <memory>

namespace weft::auth {

class PluginAuthProvider : public AuthProvider {
 public:
  // OWNERSHIP: `resolver` is borrowed and must outlive the provider.
  PluginAuthProvider(std::unique_ptr<AuthPlugin> plugin, const ClaimResolver& resolver)
      : plugin_(std::move(plugin)), resolver_(resolver) {}

  const std::string& name() const override { return plugin_->name(); }
  AuthOutcome authenticate(const AuthRequest& request) const override;
  std::string challenge() const override;

  const AuthPlugin& plugin() const { return *plugin_; }

 private:
  std::unique_ptr<AuthPlugin> plugin_;
  const ClaimResolver& resolver_;
};

}  // namespace weft::auth
