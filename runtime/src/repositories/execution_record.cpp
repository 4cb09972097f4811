#include <weft/runtime/repositories/execution_record.hpp>

#include "repository_support.hpp"

namespace weft {

namespace {

constexpr const char* kStateNames[] = {"queued", "running", "success", "error", "cancelled", "interrupted"};

Json items_json(const Items& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(*item);
  return out;
}

}  // namespace

const char* execution_state_name(ExecutionState state) {
  return kStateNames[static_cast<int>(state)];
}

std::optional<ExecutionState> parse_execution_state(std::string_view name) {
  for (int i = 0; i < 6; ++i)
    if (name == kStateNames[i]) return static_cast<ExecutionState>(i);
  return std::nullopt;
}

bool is_finished(ExecutionState state) {
  return state != ExecutionState::kQueued && state != ExecutionState::kRunning;
}

ExecutionState state_of(ExecutionStatus status) {
  switch (status) {
    case ExecutionStatus::kSucceeded: return ExecutionState::kSuccess;
    case ExecutionStatus::kFailed: return ExecutionState::kError;
    case ExecutionStatus::kCancelled: return ExecutionState::kCancelled;
  }
  return ExecutionState::kError;
}

ExecutionRecord ExecutionRecord::from_result(const ExecutionResult& result, const Items& input,
                                             bool include_data, std::string_view retry_of) {
  ExecutionRecord r;
  r.id = result.id;
  r.workflow_id = result.workflow_id;
  r.workflow_version = result.workflow_version;
  r.mode = result.mode;
  r.status = state_of(result.status);
  r.started_at_ms = result.started_at_ms;
  r.finished_at_ms = result.finished_at_ms;
  r.retry_of = std::string(retry_of);
  Json j = result.to_json(include_data);
  r.error = std::move(j["error"]);
  r.nodes = std::move(j["nodes"]);
  if (include_data) {
    r.input = items_json(input);
    r.result = std::move(j["result"]);
    if (j.contains("response")) r.response = std::move(j["response"]);
  } else {
    r.data_saved = false;
  }
  return r;
}

Json ExecutionRecord::node_json(const NodeRun& run, bool include_data) {
  // The one layout of a node run is ExecutionResult::to_json's: reuse it.
  ExecutionResult one;
  one.runs.push_back(run);
  Json j = one.to_json(include_data);
  return std::move(j["nodes"][0]);
}

void ExecutionRecord::strip_data() {
  input = Json::array();
  result = Json::object();
  response = nullptr;
  for (auto& node : nodes)
    if (node.is_object()) node.erase("output");
  data_saved = false;
}

Json ExecutionRecord::body() const& {
  ExecutionRecord copy = *this;
  return std::move(copy).body();
}

Json ExecutionRecord::body() && {
  Json b = repo::object_with_room(15);
  b["id"] = id;
  b["workflowId"] = workflow_id;
  b["workflowVersion"] = workflow_version;
  b["mode"] = mode;
  b["status"] = execution_state_name(status);
  b["startedAt"] = started_at_ms;
  b["finishedAt"] = finished_at_ms ? Json(*finished_at_ms) : Json(nullptr);
  b["durationMs"] = finished_at_ms ? Json(*finished_at_ms - started_at_ms) : Json(nullptr);
  b["retryOf"] = retry_of.empty() ? Json(nullptr) : Json(retry_of);
  b["input"] = std::move(input);
  b["error"] = std::move(error);
  b["nodes"] = std::move(nodes);
  b["result"] = std::move(result);
  b["dataSaved"] = data_saved;
  if (!response.is_null()) b["response"] = std::move(response);
  return b;
}

Json ExecutionRecord::index() const {
  return {{"workflowId", workflow_id}, {"status", execution_state_name(status)},
          {"startedAt", started_at_ms}};
}

ExecutionRecord ExecutionRecord::from_stored(Record stored) {
  Json& b = stored.body;
  ExecutionRecord r;
  r.id = std::move(stored.id);
  r.workflow_id = repo::text_field(b, "workflowId");
  r.workflow_version = repo::int_field(b, "workflowVersion");
  r.mode = repo::text_field(b, "mode");
  r.status = parse_execution_state(repo::text_field(b, "status")).value_or(ExecutionState::kError);
  r.started_at_ms = repo::int_field(b, "startedAt");
  r.finished_at_ms = repo::optional_int_field(b, "finishedAt");
  r.retry_of = repo::text_field(b, "retryOf");
  r.data_saved = repo::bool_field(b, "dataSaved", true);
  if (!b.is_object()) return r;
  if (auto it = b.find("input"); it != b.end() && it->is_array()) r.input = std::move(*it);
  if (auto it = b.find("error"); it != b.end()) r.error = std::move(*it);
  if (auto it = b.find("nodes"); it != b.end() && it->is_array()) r.nodes = std::move(*it);
  if (auto it = b.find("result"); it != b.end() && it->is_object()) r.result = std::move(*it);
  if (auto it = b.find("response"); it != b.end()) r.response = std::move(*it);
  return r;
}

}  // namespace weft
