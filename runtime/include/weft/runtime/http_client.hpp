// The HTTP client behind the host's http_request service: one HTTP/1.1 exchange per call over
// http or https, bounded by a deadline and interruptible by cancellation at every wait.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>
#include <weft/runtime/status.hpp>

namespace weft::http {

// A header as sent or received: name and value. Order is kept, and a name may repeat.
using Header = std::pair<std::string, std::string>;

struct ClientOptions {
  // The budget of a request whose Request::timeout_ms is 0.
  uint32_t default_timeout_ms = 30000;
  // The longest wait for the TCP connection (the TLS handshake comes out of the request budget).
  uint32_t connect_timeout_ms = 10000;
  // The largest response body accepted; a larger one fails the request with kInvalid.
  size_t max_response_bytes = size_t{64} << 20;
  // Sent as User-Agent unless the request names its own; empty sends none. The runtime passes
  // "weft/" WEFT_VERSION.
  std::string user_agent = "weft";
};

struct Request {
  std::string method;  // "GET", "POST", ...: an HTTP token, sent as given
  // Absolute http:// or https:// URL. User info ("user:password@") is sent as HTTP Basic
  // credentials unless `headers` has an Authorization header; the fragment is not sent.
  std::string url;
  // Sent in order. Content-Length, Transfer-Encoding and Connection are the client's to set and
  // are ignored here; Host, User-Agent and Authorization replace the client's own.
  std::vector<Header> headers;
  std::string body;  // sent with Content-Length; POST, PUT and PATCH send "Content-Length: 0"
  uint32_t timeout_ms = 0;            // budget of the whole request; 0: ClientOptions default
  bool insecure_skip_verify = false;  // https: accept any certificate and host name (tests only)
  std::string traceparent;            // W3C trace context; sent as `traceparent` when not empty
};

struct Response {
  int status = 0;               // any status, 3xx and errors included
  std::vector<Header> headers;  // as received, in order
  std::string body;             // chunked and fixed-length bodies alike, de-framed
};

// Stateless between calls: every perform opens its own connection and closes it at the end.
// Thread-safe: perform may run concurrently on many threads.
class Client {
 public:
  explicit Client(ClientOptions options = {});

  // Performs `request` and returns the response, whatever its status; redirects are returned,
  // not followed. https verifies the peer's certificate chain against the system CA store and its
  // host name, unless request.insecure_skip_verify.
  //
  // `cancelled` (may be empty: never cancelled) is called on the calling thread before the
  // request and between short waits throughout: name lookup, connect, TLS handshake, sending,
  // waiting for and reading the response. Once it returns true, perform returns within a fraction
  // of a second, even if the server never answers. The request ends at the earlier of `deadline`
  // and its own budget (Request::timeout_ms).
  //
  // Never throws for an expected failure. Messages name at most the URL's scheme, host and port
  // and header names; never the URL's user info, path or query, nor header values. Codes:
  //   kInvalid      malformed or non-http(s) URL, invalid method or header, response body over
  //                 ClientOptions::max_response_bytes
  //   kUnavailable  name not resolved, connection refused, reset or timed out, TLS failure
  //                 (message "TLS with host:port failed: <reason>"), malformed or cut-short
  //                 response
  //   kCancelled    `cancelled` returned true
  //   kTimeout      the deadline or the request budget passed
  //   kInternal     anything else (a bug)
  Result<Response> perform(const Request& request, const std::function<bool()>& cancelled,
                           std::chrono::steady_clock::time_point deadline) const;

 private:
  ClientOptions options_;
};

}  // namespace weft::http
