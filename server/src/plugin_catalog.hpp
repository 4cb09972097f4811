// The JSON view of the loaded plugins, one shape for `weft plugins list|inspect --json` and for
// GET /api/v1/plugins.
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/plugin_host.hpp>

namespace weft {

// The registered type of a "name@version" key of PluginInfo::node_types (which the registry
// always holds for a loaded plugin).
const NodeType& node_type_of(const NodeRegistry& registry, const std::string& key);

// {"name", "version", "abi", "buildId", "file", "nodeTypes", "storageBackends",
// "authProviders"}. nodeTypes lists "name@version" keys, or with `with_descriptions` objects
// {"name", "typeVersion", "description"} from `registry`.
Json plugin_json(const PluginInfo& plugin, const NodeRegistry& registry, bool with_descriptions);

// [{"file", "reason"}] for every refused file.
Json refused_plugins_json(const PluginHost& host);

// {"abi": host ABI, "plugins": [plugin_json without descriptions], "refused": [...]}.
Json plugins_document(const PluginHost& host);

}  // namespace weft
