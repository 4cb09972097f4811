// Hooks on the activation of workflows: the parts of the server that own triggers (webhooks,
// schedules) register an ActivationListener in ApiContext to claim a workflow's triggers when it
// is activated and release them when it is deactivated or deleted.
#pragma once

#include <weft/runtime/repositories/workflow_repository.hpp>
#include <weft/runtime/status.hpp>

#include <string_view>
#include <vector>

namespace weft::api {

class ActivationListener {
 public:
  virtual ~ActivationListener() = default;

  // Called before `workflow` (its current, already validated version) is marked active. A
  // failed Status refuses the activation: the workflow stays inactive and the caller gets the
  // status as a problem (kConflict -> 409, e.g. a webhook path another workflow holds). Must be
  // idempotent: a workflow already active may be activated again.
  virtual Status on_activate(const WorkflowRecord& workflow) = 0;

  // Called after the workflow `id` was deactivated or deleted. Must be idempotent and cannot
  // fail (releasing what was never claimed is a no-op).
  virtual void on_deactivate(std::string_view id) = 0;
};

// At start: tells `listeners` of every workflow the store has active, page by page. A workflow
// a listener refuses (a schedule that no longer parses, a webhook path taken twice) is reported
// on stderr and left without that listener's triggers: one bad workflow does not keep the
// server from starting. Fails only when the store cannot be read.
Status claim_active_workflows(const WorkflowRepository& workflows, const std::vector<ActivationListener*>& listeners);

}  // namespace weft::api
