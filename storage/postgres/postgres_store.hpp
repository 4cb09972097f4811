// The postgres storage backend's store: the storage contract (sdk/STORAGE.md) on one PostgreSQL
// database, every collection in the generic table `documents` (see record.hpp), the schema in
// numbered migrations (see migrations.hpp).
#pragma once

#include "connection_pool.hpp"
#include "counters.hpp"
#include "schema.hpp"

#include <weft/sdk.hpp>

#include <memory>

namespace weft::postgres {

// Config: {"collections": ..., "url": "postgresql://user:password@host:port/database",
// "poolSize": 8, "connectTimeoutMs": 5000, "autoMigrate": false, "schemaCheck": true}.
//
// Opening connects and checks the schema version: an older schema is migrated when autoMigrate
// is true and otherwise refused with WEFT_ERR_UNAVAILABLE asking for `weft db migrate`; a newer
// one is refused with WEFT_ERR_UNAVAILABLE naming both versions. With schemaCheck false (for
// `weft db status|migrate|rollback`) any schema is opened as it is and nothing is migrated. A bad url is refused with
// WEFT_ERR_INVALID, an unreachable database with WEFT_ERR_UNAVAILABLE; no message carries the
// password. Thread-safe.
class PostgresStore : public Store {
 public:
  PostgresStore(Context& ctx, Value config);

  OwnedValue get(Context& ctx, std::string_view collection, std::string_view id) override;
  OwnedValue write(Context& ctx, Value batch) override;
  OwnedValue query(Context& ctx, Value query) override;
  OwnedValue claim(Context& ctx, Value request) override;
  OwnedValue admin(Context& ctx, Value request) override;

 private:
  OwnedValue run_write(Context& ctx, Value batch);
  OwnedValue run_query(Context& ctx, Value query);
  OwnedValue run_admin(Context& ctx, Value request);
  // {"current", "latest", "applied": [{"version", "name", "appliedAt"}]}
  OwnedValue schema_status(Context& ctx);
  // Migrates (up or down) to `target`.
  void migrate_to(int64_t target);

  storage::Schema schema_;
  std::unique_ptr<ConnectionPool> pool_;
  storage::Counters counters_;
};

}  // namespace weft::postgres
