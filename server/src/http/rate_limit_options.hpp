// The rate limits, read and checked from the `rateLimits.*` configuration keys: per route group
// ("default", "webhooks", "auth"), one token bucket per principal and one per client address.
// A bucket holds `burst` requests and regains `perMinute` of them every minute.
#pragma once

#include <weft/runtime/config.hpp>
#include <weft/runtime/status.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace weft::http {

// The route groups that have limits of their own. A route names its group in
// RouteSpec::limit_group; an empty group is exempt from limiting.
inline constexpr const char* kLimitGroupDefault = "default";
inline constexpr const char* kLimitGroupWebhooks = "webhooks";
inline constexpr const char* kLimitGroupAuth = "auth";

// One token bucket's shape.
struct BucketPolicy {
  int64_t burst = 0;       // capacity: requests allowed at once; 0: unlimited
  int64_t per_minute = 0;  // requests regained per minute (>= 1 when burst > 0)

  bool unlimited() const { return burst <= 0; }
};

struct RateLimitGroup {
  BucketPolicy per_principal;  // keyed by the authenticated principal's id
  BucketPolicy per_address;    // keyed by the client address (IPv6: its /64)
};

struct RateLimitOptions {
  bool enabled = false;               // rateLimits.enabled; false: nothing is limited
  size_t max_tracked_keys = 100000;   // rateLimits.maxTrackedKeys: buckets kept in memory
  std::map<std::string, RateLimitGroup, std::less<>> groups;

  // The group's limits; nullptr when the group is unknown (it is then not limited).
  const RateLimitGroup* group(std::string_view name) const;

  // Reads the rateLimits.* keys; errors name the key, the accepted range and the value given.
  static Result<RateLimitOptions> from_config(const Config& config);
};

}  // namespace weft::http
