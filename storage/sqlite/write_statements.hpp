// The write path of the sqlite backend on the SQLite C API: statements prepared once on the
// writer connection and reused for every write of every batch (preparing a Poco statement per
// write cost more than the write itself).
#pragma once

#include "requests.hpp"
#include "schema.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <unordered_map>

namespace weft::storage {

class WriteStatements {
 public:
  // Prepares statements lazily on `db`, the writer connection.
  // OWNERSHIP: `db` is borrowed; it must outlive this object, which finalizes its statements on
  // destruction (before the connection closes).
  explicit WriteStatements(sqlite3* db) : db_(db) {}
  ~WriteStatements();
  WriteStatements(const WriteStatements&) = delete;
  WriteStatements& operator=(const WriteStatements&) = delete;

  // Applies `op` inside the caller's write transaction and returns the document's new version
  // (0 after a delete). With no expected version a put is one upsert and a delete one DELETE;
  // otherwise the current version is read first and checked. Throws weft::Error CONFLICT or
  // NOT_FOUND for a failed check, and the Poco SQLite exception of a database failure. Must be
  // called under the writer lock.
  int64_t apply(const WriteOp& op);

 private:
  struct CollectionStatements {
    sqlite3_stmt* upsert = nullptr;  // INSERT ... ON CONFLICT DO UPDATE ... RETURNING version
    sqlite3_stmt* update = nullptr;  // UPDATE of version, body and the declared slots
  };

  sqlite3_stmt* prepare(const std::string& sql);
  CollectionStatements& statements_of(const Collection& c);
  int64_t current_version(const WriteOp& op);
  // Binds op's collection and id (?1, ?2) and, with `document`, `version` (?3), the body (?4)
  // and the index slots (?5..?7 strings, ?8..?10 integers); runs `stmt` to completion and returns
  // the first column of its first row (0 without rows).
  int64_t run(sqlite3_stmt* stmt, const WriteOp& op, bool document, int64_t version);

  sqlite3* const db_;
  sqlite3_stmt* select_version_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* delete_ = nullptr;
  std::unordered_map<const Collection*, CollectionStatements> by_collection_;
};

}  // namespace weft::storage
