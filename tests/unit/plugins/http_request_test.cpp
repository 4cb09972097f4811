// weft.http_request, through the fake host's HTTP callback.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// A request as the host received it.
struct SentRequest {
  std::string method;
  std::string url;
  Headers headers;
  std::string body;
  uint32_t timeout_ms = 0;
  uint32_t flags = 0;
};

// A fake server: records every request and answers `status` with `body` and `headers`.
class FakeServer {
 public:
  FakeServer(NodeCall& call, int status, std::string body, Headers headers = {}) {
    call.http_response_headers = std::move(headers);
    call.http = [this, status, body = std::move(body)](const weft_http_request& req,
                                                       int& out_status, std::string& out_body) {
      SentRequest r{std::string(view(req.method)),
                    std::string(view(req.url)),
                    {},
                    std::string(view(req.body)),
                    req.timeout_ms,
                    req.flags};
      for (size_t h = 0; h < req.header_count; ++h)
        r.headers.emplace_back(view(req.headers[h].name), view(req.headers[h].value));
      sent.push_back(std::move(r));
      out_status = status;
      out_body = body;
      return WEFT_OK;
    };
  }
  std::vector<SentRequest> sent;
};

weft_status run_http(NodeCall& call) {
  return plugin("weft_http_request").run("weft.http_request", 1, call);
}

NodeCall one_item(Json params) {
  NodeCall call;
  call.inputs = {items(R"([{"id": 1}])")};
  call.params = std::move(params);
  return call;
}

TEST(HttpRequest, DescribesItself) {
  expect_plugin("weft_http_request", "weft-http-request", "weft.http_request",
                {{"main"},
                 {"main"},
                 false,
                 {"method", "url", "headers", "query", "body", "contentType", "timeoutMs",
                  "responseFormat", "ignoreHttpErrors", "insecureSkipVerify", "authentication",
                  "credential"}});
  auto p = [](const char* name) { return parameter("weft_http_request", name); };
  EXPECT_EQ(p("url")["required"], true);
  EXPECT_EQ(p("method")["default"], "GET");
  EXPECT_EQ(p("contentType")["default"], "text/plain");
  EXPECT_EQ(p("timeoutMs")["default"], 30000);
  EXPECT_EQ(p("responseFormat")["default"], "auto");
  EXPECT_EQ(p("responseFormat")["options"], Json::parse(R"(["auto", "json", "text"])"));
  EXPECT_EQ(p("ignoreHttpErrors")["default"], false);
  EXPECT_EQ(p("insecureSkipVerify")["default"], false);
}

TEST(HttpRequest, SendsAGetByDefaultAndEmitsTheResponse) {
  NodeCall call = one_item({{"url", "https://api.example.com/users"}});
  FakeServer server(call, 200, "hello", {{"Content-Type", "text/plain"}, {"X-Request-Id", "r1"}});
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;

  ASSERT_EQ(server.sent.size(), 1u);
  EXPECT_EQ(server.sent[0].method, "GET");
  EXPECT_EQ(server.sent[0].url, "https://api.example.com/users");
  EXPECT_TRUE(server.sent[0].headers.empty());
  EXPECT_EQ(server.sent[0].body, "");
  EXPECT_EQ(server.sent[0].timeout_ms, 30000u);
  EXPECT_EQ(server.sent[0].flags, 0u);

  ASSERT_EQ(call.outputs.size(), 1u);
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"statusCode": 200,
      "headers": {"content-type": "text/plain", "x-request-id": "r1"}, "body": "hello"}])"));
}

TEST(HttpRequest, SendsOneRequestPerItemWithItsOwnParameters) {
  NodeCall call;
  call.inputs = {items(R"([{"id": 1}, {"id": 2}])")};
  vary_per_item(call, "url", {"http://svc/items/1", "http://svc/items/2"});
  FakeServer server(call, 200, "ok");
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(server.sent.size(), 2u);
  EXPECT_EQ(server.sent[0].url, "http://svc/items/1");
  EXPECT_EQ(server.sent[1].url, "http://svc/items/2");
  EXPECT_EQ(call.outputs[0].size(), 2u);
}

