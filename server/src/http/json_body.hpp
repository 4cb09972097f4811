// Parsing a request body as JSON, with the position of the first error and a nesting bound.
#pragma once

#include "http/problem.hpp"

#include <weft/runtime/json.hpp>

#include <optional>
#include <string_view>

namespace weft::http {

// Arrays and objects nested deeper than this are refused (400), before they cost stack.
inline constexpr int kMaxJsonDepth = 128;

// The parsed document, or nullopt with `problem` set to a 400 whose detail names line and
// column (also as the extension members "line" and "column").
std::optional<Json> parse_json_body(std::string_view body, Problem& problem);

// True when `content_type` is application/json or any `+json` type (parameters ignored).
bool is_json_content_type(std::string_view content_type);

}  // namespace weft::http
