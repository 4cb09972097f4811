// The `memory` storage backend: every collection is an ordered map from id to document, guarded
// by one reader-writer lock per store. Nothing survives the process.
#pragma once

#include "counters.hpp"
#include "requests.hpp"
#include "schema.hpp"

#include <weft/sdk.hpp>

#include <functional>
#include <map>
#include <shared_mutex>
#include <string>

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
