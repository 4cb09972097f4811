// A node type as the host knows it: what a plugin registered, parsed and checked once.
#pragma once

#include <weft/abi.h>
#include <weft/runtime/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weft {

struct PluginInfo;

// One parameter as declared in a node type's description.
struct ParameterSpec {
  std::string name;
  std::string type;  // string | number | boolean | object | array | any | credential
  bool required = false;
  std::optional<Json> default_value;
  // type "credential": the credential types the parameter takes (never empty).
  std::vector<std::string> credential_types;
  // "requiredWhen": required when parameter `required_when_parameter`'s literal value (or its
  // default) is one of `required_when_values`. Empty parameter name: no such rule.
  std::string required_when_parameter;
  std::vector<Json> required_when_values;
};

class NodeType {
 public:
  std::string name;
  uint32_t version = 0;
  Json description;  // the plugin's description, as registered
  bool trigger = false;
  std::vector<std::string> inputs;   // input port names
  std::vector<std::string> outputs;  // output port names (fixed part)
  // When set, the number of outputs is the length of this array parameter plus `outputs_extra`
  // (e.g. weft.switch: one output per rule plus a fallback).
  std::optional<std::string> outputs_from_parameter;
  size_t outputs_extra = 0;
  std::vector<ParameterSpec> parameters;

  // The plugin's functions. OWNERSHIP: code inside `library`, which this object keeps loaded.
  weft_status (*create)(weft_ctx*, void**) = nullptr;
  weft_status (*execute)(void*, weft_ctx*) = nullptr;
  void (*destroy)(void*) = nullptr;
  std::shared_ptr<void> library;
  std::shared_ptr<const PluginInfo> plugin;

  // "weft.set@1"
  std::string key() const { return name + "@" + std::to_string(version); }
  const ParameterSpec* parameter(std::string_view n) const {
    for (const auto& p : parameters)
      if (p.name == n) return &p;
    return nullptr;
  }
  // The number of regular output ports for a node with these parameters.
  size_t output_count(const Json& node_parameters) const;
  // The index of output port `name` for a node with these parameters, if any.
  std::optional<size_t> output_index(const Json& node_parameters, std::string_view port) const;
};

// Parses a registered description into `type`; returns an error message or empty.
std::string parse_node_description(std::string_view description_json, NodeType& type);

}  // namespace weft
