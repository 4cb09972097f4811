// Which executions are recorded, and how much of them: the configuration's
// executions.save.{onSuccess, onError, progress, data}, overridden per workflow by its
// settings.saveExecutions {"onSuccess", "onError", "progress", "data"}.
#pragma once

#include <weft/runtime/config.hpp>
#include <weft/runtime/repositories/execution_record.hpp>

namespace weft {

struct SavePolicy {
  bool on_success = true;  // keep executions that succeeded
  bool on_error = true;    // keep executions that ended otherwise: error, cancelled, interrupted
  bool progress = false;   // write the record while it runs, after each node
  bool data = true;        // keep item data (else: counts, status, timing and errors only)

  // The policy of the configuration's executions.save.* keys.
  static SavePolicy from_config(const Config& config);

  // This policy with `workflow_settings`.saveExecutions applied over it; absent fields keep
  // this policy's values. kInvalid naming the field when saveExecutions or one of its fields
  // has the wrong type.
  Result<SavePolicy> for_workflow(const Json& workflow_settings) const;

  // Whether an execution that ended in `state` is kept. Unfinished states are never "kept":
  // they are written only as progress.
  bool keeps(ExecutionState state) const;
};

}  // namespace weft
