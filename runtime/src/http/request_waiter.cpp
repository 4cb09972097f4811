#include "request_waiter.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/SocketImpl.h>
#include <Poco/Timespan.h>

#include <algorithm>

namespace weft::http::detail {

namespace {

// Short enough that a cancelled request returns promptly, long enough that a request waiting
// on a slow server costs next to nothing.
constexpr std::chrono::milliseconds kSlice{20};

}  // namespace

RequestWaiter::RequestWaiter(const std::function<bool()>& cancelled, Clock::time_point deadline)
    : cancelled_(cancelled), deadline_(deadline) {}

void RequestWaiter::check() {
  if (interruption_ == Interruption::kNone) {
    if (cancelled_ && cancelled_()) {
      interruption_ = Interruption::kCancelled;
    } else if (Clock::now() >= deadline_) {
      interruption_ = Interruption::kDeadline;
    } else {
      return;
    }
  }
  throw RequestInterrupted(interruption_ == Interruption::kCancelled ? "request cancelled"
                                                                     : "request deadline passed");
}

Clock::time_point RequestWaiter::slice_end(Clock::time_point give_up_at) const {
  return std::min({Clock::now() + kSlice, deadline_, give_up_at});
}

void RequestWaiter::wait_until_ready(Poco::Net::SocketImpl& socket, int mode,
                                     Clock::time_point give_up_at) {
  for (;;) {
    check();
    if (Clock::now() >= give_up_at) throw Poco::TimeoutException();
    const auto slice =
        std::chrono::duration_cast<std::chrono::microseconds>(slice_end(give_up_at) - Clock::now());
    if (socket.poll(Poco::Timespan(std::max<Poco::Timespan::TimeDiff>(slice.count(), 0)), mode)) {
      return;
    }
  }
}

}  // namespace weft::http::detail
