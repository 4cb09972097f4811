#include "metrics/metrics.hpp"

#include "metrics/scrape_sources.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <array>
#include <vector>

namespace weft::metrics {

namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

// Seconds. Requests and storage calls are mostly sub-millisecond to a few seconds; executions
// and node runs may wait (weft.wait) or call slow services, so their buckets reach minutes.
const Histogram::BucketBoundaries kRequestBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,    0.25,  0.5,    1,     2.5,  5,     10};
const Histogram::BucketBoundaries kStorageBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                     0.025,  0.05,    0.1,    0.25,  0.5,    1,     5};
const Histogram::BucketBoundaries kExecutionBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                       2.5,   5,    10,    30,   60,  120,  300, 900};
const Histogram::BucketBoundaries kNodeBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                  0.25,   0.5,   1,      2.5,   5,    10,    30,   60};

double seconds_of(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

struct Metrics::Families {
  prometheus::Registry registry;
  Family<Counter>& http_requests = prometheus::BuildCounter()
                                       .Name("weft_http_requests_total")
                                       .Help("HTTP requests answered, by route template, method and status")
                                       .Register(registry);
  Family<Histogram>& http_duration = prometheus::BuildHistogram()
                                         .Name("weft_http_request_duration_seconds")
                                         .Help("Time from a request's head to its response, by route template and method")
                                         .Register(registry);
  Family<Counter>& rate_limited = prometheus::BuildCounter()
                                      .Name("weft_rate_limit_rejections_total")
                                      .Help("Requests refused with 429 by a rate limit, by route group and scope")
                                      .Register(registry);
  Family<Counter>& executions = prometheus::BuildCounter()
                                    .Name("weft_executions_total")
                                    .Help("Executions finished, by status (success, error, cancelled)")
                                    .Register(registry);
  Family<Histogram>& execution_duration = prometheus::BuildHistogram()
                                              .Name("weft_execution_duration_seconds")
                                              .Help("Run time of finished executions")
                                              .Register(registry);
  Family<Gauge>& executions_running = prometheus::BuildGauge()
                                          .Name("weft_executions_running")
                                          .Help("Executions running now")
                                          .Register(registry);
  Family<Counter>& node_runs = prometheus::BuildCounter()
                                   .Name("weft_node_runs_total")
                                   .Help("Node runs finished, by node type and outcome")
                                   .Register(registry);
  Family<Histogram>& node_duration = prometheus::BuildHistogram()
                                         .Name("weft_node_run_duration_seconds")
                                         .Help("Run time of node runs that ran (not skipped), by node type")
                                         .Register(registry);
  Family<Counter>& storage_ops = prometheus::BuildCounter()
                                     .Name("weft_storage_operations_total")
                                     .Help("Calls of the storage backend, by backend and operation")
                                     .Register(registry);
  Family<Counter>& storage_errors =
      prometheus::BuildCounter()
          .Name("weft_storage_errors_total")
          .Help("Storage calls that failed for the store's own reasons (unavailable, timeout, internal)")
          .Register(registry);
  Family<Histogram>& storage_duration = prometheus::BuildHistogram()
                                            .Name("weft_storage_operation_duration_seconds")
                                            .Help("Time of storage calls, by backend and operation")
                                            .Register(registry);
  Family<Gauge>& websocket_connections = prometheus::BuildGauge()
                                             .Name("weft_websocket_connections")
                                             .Help("WebSocket connections open now")
                                             .Register(registry);
  Family<Counter>& websocket_dropped =
      prometheus::BuildCounter()
          .Name("weft_websocket_events_dropped_total")
          .Help("Events not delivered because a WebSocket client's queue was full")
          .Register(registry);
  Family<Gauge>& plugins_loaded =
      prometheus::BuildGauge().Name("weft_plugins_loaded").Help("Plugins loaded").Register(registry);
  Family<Gauge>& build_info = prometheus::BuildGauge()
                                  .Name("weft_build_info")
                                  .Help("Always 1; the version of this weft build as a label")
                                  .Register(registry);

  // Series without labels, added once.
  Gauge& running = executions_running.Add({});
  Histogram& execution_seconds = execution_duration.Add({}, kExecutionBuckets);
  Gauge& websockets = websocket_connections.Add({});
  Counter& dropped = websocket_dropped.Add({});
  Gauge& plugins = plugins_loaded.Add({});

  std::vector<std::unique_ptr<ScrapeSource>> sources;
};

Metrics::Metrics() : f_(std::make_unique<Families>()) {
  f_->build_info.Add({{"version", WEFT_VERSION}}).Set(1);
  // The outcomes every dashboard queries exist from the start (at 0), so that rate() and
  // increase() see the first one.
  for (const char* status : {"success", "error", "cancelled"}) f_->executions.Add({{"status", status}});
}

Metrics::~Metrics() = default;

std::string_view method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 9> kMethods = {"GET",    "HEAD",    "POST",  "PUT",    "PATCH",
                                                               "DELETE", "OPTIONS", "TRACE", "CONNECT"};
  for (std::string_view m : kMethods)
    if (m == method) return m;
  return "other";
}

