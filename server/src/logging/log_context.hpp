// The correlation ids a log line carries: the request it was written for, and the trace and
// span it was written in. A request's id is set once, where the request starts
// (ScopedRequestId in the dispatcher), and every line written on that thread until the scope
// ends carries it without each caller passing it on; the trace and span are the thread's
// current span (weft/runtime/tracing/tracer.hpp).
#pragma once

#include <string>

namespace weft::logging {

struct LogContext {
  std::string request_id;  // X-Request-Id of the request being served; empty: none
  std::string trace_id;    // W3C trace id (32 hex digits); empty outside any span
  std::string span_id;     // W3C span id (16 hex digits); empty outside any span
};

// The context of the calling thread (empty ids outside any scope and span).
LogContext current_context();

// Sets the calling thread's request id for its lifetime and restores the previous one after.
// Not movable: it is a scope.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string request_id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};

}  // namespace weft::logging
