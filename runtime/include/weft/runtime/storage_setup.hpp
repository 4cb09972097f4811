// Opens the store the configuration names, with weft's collections declared.
#pragma once

#include <weft/runtime/config.hpp>
#include <weft/runtime/storage.hpp>

namespace weft {

// The collections of weft's domain and their index fields (sdk/STORAGE.md, "Collections").
const Json& domain_collections();

enum class SchemaCheck {
  kEnforce,  // refuse a schema that is behind (unless storage.autoMigrate) or ahead
  kSkip,     // open whatever the schema is: for `weft db status|migrate|rollback`
};

// Opens `storage.backend` with the options of its config section. Errors name the backend and
// the key at fault, never a password.
Result<std::unique_ptr<Storage>> open_configured_storage(const PluginHost& plugins,
                                                         const Config& config, SchemaCheck check);

}  // namespace weft
