// What an execution reports while it runs: an observer the Executor calls when the
// ExecutionRequest carries one. The execution repository records progress through it; a live
// event bus can subscribe the same way.
#pragma once

#include <weft/runtime/execution.hpp>
#include <weft/runtime/json.hpp>

#include <cstdint>
#include <string>

namespace weft {

// The start of an execution, before any node runs.
struct ExecutionStarted {
  const std::string& id;
  const std::string& workflow_id;
  int64_t workflow_version = 0;
  const std::string& mode;
  int64_t started_at_ms = 0;  // Unix ms
  const Items& input;         // the trigger items every start node receives
};

// A node about to make its first attempt.
struct NodeStarted {
  const std::string& execution_id;
  const std::string& node_id;
  const std::string& type;
  int64_t started_at_ms = 0;  // Unix ms
};

// Receives the events of executions. The Executor calls it on its own threads:
//   - execution_started once, first; execution_finished once, last, on the thread that called
//     Executor::run, before run returns;
//   - node_started / node_finished in between, possibly concurrently from several threads
//     when independent branches run in parallel (an implementation guards its own state).
// A node that is skipped gets node_finished (status skipped) without node_started.
// Calls must return quickly (they delay the execution) and must not wait for the execution. Whatever an observer throws is caught
// and dropped by the Executor, never propagated into the execution.
// The references passed are valid for the duration of the call only.
class ExecutionObserver {
 public:
  virtual ~ExecutionObserver() = default;

  // The execution begins.
  virtual void execution_started(const ExecutionStarted& /*event*/) {}
  // A node begins its first attempt.
  virtual void node_started(const NodeStarted& /*event*/) {}
  // A node is done (succeeded, failed, cancelled or skipped); `run` holds its outputs.
  virtual void node_finished(const std::string& /*execution_id*/, const NodeRun& /*run*/) {}
  // The execution is done; `result` is the record Executor::run is about to return.
  virtual void execution_finished(const ExecutionResult& /*result*/) {}
};

}  // namespace weft
