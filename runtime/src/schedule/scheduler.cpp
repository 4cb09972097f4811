#include <weft/runtime/schedule/scheduler.hpp>
#include <weft/runtime/thread_pool.hpp>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <vector>

namespace weft::schedule {

namespace {

// How far a clock may be set back without the ticks it re-lives running again.
constexpr std::chrono::hours kClockBackTolerance{1};

}  // namespace

struct Scheduler::State {
  struct Entry {
    explicit Entry(Trigger t) : trigger(std::move(t)) {}
    uint64_t generation = 0;  // tells a replaced entry's late tasks from the current one's
    Trigger trigger;
    std::shared_ptr<const Callback> callback;
    std::optional<TimePoint> next_due;  // nullopt: no further tick
    std::optional<TimePoint> covered_until;  // every tick up to here has had its run
    bool running = false;
  };

  Clock* clock = nullptr;
  std::function<void(std::function<void()>)> executor;
  std::chrono::milliseconds max_sleep{0};
  std::function<void(std::string_view, std::string_view)> on_callback_error;

  std::mutex mu;
  std::condition_variable cv;
  bool stopped = false;
  uint64_t generations = 0;
  std::map<std::string, Entry, std::less<>> entries;
  std::optional<TimePoint> last_seen;  // the clock at the thread's previous look

  std::mutex join_mu;  // serializes joining the thread
};

namespace {

using State = Scheduler::State;

// One run of `key`, to be handed to the executor. It checks, when it gets to run, that the
// entry it was made for is still scheduled, and clears the entry's running flag afterwards.
std::function<void()> make_run(std::shared_ptr<State> state, std::string key, uint64_t generation,
                               std::shared_ptr<const Scheduler::Callback> callback, Tick tick) {
  return [state = std::move(state), key = std::move(key), generation,
          callback = std::move(callback), tick] {
    {
      std::lock_guard<std::mutex> lock(state->mu);
      auto it = state->entries.find(key);
      if (state->stopped || it == state->entries.end() || it->second.generation != generation)
        return;
    }
    try {
      (*callback)(tick);
    } catch (const std::exception& e) {
      if (state->on_callback_error) state->on_callback_error(key, e.what());
    } catch (...) {
      if (state->on_callback_error) state->on_callback_error(key, "unknown exception");
    }
    {
      std::lock_guard<std::mutex> lock(state->mu);
      auto it = state->entries.find(key);
      if (it != state->entries.end() && it->second.generation == generation)
        it->second.running = false;
    }
    state->cv.notify_all();
  };
}

// The clock went back to `now`: the next ticks are the first after now — but not one that an
// earlier run already covered, as long as the clock went back less than the tolerance.
void reschedule_after_clock_back(State& s, TimePoint now) {
  for (auto& [key, e] : s.entries) {
    TimePoint from = now;
    if (e.covered_until && *e.covered_until > now && *e.covered_until - now <= kClockBackTolerance)
      from = *e.covered_until;
    Result<TimePoint> next = e.trigger.next_after(from);
    e.next_due = next ? std::optional<TimePoint>(*next) : std::nullopt;
  }
}

}  // namespace

Scheduler::Scheduler() : Scheduler(SchedulerOptions()) {}

Scheduler::Scheduler(SchedulerOptions options) : state_(std::make_shared<State>()) {
  state_->clock = options.clock ? options.clock : &SystemClock::instance();
  state_->max_sleep = std::max(options.max_sleep, std::chrono::milliseconds{1});
  state_->on_callback_error = std::move(options.on_callback_error);
  if (options.executor) {
    state_->executor = std::move(options.executor);
  } else {
    pool_ = std::make_unique<ThreadPool>(options.pool_threads);
    ThreadPool* pool = pool_.get();
    state_->executor = [pool](std::function<void()> task) { pool->submit(std::move(task)); };
  }
  thread_ = std::thread([this] { run(); });
}

Scheduler::~Scheduler() {
  stop();
  if (thread_.joinable()) thread_.detach();  // destroyed from its own thread
  pool_.reset();  // waits for runs in progress
}

Status Scheduler::add(std::string key, Trigger trigger, Callback callback) {
  if (key.empty()) return Status::invalid("schedule key is empty");
  if (!callback) return Status::invalid("schedule callback for '" + key + "' is empty");
  State& s = *state_;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.stopped) return Status::unavailable("the scheduler is stopped");
    TimePoint now = s.clock->now();
    Trigger anchored = trigger.anchored(now);
    Result<TimePoint> next = anchored.next_after(now);
    if (!next) return next.status();
    State::Entry entry(std::move(anchored));
    entry.generation = ++s.generations;
    entry.callback = std::make_shared<const Callback>(std::move(callback));
    entry.next_due = *next;
    s.entries.insert_or_assign(std::move(key), std::move(entry));
  }
  s.cv.notify_all();
  return Status::ok();
}

bool Scheduler::remove(std::string_view key) {
  State& s = *state_;
  bool removed = false;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    auto it = s.entries.find(key);
    if (it != s.entries.end()) {
      s.entries.erase(it);
      removed = true;
    }
  }
  if (removed) s.cv.notify_all();
  return removed;
}

void Scheduler::stop() {
  State& s = *state_;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.stopped = true;
  }
  s.cv.notify_all();
  std::lock_guard<std::mutex> join(s.join_mu);
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

std::optional<TimePoint> Scheduler::next_due(std::string_view key) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->entries.find(key);
  if (it == state_->entries.end()) return std::nullopt;
  return it->second.next_due;
}

size_t Scheduler::size() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->entries.size();
}

void Scheduler::run() {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mu);
  while (!s.stopped) {
    TimePoint now = s.clock->now();
    if (s.last_seen && now < *s.last_seen) reschedule_after_clock_back(s, now);
    s.last_seen = now;

    std::vector<std::function<void()>> runs;
    for (auto& [key, e] : s.entries) {
      if (e.running || !e.next_due || *e.next_due > now) continue;
      // Everything due up to now collapses into this one run; the next tick is after now.
      Tick tick{*e.next_due, now, 0};
      for (Result<TimePoint> t = e.trigger.next_after(*e.next_due);
           t && *t <= now && tick.missed < Tick::kMaxCountedMissed; t = e.trigger.next_after(*t))
        ++tick.missed;
      Result<TimePoint> next = e.trigger.next_after(now);
      e.next_due = next ? std::optional<TimePoint>(*next) : std::nullopt;
      e.covered_until = now;
      e.running = true;
      runs.push_back(make_run(state_, key, e.generation, e.callback, tick));
    }
    if (!runs.empty()) {
      // Outside the lock: an inline executor's callback may call add / remove.
      lock.unlock();
      for (auto& r : runs) s.executor(std::move(r));
      lock.lock();
      continue;
    }

    TimePoint deadline = now + s.max_sleep;
    for (const auto& [key, e] : s.entries)
      if (!e.running && e.next_due) deadline = std::min(deadline, *e.next_due);
    s.clock->wait_until(s.cv, lock, deadline);
  }
}

}  // namespace weft::schedule
