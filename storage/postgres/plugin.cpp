// The weft-storage-postgres plugin: registers the `postgres` storage backend.
#include "postgres_store.hpp"

#include <weft/sdk.hpp>

WEFT_PLUGIN("weft-storage-postgres", "0.1.0") {
  registry.add_storage<weft::postgres::PostgresStore>("postgres", R"({
    "displayName": "PostgreSQL",
    "description": "Documents in a PostgreSQL database through a session pool; the production and scale-out backend.",
    "durable": true,
    "config": [
      {"name": "url", "type": "string", "required": true,
       "description": "postgresql://user:password@host:port/database"},
      {"name": "poolSize", "type": "integer", "default": 8,
       "description": "Database sessions held open by each store"},
      {"name": "connectTimeoutMs", "type": "integer", "default": 5000,
       "description": "Connection timeout, rounded up to whole seconds"},
      {"name": "autoMigrate", "type": "boolean", "default": false,
       "description": "Apply pending schema migrations when the store opens"},
      {"name": "schemaCheck", "type": "boolean", "default": true,
       "description": "Refuse a schema behind or ahead of this build; false opens it as it is"}
    ]
  })");
}
