// The Scheduler on a FakeClock: once per tick, remove, collapsed backlogs, anchored intervals,
// clock jumps, slow callbacks, replacement, stop, errors. Time moves only when a test moves it;
// FakeClock::wait_idle waits until the scheduler has handled everything due.
#include "schedule_test_support.hpp"

#include <weft/runtime/schedule/fake_clock.hpp>
#include <weft/runtime/schedule/scheduler.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace weft::schedule::test {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// A bound for waiting on other threads, so that a broken test fails instead of hanging. Never
// reached when the code works; nothing asserts on how long anything takes.
constexpr auto kPatience = std::chrono::seconds{30};

const TimePoint kT0 = at("2024-01-01T00:00:00Z");

// Collects the ticks a callback receives, from any thread.
class Recorder {
 public:
  Scheduler::Callback callback() {
    return [this](const Tick& t) { record(t); };
  }
  void record(const Tick& t) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ticks_.push_back(t);
    }
    cv_.notify_all();
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return ticks_.size();
  }
  bool wait_for(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kPatience, [&] { return ticks_.size() >= n; });
  }
  Tick at(size_t i) {
    std::lock_guard<std::mutex> lock(mu_);
    return ticks_.at(i);
  }
  // The scheduled_at of every tick, as offsets from kT0 in seconds.
  std::vector<int64_t> scheduled() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<int64_t> out;
    for (const Tick& t : ticks_)
      out.push_back(std::chrono::duration_cast<seconds>(t.scheduled_at - kT0).count());
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Tick> ticks_;
};

// Runs each callback on the scheduler thread itself, so that wait_idle() also means "the
// callbacks have run".
SchedulerOptions inline_on(FakeClock& clock) {
  SchedulerOptions o;
  o.clock = &clock;
  o.executor = [](std::function<void()> run) { run(); };
  return o;
}

Trigger every(seconds period, std::optional<TimePoint> anchor = std::nullopt) {
  return *Trigger::interval(period, anchor);
}

Trigger cron(const char* text, const char* zone_name = "UTC") {
  return Trigger::cron(*CronExpression::parse(text), zone(zone_name));
}

TEST(Scheduler, FiresAnIntervalOncePerTick) {
  FakeClock clock(kT0);
  Recorder r;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("k", every(seconds{10}), r.callback()));
  EXPECT_EQ(scheduler.next_due("k"), kT0 + seconds{10});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(r.count(), 0u);
  for (size_t i = 1; i <= 5; ++i) {
    clock.advance(seconds{10});
    ASSERT_TRUE(clock.wait_idle());
    EXPECT_EQ(r.count(), i);
  }
  clock.advance(seconds{9});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(r.count(), 5u);
  EXPECT_EQ(r.scheduled(), (std::vector<int64_t>{10, 20, 30, 40, 50}));
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(r.at(i).missed, 0u);
    EXPECT_EQ(r.at(i).fired_at, r.at(i).scheduled_at);
  }
  EXPECT_EQ(scheduler.size(), 1u);
}

TEST(Scheduler, FiresACronOncePerTickInItsZone) {
  FakeClock clock(kT0);
  Recorder r;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("k", cron("*/5 * * * * *", "Europe/Berlin"), r.callback()));
  for (int i = 0; i < 60; ++i) {
    clock.advance(milliseconds{500});
    ASSERT_TRUE(clock.wait_idle());
  }
  EXPECT_EQ(r.scheduled(), (std::vector<int64_t>{5, 10, 15, 20, 25, 30}));
}

TEST(Scheduler, RemoveStopsIt) {
  FakeClock clock(kT0);
  Recorder kept, removed;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("kept", every(seconds{10}), kept.callback()));
  ASSERT_TRUE(scheduler.add("removed", every(seconds{10}), removed.callback()));
  clock.advance(seconds{10});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_TRUE(scheduler.remove("removed"));
  EXPECT_FALSE(scheduler.remove("removed"));
  EXPECT_EQ(scheduler.next_due("removed"), std::nullopt);
  clock.advance(seconds{100});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(removed.count(), 1u);
  EXPECT_EQ(kept.count(), 2u);
  EXPECT_EQ(scheduler.size(), 1u);
}

