// `weft serve` over real sockets: the public routes, problem documents, the OpenAPI document
// against the binary's own route table, and a curl client.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace weft::test {
namespace {

void expect_security_headers(const HttpResult& r) {
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("Content-Security-Policy"), "frame-ancestors 'none'");
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  EXPECT_FALSE(r.header("X-Request-Id").empty());
}

// A problem document that also carries the security headers.
void expect_secure_problem(const HttpResult& r, int status, const std::string& slug) {
  expect_problem(r, status, slug);
  expect_security_headers(r);
}

using Serve = SharedServerTest;

TEST_F(Serve, HealthAnswersWithVersionAndHeaders) {
  HttpResult r = server->get("/health", {{"X-Request-Id", "it-health-1"}});
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.json()["status"], "ok");
  EXPECT_TRUE(r.json()["version"].is_string());
  EXPECT_EQ(r.header("X-Request-Id"), "it-health-1");
  expect_security_headers(r);
}

TEST_F(Serve, ReadyReportsStorageAndPlugins) {
  HttpResult r = server->get("/ready");
  ASSERT_EQ(r.status, 200) << r.body << r.error;
  Json j = r.json();
  EXPECT_EQ(j["status"], "ready");
  EXPECT_EQ(j["checks"]["storage"]["status"], "ok");
  EXPECT_EQ(j["checks"]["storage"]["backend"], "sqlite");
  EXPECT_GE(j["checks"]["plugins"]["loaded"].get<int>(), 1);
}

TEST_F(Serve, NonPublicRoutesAnswer401ProblemWithoutCredentials) {
  for (const char* path : {"/api/v1/plugins", "/api/v1/node-types"}) {
    HttpResult r = server->get(path);
    expect_secure_problem(r, 401, "unauthorized");
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"weft\"");
    EXPECT_EQ(r.json()["instance"], path);
  }
  // A credential no provider accepts changes nothing, and is never echoed.
  HttpResult r = server->get("/api/v1/plugins", {{"Authorization", "Bearer weft_not-a-real-key"}});
  expect_secure_problem(r, 401, "unauthorized");
  EXPECT_EQ(r.body.find("weft_not-a-real-key"), std::string::npos);
}

TEST_F(Serve, UnknownPathIs404Problem) {
  expect_secure_problem(server->get("/api/v1/no-such-thing"), 404, "not-found");
  expect_secure_problem(server->get("/health/"), 404, "not-found");
}

TEST_F(Serve, OtherMethodIs405ProblemWithAllow) {
  HttpResult r = server->request("DELETE", "/health");
  expect_secure_problem(r, 405, "method-not-allowed");
  EXPECT_EQ(r.header("Allow"), "GET, HEAD");
}

TEST_F(Serve, HeadIsGetWithoutBody) {
  HttpResult get = server->get("/health");
  HttpResult head = server->request("HEAD", "/health");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size()));
  EXPECT_TRUE(head.body.empty());
}

TEST_F(Serve, KeepAliveServesSeveralRequestsOnOneConnection) {
  RawConnection c(server->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
    HttpResult r = c.read_response();
    ASSERT_EQ(r.status, 200) << r.error;
    EXPECT_NE(r.header("Connection"), "close");
  }
  ASSERT_TRUE(c.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(c.read_response().header("Connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(Serve, MalformedRequestIs400AndCloses) {
  RawConnection c(server->port());
  ASSERT_TRUE(c.send("NONSENSE\r\n\r\n"));
  HttpResult r = c.read_response();
  expect_secure_problem(r, 400, "bad-request");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(Serve, OpenApiListsExactlyTheRoutesOfTheBinary) {
  ProcessResult routes = run_weft({"serve", "--print-routes"});
  ASSERT_EQ(routes.exit_code, 0) << routes.err;
  std::set<std::string> table, public_ops;
  std::istringstream lines(routes.out);
  for (std::string method, path, id, rest; lines >> method >> path >> id;) {
    std::string lower = method;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    table.insert(lower + " " + openapi_path(path) + " " + id);
    std::getline(lines, rest);
    if (rest.find("public") != std::string::npos) public_ops.insert(id);
  }
  ASSERT_GE(table.size(), 5u) << routes.out;

  HttpResult r = server->get("/api/v1/openapi.json");  // public
  ASSERT_EQ(r.status, 200) << r.error;
  Json doc = r.json();
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::set<std::string> documented;
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items()) {
      documented.insert(method + " " + path + " " + op["operationId"].get<std::string>());
      bool is_public = op.contains("security") && op["security"].empty();
      EXPECT_EQ(is_public, public_ops.count(op["operationId"].get<std::string>()) == 1) << path;
    }
  EXPECT_EQ(documented, table);
  EXPECT_TRUE(doc["components"]["schemas"].contains("Problem"));
  for (const char* id : {"getHealth", "getReadiness", "getOpenApi"}) EXPECT_TRUE(public_ops.count(id)) << id;
}

TEST_F(Serve, CurlTalksToTheServer) {
  TempDir scratch;
  Process curl(WEFT_CURL, {"-sS", "-i", "-H", "X-Request-Id: curl-check-1", server->url() + "/health"}, {}, scratch.path());
  ASSERT_EQ(curl.wait(std::chrono::seconds(60)), 0) << curl.stderr_text();
  std::string out = curl.stdout_text();
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << out;
  EXPECT_NE(out.find("X-Request-Id: curl-check-1\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("{\"status\":\"ok\""), std::string::npos) << out;

  // A body over the limit, the way curl sends it (Expect: 100-continue for a large body).
  std::string big(2 * 1024 * 1024, 'x');
  std::ofstream(scratch / "big.bin") << big;
  Process post(WEFT_CURL, {"-sS", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@big.bin",
                           server->url() + "/api/v1/plugins"},
               {}, scratch.path());
  ASSERT_EQ(post.wait(std::chrono::seconds(60)), 0) << post.stderr_text();
  EXPECT_EQ(post.stdout_text(), "413");
}

}  // namespace
}  // namespace weft::test
