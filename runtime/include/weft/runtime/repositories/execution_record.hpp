// The stored record of one execution: what ExecutionRepository writes to collection
// "executions" and reads back. Built from the executor's ExecutionResult (execution.hpp); the
// per-node runs are kept exactly as ExecutionResult::to_json writes them.
//
// Stored body: {"id", "workflowId", "workflowVersion", "mode", "status", "startedAt" (Unix ms),
// "finishedAt" (Unix ms, null while unfinished), "durationMs" (null while unfinished),
// "retryOf" (null or an execution id), "input" ([items]), "error" (null or {"code", "message",
// "node"?}), "nodes" ([runs]), "result" ({node: [items]}), "response" (when a weft.respond node
// set one), "dataSaved" (false: item data was stripped)}. Index: workflowId, status, startedAt.
#pragma once

#include <weft/runtime/execution.hpp>
#include <weft/runtime/storage.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace weft {

// Where an execution stands. queued: waiting for a slot; running; then one of the outcomes:
// success, error, cancelled, or interrupted (the process stopped while it ran).
enum class ExecutionState { kQueued, kRunning, kSuccess, kError, kCancelled, kInterrupted };

// "queued", "running", "success", "error", "cancelled", "interrupted".
const char* execution_state_name(ExecutionState state);
// The state of a name, or nullopt for an unknown one.
std::optional<ExecutionState> parse_execution_state(std::string_view name);
// True for the outcomes (every state but queued and running).
bool is_finished(ExecutionState state);
// The outcome of an executor result: succeeded -> success, failed -> error, cancelled.
ExecutionState state_of(ExecutionStatus status);

struct ExecutionRecord {
  std::string id;
  std::string workflow_id;
  int64_t workflow_version = 0;
  std::string mode;  // manual, webhook, schedule, api, retry, cli
  ExecutionState status = ExecutionState::kQueued;
  int64_t started_at_ms = 0;
  std::optional<int64_t> finished_at_ms;
  std::string retry_of;           // the execution this one retries; empty when none
  Json input = Json::array();     // the trigger items
  Json error;                     // null, or {"code", "message", "node"?}
  Json nodes = Json::array();     // per-node runs, in the order they finished
  Json result = Json::object();   // items of the final nodes, by node id
  Json response;                  // null, or what a weft.respond node set
  bool data_saved = true;         // false: input, outputs, result and response were stripped

  // The record of a finished execution. `input`: the trigger items (the result does not hold
  // them). With include_data false, item data are left out but counts, status, timing and
  // errors are kept.
  static ExecutionRecord from_result(const ExecutionResult& result, const Items& input,
                                     bool include_data, std::string_view retry_of = {});
  // One node's run as stored in `nodes` (the layout of ExecutionResult::to_json).
  static Json node_json(const NodeRun& run, bool include_data);
  // Removes item data: input, node outputs, result and response.
  void strip_data();

  // The stored body and index; and back. body() && moves the JSON out instead of copying it.
  Json body() const&;
  Json body() &&;
  Json index() const;
  static ExecutionRecord from_stored(Record record);
};

}  // namespace weft
