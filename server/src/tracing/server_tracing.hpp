// The server's tracing as the config (tracing.*) describes it: the OTLP exporter, the tracer
// the HTTP server, the executions and the store share, and the store's span per call.
#pragma once

#include <weft/runtime/config.hpp>
#include <weft/runtime/status.hpp>
#include <weft/runtime/tracing/otlp_exporter.hpp>
#include <weft/runtime/tracing/storage_tracing.hpp>
#include <weft/runtime/tracing/tracer.hpp>

#include <memory>

namespace weft::server {

struct ServerTracing {
  // Null when tracing.endpoint is empty: nothing is recorded, but the tracer still carries an
  // incoming traceparent through to the executions and their HTTP requests.
  std::unique_ptr<tracing::OtlpHttpExporter> exporter;
  // Always set. OWNERSHIP: borrows `exporter`; the members are declared so that it goes last.
  std::shared_ptr<const tracing::Tracer> tracer;
  // Null without an exporter; add it to the Storage (Storage::add_observer).
  std::unique_ptr<tracing::StorageTracing> storage;

  // Reads tracing.*: an endpoint that is not an http(s) URL, a sample ratio outside [0, 1], a
  // malformed header list or a size out of range is kInvalid with a one-line reason naming the
  // key (never a header's value). An endpoint with no path gets OTLP's "/v1/traces".
  static Result<std::unique_ptr<ServerTracing>> from_config(const Config& config);

  ServerTracing() = default;
  ~ServerTracing();
  ServerTracing(const ServerTracing&) = delete;
  ServerTracing& operator=(const ServerTracing&) = delete;
};

}  // namespace weft::server
