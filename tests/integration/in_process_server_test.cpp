// The HTTP server (weft_server's HttpServer) on real sockets with a route table of the test's
// own: what the binary's routes cannot show yet (a public route that reads a body), and the
// accept queue.
#include "http/http_server.hpp"
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace weft::test {
namespace {

class InProcess : public ::testing::Test {
 protected:
  void start(http::ServerOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    http::RouteSpec echo;
    echo.operation_id = "echo";
    echo.is_public = true;
    echo.body = http::BodyKind::kRaw;
    router.add("POST", "/echo", echo, [](http::Request& r) {
      return http::Response::json({{"bytes", r.body.size()}, {"route", r.route}});
    });
    server = std::make_unique<http::HttpServer>(options, router, auth);
    ASSERT_TRUE(server->start());
  }
  void TearDown() override {
    if (server) {
      EXPECT_EQ(server->stop(std::chrono::seconds(30)), 0u);
    }
  }

  http::Router router;
  auth::AuthChain auth;
  std::unique_ptr<http::HttpServer> server;
};

std::string chunked_post(size_t chunks, size_t chunk_size) {
  std::string bytes = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk_size);
  for (size_t i = 0; i < chunks; ++i) bytes += size_line + std::string(chunk_size, 'c') + "\r\n";
  return bytes + "0\r\n\r\n";
}

TEST_F(InProcess, ChunkedBodyWithinTheLimitIsRead) {
  http::ServerOptions o;
  o.max_body_bytes = 4096;
  start(o);
  RawConnection c(server->port());
  ASSERT_TRUE(c.send(chunked_post(4, 1000)));
  HttpResult r = c.read_response();
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.json()["bytes"], 4000);
  // Still open: a second request on the same connection.
  ASSERT_TRUE(c.send(chunked_post(1, 10)));
  EXPECT_EQ(c.read_response().json()["bytes"], 10);
}

TEST_F(InProcess, ChunkedBodyOverTheLimitIs413AndCloses) {
  http::ServerOptions o;
  o.max_body_bytes = 4096;
  start(o);
  RawConnection c(server->port());
  // 64 KB announced in chunks; the server stops at the chunk that crosses 4 KB.
  c.send(chunked_post(64, 1024));
  HttpResult r = c.read_response();
  ASSERT_EQ(r.status, 413) << r.error;
  EXPECT_EQ(r.json()["type"], "urn:weft:problem:content-too-large");
  EXPECT_EQ(r.header("Connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(InProcess, FullAcceptQueueAnswers503InsteadOfDropping) {
  http::ServerOptions o;
  o.max_threads = 1;
  o.max_queued = 1;
  start(o);
  // A holds the only thread (an open keep-alive connection after one answered request).
  RawConnection a(server->port());
  ASSERT_TRUE(a.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"));
  ASSERT_EQ(a.read_response().status, 200);
  // B waits in the queue; C finds it full.
  RawConnection b(server->port());
  RawConnection c(server->port());
  HttpResult busy = c.read_response();
  ASSERT_EQ(busy.status, 503) << busy.error;
  EXPECT_EQ(busy.header("Retry-After"), "1");
  EXPECT_EQ(busy.json()["type"], "urn:weft:problem:unavailable");
  // Once A leaves, B is served.
  ASSERT_TRUE(a.send("GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(a.read_response().status, 404);
  ASSERT_TRUE(b.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"));
  EXPECT_EQ(b.read_response().json()["bytes"], 3);
}

TEST_F(InProcess, LastRequestAllowedOnAConnectionSaysClose) {
  http::ServerOptions o;
  o.max_keep_alive_requests = 2;
  start(o);
  RawConnection c(server->port());
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na"));
  EXPECT_NE(c.read_response().header("Connection"), "close");
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na"));
  HttpResult last = c.read_response();
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.header("Connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(InProcess, ExpectContinueGetsContinueThenTheAnswer) {
  http::ServerOptions o;
  start(o);
  RawConnection c(server->port());
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  HttpResult cont = c.read_response();
  EXPECT_EQ(cont.status, 100);
  ASSERT_TRUE(c.send("hello"));
  HttpResult r = c.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["bytes"], 5);
}

}  // namespace
}  // namespace weft::test
