#include "http/rate_limit_gate.hpp"

#include "http/peer_address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace weft::http {

namespace {

// Whole seconds, rounded up.
int64_t ceil_seconds(std::chrono::nanoseconds d) {
  constexpr int64_t kNanos = 1000000000;
  return d.count() <= 0 ? 0 : (d.count() + kNanos - 1) / kNanos;
}

// The seconds an empty bucket takes to refill completely (the policy's window), at least 1.
int64_t window_seconds(const BucketPolicy& b) {
  int64_t per_minute = std::max<int64_t>(1, b.per_minute);
  return std::max<int64_t>(1, (b.burst * 60 + per_minute - 1) / per_minute);
}

std::string list_of(const std::vector<LimitCheck>& checks, std::string (*item)(const LimitCheck&)) {
  std::string out;
  for (const auto& c : checks) out += (out.empty() ? "" : ", ") + item(c);
  return out;
}

}  // namespace

RateLimitGate::RateLimitGate(RateLimitOptions options, RateLimiter::Clock clock)
    : options_(std::move(options)), limiter_(options_.max_tracked_keys, std::move(clock)) {}

std::optional<LimitCheck> RateLimitGate::check(std::string_view group, const char* scope, std::string_view id) {
  if (!options_.enabled || group.empty()) return std::nullopt;
  const RateLimitGroup* g = options_.group(group);
  if (!g) return std::nullopt;
  const BucketPolicy& bucket = std::strcmp(scope, "address") == 0 ? g->per_address : g->per_principal;
  if (bucket.unlimited()) return std::nullopt;
  LimitCheck c;
  c.policy = std::string(group) + "." + scope;
  c.bucket = bucket;
  // The id comes last, so no id can make two keys collide.
  std::string key = c.policy;
  key += '|';
  key += id;
  c.decision = limiter_.take(key, bucket);
  return c;
}

std::optional<LimitCheck> RateLimitGate::check_address(std::string_view group, std::string_view remote_address) {
  return check(group, "address", client_address_key(remote_address));
}

std::optional<LimitCheck> RateLimitGate::check_principal(std::string_view group, std::string_view principal_id) {
  return check(group, "principal", principal_id);
}

std::string client_address_key(std::string_view remote_address) {
  const std::string host(peer_host(remote_address));
  unsigned char v6[16];
  if (inet_pton(AF_INET6, host.c_str(), v6) != 1) return host;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char text[INET6_ADDRSTRLEN] = {};
  if (std::memcmp(v6, kMapped, sizeof kMapped) == 0) {
    inet_ntop(AF_INET, v6 + 12, text, sizeof text);
    return text;
  }
  std::memset(v6 + 8, 0, 8);
  inet_ntop(AF_INET6, v6, text, sizeof text);
  return std::string(text) + "/64";
}

Response rate_limited(const LimitCheck& refused, const std::string& path) {
  const int64_t retry = std::max<int64_t>(1, ceil_seconds(refused.decision.retry_after));
  const bool by_address = refused.policy.ends_with(".address");
  Problem p = Problem::typed(
      429, "rate-limited", "Too many requests",
      std::string("too many requests ") + (by_address ? "from this client address" : "with this credential") +
          " (policy '" + refused.policy + "': " + std::to_string(refused.bucket.burst) + " at once, " +
          std::to_string(refused.bucket.per_minute) + " per minute); retry in " + std::to_string(retry) + " s");
  p.instance = path;
  p.retry_after_seconds = static_cast<int>(std::min<int64_t>(retry, 86400));
  p.with("violated-policies", Json::array({refused.policy}));
  return Response::problem(p);
}

void apply_rate_limit_headers(const std::vector<LimitCheck>& checks, Response& response) {
  if (checks.empty()) return;
  response.headers.set("RateLimit-Policy", list_of(checks, [](const LimitCheck& c) {
                         return "\"" + c.policy + "\";q=" + std::to_string(c.bucket.burst) +
                                ";w=" + std::to_string(window_seconds(c.bucket));
                       }));
  response.headers.set("RateLimit", list_of(checks, [](const LimitCheck& c) {
                         return "\"" + c.policy + "\";r=" + std::to_string(c.decision.remaining) +
                                ";t=" + std::to_string(ceil_seconds(c.decision.next_refill));
                       }));
}

}  // namespace weft::http
