// The weft-storage-memory plugin: registers the `memory` storage backend.
#include "memory_store.hpp"

WEFT_PLUGIN("weft-storage-memory", "0.1.0") {
  registry.add_storage<weft::storage::MemoryStore>("memory", R"({
    "displayName": "Memory",
    "description": "Documents kept in process memory; lost when the process exits. For tests and ephemeral use.",
    "durable": false,
    "config": []
  })");
}
