// The tracing primitives: W3C traceparent parsing by the spec's rules, parent-based and
// ratio sampling, the current span of a thread, the OTLP/JSON encoding, and the exporter's
// bounded queue.
#include <weft/runtime/tracing/otlp_exporter.hpp>
#include <weft/runtime/tracing/tracer.hpp>

#include <gtest/gtest.h>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <vector>

namespace weft::tracing {
namespace {

const std::string kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

// Keeps every span it is given.
class Collect : public SpanSink {
 public:
  void consume(SpanRecord&& span) override {
    std::lock_guard<std::mutex> lock(mu);
    spans.push_back(std::move(span));
  }
  std::mutex mu;
  std::vector<SpanRecord> spans;
};

// A collector that answers the statuses it is given, one per request (200 once they run out),
// and counts the requests.
class ScriptedCollector {
 public:
  explicit ScriptedCollector(std::deque<int> statuses)
      : statuses_(std::move(statuses)), socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~ScriptedCollector() { server_->stopAll(true); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/v1/traces"; }
  int requests() const { return requests_.load(); }

 private:
  struct Handler : Poco::Net::HTTPRequestHandler {
    explicit Handler(ScriptedCollector& c) : c(c) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
      std::string body;
      Poco::StreamCopier::copyToString(req.stream(), body);
      int status = 200;
      {
        std::lock_guard<std::mutex> lock(c.mu_);
        if (!c.statuses_.empty()) {
          status = c.statuses_.front();
          c.statuses_.pop_front();
        }
      }
      ++c.requests_;
      res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
      res.setContentType("application/json");
      res.send() << "{}";
    }
    ScriptedCollector& c;
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    explicit Factory(ScriptedCollector& c) : c(c) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(c);
    }
    ScriptedCollector& c;
  };

  std::mutex mu_;
  std::deque<int> statuses_;
  std::atomic<int> requests_{0};
  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

OtlpExporterOptions options_for(const std::string& url) {
  OtlpExporterOptions o;
  o.endpoint = url;
  o.flush_interval = std::chrono::hours(1);  // only flush() sends
  o.export_timeout = std::chrono::milliseconds(5000);
  return o;
}

TEST(Traceparent, AValidHeaderRoundTrips) {
  auto c = SpanContext::parse(kValid);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->trace_id_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(c->span_id_hex(), "00f067aa0ba902b7");
  EXPECT_TRUE(c->sampled);
  EXPECT_EQ(c->traceparent(), kValid);
  auto unsampled = SpanContext::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(unsampled);
  EXPECT_FALSE(unsampled->sampled);
}

TEST(Traceparent, MalformedHeadersAreRefused) {
  for (const std::string bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",       // no flags
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",    // upper case
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",    // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",    // zero span id
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // version ff
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  // version 00 has 4 fields
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // separator
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",    // not hex
           "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",   // later version, no '-'
       })
    EXPECT_FALSE(SpanContext::parse(bad)) << bad;
}

TEST(Traceparent, ALaterVersionIsReadByItsFirstFourFields) {
  auto c = SpanContext::parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->traceparent(), kValid);  // passed on as version 00
}

TEST(Tracer, AChildKeepsTheTraceAndTheParentsDecision) {
  Collect sink;
  Tracer tracer(&sink, 0.0);  // new traces: never
  auto parent = *SpanContext::parse(kValid);
  {
    Span span = tracer.start("child", {.parent = parent});
    EXPECT_EQ(span.context().trace_id, parent.trace_id);
    EXPECT_NE(span.context().span_id, parent.span_id);
    EXPECT_TRUE(span.recording());
    span.set_attribute("k", int64_t{7});
  }
  {
    Span root = tracer.start("root", {.parent = SpanContext{}});
    EXPECT_TRUE(root.context().valid());  // it still has ids to pass on...
    EXPECT_FALSE(root.context().sampled);
    EXPECT_FALSE(root.recording());       // ...but is not recorded
  }
  ASSERT_EQ(sink.spans.size(), 1u);
  const SpanRecord& r = sink.spans[0];
  EXPECT_EQ(r.name, "child");
  EXPECT_EQ(r.parent_span_id, parent.span_id);
  EXPECT_LE(r.start_unix_ns, r.end_unix_ns);
  ASSERT_EQ(r.attributes.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(r.attributes[0].second), 7);
}

