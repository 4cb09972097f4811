#include <weft/runtime/plan.hpp>

#include <algorithm>
#include <set>

namespace weft {

namespace {

std::string join_versions(const std::vector<uint32_t>& versions) {
  std::string out;
  for (uint32_t v : versions) out += (out.empty() ? "" : ", ") + std::to_string(v);
  return out;
}

// Whether a constant parameter value fits the declared type.
bool fits_type(const Json& v, const std::string& type) {
  if (type == "string") return v.is_string();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "credential") return v.is_string();
  return true;
}

// The literal value a node gives parameter `spec` (or its default), or nullptr when it has
// none or holds an expression.
const Json* literal_value(const WorkflowNode& n, const ParameterSpec& spec) {
  auto it = n.parameters.find(spec.name);
  if (it != n.parameters.end()) {
    if (it->is_string() && it->get_ref<const std::string&>().find("{{") != std::string::npos) return nullptr;
    return &*it;
  }
  return spec.default_value ? &*spec.default_value : nullptr;
}

// " (required when authentication is \"header\" or \"basic\")", or empty.
std::string required_when_text(const ParameterSpec& spec) {
  if (spec.required_when_parameter.empty()) return {};
  std::string values;
  for (size_t i = 0; i < spec.required_when_values.size(); ++i)
    values += (i == 0 ? "" : i + 1 == spec.required_when_values.size() ? " or " : ", ") +
              spec.required_when_values[i].dump();
  return " (required when " + spec.required_when_parameter + " is " + values + ")";
}

// Whether a `requiredWhen` rule makes `spec` required for node `n`.
bool required_by_rule(const WorkflowNode& n, const NodeType& t, const ParameterSpec& spec) {
  if (spec.required_when_parameter.empty()) return false;
  const ParameterSpec* other = t.parameter(spec.required_when_parameter);
  const Json* v = other ? literal_value(n, *other) : nullptr;
  if (!v) return false;
  return std::find(spec.required_when_values.begin(), spec.required_when_values.end(), *v) !=
         spec.required_when_values.end();
}

void plan_parameters(PlannedNode& pn, const std::string& path, const expr::Limits& limits,
                     ValidationReport& r) {
  const WorkflowNode& n = *pn.node;
  const NodeType& t = *pn.type;
  for (const auto& [name, value] : n.parameters.items()) {
    const ParameterSpec* spec = t.parameter(name);
    if (!spec) {
      std::string known;
      for (const auto& p : t.parameters) known += (known.empty() ? "" : ", ") + p.name;
      r.add(path + ".parameters." + name, n.id,
            "unknown parameter '" + name + "' for " + t.key() +
                (known.empty() ? " (it takes none)" : " (known: " + known + ")"));
      continue;
    }
    auto compiled = expr::Template::compile(value, limits);
    if (!compiled) {
      r.add(path + ".parameters." + name, n.id, parameter_error(name, compiled.status().message()));
      continue;
    }
    // A credential is named by a literal id, never an expression: what a node may open is
    // fixed when the workflow is saved, not decided by data flowing through it.
    if (spec->type == "credential" && !value.is_null() && (!compiled->is_constant() || !value.is_string())) {
      r.add(path + ".parameters." + name, n.id,
            "parameter '" + name + "' must be a literal credential id (a string, not an expression)");
      continue;
    }
    if (spec->type == "credential" && value.is_string() && value.get_ref<const std::string&>().empty() &&
        (spec->required || required_by_rule(n, t, *spec))) {
      r.add(path + ".parameters." + name, n.id, "missing credential id in parameter '" + name + "' of " + t.key() +
                                                    required_when_text(*spec));
      continue;
    }
    if (compiled->is_constant() && !value.is_null() && !fits_type(value, spec->type)) {
      r.add(path + ".parameters." + name, n.id,
            "parameter '" + name + "' must be of type " + spec->type + ", not " +
                std::string(value.type_name()));
      continue;
    }
    pn.parameters.push_back({name, std::move(*compiled)});
  }
  for (const auto& spec : t.parameters) {
    if (auto it = n.parameters.find(spec.name); it != n.parameters.end()) {
      if (it->is_null() && spec.default_value == std::nullopt && required_by_rule(n, t, spec))
        r.add(path + ".parameters." + spec.name, n.id,
              "missing parameter '" + spec.name + "' of " + t.key() + required_when_text(spec));
      continue;
    }
    if (!spec.default_value && !spec.required && required_by_rule(n, t, spec)) {
      r.add(path + ".parameters." + spec.name, n.id,
            "missing parameter '" + spec.name + "' of " + t.key() + required_when_text(spec));
      continue;
    }
    if (spec.default_value) {
      auto compiled = expr::Template::compile(*spec.default_value, limits);
      if (compiled) pn.parameters.push_back({spec.name, std::move(*compiled)});
    } else if (spec.required) {
      r.add(path + ".parameters." + spec.name, n.id,
            "missing required parameter '" + spec.name + "' of " + t.key());
    }
  }
}

}  // namespace

std::string parameter_error(std::string_view name, const std::string& message) {
  std::string param(name);
  std::string rest = message;
  size_t at = message.find(", column ");
  bool has_path = at != std::string::npos && message.rfind("column ", 0) != 0;
  if (has_path) {
    std::string path = message.substr(0, at);
    param += (path[0] == '[' ? "" : ".") + path;
    rest = message.substr(at);  // ", column N: ..."
    return "parameter '" + param + "'" + rest;
  }
  if (message.rfind("column ", 0) == 0) return "parameter '" + param + "', " + message;
  return "parameter '" + param + "': " + message;
}

