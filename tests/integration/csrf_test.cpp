// Cookie sessions and CSRF through the real binary (auth.sessionCookie on): login with
// "cookie": true sets __Host- cookies (Secure, HttpOnly but for the CSRF one, SameSite=Strict)
// and answers the CSRF token; a cookie-authenticated unsafe request needs X-CSRF-Token equal
// to the csrf cookie and bound to the session, while safe methods, bearer tokens and API keys
// need none. Also: server.hsts adds Strict-Transport-Security.
#include "weft_server.hpp"

#include <gtest/gtest.h>

namespace weft::test {
namespace {

const std::string kLogin = "/api/v1/auth/login";
const std::string kWorkflows = "/api/v1/workflows";
const std::string kPassword = "cookie jar password";

std::map<std::string, std::string> cookie_env() {
  return {{"WEFT_SESSION_COOKIE", "true"}, {"WEFT_RATE_LIMIT_AUTH_ADDRESS_BURST", "1000"}};
}

// The Set-Cookie values of `r`, by cookie name.
std::map<std::string, std::string> set_cookies(const HttpResult& r) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : r.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "set-cookie") out[value.substr(0, value.find('='))] = value;
  }
  return out;
}

// The value part of a Set-Cookie line.
std::string cookie_value(const std::string& set_cookie) {
  const size_t eq = set_cookie.find('=');
  return set_cookie.substr(eq + 1, set_cookie.find(';') - eq - 1);
}

struct CookieSession {
  std::string session, refresh, csrf;  // cookie values
  std::string csrf_in_body;
  // The Cookie header a browser would send (the csrf cookie may be left out or replaced).
  Headers cookies(const std::string& csrf_cookie) const {
    std::string c = "__Host-weft-session=" + session + "; __Host-weft-refresh=" + refresh;
    if (!csrf_cookie.empty()) c += "; __Host-weft-csrf=" + csrf_cookie;
    return {{"Cookie", c}};
  }
  Headers cookies() const { return cookies(csrf); }
};

CookieSession cookie_login(WeftServer& s, const std::string& email) {
  HttpResult r = s.post_json(kLogin, {{"email", email}, {"password", kPassword}, {"cookie", true}});
  EXPECT_EQ(r.status, 200) << r.body;
  auto set = set_cookies(r);
  CookieSession c;
  c.session = cookie_value(set["__Host-weft-session"]);
  c.refresh = cookie_value(set["__Host-weft-refresh"]);
  c.csrf = cookie_value(set["__Host-weft-csrf"]);
  if (r.status == 200) c.csrf_in_body = r.json().value("csrfToken", "");
  return c;
}

Headers with(Headers h, const std::string& name, const std::string& value) {
  h.emplace_back(name, value);
  return h;
}

class Csrf : public ::testing::Test {
 protected:
  void SetUp() override {
    server = std::make_unique<WeftServer>(ServeOptions{.env = cookie_env()});
    HttpResult made = server->send_json("POST", "/api/v1/users",
                                        {{"email", "cara@example.com"}, {"name", "Cara"}, {"role", "editor"},
                                         {"password", kPassword}},
                                        server->as_admin());
    ASSERT_EQ(made.status, 201) << made.body;
  }
  void TearDown() override { EXPECT_EQ(server->stop(), 0); }

  HttpResult create_workflow(const Headers& headers, const std::string& name) {
    Json doc = example_workflow("order-triage");
    doc["name"] = name;
    return server->send_json("POST", kWorkflows, doc, headers);
  }

  std::unique_ptr<WeftServer> server;
};

