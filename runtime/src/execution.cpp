#include <weft/runtime/execution.hpp>

#include <ctime>

namespace weft {

const char* execution_status_name(ExecutionStatus s) {
  switch (s) {
    case ExecutionStatus::kSucceeded: return "succeeded";
    case ExecutionStatus::kFailed: return "failed";
    case ExecutionStatus::kCancelled: return "cancelled";
  }
  return "failed";
}

const char* node_status_name(NodeStatus s) {
  switch (s) {
    case NodeStatus::kSucceeded: return "succeeded";
    case NodeStatus::kFailed: return "failed";
    case NodeStatus::kSkipped: return "skipped";
    case NodeStatus::kCancelled: return "cancelled";
  }
  return "failed";
}

namespace {

// RFC 3339 UTC with milliseconds: 2026-11-26T07:09:07.123Z
std::string iso_time(int64_t unix_ms) {
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

Json error_json(const Status& s) { return {{"code", code_name(s.code())}, {"message", s.message()}}; }

Json items_json(const Items& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(*item);
  return out;
}

}  // namespace

Json ExecutionResult::to_json(bool include_data) const {
  Json j = {{"id", id},
            {"workflowId", workflow_id},
            {"workflowVersion", workflow_version},
            {"mode", mode},
            {"status", execution_status_name(status)},
            {"startedAt", iso_time(started_at_ms)},
            {"finishedAt", iso_time(finished_at_ms)},
            {"durationMs", finished_at_ms - started_at_ms}};
  if (error) {
    Json e = error_json(*error);
    if (!error_node.empty()) e["node"] = error_node;
    j["error"] = std::move(e);
  } else {
    j["error"] = nullptr;
  }
  Json nodes = Json::array();
  for (const auto& r : runs) {
    Json n = {{"id", r.node_id},
              {"type", r.type},
              {"typeVersion", r.type_version},
              {"status", node_status_name(r.status)},
              {"tries", r.tries},
              {"startedAt", iso_time(r.started_at_ms)},
              {"durationUs", r.duration_us},
              {"itemsIn", r.items_in}};
    Json out_counts = Json::array();
    for (const auto& port : r.output) out_counts.push_back(port.size());
    n["itemsOut"] = std::move(out_counts);
    if (r.error) n["error"] = error_json(*r.error);
    if (include_data) {
      Json data = Json::array();
      for (const auto& port : r.output) data.push_back(items_json(port));
      n["output"] = std::move(data);
    }
    nodes.push_back(std::move(n));
  }
  j["nodes"] = std::move(nodes);
  Json res = Json::object();
  for (const auto& [node, items] : result) res[node] = items_json(items);
  j["result"] = std::move(res);
  if (response) j["response"] = *response;
  return j;
}

}  // namespace weft
