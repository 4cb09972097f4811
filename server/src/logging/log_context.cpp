#include "logging/log_context.hpp"

#include <weft/runtime/tracing/tracer.hpp>

#include <utility>

namespace weft::logging {

namespace {
thread_local LogContext t_context;
}  // namespace

LogContext current_context() {
  LogContext c = t_context;
  if (c.trace_id.empty()) {
    const tracing::SpanContext& span = tracing::current_span();
    if (span.valid()) {
      c.trace_id = span.trace_id_hex();
      c.span_id = span.span_id_hex();
    }
  }
  return c;
}

ScopedLogContext::ScopedLogContext(LogContext context) : previous_(std::exchange(t_context, std::move(context))) {}

ScopedLogContext::~ScopedLogContext() { t_context = std::move(previous_); }

}  // namespace weft::logging
