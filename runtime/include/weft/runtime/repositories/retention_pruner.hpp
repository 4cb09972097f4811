// Keeps the store bounded: a thread that, every executions.pruning.intervalSeconds, deletes
//   - executions past executions.pruning.maxAgeHours, then the oldest beyond maxCount
//     (ExecutionRepository::prune);
//   - login sessions that have expired (SessionRepository::remove_expired): a refresh token
//     past its expiry is refused anyway, so its record has nothing left to guard;
//   - audit events older than audit.retentionDays (AuditRepository::remove_before).
#pragma once

#include <weft/runtime/config.hpp>
#include <weft/runtime/repositories/audit_repository.hpp>
#include <weft/runtime/repositories/execution_repository.hpp>
#include <weft/runtime/repositories/session_repository.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace weft {

class RetentionPruner {
 public:
  struct Options {
    std::chrono::milliseconds interval{300000};  // between passes; 0: no thread
    std::chrono::milliseconds execution_max_age{336LL * 3600 * 1000};  // 0: no age limit
    int64_t execution_max_count = 10000;         // 0: no count limit
    std::chrono::milliseconds audit_max_age{365LL * 24 * 3600 * 1000};  // 0: kept forever

    // From executions.pruning.* and audit.retentionDays; kInvalid naming the key for a
    // negative value.
    static Result<Options> from_config(const Config& config);
  };

  // What one pass deleted.
  struct Pass {
    int64_t executions = 0;
    int64_t sessions = 0;
    int64_t audit_events = 0;
  };
  // Told the outcome of every pass: what it deleted, or the first failure (a pass stops there;
  // the next one starts over).
  using Report = std::function<void(const Result<Pass>&)>;

  // Starts the thread (unless interval is 0); its first pass comes one interval after start.
  // OWNERSHIP: the repositories are borrowed and must outlive the pruner.
  RetentionPruner(const ExecutionRepository& executions, const SessionRepository& sessions,
                  const AuditRepository& audit, Options options, Report report = {});
  // Stops the thread, waiting for a pass in progress to end.
  ~RetentionPruner();
  RetentionPruner(const RetentionPruner&) = delete;
  RetentionPruner& operator=(const RetentionPruner&) = delete;

  // One pass now, on the calling thread (not reported).
  Result<Pass> run_once() const;

 private:
  void run();

  const ExecutionRepository& executions_;
  const SessionRepository& sessions_;
  const AuditRepository& audit_;
  const Options options_;
  const Report report_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace weft
