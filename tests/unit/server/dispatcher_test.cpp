#include "http/dispatcher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace weft::http {
namespace {

// A provider that accepts "Authorization: Bearer good" (an editor) and "Bearer viewer" (a
// viewer), rejects any other bearer token, and leaves requests without one to the next provider.
class TokenProvider : public auth::AuthProvider {
 public:
  const std::string& name() const override { return name_; }
  auth::AuthOutcome authenticate(const auth::AuthRequest& request) const override {
    auto it = request.headers.find("authorization");
    if (it == request.headers.end()) return auth::AuthOutcome::not_mine();
    if (it->second == "Bearer good" || it->second == "Bearer viewer") {
      auth::Principal p;
      p.id = "u1";
      p.role = it->second == "Bearer good" ? "editor" : "viewer";
      p.permissions = security::role_permissions(p.role);
      return auth::AuthOutcome::accepted(p);
    }
    return auth::AuthOutcome::rejected("unknown token");
  }
  std::string challenge() const override { return "Bearer realm=\"weft\", error=\"invalid_token\""; }

 private:
  std::string name_ = "test.token";
};

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add_schema("Thing", {{"type", "object"}});
    RouteSpec pub;
    pub.operation_id = "getHealth";
    pub.is_public = true;
    router.add("GET", "/health", pub, [](Request& r) {
      return Response::json({{"route", r.route}, {"principal", r.principal.has_value()}});
    });
    RouteSpec get;
    get.operation_id = "getThing";
    get.permission = security::Permission::kWorkflowRead;
    router.add("GET", "/things/{id}", get, [](Request& r) {
      return Response::json({{"id", r.param("id")}, {"route", r.route}, {"who", r.principal->id},
                             {"q", r.query("q").value_or("")}});
    });
    RouteSpec post;
    post.operation_id = "createThing";
    post.permission = security::Permission::kWorkflowWrite;
    post.body = BodyKind::kJson;
    post.request_schema = "Thing";
    router.add("POST", "/things", post, [this](Request& r) {
      ++handled;
      return Response::json(201, r.json);
    });
    RouteSpec boom;
    boom.operation_id = "boom";
    boom.is_public = true;
    router.add("GET", "/boom", boom, [](Request&) -> Response {
      throw std::runtime_error("secret internals: password=hunter2");
    });
    auth.add(std::make_shared<TokenProvider>());
  }

  Exchange send(const std::string& bytes, size_t max_body = 1024, int* continues = nullptr) {
    StringSource src(bytes);
    RequestHead head;
    HeadOutcome got = read_request_head(src, {}, head);
    EXPECT_EQ(got.kind, HeadOutcome::Kind::kOk) << got.detail;
    Dispatcher d(router, auth, max_body);
    Exchange ex = d.dispatch(head, src, "127.0.0.1:1", [&] {
      if (continues) ++*continues;
    });
    left = src.remaining();
    return ex;
  }

  static Json body(const Exchange& ex) { return Json::parse(ex.response.body); }

  Router router;
  auth::AuthChain auth;
  std::atomic<int> handled{0};
  size_t left = 0;
};

TEST_F(DispatcherTest, PublicRouteNeedsNoPrincipal) {
  auto ex = send("GET /health HTTP/1.1\r\n\r\n");
  EXPECT_EQ(ex.response.status, 200);
  EXPECT_EQ(body(ex)["principal"], false);
  EXPECT_EQ(ex.route, "/health");
}

TEST_F(DispatcherTest, EveryResponseCarriesSecurityHeadersAndRequestId) {
  for (auto req : {"GET /health HTTP/1.1\r\n\r\n", "GET /nope HTTP/1.1\r\n\r\n", "GET /things/1 HTTP/1.1\r\n\r\n"}) {
    auto ex = send(req);
    const auto& h = ex.response.headers;
    EXPECT_EQ(h.get("X-Content-Type-Options"), "nosniff") << req;
    EXPECT_EQ(h.get("Cache-Control"), "no-store") << req;
    EXPECT_EQ(h.get("Content-Security-Policy"), "frame-ancestors 'none'") << req;
    EXPECT_NE(h.get_or("Content-Type", "").find("charset=utf-8"), std::string::npos) << req;
    EXPECT_EQ(h.get("X-Request-Id"), ex.request_id);
    EXPECT_EQ(ex.request_id.size(), 36u);  // generated UUID
  }
}

