// Typed reading of query parameters. Errors are kInvalid naming the parameter and what it must
// be; answer them with Response::bad_request(status).
#pragma once

#include "http/request.hpp"

#include <weft/runtime/status.hpp>

#include <cstdint>
#include <string_view>

namespace weft::http {

// The integer query parameter `name` in [min, max], or `fallback` when absent. Given more than
// once, the first value counts.
Result<int64_t> query_int(const Request& request, std::string_view name, int64_t fallback,
                          int64_t min, int64_t max);

// The boolean query parameter `name`: true/false/1/0 (a bare "?name" is true), or `fallback`.
Result<bool> query_bool(const Request& request, std::string_view name, bool fallback);

}  // namespace weft::http
