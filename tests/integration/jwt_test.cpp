// Sign-in through the real binary: POST /api/v1/auth/login answers a JWT access token and a
// rotating refresh token; the weft.jwt verifier accepts only tokens of the configured algorithm,
// key id, issuer and audience that are within their lifetime and untampered; logout, reuse of a
// rotated refresh token and disabling the user take effect on the next request (also through
// the dual backend's cache); failed logins are throttled per account and audited.
//
// Forged tokens are made here with OpenSSL directly (HMAC-SHA256, base64url), from the claims
// of a real token, so each differs from a valid one in exactly the property under test; a
// forged token with nothing wrong is accepted, which proves the forging itself is sound.
#include "weft_server.hpp"

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace weft::test {
namespace {

const std::string kLogin = "/api/v1/auth/login";
const std::string kRefresh = "/api/v1/auth/refresh";
const std::string kLogout = "/api/v1/auth/logout";
const std::string kMe = "/api/v1/auth/me";
const std::string kSecret = "test-jwt-secret-of-forty-bytes-0123456789";  // 41 bytes
const std::string kPassword = "correct horse battery";

std::map<std::string, std::string> hs_env(std::map<std::string, std::string> more = {}) {
  more.emplace("WEFT_JWT_SECRET", kSecret);
  // Many logins from one address: the per-address auth bucket must not be what a test meets.
  more.emplace("WEFT_RATE_LIMIT_AUTH_ADDRESS_BURST", "1000");
  return more;
}

std::string b64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::string b64url_decode(std::string s) {
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (s.size() % 4) s.push_back('=');
  std::string out(s.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) throw std::runtime_error("not base64url");
  size_t pad = 0;
  for (size_t i = s.size(); i > 0 && s[i - 1] == '='; --i) ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string hmac(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &len);
  return std::string(reinterpret_cast<const char*>(mac), len);
}

// header.payload signed with HMAC-SHA256 under `key`.
std::string hs256(const Json& header, const Json& payload, const std::string& key) {
  const std::string signing_input = b64url(header.dump()) + "." + b64url(payload.dump());
  return signing_input + "." + b64url(hmac(key, signing_input));
}

std::vector<std::string> parts(const std::string& jwt) {
  std::vector<std::string> out;
  std::stringstream in(jwt);
  std::string p;
  while (std::getline(in, p, '.')) out.push_back(p);
  return out;
}

Json header_of(const std::string& jwt) { return Json::parse(b64url_decode(parts(jwt).at(0))); }
Json payload_of(const std::string& jwt) { return Json::parse(b64url_decode(parts(jwt).at(1))); }

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// A user with kPassword; returns its id.
std::string make_user(WeftServer& s, const std::string& email, const std::string& role = "editor") {
  HttpResult r = s.send_json("POST", "/api/v1/users",
                             {{"email", email}, {"name", email.substr(0, email.find('@'))}, {"role", role},
                              {"password", kPassword}},
                             s.as_admin());
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.json()["id"].get<std::string>() : std::string();
}

HttpResult login(WeftServer& s, const std::string& email, const std::string& password = kPassword) {
  return s.post_json(kLogin, {{"email", email}, {"password", password}});
}

// Logs in (must succeed) and answers the token body.
Json signed_in(WeftServer& s, const std::string& email) {
  HttpResult r = login(s, email);
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) throw std::runtime_error("login failed: " + r.body);
  return r.json();
}

TEST(Jwt, LoginAnswersTokensAndMeKnowsTheCaller) {
  WeftServer s({.env = hs_env()});
  const std::string id = make_user(s, "ann@example.com", "operator");
  HttpResult r = login(s, "ANN@example.com");  // e-mail in any letter case
  ASSERT_EQ(r.status, 200) << r.body;
  const Json t = r.json();
  EXPECT_EQ(t["tokenType"], "Bearer");
  EXPECT_EQ(t["expiresIn"], 900);
  ASSERT_TRUE(t["accessToken"].is_string() && t["refreshToken"].is_string()) << r.body;
  EXPECT_FALSE(t.contains("csrfToken"));
  EXPECT_EQ(r.body.find(kPassword), std::string::npos);

  const std::string access = t["accessToken"];
  const Json header = header_of(access), payload = payload_of(access);
  EXPECT_EQ(header["alg"], "HS256");
  EXPECT_TRUE(header["kid"].is_string());
  EXPECT_EQ(payload["iss"], "weft");
  EXPECT_EQ(payload["aud"], "weft-api");
  EXPECT_EQ(payload["sub"], id);
  EXPECT_NEAR(payload["exp"].get<double>(), double(now_s() + 900), 30);

  HttpResult me = s.get(kMe, bearer(access));
  ASSERT_EQ(me.status, 200) << me.body;
  const Json m = me.json();
  EXPECT_EQ(m["id"], id);
  EXPECT_EQ(m["email"], "ann@example.com");
  EXPECT_EQ(m["role"], "operator");
  EXPECT_EQ(m["kind"], "user");
  EXPECT_EQ(m["sessionId"], payload["sid"]);
  EXPECT_NE(m["permissions"].dump().find("workflow.execute"), std::string::npos) << me.body;
  EXPECT_EQ(m["permissions"].dump().find("user.manage"), std::string::npos) << me.body;

  // The refresh token is stored only as its hash.
  const Json session = stored_document(s.data_dir(), "sessions", payload["sid"]);
  ASSERT_FALSE(session.is_null());
  EXPECT_EQ(session.dump().find(t["refreshToken"].get<std::string>()), std::string::npos);

  // An API key caller has no session.
  HttpResult admin = s.get(kMe, s.as_admin());
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(admin.json()["kind"], "api-key");
  EXPECT_FALSE(admin.json().contains("sessionId"));
  EXPECT_EQ(s.stop(), 0);
}

// Verifying tokens on many threads at once: each verify takes and drops Poco Crypto's OpenSSL
// initialisation, which once corrupted the heap under load (the provider now holds it).
TEST(Jwt, ConcurrentBearerRequestsAllSucceedAndTheServerStaysUp) {
  WeftServer s({.env = hs_env({{"WEFT_RATE_LIMITS", "false"}})});
  make_user(s, "many@example.com", "viewer");
  const std::string access = signed_in(s, "many@example.com")["accessToken"];
  constexpr int kThreads = 8, kEach = 400;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i)
        if (s.get(kMe, bearer(access)).status == 200) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  EXPECT_EQ(s.get("/health").status, 200);
  EXPECT_EQ(s.stop(), 0) << s.process().stderr_text();
}

