#include "dual_store.hpp"

#include "requests.hpp"

#include <algorithm>

namespace weft::dual {

using storage::invalid;

namespace {

constexpr std::string_view kNotDurable =
    "storage dual: mode memory-only: nothing is durable; what is written from now on is lost "
    "when the process exits unless the store is switched to dual or database-only first "
    "(admin {\"op\": \"setMode\"})";

// The cache keys of the documents a batch writes (writes whose collection and id are strings;
// the database refuses the others).
std::vector<std::string> written_keys(Value batch) {
  std::vector<std::string> keys;
  Value writes = batch["writes"];
  if (!writes.is_array()) return keys;
  const size_t n = std::min(writes.size(), storage::kMaxBatchWrites + 1);
  keys.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Value collection = writes[i]["collection"];
    Value id = writes[i]["id"];
    if (collection.is_string() && id.is_string())
      keys.push_back(RecordCache::key(collection.as_string(), id.as_string()));
  }
  return keys;
}

}  // namespace

DualStore::DualStore(Context& ctx, Value config)
    : options_(read_options(config)),
      memory_(ctx, config),
      cache_(static_cast<size_t>(options_.cache_entries)),
      mode_(options_.mode) {
  OwnedValue inner_config = database_config(ctx, config);
  try {
    database_ = BackendStore::open(ctx, options_.database, inner_config.view());
  } catch (const Error& e) {
    if (e.code() == WEFT_ERR_NOT_FOUND && !e.recorded())
      throw invalid("database: no storage backend named '" + options_.database +
                    "' is registered (is its plugin in the plugin folder?)");
    throw;
  }
  if (options_.mode == Mode::kMemoryOnly) {
    // Without the schema check the store is opened for `weft db status|migrate|rollback`, on a
    // schema that may hold no documents table to load from.
    Value schema_check = config["schemaCheck"];
    if (!schema_check.is_bool() || schema_check.as_bool()) load_memory_tier(ctx);
    ctx.warn(kNotDurable);
  }
}

OwnedValue DualStore::get(Context& ctx, std::string_view collection, std::string_view id) {
  return counters_.count(false, [&] {
    CallGate::Pass pass = gate_.enter();
    switch (mode_.load(std::memory_order_acquire)) {
      case Mode::kMemoryOnly:
        return on_memory(false, [&] {
          try {
            OwnedValue record = memory_.get(ctx, collection, id);
            memory_counters_.hits.fetch_add(1, std::memory_order_relaxed);
            return record;
          } catch (const Error& e) {
            if (e.code() == WEFT_ERR_NOT_FOUND)
              memory_counters_.misses.fetch_add(1, std::memory_order_relaxed);
            throw;
          }
        });
      case Mode::kDatabaseOnly:
        return on_database(false, [&] { return database_.get(ctx, collection, id); });
      case Mode::kDual:
        break;
    }
    return get_through_cache(ctx, collection, id);
  });
}

OwnedValue DualStore::get_through_cache(Context& ctx, std::string_view collection,
                                        std::string_view id) {
  memory_.schema().collection(collection);  // an unknown collection fails without a lookup
  RecordCache::Lookup found = cache_.lookup(collection, id);
  if (found.record()) return found.record()->build(ctx);
  OwnedValue record = on_database(false, [&] { return database_.get(ctx, collection, id); });
  if (found.can_fill()) cache_.fill(found, CachedRecord::copy(record.view()));
  return record;
}

OwnedValue DualStore::write(Context& ctx, Value batch) {
  return counters_.count(true, [&] {
    CallGate::Pass pass = gate_.enter();
    switch (mode_.load(std::memory_order_acquire)) {
      case Mode::kMemoryOnly: {
        OwnedValue result = on_memory(true, [&] { return memory_.write(ctx, batch); });
        mark_written(batch);
        return result;
      }
      case Mode::kDatabaseOnly:
        return on_database(true, [&] { return database_.write(ctx, batch); });
      case Mode::kDual:
        break;
    }
    return write_through(ctx, batch);
  });
}

OwnedValue DualStore::write_through(Context& ctx, Value batch) {
  // The documents' entries are dropped now and nothing is cached for them until the database
  // has answered, whatever it answers: a failed write may still have been applied.
  RecordCache::Writes writing(cache_, written_keys(batch));
  return on_database(true, [&] { return database_.write(ctx, batch); });
}

OwnedValue DualStore::query(Context& ctx, Value query) {
  return counters_.count(false, [&] {
    CallGate::Pass pass = gate_.enter();
    if (mode_.load(std::memory_order_acquire) == Mode::kMemoryOnly)
      return on_memory(false, [&] { return memory_.query(ctx, query); });
    return on_database(false, [&] { return database_.query(ctx, query); });
  });
}

OwnedValue DualStore::claim(Context& ctx, Value request) {
  return counters_.count(true, [&] {
    CallGate::Pass pass = gate_.enter();
    switch (mode_.load(std::memory_order_acquire)) {
      case Mode::kMemoryOnly: {
        OwnedValue claimed = on_memory(true, [&] { return memory_.claim(ctx, request); });
        mark_claimed(request, claimed.view());
        return claimed;
      }
      case Mode::kDatabaseOnly:
        return on_database(true, [&] { return database_.claim(ctx, request); });
      case Mode::kDual:
        break;
    }
    return claim_through(ctx, request);
  });
}

