// Hooks on the activation of workflows: the parts of the server that own triggers (webhooks,
// schedules) register an ActivationListener in ApiContext to claim a workflow's triggers when it
// is activated and release them when it is deactivated or deleted.
#pragma once

#include <weft/runtime/repositories/workflow_repository.hpp>
#include <weft/runtime/status.hpp>

#include <string_view>

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

}  // namespace weft::api
