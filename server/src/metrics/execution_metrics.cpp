#include "metrics/execution_metrics.hpp"

namespace weft::metrics {

const char* execution_status_label(ExecutionStatus status) {
  switch (status) {
    case ExecutionStatus::kSucceeded: return "success";
    case ExecutionStatus::kFailed: return "error";
    case ExecutionStatus::kCancelled: return "cancelled";
  }
  return "error";
}

void ExecutionMetrics::execution_started(const ExecutionStarted&) { metrics_.execution_started(); }

void ExecutionMetrics::node_finished(const std::string&, const NodeRun& run) {
  const bool ran = run.status != NodeStatus::kSkipped;
  metrics_.node_finished(run.type, node_status_name(run.status), static_cast<double>(run.duration_us) / 1e6, ran);
}

void ExecutionMetrics::execution_finished(const ExecutionResult& result) {
  metrics_.execution_finished(execution_status_label(result.status),
                              static_cast<double>(result.finished_at_ms - result.started_at_ms) / 1e3);
}

}  // namespace weft::metrics
