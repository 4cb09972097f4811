// The workflow document: nodes, edges and settings, parsed from JSON.
//
//   {"id": "order-triage", "name": "Order triage",
//    "nodes": [{"id": "check", "type": "weft.if", "typeVersion": 1,
//               "parameters": {"condition": "{{ $json.total > 100 }}"},
//               "settings": {"retry": {"maxTries": 3, "waitMs": 500}, "timeoutMs": 10000,
//                            "onError": "stop"}}],
//    "edges": [{"from": "total", "to": "check"},
//              {"from": "check", "fromPort": "true", "to": "big", "toPort": 0}]}
#pragma once

#include <weft/runtime/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weft {

enum class OnError { kStop, kContinue, kErrorOutput };

const char* on_error_name(OnError e);

// Per-node behaviour on failure and time.
struct NodeSettings {
  int max_tries = 1;          // 1..10 attempts in all
  int64_t retry_wait_ms = 0;  // wait between attempts, 0..3,600,000
  int64_t timeout_ms = 0;     // per attempt; 0 = none
  OnError on_error = OnError::kStop;
};

struct WorkflowNode {
  std::string id;
  std::string type;
  uint32_t type_version = 0;
  Json parameters = Json::object();
  NodeSettings settings;
};

// A port is named in the document by index or by name; names resolve against the node type.
struct PortRef {
  std::optional<size_t> index;
  std::string name;  // set when the document named the port
  std::string text() const { return index ? std::to_string(*index) : "\"" + name + "\""; }
};

struct Edge {
  std::string from;
  PortRef from_port;
  std::string to;
  PortRef to_port;
};

struct Workflow {
  std::string id;
  std::string name;
  int64_t version = 0;
  std::vector<WorkflowNode> nodes;
  std::vector<Edge> edges;
  Json settings = Json::object();

  // Index into `nodes`, or -1.
  int index_of(std::string_view node_id) const;
};

// One problem found in a workflow document. `path` is a JSON-path-like location
// ("nodes[2].parameters.fields[0].value"); `node` the node id when the problem is a node's.
struct Problem {
  std::string path;
  std::string node;
  std::string message;
};

// Every problem, not just the first. Empty means valid.
struct ValidationReport {
  std::vector<Problem> problems;
  bool ok() const { return problems.empty(); }
  void add(std::string path, std::string node, std::string message) {
    problems.push_back({std::move(path), std::move(node), std::move(message)});
  }
  // {"valid": bool, "problems": [{"path", "node", "message"}]}
  Json to_json() const;
  // One line per problem: "<node or path>: <message>".
  std::string to_text() const;
};

// Parses the document's structure, adding a problem for each structural fault (missing or
// mistyped fields, duplicate node ids, bad settings). Node types, edges and expressions are
// checked against the registry by validate() (validation.hpp).
Workflow parse_workflow(const Json& document, ValidationReport& report);

}  // namespace weft
