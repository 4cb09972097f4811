#include <weft/runtime/schedule/fake_clock.hpp>

#include <algorithm>

namespace weft::schedule {

TimePoint FakeClock::now() const {
  std::lock_guard<std::mutex> guard(mu_);
  return now_;
}

void FakeClock::wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                           TimePoint deadline) {
  Waiter self{&cv, lock.mutex(), 0};
  {
    std::lock_guard<std::mutex> guard(mu_);
    if (now_ >= deadline) return;
    self.epoch = epoch_;
    waiters_.push_back(&self);
  }
  idle_cv_.notify_all();
  // `lock` is held from the check above until wait() releases it, and advance() takes that
  // mutex before notifying, so a move of the clock cannot slip in between unnoticed.
  cv.wait(lock);
  std::lock_guard<std::mutex> guard(mu_);
  waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &self));
}

void FakeClock::advance(std::chrono::nanoseconds d) {
  std::vector<Waiter> to_wake;
  {
    std::lock_guard<std::mutex> guard(mu_);
    now_ += std::chrono::duration_cast<TimePoint::duration>(d);
    ++epoch_;
    for (Waiter* w : waiters_) to_wake.push_back(*w);
  }
  for (const Waiter& w : to_wake) {
    std::lock_guard<std::mutex> guard(*w.mutex);
    w.cv->notify_all();
  }
}

void FakeClock::set(TimePoint t) { advance(t - now()); }

bool FakeClock::wait_idle(std::chrono::milliseconds real_timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_cv_.wait_for(lock, real_timeout, [&] {
    return std::any_of(waiters_.begin(), waiters_.end(),
                       [&](const Waiter* w) { return w->epoch == epoch_; });
  });
}

}  // namespace weft::schedule
