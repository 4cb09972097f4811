// The span of one HTTP request (OpenTelemetry's HTTP server conventions): started once the
// request's head is read, the child of its `traceparent` when that is valid, and the calling
// thread's current span while the request is served, so that the storage calls and the
// execution it starts nest under it and its log lines carry its ids. Named "<METHOD> <route
// template>" at the end; a 5xx answer marks it failed.
#pragma once

#include "http/dispatcher.hpp"
#include "http/request_head.hpp"

#include <weft/runtime/tracing/tracer.hpp>

#include <optional>

namespace weft::http {

class RequestSpan {
 public:
  // No span when `tracer` is null. OWNERSHIP: `tracer` is borrowed for the span's life.
  RequestSpan(const tracing::Tracer* tracer, const RequestHead& head);
  RequestSpan(const RequestSpan&) = delete;
  RequestSpan& operator=(const RequestSpan&) = delete;

  // Names the span after the matched route, records the answer, and ends it. The span stays
  // the thread's current one until the RequestSpan goes out of scope.
  void finish(const RequestHead& head, const Exchange& exchange);

 private:
  tracing::Span span_;
  std::optional<tracing::ScopedSpan> scope_;
};

}  // namespace weft::http
