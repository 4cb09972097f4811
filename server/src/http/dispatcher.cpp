#include "http/dispatcher.hpp"

#include "auth/csrf.hpp"
#include "http/json_body.hpp"
#include "http/request_id.hpp"
#include "http/security_headers.hpp"
#include "http/url_encoding.hpp"
#include "logging/log_context.hpp"
#include "logging/logger.hpp"

#include <algorithm>
#include <cctype>

namespace weft::http {

namespace {

// A body this small that a refused request still carries is read and dropped, so the
// connection can stay open; a larger one closes it.
constexpr uint64_t kDrainLimit = 64 * 1024;

struct Framing {
  BodyFraming kind = BodyFraming::kNone;
  uint64_t length = 0;
  std::string error;  // non-empty: the framing headers are unacceptable (400)
};

Framing framing_of(const HeaderList& headers) {
  Framing f;
  auto te = headers.all("Transfer-Encoding");
  auto cl = headers.all("Content-Length");
  if (!te.empty()) {
    if (!cl.empty()) {
      f.error = "the request has both Transfer-Encoding and Content-Length";
      return f;
    }
    if (te.size() != 1 || !equals_ignore_case(te[0], "chunked")) {
      f.error = "Transfer-Encoding must be chunked (no other coding is accepted)";
      return f;
    }
    f.kind = BodyFraming::kChunked;
    return f;
  }
  if (cl.empty()) return f;
  for (const auto& v : cl) {
    if (v != cl[0] || v.empty() || v.size() > 18 ||
        !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      f.error = "the Content-Length header is not a single non-negative integer";
      return f;
    }
  }
  f.length = std::stoull(cl[0]);
  f.kind = f.length == 0 ? BodyFraming::kNone : BodyFraming::kLength;
  return f;
}

// Splits the request-target into path and query; accepts origin-form ("/a?b") and
// absolute-form ("http://host/a?b").
bool split_target(const std::string& target, std::string& path, std::string& query) {
  std::string_view t = target;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (t.size() > scheme.size() && equals_ignore_case(t.substr(0, scheme.size()), scheme)) {
      t.remove_prefix(scheme.size());
      size_t slash = t.find('/');
      t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
      break;
    }
  }
  if (t.empty() || t[0] != '/') return false;
  size_t q = t.find('?');
  path = std::string(t.substr(0, q));
  query = q == std::string_view::npos ? std::string() : std::string(t.substr(q + 1));
  if (size_t hash = query.find('#'); hash != std::string::npos) query.resize(hash);
  return true;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

auth::AuthRequest auth_request_of(const Request& request) {
  auth::AuthRequest a;
  a.method = request.method;
  a.path = request.path;
  a.remote_address = request.remote_address;
  for (const auto& [name, value] : request.headers.fields()) a.headers.emplace(lower(name), value);
  return a;
}

// 403 naming the permission and why the caller lacks it (its role, or its credential's scopes).
Problem permission_denied(const auth::Principal& p, security::Permission needed) {
  const std::string name(security::permission_name(needed));
  if (security::role_permissions(p.role).has(needed))
    return Problem::of(403, "this operation needs " + name + ", which the credential's scopes leave out");
  return Problem::of(403, "this operation needs " + name + ", which role '" + p.role + "' does not grant");
}

Response with_instance(Problem p, const std::string& path) {
  p.instance = path;
  return Response::problem(p);
}

}  // namespace

Dispatcher::Dispatcher(const Router& router, const auth::AuthChain& auth, size_t max_body_bytes,
                       RateLimitOptions limits, RateLimiter::Clock clock)
    : router_(router),
      auth_(auth),
      max_body_bytes_(max_body_bytes),
      limits_(std::make_unique<RateLimitGate>(std::move(limits), std::move(clock))) {}

Exchange Dispatcher::answer(Request& request, Response response, bool body_consumed) const {
  Exchange ex;
  ex.request_id = request.request_id;
  ex.route = request.route;
  ex.path = request.path;
  if (request.principal) ex.principal_id = request.principal->id;
  ex.head_only = request.method == "HEAD";
  ex.body_consumed = body_consumed;
  response.headers.set("X-Request-Id", request.request_id);
  apply_security_headers(response);
  if (!body_consumed) response.close = true;
  ex.response = std::move(response);
  return ex;
}

Exchange Dispatcher::refuse_head(const HeadOutcome& outcome) {
  int status = 400;
  switch (outcome.kind) {
    case HeadOutcome::Kind::kTooLarge: status = 431; break;
    case HeadOutcome::Kind::kUriTooLong: status = 414; break;
    case HeadOutcome::Kind::kTimeout: status = 408; break;
    default: break;
  }
  Exchange ex;
  ex.request_id = choose_request_id(std::nullopt);
  ex.body_consumed = false;
  ex.response = Response::problem(Problem::of(status, outcome.detail));
  ex.response.headers.set("X-Request-Id", ex.request_id);
  ex.response.close = true;
  apply_security_headers(ex.response);
  return ex;
}

Response Dispatcher::run_handler(const Route& route, Request& request) const {
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    logging::error("http", "the handler failed", {{"method", request.method}, {"route", request.route}, {"error", e.what()}});
  } catch (...) {
    logging::error("http", "the handler failed with an unknown exception",
                   {{"method", request.method}, {"route", request.route}});
  }
  return with_instance(problem_from_status(Status::internal("")), request.path);
}

