// Cursor pagination of list routes: `limit` (1..1000, default 50) and an opaque `cursor` in;
// {"items": [...], "nextCursor": "..." | null} out.
#pragma once

#include "http/request.hpp"

#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <cstdint>
#include <string>

namespace weft::http {

inline constexpr int64_t kDefaultPageLimit = 50;
inline constexpr int64_t kMaxPageLimit = 1000;
inline constexpr size_t kMaxCursorLength = 2048;

struct PageRequest {
  int64_t limit = kDefaultPageLimit;
  std::string cursor;  // empty: the first page

  // Reads `limit` and `cursor` from the query. kInvalid (answer 400) when limit is not an
  // integer in 1..1000 or the cursor is longer than 2048 characters or holds control
  // characters.
  static Result<PageRequest> from(const Request& request);
};

// {"items": items, "nextCursor": next_cursor or null when empty}.
Json page_json(Json items, const std::string& next_cursor);

}  // namespace weft::http
