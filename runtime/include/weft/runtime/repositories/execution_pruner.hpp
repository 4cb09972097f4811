// Keeps the executions collection bounded: a thread that runs ExecutionRepository::prune every
// executions.pruning.intervalSeconds with executions.pruning.maxAgeHours and maxCount.
#pragma once

#include <weft/runtime/config.hpp>
#include <weft/runtime/repositories/execution_repository.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace weft {

class ExecutionPruner {
 public:
  struct Options {
    std::chrono::milliseconds interval{300000};  // between passes; 0: no thread
    std::chrono::milliseconds max_age{336LL * 3600 * 1000};  // 0: no age limit
    int64_t max_count = 10000;                   // 0: no count limit

    // From executions.pruning.*; kInvalid naming the key for a negative value.
    static Result<Options> from_config(const Config& config);
  };
  // Told the outcome of every pass: how many executions it deleted, or why it failed.
  using Report = std::function<void(const Result<int64_t>&)>;

  // Starts the thread (unless interval is 0); its first pass comes one interval after start.
  // OWNERSHIP: `executions` is borrowed and must outlive the pruner.
  ExecutionPruner(const ExecutionRepository& executions, Options options, Report report = {});
  // Stops the thread, waiting for a pass in progress to end.
  ~ExecutionPruner();
  ExecutionPruner(const ExecutionPruner&) = delete;
  ExecutionPruner& operator=(const ExecutionPruner&) = delete;

  // One pass now, on the calling thread (not reported).
  Result<int64_t> run_once() const;

 private:
  void run();

  const ExecutionRepository& executions_;
  const Options options_;
  const Report report_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace weft
