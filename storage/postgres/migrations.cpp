#include "migrations.hpp"

#include "sql.hpp"

#include <weft/sdk.hpp>

#include <chrono>

namespace weft::postgres {

namespace {

// A schema change. Each statement runs alone (Poco prepares statements one at a time).
struct Migration {
  int64_t version;
  const char* name;
  std::vector<std::string> up;
  std::vector<std::string> down;
};

// Strings use the "C" collation so that ordering and comparison are bytewise, as in the other
// backends, whatever the database's locale. The body is TEXT, not JSONB: the contract never
// looks inside a body, TEXT gives it back exactly as written, and it spares the hot write path
// JSONB's parse and every read its re-serialisation.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "documents",
       {"CREATE TABLE documents ("
        " collection TEXT COLLATE \"C\" NOT NULL,"
        " id TEXT COLLATE \"C\" NOT NULL,"
        " version BIGINT NOT NULL,"
        " body TEXT NOT NULL,"
        " s1 TEXT COLLATE \"C\", s2 TEXT COLLATE \"C\", s3 TEXT COLLATE \"C\","
        " n1 BIGINT, n2 BIGINT, n3 BIGINT,"
        " PRIMARY KEY (collection, id))"},
       {"DROP TABLE documents"}},
      {2,
       "documents_index_fields",
       {"CREATE INDEX documents_s1 ON documents (collection, s1, id)",
        "CREATE INDEX documents_s2 ON documents (collection, s2, id)",
        "CREATE INDEX documents_s3 ON documents (collection, s3, id)",
        "CREATE INDEX documents_n1 ON documents (collection, n1, id)",
        "CREATE INDEX documents_n2 ON documents (collection, n2, id)",
        "CREATE INDEX documents_n3 ON documents (collection, n3, id)"},
       {"DROP INDEX documents_s1", "DROP INDEX documents_s2", "DROP INDEX documents_s3",
        "DROP INDEX documents_n1", "DROP INDEX documents_n2", "DROP INDEX documents_n3"}},
  };
  return kMigrations;
}

// Any constant shared by every weft process: the key of the migration advisory lock.
constexpr const char* kMigrationLockKey = "770110";

bool record_table_exists(Poco::Data::Session& session) {
  Rows rows = execute(session, "SELECT to_regclass('weft_schema_migrations')::text");
  return rows.size() == 1 && rows.cell(0, 0).has_value();
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int64_t latest_schema_version() { return migrations().back().version; }

std::vector<AppliedMigration> applied_migrations(Poco::Data::Session& session) {
  std::vector<AppliedMigration> applied;
  if (!record_table_exists(session)) return applied;
  Rows rows = execute(session,
                      "SELECT version, name, applied_at FROM weft_schema_migrations "
                      "ORDER BY version");
  for (size_t r = 0; r < rows.size(); ++r)
    applied.push_back({rows.integer(r, 0), rows.text(r, 1), rows.integer(r, 2)});
  return applied;
}

int64_t current_schema_version(Poco::Data::Session& session) {
  if (!record_table_exists(session)) return 0;
  Rows rows = execute(session, "SELECT COALESCE(MAX(version), 0) FROM weft_schema_migrations");
  return rows.integer(0, 0);
}

void migrate_schema(Poco::Data::Session& session, int64_t target) {
  if (target < 0 || target > latest_schema_version())
    throw Error(WEFT_ERR_INVALID, "schema version " + std::to_string(target) +
                                      " does not exist; this build knows 0 to " +
                                      std::to_string(latest_schema_version()));
  execute(session, "SELECT 1 FROM pg_advisory_xact_lock($1::bigint)", {kMigrationLockKey});
  // "relation already exists, skipping" notices would reach the admin's terminal otherwise.
  execute(session, "SET LOCAL client_min_messages TO warning");
  execute(session,
          "CREATE TABLE IF NOT EXISTS weft_schema_migrations ("
          " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  const int64_t current = current_schema_version(session);
  if (current > latest_schema_version())
    throw Error(WEFT_ERR_UNAVAILABLE, "database schema is at version " + std::to_string(current) +
                                          ", newer than this build knows (" +
                                          std::to_string(latest_schema_version()) + ")");
  for (const Migration& m : migrations()) {
    if (m.version <= current || m.version > target) continue;
    for (const std::string& sql : m.up) execute(session, sql);
    execute(session,
            "INSERT INTO weft_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            {std::to_string(m.version), m.name, std::to_string(now_ms())});
  }
  for (auto it = migrations().rbegin(); it != migrations().rend(); ++it) {
    if (it->version > current || it->version <= target) continue;
    for (const std::string& sql : it->down) execute(session, sql);
    execute(session, "DELETE FROM weft_schema_migrations WHERE version = $1",
            {std::to_string(it->version)});
  }
}

}  // namespace weft::postgres
