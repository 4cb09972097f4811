// Runs callbacks on schedules: one thread sleeps until the next due trigger and hands each
// run to an executor, so a slow callback delays nothing else.
//
//   weft::schedule::Scheduler scheduler;
//   auto trigger = weft::schedule::trigger_from_node_parameters(node["parameters"]);
//   if (!trigger) return trigger.status();
//   scheduler.add("wf-42/node-1", *trigger, [&](const weft::schedule::Tick& tick) {
//     start_execution("wf-42", weft::schedule::tick_item(tick, *trigger));
//   });
//
// Rules:
//  * Each trigger runs once per tick, and never twice at once: a tick that comes due while the
//    trigger's previous run is still going waits for it.
//  * No backlog, no drift: when ticks were missed — the process was suspended, the machine
//    slept, the previous run took long, the clock jumped ahead — they collapse into ONE run
//    (Tick::scheduled_at = the earliest missed tick, Tick::missed = how many more), and the
//    next tick is the first one after now. Interval triggers tick at anchor + k * period
//    whatever the lateness of a run.
//  * A clock set back by up to an hour does not repeat ticks that already ran; set back
//    further, the schedule restarts from the new time.
#pragma once

#include <weft/runtime/schedule/clock.hpp>
#include <weft/runtime/schedule/trigger.hpp>
#include <weft/runtime/status.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace weft {
class ThreadPool;
}

namespace weft::schedule {

struct SchedulerOptions {
  // OWNERSHIP: borrowed; must outlive the Scheduler. nullptr: SystemClock::instance().
  Clock* clock = nullptr;
  // Runs one task (a callback run) somewhere other than the scheduler thread — a pool, a
  // queue. Must not throw, and must run every task it accepts (a dropped task leaves its
  // trigger waiting for a run that never ends). Empty: an internal pool of `pool_threads`.
  // Whatever a callback uses must outlive the runs (the Scheduler's destructor waits for the
  // internal pool only).
  std::function<void(std::function<void()>)> executor;
  size_t pool_threads = 2;
  // The scheduler thread looks at the clock at least this often, so that a clock set back is
  // noticed.
  std::chrono::milliseconds max_sleep = std::chrono::seconds{60};
  // Told when a callback throws (the scheduler goes on). Default: ignored.
  std::function<void(std::string_view key, std::string_view what)> on_callback_error;
};

class Scheduler {
 public:
  using Callback = std::function<void(const Tick&)>;

  Scheduler();
  explicit Scheduler(SchedulerOptions options);
  // stop(), then waits for the runs in progress on the internal pool (a caller's executor is
  // the caller's to drain). Not to be called from a callback.
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Schedules `callback` on `trigger` under `key`, replacing what the key had (a run of the
  // old trigger already started finishes; no run of it starts any more). An interval without
  // an anchor is anchored now; the first tick is the first after now. Errors: kInvalid for an
  // empty key or callback, the trigger's kNotFound when it has no future tick, kUnavailable
  // after stop(). Thread-safe; callable from a callback.
  Status add(std::string key, Trigger trigger, Callback callback);

  // Unschedules `key`; returns whether it was scheduled. Once it returns no run of it starts,
  // apart from one that an executor thread was starting at that very moment; a run already
  // going finishes. Thread-safe; callable from a callback.
  bool remove(std::string_view key);

  // Stops for good: no run starts after it returns; the thread is joined (unless called from a
  // callback on it). Idempotent.
  void stop();

  // When `key` next runs (nullopt: not scheduled, or no further tick). A tick that is due
  // while the previous run still goes is reported as it is (in the past).
  std::optional<TimePoint> next_due(std::string_view key) const;
  // Number of scheduled keys.
  size_t size() const;

  struct State;  // shared with the tasks handed to the executor, which may outlive *this

 private:
  void run();

  std::shared_ptr<State> state_;
  std::unique_ptr<ThreadPool> pool_;  // when no executor was given
  std::thread thread_;
};

}  // namespace weft::schedule
