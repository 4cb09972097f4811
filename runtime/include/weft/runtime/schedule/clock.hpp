// The clock a Scheduler reads and sleeps on: the system's wall clock in production, a
// FakeClock (fake_clock.hpp) in tests. Wall-clock time, because cron is about wall-clock time.
#pragma once

#include <weft/runtime/schedule/time_zone.hpp>  // TimePoint

#include <condition_variable>
#include <mutex>

namespace weft::schedule {

class Clock {
 public:
  virtual ~Clock() = default;

  // The current time. Thread-safe.
  virtual TimePoint now() const = 0;

  // Called with `lock` held on the mutex that guards what `cv` signals: blocks until `cv` is
  // notified or this clock reaches `deadline`, then returns with `lock` held again. May return
  // early; callers re-check their condition. Must not miss a notification sent by a thread that
  // holds the mutex.
  virtual void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                          TimePoint deadline) = 0;
};

// std::chrono::system_clock. A sleep ends when the wall clock reaches the deadline, also after
// the clock is set forward; a clock set back is noticed at the Scheduler's next wake-up.
class SystemClock : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
  void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                  TimePoint deadline) override {
    cv.wait_until(lock, deadline);
  }

  // One process-wide instance.
  static SystemClock& instance() {
    static SystemClock clock;
    return clock;
  }
};

}  // namespace weft::schedule
