// The ordered auth providers every non-public route passes through before its handler runs.
// The first provider that accepts or rejects decides; when none accepts (including when none
// is configured) the request gets 401 with WWW-Authenticate.
#pragma once

#include "auth/auth_provider.hpp"

#include <memory>
#include <vector>

namespace weft::auth {

class AuthChain {
 public:
  // Appends a provider; the chain asks providers in the order they were added. Not safe to call
  // while requests are served: build the chain before the server starts.
  void add(std::shared_ptr<const AuthProvider> provider);

  // Asks each provider in turn: the first kAccepted or kRejected is the answer; kNotMine
  // when every provider passed (or there is none). Exceptions of a provider propagate.
  AuthOutcome authenticate(const AuthRequest& request) const;

  // The WWW-Authenticate value: the providers' challenges, comma-separated, or
  // `Bearer realm="weft"` when none has one.
  std::string challenge() const;

  size_t size() const { return providers_.size(); }
  const std::vector<std::shared_ptr<const AuthProvider>>& providers() const { return providers_; }

 private:
  std::vector<std::shared_ptr<const AuthProvider>> providers_;
};

}  // namespace weft::auth
