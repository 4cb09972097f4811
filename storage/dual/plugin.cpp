// The weft-storage-dual plugin: registers the `dual` storage backend.
#include "dual_store.hpp"

WEFT_PLUGIN("weft-storage-dual", "0.1.0") {
  registry.add_storage<weft::dual::DualStore>("dual", R"({
    "displayName": "Dual: memory cache + database",
    "description": "A bounded memory cache in front of a database backend. Modes: dual (reads through the cache, writes through to the database), database-only, memory-only (nothing durable); switchable while running with the admin request {\"op\": \"setMode\", \"mode\": ...}.",
    "durable": true,
    "config": [
      {"name": "database", "type": "string", "required": true,
       "description": "The storage backend behind the cache, e.g. \"sqlite\" or \"postgres\" (any registered backend but dual)."},
      {"name": "databaseOptions", "type": "object", "default": {},
       "description": "That backend's own options, e.g. {\"path\": ...} for sqlite or {\"url\": ...} for postgres."},
      {"name": "mode", "type": "string", "enum": ["memory-only", "dual", "database-only"], "default": "dual",
       "description": "dual: cache in front of the database; database-only: no cache; memory-only: an unbounded memory store, nothing durable (stats say \"durable\": false)."},
      {"name": "cacheEntries", "type": "integer", "default": 10000,
       "description": "The most documents the cache holds in dual mode; the least recently used go first."},
      {"name": "autoMigrate", "type": "boolean", "default": false,
       "description": "Passed to the database backend: migrate its schema to the latest version on open."},
      {"name": "schemaCheck", "type": "boolean", "default": true,
       "description": "Passed to the database backend: refuse a schema behind or ahead of this build."}
    ]
  })");
}
