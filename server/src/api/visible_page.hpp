// A page of a listing with the objects the caller may not see left out, and a cursor that
// still resumes exactly where the page ended.
//
// Storage cursors resume after the last item a page returned, so the page is collected from
// successive storage pages that are each consumed whole: each asks for no more than the items
// still missing. The scan is bounded (kMaxFetches storage pages): past it the page comes back
// short, with a cursor to go on from — a client pages until nextCursor is null anyway.
#pragma once

#include <weft/runtime/repositories/page.hpp>

#include <functional>

namespace weft::api {

inline constexpr int kMaxFetches = 20;

// `fetch(page)` reads one storage page; `visible(item)` says whether the caller may see it.
template <class T>
Result<Page<T>> visible_page(const PageRequest& request,
                             const std::function<Result<Page<T>>(const PageRequest&)>& fetch,
                             const std::function<bool(const T&)>& visible) {
  Page<T> out;
  PageRequest next = request;
  for (int fetches = 0; fetches < kMaxFetches; ++fetches) {
    next.limit = request.limit - static_cast<int64_t>(out.items.size());
    auto page = fetch(next);
    if (!page) return page.status();
    for (auto& item : page->items)
      if (visible(item)) out.items.push_back(std::move(item));
    out.next_cursor = page->next_cursor;
    if (page->next_cursor.empty() || static_cast<int64_t>(out.items.size()) >= request.limit) break;
    next.cursor = page->next_cursor;
  }
  return out;
}

}  // namespace weft::api