Exchange Dispatcher::dispatch(const RequestHead& head, ByteSource& body, const std::string& remote_address,
                              const std::function<void()>& send_continue) const {
  std::vector<LimitCheck> checks;
  Exchange ex = dispatch_checked(head, body, remote_address, send_continue, checks);
  apply_rate_limit_headers(checks, ex.response);
  if (observer_)
    for (const auto& c : checks)
      if (!c.decision.allowed) observer_->rate_limited(c.policy);
  return ex;
}

Exchange Dispatcher::dispatch_checked(const RequestHead& head, ByteSource& body, const std::string& remote_address,
                                      const std::function<void()>& send_continue,
                                      std::vector<LimitCheck>& checks) const {
  Request request;
  request.method = head.method;
  request.target = head.target;
  request.headers = head.headers;
  request.remote_address = remote_address;
  request.request_id = choose_request_id(head.headers.get("X-Request-Id"));
  // Every line written while this request is served carries its id.
  logging::ScopedRequestId log_context(request.request_id);

  Framing framing = framing_of(head.headers);
  if (!framing.error.empty()) return answer(request, Response::bad_request(framing.error), false);
  const bool has_body = framing.kind != BodyFraming::kNone;
  const bool expects_continue = head.headers.has_token("Expect", "100-continue");

  // Answers before the body is read: drop a small body so the connection can stay open.
  auto refuse = [&](Response response) {
    bool consumed = !has_body;
    if (framing.kind == BodyFraming::kLength && framing.length <= kDrainLimit && !expects_continue) {
      std::string dropped;
      consumed = read_body(body, framing.kind, framing.length, kDrainLimit, dropped).kind ==
                 BodyOutcome::Kind::kComplete;
    }
    return answer(request, std::move(response), consumed);
  };

  if (!split_target(head.target, request.path, request.query_string))
    return refuse(Response::bad_request("the request target must be a path starting with '/'"));
  // A declared body over the server-wide limit can never be accepted, whatever the route: say
  // so at once, before the client sends it (and before routing or authentication cost anything).
  if (framing.kind == BodyFraming::kLength && framing.length > max_body_bytes_) {
    Response r = with_instance(Problem::of(413, "the request body of " + std::to_string(framing.length) +
                                                    " bytes is larger than the limit of " +
                                                    std::to_string(max_body_bytes_) + " bytes"),
                               request.path);
    return answer(request, std::move(r), false);
  }
  Router::Match match = router_.match(request.method, request.path);
  switch (match.kind) {
    case Router::Match::Kind::kBadPath:
      return refuse(Response::bad_request("the request path holds a malformed percent-escape"));
    case Router::Match::Kind::kNotFound:
      return refuse(with_instance(Problem::of(404, "no resource at this path"), request.path));
    case Router::Match::Kind::kMethodNotAllowed: {
      std::string allow;
      for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
      Response r = with_instance(Problem::of(405, "this resource answers " + allow), request.path);
      r.headers.set("Allow", allow);
      return refuse(std::move(r));
    }
    case Router::Match::Kind::kFound: break;
  }
  const Route& route = *match.route;
  request.route = route.path.text();
  request.path_params = std::move(match.params);
  auto query = parse_query(request.query_string);
  if (!query) return refuse(Response::bad_request("the query string holds a malformed percent-escape"));
  request.query_params = std::move(*query);

  // Rate limits: the address bucket before auth, so that a flood (of bad keys too) is refused
  // without a credential check; the principal bucket once the principal is known.
  auto limit = [&](std::optional<LimitCheck> check) {
    if (!check) return true;
    checks.push_back(std::move(*check));
    return checks.back().decision.allowed;
  };
  if (!limit(limits_->check_address(route.spec.limit_group, request.remote_address)))
    return refuse(rate_limited(checks.back(), request.path));

  if (!route.spec.is_public) {
    std::optional<auth::AuthOutcome> outcome;
    try {
      outcome = auth_.authenticate(auth_request_of(request));
    } catch (const auth::AuthUnavailable& e) {
      logging::warn("auth", e.what());
      return refuse(with_instance(
          problem_from_status(Status::unavailable("credentials cannot be checked right now; retry later")),
          request.path));
    } catch (const std::exception& e) {
      logging::error("auth", "an auth provider failed", {{"error", e.what()}});
      return refuse(with_instance(problem_from_status(Status::internal("")), request.path));
    }
    if (!outcome->is_accepted()) {
      std::string detail = outcome->kind() == auth::AuthOutcome::Kind::kRejected && !outcome->reason().empty()
                               ? "the credential was not accepted: " + outcome->reason()
                               : "this resource needs a credential (an API key or a session)";
      Response r = with_instance(Problem::of(401, detail), request.path);
      r.headers.set("WWW-Authenticate", auth_.challenge());
      return refuse(std::move(r));
    }
    request.principal = outcome->principal();
    // A session cookie rides along on any request a browser makes: unsafe ones must prove
    // they come from weft's own page (auth/csrf.hpp).
    if (auto csrf = auth::check_csrf(request)) return refuse(Response::problem(*csrf));
    if (!limit(limits_->check_principal(route.spec.limit_group, request.principal->id)))
      return refuse(rate_limited(checks.back(), request.path));
    if (route.spec.permission && !request.principal->can(*route.spec.permission))
      return refuse(with_instance(permission_denied(*request.principal, *route.spec.permission), request.path));
  }

  if (route.spec.body == BodyKind::kJson) {
    auto type = head.headers.get("Content-Type");
    if (!has_body)
      return refuse(with_instance(Problem::of(400, "this operation needs a JSON body"), request.path));
    if (!type || !is_json_content_type(*type))
      return refuse(with_instance(Problem::of(415, "the body must be application/json (got " +
                                                       (type ? "'" + type->substr(0, 100) + "'" : std::string("none")) + ")"),
                                  request.path));
  }

  if (has_body) {
    if (expects_continue && send_continue) send_continue();
    BodyOutcome got = read_body(body, framing.kind, framing.length, max_body_bytes_, request.body);
    switch (got.kind) {
      case BodyOutcome::Kind::kComplete: break;
      case BodyOutcome::Kind::kTooLarge:
        return answer(request, with_instance(Problem::of(413, got.detail), request.path), false);
      case BodyOutcome::Kind::kMalformed:
        return answer(request, with_instance(Problem::of(400, got.detail), request.path), false);
      case BodyOutcome::Kind::kTruncated:
        return answer(request,
                      with_instance(Problem::of(body.failure() == ByteSource::Failure::kTimeout ? 408 : 400, got.detail),
                                    request.path),
                      false);
    }
  }
  if (route.spec.body == BodyKind::kJson) {
    Problem problem;
    auto parsed = parse_json_body(request.body, problem);
    if (!parsed) {
      problem.instance = request.path;
      return answer(request, Response::problem(problem), true);
    }
    request.json = std::move(*parsed);
  }
  return answer(request, run_handler(route, request), true);
}

}  // namespace weft::http
