// The ExecutionObserver that feeds an execution's progress into Metrics: running gauge,
// executions by status and their duration, node runs by type and outcome and their duration.
#pragma once

#include "metrics/metrics.hpp"

#include <weft/runtime/execution_observer.hpp>

#include <memory>

namespace weft::metrics {

class ExecutionMetrics final : public ExecutionObserver {
 public:
  // OWNERSHIP: `metrics` is borrowed and must outlive every execution this observer watches.
  explicit ExecutionMetrics(Metrics& metrics) : metrics_(metrics) {}

  void execution_started(const ExecutionStarted& event) override;
  void node_finished(const std::string& execution_id, const NodeRun& run) override;
  void execution_finished(const ExecutionResult& result) override;

 private:
  Metrics& metrics_;
};

// The `status` label of an execution's outcome, as the API names it: success, error, cancelled.
const char* execution_status_label(ExecutionStatus status);

}  // namespace weft::metrics
