// RequestWaiter: how every blocking step of one HTTP request waits, so that cancellation and the
// deadline are honoured however long the peer keeps silent.
#pragma once

#include <chrono>
#include <functional>
#include <stdexcept>

namespace Poco::Net {
class SocketImpl;
}

namespace weft::http::detail {

using Clock = std::chrono::steady_clock;

// Why a request stopped before it finished.
enum class Interruption { kNone, kCancelled, kDeadline };

// Thrown from inside Poco's I/O calls to unwind a request that must stop. Poco and the standard
// streams may swallow or replace it on the way out: RequestWaiter::interruption() is the record.
class RequestInterrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Waits in short slices and checks cancellation and the deadline between them. One per request,
// used only on the request's thread.
class RequestWaiter {
 public:
  // `cancelled` may be empty (never cancelled); it must outlive the waiter.
  RequestWaiter(const std::function<bool()>& cancelled, Clock::time_point deadline);

  // Throws RequestInterrupted, and records why, once the request is cancelled or past its
  // deadline; after that, every call throws again with the first reason.
  void check();

  // The end of the next wait slice: a few tens of milliseconds from now, or earlier at the
  // deadline or at `give_up_at`.
  Clock::time_point slice_end(Clock::time_point give_up_at = Clock::time_point::max()) const;

  // Returns once `socket` is ready for `mode` (Poco::Net::Socket::SELECT_READ, ...), calling
  // check() before every slice. Throws Poco::TimeoutException when `give_up_at` comes first.
  void wait_until_ready(Poco::Net::SocketImpl& socket, int mode,
                        Clock::time_point give_up_at = Clock::time_point::max());

  Interruption interruption() const { return interruption_; }
  Clock::time_point deadline() const { return deadline_; }

 private:
  const std::function<bool()>& cancelled_;
  const Clock::time_point deadline_;
  Interruption interruption_ = Interruption::kNone;
};

}  // namespace weft::http::detail