void Metrics::request_completed(std::string_view method, std::string_view route, int status,
                                std::chrono::steady_clock::duration duration) {
  const std::string route_label = route.empty() ? std::string("unmatched") : std::string(route);
  const std::string method_text(method_label(method));
  // A status outside 100..599 cannot be sent; keep the label to three digits regardless.
  const std::string status_text = status >= 100 && status <= 599 ? std::to_string(status) : "other";
  f_->http_requests.Add({{"route", route_label}, {"method", method_text}, {"status", status_text}}).Increment();
  f_->http_duration.Add({{"route", route_label}, {"method", method_text}}, kRequestBuckets)
      .Observe(seconds_of(duration));
}

void Metrics::rate_limited(std::string_view policy) {
  const size_t dot = policy.rfind('.');
  const std::string group(dot == std::string_view::npos ? policy : policy.substr(0, dot));
  const std::string scope(dot == std::string_view::npos ? std::string_view("unknown") : policy.substr(dot + 1));
  f_->rate_limited.Add({{"group", group}, {"scope", scope}}).Increment();
}

void Metrics::storage_call(const StorageCall& call) {
  const prometheus::Labels labels{{"backend", std::string(call.backend)}, {"op", std::string(call.op)}};
  f_->storage_ops.Add(labels).Increment();
  // Present (at 0) as soon as the operation is, so that an error rate has a denominator and a
  // numerator from the start.
  Counter& errors = f_->storage_errors.Add(labels);
  if (is_storage_failure(call.code)) errors.Increment();
  f_->storage_duration.Add(labels, kStorageBuckets).Observe(seconds_of(call.duration));
}

void Metrics::execution_started() { f_->running.Increment(); }

void Metrics::execution_finished(std::string_view status, double seconds) {
  f_->running.Decrement();
  f_->executions.Add({{"status", std::string(status)}}).Increment();
  f_->execution_seconds.Observe(seconds < 0 ? 0 : seconds);
}

void Metrics::node_finished(std::string_view type, std::string_view outcome, double seconds, bool ran) {
  f_->node_runs.Add({{"type", std::string(type)}, {"outcome", std::string(outcome)}}).Increment();
  if (ran) f_->node_duration.Add({{"type", std::string(type)}}, kNodeBuckets).Observe(seconds < 0 ? 0 : seconds);
}

void Metrics::websocket_connected(int delta) { f_->websockets.Increment(delta); }

void Metrics::websocket_event_dropped() { f_->dropped.Increment(); }

void Metrics::set_plugins_loaded(size_t count) { f_->plugins.Set(static_cast<double>(count)); }

void Metrics::add_scrape_source(std::unique_ptr<ScrapeSource> source) {
  if (source) f_->sources.push_back(std::move(source));
}

std::string Metrics::render() const {
  std::vector<prometheus::MetricFamily> families = f_->registry.Collect();
  for (const auto& source : f_->sources) {
    auto more = source->collect();
    families.insert(families.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return prometheus::TextSerializer().Serialize(families);
}

size_t Metrics::http_request_series() const {
  size_t n = 0;
  for (const auto& family : f_->http_requests.Collect()) n += family.metric.size();
  return n;
}

}  // namespace weft::metrics
