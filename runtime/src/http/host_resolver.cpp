#include "host_resolver.hpp"

#include <Poco/Net/SocketAddress.h>

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace weft::http::detail {

namespace {

// Shared by the waiting request and the lookup thread, which may outlive the request.
struct Lookup {
  std::mutex mutex;
  std::condition_variable finished_signal;
  bool finished = false;
  std::optional<Poco::Net::IPAddress> address;
  std::exception_ptr error;
};

}  // namespace

Poco::Net::IPAddress resolve_host(const std::string& host, RequestWaiter& waiter) {
  if (Poco::Net::IPAddress literal; Poco::Net::IPAddress::tryParse(host, literal)) return literal;

  auto lookup = std::make_shared<Lookup>();
  std::thread([lookup, host] {
    std::optional<Poco::Net::IPAddress> address;
    std::exception_ptr error;
    try {
      address = Poco::Net::SocketAddress(host, 0).host();
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(lookup->mutex);
      lookup->address = std::move(address);
      lookup->error = error;
      lookup->finished = true;
    }
    lookup->finished_signal.notify_one();
  }).detach();

  for (;;) {
    waiter.check();
    std::unique_lock<std::mutex> lock(lookup->mutex);
    if (lookup->finished_signal.wait_until(lock, waiter.slice_end(),
                                           [&] { return lookup->finished; })) {
      if (lookup->error) std::rethrow_exception(lookup->error);
      return *lookup->address;
    }
  }
}

}  // namespace weft::http::detail
