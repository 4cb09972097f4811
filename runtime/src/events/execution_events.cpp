#include <weft/runtime/events/execution_events.hpp>

#include <weft/runtime/wall_clock.hpp>

namespace weft::events {

Event ExecutionEventPublisher::base(EventType type, const std::string& execution_id) {
  Event e;
  e.type = type;
  e.timestamp_ms = now_ms();
  e.execution_id = execution_id;
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = running_.find(execution_id); it != running_.end()) {
    e.workflow_id = it->second.first;
    e.workflow_version = it->second.second;
  }
  return e;
}

void ExecutionEventPublisher::execution_started(const ExecutionStarted& event) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_[event.id] = {event.workflow_id, event.workflow_version};
  }
  if (!bus_.wanted()) return;
  Event e = base(EventType::kExecutionStarted, event.id);
  e.mode = event.mode;
  e.timestamp_ms = event.started_at_ms;
  bus_.publish(std::move(e));
}

void ExecutionEventPublisher::node_started(const NodeStarted& event) {
  if (!bus_.wanted()) return;
  Event e = base(EventType::kExecutionNodeStarted, event.execution_id);
  e.node_id = event.node_id;
  e.node_type = event.type;
  bus_.publish(std::move(e));
}

void ExecutionEventPublisher::node_finished(const std::string& execution_id, const NodeRun& run) {
  if (!bus_.wanted()) return;
  Event e = base(run.status == NodeStatus::kFailed ? EventType::kExecutionNodeFailed : EventType::kExecutionNodeCompleted,
                 execution_id);
  e.node_id = run.node_id;
  e.node_type = run.type;
  e.status = node_status_name(run.status);
  e.tries = run.tries;
  e.items_in = run.items_in;
  for (const auto& port : run.output) e.items_out.push_back(port.size());
  e.duration_ms = run.duration_us / 1000;
  if (run.error) e.error = run.error->message();
  if (!run.output.empty() && bus_.output_wanted()) {
    Json ports = Json::array();
    for (const auto& port : run.output) {
      Json items = Json::array();
      for (const auto& item : port) items.push_back(item ? *item : Json());
      ports.push_back(std::move(items));
    }
    e.output = std::make_shared<const Json>(std::move(ports));
  }
  bus_.publish(std::move(e));
}

void ExecutionEventPublisher::execution_finished(const ExecutionResult& result) {
  EventType type = result.status == ExecutionStatus::kSucceeded ? EventType::kExecutionCompleted
                   : result.status == ExecutionStatus::kFailed  ? EventType::kExecutionFailed
                                                                 : EventType::kExecutionCancelled;
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(result.id);
  }
  if (!bus_.wanted()) return;
  Event e = base(type, result.id);
  e.workflow_id = result.workflow_id;
  e.workflow_version = result.workflow_version;
  e.mode = result.mode;
  e.status = execution_status_name(result.status);
  e.duration_ms = result.finished_at_ms - result.started_at_ms;
  if (result.finished_at_ms > 0) e.timestamp_ms = result.finished_at_ms;
  if (result.error) e.error = result.error->message();
  if (!result.error_node.empty()) e.node_id = result.error_node;
  bus_.publish(std::move(e));
}

}  // namespace weft::events
