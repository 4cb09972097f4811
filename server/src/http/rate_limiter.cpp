#include "http/rate_limiter.hpp"

#include <algorithm>

namespace weft::http {

namespace {

constexpr int64_t kNanosPerMinute = int64_t(60) * 1000 * 1000 * 1000;

}  // namespace

std::chrono::nanoseconds RateLimiter::steady_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch());
}

RateLimiter::RateLimiter(size_t max_keys, Clock clock)
    : clock_(std::move(clock)), per_shard_cap_(std::max<size_t>(1, max_keys / kShards)) {}

RateLimiter::Shard& RateLimiter::shard_of(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

RateDecision RateLimiter::take(std::string_view key, const BucketPolicy& policy) {
  // One request "costs" `interval` of bucket time; the bucket holds `capacity` of it. The
  // bucket is full when full_at <= now; it may run at most `capacity` ahead of now.
  const int64_t interval = kNanosPerMinute / std::max<int64_t>(1, policy.per_minute);
  const int64_t capacity = interval * std::max<int64_t>(1, policy.burst);
  const int64_t now = clock_().count();

  Shard& s = shard_of(key);
  std::lock_guard lock(s.mu);
  auto found = s.index.find(key);
  int64_t full_at = now;
  if (found != s.index.end()) {
    full_at = std::max(found->second->full_at_ns, now);
    s.lru.splice(s.lru.begin(), s.lru, found->second);  // most recently used
  }
  const int64_t after = full_at + interval - now;  // bucket time in use once this request is taken
  RateDecision d;
  if (after > capacity) {
    d.allowed = false;
    d.retry_after = std::chrono::nanoseconds(after - capacity);
    d.next_refill = d.retry_after;  // the one request it lacks
    return d;
  }
  if (found != s.index.end()) {
    found->second->full_at_ns = now + after;
  } else {
    // Full buckets at the cold end are forgotten first: they hold nothing a new one would not.
    while (!s.lru.empty() && s.lru.back().full_at_ns <= now) {
      s.index.erase(s.lru.back().key);
      s.lru.pop_back();
    }
    if (s.index.size() >= per_shard_cap_) {
      s.index.erase(s.lru.back().key);
      s.lru.pop_back();
      ++s.evictions;
    }
    s.lru.push_front(Entry{std::string(key), now + after});
    s.index.emplace(s.lru.front().key, s.lru.begin());
  }
  const int64_t free = capacity - after;  // unused bucket time
  d.remaining = free / interval;
  d.next_refill = std::chrono::nanoseconds(interval - free % interval);
  return d;
}

size_t RateLimiter::size() const {
  size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.index.size();
  }
  return n;
}

uint64_t RateLimiter::evictions() const {
  uint64_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.evictions;
  }
  return n;
}

}  // namespace weft::http
