// A span: one timed operation of a trace (an HTTP request, an execution, a node run, a storage
// call). Span is the live handle the code that does the work holds; SpanRecord is what a
// finished, sampled span leaves for the exporter.
#pragma once

#include <weft/runtime/tracing/span_context.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace weft::tracing {

class SpanSink;

// OTLP's SpanKind values.
enum class SpanKind : int { kInternal = 1, kServer = 2, kClient = 3 };

using AttributeValue = std::variant<std::string, int64_t, double, bool>;
using Attribute = std::pair<std::string, AttributeValue>;

// A finished span as exported.
struct SpanRecord {
  SpanContext context;
  std::array<uint8_t, 8> parent_span_id{};  // all zero: a root span
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  int64_t start_unix_ns = 0;
  int64_t end_unix_ns = 0;
  std::vector<Attribute> attributes;
  bool error = false;         // OTLP status ERROR; otherwise UNSET
  std::string error_message;  // the status message when error (never a secret: see set_error)
};

// The handle of a span in progress. Made by Tracer::start; ends (and is handed to the exporter
// if sampled) on end() or destruction, whichever comes first. A span that is not sampled still
// has a context, so that the trace id travels on; its attribute calls do nothing.
// Not thread-safe: one thread at a time uses a span.
class Span {
 public:
  Span() = default;  // inert: invalid context, records nothing
  Span(Span&& other) noexcept;
  Span& operator=(Span&& other) noexcept;
  ~Span();
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

  const SpanContext& context() const { return context_; }
  // Whether attributes and the end will be exported.
  bool recording() const { return record_ != nullptr; }

  // Renames the span (a request is named once its route is known).
  void set_name(std::string name);
  void set_attribute(std::string key, AttributeValue value);
  // Marks the span failed with a one-line reason. The caller passes only what may be exported:
  // error messages of the project name fields and ids, never secrets.
  void set_error(std::string message);
  // Ends the span now; later calls do nothing.
  void end();

 private:
  friend class Tracer;
  Span(SpanContext context, std::unique_ptr<SpanRecord> record, SpanSink* sink,
       std::chrono::steady_clock::time_point started);

  SpanContext context_;
  std::unique_ptr<SpanRecord> record_;  // null: not recording, or ended
  SpanSink* sink_ = nullptr;            // OWNERSHIP: borrowed from the Tracer, which outlives its spans
  std::chrono::steady_clock::time_point started_{};
};

}  // namespace weft::tracing
