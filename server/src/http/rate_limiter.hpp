// Token buckets by key, safe to use from every server thread at once. Each bucket is kept as
// one number, GCRA's "theoretical arrival time" (the instant at which the bucket would be full
// again), which is an exact token bucket in integer nanoseconds of a monotonic clock.
//
// Memory is bounded: the keys live in kShards shards, each with its own mutex (callers of
// different keys rarely wait on each other) and a least-recently-used list capped at
// max_keys / kShards entries. Before a new key is added, buckets that have refilled completely
// are dropped from the cold end of the list (forgetting a full bucket changes nothing); at the
// cap the least recently used bucket is evicted, so a flood of new keys cannot grow the table.
#pragma once

#include "http/rate_limit_options.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace weft::http {

// What a bucket said about one request.
struct RateDecision {
  bool allowed = true;
  int64_t remaining = 0;  // whole requests left in the bucket after this one
  // Refused: how long until this request would be allowed. Allowed: zero.
  std::chrono::nanoseconds retry_after{0};
  // How long until the bucket regains one more request (zero when it is full).
  std::chrono::nanoseconds next_refill{0};
};

class RateLimiter {
 public:
  // A monotonic clock: time since some fixed instant. Injected by tests.
  using Clock = std::function<std::chrono::nanoseconds()>;
  static std::chrono::nanoseconds steady_now();

  static constexpr size_t kShards = 16;

  // Keeps at most max(max_keys, kShards) buckets.
  explicit RateLimiter(size_t max_keys, Clock clock = steady_now);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes one request from the bucket of `key`, shaped by `policy` (a key not seen before, or
  // forgotten, starts full). A refused request takes nothing. Precondition: the policy is not
  // unlimited (burst >= 1, per_minute >= 1) and is the same on every call for a key.
  RateDecision take(std::string_view key, const BucketPolicy& policy);

  // Buckets held now (for tests and metrics).
  size_t size() const;
  // Buckets evicted before they refilled, since construction.
  uint64_t evictions() const;

 private:
  struct Entry {
    std::string key;
    int64_t full_at_ns;  // the theoretical arrival time: the bucket is full from this instant
  };
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;  // most recently used first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views into lru
    uint64_t evictions = 0;
  };

  Shard& shard_of(std::string_view key);

  Clock clock_;
  size_t per_shard_cap_;
  std::array<Shard, kShards> shards_;
};

}  // namespace weft::http
