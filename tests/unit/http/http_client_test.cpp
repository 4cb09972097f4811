// The HTTP client over plain HTTP: what reaches the server and what comes back.
#include <weft/runtime/http_client.hpp>

#include "test_servers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace weft::http {
namespace {

using testing::find_header;
using testing::LocalHttpServer;
using ::testing::Optional;
using testing::ScriptedServer;

const std::function<bool()> kNeverCancelled;

std::chrono::steady_clock::time_point in_seconds(int seconds) {
  return std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
}

Response perform_ok(const Client& client, const Request& request) {
  Result<Response> result = client.perform(request, kNeverCancelled, in_seconds(20));
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
  return result.is_ok() ? std::move(result).value() : Response{};
}

TEST(HttpClient, GetSendsThePathAndQueryAsWritten) {
  LocalHttpServer server;
  const Response response =
      perform_ok(Client(), {.method = "GET", .url = server.url("/echo?name=weft&path=a%2Fb#frag")});

  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(find_header(response, "X-Echo-Method"), Optional(std::string("GET")));
  EXPECT_THAT(find_header(response, "X-Echo-Target"),
              Optional(std::string("/echo?name=weft&path=a%2Fb")));
  EXPECT_THAT(find_header(response, "X-Echo-Header-Host"),
              Optional("127.0.0.1:" + std::to_string(server.port())));
  EXPECT_EQ(find_header(response, "X-Echo-Header-Content-Length"), std::nullopt);
}

TEST(HttpClient, PostSendsTheJsonBodyWithItsLength) {
  LocalHttpServer server;
  const std::string json = R"({"name":"weft","items":[1,2,3]})";
  const Response response = perform_ok(Client(), {.method = "POST",
                                                  .url = server.url("/echo"),
                                                  .headers = {{"Content-Type", "application/json"}},
                                                  .body = json});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, json);
  EXPECT_THAT(find_header(response, "X-Echo-Method"), Optional(std::string("POST")));
  EXPECT_THAT(find_header(response, "X-Echo-Header-Content-Type"),
              Optional(std::string("application/json")));
  EXPECT_THAT(find_header(response, "X-Echo-Header-Content-Length"),
              Optional(std::to_string(json.size())));
}

TEST(HttpClient, EmptyPostAnnouncesAZeroLength) {
  LocalHttpServer server;
  const Response response = perform_ok(Client(), {.method = "POST", .url = server.url("/echo")});

  EXPECT_THAT(find_header(response, "X-Echo-Header-Content-Length"), Optional(std::string("0")));
  EXPECT_EQ(response.body, "");
}

TEST(HttpClient, HeadersTravelBothWays) {
  LocalHttpServer server;
  const Response response =
      perform_ok(Client(), {.method = "PUT",
                            .url = server.url("/echo"),
                            .headers = {{"X-First", "one"}, {"X-Second", "two, three"}},
                            .body = "payload"});

  EXPECT_THAT(find_header(response, "X-Echo-Header-X-First"), Optional(std::string("one")));
  EXPECT_THAT(find_header(response, "X-Echo-Header-X-Second"), Optional(std::string("two, three")));
  EXPECT_THAT(find_header(response, "X-Echo-Method"), Optional(std::string("PUT")));
  // Response headers come back as the server sent them.
  EXPECT_THAT(find_header(response, "Content-Length"), Optional(std::string("7")));
}

TEST(HttpClient, CallerFramingHeadersAreIgnored) {
  LocalHttpServer server;
  const Response response = perform_ok(
      Client(), {.method = "POST",
                 .url = server.url("/echo"),
                 .headers = {{"Content-Length", "999"}, {"Transfer-Encoding", "chunked"}},
                 .body = "four"});

  EXPECT_EQ(response.body, "four");
  EXPECT_THAT(find_header(response, "X-Echo-Header-Content-Length"), Optional(std::string("4")));
  EXPECT_EQ(find_header(response, "X-Echo-Header-Transfer-Encoding"), std::nullopt);
}

TEST(HttpClient, TraceparentIsForwarded) {
  LocalHttpServer server;
  const std::string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const Response response = perform_ok(
      Client(), {.method = "GET", .url = server.url("/echo"), .traceparent = traceparent});

  EXPECT_THAT(find_header(response, "X-Echo-Header-traceparent"), Optional(traceparent));
}

