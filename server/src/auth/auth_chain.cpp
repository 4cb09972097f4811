#include "auth/auth_chain.hpp"

namespace weft::auth {

Json AuthRequest::to_json() const {
  Json h = Json::object();
  for (const auto& [k, v] : headers) h[k] = v;
  return {{"method", method}, {"path", path}, {"headers", std::move(h)}, {"remoteAddress", remote_address}};
}

void AuthChain::add(std::shared_ptr<const AuthProvider> provider) {
  providers_.push_back(std::move(provider));
}

AuthOutcome AuthChain::authenticate(const AuthRequest& request) const {
  for (const auto& p : providers_) {
    AuthOutcome outcome = p->authenticate(request);
    if (outcome.kind() != AuthOutcome::Kind::kNotMine) return outcome;
  }
  return AuthOutcome::not_mine();
}

std::string AuthChain::challenge() const {
  std::string out;
  for (const auto& p : providers_) {
    std::string c = p->challenge();
    if (c.empty() || out.find(c) != std::string::npos) continue;
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out.empty() ? "Bearer realm=\"weft\"" : out;
}

}  // namespace weft::auth
