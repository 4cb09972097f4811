// A workflow checked against the node registry and made ready to run: node types resolved,
// ports resolved to indices, parameters compiled, edges indexed. Immutable; shared by every
// execution of the same workflow version.
#pragma once

#include <weft/runtime/expression.hpp>
#include <weft/runtime/node_registry.hpp>
#include <weft/runtime/workflow.hpp>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace weft {

struct PlannedEdge {
  size_t from = 0;       // node index
  size_t from_port = 0;  // output port of `from`
  size_t to = 0;         // node index
  size_t to_port = 0;    // input port of `to`
};

struct PlannedParameter {
  std::string name;
  expr::Template value;  // compiled; defaults from the description included
};

struct PlannedNode {
  const WorkflowNode* node = nullptr;  // points into Plan::workflow
  // OWNERSHIP: owned by the registry, which outlives every plan made from it.
  const NodeType* type = nullptr;
  size_t inputs = 0;   // input ports
  size_t outputs = 0;  // output ports, including the error output when onError=errorOutput
  std::vector<PlannedParameter> parameters;
  std::vector<size_t> out_edges;  // indices into Plan::edges, in document order
  size_t in_edges = 0;            // number of edges arriving

  const PlannedParameter* parameter(std::string_view name) const {
    for (const auto& p : parameters)
      if (p.name == name) return &p;
    return nullptr;
  }
};

struct Plan {
  Workflow workflow;
  std::vector<PlannedNode> nodes;  // same order as workflow.nodes
  std::vector<PlannedEdge> edges;
  std::vector<size_t> start_nodes;  // nodes without incoming edges
  Json workflow_json;               // what $workflow reads: {id, name, version}

  // Index of a node id in `nodes`, or -1.
  int index_of(std::string_view node_id) const {
    auto it = node_index.find(node_id);
    return it == node_index.end() ? -1 : static_cast<int>(it->second);
  }
  std::map<std::string, size_t, std::less<>> node_index;
};

// Phrases an error of parameter `name`'s template (whose message may start with a path inside
// the value: "[0].value, column 8: ...") as "parameter 'name[0].value', column 8: ...".
std::string parameter_error(std::string_view name, const std::string& template_message);

// Checks `document` completely and builds its plan. Returns nullptr when the report has
// problems (it then holds every one of them, with node ids and paths).
std::shared_ptr<const Plan> plan_workflow(const Json& document, const NodeRegistry& registry,
                                          ValidationReport& report,
                                          const expr::Limits& limits = {});

}  // namespace weft
