// One page of a repository listing, and the request for it. Listings use the storage contract's
// keyset pagination: the cursor of a page is the storage cursor, passed through unchanged.
#pragma once

#include <weft/runtime/status.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace weft {

struct PageRequest {
  int64_t limit = 100;  // 1..1000
  std::string cursor;   // empty: the first page; else a Page::next_cursor of the same listing
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty when there are no more items
};

// OK, or kInvalid naming `limit` when it is outside 1..1000.
Status check_page_request(const PageRequest& page);

}  // namespace weft