TEST(Scheduler, APauseCollapsesMissedTicksIntoOneRun) {
  FakeClock clock(kT0);
  Recorder r;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("k", every(seconds{10}), r.callback()));
  // The machine slept for an hour.
  clock.advance(seconds{3605});
  ASSERT_TRUE(clock.wait_idle());
  ASSERT_EQ(r.count(), 1u);
  EXPECT_EQ(r.at(0).scheduled_at, kT0 + seconds{10});
  EXPECT_EQ(r.at(0).fired_at, kT0 + seconds{3605});
  EXPECT_EQ(r.at(0).missed, 359u);  // 20 s ... 3600 s
  // The next tick is the first after now, on the grid.
  EXPECT_EQ(scheduler.next_due("k"), kT0 + seconds{3610});
  clock.advance(seconds{5});
  ASSERT_TRUE(clock.wait_idle());
  ASSERT_EQ(r.count(), 2u);
  EXPECT_EQ(r.at(1).scheduled_at, kT0 + seconds{3610});
  EXPECT_EQ(r.at(1).missed, 0u);
}

TEST(Scheduler, AClockJumpAheadCollapsesMissedCronTicks) {
  FakeClock clock(kT0);
  Recorder r;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("k", cron("0 * * * * *", "Europe/Berlin"), r.callback()));
  clock.set(kT0 + minutes{10} + seconds{30});
  ASSERT_TRUE(clock.wait_idle());
  ASSERT_EQ(r.count(), 1u);
  EXPECT_EQ(r.at(0).scheduled_at, kT0 + minutes{1});
  EXPECT_EQ(r.at(0).missed, 9u);
  EXPECT_EQ(scheduler.next_due("k"), kT0 + minutes{11});
  // A day ahead: still one run; the count of missed ticks is capped.
  clock.advance(hours{24});
  ASSERT_TRUE(clock.wait_idle());
  ASSERT_EQ(r.count(), 2u);
  EXPECT_EQ(r.at(1).scheduled_at, kT0 + minutes{11});
  EXPECT_EQ(r.at(1).missed, Tick::kMaxCountedMissed);
}

TEST(Scheduler, IntervalsStayOnTheirGridWhateverTheLatenessOfARun) {
  FakeClock clock(kT0);
  Recorder r;
  bool first = true;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("k", every(seconds{10}), [&](const Tick& t) {
    r.record(t);
    if (first) clock.advance(seconds{12});  // the first run takes 12 s
    first = false;
  }));
  clock.advance(seconds{13});  // the scheduler wakes 3 s late; the run ends at 25
  ASSERT_TRUE(clock.wait_idle());
  ASSERT_EQ(r.count(), 2u);
  EXPECT_EQ(r.at(0).fired_at, kT0 + seconds{13});
  EXPECT_EQ(r.at(1).scheduled_at, kT0 + seconds{20});  // came due during the run
  EXPECT_EQ(r.at(1).fired_at, kT0 + seconds{25});
  EXPECT_EQ(scheduler.next_due("k"), kT0 + seconds{30});  // not 25 + 10: no drift
  clock.set(kT0 + seconds{30});
  ASSERT_TRUE(clock.wait_idle());
  clock.set(kT0 + seconds{40});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(r.scheduled(), (std::vector<int64_t>{10, 20, 30, 40}));
  EXPECT_EQ(r.at(3).fired_at, kT0 + seconds{40});
}

TEST(Scheduler, AnExplicitAnchorSetsTheGrid) {
  FakeClock clock(kT0);
  Recorder r;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("k", every(seconds{10}, kT0 - seconds{25}), r.callback()));
  EXPECT_EQ(scheduler.next_due("k"), kT0 + seconds{5});
  clock.advance(seconds{5});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(r.scheduled(), (std::vector<int64_t>{5}));
}

// Queues runs for the test to start by hand.
class ManualExecutor {
 public:
  std::function<void(std::function<void()>)> executor() {
    return [this](std::function<void()> run) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        queue_.push_back(std::move(run));
      }
      cv_.notify_all();
    };
  }
  // Waits for a queued run and performs it on this thread.
  bool run_one() {
    std::function<void()> run;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!cv_.wait_for(lock, kPatience, [&] { return !queue_.empty(); })) return false;
      run = std::move(queue_.front());
      queue_.pop_front();
    }
    run();
    return true;
  }
  size_t queued() {
    std::lock_guard<std::mutex> lock(mu_);
    return queue_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
};

