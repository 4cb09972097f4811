// One lifecycle event of a workflow or an execution, as the event bus (event_bus.hpp) carries
// it to live subscribers (the WebSocket /ws endpoint). Events are immutable once published and
// shared between subscribers.
#pragma once

#include <weft/runtime/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace weft::events {

enum class EventType {
  kWorkflowCreated,
  kWorkflowUpdated,
  kWorkflowDeleted,
  kWorkflowActivated,
  kWorkflowDeactivated,
  kExecutionQueued,
  kExecutionStarted,
  kExecutionNodeStarted,
  kExecutionNodeCompleted,  // a node succeeded, or was skipped or cancelled (see `status`)
  kExecutionNodeFailed,
  kExecutionCompleted,
  kExecutionFailed,
  kExecutionCancelled,  // also an execution interrupted by a shutdown (status "interrupted")
};

// "workflow.created", "execution.node_completed", ...: the `type` of a WebSocket message.
const char* event_type_name(EventType type);

// True for the execution.* types.
bool is_execution_event(EventType type);

struct Event {
  EventType type = EventType::kExecutionQueued;
  int64_t timestamp_ms = 0;  // Unix ms when it happened
  // Assigned by EventBus::publish: increasing over the bus, so every subscriber sees one order.
  uint64_t sequence = 0;
  std::string workflow_id;
  int64_t workflow_version = 0;  // 0 when unknown (workflow.deleted)
  std::string execution_id;      // execution.* only
  std::string mode;              // execution.queued / started: api, webhook, schedule, retry...
  std::string status;            // node and finished execution events: succeeded, failed, skipped...
  // Node events.
  std::string node_id;
  std::string node_type;
  int tries = 0;
  std::vector<size_t> items_in;   // per input port
  std::vector<size_t> items_out;  // per output port
  int64_t duration_ms = 0;        // node events and finished executions
  std::optional<std::string> error;  // the error message of a failed node or execution
  // The node's output items per port (node_completed / node_failed), only for subscribers that
  // asked for data and may read the workflow; null when not captured.
  std::shared_ptr<const Json> output;
};

// The `data` object of the event's message: camelCase ids, counts, timestamp; the node output
// as "output" only when `include_output` and the event holds one.
Json event_data(const Event& event, bool include_output);

}  // namespace weft::events
