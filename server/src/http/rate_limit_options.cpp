#include "http/rate_limit_options.hpp"

namespace weft::http {

namespace {

// Bounds burst and perMinute so that burst * (60 s / perMinute) in nanoseconds fits in 64 bits.
constexpr int64_t kMaxCount = 1000000;

Status read_count(const Config& config, const std::string& key, int64_t& out) {
  int64_t v = config.get_int(key);
  if (v < 0 || v > kMaxCount)
    return Status::invalid(key + " must be from 0 to " + std::to_string(kMaxCount) + " (got " + std::to_string(v) +
                           ")");
  out = v;
  return Status::ok();
}

Status read_bucket(const Config& config, const std::string& prefix, BucketPolicy& out) {
  if (Status st = read_count(config, prefix + ".burst", out.burst); !st) return st;
  if (Status st = read_count(config, prefix + ".perMinute", out.per_minute); !st) return st;
  if (out.burst > 0 && out.per_minute == 0)
    return Status::invalid(prefix + ".perMinute must be at least 1 when " + prefix +
                           ".burst is set (got 0); set the burst to 0 to turn this limit off");
  return Status::ok();
}

}  // namespace

const RateLimitGroup* RateLimitOptions::group(std::string_view name) const {
  auto it = groups.find(name);
  return it == groups.end() ? nullptr : &it->second;
}

Result<RateLimitOptions> RateLimitOptions::from_config(const Config& config) {
  RateLimitOptions o;
  o.enabled = config.get_bool("rateLimits.enabled");
  int64_t keys = config.get_int("rateLimits.maxTrackedKeys");
  if (keys < 1000 || keys > 100000000)
    return Status::invalid("rateLimits.maxTrackedKeys must be from 1000 to 100000000 (got " + std::to_string(keys) +
                           ")");
  o.max_tracked_keys = static_cast<size_t>(keys);
  for (const char* name : {kLimitGroupDefault, kLimitGroupWebhooks, kLimitGroupAuth}) {
    RateLimitGroup g;
    const std::string prefix = std::string("rateLimits.") + name;
    if (Status st = read_bucket(config, prefix + ".perPrincipal", g.per_principal); !st) return st;
    if (Status st = read_bucket(config, prefix + ".perAddress", g.per_address); !st) return st;
    o.groups.emplace(name, g);
  }
  return o;
}

}  // namespace weft::http
