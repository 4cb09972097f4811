// A response as a handler returns it. The dispatcher adds X-Request-Id, the security headers,
// Content-Length and Date, and strips the body of a HEAD request.
#pragma once

#include "http/headers.hpp"
#include "http/problem.hpp"

#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <functional>
#include <string>

namespace Poco::Net {
class StreamSocket;
}

namespace weft::http {

inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";

struct Response {
  int status = 200;
  HeaderList headers;
  std::string body;
  // Close the connection after this response (e.g. the request body was not read).
  bool close = false;
  // A 101 Switching Protocols answer: called with the connection's socket once the head is
  // sent; the socket then belongs to it and the connection's thread moves on (WebSocket /ws).
  std::function<void(const Poco::Net::StreamSocket&)> upgrade;

  // `body` as JSON (application/json; charset=utf-8). Invalid UTF-8 in strings is replaced.
  static Response json(int status, const Json& body);
  static Response json(const Json& body) { return json(200, body); }
  // A problem document (application/problem+json; charset=utf-8), with Retry-After when the
  // problem has one.
  static Response problem(const Problem& problem);
  // The problem of a failed Status (see problem_from_status).
  static Response problem(const Status& status, int invalid_status = 422);
  // 400 for a malformed request: a bad query parameter, a bad cursor.
  static Response bad_request(const Status& status) { return problem(status, 400); }
  static Response bad_request(std::string detail);
  // 204 without a body.
  static Response no_content();
  // Any other body with its content type.
  static Response text(int status, std::string body, std::string content_type);
};

}  // namespace weft::http
