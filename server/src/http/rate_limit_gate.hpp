// The rate limits as the dispatcher applies them to a request: which bucket a request draws
// from (its route group and its client address, or its principal), what a refusal answers
// (429, problem type "rate-limited", Retry-After) and the RateLimit-Policy / RateLimit headers.
//
// The headers follow draft-ietf-httpapi-ratelimit-headers-10 (structured-field lists of named
// policies):
//   RateLimit-Policy: "default.address";q=1000;w=2, "default.principal";q=200;w=2
//   RateLimit: "default.address";r=997;t=1, "default.principal";r=0;t=1
// One policy per bucket consulted, named "<group>.address" or "<group>.principal"; q is the
// burst and w the seconds the empty bucket takes to refill completely; r is the requests left
// and t the seconds until one more is regained (0 when the bucket is full).
#pragma once

#include "http/rate_limit_options.hpp"
#include "http/rate_limiter.hpp"
#include "http/response.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft::http {

// One bucket consulted for a request.
struct LimitCheck {
  std::string policy;  // "default.address"
  BucketPolicy bucket;
  RateDecision decision;
};

class RateLimitGate {
 public:
  // Limits nothing when `options.enabled` is false.
  explicit RateLimitGate(RateLimitOptions options, RateLimiter::Clock clock = RateLimiter::steady_now);

  // Takes one request from the address bucket of route group `group` for `remote_address`
  // ("192.0.2.7:51234", "[2001:db8::1]:51234"). nullopt when that bucket is unlimited, the
  // group is empty (exempt) or unknown, or limiting is off.
  std::optional<LimitCheck> check_address(std::string_view group, std::string_view remote_address);
  // The same for the bucket of the principal `principal_id` (an API key id or a user id).
  std::optional<LimitCheck> check_principal(std::string_view group, std::string_view principal_id);

  const RateLimitOptions& options() const { return options_; }
  const RateLimiter& limiter() const { return limiter_; }

 private:
  std::optional<LimitCheck> check(std::string_view group, const char* scope, std::string_view id);

  RateLimitOptions options_;
  RateLimiter limiter_;
};

// The bucket key of a client address: the host without the port; an IPv6 address by its /64
// prefix (one subscriber usually holds a whole /64); an IPv4-mapped IPv6 address as IPv4. A
// text that is no address is used as it is.
std::string client_address_key(std::string_view remote_address);

// The 429 answer to a refused check: problem type "rate-limited" naming the policy, with
// Retry-After in whole seconds (rounded up, at least 1). The RateLimit headers are left to
// apply_rate_limit_headers.
Response rate_limited(const LimitCheck& refused, const std::string& path);

// Sets RateLimit-Policy and RateLimit on `response` for `checks` (nothing when empty).
void apply_rate_limit_headers(const std::vector<LimitCheck>& checks, Response& response);

}  // namespace weft::http
