// Per-account login throttling: after `max_failures` failed logins for one account within
// `window`, further attempts for it are refused until that window (counted from its first
// failure) has passed; a successful login clears the account's record. Per-address limits are
// the `auth` rate-limit group's (http/rate_limiter.hpp), which the login route draws from.
//
// Not a token bucket (RateLimiter cannot look without taking, and only failures count here):
// a fixed window per account. Memory is bounded: at most `max_accounts` records, the least
// recently touched evicted first (the per-address limit bounds how fast anyone can push a
// locked account out). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace weft::auth {

class LoginThrottle {
 public:
  using Clock = std::function<int64_t()>;  // now, in milliseconds since the epoch

  LoginThrottle(int max_failures, int64_t window_ms, size_t max_accounts, Clock now);

  // 0 when `account` may try to log in now; otherwise the milliseconds until it may.
  int64_t blocked_for(std::string_view account) const;
  // Counts a failed login of `account`.
  void failed(std::string_view account);
  // Forgets the failures of `account` (it logged in).
  void succeeded(std::string_view account);

  // Accounts held now (for tests).
  size_t size() const;

 private:
  struct Entry {
    std::string account;
    int64_t window_start_ms = 0;
    int failures = 0;
  };

  int max_failures_;
  int64_t window_ms_;
  size_t max_accounts_;
  Clock now_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recently touched first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace weft::auth
