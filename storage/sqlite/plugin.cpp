// The weft-storage-sqlite plugin: registers the `sqlite` storage backend.
#include "sqlite_store.hpp"

WEFT_PLUGIN("weft-storage-sqlite", "0.1.0") {
  registry.add_storage<weft::storage::SqliteStore>("sqlite", R"({
    "displayName": "SQLite",
    "description": "Documents in one SQLite file (WAL mode); the embedded default, no set-up.",
    "durable": true,
    "config": [
      {"name": "path", "type": "string", "required": true, "description": "The database file; it and its folder are created when missing."},
      {"name": "autoMigrate", "type": "boolean", "default": false, "description": "Migrate the schema to the latest version on open."},
      {"name": "busyTimeoutMs", "type": "integer", "default": 5000, "description": "How long a call waits for another process's write lock before failing as unavailable."}
    ]
  })");
}