TEST_F(Csrf, CookieLoginSetsHostCookiesAndAnswersTheCsrfToken) {
  HttpResult r = server->post_json(kLogin, {{"email", "cara@example.com"}, {"password", kPassword}, {"cookie", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto set = set_cookies(r);
  ASSERT_EQ(set.size(), 3u) << r.body;
  for (const char* name : {"__Host-weft-session", "__Host-weft-refresh", "__Host-weft-csrf"}) {
    const std::string& c = set[name];
    SCOPED_TRACE(c);
    EXPECT_NE(c.find("; Path=/"), std::string::npos);
    EXPECT_NE(c.find("; Secure"), std::string::npos);
    EXPECT_NE(c.find("; SameSite=Strict"), std::string::npos);
    EXPECT_EQ(c.find("Domain"), std::string::npos) << "__Host- cookies have no Domain";
  }
  EXPECT_NE(set["__Host-weft-session"].find("; HttpOnly"), std::string::npos);
  EXPECT_NE(set["__Host-weft-refresh"].find("; HttpOnly"), std::string::npos);
  EXPECT_EQ(set["__Host-weft-csrf"].find("HttpOnly"), std::string::npos) << "the page reads it";
  const Json body = r.json();
  EXPECT_EQ(body["csrfToken"], cookie_value(set["__Host-weft-csrf"]));
  EXPECT_FALSE(body.contains("accessToken")) << "the tokens stay in HttpOnly cookies";
  EXPECT_FALSE(body.contains("refreshToken"));
}

TEST_F(Csrf, UnsafeCookieRequestsNeedTheSessionsToken) {
  const CookieSession mine = cookie_login(*server, "cara@example.com");
  const CookieSession other = cookie_login(*server, "cara@example.com");
  ASSERT_FALSE(mine.csrf.empty());
  ASSERT_NE(mine.csrf, other.csrf);
  EXPECT_EQ(mine.csrf, mine.csrf_in_body);

  // Safe methods need no token.
  HttpResult list = server->get(kWorkflows, mine.cookies());
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(server->get("/api/v1/auth/me", mine.cookies("")).status, 200);

  // No token; a token in the cookie only; another session's token (as header and cookie);
  // a header that differs from the cookie.
  HttpResult none = create_workflow(mine.cookies(), "no token");
  expect_problem(none, 403, "forbidden");
  EXPECT_NE(none.body.find("CSRF"), std::string::npos) << none.body;
  expect_problem(create_workflow(with(mine.cookies(""), "X-CSRF-Token", mine.csrf), "header only"), 403, "forbidden");
  expect_problem(create_workflow(with(mine.cookies(other.csrf), "X-CSRF-Token", other.csrf), "foreign"), 403,
                 "forbidden");
  expect_problem(create_workflow(with(mine.cookies(), "X-CSRF-Token", other.csrf), "mismatch"), 403, "forbidden");

  // Its own token, in the header and the cookie.
  HttpResult ok = create_workflow(with(mine.cookies(), "X-CSRF-Token", mine.csrf), "own token");
  EXPECT_EQ(ok.status, 201) << ok.body;

  // A bearer token and an API key are exempt.
  HttpResult login = server->post_json(kLogin, {{"email", "cara@example.com"}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string access = login.json()["accessToken"];
  EXPECT_EQ(create_workflow({{"Authorization", "Bearer " + access}}, "bearer").status, 201);
  EXPECT_EQ(create_workflow(server->as_admin(), "api key").status, 201);
}

TEST_F(Csrf, RefreshAndLogoutThroughCookies) {
  const CookieSession first = cookie_login(*server, "cara@example.com");
  // Refresh with the refresh cookie only: new cookies, a new CSRF token for the new session.
  HttpResult r = server->request("POST", "/api/v1/auth/refresh", "",
                                 {{"Cookie", "__Host-weft-refresh=" + first.refresh}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto set = set_cookies(r);
  CookieSession next{cookie_value(set["__Host-weft-session"]), cookie_value(set["__Host-weft-refresh"]),
                     cookie_value(set["__Host-weft-csrf"]), r.json().value("csrfToken", "")};
  ASSERT_FALSE(next.session.empty());
  EXPECT_NE(next.csrf, first.csrf);
  EXPECT_EQ(next.csrf, next.csrf_in_body);
  EXPECT_EQ(server->get("/api/v1/auth/me", next.cookies()).status, 200);
  expect_problem(create_workflow(with(next.cookies(first.csrf), "X-CSRF-Token", first.csrf), "stale"), 403,
                 "forbidden");

  // Logout is unsafe too: without the token it is refused, with it the cookies are cleared.
  expect_problem(server->request("POST", "/api/v1/auth/logout", "", next.cookies()), 403, "forbidden");
  HttpResult out = server->request("POST", "/api/v1/auth/logout", "", with(next.cookies(), "X-CSRF-Token", next.csrf));
  ASSERT_EQ(out.status, 204) << out.body;
  auto cleared = set_cookies(out);
  ASSERT_EQ(cleared.size(), 3u);
  for (const auto& [name, line] : cleared) EXPECT_NE(line.find("Max-Age=0"), std::string::npos) << line;
  expect_problem(server->get("/api/v1/auth/me", next.cookies()), 401, "unauthorized");
}

TEST(SecurityHeaders, HstsOnlyWhenConfigured) {
  WeftServer plain;
  HttpResult r = plain.get("/health");
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(r.header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  EXPECT_NE(r.header("Content-Type").find("charset=utf-8"), std::string::npos);
  EXPECT_FALSE(r.has_header("Strict-Transport-Security"));
  EXPECT_EQ(plain.stop(), 0);

  WeftServer behind_tls({.env = {{"WEFT_HSTS", "true"}}});
  EXPECT_EQ(behind_tls.get("/health").header("Strict-Transport-Security"), "max-age=31536000; includeSubDomains");
  EXPECT_EQ(behind_tls.get("/no/such/path").header("Strict-Transport-Security"),
            "max-age=31536000; includeSubDomains");
  EXPECT_EQ(behind_tls.stop(), 0);
}

}  // namespace
}  // namespace weft::test
