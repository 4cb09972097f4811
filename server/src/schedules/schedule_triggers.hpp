// Runs active workflows on their `weft.schedule` triggers: an ActivationListener that claims a
// workflow's schedule nodes in a Scheduler when it is activated (or saved while active) and
// releases them when it is deactivated or deleted. Each tick submits an execution (mode
// "schedule") whose trigger item is the tick ({"timestamp", "scheduledAt", "timezone"}).
#pragma once

#include "api/activation.hpp"
#include "executions/execution_service.hpp"

#include <weft/runtime/schedule/scheduler.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace weft::server {

class AuditLog;

class ScheduleTriggers : public api::ActivationListener {
 public:
  // Every execution a tick starts is in `audit` (action execution.start, actor kind "system")
  // when given. OWNERSHIP: `executions` and `audit` are borrowed and must outlive this object.
  explicit ScheduleTriggers(ExecutionService& executions, const AuditLog* audit = nullptr)
      : executions_(executions), audit_(audit) {}
  ~ScheduleTriggers() override { stop(); }

  // Stops the scheduler for good: no tick starts after it returns. Idempotent.
  void stop() { scheduler_.stop(); }

  // kInvalid naming the node when a weft.schedule node's parameters do not make a trigger.
  Status on_activate(const WorkflowRecord& workflow) override;
  void on_deactivate(std::string_view id) override;

 private:
  ExecutionService& executions_;
  const AuditLog* audit_;  // null: ticks are not audited
  schedule::Scheduler scheduler_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::string>, std::less<>> keys_;  // workflow id -> keys
};

}  // namespace weft::server