TEST(HttpRequest, AppendsThePercentEncodedQuery) {
  struct Case {
    const char* url;
    const char* expected;
  };
  for (const Case& c : {
           Case{"https://x.test/search",
                "https://x.test/search?q=a%20b%26c%3D%2F%C3%A9&n=5&on=true&"
                "list=x&list=y&safe=-._~"},
           Case{"https://x.test/search?page=2",
                "https://x.test/search?page=2&q=a%20b%26c%3D%2F%C3%A9&"
                "n=5&on=true&list=x&list=y&safe=-._~"},
           Case{"https://x.test/search?",
                "https://x.test/search?q=a%20b%26c%3D%2F%C3%A9&n=5&on=true&"
                "list=x&list=y&safe=-._~"},
           Case{"https://x.test/p#top",
                "https://x.test/p?q=a%20b%26c%3D%2F%C3%A9&n=5&on=true&"
                "list=x&list=y&safe=-._~#top"},
       }) {
    NodeCall call = one_item(Json::parse(R"({"query": {"q": "a b&c=/é", "n": 5, "on": true,
                                                        "skipped": null, "list": ["x", "y"],
                                                        "safe": "-._~"}})"));
    call.params["url"] = c.url;
    FakeServer server(call, 200, "");
    ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
    ASSERT_EQ(server.sent.size(), 1u);
    EXPECT_EQ(server.sent[0].url, c.expected);
  }
}

TEST(HttpRequest, EncodesQueryNames) {
  NodeCall call = one_item({{"url", "http://x.test/"}, {"query", {{"a b", "1"}}}});
  FakeServer server(call, 200, "");
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(server.sent[0].url, "http://x.test/?a%20b=1");
}

TEST(HttpRequest, SendsHeadersAndAJsonBody) {
  NodeCall call = one_item(Json::parse(R"({"method": "POST", "url": "https://x.test/orders",
      "headers": {"Authorization": "Bearer s3cret", "X-Retry": 2},
      "body": {"id": 1, "lines": [{"sku": "a"}]}, "contentType": "text/csv"})"));
  FakeServer server(call, 201, "");
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(server.sent.size(), 1u);
  EXPECT_EQ(server.sent[0].method, "POST");
  EXPECT_EQ(server.sent[0].headers, (Headers{{"Authorization", "Bearer s3cret"},
                                             {"X-Retry", "2"},
                                             {"Content-Type", "application/json"}}));
  EXPECT_EQ(server.sent[0].body, R"({"id":1,"lines":[{"sku":"a"}]})");
}

TEST(HttpRequest, SendsAStringBodyAsIsWithItsContentType) {
  NodeCall call = one_item({{"method", "PUT"}, {"url", "https://x.test/f"}, {"body", "a,b\n1,2"}});
  FakeServer server(call, 204, "");
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(server.sent[0].body, "a,b\n1,2");
  EXPECT_EQ(server.sent[0].headers, (Headers{{"Content-Type", "text/plain"}}));

  NodeCall csv = one_item({{"method", "PATCH"},
                           {"url", "https://x.test/f"},
                           {"body", "a,b"},
                           {"contentType", "text/csv"}});
  FakeServer csv_server(csv, 200, "");
  ASSERT_EQ(run_http(csv), WEFT_OK) << csv.error_message;
  EXPECT_EQ(csv_server.sent[0].method, "PATCH");
  EXPECT_EQ(csv_server.sent[0].headers, (Headers{{"Content-Type", "text/csv"}}));
}

TEST(HttpRequest, AContentTypeHeaderWinsOverTheDefault) {
  NodeCall call = one_item({{"method", "POST"},
                            {"url", "https://x.test/f"},
                            {"headers", {{"content-type", "application/merge-patch+json"}}},
                            {"body", {{"a", nullptr}}}});
  FakeServer server(call, 200, "");
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(server.sent[0].headers, (Headers{{"content-type", "application/merge-patch+json"}}));
  EXPECT_EQ(server.sent[0].body, R"({"a":null})");
}

