// The bytes of a response: status line, header fields, body.
#pragma once

#include "http/response.hpp"

#include <string>

namespace weft::http {

// The status line and header fields of `response` for a request of HTTP `version`, ending
// with the empty line. Adds Content-Length (except for 1xx, 204 and 304), Date, and
// Connection: close when !keep_alive (keep-alive for an HTTP/1.0 client that asked for it).
std::string response_head(const Response& response, const std::string& version, bool keep_alive);

// The current time as an HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT").
std::string http_date_now();

}  // namespace weft::http
