// The barrier of a mode switch: calls run concurrently with one another, a switch runs alone.
// close() stops new calls from starting, waits for the calls in progress to finish, and holds
// the new ones until the switch reopens the gate; one switch runs at a time.
//
// Entering costs two atomic operations on a counter of the caller's stripe (threads are spread
// over stripes, each on its own cache line), so concurrent calls share no lock and no counter.
// A switch cannot be starved by a steady stream of calls: once it is closing, new calls wait.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <utility>

namespace weft::dual {

class CallGate {
 public:
  CallGate() = default;
  CallGate(const CallGate&) = delete;
  CallGate& operator=(const CallGate&) = delete;

  // A call in progress, from enter() until destroyed.
  class Pass {
   public:
    Pass(Pass&& other) noexcept
        : gate_(std::exchange(other.gate_, nullptr)), stripe_(other.stripe_) {}
    Pass& operator=(Pass&&) = delete;
    ~Pass() {
      if (gate_) gate_->leave(stripe_);
    }

   private:
    friend class CallGate;
    Pass(CallGate* gate, size_t stripe) : gate_(gate), stripe_(stripe) {}
    CallGate* gate_;
    size_t stripe_;
  };

  // The gate held closed, from close() until destroyed (which reopens it).
  class Closed {
   public:
    Closed(Closed&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Closed& operator=(Closed&&) = delete;
    ~Closed() {
      if (gate_) gate_->reopen();
    }

   private:
    friend class CallGate;
    explicit Closed(CallGate* gate) : gate_(gate) {}
    CallGate* gate_;
  };

  // Waits while a switch is closing or holding the gate, then lets the call in.
  Pass enter();
  // Waits for any other switch, closes the gate and waits until no call is in progress. Must
  // not be called while the calling thread holds a Pass.
  Closed close();

 private:
  static constexpr size_t kStripes = 16;
  struct alignas(64) Stripe {
    std::atomic<int64_t> active{0};
  };

  void leave(size_t stripe);
  void reopen();
  bool drained() const;

  std::array<Stripe, kStripes> stripes_;
  std::atomic<bool> closing_{false};
  std::mutex switch_mutex_;  // one switch at a time
  std::mutex mutex_;  // for the waits below
  std::condition_variable drained_cv_;  // a switch waits for the calls in progress
  std::condition_variable reopened_cv_;  // calls wait for the switch
  std::unique_lock<std::mutex> switch_lock_;  // held by the switch in progress
};

}  // namespace weft::dual
