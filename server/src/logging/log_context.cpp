#include "logging/log_context.hpp"

#include <weft/runtime/tracing/tracer.hpp>

#include <utility>

namespace weft::logging {

namespace {
thread_local std::string t_request_id;
}  // namespace

LogContext current_context() {
  LogContext c;
  c.request_id = t_request_id;
  const tracing::SpanContext& span = tracing::current_span();
  if (span.valid()) {
    c.trace_id = span.trace_id_hex();
    c.span_id = span.span_id_hex();
  }
  return c;
}

ScopedRequestId::ScopedRequestId(std::string request_id)
    : previous_(std::exchange(t_request_id, std::move(request_id))) {}

ScopedRequestId::~ScopedRequestId() { t_request_id = std::move(previous_); }

}  // namespace weft::logging
