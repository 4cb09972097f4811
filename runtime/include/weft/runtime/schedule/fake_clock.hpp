// A clock that moves only when told to, for deterministic tests of schedules: the test sets
// the time, then waits until the scheduler thread has done everything due and gone back to
// sleep — no real sleeping, no assertion on wall-clock time.
#pragma once

#include <weft/runtime/schedule/clock.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

namespace weft::schedule {

class FakeClock : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}

  TimePoint now() const override;
  void wait_until(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                  TimePoint deadline) override;

  // Moves the time by `d` (may be negative: a clock set back) / to `t`, and wakes every thread
  // waiting on this clock. Must not race with the destruction of a waiter's condition variable
  // (do not destroy a Scheduler while another thread moves its clock).
  void advance(std::chrono::nanoseconds d);
  void set(TimePoint t);

  // Blocks until a thread has started waiting on this clock since the last advance / set —
  // for a Scheduler: it has run (with an inline executor: finished) everything due at now()
  // and gone back to sleep. Returns false if that did not happen within `real_timeout` of real
  // time, a safety net so that a broken test fails instead of hanging.
  bool wait_idle(std::chrono::milliseconds real_timeout = std::chrono::seconds{30});

 private:
  struct Waiter {
    std::condition_variable* cv;
    std::mutex* mutex;
    uint64_t epoch;
  };

  mutable std::mutex mu_;
  std::condition_variable idle_cv_;
  TimePoint now_;
  uint64_t epoch_ = 0;  // bumped by every advance / set
  std::vector<Waiter*> waiters_;
};

}  // namespace weft::schedule
