#include "auth/plugin_auth_provider.hpp"

namespace weft::auth {

AuthOutcome PluginAuthProvider::authenticate(const AuthRequest& request) const {
  auto claim = plugin_->authenticate(request.to_json());
  if (!claim) {
    switch (claim.status().code()) {
      case Code::kNotFound: return AuthOutcome::not_mine();
      case Code::kInvalid: return AuthOutcome::rejected(claim.status().message());
      default:
        throw std::runtime_error("auth provider " + name() + ": " + claim.status().message());
    }
  }
  auto principal = resolver_.resolve(*claim);
  if (!principal)
    throw AuthUnavailable("auth provider " + name() + ": the store could not resolve the "
                          "credential: " + principal.status().message());
  // One answer for unknown, revoked and expired credentials, so none can be told apart.
  if (!*principal) return AuthOutcome::rejected("the credential is unknown, revoked or expired");
  return AuthOutcome::accepted(std::move(**principal));
}

std::string PluginAuthProvider::challenge() const {
  const Json& d = plugin_->description();
  auto it = d.find("challenge");
  return it != d.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace weft::auth