TEST(Jwt, ForgedAndInvalidTokensAnswer401) {
  WeftServer s({.env = hs_env()});
  make_user(s, "bob@example.com");
  const std::string real = signed_in(s, "bob@example.com")["accessToken"];
  const Json header = header_of(real), claims = payload_of(real);

  // A token forged correctly is accepted: the 401s below are for the one thing each changes.
  ASSERT_EQ(s.get(kMe, bearer(hs256(header, claims, kSecret))).status, 200);

  auto expect_401 = [&](const std::string& token, const std::string& what, const std::string& reason) {
    HttpResult r = s.get(kMe, bearer(token));
    expect_problem(r, 401, "unauthorized");
    EXPECT_NE(r.body.find(reason), std::string::npos) << what << ": " << r.body;
    EXPECT_EQ(r.body.find(token), std::string::npos) << "a token is never echoed";
  };
  Json none_header = header;
  none_header["alg"] = "none";
  expect_401(b64url(none_header.dump()) + "." + b64url(claims.dump()) + ".", "alg none", "algorithm");
  Json hs512 = header;
  hs512["alg"] = "HS512";
  expect_401(hs256(hs512, claims, kSecret), "another algorithm", "algorithm");

  Json c = claims;
  c["exp"] = now_s() - 60;
  expect_401(hs256(header, c, kSecret), "expired", "expired");
  c = claims;
  c["nbf"] = now_s() + 3600;
  expect_401(hs256(header, c, kSecret), "not yet valid", "not yet valid");
  c = claims;
  c["iss"] = "someone-else";
  expect_401(hs256(header, c, kSecret), "wrong issuer", "issuer");
  c = claims;
  c["aud"] = "another-api";
  expect_401(hs256(header, c, kSecret), "wrong audience", "audience");
  c = claims;
  c.erase("exp");
  expect_401(hs256(header, c, kSecret), "missing exp", "expiry");
  Json other_kid = header;
  other_kid["kid"] = "not-our-key";
  expect_401(hs256(other_kid, claims, kSecret), "wrong kid", "key id");
  expect_401(hs256(header, claims, kSecret + "x"), "another secret", "signature");

  // Tampered: a longer life in the payload, the original signature.
  c = claims;
  c["exp"] = claims["exp"].get<int64_t>() + 86400;
  std::vector<std::string> p = parts(real);
  expect_401(p[0] + "." + b64url(c.dump()) + "." + p[2], "tampered payload", "signature");

  // A session that does not exist: same 401 as a revoked one.
  c = claims;
  c["sid"] = "no-such-session";
  HttpResult unknown = s.get(kMe, bearer(hs256(header, c, kSecret)));
  expect_problem(unknown, 401, "unauthorized");
  // A session of another user cannot be borrowed.
  const std::string other = make_user(s, "eve@example.com");
  c = claims;
  c["sub"] = other;
  expect_problem(s.get(kMe, bearer(hs256(header, c, kSecret))), 401, "unauthorized");
  EXPECT_EQ(s.process().stderr_text().find(real), std::string::npos) << "a token is never logged";
  EXPECT_EQ(s.stop(), 0);
}

