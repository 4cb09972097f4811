// The record of one execution: overall outcome and one run record per node.
#pragma once

#include <weft/runtime/json.hpp>
#include <weft/runtime/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weft {

enum class ExecutionStatus { kSucceeded, kFailed, kCancelled };
enum class NodeStatus { kSucceeded, kFailed, kSkipped, kCancelled };

const char* execution_status_name(ExecutionStatus s);  // "succeeded", "failed", "cancelled"
const char* node_status_name(NodeStatus s);            // "succeeded", "failed", "skipped", ...

struct NodeRun {
  std::string node_id;
  std::string type;
  uint32_t type_version = 0;
  NodeStatus status = NodeStatus::kSkipped;
  int tries = 0;                  // attempts made (0 when skipped)
  int64_t started_at_ms = 0;      // Unix ms
  int64_t duration_us = 0;
  std::vector<size_t> items_in;   // per input port
  std::vector<Items> output;      // per output port
  std::optional<Status> error;    // the last attempt's error
};

struct ExecutionResult {
  std::string id;
  std::string workflow_id;
  int64_t workflow_version = 0;
  std::string mode;  // manual, webhook, schedule, api, retry, cli
  ExecutionStatus status = ExecutionStatus::kSucceeded;
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;
  std::optional<Status> error;  // why the execution failed or was cancelled
  std::string error_node;       // the node that failed it, if one did
  std::vector<NodeRun> runs;    // in the order the nodes finished
  std::optional<Json> response; // set by a weft.respond node
  // Items of the nodes that have no outgoing edges and ran, by node id.
  std::vector<std::pair<std::string, Items>> result;

  const NodeRun* run_of(std::string_view node_id) const {
    for (const auto& r : runs)
      if (r.node_id == node_id) return &r;
    return nullptr;
  }

  // The execution as JSON. With include_data, per-node output items are included.
  Json to_json(bool include_data = true) const;
};

}  // namespace weft
