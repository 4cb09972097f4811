#include <weft/runtime/repositories/execution_pruner.hpp>

#include "repository_support.hpp"

namespace weft {

Result<ExecutionPruner::Options> ExecutionPruner::Options::from_config(const Config& config) {
  const int64_t interval = config.get_int("executions.pruning.intervalSeconds");
  const int64_t hours = config.get_int("executions.pruning.maxAgeHours");
  const int64_t count = config.get_int("executions.pruning.maxCount");
  if (interval < 0) return Status::invalid("executions.pruning.intervalSeconds must be >= 0");
  if (hours < 0) return Status::invalid("executions.pruning.maxAgeHours must be >= 0");
  if (count < 0) return Status::invalid("executions.pruning.maxCount must be >= 0");
  Options o;
  o.interval = std::chrono::seconds(interval);
  o.max_age = std::chrono::hours(hours);
  o.max_count = count;
  return o;
}

ExecutionPruner::ExecutionPruner(const ExecutionRepository& executions, Options options,
                                 Report report)
    : executions_(executions), options_(options), report_(std::move(report)) {
  if (options_.interval.count() > 0) thread_ = std::thread([this] { run(); });
}

ExecutionPruner::~ExecutionPruner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<int64_t> ExecutionPruner::run_once() const {
  return executions_.prune(options_.max_age, options_.max_count, repo::now_ms());
}

void ExecutionPruner::run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (wake_.wait_for(lock, options_.interval, [&] { return stopping_; })) return;
    lock.unlock();
    Result<int64_t> outcome = run_once();
    if (report_) {
      try {
        report_(outcome);
      } catch (...) {
        // The reporter's failure does not stop pruning.
      }
    }
    lock.lock();
  }
}

}  // namespace weft
