// Percent-decoding of paths and query strings (RFC 3986), strict: a malformed escape is an
// error rather than passed through.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weft::http {

// Decodes %XX escapes (and '+' as a space when `plus_is_space`, for query strings); nullopt on
// a malformed escape or a decoded NUL byte.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Encodes everything but RFC 3986 unreserved characters.
std::string percent_encode(std::string_view text);

// Splits "a=1&b=x%20y&c" into decoded pairs ("c" has an empty value); nullopt when an escape is
// malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);

}  // namespace weft::http
