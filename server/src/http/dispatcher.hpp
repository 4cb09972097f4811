// One request, from its head to the response, in this order: request id; a declared
// Content-Length over server.maxBodyBytes (413, before anything else, so the client need not
// send it); routing (404/405); the route group's per-address rate limit (429, before auth so a
// flood costs no credential check); the auth chain (401) for non-public routes; the
// per-principal rate limit (429); the content type
// (415); the body, read within the limit (413 for a chunked body that crosses it, 400); the
// handler; and the headers every response carries (plus RateLimit-Policy / RateLimit when a
// rate limit applied, see rate_limit_gate.hpp). Knows nothing of sockets: the connection
// gives it the head and a ByteSource for the body.
#pragma once

#include "auth/auth_chain.hpp"
#include "http/body_reader.hpp"
#include "http/rate_limit_gate.hpp"
#include "http/request_head.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "metrics/http_observer.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace weft::tracing {
class Tracer;
}

namespace weft::http {

// One answered request.
struct Exchange {
  Response response;     // with X-Request-Id and the security headers
  std::string request_id;
  std::string route;     // the matched template; empty when no route matched
  std::string path;      // the request path without its query (for the access log when no route matched)
  std::string principal_id;   // the authenticated caller; empty: none (for the access log)
  bool head_only = false;     // a HEAD request: send the head of `response` only
  bool body_consumed = true;  // false: bytes of the request body are still unread (close)
};

class Dispatcher {
 public:
  // OWNERSHIP: borrows `router` and `auth`, which must outlive the dispatcher and stay
  // unchanged while it serves. `limits` are the rate limits (none by default); `clock` drives
  // their buckets (tests inject one).
  Dispatcher(const Router& router, const auth::AuthChain& auth, size_t max_body_bytes,
             RateLimitOptions limits = {}, RateLimiter::Clock clock = RateLimiter::steady_now);

  // Answers the request of `head`, reading its body from `body` only once the route, the
  // principal and the declared size allow it. `send_continue` is called just before the body
  // is read when the client sent "Expect: 100-continue".
  Exchange dispatch(const RequestHead& head, ByteSource& body, const std::string& remote_address,
                    const std::function<void()>& send_continue) const;

  // The response to a head that could not be read (400, 408, 414, 431), with the headers every
  // response carries.
  static Exchange refuse_head(const HeadOutcome& outcome);

  // Told of every answered request and rate-limit refusal (metrics); none when null. Set before
  // the server serves. OWNERSHIP: borrowed; must outlive the dispatcher.
  void set_observer(metrics::HttpObserver* observer) { observer_ = observer; }
  metrics::HttpObserver* observer() const { return observer_; }

  // Starts a span per request (connection.cpp); none when null. Set before the server serves.
  // OWNERSHIP: borrowed; must outlive the dispatcher.
  void set_tracer(const tracing::Tracer* tracer) { tracer_ = tracer; }
  const tracing::Tracer* tracer() const { return tracer_; }

  size_t max_body_bytes() const { return max_body_bytes_; }
  const RateLimitGate& rate_limits() const { return *limits_; }

 private:
  // dispatch() without the RateLimit headers; adds each bucket consulted to `checks`.
  Exchange dispatch_checked(const RequestHead& head, ByteSource& body, const std::string& remote_address,
                            const std::function<void()>& send_continue, std::vector<LimitCheck>& checks) const;
  Exchange answer(Request& request, Response response, bool body_consumed) const;
  Response run_handler(const Route& route, Request& request) const;

  const Router& router_;
  const auth::AuthChain& auth_;
  size_t max_body_bytes_;
  std::unique_ptr<RateLimitGate> limits_;  // thread-safe; mutable state behind a const dispatcher
  metrics::HttpObserver* observer_ = nullptr;
  const tracing::Tracer* tracer_ = nullptr;
};

}  // namespace weft::http
