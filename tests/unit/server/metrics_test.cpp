// The metrics registry (server/src/metrics): label values stay bounded whatever clients send,
// and what is counted shows in the text format.
#include "metrics/metrics.hpp"

#include <gtest/gtest.h>

#include <string>

namespace weft::metrics {
namespace {

using std::chrono::milliseconds;

// The value of the sample line that starts with `series` ("name{labels}"), or -1.
double sample(const std::string& text, const std::string& series) {
  size_t at = 0;
  while ((at = text.find(series + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') return std::stod(text.substr(at + series.size() + 1));
    at += series.size();
  }
  return -1;
}

TEST(MetricsLabels, UnmatchedPathsShareOneSeries) {
  Metrics m;
  // A scanner probing many paths that match no route: route is "" for each.
  for (int i = 0; i < 500; ++i) m.request_completed("GET", "", 404, milliseconds(1));
  EXPECT_EQ(m.http_request_series(), 1u);
  const std::string text = m.render();
  EXPECT_EQ(sample(text, R"(weft_http_requests_total{method="GET",route="unmatched",status="404"})"), 500)
      << text.substr(0, 2000);
}

TEST(MetricsLabels, RoutesAreLabelledByTemplateAndMethodsAreBounded) {
  Metrics m;
  for (int i = 0; i < 100; ++i) {
    m.request_completed("GET", "/api/v1/workflows/{id}", 200, milliseconds(2));
    // Made-up methods (a client may send any token) collapse into "other".
    m.request_completed("X" + std::to_string(i), "/api/v1/workflows/{id}", 405, milliseconds(1));
  }
  EXPECT_EQ(m.http_request_series(), 2u);
  const std::string text = m.render();
  EXPECT_EQ(sample(text, R"(weft_http_requests_total{method="GET",route="/api/v1/workflows/{id}",status="200"})"), 100);
  EXPECT_EQ(sample(text, R"(weft_http_requests_total{method="other",route="/api/v1/workflows/{id}",status="405"})"), 100);
  EXPECT_EQ(sample(text, R"(weft_http_request_duration_seconds_count{method="GET",route="/api/v1/workflows/{id}"})"), 100);
  EXPECT_EQ(method_label("DELETE"), "DELETE");
  EXPECT_EQ(method_label("get"), "other");  // methods are case-sensitive (RFC 9110)
}

TEST(MetricsLabels, RateLimitPolicySplitsIntoGroupAndScope) {
  Metrics m;
  m.rate_limited("auth.address");
  m.rate_limited("auth.address");
  m.rate_limited("default.principal");
  const std::string text = m.render();
  EXPECT_EQ(sample(text, R"(weft_rate_limit_rejections_total{group="auth",scope="address"})"), 2);
  EXPECT_EQ(sample(text, R"(weft_rate_limit_rejections_total{group="default",scope="principal"})"), 1);
}

TEST(MetricsLabels, StorageErrorsCountOnlyTheStoresOwnFailures) {
  Metrics m;
  m.storage_call({"sqlite", "get", milliseconds(1), Code::kOk});
  m.storage_call({"sqlite", "get", milliseconds(1), Code::kNotFound});  // an answer, not a failure
  m.storage_call({"sqlite", "get", milliseconds(1), Code::kUnavailable});
  const std::string text = m.render();
  EXPECT_EQ(sample(text, R"(weft_storage_operations_total{backend="sqlite",op="get"})"), 3);
  EXPECT_EQ(sample(text, R"(weft_storage_errors_total{backend="sqlite",op="get"})"), 1);
}

TEST(MetricsLabels, GaugesAndBuildInfo) {
  Metrics m;
  m.websocket_connected(+1);
  m.websocket_connected(+1);
  m.websocket_connected(-1);
  m.websocket_event_dropped();
  m.set_plugins_loaded(7);
  m.execution_started();
  m.execution_started();
  m.execution_finished("success", 0.5);
  const std::string text = m.render();
  EXPECT_EQ(sample(text, "weft_websocket_connections"), 1);
  EXPECT_EQ(sample(text, "weft_websocket_events_dropped_total"), 1);
  EXPECT_EQ(sample(text, "weft_plugins_loaded"), 7);
  EXPECT_EQ(sample(text, "weft_executions_running"), 1);
  EXPECT_EQ(sample(text, R"(weft_executions_total{status="success"})"), 1);
  EXPECT_EQ(sample(text, R"(weft_executions_total{status="error"})"), 0);
  EXPECT_EQ(sample(text, std::string(R"(weft_build_info{version=")") + WEFT_VERSION + "\"}"), 1);
}

}  // namespace
}  // namespace weft::metrics