TEST(HttpRequest, PassesTimeoutAndTlsVerification) {
  NodeCall call = one_item({{"method", "DELETE"},
                            {"url", "https://x.test/f"},
                            {"timeoutMs", 1500},
                            {"insecureSkipVerify", true}});
  FakeServer server(call, 200, "");
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(server.sent[0].method, "DELETE");
  EXPECT_EQ(server.sent[0].timeout_ms, 1500u);
  EXPECT_EQ(server.sent[0].flags, WEFT_HTTP_INSECURE_SKIP_VERIFY);
}

TEST(HttpRequest, ParsesAJsonResponseInAutoMode) {
  for (const char* content_type : {"application/json", "application/json; charset=utf-8",
                                   "Application/JSON", "application/problem+json"}) {
    NodeCall call = one_item({{"url", "https://x.test/"}});
    FakeServer server(call, 200, R"({"users": [{"id": 1}], "n": 1.5})",
                      {{"Content-Type", content_type}});
    ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
    EXPECT_EQ(call.outputs[0][0]["body"], Json::parse(R"({"users": [{"id": 1}], "n": 1.5})"))
        << content_type;
  }
}

TEST(HttpRequest, KeepsTextInAutoModeWithoutAJsonContentType) {
  for (const Headers& headers : {Headers{}, Headers{{"content-type", "text/html"}},
                                 Headers{{"content-type", "application/jsonp"}}}) {
    NodeCall call = one_item({{"url", "https://x.test/"}});
    FakeServer server(call, 200, R"({"looks": "like json"})", headers);
    ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
    EXPECT_EQ(call.outputs[0][0]["body"], R"({"looks": "like json"})");
  }
}

TEST(HttpRequest, ResponseFormatForcesJsonOrText) {
  NodeCall json = one_item({{"url", "https://x.test/"}, {"responseFormat", "json"}});
  FakeServer json_server(json, 200, "[1, 2]", {{"Content-Type", "text/plain"}});
  ASSERT_EQ(run_http(json), WEFT_OK) << json.error_message;
  EXPECT_EQ(json.outputs[0][0]["body"], Json::parse("[1, 2]"));

  NodeCall text = one_item({{"url", "https://x.test/"}, {"responseFormat", "text"}});
  FakeServer text_server(text, 200, "[1, 2]", {{"Content-Type", "application/json"}});
  ASSERT_EQ(run_http(text), WEFT_OK) << text.error_message;
  EXPECT_EQ(text.outputs[0][0]["body"], "[1, 2]");
}

TEST(HttpRequest, AnEmptyJsonBodyIsNull) {
  NodeCall call = one_item({{"url", "https://x.test/"}, {"method", "HEAD"}});
  FakeServer server(call, 200, "", {{"Content-Type", "application/json"}});
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(call.outputs[0][0]["body"], nullptr);
}

TEST(HttpRequest, RejectsAnInvalidJsonResponse) {
  NodeCall call =
      one_item({{"url", "https://user:pw@x.test/a?token=t"}, {"responseFormat", "json"}});
  FakeServer server(call, 200, "<html>");
  EXPECT_EQ(run_http(call), WEFT_ERR_INVALID);
  EXPECT_EQ(call.error_message, "item 0: the response of GET https://x.test/a is not valid JSON");
}

TEST(HttpRequest, JoinsRepeatedResponseHeaders) {
  NodeCall call = one_item({{"url", "https://x.test/"}});
  FakeServer server(call, 200, "",
                    {{"Set-Cookie", "a=1"}, {"Vary", "Accept"}, {"set-cookie", "b=2"}});
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(call.outputs[0][0]["headers"],
            Json::parse(R"({"set-cookie": "a=1, b=2", "vary": "Accept"})"));
}