TEST_F(DispatcherTest, SaneRequestIdIsEchoedAndOtherIsReplaced) {
  EXPECT_EQ(send("GET /health HTTP/1.1\r\nX-Request-Id: abc-123.x:y_z\r\n\r\n").request_id, "abc-123.x:y_z");
  auto ex = send("GET /health HTTP/1.1\r\nX-Request-Id: has space<script>\r\n\r\n");
  EXPECT_NE(ex.request_id, "has space<script>");
  EXPECT_EQ(ex.response.headers.get("X-Request-Id"), ex.request_id);
  EXPECT_NE(send("GET /health HTTP/1.1\r\nX-Request-Id: " + std::string(200, 'a') + "\r\n\r\n").request_id,
            std::string(200, 'a'));
}

TEST_F(DispatcherTest, UnknownPathIs404Problem) {
  auto ex = send("GET /nope HTTP/1.1\r\n\r\n");
  EXPECT_EQ(ex.response.status, 404);
  EXPECT_EQ(ex.response.headers.get("Content-Type"), "application/problem+json; charset=utf-8");
  EXPECT_EQ(body(ex)["type"], "urn:weft:problem:not-found");
  EXPECT_EQ(body(ex)["instance"], "/nope");
  EXPECT_TRUE(ex.route.empty());
}

