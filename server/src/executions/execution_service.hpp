// Runs workflows for the API: a bounded pool of worker threads (executions.maxConcurrent) fed
// by a bounded queue (executions.queueSize). Every execution is recorded through the
// ExecutionRepository: "queued" when accepted, "running" when a worker takes it, then its
// outcome per the workflow's save policy (a record the policy does not keep is removed).
// Plans are cached per workflow id and version. Thread-safe.
#pragma once

#include <weft/runtime/cancellation.hpp>
#include <weft/runtime/config.hpp>
#include <weft/runtime/credential_source.hpp>
#include <weft/runtime/execution_observer.hpp>
#include <weft/runtime/plugin_host.hpp>
#include <weft/runtime/repositories/execution_repository.hpp>
#include <weft/runtime/tracing/tracer.hpp>
#include <weft/runtime/workflow.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace weft {
class Executor;
struct Plan;
}  // namespace weft

namespace weft::events {
class EventBus;
enum class EventType;
}  // namespace weft::events

namespace weft::server {

// What to run: one saved version of a workflow with its trigger items.
struct Submission {
  std::string workflow_id;
  int64_t version = 0;
  Json definition;                 // the version's document, "id" and "version" set
  Items input;                     // none: one {} per start node
  std::string mode = "api";        // api or retry
  std::string retry_of;            // the execution this one retries; empty when none
  // The workflow's owner (user id), whose access to credentials nodes use; empty: the
  // credential source reads it from the stored workflow.
  std::string owner;
  // The W3C context the execution's span is a child of; empty: the submitting thread's
  // current span (the HTTP request), if any.
  std::string traceparent;
};

// What a finished execution produced, for a caller that answers with it (a webhook): kept in
// memory whatever the workflow's save policy stores.
struct ExecutionOutcome {
  ExecutionRecord record;          // as stored, or as it would have been stored
  std::optional<Json> response;    // what a weft.respond node set
  Items last_output;               // the items of the final node that finished last
};

class ExecutionService {
  struct Entry;

 public:
  using Clock = std::chrono::steady_clock;

  // One submitted execution, to wait for its outcome (submit). Copyable; keeps what
  // the outcome needs alive after the service has forgotten the execution.
  class Ticket {
   public:
    const std::string& id() const { return id_; }

   private:
    friend class ExecutionService;
    std::string id_;
    std::shared_ptr<Entry> entry_;
  };

  // Reads executions.maxConcurrent and executions.queueSize (kInvalid naming the key when out
  // of range) and starts the workers. Records still "queued" or "running" from an earlier
  // process are recorded as "interrupted" first. OWNERSHIP: `plugins` and `executions` are
  // borrowed and must outlive the service.
  // `credentials`, when given, is where running nodes' credentials come from; `tracer`, when
  // given, starts a span per execution and per node run. Nodes' log lines go to the server log.
  static Result<std::unique_ptr<ExecutionService>> create(const Config& config, const PluginHost& plugins,
                                                         const ExecutionRepository& executions,
                                                         std::shared_ptr<const CredentialSource> credentials = nullptr,
                                                         std::shared_ptr<const tracing::Tracer> tracer = nullptr);
  // Shuts down with no grace (running executions are cancelled and recorded as interrupted).
  ~ExecutionService();
  ExecutionService(const ExecutionService&) = delete;
  ExecutionService& operator=(const ExecutionService&) = delete;

  // Plans and queues `s`; returns its ticket (the new execution's id, and its outcome for
  // wait(), even once it has finished) once its "queued" record is durable. kInvalid when the
  // document does not plan (`report`, when given, then holds every problem), or its
  // settings.saveExecutions is malformed; kUnavailable when the queue is full or the service
  // is shutting down.
  Result<Ticket> submit(Submission s, ValidationReport* report = nullptr);
  // The outcome of the ticket's execution once it is done, or kTimeout when `deadline` passes
  // first (the execution goes on).
  Result<ExecutionOutcome> wait(const Ticket& ticket, Clock::time_point deadline);

  // Cancels a queued or running execution (a queued one is recorded as cancelled without
  // running). kNotFound when the service does not run or queue it.
  Status cancel(const std::string& id);

  // Tells `observer` of every execution run from now on, besides the repository's recorder
  // (which always comes first). Call before the first submit (not thread-safe against runs).
  void add_observer(std::shared_ptr<ExecutionObserver> observer) { observers_.push_back(std::move(observer)); }

  // Publishes the lifecycle events of every execution from now on to `bus` (queued, started,
  // node events, completed / failed / cancelled; see weft/runtime/events). Call before the
  // first submit. OWNERSHIP: borrowed; must outlive the service.
  void set_event_bus(events::EventBus* bus);

  // Whether the execution is queued or running here.
  bool active(const std::string& id) const;

  // Stops taking work (submit answers kUnavailable), lets running executions finish until
  // `deadline`, then cancels the rest; every execution stopped this way, and every queued one,
  // is recorded as "interrupted". Returns once the workers are done. Idempotent.
  void shutdown(Clock::time_point deadline);

 private:
  ExecutionService(const PluginHost& plugins, const ExecutionRepository& executions, size_t workers,
                   size_t queue_size, std::shared_ptr<const tracing::Tracer> tracer);
  void work();
  void run(const std::shared_ptr<Entry>& e);
  Result<std::shared_ptr<Entry>> enqueue(Submission s, ValidationReport* report);
  void finish(const std::shared_ptr<Entry>& e, ExecutionRecord record);
  std::shared_ptr<const Plan> plan_of(const Submission& s, ValidationReport& report);
  void recover();
  // Publishes `type` for an execution that never ran (queued; cancelled or interrupted in the queue).
  void publish_settled(const ExecutionRecord& r, events::EventType type) const;

  const PluginHost& plugins_;
  const ExecutionRepository& executions_;
  std::shared_ptr<const CredentialSource> credentials_;  // null: nodes get no credentials
  std::vector<std::shared_ptr<ExecutionObserver>> observers_;  // after the recorder (add_observer)
  events::EventBus* events_ = nullptr;  // set_event_bus; null: no events
  const size_t queue_size_;
  std::unique_ptr<Executor> executor_;  // not executor.hpp here: its http:: names clash with the server's

  mutable std::mutex mu_;
  std::condition_variable work_cv_;   // a job is queued, or stopping
  std::condition_variable done_cv_;   // a worker finished running an execution (for shutdown)
  std::deque<std::shared_ptr<Entry>> queue_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;  // queued and running, by id
  size_t running_ = 0;
  bool stopping_ = false;
  bool interrupting_ = false;  // past the grace: what still runs is recorded as interrupted
  std::vector<std::thread> workers_;

  std::mutex plans_mu_;
  std::map<std::pair<std::string, int64_t>, std::shared_ptr<const Plan>> plans_;
};

}  // namespace weft::server