TEST(HttpRequest, FailsOnAnErrorStatusNamingStatusAndUrlButNoSecret) {
  NodeCall call = one_item({{"url", "https://admin:hunter2@api.example.com/users?api_key=k1#x"},
                            {"headers", {{"Authorization", "Bearer s3cret"}}}});
  FakeServer server(call, 404, R"({"error": "no such user"})");
  EXPECT_EQ(run_http(call), WEFT_ERR_NODE);
  EXPECT_EQ(call.error_message, "item 0: GET https://api.example.com/users returned HTTP 404");
  EXPECT_TRUE(call.outputs.empty());
}

TEST(HttpRequest, ServerAndThrottlingErrorsAreRetryable) {
  for (int status : {500, 503, 429, 408}) {
    NodeCall call = one_item({{"url", "http://x.test/"}, {"method", "POST"}});
    FakeServer server(call, status, "");
    EXPECT_EQ(run_http(call), WEFT_ERR_UNAVAILABLE) << status;
    EXPECT_EQ(call.error_message,
              "item 0: POST http://x.test/ returned HTTP " + std::to_string(status));
  }
}

TEST(HttpRequest, StopsAtTheFirstFailingItem) {
  NodeCall call;
  call.inputs = {items(R"([{"id": 1}, {"id": 2}, {"id": 3}])")};
  vary_per_item(call, "url", {"http://x.test/1", "http://x.test/2", "http://x.test/3"});
  FakeServer server(call, 200, "");
  int answers = 0;
  auto ok_then_fail = call.http;
  call.http = [&](const weft_http_request& req, int& status, std::string& body) {
    weft_status st = ok_then_fail(req, status, body);
    if (++answers == 2) status = 400;
    return st;
  };
  EXPECT_EQ(run_http(call), WEFT_ERR_NODE);
  EXPECT_EQ(call.error_message, "item 1: GET http://x.test/2 returned HTTP 400");
  EXPECT_EQ(server.sent.size(), 2u);
}

TEST(HttpRequest, IgnoreHttpErrorsEmitsTheResponse) {
  NodeCall call = one_item({{"url", "https://x.test/"}, {"ignoreHttpErrors", true}});
  FakeServer server(call, 422, R"({"error": "invalid"})", {{"Content-Type", "application/json"}});
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"statusCode": 422,
      "headers": {"content-type": "application/json"}, "body": {"error": "invalid"}}])"));
}

TEST(HttpRequest, PassesOnTheHostsTransportError) {
  NodeCall call = one_item({{"url", "https://down.test/"}});
  call.http = [&call](const weft_http_request&, int&, std::string&) {
    return call.fail(WEFT_ERR_UNAVAILABLE, "connection refused: down.test:443");
  };
  EXPECT_EQ(run_http(call), WEFT_ERR_UNAVAILABLE);
  EXPECT_EQ(call.error_message, "connection refused: down.test:443");
}

TEST(HttpRequest, StopsWhenCancelled) {
  NodeCall call;
  call.inputs = {items(R"([{"id": 1}, {"id": 2}])")};
  call.params = {{"url", "https://x.test/"}};
  FakeServer server(call, 200, "");
  auto answer = call.http;
  call.http = [&](const weft_http_request& req, int& status, std::string& body) {
    call.cancel = true;  // cancelled while the first request runs
    return answer(req, status, body);
  };
  EXPECT_EQ(run_http(call), WEFT_ERR_CANCELLED);
  EXPECT_EQ(call.error_message, "the execution was cancelled");
  EXPECT_EQ(server.sent.size(), 1u);
}

