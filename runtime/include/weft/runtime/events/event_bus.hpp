// An in-process publish/subscribe bus of lifecycle events (event.hpp). Publishing never waits
// for a subscriber: each subscription has a bounded queue, and an event that does not fit is
// dropped for that subscriber alone, which is then marked overflowed (it learns it missed
// events). Thread-safe: any thread may publish, subscribe, unsubscribe or drain.
#pragma once

#include <weft/runtime/events/event.hpp>

#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace weft::events {

using EventPtr = std::shared_ptr<const Event>;

class EventBus;

// One subscriber's queue. Obtained from EventBus::subscribe; stays valid (and simply stops
// receiving) after unsubscribe or after the bus is gone.
class Subscription {
 public:
  // Removes and returns up to `max` queued events, oldest first.
  std::vector<EventPtr> drain(size_t max = SIZE_MAX);
  // True once an event was dropped because the queue was full. Sticky.
  bool overflowed() const;
  // Events dropped so far because the queue was full.
  uint64_t dropped() const;
  // Events waiting.
  size_t size() const;
  size_t capacity() const { return capacity_; }

  // What the subscriber wants now; it may change it at any time (default: everything). A bus
  // whose subscribers want no events skips publishing, and node output is captured only when
  // one wants it (EventBus::wanted, output_wanted): watching nothing costs the executor nothing.
  void set_interest(bool events, bool output) {
    wants_events_.store(events);
    wants_output_.store(events && output);
  }

  Subscription(size_t capacity, std::function<void()> notify) : capacity_(capacity), notify_(std::move(notify)) {}

 private:
  friend class EventBus;
  // Queues the event (or drops it when the queue is full). True when the queue was empty
  // before: only then is the subscriber notified, since it drains until empty.
  bool offer(const EventPtr& event);

  const size_t capacity_;
  // Called after an event was queued into an empty queue (or dropped); must be quick and must
  // not call back into the bus (the WebSocket hub writes to an eventfd).
  const std::function<void()> notify_;
  mutable std::mutex mu_;
  std::deque<EventPtr> queue_;
  uint64_t dropped_ = 0;
  std::atomic<bool> wants_events_{true};
  std::atomic<bool> wants_output_{true};
};

class EventBus {
 public:
  // A new subscription whose queue holds at most `capacity` (>= 1) events. `notify`, when
  // set, is called on the publishing thread after each event is offered to it.
  std::shared_ptr<Subscription> subscribe(size_t capacity, std::function<void()> notify = {});
  // Stops delivering to `subscription`; what is queued stays drainable. Idempotent.
  void unsubscribe(const std::shared_ptr<Subscription>& subscription);

  // Stamps the event's sequence (and its timestamp when 0) and offers it to every subscriber
  // that wants events. Never blocks on a subscriber: a full queue drops it for that
  // subscriber. Events published from one thread reach every subscriber in publishing order;
  // all subscribers see one order.
  void publish(Event event);
  // Whether a subscriber wants events now, and node output: publishers skip building what
  // nobody wants.
  bool wanted() const;
  bool output_wanted() const;

  size_t subscribers() const;
  // Events published so far.
  uint64_t published() const;

 private:
  mutable std::mutex mu_;  // held while an event is offered, so that every queue gets one order
  std::vector<std::shared_ptr<Subscription>> subscribers_;
  uint64_t sequence_ = 0;
};

}  // namespace weft::events
