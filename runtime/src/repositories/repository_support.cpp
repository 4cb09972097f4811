#include "repository_support.hpp"

#include <chrono>

namespace weft {

Status check_page_request(const PageRequest& page) {
  if (page.limit < 1 || page.limit > 1000)
    return Status::invalid("limit must be from 1 to 1000, got " + std::to_string(page.limit));
  return Status::ok();
}

namespace repo {

Json object_with_room(size_t fields) {
  Json j = Json::object();
  j.get_ref<Json::object_t&>().reserve(fields);
  return j;
}

Json put_op(std::string_view collection, std::string_view id, Json body, Json index,
            std::optional<int64_t> expected) {
  Json op = object_with_room(6);
  op["op"] = "put";
  op["collection"] = collection;
  op["id"] = id;
  if (expected) op["expectedVersion"] = *expected;
  op["index"] = std::move(index);
  op["body"] = std::move(body);
  return op;
}

Json delete_op(std::string_view collection, std::string_view id, std::optional<int64_t> expected) {
  Json op = {{"op", "delete"}, {"collection", collection}, {"id", id}};
  if (expected) op["expectedVersion"] = *expected;
  return op;
}

Json where(std::string_view field, std::string_view op, Json value) {
  return {{"field", field}, {"op", op}, {"value", std::move(value)}};
}

Json page_query(std::string_view collection, Json where, std::string_view order_by,
                bool descending, const PageRequest& page) {
  Json q = {{"collection", collection}, {"where", std::move(where)}, {"orderBy", order_by},
            {"descending", descending}, {"limit", page.limit}};
  if (!page.cursor.empty()) q["cursor"] = page.cursor;
  return q;
}

std::string text_field(const Json& body, std::string_view key) {
  if (!body.is_object()) return {};
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t int_field(const Json& body, std::string_view key, int64_t fallback) {
  return optional_int_field(body, key).value_or(fallback);
}

std::optional<int64_t> optional_int_field(const Json& body, std::string_view key) {
  if (!body.is_object()) return std::nullopt;
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

bool bool_field(const Json& body, std::string_view key, bool fallback) {
  if (!body.is_object()) return fallback;
  auto it = body.find(key);
  return it != body.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

Status name_not_found(Status status, std::string_view what, std::string_view id) {
  if (status.code() != Code::kNotFound) return status;
  return Status::not_found(std::string(what) + " '" + std::string(id) + "' not found");
}

Status name_conflict(Status status, const std::string& message) {
  if (status.code() != Code::kConflict) return status;
  return Status::conflict(message);
}

Result<int64_t> delete_matching(const Storage& storage, std::string_view collection,
                                const Json& where) {
  int64_t deleted = 0;
  for (;;) {
    auto page = storage.query({{"collection", collection}, {"where", where}, {"limit", kDeleteBatch}});
    if (!page) return page.status();
    const Json& items = (*page)["items"];
    if (items.empty()) return deleted;
    Json writes = Json::array();
    for (const auto& item : items) writes.push_back(delete_op(collection, item["id"].get<std::string>(), std::nullopt));
    if (auto done = storage.write({{"writes", std::move(writes)}}); !done) return done.status();
    deleted += static_cast<int64_t>(items.size());
  }
}

Result<Record> update_record(const Storage& storage, std::string_view collection,
                             std::string_view id, const std::function<bool(Record&)>& change,
                             std::optional<int64_t> expected) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    auto current = storage.get(collection, id);
    if (!current) return current.status();
    Record r = std::move(*current);
    if (expected && r.version != *expected)
      return Status::conflict(std::string(collection) + "/" + std::string(id) +
                              " has changed since version " + std::to_string(*expected));
    if (!change(r)) return r;
    auto written = storage.write(
        {{"writes", Json::array({put_op(collection, id, r.body, r.index, r.version)})}});
    if (written) {
      r.version = written->empty() ? r.version + 1 : (*written)[0];
      return r;
    }
    if (expected || written.status().code() != Code::kConflict || attempt == kAttempts)
      return written.status();
  }
}

Status remove_record(const Storage& storage, std::string_view collection, std::string_view what,
                     std::string_view id, std::optional<int64_t> expected) {
  if (!expected) {
    // A delete without an expected version succeeds on a missing document: ask first.
    auto current = storage.get(collection, id);
    if (!current) return name_not_found(current.status(), what, id);
  }
  auto done = storage.write({{"writes", Json::array({delete_op(collection, id, expected)})}});
  if (!done) {
    Status st = name_not_found(done.status(), what, id);
    return name_conflict(st, std::string(what) + " '" + std::string(id) +
                                 "' was changed since revision " +
                                 std::to_string(expected.value_or(0)) + "; reload it and retry");
  }
  return Status::ok();
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string unique_key_id(std::string_view kind, std::string_view value) {
  return std::string(kind) + ":" + std::string(value);
}

}  // namespace repo
}  // namespace weft
