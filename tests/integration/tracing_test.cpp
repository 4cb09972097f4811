// OpenTelemetry traces through the real binary: a local OTLP/HTTP receiver (RecordingServer)
// gets the spans of a run started with a W3C traceparent, and they link request -> execution ->
// node runs (and storage calls) under the caller's trace id; weft.http_request passes the
// node's span on; the request's log lines carry the trace id. A collector that is down costs
// dropped spans (counted in /metrics) and never readiness. Sampling follows the config and an
// incoming sampled flag.
#include "recording_server.hpp"
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <map>
#include <sstream>
#include <thread>

namespace weft::test {
namespace {

const std::string kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string kCallerSpan = "00f067aa0ba902b7";
const std::string kTraceparent = "00-" + kTraceId + "-" + kCallerSpan + "-01";

// manual -> weft.http_request GET `url` -> set.
Json calling(const std::string& url) {
  return {{"name", "traced"},
          {"nodes", {{{"id", "m"}, {"type", "weft.manual"}, {"typeVersion", 1}},
                     {{"id", "call"}, {"type", "weft.http_request"}, {"typeVersion", 1},
                      {"parameters", {{"url", url}}}},
                     {{"id", "s"}, {"type", "weft.set"}, {"typeVersion", 1},
                      {"parameters", {{"fields", {{{"name", "done"}, {"value", true}}}}}}}}},
          {"edges", {{{"from", "m"}, {"to", "call"}}, {{"from", "call"}, {"to", "s"}}}}};
}

// Every span the collector received, by span id, from the OTLP/JSON bodies posted to
// /v1/traces. Fails the test on a body that is not an ExportTraceServiceRequest.
std::map<std::string, Json> received_spans(const RecordingServer& collector) {
  std::map<std::string, Json> spans;
  for (const auto& s : collector.seen()) {
    if (s.path != "/v1/traces") continue;
    EXPECT_EQ(s.method, "POST");
    EXPECT_EQ(s.header("Content-Type"), "application/json");
    Json body = Json::parse(s.body, nullptr, false);
    EXPECT_TRUE(body.is_object() && body.contains("resourceSpans")) << s.body.substr(0, 500);
    if (!body.is_object()) continue;
    for (const auto& rs : body.value("resourceSpans", Json::array())) {
      bool named = false;
      for (const auto& a : rs["resource"]["attributes"])
        if (a["key"] == "service.name") named = a["value"]["stringValue"] == "weft";
      EXPECT_TRUE(named) << rs["resource"].dump();
      for (const auto& ss : rs["scopeSpans"])
        for (const auto& span : ss["spans"]) spans[span.value("spanId", "")] = span;
    }
  }
  return spans;
}

std::string attribute(const Json& span, const std::string& key) {
  for (const auto& a : span.value("attributes", Json::array()))
    if (a["key"] == key) {
      const Json& v = a["value"];
      if (v.contains("stringValue")) return v["stringValue"];
      if (v.contains("intValue")) return v["intValue"];
      return v.dump();
    }
  return "<absent>";
}

// The spans once one named `name` has arrived (the exporter sends in batches), or what came
// within the timeout.
std::map<std::string, Json> wait_for_span(const RecordingServer& collector, const std::string& name,
                                          std::chrono::seconds timeout = std::chrono::seconds(30)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto spans = received_spans(collector);
    for (const auto& [id, span] : spans)
      if (span.value("name", "") == name) return spans;
    if (std::chrono::steady_clock::now() > until) return spans;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::vector<Json> children_of(const std::map<std::string, Json>& spans, const std::string& parent) {
  std::vector<Json> out;
  for (const auto& [id, span] : spans)
    if (span.value("parentSpanId", "") == parent) out.push_back(span);
  return out;
}

std::string run_workflow(WeftServer& server, const std::string& id, Headers headers) {
  HttpResult r = server.send_json("POST", "/api/v1/workflows/" + id + "/run?wait=true", Json::object(),
                                  server.as_admin(std::move(headers)));
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json().value("id", "");
}

TEST(Tracing, SpansLinkRequestExecutionAndNodesUnderTheCallersTraceId) {
  RecordingServer collector;  // also the far end of weft.http_request
  // The endpoint without a path: weft posts to OTLP's /v1/traces on it.
  WeftServer server({.env = {{"WEFT_TRACING_ENDPOINT", collector.url("")},
                             {"WEFT_TRACING_FLUSH_INTERVAL_MS", "100"},
                             {"WEFT_RATE_LIMITS", "false"}}});
  HttpResult made = server.send_json("POST", "/api/v1/workflows", calling(collector.url("/downstream")),
                                     server.as_admin());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string wf = made.json().value("id", "");
  const std::string execution = run_workflow(server, wf, {{"traceparent", kTraceparent}});

  auto spans = wait_for_span(collector, "node weft.set");
  // The request: a SERVER span, the caller's child, named after the route template.
  std::vector<Json> requests = children_of(spans, kCallerSpan);
  ASSERT_EQ(requests.size(), 1u) << Json(spans).dump(1).substr(0, 4000);
  const Json& request = requests[0];
  EXPECT_EQ(request["traceId"], kTraceId);
  EXPECT_EQ(request["name"], "POST /api/v1/workflows/{id}/run");
  EXPECT_EQ(request["kind"], 2);
  EXPECT_EQ(attribute(request, "http.response.status_code"), "200");
  EXPECT_EQ(attribute(request, "http.route"), "/api/v1/workflows/{id}/run");

  // The execution: the request's child.
  Json exec;
  for (const auto& child : children_of(spans, request["spanId"]))
    if (child["name"] == "execution") exec = child;
  ASSERT_TRUE(exec.is_object()) << Json(spans).dump(1).substr(0, 4000);
  EXPECT_EQ(exec["traceId"], kTraceId);
  EXPECT_EQ(attribute(exec, "weft.execution.id"), execution);
  EXPECT_EQ(attribute(exec, "weft.workflow.id"), wf);
  EXPECT_EQ(attribute(exec, "weft.execution.status"), "succeeded");

  // One span per node run, the execution's children, in the trace.
  std::map<std::string, Json> nodes;
  for (const auto& child : children_of(spans, exec["spanId"])) nodes[attribute(child, "weft.node.id")] = child;
  ASSERT_EQ(nodes.size(), 3u) << Json(spans).dump(1).substr(0, 4000);
  EXPECT_EQ(nodes["m"]["name"], "node weft.manual");
  EXPECT_EQ(nodes["call"]["name"], "node weft.http_request");
  EXPECT_EQ(attribute(nodes["s"], "weft.node.items_out"), "1");
  for (const auto& [id, node] : nodes) {
    EXPECT_EQ(node["traceId"], kTraceId) << id;
    EXPECT_GE(std::stoll(node["startTimeUnixNano"].get<std::string>()),
              std::stoll(exec["startTimeUnixNano"].get<std::string>())) << id;
  }

  // weft.http_request sent the node's span on as the downstream call's parent.
  std::string downstream_parent = "<no downstream request>";
  for (const auto& s : collector.seen())
    if (s.path == "/downstream") downstream_parent = s.header("traceparent");
  EXPECT_EQ(downstream_parent, "00-" + kTraceId + "-" + nodes["call"]["spanId"].get<std::string>() + "-01");

  // Storage calls made while the request was served (reading the workflow, recording the
  // queued execution) are its CLIENT children.
  int storage_spans = 0;
  for (const auto& span : children_of(spans, request["spanId"]))
    if (span["name"].get<std::string>().rfind("storage ", 0) == 0) {
      ++storage_spans;
      EXPECT_EQ(span["traceId"], kTraceId);
      EXPECT_EQ(span["kind"], 3);
      EXPECT_EQ(attribute(span, "db.system"), "sqlite");
    }
  EXPECT_GE(storage_spans, 2) << Json(spans).dump(1).substr(0, 4000);

  // The request's access log line carries the trace id.
  bool logged = false;
  std::istringstream log(server.process().stderr_text());
  for (std::string line; std::getline(log, line);) {
    Json entry = Json::parse(line, nullptr, false);
    if (entry.is_object() && entry.value("logger", "") == "access" &&
        entry["fields"].value("route", "") == "/api/v1/workflows/{id}/run")
      logged = entry.value("traceId", "") == kTraceId && entry.value("spanId", "") == request["spanId"];
  }
  EXPECT_TRUE(logged) << server.process().stderr_text().substr(0, 4000);

  // The exporter reports itself ready and counts what it sent.
  HttpResult ready = server.get("/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json()["checks"]["traceExporter"]["status"], "ok") << ready.body;
  HttpResult metrics = server.get("/metrics");
  EXPECT_NE(metrics.body.find("weft_trace_spans_exported_total "), std::string::npos);
  EXPECT_EQ(metrics.body.find("weft_trace_spans_exported_total 0\n"), std::string::npos) << "nothing counted";
}

TEST(Tracing, ARequestWithoutTraceparentStartsATraceOfItsOwn) {
  RecordingServer collector;
  WeftServer server({.env = {{"WEFT_TRACING_ENDPOINT", collector.url("/v1/traces")},
                             {"WEFT_TRACING_FLUSH_INTERVAL_MS", "100"}}});
  ASSERT_EQ(server.get("/api/v1/workflows", server.as_admin()).status, 200);
  auto spans = wait_for_span(collector, "GET /api/v1/workflows");
  Json root;
  for (const auto& [id, span] : spans)
    if (span["name"] == "GET /api/v1/workflows") root = span;
  ASSERT_TRUE(root.is_object()) << Json(spans).dump(1).substr(0, 2000);
  EXPECT_FALSE(root.contains("parentSpanId")) << root.dump();
  EXPECT_EQ(root["traceId"].get<std::string>().size(), 32u);
  EXPECT_NE(root["traceId"], "00000000000000000000000000000000");
}

TEST(Tracing, SampleRatioZeroRecordsNewTracesNoneButFollowsASampledCaller) {
  RecordingServer collector;
  WeftServer server({.env = {{"WEFT_TRACING_ENDPOINT", collector.url("")},
                             {"WEFT_TRACING_SAMPLE_RATIO", "0"},
                             {"WEFT_TRACING_FLUSH_INTERVAL_MS", "100"}}});
  for (int i = 0; i < 5; ++i) ASSERT_EQ(server.get("/api/v1/workflows", server.as_admin()).status, 200);
  // A caller that sampled its trace is followed (parent-based sampling).
  ASSERT_EQ(server.get("/health", {{"traceparent", kTraceparent}}).status, 200);
  auto spans = wait_for_span(collector, "GET /health");
  bool health = false;
  for (const auto& [id, span] : spans) {
    EXPECT_EQ(span["traceId"], kTraceId) << "a new trace was recorded at ratio 0: " << span.dump();
    health = health || span["name"] == "GET /health";
  }
  EXPECT_TRUE(health) << Json(spans).dump(1);
}

TEST(Tracing, ACollectorThatIsDownCostsCountedSpansNotReadiness) {
  uint16_t dead_port = 0;
  {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    dead_port = probe.address().port();
  }  // closed: connections to it are refused
  WeftServer server({.env = {{"WEFT_TRACING_ENDPOINT", "http://127.0.0.1:" + std::to_string(dead_port)},
                             {"WEFT_TRACING_FLUSH_INTERVAL_MS", "50"},
                             {"WEFT_TRACING_QUEUE_SIZE", "4"},
                             {"WEFT_RATE_LIMITS", "false"}}});
  for (int i = 0; i < 20; ++i) ASSERT_EQ(server.get("/api/v1/workflows", server.as_admin()).status, 200);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  Json exporter;
  for (;;) {
    HttpResult ready = server.get("/ready");
    ASSERT_EQ(ready.status, 200) << "a failing trace exporter must not fail readiness: " << ready.body;
    exporter = ready.json()["checks"]["traceExporter"];
    if (exporter["status"] == "unavailable" || std::chrono::steady_clock::now() > until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(exporter["status"], "unavailable") << exporter.dump();
  const std::string metrics = server.get("/metrics").body;
  double dropped = 0;
  std::istringstream in(metrics);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("weft_trace_spans_dropped_total{", 0) == 0) dropped += std::stod(line.substr(line.rfind(' ') + 1));
  EXPECT_GT(dropped, 0) << metrics;
}

TEST(Tracing, AnInvalidTracingConfigRefusesToStartNamingTheKey) {
  for (const auto& [key, value, needle] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"WEFT_TRACING_ENDPOINT", "ftp://collector", "tracing.endpoint"},
           {"WEFT_TRACING_SAMPLE_RATIO", "1.5", "tracing.sampleRatio"},
           {"WEFT_TRACING_HEADERS", "no-equals-sign-secret", "tracing.headers"}}) {
    std::map<std::string, std::string> env = {{key, value}};
    if (key != "WEFT_TRACING_ENDPOINT") env["WEFT_TRACING_ENDPOINT"] = "http://127.0.0.1:4318";
    TempDir tmp;
    ProcessResult r = run_weft({"serve", "--port", "0", "--data", tmp / "data"}, env);
    EXPECT_EQ(r.exit_code, 2) << key << ": " << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("no-equals-sign-secret"), std::string::npos) << "a header value was echoed";
  }
}

}  // namespace
}  // namespace weft::test
