// GET /metrics through the real binary: Prometheus' own checker (promtool) accepts the text,
// counters move as requests, executions and storage calls happen, rate-limit refusals are
// counted, no secret appears, and the route needs no key and is never rate limited.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace weft::test {
namespace {

const std::string kWorkflows = "/api/v1/workflows";

// The value of the sample whose series is exactly `series` ("name{labels}"), or 0 when the
// scrape has no such line (a counter not yet incremented is absent or 0 alike).
double sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
      return std::stod(line.substr(series.size() + 1));
  return 0;
}

// The sum of every series of family `name` (counter or gauge).
double family_sum(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  double sum = 0;
  while (std::getline(in, line))
    if (line.compare(0, name.size() + 1, name + "{") == 0 || line.compare(0, name.size() + 1, name + " ") == 0)
      sum += std::stod(line.substr(line.rfind(' ') + 1));
  return sum;
}

// GET /metrics without any credential; fails the test unless it is a 200 of the text format.
std::string scrape(WeftServer& server) {
  HttpResult r = server.get("/metrics");
  EXPECT_EQ(r.status, 200) << r.body << r.error;
  EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  return r.body;
}

// Runs `promtool check metrics` on `text`; fails the test with its output unless it exits 0.
void expect_promtool_accepts(const std::string& text, const std::string& dir) {
  const std::string promtool = WEFT_PROMTOOL;
  ASSERT_TRUE(std::filesystem::exists(promtool))
      << "promtool not found (" << promtool << "): install Debian's `prometheus` package (packaging/deps.sh)";
  const std::string file = dir + "/scrape.txt";
  std::ofstream(file) << text;
  Process p("/bin/sh", {"-c", "exec \"$0\" check metrics < \"$1\"", promtool, file}, {}, dir);
  auto code = p.wait(std::chrono::seconds(60));
  EXPECT_EQ(code, 0) << "promtool check metrics:\n" << p.stdout_text() << p.stderr_text();
}

// manual -> set (y = x * 2).
Json doubling() {
  return {{"name", "double"},
          {"nodes", {{{"id", "m"}, {"type", "weft.manual"}, {"typeVersion", 1}},
                     {{"id", "s"}, {"type", "weft.set"}, {"typeVersion", 1},
                      {"parameters", {{"fields", {{{"name", "y"}, {"value", "{{ $json.x * 2 }}"}}}}}}}}},
          {"edges", {{{"from", "m"}, {"to", "s"}}}}};
}

TEST(Metrics, PromtoolAcceptsTheScrapeAndCountersMove) {
  WeftServer server;
  TempDir tmp;
  const std::string before = scrape(server);
  expect_promtool_accepts(before, tmp.path());
  EXPECT_EQ(sample(before, "weft_build_info{version=\"" WEFT_VERSION "\"}"), 1) << before.substr(0, 3000);
  EXPECT_GE(sample(before, "weft_plugins_loaded"), 1);
  for (const char* family : {"weft_websocket_connections", "weft_websocket_events_dropped_total",
                             "weft_executions_running", "weft_audit_failures_total"})
    EXPECT_NE(before.find(std::string("\n") + family + " "), std::string::npos) << family << " is not exposed";

  const std::string list_series = R"(weft_http_requests_total{method="GET",route="/api/v1/workflows",status="200"})";
  const int n = 7;
  for (int i = 0; i < n; ++i) ASSERT_EQ(server.get(kWorkflows, server.as_admin()).status, 200);

  HttpResult created = server.send_json("POST", kWorkflows, doubling(), server.as_admin());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string wf = created.json()["id"];
  const int m = 3;
  for (int i = 0; i < m; ++i) {
    HttpResult r = server.send_json("POST", kWorkflows + "/" + wf + "/run?wait=true", {{"items", {{{"x", i}}}}},
                                    server.as_admin());
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // A credential whose secret must never show, and a path that matches no route.
  const std::string secret = "metrics-canary-5e1f0c2a9b";
  HttpResult cred = server.send_json(
      "POST", "/api/v1/credentials",
      {{"name", "canary"}, {"type", "weft.httpHeaderAuth"}, {"data", {{"name", "X-Token"}, {"value", secret}}}},
      server.as_admin());
  ASSERT_EQ(cred.status, 201) << cred.body;
  EXPECT_EQ(server.get("/no/such/path/zq-81723").status, 404);

  const std::string after = scrape(server);
  expect_promtool_accepts(after, tmp.path());
  EXPECT_EQ(sample(after, list_series) - sample(before, list_series), n) << after.substr(0, 4000);
  EXPECT_EQ(sample(after, R"(weft_executions_total{status="success"})") -
                sample(before, R"(weft_executions_total{status="success"})"),
            m);
  EXPECT_EQ(sample(after, R"(weft_node_runs_total{outcome="succeeded",type="weft.set"})"), m);
  EXPECT_EQ(sample(after, "weft_execution_duration_seconds_count"), m);
  EXPECT_EQ(sample(after, R"(weft_node_run_duration_seconds_count{type="weft.set"})"), m);
  EXPECT_EQ(sample(after, "weft_executions_running"), 0);
  EXPECT_GT(family_sum(after, "weft_storage_operations_total"), family_sum(before, "weft_storage_operations_total"));
  EXPECT_GT(sample(after, R"(weft_storage_operations_total{backend="sqlite",op="write"})"), 0);
  EXPECT_GT(sample(after, R"(weft_http_request_duration_seconds_count{method="POST",route="/api/v1/workflows/{id}/run"})"), 0);
  // The unmatched path is counted under route="unmatched", never by its own text.
  EXPECT_GE(sample(after, R"(weft_http_requests_total{method="GET",route="unmatched",status="404"})"), 1);
  EXPECT_EQ(after.find("zq-81723"), std::string::npos);
  // No secret: neither the admin's API key nor the credential's value.
  EXPECT_EQ(after.find(server.admin_key()), std::string::npos);
  EXPECT_EQ(after.find(secret), std::string::npos);
  EXPECT_EQ(after.find(wf), std::string::npos) << "ids are not labels";
  EXPECT_EQ(server.stop(), 0) << server.process().stderr_text();
}

TEST(Metrics, RateLimitRefusalsAreCountedAndMetricsIsNeverLimited) {
  WeftServer server({.env = {{"WEFT_RATE_LIMIT_ADDRESS_BURST", "3"},
                             {"WEFT_RATE_LIMIT_ADDRESS_PER_MINUTE", "1"},
                             {"WEFT_RATE_LIMIT_PRINCIPAL_BURST", "0"}}});
  int refused = 0;
  for (int i = 0; i < 10; ++i)
    if (server.get("/api/v1/node-types", server.as_admin()).status == 429) ++refused;
  ASSERT_GE(refused, 1) << "the address limit never refused";
  // Scraped far more often than the limit allows: never refused.
  std::string text;
  for (int i = 0; i < 10; ++i) text = scrape(server);
  EXPECT_EQ(sample(text, R"(weft_rate_limit_rejections_total{group="default",scope="address"})"), refused) << text.substr(0, 4000);
  EXPECT_EQ(sample(text, R"(weft_http_requests_total{method="GET",route="/api/v1/node-types",status="429"})"), refused);
  TempDir tmp;
  expect_promtool_accepts(text, tmp.path());
  EXPECT_EQ(server.stop(), 0) << server.process().stderr_text();
}

}  // namespace
}  // namespace weft::test
