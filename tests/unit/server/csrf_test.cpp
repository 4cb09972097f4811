// The CSRF token function and check (auth/csrf.hpp), and the login throttle
// (auth/login_throttle.hpp), without a server.
#include "auth/csrf.hpp"
#include "auth/jwt_keys.hpp"
#include "auth/login_throttle.hpp"

#include <gtest/gtest.h>

namespace weft::auth {
namespace {

TEST(CsrfToken, IsTheBase64UrlHmacOfTheSessionId) {
  const std::string key(32, 'k');
  const std::string t = csrf_token(key, "session-1");
  EXPECT_EQ(t.size(), 43u);  // 32 bytes, unpadded base64url
  EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
  EXPECT_EQ(t, csrf_token(key, "session-1"));
  EXPECT_NE(t, csrf_token(key, "session-2"));
  EXPECT_NE(t, csrf_token(std::string(32, 'x'), "session-1"));
  // RFC 4231 test case 2 (HMAC-SHA256, key "Jefe").
  EXPECT_EQ(base64url(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM");
}

http::Request cookie_request(const std::string& method, const std::string& session) {
  http::Request r;
  r.method = method;
  r.path = "/api/v1/workflows";
  Principal p;
  p.id = "u1";
  p.session_id = session;
  p.via_cookie = true;
  r.principal = p;
  return r;
}

TEST(CsrfCheck, CookieUnsafeRequestsNeedTheMatchingToken) {
  set_csrf_key(std::string(32, 'k'));
  const std::string mine = csrf_token_for("s1"), other = csrf_token_for("s2");

  auto r = cookie_request("POST", "s1");
  auto refused = check_csrf(r);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(refused->detail, "missing or invalid CSRF token");

  r.headers.add("Cookie", "a=b; __Host-weft-csrf=" + mine);
  EXPECT_TRUE(check_csrf(r)) << "cookie without header";
  r.headers.add("X-CSRF-Token", mine);
  EXPECT_FALSE(check_csrf(r));

  auto foreign = cookie_request("DELETE", "s1");
  foreign.headers.add("Cookie", "__Host-weft-csrf=" + other);
  foreign.headers.add("X-CSRF-Token", other);
  EXPECT_TRUE(check_csrf(foreign)) << "another session's token";

  auto mismatch = cookie_request("PATCH", "s1");
  mismatch.headers.add("Cookie", "__Host-weft-csrf=" + other);
  mismatch.headers.add("X-CSRF-Token", mine);
  EXPECT_TRUE(check_csrf(mismatch)) << "header and cookie differ";

  for (const char* safe : {"GET", "HEAD", "OPTIONS"}) EXPECT_FALSE(check_csrf(cookie_request(safe, "s1"))) << safe;
  auto bearer = cookie_request("POST", "s1");
  bearer.principal->via_cookie = false;
  EXPECT_FALSE(check_csrf(bearer));
  http::Request anonymous;
  anonymous.method = "POST";
  EXPECT_FALSE(check_csrf(anonymous));

  // Without a key nothing cookie-authenticated and unsafe passes.
  set_csrf_key("");
  EXPECT_TRUE(check_csrf(r));
}

TEST(CookieValue, FindsANameAmongSeveral) {
  http::HeaderList h;
  h.add("Cookie", "x=1;  __Host-weft-session=abc.def.ghi ; y=2");
  EXPECT_EQ(cookie_value(h, "__Host-weft-session"), "abc.def.ghi");
  EXPECT_EQ(cookie_value(h, "y"), "2");
  EXPECT_FALSE(cookie_value(h, "weft-session"));
}

TEST(LoginThrottle, LocksAnAccountAfterFiveFailuresForTheWindow) {
  int64_t now = 1'000'000;
  LoginThrottle t(5, 900'000, 100, [&] { return now; });
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(t.blocked_for("a"), 0);
    t.failed("a");
    now += 1000;
  }
  EXPECT_EQ(t.blocked_for("a"), 900'000 - 5000);
  EXPECT_EQ(t.blocked_for("b"), 0) << "another account";
  now += 900'000;
  EXPECT_EQ(t.blocked_for("a"), 0) << "the window passed";
  t.failed("a");
  EXPECT_EQ(t.blocked_for("a"), 0) << "a new window starts with one failure";
  for (int i = 0; i < 4; ++i) t.failed("a");
  EXPECT_GT(t.blocked_for("a"), 0);
  t.succeeded("a");
  EXPECT_EQ(t.blocked_for("a"), 0);
}

TEST(LoginThrottle, HoldsAtMostMaxAccounts) {
  int64_t now = 0;
  LoginThrottle t(5, 900'000, 3, [&] { return now; });
  for (int i = 0; i < 10; ++i) t.failed("user" + std::to_string(i));
  EXPECT_EQ(t.size(), 3u);
}

}  // namespace
}  // namespace weft::auth
