#include "memory_store.hpp"

#include <algorithm>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace weft::storage {

namespace {

// Orders row keys: rows lacking the field first, then by value, then by id.
bool key_less(const RowKey& a, const RowKey& b) {
  if (a.value.has_value() != b.value.has_value()) return !a.value.has_value();
  if (a.value && *a.value != *b.value) return *a.value < *b.value;
  return a.id < b.id;
}

bool matches(const Condition& c, const std::optional<Scalar>& value) {
  if (!value) return false;
  switch (c.op) {
    case Compare::kEq: return *value == c.value;
    case Compare::kNe: return *value != c.value;
    case Compare::kLt: return *value < c.value;
    case Compare::kLe: return *value <= c.value;
    case Compare::kGt: return *value > c.value;
    case Compare::kGe: return *value >= c.value;
  }
  return false;
}

}  // namespace

MemoryStore::MemoryStore(Context&, Value config) : schema_(Schema::from_config(config)) {
  for (const auto& [name, collection] : schema_.collections()) collections_[name];
}

OwnedValue MemoryStore::get(Context& ctx, std::string_view collection, std::string_view id) {
  return counters_.count(false, [&] {
    const Collection& c = schema_.collection(collection);
    std::shared_lock lock(mutex_);
    const Documents& docs = collections_.find(collection)->second;
    auto it = docs.find(id);
    if (it == docs.end())
      throw Error(WEFT_ERR_NOT_FOUND,
                  "document " + std::string(collection) + "/" + std::string(id) + " not found");
    return record_value(ctx, c, it->second);
  });
}

OwnedValue MemoryStore::write(Context& ctx, Value batch) {
  return counters_.count(true, [&] { return apply_batch(ctx, batch); });
}

OwnedValue MemoryStore::apply_batch(Context& ctx, Value batch) {
  std::vector<WriteOp> ops = parse_write_batch(ctx, schema_, batch);
  std::unique_lock lock(mutex_);
  // The batch's effect, checked against the documents as earlier writes of the batch left
  // them, and applied only when every write passes. nullopt: deleted.
  std::map<std::pair<std::string, std::string>, std::optional<Document>> staged;
  OwnedValue versions = ctx.array();
  for (WriteOp& op : ops) {
    auto key = std::make_pair(op.collection->name, op.id);
    const Document* current = nullptr;
    if (auto s = staged.find(key); s != staged.end()) {
      current = s->second ? &*s->second : nullptr;
    } else {
      const Documents& docs = collections_.find(op.collection->name)->second;
      if (auto it = docs.find(op.id); it != docs.end()) current = &it->second;
    }
    int64_t found = current ? current->version : 0;
    if (op.kind == WriteOp::Kind::kDelete && !current && op.expected_version)
      throw Error(WEFT_ERR_NOT_FOUND, "cannot delete " + op.collection->name + "/" + op.id +
                                          ": the document does not exist");
    if (op.expected_version && *op.expected_version != found) throw version_conflict(op, found);
    if (op.kind == WriteOp::Kind::kDelete) {
      staged[key] = std::nullopt;
      versions.push(ctx.integer(0));
    } else {
      staged[key] = Document{op.id, found + 1, std::string(op.body), op.index};
      versions.push(ctx.integer(found + 1));
    }
  }
  for (auto& [key, doc] : staged) {
    Documents& docs = collections_.find(key.first)->second;
    if (doc) {
      docs.insert_or_assign(key.second, std::move(*doc));
    } else {
      docs.erase(key.second);
    }
  }
  OwnedValue result = ctx.object();
  result.set("versions", std::move(versions));
  return result;
}

OwnedValue MemoryStore::query(Context& ctx, Value query) {
  return counters_.count(false, [&] { return run_query(ctx, query); });
}

