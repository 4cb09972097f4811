#include "http/response.hpp"

namespace weft::http {

Response Response::json(int status, const Json& body) {
  return text(status, body.dump(-1, ' ', false, Json::error_handler_t::replace), kJsonContentType);
}

Response Response::problem(const Problem& problem) {
  Response r = text(problem.status, problem.to_json().dump(-1, ' ', false, Json::error_handler_t::replace),
                    std::string(kProblemContentType) + "; charset=utf-8");
  if (problem.retry_after_seconds) r.headers.set("Retry-After", std::to_string(*problem.retry_after_seconds));
  return r;
}

Response Response::problem(const Status& status, int invalid_status) {
  return problem(problem_from_status(status, invalid_status));
}

Response Response::bad_request(std::string detail) {
  return problem(Problem::of(400, std::move(detail)));
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.set("Content-Type", std::move(content_type));
  return r;
}

}  // namespace weft::http
