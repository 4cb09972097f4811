#include <weft/runtime/storage_setup.hpp>

#include <filesystem>

namespace weft {

const Json& domain_collections() {
  static const Json kCollections = {
      {"workflows", {{"strings", {"name", "owner"}}, {"ints", {"updatedAt", "active"}}}},
      {"workflow_versions", {{"strings", {"workflowId"}}, {"ints", {"version", "createdAt"}}}},
      {"executions", {{"strings", {"workflowId", "status"}}, {"ints", {"startedAt"}}}},
      {"credentials", {{"strings", {"name", "owner", "type"}}, {"ints", {"updatedAt"}}}},
      {"users", {{"strings", {"email", "role"}}, {"ints", {"createdAt"}}}},
      {"api_keys", {{"strings", {"prefix", "userId", "hash"}}, {"ints", {"createdAt"}}}},
      {"sessions", {{"strings", {"userId", "family", "tokenHash"}}, {"ints", {"expiresAt"}}}},
      // Reservations of unique values ("users.email:<lower-cased>", "api_keys.hash:<hash>"),
      // written with expectedVersion 0 in the batch that writes their owner.
      {"unique_keys", {{"strings", {"owner"}}}},
      {"jobs", {{"strings", {"state", "owner"}}, {"ints", {"runAt", "leaseUntil"}}}},
      // The credential vault's data keys, wrapped by the master key (server/src/credentials/vault.hpp).
      {"vault_keys", {{"strings", {"masterKeyId"}}, {"ints", {"createdAt"}}}},
      // Who did what to which object (repositories/audit_repository.hpp).
      {"audit", {{"strings", {"actor", "action", "objectId"}}, {"ints", {"at"}}}},
  };
  return kCollections;
}

namespace {

// The options of a database backend from its config section.
Result<Json> database_options(const std::string& backend, const Config& config) {
  Json options = Json::object();
  if (backend == "sqlite") {
    std::string path = config.get_string("storage.sqlite.path");
    if (path.empty()) path = (std::filesystem::path(config.get_string("data")) / "weft.db").string();
    options["path"] = path;
  } else if (backend == "postgres") {
    std::string url = config.get_string("storage.postgres.url");
    if (url.empty())
      return Status::invalid(
          "storage.backend is postgres but storage.postgres.url (WEFT_DATABASE_URL) is not set");
    options["url"] = url;
    options["poolSize"] = config.get_int("storage.postgres.poolSize");
    options["connectTimeoutMs"] = config.get_int("storage.postgres.connectTimeoutMs");
  }
  return options;
}

}  // namespace

Result<std::unique_ptr<Storage>> open_configured_storage(const PluginHost& plugins,
                                                         const Config& config, SchemaCheck check) {
  std::string backend = config.get_string("storage.backend");
  std::string database = backend == "dual" ? config.get_string("storage.dual.database") : backend;
  auto db = database_options(database, config);
  if (!db) return db.status();
  Json options = backend == "dual" ? Json{{"database", database},
                                          {"databaseOptions", *db},
                                          {"mode", config.get_string("storage.dual.mode")},
                                          {"cacheEntries", config.get_int("storage.dual.cacheEntries")}}
                                   : *db;
  options["collections"] = domain_collections();
  options["autoMigrate"] = config.get_bool("storage.autoMigrate");
  options["schemaCheck"] = check == SchemaCheck::kEnforce;
  return Storage::open(plugins, backend, options);
}

}  // namespace weft
