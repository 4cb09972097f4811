// The `memory` storage backend: every collection is an ordered map from id to document, guarded
// by one reader-writer lock per store. Nothing survives the process. The dual backend's
// memory-only tier is the same store, filled from and copied to its database through the typed
// calls at the end.
#pragma once

#include "counters.hpp"
#include "requests.hpp"
#include "schema.hpp"

#include <weft/sdk.hpp>

#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

namespace weft::storage {

class MemoryStore : public Store {
 public:
  // Opens an empty store with the collections of config["collections"]; other options are
  // ignored. Throws WEFT_ERR_INVALID for a bad collection declaration.
  MemoryStore(Context& ctx, Value config);

  OwnedValue get(Context& ctx, std::string_view collection, std::string_view id) override;
  OwnedValue write(Context& ctx, Value batch) override;
  OwnedValue query(Context& ctx, Value query) override;
  OwnedValue claim(Context& ctx, Value request) override;
  // ping, status, migrate, rollback and stats; there is no schema, so status is always
  // {"current": 0, "latest": 0, "applied": []}.
  OwnedValue admin(Context& ctx, Value request) override;

  // -- typed access, for a backend that keeps this store as a tier ---------------------------

  const Schema& schema() const { return schema_; }
  // A copy of document `id` of `collection`, or nullopt when it is absent. Throws
  // WEFT_ERR_INVALID for an undeclared collection.
  std::optional<Document> find(std::string_view collection, std::string_view id) const;
  // Replaces every document of `collection` with `documents`, which keep their versions (ids
  // must be distinct). Throws WEFT_ERR_INVALID for an undeclared collection.
  void replace(std::string_view collection, std::vector<Document> documents);
  // Removes every document of every collection.
  void clear();
  // The number of documents held, over all collections.
  size_t size() const;

 private:
  using Documents = std::map<std::string, Document, std::less<>>;

  OwnedValue apply_batch(Context& ctx, Value batch);
  OwnedValue run_query(Context& ctx, Value query) const;
  OwnedValue run_claim(Context& ctx, Value request);

  const Schema schema_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, Documents, std::less<>> collections_;  // GUARDED_BY(mutex_)
  Counters counters_;
};

}  // namespace weft::storage