TEST(Scheduler, ATriggerNeverRunsTwiceAtOnceAndTicksDuringALongRunCollapse) {
  FakeClock clock(kT0);
  ManualExecutor manual;
  SchedulerOptions options;
  options.clock = &clock;
  options.executor = manual.executor();
  Recorder r;
  Scheduler scheduler(options);
  ASSERT_TRUE(scheduler.add("k", every(seconds{10}), r.callback()));
  clock.advance(seconds{10});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(manual.queued(), 1u);  // handed over, not yet started
  clock.advance(seconds{30});      // ticks 20, 30, 40 come due while the run is pending
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(manual.queued(), 1u);
  ASSERT_TRUE(manual.run_one());  // the run at 10 ends; the ticks it overlapped make one run
  ASSERT_TRUE(manual.run_one());
  ASSERT_EQ(r.count(), 2u);
  EXPECT_EQ(r.at(1).scheduled_at, kT0 + seconds{20});
  EXPECT_EQ(r.at(1).fired_at, kT0 + seconds{40});
  EXPECT_EQ(r.at(1).missed, 2u);
  EXPECT_EQ(scheduler.next_due("k"), kT0 + seconds{50});
  EXPECT_EQ(manual.queued(), 0u);
}

// A gate that a callback waits at until the test opens it.
class Gate {
 public:
  void wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }
  void open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

TEST(Scheduler, ASlowCallbackDoesNotDelayAnotherTrigger) {
  FakeClock clock(kT0);
  SchedulerOptions options;
  options.clock = &clock;
  options.pool_threads = 2;  // the real pool
  Gate gate;
  Recorder slow, fast;
  Scheduler scheduler(options);
  struct OpenOnExit {
    Gate& gate;
    ~OpenOnExit() { gate.open(); }  // a failed assertion must not leave a callback stuck
  } open_on_exit{gate};

  ASSERT_TRUE(scheduler.add("slow", every(seconds{10}), [&](const Tick& t) {
    slow.record(t);
    gate.wait();
  }));
  ASSERT_TRUE(scheduler.add("fast", every(seconds{15}), fast.callback()));
  clock.advance(seconds{10});
  ASSERT_TRUE(slow.wait_for(1));  // running, and blocked
  clock.advance(seconds{5});
  ASSERT_TRUE(fast.wait_for(1));  // ran while the slow one is blocked
  clock.advance(seconds{15});
  ASSERT_TRUE(fast.wait_for(2));
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(slow.count(), 1u);  // not started again while still running
  EXPECT_EQ(scheduler.next_due("slow"), kT0 + seconds{20});  // due, waiting for its run
  gate.open();
  ASSERT_TRUE(slow.wait_for(2));
  EXPECT_EQ(slow.at(1).scheduled_at, kT0 + seconds{20});
  EXPECT_EQ(slow.at(1).fired_at, kT0 + seconds{30});
  EXPECT_EQ(slow.at(1).missed, 1u);
  EXPECT_EQ(fast.scheduled(), (std::vector<int64_t>{15, 30}));
}

TEST(Scheduler, AClockSetBackALittleDoesNotRepeatATick) {
  FakeClock clock(kT0);
  Recorder r;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("k", every(seconds{10}), r.callback()));
  clock.advance(seconds{10});
  ASSERT_TRUE(clock.wait_idle());
  clock.advance(-seconds{5});  // an NTP step back
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(r.count(), 1u);
  EXPECT_EQ(scheduler.next_due("k"), kT0 + seconds{20});
  clock.set(kT0 + seconds{10});  // re-lives the tick that already ran
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(r.count(), 1u);
  clock.set(kT0 + seconds{20});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(r.scheduled(), (std::vector<int64_t>{10, 20}));
}

