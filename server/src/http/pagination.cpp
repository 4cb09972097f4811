#include "http/pagination.hpp"

#include "http/query_params.hpp"

namespace weft::http {

Result<PageRequest> PageRequest::from(const Request& request) {
  PageRequest page;
  auto limit = query_int(request, "limit", kDefaultPageLimit, 1, kMaxPageLimit);
  if (!limit) return limit.status();
  page.limit = *limit;
  if (auto cursor = request.query("cursor")) {
    if (cursor->size() > kMaxCursorLength)
      return Status::invalid("query parameter 'cursor' is longer than " + std::to_string(kMaxCursorLength) +
                             " characters; pass the nextCursor of the previous page unchanged");
    for (unsigned char c : *cursor)
      if (c < 0x20 || c == 0x7f)
        return Status::invalid("query parameter 'cursor' is not a cursor this server issued");
    page.cursor = *cursor;
  }
  return page;
}

Json page_json(Json items, const std::string& next_cursor) {
  return {{"items", std::move(items)}, {"nextCursor", next_cursor.empty() ? Json(nullptr) : Json(next_cursor)}};
}

}  // namespace weft::http
