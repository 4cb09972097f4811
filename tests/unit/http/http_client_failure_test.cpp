// The HTTP client's failures: each one a Status with the right code, none a hang or a throw.
#include <weft/runtime/http_client.hpp>

#include "test_servers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace weft::http {
namespace {

using testing::closed_port;
using testing::FullBacklogServer;
using ::testing::HasSubstr;
using testing::LocalHttpServer;
using ::testing::Not;
using testing::ScriptedServer;
using testing::SilentServer;

using Clock = std::chrono::steady_clock;

const std::function<bool()> kNeverCancelled;

// Proves "returned", not "fast": far above any prompt return, far below a hang.
constexpr auto kNoHang = std::chrono::seconds(10);

Clock::time_point in_seconds(int seconds) { return Clock::now() + std::chrono::seconds(seconds); }

Status perform_failure(const Client& client, const Request& request) {
  const Result<Response> result = client.perform(request, kNeverCancelled, in_seconds(20));
  EXPECT_FALSE(result.is_ok()) << "status " << (result.is_ok() ? result->status : 0);
  return result.status();
}

// Cancels from another thread ~100 ms into the request; the request waits up to 30 s otherwise.
Status perform_cancelled_midway(const std::string& url) {
  std::atomic<bool> cancel{false};
  std::thread canceller([&cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  const Clock::time_point start = Clock::now();
  const Result<Response> result = Client().perform(
      {.method = "GET", .url = url}, [&cancel] { return cancel.load(); }, in_seconds(30));
  const Clock::duration took = Clock::now() - start;
  canceller.join();
  EXPECT_LT(took, kNoHang);
  return result.status();
}

TEST(HttpClientFailure, CancellationWhileTheServerNeverAnswers) {
  SilentServer server;
  const Status status =
      perform_cancelled_midway("http://127.0.0.1:" + std::to_string(server.port()) + "/");

  EXPECT_EQ(status.code(), Code::kCancelled) << status.to_string();
}

TEST(HttpClientFailure, CancellationWhileTheServerNeverReadsTheBody) {
  SilentServer server;
  std::atomic<bool> cancel{false};
  std::thread canceller([&cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  // Far more than the socket buffers hold, so sending has to wait for the server.
  const Result<Response> result = Client().perform(
      {.method = "POST",
       .url = "http://127.0.0.1:" + std::to_string(server.port()) + "/",
       .body = std::string(size_t{32} << 20, 'b')},
      [&cancel] { return cancel.load(); }, in_seconds(30));
  canceller.join();

  EXPECT_EQ(result.status().code(), Code::kCancelled) << result.status().to_string();
}

TEST(HttpClientFailure, CancellationWhileTheBodyStalls) {
  ScriptedServer server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst bytes",
                        ScriptedServer::After::kStall);
  const Status status = perform_cancelled_midway(server.url("/"));

  EXPECT_EQ(status.code(), Code::kCancelled) << status.to_string();
}

TEST(HttpClientFailure, DeadlinePassesWhileTheChunkedBodyStalls) {
  ScriptedServer server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n",
                        ScriptedServer::After::kStall);
  const Result<Response> result =
      Client().perform({.method = "GET", .url = server.url("/"), .timeout_ms = 300},
                       kNeverCancelled, in_seconds(60));

  EXPECT_EQ(result.status().code(), Code::kTimeout) << result.status().to_string();
}

TEST(HttpClientFailure, AlreadyCancelledRequestIsNotSent) {
  LocalHttpServer server;
  const Result<Response> result = Client().perform(
      {.method = "GET", .url = server.url("/echo")}, [] { return true; }, in_seconds(20));

  EXPECT_EQ(result.status().code(), Code::kCancelled);
}

TEST(HttpClientFailure, DeadlinePassesWhileTheServerNeverAnswers) {
  SilentServer server;
  const Clock::time_point start = Clock::now();
  const Result<Response> result = Client().perform(
      {.method = "GET", .url = "http://127.0.0.1:" + std::to_string(server.port()) + "/"},
      kNeverCancelled, Clock::now() + std::chrono::milliseconds(300));

  EXPECT_EQ(result.status().code(), Code::kTimeout) << result.status().to_string();
  EXPECT_LT(Clock::now() - start, kNoHang);
}

TEST(HttpClientFailure, RequestTimeoutBoundsTheRequest) {
  SilentServer server;
  const Result<Response> result =
      Client().perform({.method = "GET",
                        .url = "http://127.0.0.1:" + std::to_string(server.port()) + "/",
                        .timeout_ms = 300},
                       kNeverCancelled, in_seconds(60));

  EXPECT_EQ(result.status().code(), Code::kTimeout) << result.status().to_string();
}

TEST(HttpClientFailure, DefaultTimeoutAppliesWhenTheRequestHasNone) {
  SilentServer server;
  const Result<Response> result =
      Client({.default_timeout_ms = 300})
          .perform(
              {.method = "GET", .url = "http://127.0.0.1:" + std::to_string(server.port()) + "/"},
              kNeverCancelled, in_seconds(60));

  EXPECT_EQ(result.status().code(), Code::kTimeout) << result.status().to_string();
}

TEST(HttpClientFailure, ConnectTimeoutIsUnavailableBeforeTheDeadline) {
  FullBacklogServer server;
  const Result<Response> result =
      Client({.connect_timeout_ms = 300})
          .perform(
              {.method = "GET", .url = "http://127.0.0.1:" + std::to_string(server.port()) + "/"},
              kNeverCancelled, in_seconds(60));

  EXPECT_EQ(result.status().code(), Code::kUnavailable) << result.status().to_string();
  EXPECT_THAT(result.status().message(), HasSubstr("timed out connecting"));
}

TEST(HttpClientFailure, ConnectionRefusedIsUnavailableAndKeepsSecretsOut) {
  const std::string url =
      "http://alice:hunter2@127.0.0.1:" + std::to_string(closed_port()) + "/private?token=abc123";
  const Status status = perform_failure(
      Client(), {.method = "GET", .url = url, .headers = {{"Authorization", "Bearer xyz789"}}});

  EXPECT_EQ(status.code(), Code::kUnavailable) << status.to_string();
  EXPECT_THAT(status.message(), HasSubstr("refused"));
  for (const char* secret : {"hunter2", "alice", "abc123", "private", "xyz789"}) {
    EXPECT_THAT(status.message(), Not(HasSubstr(secret)));
  }
}

TEST(HttpClientFailure, UnresolvableHostIsUnavailable) {
  // .invalid never resolves (RFC 6761).
  const Result<Response> result = Client().perform(
      {.method = "GET", .url = "http://weft-test.invalid/"}, kNeverCancelled, in_seconds(60));

  EXPECT_EQ(result.status().code(), Code::kUnavailable) << result.status().to_string();
  EXPECT_THAT(result.status().message(), HasSubstr("weft-test.invalid"));
}

TEST(HttpClientFailure, UnsupportedSchemeIsInvalidAndNamesOnlyTheScheme) {
  const Status status =
      perform_failure(Client(), {.method = "GET", .url = "ftp://bob:s3cret@127.0.0.1/file"});

  EXPECT_EQ(status.code(), Code::kInvalid);
  EXPECT_THAT(status.message(), HasSubstr("'ftp'"));
  EXPECT_THAT(status.message(), Not(HasSubstr("s3cret")));
}

TEST(HttpClientFailure, MalformedUrlsAreInvalidWithoutEchoingThem) {
  for (const std::string url :
       {"", "127.0.0.1/path", "http://", "http:///path", "http://host:0/", "http://host:65536/",
        "http://host:12ab/", "http://[::1/", "http://[not-ipv6]/", "http://ho st/",
        "http://host/with space?k=s3cret", "http://host/\r\nX-Injected: s3cret",
        "https://user:s3cret@/nohost"}) {
    const Status status = perform_failure(Client(), {.method = "GET", .url = url});
    EXPECT_EQ(status.code(), Code::kInvalid) << "url: " << url;
    EXPECT_THAT(status.message(), Not(HasSubstr("s3cret"))) << "url: " << url;
  }
}

TEST(HttpClientFailure, HeaderInjectionIsInvalidWithoutEchoingTheValue) {
  LocalHttpServer server;
  const Status bad_value =
      perform_failure(Client(), {.method = "GET",
                                 .url = server.url("/echo"),
                                 .headers = {{"X-Note", "fine\r\nX-Injected: s3cret"}}});
  EXPECT_EQ(bad_value.code(), Code::kInvalid);
  EXPECT_THAT(bad_value.message(), HasSubstr("X-Note"));
  EXPECT_THAT(bad_value.message(), Not(HasSubstr("s3cret")));

  const Status bad_name = perform_failure(
      Client(), {.method = "GET", .url = server.url("/echo"), .headers = {{"Bad Name", "v"}}});
  EXPECT_EQ(bad_name.code(), Code::kInvalid);

  const Status bad_method =
      perform_failure(Client(), {.method = "GET /x", .url = server.url("/echo")});
  EXPECT_EQ(bad_method.code(), Code::kInvalid);
}

TEST(HttpClientFailure, OversizedResponseWithLengthFailsNamingTheLimit) {
  LocalHttpServer server;
  const Status status = perform_failure(Client({.max_response_bytes = 1024}),
                                        {.method = "GET", .url = server.url("/bytes?count=4096")});

  EXPECT_EQ(status.code(), Code::kInvalid) << status.to_string();
  EXPECT_THAT(status.message(), HasSubstr("1024"));
}

TEST(HttpClientFailure, OversizedChunkedResponseFailsWhileReading) {
  LocalHttpServer server;
  const Status status =
      perform_failure(Client({.max_response_bytes = 1024}),
                      {.method = "GET", .url = server.url("/chunked?pieces=500")});

  EXPECT_EQ(status.code(), Code::kInvalid) << status.to_string();
  EXPECT_THAT(status.message(), HasSubstr("1024"));
}

TEST(HttpClientFailure, ResponseAtTheLimitIsAccepted) {
  LocalHttpServer server;
  const Result<Response> result =
      Client({.max_response_bytes = 1024})
          .perform({.method = "GET", .url = server.url("/bytes?count=1024")}, kNeverCancelled,
                   in_seconds(20));

  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result->body.size(), 1024u);
}

TEST(HttpClientFailure, BodyCutShortIsUnavailable) {
  ScriptedServer server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..");
  const Status status = perform_failure(Client(), {.method = "GET", .url = server.url("/")});

  EXPECT_EQ(status.code(), Code::kUnavailable) << status.to_string();
  EXPECT_THAT(status.message(), HasSubstr("10 of 100"));
}

TEST(HttpClientFailure, MalformedResponseIsUnavailable) {
  ScriptedServer server("this is not HTTP\r\n\r\n");
  const Status status = perform_failure(Client(), {.method = "GET", .url = server.url("/")});

  EXPECT_EQ(status.code(), Code::kUnavailable) << status.to_string();
}

TEST(HttpClientFailure, ConnectionClosedWithoutAResponseIsUnavailable) {
  ScriptedServer server("");
  const Status status = perform_failure(Client(), {.method = "GET", .url = server.url("/")});

  EXPECT_EQ(status.code(), Code::kUnavailable) << status.to_string();
}

}  // namespace
}  // namespace weft::http
