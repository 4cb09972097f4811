// The caller check of a webhook whose node asks for one (auth "header" or "basic"), against
// the credential the node names: a weft.httpHeaderAuth credential {name, value} for a secret
// header, a weft.basicAuth credential {user, password} for HTTP basic authentication. The
// credential is read on every request, so a changed secret applies to the next call.
#pragma once

#include "credentials/sealed_credentials.hpp"
#include "http/headers.hpp"
#include "webhooks/webhook_registry.hpp"

#include <weft/runtime/repositories/credential_repository.hpp>

#include <string>

namespace weft::server {

struct WebhookAuthOutcome {
  enum class Kind {
    kAccepted,      // the request may start the workflow
    kRejected,      // 401: the secret is missing or wrong (the reason never shows the secret)
    kMisconfigured, // 500: the credential is gone or not of the kind the node needs
    kUnavailable,   // 503: the store could not be read
  };
  Kind kind = Kind::kAccepted;
  std::string reason;         // for the problem's detail (rejected) or the server log (others)
  std::string secret_header;  // the header that carried the secret (auth "header"); empty otherwise
};

// Checks `headers` against `target`'s credential, its secret opened by the vault. Secrets are
// compared in constant time. A secret that does not open is kMisconfigured.
WebhookAuthOutcome check_webhook_auth(const WebhookTarget& target, const http::HeaderList& headers,
                                      const credentials::SealedCredentials& credentials);

}  // namespace weft::server
