// The server's Prometheus metrics: one registry holding every weft_* family, fed by the HTTP
// dispatcher (HttpObserver), the store (StorageObserver), the executions
// (execution_metrics.hpp), the WebSocket, and read at scrape time from the dual backend's stats
// and the audit log (scrape_sources.hpp). render() is the text exposition format (0.0.4).
//
// Label values are bounded so that no client can create series: `route` is the matched route
// TEMPLATE or "unmatched", `method` one of the HTTP methods or "other", `status` the 3-digit
// code, node `type` a registered node type, storage `op` one of five calls.
//
// Thread-safe: every method may be called from any thread at any time.
#pragma once

#include "metrics/http_observer.hpp"

#include <weft/runtime/storage_observer.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace weft::metrics {

class ScrapeSource;

// The Content-Type of render()'s text.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

class Metrics final : public HttpObserver, public StorageObserver {
 public:
  // Registers every family, with weft_build_info{version=WEFT_VERSION} = 1.
  Metrics();
  ~Metrics() override;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // HttpObserver: weft_http_requests_total{route,method,status} and
  // weft_http_request_duration_seconds{route,method}.
  void request_completed(std::string_view method, std::string_view route, int status,
                         std::chrono::steady_clock::duration duration) override;
  // HttpObserver: weft_rate_limit_rejections_total{group,scope}.
  void rate_limited(std::string_view policy) override;

  // StorageObserver: weft_storage_operations_total{backend,op}, the errors among them
  // (is_storage_failure) and weft_storage_operation_duration_seconds{backend,op}.
  void storage_call(const StorageCall& call) override;

  // An execution began running: weft_executions_running + 1.
  void execution_started();
  // An execution ended with `status` (success, error, cancelled): weft_executions_running - 1,
  // weft_executions_total{status} + 1, weft_execution_duration_seconds observes `seconds`.
  void execution_finished(std::string_view status, double seconds);
  // A node run ended: weft_node_runs_total{type,outcome} + 1; a run that ran (not skipped)
  // observes `seconds` in weft_node_run_duration_seconds{type}.
  void node_finished(std::string_view type, std::string_view outcome, double seconds, bool ran);

  // A WebSocket connection opened (+1) or closed (-1): weft_websocket_connections.
  void websocket_connected(int delta);
  // An event a WebSocket client's full queue could not take: weft_websocket_events_dropped_total.
  void websocket_event_dropped();

  // weft_plugins_loaded.
  void set_plugins_loaded(size_t count);

  // Adds metrics computed when scraped (dual cache stats, audit failures).
  // OWNERSHIP: taken. Call before the server serves (not thread-safe against render()).
  void add_scrape_source(std::unique_ptr<ScrapeSource> source);

  // Every family in the Prometheus text exposition format 0.0.4.
  std::string render() const;

  // Distinct label sets of weft_http_requests_total (tests: cardinality stays bounded).
  size_t http_request_series() const;

 private:
  struct Families;
  std::unique_ptr<Families> f_;
};

// The `method` label of a request method: itself when it is a standard HTTP method, else
// "other".
std::string_view method_label(std::string_view method);

}  // namespace weft::metrics
