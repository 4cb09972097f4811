#include <weft/runtime/tracing/otlp_exporter.hpp>

#include <weft/runtime/http_client.hpp>

#include <algorithm>

namespace weft::tracing {

namespace {

using Clock = std::chrono::steady_clock;

// Tries of one batch at most (the first and two retries).
constexpr int kMaxAttempts = 3;

Json attribute_value(const AttributeValue& v) {
  struct Visit {
    Json operator()(const std::string& s) const { return {{"stringValue", s}}; }
    // OTLP/JSON writes 64-bit integers as decimal strings.
    Json operator()(int64_t i) const { return {{"intValue", std::to_string(i)}}; }
    Json operator()(double d) const { return {{"doubleValue", d}}; }
    Json operator()(bool b) const { return {{"boolValue", b}}; }
  };
  return std::visit(Visit{}, v);
}

Json attribute(const std::string& key, const AttributeValue& value) {
  return {{"key", key}, {"value", attribute_value(value)}};
}

Json span_json(const SpanRecord& s) {
  Json attributes = Json::array();
  for (const auto& [key, value] : s.attributes) attributes.push_back(attribute(key, value));
  Json out = {{"traceId", s.context.trace_id_hex()},
              {"spanId", s.context.span_id_hex()},
              {"name", s.name},
              {"kind", static_cast<int>(s.kind)},
              {"startTimeUnixNano", std::to_string(s.start_unix_ns)},
              {"endTimeUnixNano", std::to_string(s.end_unix_ns)},
              {"attributes", std::move(attributes)}};
  const bool root = std::all_of(s.parent_span_id.begin(), s.parent_span_id.end(), [](uint8_t b) { return b == 0; });
  if (!root) out["parentSpanId"] = to_hex(s.parent_span_id.data(), s.parent_span_id.size());
  if (s.error) out["status"] = {{"code", 2}, {"message", s.error_message}};  // STATUS_CODE_ERROR
  return out;
}

}  // namespace

Json otlp_json(const std::vector<SpanRecord>& spans, const std::string& service_name, const std::string& instance_id) {
  Json resource_attributes = Json::array({attribute("service.name", service_name),
                                          attribute("service.version", std::string(WEFT_VERSION)),
                                          attribute("telemetry.sdk.name", std::string("weft")),
                                          attribute("telemetry.sdk.language", std::string("cpp"))});
  if (!instance_id.empty()) resource_attributes.push_back(attribute("service.instance.id", instance_id));
  Json list = Json::array();
  for (const auto& s : spans) list.push_back(span_json(s));
  return {{"resourceSpans",
           Json::array({{{"resource", {{"attributes", std::move(resource_attributes)}}},
                         {"scopeSpans", Json::array({{{"scope", {{"name", "weft"}, {"version", WEFT_VERSION}}},
                                                      {"spans", std::move(list)}}})}}})}};
}

OtlpHttpExporter::OtlpHttpExporter(OtlpExporterOptions options)
    : options_(std::move(options)), client_(std::make_unique<const http::Client>(http::ClientOptions{.connect_timeout_ms = 5000,
                                                                 .max_response_bytes = size_t{1} << 20,
                                                                 .user_agent = "weft/" WEFT_VERSION})) {
  thread_ = std::thread([this] { loop(); });
}

OtlpHttpExporter::~OtlpHttpExporter() {
  (void)flush(options_.export_timeout);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void OtlpHttpExporter::consume(SpanRecord&& span) {
  bool full_batch = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= std::max<size_t>(options_.queue_size, 1)) {
      ++stats_.dropped_queue_full;
      return;
    }
    queue_.push_back(std::move(span));
    ++consumed_;
    full_batch = queue_.size() >= options_.batch_size;
  }
  if (full_batch) wake_.notify_one();
}

bool OtlpHttpExporter::flush(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = consumed_;
  flush_asked_ = true;
  wake_.notify_one();
  return progressed_.wait_for(lock, timeout, [&] { return settled_ >= target || stopping_; });
}

ExporterStats OtlpHttpExporter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  ExporterStats s = stats_;
  s.queued = queue_.size();
  return s;
}

ExporterHealth OtlpHttpExporter::health() const {
  std::lock_guard<std::mutex> lock(mu_);
  return health_;
}

void OtlpHttpExporter::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait_for(lock, options_.flush_interval, [&] {
      return stopping_ || flush_asked_ || queue_.size() >= options_.batch_size;
    });
    if (stopping_) {
      // The destructor's flush had its time: what is left would only delay the exit.
      stats_.dropped_export_failed += queue_.size();
      queue_.clear();
      return;
    }
    flush_asked_ = false;
    while (!queue_.empty() && !stopping_) {
      const size_t n = std::min(queue_.size(), std::max<size_t>(options_.batch_size, 1));
      std::vector<SpanRecord> batch(std::make_move_iterator(queue_.begin()),
                                    std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      lock.unlock();
      send(std::move(batch));
      lock.lock();
      settled_ += n;
      progressed_.notify_all();
    }
  }
}

void OtlpHttpExporter::send(std::vector<SpanRecord> batch) {
  http::Request request;
  request.method = "POST";
  request.url = options_.endpoint;
  request.headers.assign(options_.headers.begin(), options_.headers.end());
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = otlp_json(batch, options_.service_name, options_.instance_id).dump();
  const auto started = Clock::now();
  const auto deadline = started + options_.export_timeout;
  // OTLP/HTTP: 429, 502, 503 and 504 (and a collector out of reach) are worth another try, after
  // a growing pause, all within the one export timeout. Stopping cuts the pauses short.
  std::string error;
  auto backoff = std::chrono::milliseconds(100);
  for (int attempt = 1;; ++attempt) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    request.timeout_ms = static_cast<uint32_t>(std::max<int64_t>(left.count(), 1));
    auto response = client_->perform(request, {}, deadline);
    bool retryable = false;
    if (!response) {
      error = response.status().message();
      retryable = response.status().code() == Code::kUnavailable;
    } else if (response->status < 200 || response->status > 299) {
      error = "the collector answered HTTP " + std::to_string(response->status);
      retryable = response->status == 429 || response->status == 502 || response->status == 503 ||
                  response->status == 504;
    } else {
      error.clear();
      break;
    }
    if (!retryable || attempt >= kMaxAttempts || Clock::now() + backoff >= deadline) break;
    std::unique_lock<std::mutex> lock(mu_);
    if (wake_.wait_for(lock, backoff, [&] { return stopping_; })) break;
    backoff *= 4;
  }
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();

  std::lock_guard<std::mutex> lock(mu_);
  health_.last_latency_ms = ms;
  if (error.empty()) {
    stats_.exported += batch.size();
    health_.state = ExporterHealth::State::kOk;
    health_.last_error.clear();
  } else {
    stats_.dropped_export_failed += batch.size();
    health_.state = ExporterHealth::State::kFailing;
    health_.last_error = std::move(error);
  }
}

}  // namespace weft::tracing
