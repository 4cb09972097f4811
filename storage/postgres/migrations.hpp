// The numbered schema migrations of the postgres backend, each with an up and a down, and
// their record in the table weft_schema_migrations(version, name, applied_at).
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <string>
#include <vector>

namespace weft::postgres {

// One applied migration, as recorded.
struct AppliedMigration {
  int64_t version = 0;
  std::string name;
  int64_t applied_at = 0;  // milliseconds since the Unix epoch
};

// The schema version this build knows up to.
int64_t latest_schema_version();

// The applied migrations in version order (none when the record table does not exist).
std::vector<AppliedMigration> applied_migrations(Poco::Data::Session& session);

// The highest applied version, 0 for none.
int64_t current_schema_version(Poco::Data::Session& session);

// Applies the up migrations above the current version up to `target`, or the down migrations
// from the current version down to above `target`, recording each. Must run inside a
// transaction: it takes a transaction-scoped advisory lock so that processes opening the same
// database at once migrate it one after the other. Throws weft::Error(WEFT_ERR_INVALID) for a
// target outside 0..latest.
void migrate_schema(Poco::Data::Session& session, int64_t target);

}  // namespace weft::postgres