OwnedValue DualStore::claim_through(Context& ctx, Value request) {
  Value collection = request["collection"];
  try {
    OwnedValue claimed = on_database(true, [&] { return database_.claim(ctx, request); });
    Value items = claimed["items"];
    for (size_t i = 0; i < items.size(); ++i)
      cache_.invalidate(collection.as_string(), items[i]["id"].as_string());
    return claimed;
  } catch (const Error& e) {
    // Which documents a failed claim changed is unknown when the database may have applied it
    // (e.g. the connection broke at commit): forget the whole collection.
    if (tier_failure(e.code()) && collection.is_string())
      cache_.invalidate_collection(collection.as_string());
    throw;
  }
}

OwnedValue DualStore::admin(Context& ctx, Value request) {
  Value op = request["op"];
  std::string_view name = op.is_string() ? op.as_string() : std::string_view();
  if (name == "stats") return stats(ctx);
  if (name == "setMode") return set_mode(ctx, request);
  if (name != "ping" && name != "status" && name != "migrate" && name != "rollback")
    throw invalid("op must be one of ping, status, migrate, rollback, stats, setMode");
  CallGate::Pass pass = gate_.enter();
  // A memory-only store answers as long as the process lives, whatever the database does.
  if (name == "ping" && mode_.load(std::memory_order_acquire) == Mode::kMemoryOnly)
    return ctx.object();
  if (name == "ping" || name == "status") return database_.admin(ctx, request);
  // A schema change may drop or rewrite documents behind the cache.
  try {
    OwnedValue status = database_.admin(ctx, request);
    cache_.clear();
    return status;
  } catch (...) {
    cache_.clear();
    throw;
  }
}

OwnedValue DualStore::set_mode(Context& ctx, Value request) {
  const Mode target = read_mode(request["mode"], "mode");
  {
    CallGate::Closed closed = gate_.close();
    const Mode current = mode_.load(std::memory_order_acquire);
    if (target != current) {
      // Each step throws on failure, leaving the mode as it was.
      if (current == Mode::kMemoryOnly) flush_memory_tier(ctx);
      if (target == Mode::kMemoryOnly) load_memory_tier(ctx);
      cache_.clear();
      if (current == Mode::kMemoryOnly) {
        memory_.clear();
        std::lock_guard lock(dirty_mutex_);
        dirty_.clear();
      }
      mode_.store(target, std::memory_order_release);
      ctx.info("storage dual: mode switched from " + std::string(mode_name(current)) + " to " +
               std::string(mode_name(target)));
      if (target == Mode::kMemoryOnly) ctx.warn(kNotDurable);
    }
  }
  return stats(ctx);
}

OwnedValue DualStore::stats(Context& ctx) {
  const Mode mode = mode_.load(std::memory_order_acquire);
  const RecordCache::Stats cache = cache_.stats();
  auto load = [](const std::atomic<int64_t>& n) { return n.load(std::memory_order_relaxed); };
  const TierCounters& m = memory_counters_;
  const TierCounters& d = database_counters_;

  OwnedValue out = ctx.object();
  out.set("mode", mode_name(mode));
  out.set("durable", mode != Mode::kMemoryOnly);
  out.set("cacheEntries", options_.cache_entries);
  OwnedValue calls = counters_.value(ctx);
  for (std::string_view key : {"reads", "writes", "errors"}) out.set(key, calls[key]);

  OwnedValue memory = ctx.object();
  memory.set("reads", load(m.reads) + cache.hits + cache.misses);
  memory.set("writes", load(m.writes) + cache.fills);
  memory.set("hits", load(m.hits) + cache.hits);
  memory.set("misses", load(m.misses) + cache.misses);
  memory.set("evictions", cache.evictions);
  memory.set("entries", mode == Mode::kMemoryOnly ? int64_t(memory_.size()) : cache.entries);
  memory.set("errors", load(m.errors));
  out.set("memory", std::move(memory));

  OwnedValue database = ctx.object();
  database.set("reads", load(d.reads));
  database.set("writes", load(d.writes));
  database.set("errors", load(d.errors));
  try {
    OwnedValue request = ctx.object();
    request.set("op", "stats");
    database.set("backend", database_.admin(ctx, request.view()));
  } catch (const Error&) {
    database.set("backend", ctx.null());
  }
  out.set("database", std::move(database));
  return out;
}

void DualStore::mark_written(Value batch) {
  Value writes = batch["writes"];
  std::lock_guard lock(dirty_mutex_);
  for (size_t i = 0; i < writes.size(); ++i)
    dirty_.emplace(writes[i]["collection"].as_string(), writes[i]["id"].as_string());
}

void DualStore::mark_claimed(Value request, Value claimed) {
  std::string_view collection = request["collection"].as_string();
  Value items = claimed["items"];
  std::lock_guard lock(dirty_mutex_);
  for (size_t i = 0; i < items.size(); ++i)
    dirty_.emplace(collection, items[i]["id"].as_string());
}

}  // namespace weft::dual
