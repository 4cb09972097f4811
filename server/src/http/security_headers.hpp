// Headers every response carries, whatever produced it (handler, problem, limit refusal).
#pragma once

#include "http/response.hpp"

namespace weft::http {

// Sets X-Content-Type-Options: nosniff, Content-Security-Policy: frame-ancestors 'none',
// Referrer-Policy: no-referrer, and Cache-Control: no-store unless the handler chose a cache
// policy; adds charset=utf-8 to a JSON content type that lacks a charset.
void apply_security_headers(Response& response);

}  // namespace weft::http