TEST(Tracer, TheRatioSamplesAboutItsShareOfNewTraces) {
  Collect sink;
  Tracer tracer(&sink, 0.25);
  const int n = 20000;
  for (int i = 0; i < n; ++i) tracer.start("root", {.parent = SpanContext{}});
  const double share = static_cast<double>(sink.spans.size()) / n;
  EXPECT_GT(share, 0.22);
  EXPECT_LT(share, 0.28);
}

TEST(Tracer, WithoutASinkAContextPassesThroughUnchanged) {
  Tracer off;
  auto parent = *SpanContext::parse(kValid);
  Span span = off.start("x", {.parent = parent});
  EXPECT_FALSE(span.recording());
  EXPECT_EQ(span.context().traceparent(), kValid);
  EXPECT_FALSE(off.start("y", {.parent = SpanContext{}}).context().valid());
}

TEST(Tracer, SpansStartedInAScopeAreItsChildrenAndScopesNest) {
  Collect sink;
  Tracer tracer(&sink, 1.0);
  EXPECT_FALSE(current_span().valid());
  Span outer = tracer.start("outer");
  {
    ScopedSpan in_outer(outer.context());
    Span inner = tracer.start("inner");
    {
      ScopedSpan in_inner(inner.context());
      EXPECT_EQ(current_span().span_id, inner.context().span_id);
    }
    EXPECT_EQ(current_span().span_id, outer.context().span_id);
    inner.end();
  }
  EXPECT_FALSE(current_span().valid());
  ASSERT_EQ(sink.spans.size(), 1u);
  EXPECT_EQ(sink.spans[0].parent_span_id, outer.context().span_id);
  EXPECT_EQ(sink.spans[0].context.trace_id, outer.context().trace_id);
}

