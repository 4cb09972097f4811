#include "plugin_catalog.hpp"

#include <string>

namespace weft {

namespace {

std::string abi_text(uint16_t major, uint16_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace

const NodeType& node_type_of(const NodeRegistry& registry, const std::string& key) {
  auto at = key.rfind('@');
  return *registry.find(key.substr(0, at), std::stoul(key.substr(at + 1)));
}

Json plugin_json(const PluginInfo& p, const NodeRegistry& registry, bool with_descriptions) {
  Json types = Json::array();
  for (const auto& key : p.node_types) {
    if (!with_descriptions) {
      types.push_back(key);
      continue;
    }
    const NodeType& t = node_type_of(registry, key);
    types.push_back({{"name", t.name}, {"typeVersion", t.version}, {"description", t.description}});
  }
  return {{"name", p.name},         {"version", p.version},
          {"abi", abi_text(p.abi_major, p.abi_minor)},
          {"buildId", p.build_id},  {"file", p.file},
          {"nodeTypes", std::move(types)},
          {"storageBackends", p.storage_backends},
          {"authProviders", p.auth_providers}};
}

Json refused_plugins_json(const PluginHost& host) {
  Json out = Json::array();
  for (const auto& r : host.refused()) out.push_back({{"file", r.file}, {"reason", r.reason}});
  return out;
}

Json plugins_document(const PluginHost& host) {
  Json loaded = Json::array();
  for (const auto& p : host.plugins()) loaded.push_back(plugin_json(*p, host.registry(), false));
  return {{"abi", abi_text(WEFT_ABI_MAJOR, WEFT_ABI_MINOR)},
          {"plugins", std::move(loaded)},
          {"refused", refused_plugins_json(host)}};
}

}  // namespace weft
