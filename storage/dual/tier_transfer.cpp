// What a mode switch moves between the memory tier and the database.
#include "dual_store.hpp"

#include "requests.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace weft::dual {

namespace {

using storage::Document;

// A record ({"id","version","body","index"}) of `collection` as a typed document.
Document document_of(Context& ctx, const storage::Collection& collection, Value record) {
  Document doc;
  doc.id = std::string(record["id"].as_string());
  doc.version = record["version"].as_int();
  doc.body = std::string(ctx.to_json(record["body"]));
  doc.index = collection.read_index(record["index"], collection.name + "/" + doc.id + " index");
  return doc;
}

// {"op": "delete", ...} of one document at `version`.
OwnedValue delete_write(Context& ctx, std::string_view collection, std::string_view id,
                        int64_t version) {
  OwnedValue write = ctx.object();
  write.set("op", "delete");
  write.set("collection", collection);
  write.set("id", id);
  write.set("expectedVersion", version);
  return write;
}

bool same_content(const Document& a, const Document& b) {
  return a.version == b.version && a.body == b.body && a.index.strings == b.index.strings &&
         a.index.ints == b.index.ints;
}

// Collects writes into batches of at most kMaxBatchWrites and applies each to the database.
class BatchWriter {
 public:
  BatchWriter(Context& ctx, const BackendStore& database)
      : ctx_(ctx), database_(database), writes_(ctx.array()) {}

  void add(OwnedValue&& write) {
    writes_.push(std::move(write));
    if (++pending_ == storage::kMaxBatchWrites) flush();
  }
  void flush() {
    if (pending_ == 0) return;
    OwnedValue batch = ctx_.object();
    batch.set("writes", std::move(writes_));
    writes_ = ctx_.array();
    pending_ = 0;
    database_.write(ctx_, batch.view());
  }

 private:
  Context& ctx_;
  const BackendStore& database_;
  OwnedValue writes_;
  size_t pending_ = 0;
};

}  // namespace

void DualStore::load_memory_tier(Context& ctx) {
  // Everything is read before the tier changes, so a failure leaves it as it was.
  std::vector<std::pair<std::string, std::vector<Document>>> loaded;
  for (const auto& [name, collection] : memory_.schema().collections()) {
    std::vector<Document> documents;
    std::optional<std::string> cursor;
    for (;;) {
      OwnedValue query = ctx.object();
      query.set("collection", std::string_view(name));
      query.set("limit", storage::kMaxLimit);
      if (cursor) query.set("cursor", std::string_view(*cursor));
      OwnedValue page = on_database(false, [&] { return database_.query(ctx, query.view()); });
      Value items = page["items"];
      for (size_t i = 0; i < items.size(); ++i)
        documents.push_back(document_of(ctx, collection, items[i]));
      Value next = page["nextCursor"];
      if (!next.is_string()) break;
      cursor = std::string(next.as_string());
    }
    loaded.emplace_back(name, std::move(documents));
  }
  for (auto& [name, documents] : loaded) memory_.replace(name, std::move(documents));
  std::lock_guard lock(dirty_mutex_);
  dirty_.clear();
}

void DualStore::flush_memory_tier(Context& ctx) {
  std::vector<std::pair<std::string, std::string>> changed;
  {
    std::lock_guard lock(dirty_mutex_);
    changed.assign(dirty_.begin(), dirty_.end());
  }
  BatchWriter batches(ctx, database_);
  for (const auto& [name, id] : changed) {
    const storage::Collection& collection = memory_.schema().collection(name);
    std::optional<Document> mine = memory_.find(name, id);
    std::optional<Document> theirs;
    try {
      OwnedValue record = on_database(false, [&] { return database_.get(ctx, name, id); });
      theirs = document_of(ctx, collection, record.view());
    } catch (const Error& e) {
      if (e.code() != WEFT_ERR_NOT_FOUND) throw;
    }
    if (!mine) {
      if (theirs) batches.add(delete_write(ctx, name, id, theirs->version));
      continue;
    }
    if (theirs && same_content(*mine, *theirs)) continue;
    // One put per version the database lacks, so that the document keeps the version it has
    // in memory and a client's expectedVersion stays valid across the switch. A database copy
    // at or past that version (the document was deleted and created again in memory, or
    // another process changed it) is deleted first: the memory tier's document wins.
    int64_t from = theirs ? theirs->version : 0;
    if (from >= mine->version) {
      batches.add(delete_write(ctx, name, id, from));
      from = 0;
    }
    OwnedValue body = ctx.parse_json(mine->body);
    for (int64_t version = from; version < mine->version; ++version) {
      OwnedValue put = ctx.object();
      put.set("op", "put");
      put.set("collection", std::string_view(name));
      put.set("id", std::string_view(id));
      put.set("expectedVersion", version);
      put.set("body", body.view());
      put.set("index", collection.index_value(ctx, mine->index));
      batches.add(std::move(put));
    }
  }
  batches.flush();
}

}  // namespace weft::dual