OwnedValue MemoryStore::run_query(Context& ctx, Value query) const {
  QueryRequest q = parse_query(ctx, schema_, query);
  const Collection& c = *q.collection;
  std::shared_lock lock(mutex_);
  const Documents& docs = collections_.find(c.name)->second;
  // The matching rows after the cursor, with their keys.
  std::vector<std::pair<RowKey, const Document*>> rows;
  int64_t count = 0;
  for (const auto& [id, doc] : docs) {
    bool all = std::all_of(q.where.begin(), q.where.end(), [&](const Condition& cond) {
      return matches(cond, c.value_of(cond.field, doc));
    });
    if (!all) continue;
    ++count;
    if (q.count) continue;
    RowKey key{q.order_by.type == FieldType::kId ? std::nullopt : c.value_of(q.order_by, doc), id};
    if (q.after && (q.descending ? !key_less(key, *q.after) : !key_less(*q.after, key))) continue;
    rows.emplace_back(std::move(key), &doc);
  }
  if (q.count) {
    OwnedValue result = ctx.object();
    result.set("count", count);
    return result;
  }
  auto order = [&](const auto& a, const auto& b) {
    return q.descending ? key_less(b.first, a.first) : key_less(a.first, b.first);
  };
  const size_t page = std::min(rows.size(), size_t(q.limit));
  std::partial_sort(rows.begin(), rows.begin() + page, rows.end(), order);
  OwnedValue items = ctx.array();
  for (size_t i = 0; i < page; ++i) items.push(record_value(ctx, c, *rows[i].second));
  OwnedValue result = ctx.object();
  result.set("items", std::move(items));
  if (rows.size() > page) {
    result.set("nextCursor", std::string_view(encode_cursor(ctx, q, rows[page - 1].first)));
  } else {
    result.set("nextCursor", ctx.null());
  }
  return result;
}

OwnedValue MemoryStore::claim(Context& ctx, Value request) {
  return counters_.count(true, [&] { return run_claim(ctx, request); });
}

OwnedValue MemoryStore::run_claim(Context& ctx, Value request) {
  ClaimRequest r = parse_claim(schema_, request);
  const Collection& c = *r.collection;
  std::unique_lock lock(mutex_);
  Documents& docs = collections_.find(c.name)->second;
  std::vector<std::pair<RowKey, Document*>> due;
  for (auto& [id, doc] : docs) {
    const auto& state = doc.index.strings[r.state.slot];
    const auto& run_at = doc.index.ints[r.run_at.slot];
    const auto& lease = doc.index.ints[r.lease_until.slot];
    bool ready = state == "ready" && run_at && *run_at <= r.now;
    bool expired = state == "claimed" && lease && *lease < r.now;
    if (!ready && !expired) continue;
    due.emplace_back(RowKey{run_at ? std::optional<Scalar>(*run_at) : std::nullopt, id}, &doc);
  }
  const size_t n = std::min(due.size(), size_t(r.limit));
  std::partial_sort(due.begin(), due.begin() + n, due.end(),
                    [](const auto& a, const auto& b) { return key_less(a.first, b.first); });
  OwnedValue items = ctx.array();
  for (size_t i = 0; i < n; ++i) {
    Document& doc = *due[i].second;
    doc.index.strings[r.state.slot] = "claimed";
    doc.index.strings[r.owner.slot] = r.owner_name;
    doc.index.ints[r.lease_until.slot] = r.now + r.lease_ms;
    doc.version += 1;
    items.push(record_value(ctx, c, doc));
  }
  OwnedValue result = ctx.object();
  result.set("items", std::move(items));
  return result;
}

OwnedValue MemoryStore::admin(Context& ctx, Value request) {
  Value op = request["op"];
  std::string_view name = op.is_string() ? op.as_string() : std::string_view();
  if (name == "ping") return ctx.object();
  if (name == "stats") return counters_.value(ctx);
  if (name == "status" || name == "migrate" || name == "rollback") {
    Value to = request["to"];
    if (name != "status" && to.exists() && !to.is_null() && !(to.is_int() && to.as_int() == 0))
      throw invalid(std::string(name) + ": to must be 0; the memory backend has no schema versions");
    OwnedValue status = ctx.object();
    status.set("current", int64_t(0));
    status.set("latest", int64_t(0));
    status.set("applied", ctx.array());
    return status;
  }
  throw invalid("op must be one of ping, status, migrate, rollback, stats");
}

std::optional<Document> MemoryStore::find(std::string_view collection, std::string_view id) const {
  schema_.collection(collection);
  std::shared_lock lock(mutex_);
  const Documents& docs = collections_.find(collection)->second;
  auto it = docs.find(id);
  if (it == docs.end()) return std::nullopt;
  return it->second;
}

void MemoryStore::replace(std::string_view collection, std::vector<Document> documents) {
  schema_.collection(collection);
  Documents fresh;
  for (Document& doc : documents) {
    std::string id = doc.id;
    fresh.insert_or_assign(std::move(id), std::move(doc));
  }
  std::unique_lock lock(mutex_);
  collections_.find(collection)->second.swap(fresh);
}

void MemoryStore::clear() {
  std::unique_lock lock(mutex_);
  for (auto& [name, docs] : collections_) docs.clear();
}

size_t MemoryStore::size() const {
  std::shared_lock lock(mutex_);
  size_t n = 0;
  for (const auto& [name, docs] : collections_) n += docs.size();
  return n;
}

}  // namespace weft::storage
