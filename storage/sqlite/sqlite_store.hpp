// The `sqlite` storage backend: every collection in one table, documents(collection, id,
// version, body, s1..s3, n1..n3), a collection's declared string and integer index fields mapped
// to slots s1..s3 and n1..n3 in declaration order. Writes and claims are serialized on one
// writer session in BEGIN IMMEDIATE transactions; reads run on pooled reader sessions (WAL).
#pragma once

#include "connections.hpp"
#include "counters.hpp"
#include "schema.hpp"
#include "write_statements.hpp"

#include <weft/sdk.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace weft::storage {

class SqliteStore : public Store {
 public:
  // Opens (creating the file and its folder) config["path"]. With config["autoMigrate"] true the
  // schema is migrated to the latest version; otherwise an outdated schema fails with
  // WEFT_ERR_UNAVAILABLE asking for `weft db migrate`. A schema newer than this backend knows
  // fails with WEFT_ERR_UNAVAILABLE naming both versions. With config["schemaCheck"] false (for
  // `weft db status|migrate|rollback`) neither check runs and nothing is migrated.
  // config["busyTimeoutMs"] (default 5000) is how long a call waits for another process's write
  // lock.
  SqliteStore(Context& ctx, Value config);

  OwnedValue get(Context& ctx, std::string_view collection, std::string_view id) override;
  OwnedValue write(Context& ctx, Value batch) override;
  OwnedValue query(Context& ctx, Value query) override;
  OwnedValue claim(Context& ctx, Value request) override;
  OwnedValue admin(Context& ctx, Value request) override;

 private:
  OwnedValue read_document(Context& ctx, std::string_view collection, std::string_view id);
  OwnedValue apply_batch(Context& ctx, Value batch);
  OwnedValue run_query(Context& ctx, Value query);
  OwnedValue run_claim(Context& ctx, Value request);
  OwnedValue run_admin(Context& ctx, Value request);
  // Checks the schema version on open (when `enforce`), migrating when `auto_migrate`.
  void check_schema(bool enforce, bool auto_migrate);
  // Throws WEFT_ERR_UNAVAILABLE asking for `weft db migrate` unless the schema is at the latest
  // version (it is not after a rollback, or on a store opened with schemaCheck false).
  void require_latest_schema();

  const Schema schema_;
  std::string path_;
  std::unique_ptr<Connections> connections_;
  // The writer connection's prepared write statements, made on first use and used only under
  // the writer lock. Declared after connections_ so that they are finalized first.
  std::unique_ptr<WriteStatements> write_statements_;
  // Whether this store last saw the schema at the latest version (on open, migrate, rollback).
  std::atomic<bool> schema_latest_{false};
  Counters counters_;
};

}  // namespace weft::storage
