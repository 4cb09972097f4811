#include "http/security_headers.hpp"

#include "http/json_body.hpp"

namespace weft::http {

void apply_security_headers(Response& response) {
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Content-Security-Policy", "frame-ancestors 'none'");
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set_default("Cache-Control", "no-store");
  if (auto type = response.headers.get("Content-Type");
      type && is_json_content_type(*type) && type->find("charset") == std::string::npos)
    response.headers.set("Content-Type", *type + "; charset=utf-8");
}

}  // namespace weft::http
