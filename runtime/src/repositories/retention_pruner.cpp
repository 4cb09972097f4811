#include <weft/runtime/repositories/retention_pruner.hpp>

#include "repository_support.hpp"

namespace weft {

Result<RetentionPruner::Options> RetentionPruner::Options::from_config(const Config& config) {
  const int64_t interval = config.get_int("executions.pruning.intervalSeconds");
  const int64_t hours = config.get_int("executions.pruning.maxAgeHours");
  const int64_t count = config.get_int("executions.pruning.maxCount");
  const int64_t audit_days = config.get_int("audit.retentionDays");
  if (interval < 0) return Status::invalid("executions.pruning.intervalSeconds must be >= 0");
  if (hours < 0) return Status::invalid("executions.pruning.maxAgeHours must be >= 0");
  if (count < 0) return Status::invalid("executions.pruning.maxCount must be >= 0");
  if (audit_days < 0) return Status::invalid("audit.retentionDays must be >= 0");
  Options o;
  o.interval = std::chrono::seconds(interval);
  o.execution_max_age = std::chrono::hours(hours);
  o.execution_max_count = count;
  o.audit_max_age = std::chrono::hours(24 * audit_days);
  return o;
}

RetentionPruner::RetentionPruner(const ExecutionRepository& executions, const SessionRepository& sessions,
                                 const AuditRepository& audit, Options options, Report report)
    : executions_(executions), sessions_(sessions), audit_(audit), options_(options), report_(std::move(report)) {
  if (options_.interval.count() > 0) thread_ = std::thread([this] { run(); });
}

RetentionPruner::~RetentionPruner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<RetentionPruner::Pass> RetentionPruner::run_once() const {
  const int64_t now = repo::now_ms();
  Pass pass;
  auto executions = executions_.prune(options_.execution_max_age, options_.execution_max_count, now);
  if (!executions) return executions.status();
  pass.executions = *executions;
  auto sessions = sessions_.remove_expired(now);
  if (!sessions) return sessions.status();
  pass.sessions = *sessions;
  if (options_.audit_max_age.count() > 0) {
    auto events = audit_.remove_before(now - options_.audit_max_age.count());
    if (!events) return events.status();
    pass.audit_events = *events;
  }
  return pass;
}

void RetentionPruner::run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (wake_.wait_for(lock, options_.interval, [&] { return stopping_; })) return;
    lock.unlock();
    Result<Pass> outcome = run_once();
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