// Runs `command` in a shell; fails the test with its output when it exits non-zero.
void shell(const std::string& command, const std::string& cwd) {
  Process p("/bin/sh", {"-c", command + " 2>&1"}, {}, cwd);
  auto code = p.wait(std::chrono::seconds(60));
  ASSERT_EQ(code.value_or(-1), 0) << command << ": " << p.stdout_text();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Jwt, Rs256ServerRefusesAnHs256TokenSignedWithItsPublicKey) {
  TempDir keys;
  ASSERT_NO_FATAL_FAILURE(shell("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out private.pem && "
                                "openssl pkey -in private.pem -pubout -out public.pem",
                                keys.path()));
  WeftServer s({.env = {{"WEFT_JWT_ALGORITHM", "RS256"},
                        {"WEFT_JWT_PRIVATE_KEY_FILE", keys / "private.pem"},
                        {"WEFT_JWT_PUBLIC_KEY_FILE", keys / "public.pem"},
                        {"WEFT_RATE_LIMIT_AUTH_ADDRESS_BURST", "1000"}}});
  make_user(s, "rsa@example.com");
  const std::string real = signed_in(s, "rsa@example.com")["accessToken"];
  Json header = header_of(real);
  EXPECT_EQ(header["alg"], "RS256");
  ASSERT_EQ(s.get(kMe, bearer(real)).status, 200);

  // The classic confusion: HS256 with the (public) RSA key as the HMAC secret.
  header["alg"] = "HS256";
  const std::string confused = hs256(header, payload_of(real), read_file(keys / "public.pem"));
  HttpResult r = s.get(kMe, bearer(confused));
  expect_problem(r, 401, "unauthorized");
  EXPECT_NE(r.body.find("algorithm"), std::string::npos) << r.body;
  EXPECT_EQ(s.stop(), 0);
}

TEST(Jwt, Es256ServerSignsAndVerifiesAndRefusesOtherAlgorithms) {
  TempDir keys;
  ASSERT_NO_FATAL_FAILURE(shell("openssl ecparam -name prime256v1 -genkey -noout -out private.pem && "
                                "openssl ec -in private.pem -pubout -out public.pem",
                                keys.path()));
  WeftServer s({.env = {{"WEFT_JWT_ALGORITHM", "ES256"},
                        {"WEFT_JWT_PRIVATE_KEY_FILE", keys / "private.pem"},
                        {"WEFT_RATE_LIMIT_AUTH_ADDRESS_BURST", "1000"}}});
  make_user(s, "ec@example.com");
  const std::string real = signed_in(s, "ec@example.com")["accessToken"];
  Json header = header_of(real);
  EXPECT_EQ(header["alg"], "ES256");
  EXPECT_EQ(b64url_decode(parts(real).at(2)).size(), 64u) << "JOSE's R || S, not DER";
  ASSERT_EQ(s.get(kMe, bearer(real)).status, 200);
  header["alg"] = "HS256";
  expect_problem(s.get(kMe, bearer(hs256(header, payload_of(real), read_file(keys / "public.pem")))), 401,
                 "unauthorized");
  EXPECT_EQ(s.stop(), 0);
}

