// The options of the `dual` backend (sdk/STORAGE.md, "dual"): which backend sits behind the
// cache and with what options, the mode, and the bound of the cache.
#pragma once

#include <weft/sdk.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace weft::dual {

// Where a store keeps documents. kMemoryOnly: an unbounded memory tier, nothing durable.
// kDual: a bounded cache in front of the database, reads through it and writes through it.
// kDatabaseOnly: the database alone.
enum class Mode { kMemoryOnly, kDual, kDatabaseOnly };

// "memory-only", "dual" or "database-only".
std::string_view mode_name(Mode mode);

// Reads a mode name. Throws WEFT_ERR_INVALID naming `option` and the accepted names otherwise.
Mode read_mode(Value value, std::string_view option);

// The cache bound used when cacheEntries is absent.
inline constexpr int64_t kDefaultCacheEntries = 10000;

struct DualOptions {
  std::string database;  // the backend behind the cache
  Mode mode = Mode::kDual;
  int64_t cache_entries = kDefaultCacheEntries;
};

// Reads database, mode and cacheEntries from an open config. Throws WEFT_ERR_INVALID with one
// line naming the option at fault: database absent, not a string, or "dual"; a bad mode;
// cacheEntries not an integer >= 1; databaseOptions present but not an object. Whether the
// database backend exists is checked when it is opened.
DualOptions read_options(Value config);

// The config the database backend opens with: config["databaseOptions"] plus the options every
// backend receives (collections, autoMigrate, schemaCheck) copied from `config`.
OwnedValue database_config(Context& ctx, Value config);

}  // namespace weft::dual
