#include <weft/runtime/node_type.hpp>

namespace weft {

size_t NodeType::output_count(const Json& node_parameters) const {
  if (!outputs_from_parameter) return outputs.size();
  size_t n = 0;
  auto it = node_parameters.find(*outputs_from_parameter);
  if (it != node_parameters.end() && it->is_array()) n = it->size();
  return n + outputs_extra;
}

std::optional<size_t> NodeType::output_index(const Json& node_parameters,
                                             std::string_view port) const {
  size_t count = output_count(node_parameters);
  if (!outputs_from_parameter) {
    for (size_t i = 0; i < outputs.size(); ++i)
      if (outputs[i] == port) return i;
    return std::nullopt;
  }
  // Dynamic outputs: named by the array element's "name" field; the extra ports by `outputs`,
  // counted from the end.
  auto it = node_parameters.find(*outputs_from_parameter);
  if (it != node_parameters.end() && it->is_array()) {
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& el = (*it)[i];
      if (el.is_object() && el.contains("name") && el["name"] == port) return i;
    }
  }
  for (size_t i = 0; i < outputs.size() && i < outputs_extra; ++i)
    if (outputs[i] == port) return count - outputs_extra + i;
  return std::nullopt;
}

namespace {

bool valid_port_list(const Json& j) {
  if (!j.is_array()) return false;
  for (const auto& p : j)
    if (!p.is_string()) return false;
  return true;
}

}  // namespace

std::string parse_node_description(std::string_view description_json, NodeType& type) {
  Json d = Json::parse(description_json, nullptr, false);
  if (d.is_discarded() || !d.is_object()) return "its description is not a JSON object";
  type.description = d;
  type.trigger = d.value("trigger", false);
  if (d.contains("inputs")) {
    if (!valid_port_list(d["inputs"])) return "description field 'inputs' must be an array of names";
    type.inputs = d["inputs"].get<std::vector<std::string>>();
  } else if (!type.trigger) {
    type.inputs = {"main"};
  }
  if (d.contains("outputs")) {
    if (!valid_port_list(d["outputs"])) return "description field 'outputs' must be an array of names";
    type.outputs = d["outputs"].get<std::vector<std::string>>();
  } else {
    type.outputs = {"main"};
  }
  if (d.contains("outputsFrom")) {
    const Json& of = d["outputsFrom"];
    if (!of.is_object() || !of.contains("parameter") || !of["parameter"].is_string())
      return "description field 'outputsFrom' must be {\"parameter\": name, \"extra\": n}";
    type.outputs_from_parameter = of["parameter"].get<std::string>();
    const Json extra = of.value("extra", Json(0));
    if (!extra.is_number_unsigned() && !(extra.is_number_integer() && extra.get<int64_t>() >= 0))
      return "description field 'outputsFrom.extra' must be a non-negative integer";
    type.outputs_extra = extra.get<size_t>();
  }
  if (d.contains("parameters")) {
    if (!d["parameters"].is_array()) return "description field 'parameters' must be an array";
    for (const auto& p : d["parameters"]) {
      if (!p.is_object() || !p.contains("name") || !p["name"].is_string())
        return "every entry of description field 'parameters' needs a string 'name'";
      ParameterSpec spec;
      spec.name = p["name"].get<std::string>();
      spec.type = p.value("type", std::string("any"));
      spec.required = p.value("required", false);
      if (p.contains("default")) spec.default_value = p["default"];
      if (spec.type == "credential") {
        // ABI 1.2: a credential id, read through host->credential.
        auto ct = p.find("credentialTypes");
        if (ct == p.end() || !ct->is_array() || ct->empty())
          return "parameter '" + spec.name + "' of type credential needs a non-empty 'credentialTypes' array";
        for (const auto& t : *ct) {
          if (!t.is_string() || t.get_ref<const std::string&>().empty())
            return "parameter '" + spec.name + "': 'credentialTypes' must hold credential type names";
          spec.credential_types.push_back(t.get<std::string>());
        }
        if (spec.default_value) return "parameter '" + spec.name + "' of type credential cannot have a default";
      }
      if (p.contains("requiredWhen")) {
        const Json& rw = p["requiredWhen"];
        if (!rw.is_object() || !rw.contains("parameter") || !rw["parameter"].is_string() ||
            !rw.contains("in") || !rw["in"].is_array())
          return "parameter '" + spec.name + "': 'requiredWhen' must be {\"parameter\": name, \"in\": [values]}";
        spec.required_when_parameter = rw["parameter"].get<std::string>();
        for (const auto& v : rw["in"]) spec.required_when_values.push_back(v);
      }
      type.parameters.push_back(std::move(spec));
    }
  }
  for (const auto& spec : type.parameters)
    if (!spec.required_when_parameter.empty() && !type.parameter(spec.required_when_parameter))
      return "parameter '" + spec.name + "': 'requiredWhen' names parameter '" +
             spec.required_when_parameter + "', which is not declared";
  return {};
}

}  // namespace weft
