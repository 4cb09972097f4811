// /api/v1/auth: signing in with a password and keeping the session going.
//
// login checks the password (weft.password), starts a session (a refresh token of 32 random
// bytes, stored only as its SHA-256) and answers a short-lived access token (weft.jwt) bound to
// it. refresh exchanges a refresh token for a new pair, once: the old token is marked rotated,
// and presenting a rotated token again revokes the whole family (someone holds a stolen copy).
// logout revokes the family; its access tokens stop working on the next request (the claim
// resolver checks the session every time). With auth.sessionCookie, login can put the tokens
// in __Host- cookies instead of the body; unsafe requests then need the CSRF token (auth/csrf.hpp).
//
// Unknown e-mail, wrong password and disabled user answer the same 401, after the same hashing
// work. Failed logins are throttled per account (auth/login_throttle.hpp) and per address (the
// `auth` rate-limit group).
#include "api/api_routes.hpp"
#include "auth/csrf.hpp"
#include "auth/jwt_keys.hpp"
#include "auth/login_throttle.hpp"
#include "credentials/vault_crypto.hpp"
#include "services.hpp"

#include <weft/runtime/wall_clock.hpp>

#include <openssl/evp.h>

#include <cctype>
#include <memory>
#include <mutex>

namespace weft::api {

namespace {

using http::Request;
using http::Response;

constexpr int kMaxFailedLogins = 5;
constexpr int64_t kFailedLoginWindowMs = 15 * 60 * 1000;
constexpr size_t kMaxThrottledAccounts = 50000;
constexpr size_t kMaxEmailBytes = 320;
constexpr const char* kBadLogin = "the e-mail address or the password is wrong";
constexpr const char* kBadRefresh = "the refresh token is unknown, expired or revoked";

// What the auth routes share across requests.
struct AuthState {
  auth::LoginThrottle throttle{kMaxFailedLogins, kFailedLoginWindowMs, kMaxThrottledAccounts, now_ms};
  std::once_flag dummy_once;
  // A real argon2id hash of a random password: an unknown e-mail is verified against it so
  // that it costs as much time as a known one.
  std::string dummy_hash;
};

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return credentials::to_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_refresh_token(std::string_view t) {
  if (t.size() != 43) return false;  // base64url of 32 bytes
  for (char c : t)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

// Records an audit event by `actor` (a user id; empty: anonymous) for `r`.
void audit(const ApiContext& ctx, const Request& r, const std::string& actor, std::string action,
           std::string object_type, std::string object_id, Json detail = Json::object(),
           std::string outcome = "success") {
  ctx.services->audit().record_as(r, actor, std::move(action), std::move(object_type), std::move(object_id),
                                  std::move(detail), std::move(outcome));
}

Response unauthorized(const std::string& detail, const Request& r) {
  http::Problem p = http::Problem::of(401, detail);
  p.instance = r.path;
  return Response::problem(p);
}

std::string cookie(std::string_view name, std::string_view value, int64_t max_age, bool http_only) {
  return std::string(name) + "=" + std::string(value) + "; Path=/; Max-Age=" + std::to_string(max_age) +
         "; Secure" + (http_only ? "; HttpOnly" : "") + "; SameSite=Strict";
}

void clear_cookies(Response& out) {
  out.headers.add("Set-Cookie", cookie(auth::kSessionCookie, "", 0, true));
  out.headers.add("Set-Cookie", cookie(auth::kRefreshCookie, "", 0, true));
  out.headers.add("Set-Cookie", cookie(auth::kCsrfCookie, "", 0, false));
}

// The answer of login and refresh for `session`: a fresh access token, and the refresh token;
// in the body, or (as_cookies) in __Host- cookies with the CSRF token in the body.
Response tokens_response(const ApiContext& ctx, const SessionRecord& session, const std::string& refresh_token,
                         bool as_cookies) {
  const auto& settings = ctx.services->jwt_settings();
  auto issued = ctx.services->jwt_plugin()->invoke({{"op", "issue"},
                                                    {"userId", session.user_id},
                                                    {"sessionId", session.id},
                                                    {"ttlSeconds", settings.access_ttl_seconds}});
  if (!issued) return Response::problem(Status::internal("weft.jwt could not issue a token: " + issued.status().message()));
  const std::string access = (*issued)["token"].get<std::string>();
  Json body = {{"tokenType", "Bearer"}, {"expiresIn", settings.access_ttl_seconds}};
  if (!as_cookies) {
    body["accessToken"] = access;
    body["refreshToken"] = refresh_token;
    return Response::json(body);
  }
  // The tokens stay out of the body: a script on the page cannot read them.
  const std::string csrf = auth::csrf_token_for(session.id);
  body["csrfToken"] = csrf;
  Response out = Response::json(body);
  out.headers.add("Set-Cookie", cookie(auth::kSessionCookie, access, settings.access_ttl_seconds, true));
  out.headers.add("Set-Cookie", cookie(auth::kRefreshCookie, refresh_token, settings.refresh_ttl_seconds, true));
  out.headers.add("Set-Cookie", cookie(auth::kCsrfCookie, csrf, settings.refresh_ttl_seconds, false));
  return out;
}

// A new refresh token: 32 random bytes, base64url.
Result<std::string> new_refresh_token() {
  auto bytes = credentials::random_bytes(32);
  if (!bytes) return bytes.status();
  return auth::base64url(*bytes);
}

std::optional<Response> require_sign_in(const ApiContext& ctx) {
  if (!ctx.services->jwt_plugin() || !ctx.services->password_plugin())
    return Response::problem(http::Problem::of(
        501, "sign-in is not configured: auth.providers must list weft.jwt and weft.password"));
  return std::nullopt;
}

// The optional JSON object body of a route that takes one or none; kInvalid when it is not
// an object, holds a field outside `allowed`, or a field of the wrong type.
Result<Json> optional_body(const Request& r, std::initializer_list<const char*> allowed) {
  if (r.body.empty()) return Json::object();
  Json body = Json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return Status::invalid("the body must be a JSON object");
  for (const auto& [field, value] : body.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || field == a;
    if (!known) return Status::invalid("field '" + field.substr(0, 64) + "' is not accepted");
    if (!value.is_string()) return Status::invalid(field + " must be a string");
  }
  return body;
}

Response login(const ApiContext& ctx, AuthState& state, Request& r) {
  if (auto refused = require_sign_in(ctx)) return *refused;
  const Json& body = r.json;
  if (!body.is_object()) return Response::problem(Status::invalid("the body must be a JSON object"));
  std::string email, password;
  bool as_cookies = false;
  for (const auto& [field, value] : body.items()) {
    if (field == "email" || field == "password") {
      if (!value.is_string()) return Response::problem(Status::invalid(field + " must be a string"));
      (field == "email" ? email : password) = value.get<std::string>();
    } else if (field == "cookie") {
      if (!value.is_boolean()) return Response::problem(Status::invalid("cookie must be true or false"));
      as_cookies = value.get<bool>();
    } else {
      return Response::problem(
          Status::invalid("field '" + field.substr(0, 64) + "' is not accepted (email, password, cookie are)"));
    }
  }
  if (email.empty() || email.size() > kMaxEmailBytes)
    return Response::problem(Status::invalid("email must be a non-empty string of at most 320 bytes"));
  if (password.empty()) return Response::problem(Status::invalid("password must be a non-empty string"));
  const auto& settings = ctx.services->jwt_settings();
  if (as_cookies && !settings.session_cookie)
    return Response::problem(Status::invalid("cookie: cookie sessions are off on this server (auth.sessionCookie)"));

  const std::string account = lower(email);
  const Json who = {{"email", email}};
  if (int64_t wait_ms = state.throttle.blocked_for(account); wait_ms > 0) {
    audit(ctx, r, "", "auth.login", "user", "", {{"email", email}, {"reason", "throttled"}}, "failure");
    http::Problem p = http::Problem::typed(429, "login-throttled", "Too many failed logins",
                                           "too many failed logins for this account; retry later");
    p.instance = r.path;
    p.retry_after_seconds = static_cast<int>((wait_ms + 999) / 1000);
    return Response::problem(p);
  }

  auto user = ctx.services->users().find_by_email(email);
  if (!user && user.status().code() != Code::kNotFound) return Response::problem(user.status());
  std::call_once(state.dummy_once, [&] {
    auto random = credentials::random_bytes(24);
    if (!random) return;
    auto hashed = ctx.services->password_plugin()->invoke({{"op", "hash"}, {"password", auth::base64url(*random)}});
    if (hashed) state.dummy_hash = (*hashed)["hash"].get<std::string>();
  });
  const std::string& stored = user && !user->password_hash.empty() ? user->password_hash : state.dummy_hash;
  auto verified = ctx.services->password_plugin()->invoke({{"op", "verify"}, {"password", password}, {"hash", stored}});
  if (!verified) return Response::problem(Status::unavailable("passwords cannot be checked right now; retry later"));
  const bool ok = user && !user->disabled && (*verified)["ok"] == true;
  if (!ok) {
    state.throttle.failed(account);
    audit(ctx, r, "", "auth.login", "user", user ? user->id : "", who, "failure");
    return unauthorized(kBadLogin, r);
  }
  state.throttle.succeeded(account);

  auto refresh = new_refresh_token();
  if (!refresh) return Response::problem(refresh.status());
  auto session = ctx.services->sessions().create(
      {.user_id = user->id, .token_hash = sha256_hex(*refresh),
       .expires_at_ms = now_ms() + settings.refresh_ttl_seconds * 1000});
  if (!session) return Response::problem(session.status());
  audit(ctx, r, user->id, "auth.login", "session", session->id, {{"email", user->email}, {"cookie", as_cookies}});
  return tokens_response(ctx, *session, *refresh, as_cookies);
}

Response refresh(const ApiContext& ctx, Request& r) {
  if (auto refused = require_sign_in(ctx)) return *refused;
  auto body = optional_body(r, {"refreshToken"});
  if (!body) return Response::problem(body.status());
  std::string token;
  bool from_cookie = false;
  if (auto it = body->find("refreshToken"); it != body->end()) {
    token = it->get<std::string>();
  } else if (auto c = auth::cookie_value(r.headers, auth::kRefreshCookie)) {
    token = *c;
    from_cookie = true;
  } else {
    return Response::problem(
        Status::invalid("refreshToken is required (in the body, or the __Host-weft-refresh cookie)"));
  }
  if (!is_refresh_token(token)) return unauthorized(kBadRefresh, r);
  auto session = ctx.services->sessions().find_by_hash(sha256_hex(token));
  if (!session) {
    if (session.status().code() == Code::kNotFound) return unauthorized(kBadRefresh, r);
    return Response::problem(session.status());
  }
  const int64_t now = now_ms();
  auto reuse = [&] {
    // A token used twice: one of the two holders is not the user. End the whole login.
    auto revoked = ctx.services->sessions().revoke_family(session->family, now);
    audit(ctx, r, session->user_id, "auth.refresh_reuse", "session", session->id,
          {{"family", session->family}, {"revoked", revoked ? *revoked : 0}}, "denied");
    return unauthorized(kBadRefresh, r);
  };
  if (session->revoked_at_ms || now >= session->expires_at_ms) return unauthorized(kBadRefresh, r);
  if (session->rotated) return reuse();
  auto user = ctx.services->users().get(session->user_id);
  if (!user || user->disabled) {
    if (!user && user.status().code() != Code::kNotFound) return Response::problem(user.status());
    return unauthorized(kBadRefresh, r);
  }
  auto next_token = new_refresh_token();
  if (!next_token) return Response::problem(next_token.status());
  auto next = ctx.services->sessions().rotate(*session, sha256_hex(*next_token),
                                              now + ctx.services->jwt_settings().refresh_ttl_seconds * 1000);
  if (!next) {
    // Someone else rotated (or revoked) it between our read and our write: the same token was
    // presented twice.
    if (next.status().code() == Code::kConflict) return reuse();
    return Response::problem(next.status());
  }
  audit(ctx, r, user->id, "auth.refresh", "session", next->id, {{"previous", session->id}});
  return tokens_response(ctx, *next, *next_token, from_cookie);
}

Response logout(const ApiContext& ctx, Request& r) {
  auto body = optional_body(r, {"refreshToken"});
  if (!body) return Response::problem(body.status());
  const auth::Principal& p = *r.principal;
  std::vector<std::string> families;
  std::string session_id = p.session_id;
  if (!p.session_id.empty()) {
    auto s = ctx.services->sessions().get(p.session_id);
    if (!s) return Response::problem(s.status());
    families.push_back(s->family);
  }
  if (auto it = body->find("refreshToken"); it != body->end()) {
    const std::string token = it->get<std::string>();
    if (is_refresh_token(token)) {
      auto s = ctx.services->sessions().find_by_hash(sha256_hex(token));
      if (!s && s.status().code() != Code::kNotFound) return Response::problem(s.status());
      // Another user's token is not the caller's to end; it answers as an unknown one.
      if (s && s->user_id == p.acting_user()) {
        families.push_back(s->family);
        if (session_id.empty()) session_id = s->id;
      }
    }
  }
  if (families.empty())
    return Response::problem(
        Status::invalid("nothing to sign out: the request has no session and no refreshToken of the caller"));
  const int64_t now = now_ms();
  for (const auto& family : families) {
    auto revoked = ctx.services->sessions().revoke_family(family, now);
    if (!revoked) return Response::problem(revoked.status());
  }
  audit(ctx, r, p.acting_user(), "auth.logout", "session", session_id);
  Response out = Response::no_content();
  clear_cookies(out);
  return out;
}

Response me(const ApiContext& ctx, Request& r) {
  const auth::Principal& p = *r.principal;
  auto user = ctx.services->users().get(p.acting_user());
  if (!user) return Response::problem(user.status());
  Json body = {{"id", user->id},
               {"email", user->email},
               {"name", user->name},
               {"role", p.role},
               {"permissions", security::permission_names(p.permissions)},
               {"kind", auth::kind_name(p.kind)}};
  if (!p.session_id.empty()) body["sessionId"] = p.session_id;
  return Response::json(body);
}

void add_schemas(http::Router& router) {
  router.add_schema("LoginRequest",
                    {{"type", "object"},
                     {"required", {"email", "password"}},
                     {"additionalProperties", false},
                     {"properties",
                      {{"email", {{"type", "string"}, {"maxLength", kMaxEmailBytes}}},
                       {"password", {{"type", "string"}, {"writeOnly", true}}},
                       {"cookie",
                        {{"type", "boolean"},
                         {"description", "put the tokens in __Host- cookies (needs auth.sessionCookie)"}}}}}});
  router.add_schema(
      "SessionTokens",
      {{"type", "object"},
       {"required", {"tokenType", "expiresIn"}},
       {"properties",
        {{"accessToken", {{"type", "string"}, {"description", "a JWT; absent when the tokens went into cookies"}}},
         {"tokenType", {{"type", "string"}, {"enum", {"Bearer"}}}},
         {"expiresIn", {{"type", "integer"}, {"description", "seconds the access token is valid"}}},
         {"refreshToken", {{"type", "string"}, {"description", "single use; absent when it went into a cookie"}}},
         {"csrfToken", {{"type", "string"}, {"description", "cookie sessions only: send as X-CSRF-Token"}}}}}});
  router.add_schema("RefreshRequest",
                    {{"type", "object"},
                     {"additionalProperties", false},
                     {"properties",
                      {{"refreshToken",
                        {{"type", "string"},
                         {"writeOnly", true},
                         {"description", "omit to use the __Host-weft-refresh cookie"}}}}}});
  router.add_schema("LogoutRequest",
                    {{"type", "object"},
                     {"additionalProperties", false},
                     {"properties", {{"refreshToken", {{"type", "string"}, {"writeOnly", true}}}}}});
  router.add_schema("Me", {{"type", "object"},
                           {"required", {"id", "email", "name", "role", "permissions", "kind"}},
                           {"properties",
                            {{"id", {{"type", "string"}}},
                             {"email", {{"type", "string"}}},
                             {"name", {{"type", "string"}}},
                             {"role", {{"type", "string"}}},
                             {"permissions", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                             {"kind", {{"type", "string"}, {"enum", {"user", "api-key"}}}},
                             {"sessionId", {{"type", "string"}}}}}});
}

}  // namespace

void add_auth_routes(http::Router& router, const ApiContext& context) {
  add_schemas(router);
  auto state = std::make_shared<AuthState>();
  const std::string tag = "auth";
  router.add("POST", "/api/v1/auth/login",
             {.operation_id = "login",
              .summary = "Sign in with e-mail and password: an access token and a single-use refresh token (401 "
                         "for any wrong credential; 429 after 5 failures for the account in 15 minutes)",
              .tag = tag, .is_public = true, .body = http::BodyKind::kJson, .request_schema = "LoginRequest",
              .response_schema = "SessionTokens", .limit_group = "auth"},
             [&context, state](Request& r) { return login(context, *state, r); });
  router.add("POST", "/api/v1/auth/refresh",
             {.operation_id = "refreshSession",
              .summary = "Exchange a refresh token (body or cookie) for a new pair; a token used twice ends the "
                         "whole session",
              .tag = tag, .is_public = true, .request_schema = "RefreshRequest", .response_schema = "SessionTokens",
              .limit_group = "auth"},
             [&context](Request& r) { return refresh(context, r); });
  router.add("POST", "/api/v1/auth/logout",
             {.operation_id = "logout",
              .summary = "End the caller's session (and that of a given refreshToken); its tokens stop working at once",
              .tag = tag, .self_service = true, .request_schema = "LogoutRequest", .success_status = 204,
              .limit_group = "auth"},
             [&context](Request& r) { return logout(context, r); });
  router.add("GET", "/api/v1/auth/me",
             {.operation_id = "getMe", .summary = "Who the caller is: user, role, permissions, session", .tag = tag,
              .self_service = true, .response_schema = "Me"},
             [&context](Request& r) { return me(context, r); });
}

}  // namespace weft::api
