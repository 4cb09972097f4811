// The `dual` storage backend: a bounded memory cache in front of a database backend (any other
// registered backend, normally sqlite or postgres), in one of three modes switchable while the
// store runs (sdk/STORAGE.md, "dual"):
//
//  - dual: gets read through the cache (a miss reads the database and caches the record);
//    writes and claims go to the database and are acknowledged only when it acknowledged them,
//    dropping the cached records they touch (see RecordCache for why no get after an
//    acknowledged write returns older data); queries go to the database.
//  - database-only: every call goes to the database; the cache is cleared and not used.
//  - memory-only: every call goes to an unbounded memory tier (the memory backend's store),
//    nothing is durable. The database stays open for the switch back, which first writes every
//    document changed in memory-only mode to the database.
//
// A switch ({"op": "setMode"}) is a barrier: calls in progress finish first and new ones wait
// until it is done, so no write is lost or reordered by it.
#pragma once

#include "call_gate.hpp"
#include "counters.hpp"
#include "dual_options.hpp"
#include "memory_store.hpp"
#include "record_cache.hpp"

#include <weft/sdk.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <utility>

namespace weft::dual {

class DualStore : public Store {
 public:
  // Opens the database backend config["database"] with config["databaseOptions"] plus
  // collections, autoMigrate and schemaCheck, in config["mode"] (default dual). In memory-only
  // mode the memory tier starts with the database's documents (unless schemaCheck is false: an
  // admin command's store), and a warning is logged that nothing is durable. Throws
  // WEFT_ERR_INVALID with one line naming the option at fault (an unregistered database backend
  // included), or the database backend's own error.
  DualStore(Context& ctx, Value config);

  OwnedValue get(Context& ctx, std::string_view collection, std::string_view id) override;
  OwnedValue write(Context& ctx, Value batch) override;
  OwnedValue query(Context& ctx, Value query) override;
  OwnedValue claim(Context& ctx, Value request) override;
  // ping (memory-only: answered by the memory tier), status, migrate, rollback (by the
  // database, in every mode), stats, and setMode {"mode": ...}, which answers with stats.
  OwnedValue admin(Context& ctx, Value request) override;

 private:
  // Calls served by one tier, and how they ended.
  struct TierCounters {
    std::atomic<int64_t> reads{0};
    std::atomic<int64_t> writes{0};
    std::atomic<int64_t> hits{0};
    std::atomic<int64_t> misses{0};
    std::atomic<int64_t> errors{0};
  };
  template <class F>
  auto on_database(bool is_write, F&& call);
  template <class F>
  auto on_memory(bool is_write, F&& call);

  OwnedValue get_through_cache(Context& ctx, std::string_view collection, std::string_view id);
  OwnedValue write_through(Context& ctx, Value batch);
  OwnedValue claim_through(Context& ctx, Value request);
  OwnedValue set_mode(Context& ctx, Value request);
  OwnedValue stats(Context& ctx);

  // -- tier_transfer.cpp: what a switch moves between the tiers ---------------------------
  // Replaces the memory tier's content with every document of the database, versions kept.
  void load_memory_tier(Context& ctx);
  // Writes every document changed in memory-only mode (dirty_) to the database so that it
  // ends up as in the memory tier, versions included; deletes what the memory tier deleted.
  void flush_memory_tier(Context& ctx);
  // Records the documents of a batch, or the records a claim returned, as changed in
  // memory-only mode.
  void mark_written(Value batch);
  void mark_claimed(Value request, Value claimed);

  const DualOptions options_;
  storage::MemoryStore memory_;  // the memory-only tier; its schema is the store's
  RecordCache cache_;
  BackendStore database_;
  CallGate gate_;
  std::atomic<Mode> mode_;
  storage::Counters counters_;  // calls served by this store, as every backend counts them
  TierCounters memory_counters_;
  TierCounters database_counters_;
  std::mutex dirty_mutex_;
  std::set<std::pair<std::string, std::string>> dirty_;  // GUARDED_BY(dirty_mutex_)
};

// Whether a failure is the tier's own (it could not serve the call) rather than the request's
// (a missing document, a version conflict, a bad request).
inline bool tier_failure(weft_status code) {
  return code != WEFT_ERR_NOT_FOUND && code != WEFT_ERR_CONFLICT && code != WEFT_ERR_INVALID;
}

template <class F>
inline auto DualStore::on_database(bool is_write, F&& call) {
  (is_write ? database_counters_.writes : database_counters_.reads)
      .fetch_add(1, std::memory_order_relaxed);
  try {
    return call();
  } catch (const Error& e) {
    if (tier_failure(e.code())) database_counters_.errors.fetch_add(1, std::memory_order_relaxed);
    throw;
  }
}

template <class F>
inline auto DualStore::on_memory(bool is_write, F&& call) {
  (is_write ? memory_counters_.writes : memory_counters_.reads)
      .fetch_add(1, std::memory_order_relaxed);
  try {
    return call();
  } catch (const Error& e) {
    if (tier_failure(e.code())) memory_counters_.errors.fetch_add(1, std::memory_order_relaxed);
    throw;
  }
}

}  // namespace weft::dual
