#include <weft/runtime/repositories/execution_recorder.hpp>

#include "execution_writes.hpp"

namespace weft {

ExecutionRecorder::ExecutionRecorder(ExecutionWriter& writer, SavePolicy policy,
                                     std::string retry_of)
    : writer_(writer), policy_(policy), retry_of_(std::move(retry_of)),
      promise_(std::make_shared<std::promise<Status>>()),
      saved_(promise_->get_future().share()) {}

void ExecutionRecorder::execution_started(const ExecutionStarted& e) {
  std::lock_guard<std::mutex> lock(mu_);
  input_ = e.input;
  record_.id = e.id;
  record_.workflow_id = e.workflow_id;
  record_.workflow_version = e.workflow_version;
  record_.mode = e.mode;
  record_.status = ExecutionState::kRunning;
  record_.started_at_ms = e.started_at_ms;
  record_.retry_of = retry_of_;
  record_.data_saved = policy_.data;
  if (!policy_.progress) return;
  if (policy_.data)
    for (const auto& item : input_) record_.input.push_back(*item);
  write_progress();
}

void ExecutionRecorder::node_finished(const std::string& /*execution_id*/, const NodeRun& run) {
  if (!policy_.progress) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  record_.nodes.push_back(ExecutionRecord::node_json(run, policy_.data));
  write_progress();
}

void ExecutionRecorder::write_progress() {
  // Never waits: the execution must not stall on its progress.
  Status st = writer_.submit(repo::execution_put(record_), {}, std::chrono::milliseconds(0));
  if (st) progress_written_ = true;
}

void ExecutionRecorder::execution_finished(const ExecutionResult& result) {
  std::unique_lock<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  ExecutionRecord final_record =
      ExecutionRecord::from_result(result, input_, policy_.data, retry_of_);
  Json write;
  if (policy_.keeps(final_record.status)) write = repo::execution_put(std::move(final_record));
  else if (progress_written_) write = repo::execution_delete(result.id);
  lock.unlock();
  if (write.is_null()) {
    promise_->set_value(Status::ok());
    return;
  }
  auto promise = promise_;
  Status st = writer_.submit(std::move(write), [promise](const Status& s) { promise->set_value(s); });
  if (!st) promise_->set_value(st);
}

}  // namespace weft
