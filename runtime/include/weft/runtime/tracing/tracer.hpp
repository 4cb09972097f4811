// Starts spans and decides which traces are recorded. The server builds one Tracer from the
// config (`tracing.*`) and shares it with the HTTP server, the executor and the store's
// observer; without an exporter it still carries an incoming traceparent through unchanged, so
// that `weft.http_request` passes the caller's trace on.
//
// The span current on each thread (ScopedSpan) is the parent of the spans started there without
// an explicit one: a storage call made while a request is served nests under the request.
#pragma once

#include <weft/runtime/tracing/span.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace weft::tracing {

// Where finished, sampled spans go (the batch exporter). Called from any thread; must not block.
class SpanSink {
 public:
  virtual ~SpanSink() = default;
  virtual void consume(SpanRecord&& span) = 0;
};

struct StartOptions {
  SpanKind kind = SpanKind::kInternal;
  // The parent; nullopt: the calling thread's current span (current_span()), if valid.
  std::optional<SpanContext> parent;
  // When the operation began, for a span recorded after the fact; nullopt: now.
  std::optional<std::chrono::system_clock::time_point> start_time;
};

class Tracer {
 public:
  // A tracer that records nothing: contexts pass through unchanged.
  Tracer() = default;
  // OWNERSHIP: `sink` is borrowed and must outlive the tracer and every span it starts (null:
  // record nothing). `sample_ratio` in [0, 1] is the share of new traces recorded; a trace
  // that arrives with a parent keeps the parent's decision.
  Tracer(SpanSink* sink, double sample_ratio);

  // Starts a span named `name` (low-cardinality: "GET /api/v1/workflows/{id}", "node weft.set").
  //   - parent valid: same trace, a new span id, the parent's sampled flag;
  //   - no parent: a new trace, sampled by the ratio.
  // Without a sink, the span takes the parent's context as it is (or none) and records nothing.
  Span start(std::string name, const StartOptions& options = {}) const;

  bool enabled() const { return sink_ != nullptr; }
  double sample_ratio() const { return sample_ratio_; }

 private:
  bool sample(const std::array<uint8_t, 16>& trace_id) const;

  SpanSink* sink_ = nullptr;  // OWNERSHIP: borrowed (see the constructor)
  double sample_ratio_ = 0;
};

// The calling thread's current span context (invalid outside any ScopedSpan).
const SpanContext& current_span();

// Makes `context` the calling thread's current span for the scope's life; scopes nest.
class ScopedSpan {
 public:
  explicit ScopedSpan(const SpanContext& context);
  ~ScopedSpan();
  ScopedSpan(const ScopedSpan&) = delete;
  ScopedSpan& operator=(const ScopedSpan&) = delete;

 private:
  SpanContext previous_;
};

}  // namespace weft::tracing
