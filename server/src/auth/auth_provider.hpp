// One way of recognising a caller (an API key, a session token, ...). The auth chain asks each
// provider in turn; see sdk/AUTH.md for the contract plugins implement.
#pragma once

#include "auth/principal.hpp"

#include <weft/runtime/json.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace weft::auth {

// What a provider sees of a request: no body (authentication runs before the body is read).
struct AuthRequest {
  std::string method;
  std::string path;
  // Lower-case names; a header sent more than once holds its first value.
  std::map<std::string, std::string> headers;
  std::string remote_address;

  // {"method", "path", "headers": {...}, "remoteAddress"}: the shape of sdk/AUTH.md.
  Json to_json() const;
};

// A provider's answer.
class AuthOutcome {
 public:
  enum class Kind {
    kAccepted,  // a credential of the provider's kind that verified: principal() is set
    kNotMine,   // no credential of this kind: ask the next provider
    kRejected,  // a credential of this kind that does not verify: 401 at once
  };

  static AuthOutcome accepted(Principal principal) {
    return AuthOutcome(Kind::kAccepted, std::move(principal), {});
  }
  static AuthOutcome not_mine() { return AuthOutcome(Kind::kNotMine, std::nullopt, {}); }
  // `reason` names the kind of problem ("malformed API key"), never the credential.
  static AuthOutcome rejected(std::string reason) {
    return AuthOutcome(Kind::kRejected, std::nullopt, std::move(reason));
  }

  Kind kind() const { return kind_; }
  bool is_accepted() const { return kind_ == Kind::kAccepted; }
  // Precondition: is_accepted().
  const Principal& principal() const { return *principal_; }
  const std::string& reason() const { return reason_; }

 private:
  AuthOutcome(Kind kind, std::optional<Principal> principal, std::string reason)
      : kind_(kind), principal_(std::move(principal)), reason_(std::move(reason)) {}

  Kind kind_;
  std::optional<Principal> principal_;
  std::string reason_;
};

// Thrown by AuthProvider::authenticate when it cannot decide right now (the store that resolves
// credentials is unreachable): the request gets 503 with Retry-After, not 401, so a client
// retries instead of discarding a good credential.
class AuthUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AuthProvider {
 public:
  virtual ~AuthProvider() = default;
  // The provider's name ("weft.apiKey"), for logs.
  virtual const std::string& name() const = 0;
  // Examines a request. Called from many threads at once: must be thread-safe. May throw
  // AuthUnavailable (503), or on a fault of its own (500; the log names the provider).
  virtual AuthOutcome authenticate(const AuthRequest& request) const = 0;
  // The WWW-Authenticate challenge of this provider's scheme (`Bearer realm="weft"`), or
  // empty when it has none.
  virtual std::string challenge() const { return {}; }
};

}  // namespace weft::auth
