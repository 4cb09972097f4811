// Sends finished spans to an OpenTelemetry collector as OTLP over HTTP with JSON bodies
// (POST <endpoint>, Content-Type: application/json, one ExportTraceServiceRequest per batch).
//
// Spans wait in a bounded queue and one background thread sends them in batches: when a batch
// is full or the flush interval passes. Nothing here ever blocks the caller: a span that finds
// the queue full is dropped and counted. A batch the collector answers 429, 502, 503 or 504
// (or cannot be reached for) is tried again after 100 ms and 400 ms, within the export timeout;
// a batch that still fails is dropped and counted. The export never appears in the traces it
// sends.
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/tracing/tracer.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// Not http_client.hpp: its http:: names would clash with the server's, which includes this.
namespace weft::http {
class Client;
}

namespace weft::tracing {

struct OtlpExporterOptions {
  // The full URL of the collector's traces endpoint, e.g. http://collector:4318/v1/traces.
  std::string endpoint;
  // Sent with every export (a collector's API key): values are never logged or reported.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string service_name = "weft";  // the resource's service.name
  std::string instance_id;            // service.instance.id; empty: not sent
  size_t queue_size = 2048;           // spans waiting at most; more are dropped
  size_t batch_size = 512;            // spans per request at most
  std::chrono::milliseconds flush_interval{2000};
  std::chrono::milliseconds export_timeout{10000};
};

// Counters since start, for /metrics.
struct ExporterStats {
  uint64_t exported = 0;            // spans the collector accepted (2xx)
  uint64_t dropped_queue_full = 0;  // spans that found the queue full
  uint64_t dropped_export_failed = 0;  // spans of batches that failed to export
  uint64_t queued = 0;              // spans waiting now
};

// The outcome of the last export, for /ready.
struct ExporterHealth {
  enum class State { kIdle, kOk, kFailing } state = State::kIdle;  // kIdle: nothing sent yet
  double last_latency_ms = 0;  // of the last export (kOk, kFailing)
  std::string last_error;      // kFailing: status line or transport error (no header values)
};

class OtlpHttpExporter final : public SpanSink {
 public:
  // Starts the sending thread. The endpoint must be an http(s) URL (checked by the config).
  explicit OtlpHttpExporter(OtlpExporterOptions options);
  // Sends what is queued within export_timeout, drops (and counts) the rest, and stops the
  // thread: a collector that is down delays the exit by export_timeout at most, plus the one
  // export in flight.
  ~OtlpHttpExporter() override;
  OtlpHttpExporter(const OtlpHttpExporter&) = delete;
  OtlpHttpExporter& operator=(const OtlpHttpExporter&) = delete;

  // SpanSink: queues the span, or drops and counts it when the queue is full. Never blocks on
  // the network.
  void consume(SpanRecord&& span) override;

  // Sends every span queued before the call; returns false if `timeout` passed first.
  bool flush(std::chrono::milliseconds timeout);

  ExporterStats stats() const;
  ExporterHealth health() const;

 private:
  void loop();
  void send(std::vector<SpanRecord> batch);

  const OtlpExporterOptions options_;
  const std::unique_ptr<const http::Client> client_;

  mutable std::mutex mu_;
  std::condition_variable wake_;       // a batch is full, a flush is asked for, or stopping
  std::condition_variable progressed_; // a batch was sent (flush waits on it)
  std::deque<SpanRecord> queue_;
  uint64_t consumed_ = 0;  // spans queued since start
  uint64_t settled_ = 0;   // of those, sent or failed
  bool flush_asked_ = false;
  bool stopping_ = false;
  ExporterStats stats_;
  ExporterHealth health_;
  std::thread thread_;
};

// The OTLP/JSON ExportTraceServiceRequest for `spans` (ids as hex, 64-bit numbers as strings,
// enums as numbers, per the OTLP JSON mapping).
Json otlp_json(const std::vector<SpanRecord>& spans, const std::string& service_name,
               const std::string& instance_id);

}  // namespace weft::tracing
