#include "dual_options.hpp"

#include "schema.hpp"

namespace weft::dual {

using storage::invalid;

namespace {

constexpr std::pair<std::string_view, Mode> kModes[] = {{"memory-only", Mode::kMemoryOnly},
                                                        {"dual", Mode::kDual},
                                                        {"database-only", Mode::kDatabaseOnly}};

// A value for a message: 'text' for a string, else its JSON type.
std::string shown(Value v) {
  if (v.exists() && v.is_string()) return "'" + std::string(v.as_string()) + "'";
  if (v.exists() && v.is_int()) return std::to_string(v.as_int());
  return std::string(type_name(v));
}

}  // namespace

std::string_view mode_name(Mode mode) {
  for (const auto& [name, m] : kModes)
    if (m == mode) return name;
  return "dual";
}

Mode read_mode(Value value, std::string_view option) {
  if (value.exists() && value.is_string())
    for (const auto& [name, m] : kModes)
      if (value.as_string() == name) return m;
  throw invalid(std::string(option) + " must be one of memory-only, dual, database-only; got " +
                shown(value));
}

DualOptions read_options(Value config) {
  DualOptions options;
  Value database = config["database"];
  if (!database.exists() || !database.is_string() || database.as_string().empty())
    throw invalid("database must name the storage backend behind the cache (e.g. \"sqlite\" or "
                  "\"postgres\"); got " + shown(database));
  options.database = std::string(database.as_string());
  if (options.database == "dual")
    throw invalid("database cannot be \"dual\": the backend behind the cache must be another "
                  "backend, e.g. \"sqlite\" or \"postgres\"");
  Value mode = config["mode"];
  if (mode.exists() && !mode.is_null()) options.mode = read_mode(mode, "mode");
  Value entries = config["cacheEntries"];
  if (entries.exists() && !entries.is_null()) {
    if (!entries.is_int() || entries.as_int() < 1)
      throw invalid("cacheEntries must be an integer >= 1 (the most documents the cache holds); "
                    "got " + shown(entries));
    options.cache_entries = entries.as_int();
  }
  Value database_options = config["databaseOptions"];
  if (database_options.exists() && !database_options.is_null() && !database_options.is_object())
    throw invalid("databaseOptions must be an object holding the options of backend '" +
                  options.database + "'; got " + shown(database_options));
  return options;
}

OwnedValue database_config(Context& ctx, Value config) {
  Value database_options = config["databaseOptions"];
  OwnedValue out = database_options.is_object() ? ctx.clone(database_options) : ctx.object();
  for (std::string_view key : {"collections", "autoMigrate", "schemaCheck"})
    if (config.has(key)) out.set(key, config[key]);
  return out;
}

}  // namespace weft::dual
