// Execution records (execution_record.hpp) in collection "executions": recorded per a
// SavePolicy, read, listed, removed and pruned. Every write goes through the group-commit
// ExecutionWriter, so writes of one execution apply in order; reads see committed writes only
// (flush the writer to read your own). Thread-safe.
#pragma once

#include <weft/runtime/repositories/execution_recorder.hpp>
#include <weft/runtime/repositories/execution_record.hpp>
#include <weft/runtime/repositories/execution_writer.hpp>
#include <weft/runtime/repositories/page.hpp>
#include <weft/runtime/repositories/save_policy.hpp>
#include <weft/runtime/storage.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace weft {

struct ExecutionQuery {
  std::optional<std::string> workflow_id;
  std::optional<ExecutionState> status;
  std::optional<int64_t> started_from_ms;    // startedAt >= this (Unix ms)
  std::optional<int64_t> started_before_ms;  // startedAt < this
  PageRequest page;
};

class ExecutionRepository {
 public:
  // OWNERSHIP: `storage` and `writer` are borrowed and must outlive the repository; `writer`
  // writes into `storage`, which declares domain_collections(). `defaults`: the
  // configuration's policy (SavePolicy::from_config).
  ExecutionRepository(const Storage& storage, ExecutionWriter& writer, SavePolicy defaults);

  const SavePolicy& defaults() const { return defaults_; }
  // The policy of a workflow: the defaults overridden by its settings.saveExecutions; kInvalid
  // naming the field at fault.
  Result<SavePolicy> policy_for(const Json& workflow_settings) const {
    return defaults_.for_workflow(workflow_settings);
  }

  // An observer to put in ExecutionRequest::observer: records that execution per `policy`
  // (progress while running, then the outcome). retry_of: the execution it retries, if any.
  std::shared_ptr<ExecutionRecorder> recorder(const SavePolicy& policy,
                                               std::string retry_of = {}) const;

  // Records a finished execution per `policy` (nothing when the policy does not keep its
  // outcome) and waits until it is durable. `input`: its trigger items.
  Status save(const ExecutionResult& result, const SavePolicy& policy, const Items& input = {},
              std::string_view retry_of = {}) const;

  // Writes `record` as given (a queued or interrupted execution, ...) and waits until durable.
  Status put(const ExecutionRecord& record) const;
  // Queues `record` for the writer and returns without waiting for it: for progress nobody
  // waits on (an execution's "running" record). The writer commits in order, so a later put()
  // or save() of the same execution lands after it. kInvalid without an id; kUnavailable when
  // the writer's queue stays full.
  Status put_later(const ExecutionRecord& record) const;

  // The record, or kNotFound.
  Result<ExecutionRecord> get(std::string_view id) const;

  // Records matching `query`, newest first (by startedAt, then id). kInvalid for a bad limit
  // or a cursor of another listing.
  Result<Page<ExecutionRecord>> list(const ExecutionQuery& query) const;

  // Removes the record (after any queued write of it); kNotFound when there is none. The
  // record of an execution still running comes back with its next progress write.
  Status remove(std::string_view id) const;

  // Deletes finished executions that started before now_ms - max_age, and those beyond the
  // newest max_count finished ones (a zero max_age or max_count: no such limit), in batches of
  // at most 500. Never deletes a queued or running execution. Returns how many it deleted.
  Result<int64_t> prune(std::chrono::milliseconds max_age, int64_t max_count,
                        int64_t now_ms) const;

 private:
  const Storage& storage_;
  ExecutionWriter& writer_;
  const SavePolicy defaults_;
};

}  // namespace weft