TEST(OtlpJson, FollowsTheOtlpJsonMapping) {
  SpanRecord s;
  s.context = *SpanContext::parse(kValid);
  s.parent_span_id = {1, 2, 3, 4, 5, 6, 7, 8};
  s.name = "GET /x";
  s.kind = SpanKind::kServer;
  s.start_unix_ns = 1700000000000000001;
  s.end_unix_ns = 1700000000000000999;
  s.attributes = {{"s", std::string("v")}, {"i", int64_t{42}}, {"d", 1.5}, {"b", true}};
  s.error = true;
  s.error_message = "HTTP 503";
  Json doc = otlp_json({s}, "svc", "host-1");
  const Json& rs = doc["resourceSpans"][0];
  bool service = false, instance = false;
  for (const auto& a : rs["resource"]["attributes"]) {
    service = service || (a["key"] == "service.name" && a["value"]["stringValue"] == "svc");
    instance = instance || (a["key"] == "service.instance.id" && a["value"]["stringValue"] == "host-1");
  }
  EXPECT_TRUE(service && instance) << rs.dump();
  EXPECT_EQ(rs["scopeSpans"][0]["scope"]["name"], "weft");
  const Json& span = rs["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(span["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(span["spanId"], "00f067aa0ba902b7");
  EXPECT_EQ(span["parentSpanId"], "0102030405060708");
  EXPECT_EQ(span["kind"], 2);
  EXPECT_EQ(span["startTimeUnixNano"], "1700000000000000001");  // 64-bit: a string
  EXPECT_EQ(span["endTimeUnixNano"], "1700000000000000999");
  EXPECT_EQ(span["status"], Json({{"code", 2}, {"message", "HTTP 503"}}));
  EXPECT_EQ(span["attributes"][0], Json({{"key", "s"}, {"value", {{"stringValue", "v"}}}}));
  EXPECT_EQ(span["attributes"][1], Json({{"key", "i"}, {"value", {{"intValue", "42"}}}}));
  EXPECT_EQ(span["attributes"][2], Json({{"key", "d"}, {"value", {{"doubleValue", 1.5}}}}));
  EXPECT_EQ(span["attributes"][3], Json({{"key", "b"}, {"value", {{"boolValue", true}}}}));

  s.parent_span_id = {};
  s.error = false;
  const Json root = otlp_json({s}, "svc", "")["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_FALSE(root.contains("parentSpanId"));
  EXPECT_FALSE(root.contains("status"));
}

TEST(OtlpHttpExporter, AFullQueueDropsAndCountsInsteadOfBlocking) {
  uint16_t port = 0;
  {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = probe.address().port();
  }
  OtlpExporterOptions o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1/traces";
  o.queue_size = 3;
  o.batch_size = 100;                       // never a full batch...
  o.flush_interval = std::chrono::hours(1); // ...nor an interval: nothing leaves until flush
  o.export_timeout = std::chrono::milliseconds(2000);
  OtlpHttpExporter exporter(o);
  for (int i = 0; i < 5; ++i) exporter.consume(SpanRecord{});
  ExporterStats s = exporter.stats();
  EXPECT_EQ(s.queued, 3u);
  EXPECT_EQ(s.dropped_queue_full, 2u);
  EXPECT_EQ(exporter.health().state, ExporterHealth::State::kIdle);

  EXPECT_TRUE(exporter.flush(std::chrono::seconds(10)));  // to a closed port: refused
  s = exporter.stats();
  EXPECT_EQ(s.queued, 0u);
  EXPECT_EQ(s.dropped_export_failed, 3u);
  EXPECT_EQ(s.exported, 0u);
  EXPECT_EQ(exporter.health().state, ExporterHealth::State::kFailing);
  EXPECT_FALSE(exporter.health().last_error.empty());
}

TEST(OtlpHttpExporter, RetryableAnswersAreTriedAgainAndOthersAreNot) {
  {
    ScriptedCollector collector({503, 429});  // then 200
    OtlpHttpExporter exporter(options_for(collector.url()));
    exporter.consume(SpanRecord{});
    exporter.consume(SpanRecord{});
    ASSERT_TRUE(exporter.flush(std::chrono::seconds(10)));
    EXPECT_EQ(collector.requests(), 3);
    EXPECT_EQ(exporter.stats().exported, 2u);
    EXPECT_EQ(exporter.stats().dropped_export_failed, 0u);
    EXPECT_EQ(exporter.health().state, ExporterHealth::State::kOk);
  }
  {
    ScriptedCollector collector({400});  // a bad request stays bad
    OtlpHttpExporter exporter(options_for(collector.url()));
    exporter.consume(SpanRecord{});
    ASSERT_TRUE(exporter.flush(std::chrono::seconds(10)));
    EXPECT_EQ(collector.requests(), 1);
    EXPECT_EQ(exporter.stats().dropped_export_failed, 1u);
    EXPECT_EQ(exporter.health().last_error, "the collector answered HTTP 400");
  }
  {
    ScriptedCollector collector({503, 503, 503, 503});  // more failures than tries
    OtlpHttpExporter exporter(options_for(collector.url()));
    exporter.consume(SpanRecord{});
    ASSERT_TRUE(exporter.flush(std::chrono::seconds(10)));
    EXPECT_EQ(collector.requests(), 3);
    EXPECT_EQ(exporter.stats().dropped_export_failed, 1u);
    EXPECT_EQ(exporter.health().state, ExporterHealth::State::kFailing);
  }
}

}  // namespace
}  // namespace weft::tracing