TEST_F(DispatcherTest, OtherMethodIs405WithAllow) {
  auto ex = send("DELETE /things/1 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(ex.response.status, 405);
  EXPECT_EQ(ex.response.headers.get("Allow"), "GET, HEAD");
  EXPECT_EQ(body(ex)["status"], 405);
}

TEST_F(DispatcherTest, NonPublicRouteWithoutCredentialIs401BeforeTheHandler) {
  auto ex = send("GET /things/1 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(ex.response.status, 401);
  EXPECT_EQ(ex.response.headers.get("WWW-Authenticate"), "Bearer realm=\"weft\", error=\"invalid_token\"");
  EXPECT_EQ(body(ex)["type"], "urn:weft:problem:unauthorized");
}

TEST_F(DispatcherTest, EmptyChainAnswers401ForEveryNonPublicRoute) {
  auth::AuthChain none;
  StringSource src(std::string_view(""));
  RequestHead head;
  head.method = "GET";
  head.target = "/things/1";
  head.version = "HTTP/1.1";
  head.headers.add("Authorization", "Bearer good");
  Dispatcher d(router, none, 1024);
  auto ex = d.dispatch(head, src, "", nullptr);
  EXPECT_EQ(ex.response.status, 401);
  EXPECT_EQ(ex.response.headers.get("WWW-Authenticate"), "Bearer realm=\"weft\"");
}

TEST_F(DispatcherTest, RejectedCredentialIs401AndNamesOnlyTheKindOfProblem) {
  auto ex = send("GET /things/1 HTTP/1.1\r\nAuthorization: Bearer s3cr3t-token\r\n\r\n");
  EXPECT_EQ(ex.response.status, 401);
  EXPECT_EQ(ex.response.body.find("s3cr3t"), std::string::npos);
}

TEST_F(DispatcherTest, AcceptedPrincipalAndParamsReachTheHandler) {
  auto ex = send("GET /things/a%20b?q=x%2By HTTP/1.1\r\nAuthorization: Bearer good\r\n\r\n");
  ASSERT_EQ(ex.response.status, 200) << ex.response.body;
  EXPECT_EQ(body(ex)["id"], "a b");
  EXPECT_EQ(body(ex)["who"], "u1");
  EXPECT_EQ(body(ex)["q"], "x+y");
  EXPECT_EQ(body(ex)["route"], "/things/{id}");
  EXPECT_EQ(ex.route, "/things/{id}");
}

TEST_F(DispatcherTest, MalformedQueryIs400) {
  auto ex = send("GET /things/a?q=%G1 HTTP/1.1\r\nAuthorization: Bearer good\r\n\r\n");
  EXPECT_EQ(ex.response.status, 400);
}

TEST_F(DispatcherTest, JsonBodyIsParsedForTheHandler) {
  int continues = 0;
  auto ex = send("POST /things HTTP/1.1\r\nAuthorization: Bearer good\r\nContent-Type: application/json\r\n"
                 "Expect: 100-continue\r\nContent-Length: 9\r\n\r\n{\"a\": 1}\n",
                 1024, &continues);
  EXPECT_EQ(ex.response.status, 201);
  EXPECT_EQ(body(ex)["a"], 1);
  EXPECT_EQ(continues, 1);
  EXPECT_TRUE(ex.body_consumed);
  EXPECT_FALSE(ex.response.close);
}

TEST_F(DispatcherTest, OversizedContentLengthIs413WithoutReadingTheBody) {
  std::string bytes = "POST /things HTTP/1.1\r\nAuthorization: Bearer good\r\nContent-Type: application/json\r\n"
                      "Expect: 100-continue\r\nContent-Length: 2000\r\n\r\n" + std::string(2000, ' ');
  int continues = 0;
  auto ex = send(bytes, 1024, &continues);
  EXPECT_EQ(ex.response.status, 413);
  EXPECT_EQ(left, 2000u);  // not a byte of the body was read
  EXPECT_EQ(continues, 0);  // and the client was not invited to send it
  EXPECT_TRUE(ex.response.close);
  EXPECT_EQ(handled, 0);
}

TEST_F(DispatcherTest, OversizedChunkedBodyIs413AndCloses) {
  std::string bytes = "POST /things HTTP/1.1\r\nAuthorization: Bearer good\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) bytes += "200\r\n" + std::string(512, ' ') + "\r\n";
  bytes += "0\r\n\r\n";
  auto ex = send(bytes, 1024);
  EXPECT_EQ(ex.response.status, 413);
  EXPECT_TRUE(ex.response.close);
  EXPECT_FALSE(ex.body_consumed);
  EXPECT_EQ(handled, 0);
}

TEST_F(DispatcherTest, ChunkedBodyWithinLimitIsAccepted) {
  std::string bytes = "POST /things HTTP/1.1\r\nAuthorization: Bearer good\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n3\r\n{\"b\r\n4\r\n\":2}\r\n0\r\n\r\n";
  auto ex = send(bytes);
  EXPECT_EQ(ex.response.status, 201) << ex.response.body;
  EXPECT_EQ(body(ex)["b"], 2);
}

TEST_F(DispatcherTest, DeclaredOversizeIsRefusedBeforeRoutingAndAuth) {
  auto ex = send("POST /things HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 99999\r\n\r\n");
  EXPECT_EQ(ex.response.status, 413);
  EXPECT_EQ(send("POST /nowhere HTTP/1.1\r\nContent-Length: 99999\r\n\r\n").response.status, 413);
}

TEST_F(DispatcherTest, AuthComesBeforeReadingAChunkedBody) {
  std::string bytes = "POST /things HTTP/1.1\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
  auto ex = send(bytes);
  EXPECT_EQ(ex.response.status, 401);
  EXPECT_EQ(left, bytes.size() - bytes.find("5\r\n"));  // the body was not read
  EXPECT_TRUE(ex.response.close);
}

TEST_F(DispatcherTest, WrongContentTypeIs415) {
  auto ex = send("POST /things HTTP/1.1\r\nAuthorization: Bearer good\r\nContent-Type: text/plain\r\n"
                 "Content-Length: 2\r\n\r\n{}");
  EXPECT_EQ(ex.response.status, 415);
  EXPECT_EQ(body(ex)["type"], "urn:weft:problem:unsupported-media-type");
  EXPECT_TRUE(ex.body_consumed);  // small: drained, the connection may stay open
  EXPECT_EQ(handled, 0);
}

TEST_F(DispatcherTest, BadJsonIs400WithPosition) {
  auto ex = send("POST /things HTTP/1.1\r\nAuthorization: Bearer good\r\nContent-Type: application/json\r\n"
                 "Content-Length: 12\r\n\r\n{\"a\":1,\n  x}");
  EXPECT_EQ(ex.response.status, 400);
  Json b = body(ex);
  EXPECT_EQ(b["line"], 2);
  EXPECT_EQ(b["column"], 3);
  EXPECT_NE(b["detail"].get<std::string>().find("line 2, column 3"), std::string::npos) << b.dump();
  EXPECT_EQ(handled, 0);
}

TEST_F(DispatcherTest, DeeplyNestedJsonIsRefused) {
  std::string doc = std::string(10000, '[') + std::string(10000, ']');
  auto ex = send("POST /things HTTP/1.1\r\nAuthorization: Bearer good\r\nContent-Type: application/json\r\n"
                 "Content-Length: 20000\r\n\r\n" + doc, 100000);
  EXPECT_EQ(ex.response.status, 400);
  EXPECT_EQ(handled, 0);
}

TEST_F(DispatcherTest, MissingJsonBodyIs400) {
  auto ex = send("POST /things HTTP/1.1\r\nAuthorization: Bearer good\r\nContent-Type: application/json\r\n\r\n");
  EXPECT_EQ(ex.response.status, 400);
}

TEST_F(DispatcherTest, ConflictingFramingIs400AndCloses) {
  auto ex = send("POST /things HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc");
  EXPECT_EQ(ex.response.status, 400);
  EXPECT_TRUE(ex.response.close);
  auto gz = send("POST /things HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
  EXPECT_EQ(gz.response.status, 400);
  auto bad_cl = send("POST /things HTTP/1.1\r\nContent-Length: -1\r\n\r\n");
  EXPECT_EQ(bad_cl.response.status, 400);
}

TEST_F(DispatcherTest, HandlerExceptionIs500WithoutItsText) {
  auto ex = send("GET /boom HTTP/1.1\r\n\r\n");
  EXPECT_EQ(ex.response.status, 500);
  EXPECT_EQ(ex.response.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(ex.response.body.find("secret"), std::string::npos);
  EXPECT_EQ(body(ex)["type"], "urn:weft:problem:internal");
}

TEST_F(DispatcherTest, HeadAnswersLikeGetWithoutBody) {
  auto ex = send("HEAD /health HTTP/1.1\r\n\r\n");
  EXPECT_EQ(ex.response.status, 200);
  EXPECT_TRUE(ex.head_only);
  EXPECT_FALSE(ex.response.body.empty());  // its length goes into Content-Length
}

TEST_F(DispatcherTest, AbsoluteFormTargetIsRouted) {
  EXPECT_EQ(send("GET http://example.com/health HTTP/1.1\r\n\r\n").response.status, 200);
  EXPECT_EQ(send("OPTIONS * HTTP/1.1\r\n\r\n").response.status, 400);
}

TEST(DispatcherHead, RefusedHeadsMapToTheirStatus) {
  EXPECT_EQ(Dispatcher::refuse_head({HeadOutcome::Kind::kTooLarge, "x"}).response.status, 431);
  EXPECT_EQ(Dispatcher::refuse_head({HeadOutcome::Kind::kUriTooLong, "x"}).response.status, 414);
  EXPECT_EQ(Dispatcher::refuse_head({HeadOutcome::Kind::kTimeout, "x"}).response.status, 408);
  auto ex = Dispatcher::refuse_head({HeadOutcome::Kind::kMalformed, "x"});
  EXPECT_EQ(ex.response.status, 400);
  EXPECT_TRUE(ex.response.close);
  EXPECT_EQ(ex.response.headers.get("X-Content-Type-Options"), "nosniff");
}

TEST_F(DispatcherTest, ARoleWithoutTheRoutesPermissionGets403BeforeTheHandlerRuns) {
  Exchange ex = send("POST /things HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer viewer\r\n"
                     "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(ex.response.status, 403);
  EXPECT_EQ(handled, 0);
  EXPECT_EQ(body(ex)["detail"], "this operation needs workflow.write, which role 'viewer' does not grant");
  // The same caller may read.
  Exchange read = send("GET /things/7 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer viewer\r\n\r\n");
  EXPECT_EQ(read.response.status, 200);
}

}  // namespace
}  // namespace weft::http
