// Headers every response carries, whatever produced it (handler, problem, limit refusal).
#pragma once

#include "http/response.hpp"

namespace weft::http {

// Sets X-Content-Type-Options: nosniff, Content-Security-Policy: frame-ancestors 'none',
// Referrer-Policy: no-referrer, and Cache-Control: no-store unless the handler chose a cache
// policy; adds charset=utf-8 to a JSON content type that lacks a charset.
// Adds Strict-Transport-Security: max-age=31536000; includeSubDomains when enabled by
// set_strict_transport_security.
void apply_security_headers(Response& response);

// server.hsts: whether every response carries Strict-Transport-Security. weft has no TLS
// listener; turn it on only behind a TLS-terminating proxy. Set once at start.
void set_strict_transport_security(bool enabled);

}  // namespace weft::http
