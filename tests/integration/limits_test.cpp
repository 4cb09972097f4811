// The server's limits on the real binary: body size, header fields and bytes, request line,
// request deadline.
#include "weft_server.hpp"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

TEST(Limits, OversizedContentLengthIs413BeforeTheBodyIsSent) {
  WeftServer server({.env = {{"WEFT_MAX_BODY_BYTES", "1024"}}});
  RawConnection c(server.port());
  // Only the head goes out; the server must answer without waiting for the 10 MB.
  ASSERT_TRUE(c.send("POST /api/v1/plugins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 10000000\r\n\r\n"));
  HttpResult r = c.read_response();
  ASSERT_EQ(r.status, 413) << r.error;
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json; charset=utf-8");
  EXPECT_EQ(r.json()["type"], "urn:weft:problem:content-too-large");
  EXPECT_NE(r.json()["detail"].get<std::string>().find("1024"), std::string::npos);
  EXPECT_EQ(r.header("Connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_EQ(server.stop(), 0);
}

TEST(Limits, OversizedContentLengthThroughAnHttpClient) {
  WeftServer server({.env = {{"WEFT_MAX_BODY_BYTES", "1024"}}});
  HttpResult r = server.request("POST", "/api/v1/plugins", std::string(4096, 'x'), {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 413) << r.error;
  // Within the limit the request goes on to the next check (here: authentication).
  EXPECT_EQ(server.request("POST", "/api/v1/plugins", "{}", {{"Content-Type", "application/json"}}).status, 405);
}

TEST(Limits, HeaderFieldCountAndBytesAreConfigurable) {
  WeftServer server({.env = {{"WEFT_MAX_HEADER_FIELDS", "20"}, {"WEFT_MAX_HEADER_BYTES", "2048"}}});
  auto request_with = [&](int fields, size_t value_size) {
    std::string bytes = "GET /health HTTP/1.1\r\n";
    for (int i = 0; i < fields; ++i) bytes += "X-F" + std::to_string(i) + ": " + std::string(value_size, 'v') + "\r\n";
    return server.raw(bytes + "\r\n");
  };
  EXPECT_EQ(request_with(19, 10).status, 200);
  HttpResult many = request_with(21, 10);
  EXPECT_EQ(many.status, 431) << many.error;
  EXPECT_EQ(many.json()["type"], "urn:weft:problem:header-fields-too-large");
  EXPECT_EQ(many.header("Connection"), "close");
  EXPECT_EQ(request_with(1, 3000).status, 431);
  EXPECT_EQ(request_with(1, 1500).status, 200);
  HttpResult long_target = server.raw("GET /health?" + std::string(4000, 'a') + " HTTP/1.1\r\n\r\n");
  EXPECT_EQ(long_target.status, 414) << long_target.error;
  EXPECT_EQ(server.stop(), 0);
}

TEST(Limits, DefaultHeaderLimitsHoldWithoutConfiguration) {
  WeftServer server;
  std::string bytes = "GET /health HTTP/1.1\r\n";
  for (int i = 0; i < 101; ++i) bytes += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(server.raw(bytes + "\r\n").status, 431);
  EXPECT_EQ(server.raw("GET /health HTTP/1.1\r\nX-Big: " + std::string(9000, 'v') + "\r\n\r\n").status, 431);
}

TEST(Limits, SlowHeadGets408AndTheConnectionCloses) {
  WeftServer server({.env = {{"WEFT_REQUEST_TIMEOUT_MS", "300"}}});
  RawConnection c(server.port());
  ASSERT_TRUE(c.send("GET /health HTTP/1.1\r\nHost: x\r\n"));  // and never the empty line
  HttpResult r = c.read_response();
  EXPECT_EQ(r.status, 408) << r.error;
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_EQ(server.get("/health").status, 200);  // the server is unharmed
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace weft::test
