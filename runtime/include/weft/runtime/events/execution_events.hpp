// Execution events on the bus: an ExecutionObserver that publishes execution.started,
// node_started, node_completed / node_failed and completed / failed / cancelled. (queued, and
// cancelled before a start, come from whoever queues: server/src/executions.)
#pragma once

#include <weft/runtime/events/event_bus.hpp>
#include <weft/runtime/execution_observer.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace weft::events {

// Publishes the events of every execution it observes (one instance serves all executions;
// it remembers each running execution's workflow, which node events need for routing), and
// nothing while no subscriber wants events (EventBus::wanted).
// OWNERSHIP: the bus is borrowed and must outlive the publisher. Thread-safe.
class ExecutionEventPublisher : public ExecutionObserver {
 public:
  explicit ExecutionEventPublisher(EventBus& bus) : bus_(bus) {}

  void execution_started(const ExecutionStarted& event) override;
  void node_started(const NodeStarted& event) override;
  // Copies the node's output items into the event once (shared by every subscriber), and only
  // when a subscriber wants output (EventBus::output_wanted).
  void node_finished(const std::string& execution_id, const NodeRun& run) override;
  void execution_finished(const ExecutionResult& result) override;

 private:
  Event base(EventType type, const std::string& execution_id);

  EventBus& bus_;
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, int64_t>> running_;  // execution -> workflow, version
};

}  // namespace weft::events