TEST(HttpRequest, RejectsBadParametersBeforeSending) {
  struct Case {
    Json params;
    std::string message;
  };
  for (const Case& c : {
           Case{Json::object(), "item 0: parameter 'url' is required"},
           Case{{{"url", 42}}, "item 0: parameter 'url' must be a string, got number"},
           Case{{{"url", "ftp://x.test/"}},
                "item 0: parameter 'url' must be an absolute http:// or https:// URL"},
           Case{{{"url", "/relative"}},
                "item 0: parameter 'url' must be an absolute http:// or https:// URL"},
           Case{{{"url", "https://"}},
                "item 0: parameter 'url' must be an absolute http:// or https:// URL"},
           Case{{{"url", "http://x.test/"}, {"method", "TRACE"}},
                "item 0: parameter 'method' must be one of GET, POST, PUT, PATCH, DELETE, HEAD, "
                "OPTIONS; got 'TRACE'"},
           Case{{{"url", "http://x.test/"}, {"headers", "Accept: */*"}},
                "item 0: parameter 'headers' must be an object, got string"},
           Case{{{"url", "http://x.test/"}, {"headers", {{"X-A", {1}}}}},
                "item 0: parameter 'headers' member 'X-A' must be a string, number or boolean, got "
                "array"},
           Case{{{"url", "http://x.test/"}, {"query", {1, 2}}},
                "item 0: parameter 'query' must be an object, got array"},
           Case{{{"url", "http://x.test/"}, {"query", {{"f", {{"a", 1}}}}}},
                "item 0: parameter 'query' member 'f' must be a string, number or boolean, got "
                "object"},
           Case{{{"url", "http://x.test/"}, {"timeoutMs", 0}},
                "item 0: parameter 'timeoutMs' must be from 1 to 3600000"},
           Case{{{"url", "http://x.test/"}, {"timeoutMs", 3600001}},
                "item 0: parameter 'timeoutMs' must be from 1 to 3600000"},
           Case{{{"url", "http://x.test/"}, {"timeoutMs", "fast"}},
                "item 0: parameter 'timeoutMs' must be a number, got string"},
           Case{{{"url", "http://x.test/"}, {"responseFormat", "xml"}},
                "item 0: parameter 'responseFormat' must be one of auto, json, text; got 'xml'"},
           Case{{{"url", "http://x.test/"}, {"ignoreHttpErrors", "no"}},
                "item 0: parameter 'ignoreHttpErrors' must be true or false, got string"},
           Case{{{"url", "http://x.test/"}, {"insecureSkipVerify", 1}},
                "item 0: parameter 'insecureSkipVerify' must be true or false, got number"},
       }) {
    NodeCall call = one_item(c.params);
    FakeServer server(call, 200, "");
    EXPECT_EQ(run_http(call), WEFT_ERR_INVALID) << c.params;
    EXPECT_EQ(call.error_message, c.message);
    EXPECT_TRUE(server.sent.empty());
  }
}

}  // namespace
}  // namespace weft::plugin_tests

// -- credentials (ABI 1.2): through the fake host's ctx.credential ------------------------

