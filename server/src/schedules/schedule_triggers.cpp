#include "schedules/schedule_triggers.hpp"

#include "audit/audit_log.hpp"
#include "logging/logger.hpp"

#include <weft/runtime/schedule/trigger.hpp>

namespace weft::server {

Status ScheduleTriggers::on_activate(const WorkflowRecord& workflow) {
  struct Claim {
    std::string key;
    schedule::Trigger trigger;
  };
  std::vector<Claim> claims;
  const Json& nodes = workflow.definition.contains("nodes") ? workflow.definition["nodes"] : Json::array();
  for (const auto& node : nodes) {
    if (!node.is_object() || node.value("type", "") != "weft.schedule") continue;
    const std::string node_id = node.value("id", "");
    auto trigger = schedule::trigger_from_node_parameters(node.value("parameters", Json::object()));
    if (!trigger) return Status::invalid("node " + node_id + ": " + trigger.status().message());
    claims.push_back({workflow.id + "/" + node_id, std::move(*trigger)});
  }
  std::lock_guard lock(mutex_);
  if (auto it = keys_.find(workflow.id); it != keys_.end()) {
    for (const auto& key : it->second) scheduler_.remove(key);
    keys_.erase(it);
  }
  std::vector<std::string> keys;
  for (auto& claim : claims) {
    Submission base;
    base.workflow_id = workflow.id;
    base.version = workflow.version;
    base.definition = workflow.definition;
    base.mode = "schedule";
    schedule::Trigger trigger = claim.trigger;
    Status st = scheduler_.add(claim.key, std::move(claim.trigger),
                               [this, base, trigger](const schedule::Tick& tick) {
                                 Submission s = base;
                                 s.input = {std::make_shared<const Json>(schedule::tick_item(tick, trigger))};
                                 auto submitted = executions_.submit(std::move(s));
                                 if (!submitted) {
                                   logging::warn("schedules", "the schedule skipped a tick",
                                                 {{"workflowId", base.workflow_id},
                                                  {"error", submitted.status().message()}});
                                   return;
                                 }
                                 if (audit_) {
                                   AuditEvent e;
                                   e.actor_kind = "system";
                                   e.action = "execution.start";
                                   e.object_type = "execution";
                                   e.object_id = submitted->id();
                                   e.detail = {{"workflowId", base.workflow_id}, {"mode", "schedule"}};
                                   audit_->record(std::move(e));
                                 }
                               });
    if (!st) {
      for (const auto& key : keys) scheduler_.remove(key);
      return st;
    }
    keys.push_back(claim.key);
  }
  if (!keys.empty()) keys_[workflow.id] = std::move(keys);
  return Status::ok();
}

void ScheduleTriggers::on_deactivate(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(id);
  if (it == keys_.end()) return;
  for (const auto& key : it->second) scheduler_.remove(key);
  keys_.erase(it);
}

}  // namespace weft::server
