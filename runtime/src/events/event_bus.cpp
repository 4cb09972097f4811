#include <weft/runtime/events/event_bus.hpp>

#include <weft/runtime/wall_clock.hpp>

#include <algorithm>

namespace weft::events {

const char* event_type_name(EventType type) {
  switch (type) {
    case EventType::kWorkflowCreated: return "workflow.created";
    case EventType::kWorkflowUpdated: return "workflow.updated";
    case EventType::kWorkflowDeleted: return "workflow.deleted";
    case EventType::kWorkflowActivated: return "workflow.activated";
    case EventType::kWorkflowDeactivated: return "workflow.deactivated";
    case EventType::kExecutionQueued: return "execution.queued";
    case EventType::kExecutionStarted: return "execution.started";
    case EventType::kExecutionNodeStarted: return "execution.node_started";
    case EventType::kExecutionNodeCompleted: return "execution.node_completed";
    case EventType::kExecutionNodeFailed: return "execution.node_failed";
    case EventType::kExecutionCompleted: return "execution.completed";
    case EventType::kExecutionFailed: return "execution.failed";
    case EventType::kExecutionCancelled: return "execution.cancelled";
  }
  return "unknown";
}

bool is_execution_event(EventType type) { return type >= EventType::kExecutionQueued; }

Json event_data(const Event& e, bool include_output) {
  Json d = {{"workflowId", e.workflow_id}, {"timestamp", e.timestamp_ms}, {"sequence", e.sequence}};
  if (e.workflow_version > 0) d["workflowVersion"] = e.workflow_version;
  if (!is_execution_event(e.type)) return d;
  d["executionId"] = e.execution_id;
  if (!e.mode.empty()) d["mode"] = e.mode;
  if (!e.status.empty()) d["status"] = e.status;
  // Node events name their node; a failed execution names the node that failed it.
  if (!e.node_id.empty()) d["nodeId"] = e.node_id;
  if (!e.node_type.empty()) d["nodeType"] = e.node_type;
  const bool node_done = e.type == EventType::kExecutionNodeCompleted || e.type == EventType::kExecutionNodeFailed;
  if (node_done) {
    d["tries"] = e.tries;
    d["itemsIn"] = e.items_in;
    d["itemsOut"] = e.items_out;
  }
  if (node_done || e.type == EventType::kExecutionCompleted || e.type == EventType::kExecutionFailed ||
      e.type == EventType::kExecutionCancelled)
    d["durationMs"] = e.duration_ms;
  if (e.error) d["error"] = *e.error;
  if (include_output && e.output) d["output"] = *e.output;
  return d;
}

bool Subscription::offer(const EventPtr& event) {
  std::lock_guard<std::mutex> lock(mu_);
  if (queue_.size() >= capacity_) {
    ++dropped_;
    return true;  // the subscriber must learn of the drop
  }
  queue_.push_back(event);
  return queue_.size() == 1;
}

std::vector<EventPtr> Subscription::drain(size_t max) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t n = std::min(max, queue_.size());
  std::vector<EventPtr> out(std::make_move_iterator(queue_.begin()),
                            std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  return out;
}

bool Subscription::overflowed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_ > 0;
}

uint64_t Subscription::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

size_t Subscription::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

std::shared_ptr<Subscription> EventBus::subscribe(size_t capacity, std::function<void()> notify) {
  auto s = std::make_shared<Subscription>(std::max<size_t>(1, capacity), std::move(notify));
  std::lock_guard<std::mutex> lock(mu_);
  subscribers_.push_back(s);
  return s;
}

void EventBus::unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  std::lock_guard<std::mutex> lock(mu_);
  subscribers_.erase(std::remove(subscribers_.begin(), subscribers_.end(), subscription), subscribers_.end());
}

void EventBus::publish(Event event) {
  if (event.timestamp_ms == 0) event.timestamp_ms = now_ms();
  std::vector<std::shared_ptr<Subscription>> told;
  {
    std::lock_guard<std::mutex> lock(mu_);
    event.sequence = ++sequence_;
    if (subscribers_.empty()) return;
    auto shared = std::make_shared<const Event>(std::move(event));
    for (const auto& s : subscribers_) {
      if (!s->wants_events_.load(std::memory_order_relaxed)) continue;
      if (s->offer(shared) && s->notify_) told.push_back(s);
    }
  }
  // Outside the bus lock: a notify may take its own locks.
  for (const auto& s : told) s->notify_();
}

bool EventBus::wanted() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : subscribers_)
    if (s->wants_events_.load(std::memory_order_relaxed)) return true;
  return false;
}

bool EventBus::output_wanted() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : subscribers_)
    if (s->wants_output_.load(std::memory_order_relaxed)) return true;
  return false;
}

size_t EventBus::subscribers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return subscribers_.size();
}

uint64_t EventBus::published() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sequence_;
}

}  // namespace weft::events
