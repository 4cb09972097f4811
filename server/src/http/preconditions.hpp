// Entity tags of the API: a number in quotes ("3") — a workflow's version, a credential's
// revision — and the If-Match header that sends one back to guard a write.
#pragma once

#include "http/request.hpp"

#include <weft/runtime/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weft::http {

// The ETag of number `n`: "\"3\"".
std::string etag_of(int64_t n);

// The number an If-Match header names: nullopt without the header or with "*" (any current
// state). A weak tag (W/"3") and a bare number are read too. kInvalid, naming `what` the tag
// is of ("a workflow version"), when it is not one non-negative integer.
Result<std::optional<int64_t>> if_match_number(const Request& request, std::string_view what);

}  // namespace weft::http
