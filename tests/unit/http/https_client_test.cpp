// The HTTP client over TLS, against servers presenting throwaway certificates.
#include <weft/runtime/http_client.hpp>

#include "test_servers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace weft::http {
namespace {

using testing::find_header;
using ::testing::HasSubstr;
using testing::LocalHttpServer;
using ::testing::Optional;
using testing::SilentServer;
using testing::test_certificates;

using Clock = std::chrono::steady_clock;

const std::function<bool()> kNeverCancelled;

// Makes the verifying client trust the test CA, as it would a CA of the system store: OpenSSL
// reads SSL_CERT_FILE when the client's context is built, on the first verifying request.
class TrustTheTestCa : public ::testing::Environment {
 public:
  void SetUp() override { setenv("SSL_CERT_FILE", test_certificates().ca_path().c_str(), 1); }
};

[[maybe_unused]] const ::testing::Environment* const kTrustTheTestCa =
    ::testing::AddGlobalTestEnvironment(new TrustTheTestCa);

Clock::time_point in_seconds(int seconds) { return Clock::now() + std::chrono::seconds(seconds); }

Result<Response> get(const std::string& url, bool insecure_skip_verify = false) {
  return Client().perform(
      {.method = "GET", .url = url, .insecure_skip_verify = insecure_skip_verify}, kNeverCancelled,
      in_seconds(20));
}

TEST(HttpsClient, CertificateFromATrustedCaIsAcceptedForItsNames) {
  LocalHttpServer server(test_certificates().for_localhost());
  const std::string port = std::to_string(server.port());

  for (const std::string host : {"127.0.0.1", "localhost"}) {
    const Result<Response> result =
        Client().perform({.method = "POST",
                          .url = "https://" + host + ":" + port + "/echo?over=tls",
                          .headers = {{"X-Over", "tls"}},
                          .body = R"({"secure":true})"},
                         kNeverCancelled, in_seconds(20));

    ASSERT_TRUE(result.is_ok()) << host << ": " << result.status().to_string();
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->body, R"({"secure":true})");
    EXPECT_THAT(find_header(*result, "X-Echo-Target"), Optional(std::string("/echo?over=tls")));
    EXPECT_THAT(find_header(*result, "X-Echo-Header-X-Over"), Optional(std::string("tls")));
  }
}

TEST(HttpsClient, SelfSignedCertificateIsRejectedByDefault) {
  LocalHttpServer server(test_certificates().self_signed());
  const Result<Response> result = get(server.url("/echo"));

  ASSERT_FALSE(result.is_ok()) << "status " << result->status;
  EXPECT_EQ(result.status().code(), Code::kUnavailable) << result.status().to_string();
  EXPECT_THAT(result.status().message(), HasSubstr("TLS with 127.0.0.1:"));
  EXPECT_THAT(result.status().message(), HasSubstr("certificate verify failed"));
}

TEST(HttpsClient, CertificateForAnotherNameIsRejected) {
  LocalHttpServer server(test_certificates().for_elsewhere());
  const Result<Response> result = get(server.url("/echo"));

  ASSERT_FALSE(result.is_ok()) << "status " << result->status;
  EXPECT_EQ(result.status().code(), Code::kUnavailable) << result.status().to_string();
  EXPECT_THAT(result.status().message(), HasSubstr("not valid for 127.0.0.1"));
}

TEST(HttpsClient, InsecureSkipVerifyAcceptsUntrustedAndMismatchedCertificates) {
  for (const testing::KeyPair& identity :
       {test_certificates().self_signed(), test_certificates().for_elsewhere()}) {
    LocalHttpServer server(identity);
    const Result<Response> result = get(server.url("/status/201"), true);

    ASSERT_TRUE(result.is_ok()) << identity.certificate_path << ": " << result.status().to_string();
    EXPECT_EQ(result->status, 201);
  }
}

TEST(HttpsClient, ChunkedAndLargeBodiesArriveWhole) {
  LocalHttpServer server(test_certificates().for_localhost());
  const Client client;

  const Result<Response> chunked = get(server.url("/chunked?pieces=3"));
  ASSERT_TRUE(chunked.is_ok()) << chunked.status().to_string();
  EXPECT_EQ(chunked->body, "chunk 0\nchunk 1\nchunk 2\n");

  // Many TLS records each way.
  const std::string large(300 * 1024, 'z');
  const Result<Response> echoed =
      client.perform({.method = "POST", .url = server.url("/echo"), .body = large}, kNeverCancelled,
                     in_seconds(20));
  ASSERT_TRUE(echoed.is_ok()) << echoed.status().to_string();
  EXPECT_EQ(echoed->body, large);
}

TEST(HttpsClient, CancellationDuringAHandshakeThatNeverCompletes) {
  SilentServer server;
  std::atomic<bool> cancel{false};
  std::thread canceller([&cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  const Clock::time_point start = Clock::now();
  const Result<Response> result = Client().perform(
      {.method = "GET", .url = "https://127.0.0.1:" + std::to_string(server.port()) + "/"},
      [&cancel] { return cancel.load(); }, in_seconds(30));
  canceller.join();

  EXPECT_EQ(result.status().code(), Code::kCancelled) << result.status().to_string();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
}

TEST(HttpsClient, ConcurrentRequestsShareTheTlsSetUp) {
  LocalHttpServer server(test_certificates().for_localhost());
  const Client client;
  constexpr int kThreads = 8;
  std::vector<std::string> bodies(kThreads);

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const Result<Response> result = client.perform(
          {.method = "POST", .url = server.url("/echo"), .body = "tls " + std::to_string(t)},
          kNeverCancelled, in_seconds(30));
      bodies[t] = result.is_ok() ? result->body : result.status().to_string();
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(bodies[t], "tls " + std::to_string(t));
}

}  // namespace
}  // namespace weft::http