TEST(HttpClient, UserAgentComesFromTheOptionsUnlessTheRequestHasOne) {
  LocalHttpServer server;
  const Client client({.user_agent = "weft/9.9.9"});

  const Response by_default = perform_ok(client, {.method = "GET", .url = server.url("/echo")});
  EXPECT_THAT(find_header(by_default, "X-Echo-Header-User-Agent"),
              Optional(std::string("weft/9.9.9")));

  const Response replaced = perform_ok(
      client, {.method = "GET", .url = server.url("/echo"), .headers = {{"user-agent", "mine"}}});
  EXPECT_THAT(find_header(replaced, "X-Echo-Header-User-Agent"), Optional(std::string("mine")));
}

TEST(HttpClient, UrlUserInfoIsSentAsBasicCredentials) {
  LocalHttpServer server;
  const std::string url =
      "http://alice:s%3Acret@127.0.0.1:" + std::to_string(server.port()) + "/echo";
  const Response response = perform_ok(Client(), {.method = "GET", .url = url});

  // base64("alice:s:cret")
  EXPECT_THAT(find_header(response, "X-Echo-Header-Authorization"),
              Optional(std::string("Basic YWxpY2U6czpjcmV0")));
}

TEST(HttpClient, ChunkedResponseIsReassembled) {
  LocalHttpServer server;
  const Response response =
      perform_ok(Client(), {.method = "GET", .url = server.url("/chunked?pieces=4")});

  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(find_header(response, "Transfer-Encoding"), Optional(std::string("chunked")));
  EXPECT_EQ(response.body, "chunk 0\nchunk 1\nchunk 2\nchunk 3\n");
}

TEST(HttpClient, ErrorStatusesAreResponsesNotFailures) {
  LocalHttpServer server;
  const Client client;

  const Response not_found =
      perform_ok(client, {.method = "GET", .url = server.url("/status/404")});
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(not_found.body, "status 404");

  const Response server_error =
      perform_ok(client, {.method = "DELETE", .url = server.url("/status/500")});
  EXPECT_EQ(server_error.status, 500);
  EXPECT_EQ(server_error.body, "status 500");
}

TEST(HttpClient, RedirectIsReturnedNotFollowed) {
  LocalHttpServer server;
  const Response response = perform_ok(Client(), {.method = "GET", .url = server.url("/redirect")});

  EXPECT_EQ(response.status, 302);
  EXPECT_THAT(find_header(response, "Location"), Optional(std::string("/echo")));
}

TEST(HttpClient, HeadResponseHasHeadersButNoBody) {
  LocalHttpServer server;
  const Response response =
      perform_ok(Client(), {.method = "HEAD", .url = server.url("/bytes?count=10")});

  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(find_header(response, "Content-Length"), Optional(std::string("10")));
  EXPECT_EQ(response.body, "");
}

TEST(HttpClient, BodyWithoutLengthIsReadUntilTheServerCloses) {
  ScriptedServer server("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
  const Response response = perform_ok(Client(), {.method = "GET", .url = server.url("/")});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "until the end");
}

TEST(HttpClient, HostNameIsResolved) {
  LocalHttpServer server;
  const std::string url = "http://localhost:" + std::to_string(server.port()) + "/echo";
  const Response response = perform_ok(Client(), {.method = "GET", .url = url});

  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(find_header(response, "X-Echo-Header-Host"),
              Optional("localhost:" + std::to_string(server.port())));
}

TEST(HttpClient, ConcurrentRequestsFromEightThreadsEachGetTheirOwnResponse) {
  LocalHttpServer server;
  const Client client;
  constexpr int kThreads = 8;
  constexpr int kRequestsPerThread = 10;
  std::vector<std::vector<std::string>> bodies(kThreads);

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequestsPerThread; ++i) {
        const std::string body = "thread " + std::to_string(t) + " request " + std::to_string(i);
        Result<Response> result =
            client.perform({.method = "POST", .url = server.url("/echo"), .body = body},
                           kNeverCancelled, in_seconds(30));
        bodies[t].push_back(result.is_ok() ? result->body : result.status().to_string());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(bodies[t].size(), static_cast<size_t>(kRequestsPerThread));
    for (int i = 0; i < kRequestsPerThread; ++i) {
      EXPECT_EQ(bodies[t][i], "thread " + std::to_string(t) + " request " + std::to_string(i));
    }
  }
}

}  // namespace
}  // namespace weft::http
