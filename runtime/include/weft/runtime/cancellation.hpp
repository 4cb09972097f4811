// Cancellation shared by everything working for one execution.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace weft {

class CancellationToken {
 public:
  using Clock = std::chrono::steady_clock;

  // Marks the execution cancelled and wakes every wait_until. Idempotent; thread-safe.
  void cancel() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_.store(true, std::memory_order_release);
    }
    cv_.notify_all();
  }
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

  // Sleeps until `until`; returns false early if cancelled first.
  bool wait_until(Clock::time_point until) {
    std::unique_lock<std::mutex> lock(mu_);
    return !cv_.wait_until(lock, until, [&] { return cancelled(); });
  }

 private:
  std::atomic<bool> cancelled_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace weft
