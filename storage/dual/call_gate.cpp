#include "call_gate.hpp"

namespace weft::dual {

namespace {

// The stripe of the calling thread: threads take stripes in turn.
size_t this_thread_stripe(size_t stripes) {
  static std::atomic<size_t> next{0};
  thread_local const size_t stripe = next.fetch_add(1, std::memory_order_relaxed);
  return stripe % stripes;
}

}  // namespace

// enter() and close() pair up like Dekker's algorithm: a call publishes itself, then looks for
// a switch; a switch publishes itself, then looks for calls. With sequentially consistent
// operations at least one of the two sees the other, so a call never runs during a switch.
CallGate::Pass CallGate::enter() {
  const size_t stripe = this_thread_stripe(kStripes);
  for (;;) {
    stripes_[stripe].active.fetch_add(1, std::memory_order_seq_cst);
    if (!closing_.load(std::memory_order_seq_cst)) return Pass(this, stripe);
    leave(stripe);  // a switch is coming: step back and wait for it
    std::unique_lock lock(mutex_);
    reopened_cv_.wait(lock, [&] { return !closing_.load(std::memory_order_seq_cst); });
  }
}

void CallGate::leave(size_t stripe) {
  if (stripes_[stripe].active.fetch_sub(1, std::memory_order_seq_cst) == 1 &&
      closing_.load(std::memory_order_seq_cst)) {
    std::lock_guard lock(mutex_);
    drained_cv_.notify_all();
  }
}

bool CallGate::drained() const {
  for (const Stripe& s : stripes_)
    if (s.active.load(std::memory_order_seq_cst) != 0) return false;
  return true;
}

CallGate::Closed CallGate::close() {
  std::unique_lock switch_lock(switch_mutex_);
  closing_.store(true, std::memory_order_seq_cst);
  {
    std::unique_lock lock(mutex_);
    drained_cv_.wait(lock, [&] { return drained(); });
  }
  switch_lock_ = std::move(switch_lock);
  return Closed(this);
}

void CallGate::reopen() {
  std::unique_lock switch_lock = std::move(switch_lock_);
  {
    std::lock_guard lock(mutex_);
    closing_.store(false, std::memory_order_seq_cst);
  }
  reopened_cv_.notify_all();
}

}  // namespace weft::dual
