// Records one execution as it runs: an ExecutionObserver (execution_observer.hpp) that writes
// through the ExecutionWriter what its SavePolicy asks for:
//   - progress: a "running" record at the start and after every node (best effort: a snapshot
//     the writer's full queue cannot take at once is skipped; the final record has it all);
//   - at the end, the finished record when the policy keeps its outcome, else the removal of
//     the progress record if one was written, else nothing;
//   - without data, item data are stripped (counts, status, timing and errors stay).
// One recorder per execution; thread-safe (node events may come from several threads).
#pragma once

#include <weft/runtime/execution_observer.hpp>
#include <weft/runtime/repositories/execution_writer.hpp>
#include <weft/runtime/repositories/save_policy.hpp>

#include <future>
#include <mutex>
#include <string>

namespace weft {

class ExecutionRecorder final : public ExecutionObserver {
 public:
  // OWNERSHIP: `writer` is borrowed and must outlive the recorder's events.
  ExecutionRecorder(ExecutionWriter& writer, SavePolicy policy, std::string retry_of = {});

  void execution_started(const ExecutionStarted& event) override;
  void node_finished(const std::string& execution_id, const NodeRun& run) override;
  void execution_finished(const ExecutionResult& result) override;

  // Ready once the execution's final write is durable (or was not needed): OK, or why it
  // failed (kUnavailable when the writer's queue stayed full, a storage error, ...).
  std::shared_future<Status> saved() const { return saved_; }

  const SavePolicy& policy() const { return policy_; }

 private:
  // Queues the current snapshot without waiting. Called with mu_ held.
  void write_progress();

  ExecutionWriter& writer_;
  const SavePolicy policy_;
  const std::string retry_of_;

  std::mutex mu_;
  ExecutionRecord record_;
  Items input_;
  bool progress_written_ = false;
  bool finished_ = false;
  std::shared_ptr<std::promise<Status>> promise_;
  std::shared_future<Status> saved_;
};

}  // namespace weft
