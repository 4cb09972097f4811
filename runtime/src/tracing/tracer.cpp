#include <weft/runtime/tracing/tracer.hpp>

#include <algorithm>
#include <cmath>

namespace weft::tracing {

namespace {

thread_local SpanContext t_current;

int64_t unix_ns(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

// --- Span ---------------------------------------------------------------------------------

Span::Span(SpanContext context, std::unique_ptr<SpanRecord> record, SpanSink* sink,
           std::chrono::steady_clock::time_point started)
    : context_(context), record_(std::move(record)), sink_(sink), started_(started) {}

Span::Span(Span&& other) noexcept
    : context_(other.context_), record_(std::move(other.record_)), sink_(other.sink_), started_(other.started_) {}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    end();
    context_ = other.context_;
    record_ = std::move(other.record_);
    sink_ = other.sink_;
    started_ = other.started_;
  }
  return *this;
}

Span::~Span() { end(); }

void Span::set_name(std::string name) {
  if (record_) record_->name = std::move(name);
}

void Span::set_attribute(std::string key, AttributeValue value) {
  if (record_) record_->attributes.emplace_back(std::move(key), std::move(value));
}

void Span::set_error(std::string message) {
  if (!record_) return;
  record_->error = true;
  record_->error_message = std::move(message);
}

void Span::end() {
  if (!record_) return;
  // The end is the start plus the steady clock's duration: a wall-clock step mid-span cannot
  // make it negative.
  record_->end_unix_ns =
      record_->start_unix_ns +
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started_).count();
  std::unique_ptr<SpanRecord> done = std::move(record_);
  try {
    sink_->consume(std::move(*done));
  } catch (...) {
    // Losing a span must not fail the work it measured.
  }
}

// --- Tracer -------------------------------------------------------------------------------

Tracer::Tracer(SpanSink* sink, double sample_ratio)
    : sink_(sink), sample_ratio_(std::isnan(sample_ratio) ? 0 : std::clamp(sample_ratio, 0.0, 1.0)) {}

bool Tracer::sample(const std::array<uint8_t, 16>& trace_id) const {
  if (sample_ratio_ >= 1) return true;
  if (sample_ratio_ <= 0) return false;
  // Like OpenTelemetry's TraceIdRatioBased: the trace id's last 8 bytes against the ratio, so
  // that every process deciding on the same trace decides alike.
  uint64_t low = 0;
  for (size_t i = 8; i < 16; ++i) low = low << 8 | trace_id[i];
  return static_cast<double>(low >> 11) < sample_ratio_ * static_cast<double>(uint64_t{1} << 53);
}

Span Tracer::start(std::string name, const StartOptions& options) const {
  const SpanContext parent = options.parent ? *options.parent : current_span();
  if (!sink_) return Span(parent.valid() ? parent : SpanContext{}, nullptr, nullptr, {});

  SpanContext context;
  if (parent.valid()) {
    context.trace_id = parent.trace_id;
    context.sampled = parent.sampled;
  } else {
    context.trace_id = new_trace_id();
    context.sampled = sample(context.trace_id);
  }
  context.span_id = new_span_id();
  if (!context.sampled) return Span(context, nullptr, nullptr, {});

  auto record = std::make_unique<SpanRecord>();
  record->context = context;
  if (parent.valid()) record->parent_span_id = parent.span_id;
  record->name = std::move(name);
  record->kind = options.kind;
  const auto now_wall = std::chrono::system_clock::now();
  auto started = std::chrono::steady_clock::now();
  if (options.start_time) {
    started -= std::chrono::duration_cast<std::chrono::steady_clock::duration>(now_wall - *options.start_time);
    record->start_unix_ns = unix_ns(*options.start_time);
  } else {
    record->start_unix_ns = unix_ns(now_wall);
  }
  return Span(context, std::move(record), sink_, started);
}

// --- The current span ---------------------------------------------------------------------

const SpanContext& current_span() { return t_current; }

ScopedSpan::ScopedSpan(const SpanContext& context) : previous_(t_current) { t_current = context; }

ScopedSpan::~ScopedSpan() { t_current = previous_; }

}  // namespace weft::tracing
