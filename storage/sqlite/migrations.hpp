// The versioned schema of a sqlite store: numbered migrations with up and down SQL, recorded in
// weft_schema_migrations(version, name, applied_at). Every function runs on the writer session
// and must be called with the store's write lock held.
#pragma once

#include <weft/sdk.hpp>

#include <Poco/Data/Session.h>

#include <cstdint>

namespace weft::storage {

// The newest schema version this backend knows.
int64_t latest_schema_version();

// The version recorded in the database (0 when nothing is applied).
int64_t current_schema_version(Poco::Data::Session& session);

// Applies the up migrations above the current version up to `to` (<= latest), each in its own
// transaction with its record.
void migrate_schema(Poco::Data::Session& session, int64_t to);

// Runs the down migrations from the current version down to `to` (>= 0), each in its own
// transaction, removing its record.
void rollback_schema(Poco::Data::Session& session, int64_t to);

// {"current", "latest", "applied": [{"version", "name", "appliedAt"}]}
OwnedValue schema_status(Context& ctx, Poco::Data::Session& session);

}  // namespace weft::storage
