#include "http/problem.hpp"

namespace weft::http {

namespace {

struct Kind {
  int status;
  const char* slug;
  const char* title;
};

// The default type of each status weft answers with.
constexpr Kind kKinds[] = {
    {400, "bad-request", "The request is malformed"},
    {401, "unauthorized", "Authentication is required"},
    {403, "forbidden", "The principal may not do this"},
    {404, "not-found", "Not found"},
    {405, "method-not-allowed", "Method not allowed on this resource"},
    {406, "not-acceptable", "No acceptable representation"},
    {408, "request-timeout", "The request was not received in time"},
    {409, "conflict", "Conflict with the current state"},
    {410, "gone", "Gone"},
    {411, "length-required", "Length required"},
    {412, "precondition-failed", "Precondition failed"},
    {413, "content-too-large", "The request body is too large"},
    {414, "uri-too-long", "The request target is too long"},
    {415, "unsupported-media-type", "Unsupported media type"},
    {422, "validation", "The request is not valid"},
    {428, "precondition-required", "Precondition required"},
    {429, "too-many-requests", "Too many requests"},
    {431, "header-fields-too-large", "The request header fields are too large"},
    {500, "internal", "Internal server error"},
    {501, "not-implemented", "Not implemented"},
    {502, "node-failed", "A workflow node failed"},
    {503, "unavailable", "Service unavailable"},
    {504, "timeout", "The operation timed out"},
};

const Kind* kind_of(int status) {
  for (const auto& k : kKinds)
    if (k.status == status) return &k;
  return nullptr;
}

}  // namespace

Problem Problem::of(int status, std::string detail) {
  Problem p;
  p.status = status;
  if (const Kind* k = kind_of(status)) {
    p.type = std::string(kProblemTypePrefix) + k->slug;
    p.title = k->title;
  } else {
    p.type = std::string(kProblemTypePrefix) + "http-" + std::to_string(status);
    p.title = reason_phrase(status);
  }
  p.detail = std::move(detail);
  return p;
}

Problem Problem::typed(int status, std::string_view slug, std::string title, std::string detail) {
  Problem p;
  p.status = status;
  p.type = std::string(kProblemTypePrefix) + std::string(slug);
  p.title = std::move(title);
  p.detail = std::move(detail);
  return p;
}

Problem& Problem::with(std::string key, Json value) {
  if (key != "type" && key != "title" && key != "status" && key != "detail" && key != "instance")
    extensions[std::move(key)] = std::move(value);
  return *this;
}

Json Problem::to_json() const {
  Json j = Json::object();
  j["type"] = type;
  j["title"] = title;
  j["status"] = status;
  if (!detail.empty()) j["detail"] = detail;
  if (!instance.empty()) j["instance"] = instance;
  for (const auto& [k, v] : extensions.items()) j[k] = v;
  return j;
}

int http_status_of(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalid: return 422;
    case Code::kNotFound: return 404;
    case Code::kConflict: return 409;
    case Code::kUnavailable: return 503;
    case Code::kCancelled: return 409;
    case Code::kTimeout: return 504;
    case Code::kUnsupported: return 501;
    case Code::kNode: return 502;
    case Code::kInternal: return 500;
  }
  return 500;
}

Problem problem_from_status(const Status& status, int invalid_status) {
  int http = status.code() == Code::kInvalid ? invalid_status : http_status_of(status.code());
  if (status.code() == Code::kInternal || status.is_ok())
    return Problem::of(500, "the server failed to handle the request; the server log has the cause");
  Problem p = Problem::of(http, status.message());
  if (status.code() == Code::kCancelled)
    p = Problem::typed(409, "cancelled", "The operation was cancelled", status.message());
  if (status.code() == Code::kUnavailable) p.retry_after_seconds = 5;
  return p;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
  }
  return "Unknown";
}

}  // namespace weft::http
