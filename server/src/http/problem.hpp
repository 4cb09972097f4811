// Problem documents (RFC 9457, `application/problem+json`): how every HTTP error of weft is
// answered. `type` is a stable URI per kind of problem ("urn:weft:problem:not-found"); `title`
// is the fixed text of that kind; `detail` explains this occurrence. Never put a secret, a
// credential or an internal exception text into a problem: detail comes from expected
// failures (Status messages written for users) or is generic.
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <optional>
#include <string>

namespace weft::http {

inline constexpr const char* kProblemContentType = "application/problem+json";
// Every problem type is this prefix followed by a slug ("not-found", "validation", ...).
inline constexpr const char* kProblemTypePrefix = "urn:weft:problem:";

struct Problem {
  int status = 500;
  std::string type;    // kProblemTypePrefix + slug
  std::string title;   // fixed per type
  std::string detail;  // this occurrence; may be empty
  std::string instance;  // the request path, when known
  Json extensions = Json::object();  // extra members, e.g. "errors" of a validation report
  // Seconds for a Retry-After header (503, 429), when set.
  std::optional<int> retry_after_seconds;

  // The problem of HTTP status `status` with its default type and title.
  static Problem of(int status, std::string detail = {});
  // A problem of a type of its own (slug without the prefix), e.g. ("content-too-large", 413).
  static Problem typed(int status, std::string_view slug, std::string title, std::string detail);

  // Adds an extension member; the standard members cannot be overwritten this way.
  Problem& with(std::string key, Json value);

  // The JSON document: type, title, status, detail (when set), instance (when set), then the
  // extension members.
  Json to_json() const;
};

// The HTTP status of a weft::Code, decided here only: invalid 422, not found 404, conflict
// 409, unavailable 503, cancelled 409, timeout 504, unsupported 501, node failure 502,
// internal 500.
int http_status_of(Code code);

// The problem for a failed Status. Its message becomes the detail, except for kInternal, whose
// message may hold internals and is replaced by a generic text (log it instead). kUnavailable
// carries Retry-After. `invalid_status` lets a caller answer kInvalid with 400 (malformed
// request) instead of 422 (a well-formed request that fails validation).
Problem problem_from_status(const Status& status, int invalid_status = 422);

// The reason phrase of an HTTP status ("Not Found"); "Unknown" for codes weft never sends.
const char* reason_phrase(int status);

}  // namespace weft::http