TEST(Scheduler, AClockSetBackFarRestartsTheScheduleFromTheNewTime) {
  FakeClock clock(kT0);
  SchedulerOptions options = inline_on(clock);
  Recorder r;
  Scheduler scheduler(options);
  ASSERT_TRUE(scheduler.add("k", cron("0 0 * * * *"), r.callback()));
  clock.set(kT0 + hours{1});
  ASSERT_TRUE(clock.wait_idle());
  ASSERT_EQ(r.count(), 1u);
  clock.set(kT0 - hours{3} + minutes{30});  // the clock had been 3.5 h fast
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(scheduler.next_due("k"), kT0 - hours{2});
  clock.set(kT0 - hours{2});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(r.count(), 2u);
}

TEST(Scheduler, AddingAKeyAgainReplacesItsTriggerAndCallback) {
  FakeClock clock(kT0);
  Recorder old_callback, new_callback;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("k", every(seconds{10}), old_callback.callback()));
  ASSERT_TRUE(scheduler.add("k", every(seconds{25}), new_callback.callback()));
  EXPECT_EQ(scheduler.size(), 1u);
  EXPECT_EQ(scheduler.next_due("k"), kT0 + seconds{25});
  clock.advance(seconds{50});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(old_callback.count(), 0u);
  EXPECT_EQ(new_callback.count(), 1u);
}

TEST(Scheduler, ACallbackMayRemoveItsOwnSchedule) {
  FakeClock clock(kT0);
  int runs = 0;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("once", every(seconds{1}), [&](const Tick&) {
    ++runs;
    scheduler.remove("once");
  }));
  clock.advance(seconds{1});
  ASSERT_TRUE(clock.wait_idle());
  clock.advance(seconds{5});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(scheduler.size(), 0u);
}

TEST(Scheduler, StopEndsEverything) {
  FakeClock clock(kT0);
  Recorder r;
  Scheduler scheduler(inline_on(clock));
  ASSERT_TRUE(scheduler.add("k", every(seconds{10}), r.callback()));
  scheduler.stop();
  scheduler.stop();  // idempotent
  clock.advance(seconds{100});
  EXPECT_EQ(r.count(), 0u);
  Status st = scheduler.add("other", every(seconds{10}), r.callback());
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_EQ(st.message(), "the scheduler is stopped");
}

TEST(Scheduler, ACallbackThatThrowsIsReportedAndTheScheduleGoesOn) {
  FakeClock clock(kT0);
  SchedulerOptions options = inline_on(clock);
  std::vector<std::string> errors;
  options.on_callback_error = [&](std::string_view key, std::string_view what) {
    errors.push_back(std::string(key) + ": " + std::string(what));
  };
  int runs = 0;
  Scheduler scheduler(options);
  ASSERT_TRUE(scheduler.add("k", every(seconds{10}), [&](const Tick&) {
    ++runs;
    throw std::runtime_error("boom");
  }));
  clock.advance(seconds{10});
  ASSERT_TRUE(clock.wait_idle());
  clock.advance(seconds{10});
  ASSERT_TRUE(clock.wait_idle());
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(errors, (std::vector<std::string>{"k: boom", "k: boom"}));
}

TEST(Scheduler, AddRefusesWhatCannotRun) {
  FakeClock clock(at("2261-01-01T00:00:00Z"));
  Scheduler scheduler(inline_on(clock));
  Scheduler::Callback noop = [](const Tick&) {};
  EXPECT_EQ(scheduler.add("", every(seconds{1}), noop).message(), "schedule key is empty");
  EXPECT_EQ(scheduler.add("k", every(seconds{1}), nullptr).message(),
            "schedule callback for 'k' is empty");
  Status never = scheduler.add("k", cron("0 0 0 29 2 *"), noop);
  EXPECT_EQ(never.code(), Code::kNotFound);
  EXPECT_EQ(never.message(),
            "cron expression '0 0 0 29 2 *' has no time in UTC between 2261-01-01T00:00:01.000Z "
            "and 2262-04-11T23:47:16.000Z");
  EXPECT_EQ(scheduler.size(), 0u);
}

TEST(Scheduler, RunsOnTheSystemClockAndItsOwnPool) {
  Recorder r;
  Scheduler scheduler;  // real clock, internal pool
  ASSERT_TRUE(scheduler.add("k", every(seconds{1}), r.callback()));
  ASSERT_TRUE(r.wait_for(1));
  Tick t = r.at(0);
  EXPECT_GE(t.fired_at, t.scheduled_at);
  scheduler.stop();
}

}  // namespace
}  // namespace weft::schedule::test
