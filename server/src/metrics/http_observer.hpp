// What the HTTP dispatcher reports about each request it answered, for the metrics (and
// nothing else: the access log has its own place). Free of any metrics library so that the
// HTTP core does not depend on one.
#pragma once

#include <chrono>
#include <string_view>

namespace weft::metrics {

class HttpObserver {
 public:
  virtual ~HttpObserver() = default;

  // A request was answered. `method` is the request's method as sent (any text: an
  // implementation bounds it); `route` the matched route TEMPLATE ("/api/v1/workflows/{id}"),
  // empty when no route matched; `duration` from the head read to the response written.
  // Called on the connection's thread, from many threads at once.
  virtual void request_completed(std::string_view method, std::string_view route, int status,
                                 std::chrono::steady_clock::duration duration) = 0;

  // A rate limit refused a request: `policy` is the bucket's policy name, "<group>.<scope>"
  // with scope address or principal (rate_limit_gate.hpp).
  virtual void rate_limited(std::string_view policy) = 0;
};

}  // namespace weft::metrics