TEST(Jwt, ShortHmacSecretRefusesToStart) {
  ProcessResult r = run_weft({"serve", "--port", "0", "--data", "data"},
                             {{"WEFT_JWT_SECRET", "only-16-bytes!!"}});
  EXPECT_NE(r.exit_code, 0);
  // One line says why, naming the key; the secret is quoted nowhere.
  std::string reason;
  std::stringstream lines(r.err);
  for (std::string line; std::getline(lines, line);)
    if (line.find("auth.jwt") != std::string::npos) reason = line;
  EXPECT_NE(reason.find("32 bytes"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find("only-16-bytes"), std::string::npos) << "the secret is not quoted: " << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
}

TEST(Jwt, WithoutASecretAKeyFileIsCreatedOnceWithMode0600) {
  TempDir data;
  std::string first;
  {
    WeftServer s({.data_dir = data.path(), .env = {{"WEFT_RATE_LIMIT_AUTH_ADDRESS_BURST", "1000"}}});
    make_user(s, "file@example.com");
    first = signed_in(s, "file@example.com")["accessToken"];
    EXPECT_EQ(s.stop(), 0);
  }
  struct stat st {};
  ASSERT_EQ(::stat((data / "jwt.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A restart keeps the key: the token issued before still verifies.
  WeftServer again({.data_dir = data.path()});
  EXPECT_EQ(again.get(kMe, bearer(first)).status, 200);
  EXPECT_EQ(again.stop(), 0);
}

TEST(Jwt, RefreshRotatesAndReuseRevokesTheFamily) {
  WeftServer s({.env = hs_env()});
  make_user(s, "rot@example.com");
  const Json first = signed_in(s, "rot@example.com");

  HttpResult r1 = s.post_json(kRefresh, {{"refreshToken", first["refreshToken"]}});
  ASSERT_EQ(r1.status, 200) << r1.body;
  const Json second = r1.json();
  EXPECT_NE(second["refreshToken"], first["refreshToken"]);
  EXPECT_NE(payload_of(second["accessToken"])["sid"], payload_of(first["accessToken"])["sid"]);
  ASSERT_EQ(s.get(kMe, bearer(second["accessToken"])).status, 200);
  // The rotated session's access token lives until it expires.
  EXPECT_EQ(s.get(kMe, bearer(first["accessToken"])).status, 200);

  HttpResult r2 = s.post_json(kRefresh, {{"refreshToken", second["refreshToken"]}});
  ASSERT_EQ(r2.status, 200) << r2.body;
  const Json third = r2.json();

  // The first token again: reuse. 401, and the whole family is revoked.
  expect_problem(s.post_json(kRefresh, {{"refreshToken", first["refreshToken"]}}), 401, "unauthorized");
  expect_problem(s.post_json(kRefresh, {{"refreshToken", third["refreshToken"]}}), 401, "unauthorized");
  expect_problem(s.get(kMe, bearer(third["accessToken"])), 401, "unauthorized");
  expect_problem(s.get(kMe, bearer(first["accessToken"])), 401, "unauthorized");

  HttpResult audit = s.get("/api/v1/audit?action=auth.refresh_reuse", s.as_admin());
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.json()["items"].size(), 1u) << audit.body;

  // Malformed and unknown tokens.
  expect_problem(s.post_json(kRefresh, {{"refreshToken", "nope"}}), 401, "unauthorized");
  expect_problem(s.post_json(kRefresh, Json::object()), 422, "validation");
  EXPECT_EQ(s.stop(), 0);
}

void logout_revokes_at_once(WeftServer& s) {
  make_user(s, "out@example.com");
  const Json t = signed_in(s, "out@example.com");
  const Json other = signed_in(s, "out@example.com");  // another login of the same user
  ASSERT_EQ(s.get(kMe, bearer(t["accessToken"])).status, 200);
  HttpResult out = s.request("POST", kLogout, "", bearer(t["accessToken"]));
  ASSERT_EQ(out.status, 204) << out.body;
  expect_problem(s.get(kMe, bearer(t["accessToken"])), 401, "unauthorized");
  expect_problem(s.post_json(kRefresh, {{"refreshToken", t["refreshToken"]}}), 401, "unauthorized");
  EXPECT_EQ(s.get(kMe, bearer(other["accessToken"])).status, 200) << "other sessions live on";
  expect_problem(s.request("POST", kLogout, "", bearer(t["accessToken"])), 401, "unauthorized");
}

TEST(Jwt, LogoutRevokesTheSessionAtOnce) {
  WeftServer s({.env = hs_env()});
  logout_revokes_at_once(s);
  EXPECT_EQ(s.stop(), 0);
}

TEST(Jwt, LogoutRevokesTheSessionAtOnceThroughTheDualCache) {
  WeftServer s({.env = hs_env({{"WEFT_STORAGE_BACKEND", "dual"}})});
  ASSERT_EQ(s.get("/api/v1/admin/storage", s.as_admin()).json()["backend"], "dual");
  logout_revokes_at_once(s);
  EXPECT_EQ(s.stop(), 0);
}

TEST(Jwt, DisablingAUserRejectsItsTokenOnTheNextRequest) {
  WeftServer s({.env = hs_env()});
  const std::string id = make_user(s, "gone@example.com");
  const std::string access = signed_in(s, "gone@example.com")["accessToken"];
  ASSERT_EQ(s.get(kMe, bearer(access)).status, 200);
  ASSERT_EQ(s.send_json("PATCH", "/api/v1/users/" + id, {{"disabled", true}}, s.as_admin()).status, 200);
  expect_problem(s.get(kMe, bearer(access)), 401, "unauthorized");
  EXPECT_EQ(login(s, "gone@example.com").status, 401);
  EXPECT_EQ(s.stop(), 0);
}

TEST(Jwt, FailedLoginsAnswerOne401AndAreThrottledPerAccount) {
  WeftServer s({.env = hs_env()});
  const std::string id = make_user(s, "ted@example.com");
  make_user(s, "una@example.com");

  HttpResult unknown = login(s, "nobody@example.com", "whatever password");
  HttpResult wrong = login(s, "ted@example.com", "wrong password!!");
  expect_problem(unknown, 401, "unauthorized");
  expect_problem(wrong, 401, "unauthorized");
  EXPECT_EQ(unknown.json(), wrong.json()) << "an unknown e-mail and a wrong password look alike";

  for (int i = 2; i <= 5; ++i) expect_problem(login(s, "ted@example.com", "wrong password!!"), 401, "unauthorized");
  // The sixth attempt is refused before the password is looked at, even the right one.
  HttpResult sixth = login(s, "TED@example.com");
  EXPECT_EQ(sixth.status, 429) << sixth.body;
  const int retry = std::stoi(sixth.header("Retry-After").empty() ? "0" : sixth.header("Retry-After"));
  EXPECT_GT(retry, 800);
  EXPECT_LE(retry, 900);
  // Another account is not affected.
  EXPECT_EQ(login(s, "una@example.com").status, 200);

  // The audit log holds the failures (never the password) and the success.
  HttpResult audit = s.get("/api/v1/audit?action=auth.login&limit=100", s.as_admin());
  ASSERT_EQ(audit.status, 200) << audit.body;
  int failures = 0, successes = 0;
  const Json events = audit.json();
  for (const auto& e : events["items"]) {
    if (e["outcome"] == "failure") ++failures;
    if (e["outcome"] == "success") ++successes;
  }
  EXPECT_EQ(failures, 7) << audit.body;  // unknown, 5 wrong, 1 throttled
  EXPECT_EQ(successes, 1) << audit.body;
  EXPECT_NE(audit.body.find("nobody@example.com"), std::string::npos);
  EXPECT_NE(audit.body.find(id), std::string::npos);
  EXPECT_EQ(audit.body.find("wrong password"), std::string::npos);
  EXPECT_EQ(audit.body.find(kPassword), std::string::npos);
  EXPECT_EQ(s.stop(), 0);
}

TEST(Jwt, LoginIsRateLimitedPerAddress) {
  // The default `auth` group: a burst of 10 per address and one more a second, whatever the
  // accounts (each attempt costs a password hash, so a few refill meanwhile).
  WeftServer s({.env = {{"WEFT_JWT_SECRET", kSecret}}});
  HttpResult limited;
  int attempts = 0;
  while (attempts < 40 && limited.status != 429) {
    limited = login(s, "nobody" + std::to_string(attempts) + "@example.com");
    ++attempts;
    if (limited.status != 429) expect_problem(limited, 401, "unauthorized");
  }
  EXPECT_GT(attempts, 10);
  EXPECT_LT(attempts, 40);
  expect_problem(limited, 429, "rate-limited");
  EXPECT_FALSE(limited.header("Retry-After").empty());
  EXPECT_FALSE(limited.header("RateLimit-Policy").empty());
  // Other route groups are not affected.
  EXPECT_EQ(s.get(kMe, s.as_admin()).status, 200);
  EXPECT_EQ(s.stop(), 0);
}

TEST(Jwt, LoginRejectsMalformedBodies) {
  WeftServer s({.env = hs_env()});
  expect_problem(s.post_json(kLogin, {{"email", "a@b.c"}}), 422, "validation");
  expect_problem(s.post_json(kLogin, {{"email", "a@b.c"}, {"password", "x"}, {"role", "admin"}}), 422, "validation");
  expect_problem(s.post_json(kLogin, {{"email", 5}, {"password", "x"}}), 422, "validation");
  // Cookie sessions are off unless auth.sessionCookie says otherwise.
  expect_problem(s.post_json(kLogin, {{"email", "a@b.c"}, {"password", "x"}, {"cookie", true}}), 422, "validation");
  EXPECT_EQ(s.stop(), 0);
}

}  // namespace
}  // namespace weft::test
