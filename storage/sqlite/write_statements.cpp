#include "write_statements.hpp"

#include <Poco/Data/SQLite/Utility.h>

namespace weft::storage {

namespace {

constexpr const char* kStringColumns[] = {"s1", "s2", "s3"};
constexpr const char* kIntColumns[] = {"n1", "n2", "n3"};
constexpr const char* kInsert =
    "INSERT INTO documents (collection, id, version, body, s1, s2, s3, n1, n2, n3)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

// Throws the Poco SQLite exception of result code `rc` (so that database_error() classifies it
// as the Poco statements' failures are).
[[noreturn]] void fail(sqlite3* db, int rc) {
  Poco::Data::SQLite::Utility::throwException(db, rc);
  throw Poco::Exception("sqlite error " + std::to_string(rc));  // not reached
}

// Resets a statement when a use of it ends, however it ends.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetOnExit() { sqlite3_reset(stmt_); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

}  // namespace

WriteStatements::~WriteStatements() {
  sqlite3_finalize(select_version_);
  sqlite3_finalize(insert_);
  sqlite3_finalize(delete_);
  for (auto& [collection, s] : by_collection_) {
    sqlite3_finalize(s.upsert);
    sqlite3_finalize(s.update);
  }
}

sqlite3_stmt* WriteStatements::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), int(sql.size()) + 1,
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    fail(db_, rc);
  }
  return stmt;
}

WriteStatements::CollectionStatements& WriteStatements::statements_of(const Collection& c) {
  CollectionStatements& s = by_collection_[&c];
  if (s.upsert) return s;
  // An update sets only the slots `c` declares, so SQLite leaves the other slots' indexes alone.
  std::string slots;
  for (size_t i = 0; i < c.strings.size(); ++i)
    slots += std::string(", ") + kStringColumns[i] + " = ?" + std::to_string(5 + i);
  for (size_t i = 0; i < c.ints.size(); ++i)
    slots += std::string(", ") + kIntColumns[i] + " = ?" + std::to_string(8 + i);
  s.update = prepare("UPDATE documents SET version = ?3, body = ?4" + slots +
                     " WHERE collection = ?1 AND id = ?2");
  std::string excluded;
  for (size_t i = 0; i < c.strings.size(); ++i)
    excluded += std::string(", ") + kStringColumns[i] + " = excluded." + kStringColumns[i];
  for (size_t i = 0; i < c.ints.size(); ++i)
    excluded += std::string(", ") + kIntColumns[i] + " = excluded." + kIntColumns[i];
  s.upsert = prepare(
      "INSERT INTO documents (collection, id, version, body, s1, s2, s3, n1, n2, n3)"
      " VALUES (?1, ?2, 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
      " ON CONFLICT (collection, id) DO UPDATE SET version = version + 1, body = excluded.body" +
      excluded + " RETURNING version");
  return s;
}

int64_t WriteStatements::run(sqlite3_stmt* stmt, const WriteOp& op, bool document,
                             int64_t version) {
  ResetOnExit reset(stmt);
  const std::string& collection = op.collection->name;
  int rc = sqlite3_bind_text(stmt, 1, collection.data(), int(collection.size()), SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(stmt, 2, op.id.data(), int(op.id.size()), SQLITE_STATIC);
  if (rc != SQLITE_OK) fail(db_, rc);
  if (document) {
    // Parameters a statement does not use answer SQLITE_RANGE; that is fine.
    auto ok = [&](int r) { return r == SQLITE_OK || r == SQLITE_RANGE; };
    if (!ok(rc = sqlite3_bind_int64(stmt, 3, version))) fail(db_, rc);
    rc = sqlite3_bind_text(stmt, 4, op.body.data(), int(op.body.size()), SQLITE_STATIC);
    for (size_t i = 0; i < kMaxIndexFields && ok(rc); ++i) {
      const auto& s = op.index.strings[i];
      rc = s ? sqlite3_bind_text(stmt, int(5 + i), s->data(), int(s->size()), SQLITE_STATIC)
             : sqlite3_bind_null(stmt, int(5 + i));
    }
    for (size_t i = 0; i < kMaxIndexFields && ok(rc); ++i) {
      const auto& n = op.index.ints[i];
      rc = n ? sqlite3_bind_int64(stmt, int(8 + i), *n) : sqlite3_bind_null(stmt, int(8 + i));
    }
    if (!ok(rc)) fail(db_, rc);
  }
  int64_t first = 0;
  bool seen = false;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (!seen) first = sqlite3_column_int64(stmt, 0);
    seen = true;
  }
  if (rc != SQLITE_DONE) fail(db_, rc);
  return first;
}

int64_t WriteStatements::current_version(const WriteOp& op) {
  if (!select_version_)
    select_version_ = prepare("SELECT version FROM documents WHERE collection = ?1 AND id = ?2");
  return run(select_version_, op, false, 0);
}

int64_t WriteStatements::apply(const WriteOp& op) {
  if (!delete_) delete_ = prepare("DELETE FROM documents WHERE collection = ?1 AND id = ?2");
  if (!op.expected_version) {
    if (op.kind == WriteOp::Kind::kDelete) {
      run(delete_, op, false, 0);
      return 0;
    }
    return run(statements_of(*op.collection).upsert, op, true, 0);
  }
  const int64_t found = current_version(op);
  if (op.kind == WriteOp::Kind::kDelete && found == 0)
    throw Error(WEFT_ERR_NOT_FOUND, "cannot delete " + op.collection->name + "/" + op.id +
                                        ": the document does not exist");
  if (*op.expected_version != found) throw version_conflict(op, found);
  if (op.kind == WriteOp::Kind::kDelete) {
    run(delete_, op, false, 0);
    return 0;
  }
  if (found == 0) {
    if (!insert_) insert_ = prepare(kInsert);
    run(insert_, op, true, 1);
  } else {
    run(statements_of(*op.collection).update, op, true, found + 1);
  }
  return found + 1;
}

}  // namespace weft::storage