namespace weft::plugin_tests {
namespace {

const Json kHeaderCredential = {{"type", "weft.httpHeaderAuth"},
                                {"data", {{"name", "X-Api-Key"}, {"value", "hdr-s3cr3t-91"}}}};
const Json kBasicCredential = {{"type", "weft.basicAuth"},
                               {"data", {{"user", "ada"}, {"password", "pw-s3cr3t-77"}}}};

std::string header_of(const SentRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "<absent>";
}

TEST(HttpRequestCredentials, ThePluginDeclaresBothCredentialTypes) {
  const auto& types = plugin("weft_http_request").credential_types();
  ASSERT_EQ(types.size(), 2u);
  const Json& header = types.at("weft.httpHeaderAuth");
  EXPECT_EQ(header["fields"][0]["name"], "name");
  EXPECT_EQ(header["fields"][0]["secret"], false);
  EXPECT_EQ(header["fields"][1]["name"], "value");
  EXPECT_EQ(header["fields"][1]["secret"], true);
  const Json& basic = types.at("weft.basicAuth");
  EXPECT_EQ(basic["fields"][1]["name"], "password");
  EXPECT_EQ(basic["fields"][1]["secret"], true);
  EXPECT_EQ(parameter("weft_http_request", "credential")["type"], "credential");
}

TEST(HttpRequestCredentials, HeaderAuthAddsTheHeaderToTheRequestOnly) {
  NodeCall call;
  call.inputs = {items(R"([{"id": 1}, {"id": 2}])")};
  call.params = {{"url", "http://example.test/a"},
                 {"headers", {{"x-api-key", "from-params"}}},
                 {"authentication", "header"},
                 {"credential", "c1"}};
  call.credentials["c1"] = kHeaderCredential;
  FakeServer server(call, 200, R"({"ok": true})", {{"Content-Type", "application/json"}});
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(server.sent.size(), 2u);
  for (const auto& r : server.sent) {
    EXPECT_EQ(header_of(r, "X-Api-Key"), "hdr-s3cr3t-91");
    EXPECT_EQ(header_of(r, "x-api-key"), "<absent>");  // the credential's header replaced it
  }
  EXPECT_EQ(call.credential_reads, std::vector<std::string>{"c1"});  // once per run, not per item
  ASSERT_EQ(call.outputs.size(), 1u);
  for (const Json& item : call.outputs[0])
    EXPECT_EQ(item.dump().find("s3cr3t"), std::string::npos) << item.dump();
  for (const auto& [level, line] : call.logs) EXPECT_EQ(line.find("s3cr3t"), std::string::npos) << line;
}

TEST(HttpRequestCredentials, BasicAuthSendsAnAuthorizationHeader) {
  NodeCall call = one_item({{"url", "http://example.test/"}, {"authentication", "basic"}, {"credential", "c2"}});
  call.credentials["c2"] = kBasicCredential;
  FakeServer server(call, 200, "fine");
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(server.sent.size(), 1u);
  // base64("ada:pw-s3cr3t-77")
  EXPECT_EQ(header_of(server.sent[0], "Authorization"), "Basic YWRhOnB3LXMzY3IzdC03Nw==");
  EXPECT_EQ(call.outputs[0][0].dump().find("s3cr3t"), std::string::npos);
}

TEST(HttpRequestCredentials, ACredentialOfTheWrongTypeForTheModeSendsNothing) {
  NodeCall call = one_item({{"url", "http://example.test/"}, {"authentication", "header"}, {"credential", "c2"}});
  call.credentials["c2"] = kBasicCredential;
  FakeServer server(call, 200, "fine");
  EXPECT_EQ(run_http(call), WEFT_ERR_INVALID);
  EXPECT_TRUE(server.sent.empty());
  EXPECT_NE(call.error_message.find("parameter 'credential'"), std::string::npos) << call.error_message;
  EXPECT_NE(call.error_message.find("weft.httpHeaderAuth"), std::string::npos) << call.error_message;
  EXPECT_EQ(call.error_message.find("s3cr3t"), std::string::npos) << call.error_message;
}

TEST(HttpRequestCredentials, AnUnknownOrForbiddenCredentialFailsNamingNodeAndParameter) {
  NodeCall call = one_item({{"url", "http://example.test/"}, {"authentication", "basic"}, {"credential", "nope"}});
  FakeServer server(call, 200, "fine");
  EXPECT_EQ(run_http(call), WEFT_ERR_NODE);
  EXPECT_TRUE(server.sent.empty());
  EXPECT_NE(call.error_message.find("weft.http_request@1"), std::string::npos) << call.error_message;
  EXPECT_NE(call.error_message.find("parameter 'credential'"), std::string::npos) << call.error_message;
  EXPECT_NE(call.error_message.find("access denied"), std::string::npos) << call.error_message;
}

TEST(HttpRequestCredentials, NoAuthenticationReadsNoCredential) {
  NodeCall call = one_item({{"url", "http://example.test/"}, {"credential", "c1"}});
  call.credentials["c1"] = kHeaderCredential;
  FakeServer server(call, 200, "fine");
  ASSERT_EQ(run_http(call), WEFT_OK) << call.error_message;
  EXPECT_TRUE(call.credential_reads.empty());
  EXPECT_EQ(header_of(server.sent[0], "X-Api-Key"), "<absent>");
}

}  // namespace
}  // namespace weft::plugin_tests
