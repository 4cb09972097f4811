// What the repositories share: building storage requests (sdk/STORAGE.md), reading fields of
// stored bodies, and turning storage errors into the repositories' own messages.
#pragma once

#include <weft/runtime/repositories/page.hpp>
#include <weft/runtime/storage.hpp>
#include <weft/runtime/wall_clock.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace weft::repo {

// Deletes per batch when a repository removes many documents (well under the contract's 10,000).
inline constexpr int64_t kDeleteBatch = 500;

using weft::now_ms;  // Unix time in milliseconds (wall_clock.hpp)

// An empty JSON object with room for `fields` members. Json objects keep insertion order in a
// vector whose elements are COPIED when it grows (std::pair<const std::string, Json> cannot be
// moved without a possible throw): objects that will hold large values reserve first.
Json object_with_room(size_t fields);

// A put / delete of a write batch; `expected` nullopt writes whatever the current version.
Json put_op(std::string_view collection, std::string_view id, Json body, Json index,
            std::optional<int64_t> expected);
Json delete_op(std::string_view collection, std::string_view id, std::optional<int64_t> expected);

// One `where` condition.
Json where(std::string_view field, std::string_view op, Json value);

// A page query of `collection`; `page` must have passed check_page_request.
Json page_query(std::string_view collection, Json where, std::string_view order_by,
                bool descending, const PageRequest& page);

// Runs a page query and makes each record a T with `convert(Record)`.
template <class T, class F>
Result<Page<T>> query_page(const Storage& storage, const Json& query, F&& convert) {
  auto result = storage.query(query);
  if (!result) return result.status();
  Page<T> page;
  for (auto& item : (*result)["items"]) page.items.push_back(convert(Storage::record_from_json(std::move(item))));
  if (const auto& next = (*result)["nextCursor"]; next.is_string()) page.next_cursor = next.get<std::string>();
  return page;
}

// Fields of a stored body; the fallback when absent or of another type.
std::string text_field(const Json& body, std::string_view key);
int64_t int_field(const Json& body, std::string_view key, int64_t fallback = 0);
std::optional<int64_t> optional_int_field(const Json& body, std::string_view key);
bool bool_field(const Json& body, std::string_view key, bool fallback = false);

// `status` with a storage kNotFound replaced by "<what> '<id>' not found".
Status name_not_found(Status status, std::string_view what, std::string_view id);
// `status` with a storage kConflict replaced by `message`.
Status name_conflict(Status status, const std::string& message);

// Deletes every document of `collection` matching `where`, kDeleteBatch at a time (each batch
// atomic, the whole not). Returns how many it deleted.
Result<int64_t> delete_matching(const Storage& storage, std::string_view collection,
                                const Json& where);

// Reads collection/id, lets `change` edit the record's body and index (returning false: nothing
// to write), and puts it back conditional on the version read. With `expected`, kConflict when
// the stored version differs; without, a concurrent change is retried on the fresh record a few
// times. Returns the record as written (or as read, when there was nothing to write).
Result<Record> update_record(const Storage& storage, std::string_view collection,
                             std::string_view id, const std::function<bool(Record&)>& change,
                             std::optional<int64_t> expected = std::nullopt);

// Deletes collection/id, `what` naming it in errors: kNotFound when it does not exist; with
// `expected`, kConflict when its version differs.
Status remove_record(const Storage& storage, std::string_view collection, std::string_view what,
                     std::string_view id, std::optional<int64_t> expected);

// ASCII lower case, for case-insensitive keys such as e-mail addresses.
std::string lower_ascii(std::string_view text);

// The id in collection "unique_keys" that reserves `value` of `kind` ("users.email", ...).
std::string unique_key_id(std::string_view kind, std::string_view value);

}  // namespace weft::repo
