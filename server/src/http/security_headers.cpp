#include "http/security_headers.hpp"

#include "http/json_body.hpp"

#include <atomic>

namespace weft::http {

namespace {
std::atomic<bool> g_hsts{false};
}  // namespace

void set_strict_transport_security(bool enabled) { g_hsts.store(enabled); }

void apply_security_headers(Response& response) {
  if (g_hsts.load(std::memory_order_relaxed))
    response.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Content-Security-Policy", "frame-ancestors 'none'");
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set_default("Cache-Control", "no-store");
  if (auto type = response.headers.get("Content-Type");
      type && is_json_content_type(*type) && type->find("charset") == std::string::npos)
    response.headers.set("Content-Type", *type + "; charset=utf-8");
}

}  // namespace weft::http