std::shared_ptr<const Plan> plan_workflow(const Json& document, const NodeRegistry& registry,
                                          ValidationReport& r, const expr::Limits& limits) {
  auto plan = std::make_shared<Plan>();
  plan->workflow = parse_workflow(document, r);
  Workflow& w = plan->workflow;
  plan->workflow_json = {{"id", w.id}, {"name", w.name}, {"version", w.version}};

  // Nodes: types, versions, parameters.
  plan->nodes.resize(w.nodes.size());
  for (size_t i = 0; i < w.nodes.size(); ++i) plan->node_index.emplace(w.nodes[i].id, i);
  for (size_t i = 0; i < w.nodes.size(); ++i) {
    PlannedNode& pn = plan->nodes[i];
    pn.node = &w.nodes[i];
    const WorkflowNode& n = w.nodes[i];
    std::string path = "nodes[" + std::to_string(i) + "]";
    if (n.type.empty() || n.type_version == 0) continue;  // already reported by the parser
    pn.type = registry.find(n.type, n.type_version);
    if (!pn.type) {
      std::vector<uint32_t> versions = registry.versions(n.type);
      if (versions.empty())
        r.add(path + ".type", n.id, "unknown node type '" + n.type + "' (no loaded plugin registers it)");
      else
        r.add(path + ".typeVersion", n.id,
              "node type '" + n.type + "' has no version " + std::to_string(n.type_version) +
                  " (available: " + join_versions(versions) + ")");
      continue;
    }
    pn.inputs = pn.type->trigger ? 1 : pn.type->inputs.size();
    pn.outputs = pn.type->output_count(n.parameters) +
                 (n.settings.on_error == OnError::kErrorOutput ? 1 : 0);
    plan_parameters(pn, path, limits, r);
  }

  // Edges: endpoints and ports.
  std::set<std::tuple<size_t, size_t, size_t, size_t>> seen;
  for (size_t i = 0; i < w.edges.size(); ++i) {
    const Edge& e = w.edges[i];
    std::string path = "edges[" + std::to_string(i) + "]";
    int from = w.index_of(e.from);
    int to = w.index_of(e.to);
    if (from < 0) r.add(path + ".from", "", "edge from unknown node '" + e.from + "'");
    if (to < 0) r.add(path + ".to", "", "edge to unknown node '" + e.to + "'");
    if (from < 0 || to < 0) continue;
    const PlannedNode& src = plan->nodes[from];
    const PlannedNode& dst = plan->nodes[to];
    if (!src.type || !dst.type) continue;  // the node's own problem is reported
    PlannedEdge pe{size_t(from), 0, size_t(to), 0};

    if (e.from_port.index) {
      pe.from_port = *e.from_port.index;
    } else if (auto idx = src.type->output_index(src.node->parameters, e.from_port.name)) {
      pe.from_port = *idx;
    } else if (e.from_port.name == "error" &&
               src.node->settings.on_error == OnError::kErrorOutput) {
      pe.from_port = src.outputs - 1;
    } else {
      r.add(path + ".fromPort", e.from, "node " + e.from + " (" + src.type->key() +
                                            ") has no output named " + e.from_port.text());
      continue;
    }
    if (pe.from_port >= src.outputs) {
      r.add(path + ".fromPort", e.from,
            "node " + e.from + " (" + src.type->key() + ") has " + std::to_string(src.outputs) +
                " output(s); port " + std::to_string(pe.from_port) + " does not exist");
      continue;
    }
    if (dst.type->trigger) {
      r.add(path + ".to", e.to, "node " + e.to + " is a trigger (" + dst.type->key() +
                                    ") and cannot have incoming edges");
      continue;
    }
    if (e.to_port.index) {
      pe.to_port = *e.to_port.index;
    } else {
      auto& names = dst.type->inputs;
      auto it = std::find(names.begin(), names.end(), e.to_port.name);
      if (it == names.end()) {
        r.add(path + ".toPort", e.to, "node " + e.to + " (" + dst.type->key() +
                                          ") has no input named " + e.to_port.text());
        continue;
      }
      pe.to_port = size_t(it - names.begin());
    }
    if (pe.to_port >= dst.inputs) {
      r.add(path + ".toPort", e.to,
            "node " + e.to + " (" + dst.type->key() + ") has " + std::to_string(dst.inputs) +
                " input(s); port " + std::to_string(pe.to_port) + " does not exist");
      continue;
    }
    if (!seen.insert({pe.from, pe.from_port, pe.to, pe.to_port}).second) {
      r.add(path, e.from, "duplicate edge " + e.from + " -> " + e.to);
      continue;
    }
    plan->nodes[pe.from].out_edges.push_back(plan->edges.size());
    plan->nodes[pe.to].in_edges++;
    plan->edges.push_back(pe);
  }

  // Cycles (Kahn's algorithm): whatever cannot be ordered lies on or behind a cycle.
  std::vector<size_t> indegree(plan->nodes.size());
  for (size_t i = 0; i < plan->nodes.size(); ++i) indegree[i] = plan->nodes[i].in_edges;
  std::vector<size_t> queue;
  for (size_t i = 0; i < indegree.size(); ++i)
    if (indegree[i] == 0) queue.push_back(i);
  plan->start_nodes = queue;
  size_t ordered = 0;
  while (!queue.empty()) {
    size_t n = queue.back();
    queue.pop_back();
    ++ordered;
    for (size_t e : plan->nodes[n].out_edges)
      if (--indegree[plan->edges[e].to] == 0) queue.push_back(plan->edges[e].to);
  }
  if (ordered < plan->nodes.size()) {
    std::string members;
    for (size_t i = 0; i < indegree.size(); ++i)
      if (indegree[i] > 0) members += (members.empty() ? "" : ", ") + w.nodes[i].id;
    r.add("edges", "", "the graph has a cycle through: " + members);
  }
  if (!r.ok()) return nullptr;
  return plan;
}

}  // namespace weft
