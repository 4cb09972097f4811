#include "migrations.hpp"

#include <Poco/Data/Statement.h>

#include <chrono>
#include <string>
#include <vector>

namespace weft::storage {

namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::Statement;

struct Migration {
  int64_t version;
  const char* name;
  std::vector<const char*> up;
  std::vector<const char*> down;
};

// Append-only: a released migration never changes; a schema change is a new migration.
const std::vector<Migration>& all_migrations() {
  static const std::vector<Migration> migrations = {
      {1,
       "documents",
       {"CREATE TABLE documents ("
        " collection TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,"
        " s1 TEXT, s2 TEXT, s3 TEXT, n1 INTEGER, n2 INTEGER, n3 INTEGER,"
        " PRIMARY KEY (collection, id))",
        "CREATE INDEX documents_s1 ON documents (collection, s1, id)",
        "CREATE INDEX documents_s2 ON documents (collection, s2, id)",
        "CREATE INDEX documents_s3 ON documents (collection, s3, id)",
        "CREATE INDEX documents_n1 ON documents (collection, n1, id)",
        "CREATE INDEX documents_n2 ON documents (collection, n2, id)",
        "CREATE INDEX documents_n3 ON documents (collection, n3, id)"},
       {"DROP TABLE documents"}},
  };
  return migrations;
}

void execute(Poco::Data::Session& session, const std::string& sql) {
  Statement stmt(session);
  stmt << sql, now;
}

void ensure_record_table(Poco::Data::Session& session) {
  execute(session,
          "CREATE TABLE IF NOT EXISTS weft_schema_migrations ("
          " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
}

bool record_table_exists(Poco::Data::Session& session) {
  int64_t tables = 0;
  Statement stmt(session);
  stmt << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
      bind(std::string("weft_schema_migrations")), into(tables), now;
  return tables > 0;
}

// Runs `steps` and the record change in one transaction.
template <class F>
void in_transaction(Poco::Data::Session& session, F&& steps) {
  execute(session, "BEGIN IMMEDIATE");
  try {
    steps();
    execute(session, "COMMIT");
  } catch (...) {
    execute(session, "ROLLBACK");
    throw;
  }
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int64_t latest_schema_version() { return all_migrations().back().version; }

int64_t current_schema_version(Poco::Data::Session& session) {
  if (!record_table_exists(session)) return 0;
  Poco::Nullable<int64_t> version;
  Statement stmt(session);
  stmt << "SELECT max(version) FROM weft_schema_migrations", into(version), now;
  return version.isNull() ? 0 : version.value();
}

void migrate_schema(Poco::Data::Session& session, int64_t to) {
  ensure_record_table(session);
  for (const Migration& m : all_migrations()) {
    if (m.version <= current_schema_version(session) || m.version > to) continue;
    in_transaction(session, [&] {
      for (const char* sql : m.up) execute(session, sql);
      Statement record(session);
      record << "INSERT INTO weft_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
          bind(m.version), bind(std::string(m.name)), bind(now_ms()), now;
    });
  }
}

void rollback_schema(Poco::Data::Session& session, int64_t to) {
  const auto& migrations = all_migrations();
  for (auto m = migrations.rbegin(); m != migrations.rend(); ++m) {
    if (m->version <= to || m->version > current_schema_version(session)) continue;
    in_transaction(session, [&] {
      for (const char* sql : m->down) execute(session, sql);
      Statement record(session);
      record << "DELETE FROM weft_schema_migrations WHERE version = ?", bind(m->version), now;
    });
  }
}

OwnedValue schema_status(Context& ctx, Poco::Data::Session& session) {
  OwnedValue applied = ctx.array();
  if (record_table_exists(session)) {
    std::vector<int64_t> versions, applied_at;
    std::vector<std::string> names;
    Statement stmt(session);
    stmt << "SELECT version, name, applied_at FROM weft_schema_migrations ORDER BY version",
        into(versions), into(names), into(applied_at), now;
    for (size_t i = 0; i < versions.size(); ++i) {
      OwnedValue m = ctx.object();
      m.set("version", versions[i]);
      m.set("name", std::string_view(names[i]));
      m.set("appliedAt", applied_at[i]);
      applied.push(std::move(m));
    }
  }
  OwnedValue status = ctx.object();
  status.set("current", current_schema_version(session));
  status.set("latest", latest_schema_version());
  status.set("applied", std::move(applied));
  return status;
}

}  // namespace weft::storage
