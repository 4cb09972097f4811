#include "auth/login_throttle.hpp"

namespace weft::auth {

LoginThrottle::LoginThrottle(int max_failures, int64_t window_ms, size_t max_accounts, Clock now)
    : max_failures_(max_failures), window_ms_(window_ms), max_accounts_(max_accounts < 1 ? 1 : max_accounts),
      now_(std::move(now)) {}

int64_t LoginThrottle::blocked_for(std::string_view account) const {
  std::lock_guard lock(mu_);
  auto it = index_.find(std::string(account));
  if (it == index_.end() || it->second->failures < max_failures_) return 0;
  const int64_t left = it->second->window_start_ms + window_ms_ - now_();
  return left > 0 ? left : 0;
}

void LoginThrottle::failed(std::string_view account) {
  const int64_t now = now_();
  std::lock_guard lock(mu_);
  auto it = index_.find(std::string(account));
  if (it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    Entry& e = lru_.front();
    if (now - e.window_start_ms >= window_ms_) {  // the old window has passed: a new one
      e.window_start_ms = now;
      e.failures = 0;
    }
    ++e.failures;
    return;
  }
  if (index_.size() >= max_accounts_) {
    index_.erase(lru_.back().account);
    lru_.pop_back();
  }
  lru_.push_front(Entry{std::string(account), now, 1});
  index_.emplace(lru_.front().account, lru_.begin());
}

void LoginThrottle::succeeded(std::string_view account) {
  std::lock_guard lock(mu_);
  auto it = index_.find(std::string(account));
  if (it == index_.end()) return;
  lru_.erase(it->second);
  index_.erase(it);
}

size_t LoginThrottle::size() const {
  std::lock_guard lock(mu_);
  return index_.size();
}

}  // namespace weft::auth
