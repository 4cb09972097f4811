// The log line builder, the secret scrubber, the log options and the access record: what one
// line holds and that nothing can break it into two or carry a secret.
#include "logging/access_log.hpp"
#include "logging/log_format.hpp"
#include "logging/log_options.hpp"
#include "logging/secret_scrubber.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

namespace weft::logging {
namespace {

using Json = nlohmann::json;
using namespace std::chrono;

LogRecord record(std::string message, Json fields = Json::object()) {
  LogRecord r;
  r.time = system_clock::time_point(milliseconds(1764175857123));  // 2025-11-26T16:50:57.123Z
  r.level = Level::kWarn;
  r.logger = "http";
  r.message = std::move(message);
  r.fields = std::move(fields);
  return r;
}

size_t count_newlines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(LogFormat, TimeIsRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(format_time(system_clock::time_point(milliseconds(1764175857123))), "2025-11-26T16:50:57.123Z");
  EXPECT_EQ(format_time(system_clock::time_point(milliseconds(0))), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_time(system_clock::time_point(milliseconds(5))), "1970-01-01T00:00:00.005Z");
}

TEST(LogFormat, JsonLineHoldsTheFieldsInOrderAndLeavesEmptyIdsOut) {
  LogRecord r = record("the handler failed", {{"route", "/api/v1/workflows/{id}"}, {"status", 500}});
  std::string line = format_json_line(r);
  EXPECT_EQ(line,
            R"({"time":"2025-11-26T16:50:57.123Z","level":"warn","logger":"http","message":"the handler failed",)"
            R"("fields":{"route":"/api/v1/workflows/{id}","status":500}})"
            "\n");
  r.context = {"req-1", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"};
  Json j = Json::parse(format_json_line(r));
  EXPECT_EQ(j["requestId"], "req-1");
  EXPECT_EQ(j["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(j["spanId"], "00f067aa0ba902b7");
}

TEST(LogFormat, NewlinesAndControlCharactersStayInsideOneLine) {
  const std::string nasty = std::string("first\nsecond\r\n{\"level\":\"error\"}\t\x01\x1b[31m") + '\0' + "end";
  LogRecord r = record(nasty, {{"detail", nasty}, {"we\nird", 1}});
  r.logger = "log\nger";
  for (Format f : {Format::kJson, Format::kText}) {
    std::string line = format_line(r, f);
    EXPECT_EQ(count_newlines(line), 1u) << line;
    EXPECT_EQ(line.back(), '\n');
    for (char c : line.substr(0, line.size() - 1))
      EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f) << "raw control character in: " << line;
  }
  Json j = Json::parse(format_json_line(r));
  EXPECT_EQ(j["message"], nasty) << "escaped, not altered";
  EXPECT_EQ(j["fields"]["detail"], nasty);
}

TEST(LogFormat, InvalidUtf8IsReplacedNotThrown) {
  LogRecord r = record("bad \xff\xfe bytes", {{"path", "/x\xc3"}});
  std::string line;
  ASSERT_NO_THROW(line = format_json_line(r));
  Json j = Json::parse(line);
  EXPECT_NE(j["message"].get<std::string>().find("bad "), std::string::npos);
  ASSERT_NO_THROW(format_text_line(r));
}

TEST(LogFormat, TextLineCarriesLevelLoggerMessageAndFields) {
  LogRecord r = record("listening", {{"url", "http://127.0.0.1:8080"}, {"note", "two words"}, {"n", 3}});
  r.context.request_id = "abc";
  EXPECT_EQ(format_text_line(r),
            "2025-11-26T16:50:57.123Z WARN  http: listening requestId=abc n=3 note=\"two words\" "
            "url=http://127.0.0.1:8080\n");
  EXPECT_FALSE(Json::accept(format_text_line(r))) << "text is not JSON";
}

TEST(SecretScrubber, SecretBearingNamesAreRedactedAtAnyDepth) {
  Json fields = {{"password", "hunter2"},
                 {"clientSecret", "s1"},
                 {"X-Api-Key", "k1"},
                 {"api_key", "k2"},
                 {"Authorization", "Bearer t"},
                 {"set-cookie", "c"},
                 {"refreshToken", "r"},
                 {"credentialData", {{"user", "ada"}}},
                 {"key", "k3"},
                 {"nested", {{"list", {{{"token", "t2"}, {"ok", "visible"}}}}}},
                 {"workflowId", "wf-1"},
                 {"status", 401}};
  Json out = scrub_fields(fields);
  for (const char* k : {"password", "clientSecret", "X-Api-Key", "api_key", "Authorization", "set-cookie",
                        "refreshToken", "credentialData", "key"})
    EXPECT_EQ(out[k], kRedacted) << k;
  EXPECT_EQ(out["nested"]["list"][0]["token"], kRedacted);
  EXPECT_EQ(out["nested"]["list"][0]["ok"], "visible");
  EXPECT_EQ(out["workflowId"], "wf-1");
  EXPECT_EQ(out["status"], 401);
}

TEST(SecretScrubber, ScrubbingHappensInBothFormats) {
  LogRecord r = record("login failed", {{"email", "a@example.com"}, {"password", "hunter2-planted"}});
  for (Format f : {Format::kJson, Format::kText}) {
    std::string line = format_line(r, f);
    EXPECT_EQ(line.find("hunter2-planted"), std::string::npos) << line;
    EXPECT_NE(line.find("a@example.com"), std::string::npos) << line;
  }
}

TEST(LogOptions, DefaultsAndBadValuesNameTheKey) {
  Config config;
  auto o = LogOptions::from_config(config);
  ASSERT_TRUE(o) << o.status().message();
  EXPECT_EQ(o->level, Level::kInfo);
  EXPECT_EQ(o->destination, "stderr");
  EXPECT_EQ(o->format, Format::kJson);

  ASSERT_TRUE(config.set("log.level", "verbose", "test"));
  auto bad = LogOptions::from_config(config);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("log.level"), std::string::npos) << bad.status().message();

  ASSERT_TRUE(config.set("log.level", "warn", "test"));
  ASSERT_TRUE(config.set("log.format", "xml", "test"));
  bad = LogOptions::from_config(config);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("log.format"), std::string::npos) << bad.status().message();

  ASSERT_TRUE(config.set("log.format", "text", "test"));
  ASSERT_TRUE(config.set("log.destination", "", "test"));
  bad = LogOptions::from_config(config);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("log.destination"), std::string::npos) << bad.status().message();
}

TEST(AccessLog, RouteTemplateWhenMatchedTruncatedPathOtherwiseNeverTheQuery) {
  AccessEntry e;
  e.method = "GET";
  e.route = "/api/v1/workflows/{id}";
  e.path = "/api/v1/workflows/wf-42";
  e.status = 200;
  e.duration = microseconds(1500);
  e.bytes_sent = 321;
  e.principal_id = "user-1";
  e.remote_address = "127.0.0.1:5000";
  e.request_id = "rid";
  LogRecord r = access_record(e);
  EXPECT_EQ(r.logger, "access");
  EXPECT_EQ(r.level, Level::kInfo);
  EXPECT_EQ(r.message, "GET /api/v1/workflows/{id} 200");
  EXPECT_EQ(r.context.request_id, "rid");
  EXPECT_EQ(r.fields["route"], "/api/v1/workflows/{id}");
  EXPECT_FALSE(r.fields.contains("path")) << "the raw path only when no route matched";
  EXPECT_EQ(r.fields["status"], 200);
  EXPECT_DOUBLE_EQ(r.fields["durationMs"].get<double>(), 1.5);
  EXPECT_EQ(r.fields["bytes"], 321);
  EXPECT_EQ(r.fields["principalId"], "user-1");
  EXPECT_EQ(r.fields["remoteAddress"], "127.0.0.1:5000");

  e.route.clear();
  e.principal_id.clear();
  e.path = "/nowhere/" + std::string(500, 'x') + "?token=planted";
  r = access_record(e);
  EXPECT_FALSE(r.fields.contains("principalId"));
  const std::string path = r.fields["path"];
  EXPECT_LE(path.size(), kMaxPathChars + 3);
  EXPECT_EQ(format_json_line(r).find("planted"), std::string::npos);
  e.path = "/short?token=planted";
  EXPECT_EQ(format_json_line(access_record(e)).find("planted"), std::string::npos);
}

}  // namespace
}  // namespace weft::logging
