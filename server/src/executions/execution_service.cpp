#include "executions/execution_service.hpp"

#include "logging/logger.hpp"

#include <weft/runtime/events/execution_events.hpp>
#include <weft/runtime/executor.hpp>
#include <weft/runtime/plan.hpp>
#include <weft/runtime/wall_clock.hpp>

namespace weft::server {

namespace {

logging::Level node_log_level(weft_log_level level) {
  switch (level) {
    case WEFT_LOG_DEBUG: return logging::Level::kDebug;
    case WEFT_LOG_INFO: return logging::Level::kInfo;
    case WEFT_LOG_WARN: return logging::Level::kWarn;
    default: return logging::Level::kError;
  }
}

// Plans kept at most; past it the cache starts over (a plan is rebuilt on its next run).
constexpr size_t kMaxCachedPlans = 1024;

Json error_json(const char* code, const std::string& message) {
  return {{"code", code}, {"message", message}};
}

// The items of the final node (one without outgoing edges) that finished last.
Items last_output_of(const ExecutionResult& result) {
  for (auto run = result.runs.rbegin(); run != result.runs.rend(); ++run)
    for (const auto& [node, items] : result.result)
      if (node == run->node_id) return items;
  return {};
}

// Passes each event to several observers in order; one that throws does not keep the event
// from the others.
class FanOut final : public ExecutionObserver {
 public:
  explicit FanOut(std::vector<std::shared_ptr<ExecutionObserver>> all) : all_(std::move(all)) {}
  void execution_started(const ExecutionStarted& e) override {
    each([&](ExecutionObserver& o) { o.execution_started(e); });
  }
  void node_started(const NodeStarted& e) override {
    each([&](ExecutionObserver& o) { o.node_started(e); });
  }
  void node_finished(const std::string& id, const NodeRun& run) override {
    each([&](ExecutionObserver& o) { o.node_finished(id, run); });
  }
  void execution_finished(const ExecutionResult& r) override {
    each([&](ExecutionObserver& o) { o.execution_finished(r); });
  }

 private:
  template <typename F>
  void each(F f) {
    for (auto& o : all_) {
      try {
        f(*o);
      } catch (...) {
      }
    }
  }
  std::vector<std::shared_ptr<ExecutionObserver>> all_;
};

}  // namespace

void ExecutionService::set_event_bus(events::EventBus* bus) {
  events_ = bus;
  if (bus) add_observer(std::make_shared<events::ExecutionEventPublisher>(*bus));
}

void ExecutionService::publish_settled(const ExecutionRecord& r, events::EventType type) const {
  if (!events_) return;
  events::Event ev;
  ev.type = type;
  ev.workflow_id = r.workflow_id;
  ev.workflow_version = r.workflow_version;
  ev.execution_id = r.id;
  ev.mode = r.mode;
  if (type != events::EventType::kExecutionQueued) {
    ev.status = execution_state_name(r.status);
    if (r.error.is_object() && r.error.contains("message") && r.error["message"].is_string())
      ev.error = r.error["message"].get<std::string>();
  }
  events_->publish(std::move(ev));
}

struct ExecutionService::Entry {
  std::string id;
  Submission s;
  std::shared_ptr<const Plan> plan;
  SavePolicy policy;
  std::shared_ptr<CancellationToken> token = std::make_shared<CancellationToken>();
  ExecutionRecord queued;       // the record written when it was accepted
  bool cancel_requested = false;  // by cancel(), not by shutdown
  bool done = false;
  // Signalled once done is set: only this execution's waiters wake, not every waiting request.
  std::condition_variable done_cv;
  ExecutionRecord final;        // valid once done
  std::optional<Json> response;  // set once done, when a weft.respond node ran
  Items last_output;             // set once done
};

Result<std::unique_ptr<ExecutionService>> ExecutionService::create(const Config& config, const PluginHost& plugins,
                                                                   const ExecutionRepository& executions,
                                                                   std::shared_ptr<const CredentialSource> credentials,
                                                                   std::shared_ptr<const tracing::Tracer> tracer) {
  const int64_t workers = config.get_int("executions.maxConcurrent");
  if (workers < 1 || workers > 1024)
    return Status::invalid("executions.maxConcurrent must be from 1 to 1024, not " + std::to_string(workers));
  const int64_t queue = config.get_int("executions.queueSize");
  if (queue < 0 || queue > 1000000)
    return Status::invalid("executions.queueSize must be from 0 to 1000000, not " + std::to_string(queue));
  std::unique_ptr<ExecutionService> service(
      new ExecutionService(plugins, executions, static_cast<size_t>(workers), static_cast<size_t>(queue),
                           std::move(tracer)));
  service->credentials_ = std::move(credentials);
  service->recover();
  return service;
}

ExecutionService::ExecutionService(const PluginHost& plugins, const ExecutionRepository& executions, size_t workers,
                                   size_t queue_size, std::shared_ptr<const tracing::Tracer> tracer)
    : plugins_(plugins), executions_(executions), queue_size_(queue_size) {
  Executor::Options options;
  options.tracer = std::move(tracer);
  // A node's log line carries the node, and (on the node's thread) its trace and span ids.
  options.log = [](weft_log_level level, std::string_view node_id, std::string_view message) {
    logging::log(node_log_level(level), "node", message, {{"nodeId", node_id}});
  };
  executor_ = std::make_unique<Executor>(std::move(options));
  for (size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
}

ExecutionService::~ExecutionService() { shutdown(Clock::now()); }

void ExecutionService::recover() {
  std::vector<ExecutionRecord> stale;
  for (ExecutionState state : {ExecutionState::kQueued, ExecutionState::kRunning}) {
    ExecutionQuery q;
    q.status = state;
    q.page.limit = 1000;
    for (;;) {
      auto page = executions_.list(q);
      if (!page) break;
      for (auto& r : page->items) stale.push_back(std::move(r));
      if (page->next_cursor.empty()) break;
      q.page.cursor = page->next_cursor;
    }
  }
  for (auto& r : stale) {
    const bool was_queued = r.status == ExecutionState::kQueued;
    r.status = ExecutionState::kInterrupted;
    r.finished_at_ms = now_ms();
    r.error = error_json("interrupted", std::string("found ") + (was_queued ? "queued" : "running") +
                                            " at start: the previous server process ended without finishing it");
    (void)executions_.put(r);
  }
}

std::shared_ptr<const Plan> ExecutionService::plan_of(const Submission& s, ValidationReport& report) {
  auto key = std::make_pair(s.workflow_id, s.version);
  {
    std::lock_guard<std::mutex> lock(plans_mu_);
    if (auto it = plans_.find(key); it != plans_.end()) return it->second;
  }
  auto plan = plan_workflow(s.definition, plugins_.registry(), report);
  if (!plan) return nullptr;
  std::lock_guard<std::mutex> lock(plans_mu_);
  if (plans_.size() >= kMaxCachedPlans) plans_.clear();  // old versions and deleted workflows go too
  plans_[key] = plan;
  return plan;
}

Result<ExecutionService::Ticket> ExecutionService::submit(Submission s, ValidationReport* report) {
  auto e = enqueue(std::move(s), report);
  if (!e) return e.status();
  Ticket t;
  t.id_ = (*e)->id;
  t.entry_ = std::move(*e);
  return t;
}

Result<ExecutionOutcome> ExecutionService::wait(const Ticket& ticket, Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  const std::shared_ptr<Entry>& e = ticket.entry_;
  if (!e->done_cv.wait_until(lock, deadline, [&] { return e->done; }))
    return Status::timeout("execution " + e->id + " is still running");
  return ExecutionOutcome{e->final, e->response, e->last_output};
}

Result<std::shared_ptr<ExecutionService::Entry>> ExecutionService::enqueue(Submission s, ValidationReport* report) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Status::unavailable("the server is shutting down; executions are not accepted");
    if (running_ + queue_.size() >= workers_.size() + queue_size_)
      return Status::unavailable("the execution queue is full (executions.queueSize " + std::to_string(queue_size_) +
                                 "); retry later");
  }
  ValidationReport local;
  ValidationReport& r = report ? *report : local;
  auto plan = plan_of(s, r);
  if (!plan)
    return Status::invalid("workflow " + s.workflow_id + " version " + std::to_string(s.version) +
                           " is not valid (" + std::to_string(r.problems.size()) + " problems)");
  Json settings = s.definition.is_object() && s.definition.contains("settings") ? s.definition["settings"]
                                                                                 : Json::object();
  auto policy = executions_.policy_for(settings);
  if (!policy) return policy.status();

  auto e = std::make_shared<Entry>();
  e->id = new_uuid();
  e->plan = std::move(plan);
  e->policy = *policy;
  ExecutionResult shell;
  shell.id = e->id;
  shell.workflow_id = s.workflow_id;
  shell.workflow_version = s.version;
  shell.mode = s.mode;
  shell.started_at_ms = now_ms();
  e->queued = ExecutionRecord::from_result(shell, s.input, e->policy.data, s.retry_of);
  e->queued.status = ExecutionState::kQueued;
  e->queued.finished_at_ms.reset();
  e->queued.error = nullptr;
  if (s.traceparent.empty()) s.traceparent = tracing::current_span().traceparent();
  e->s = std::move(s);
  if (Status st = executions_.put(e->queued); !st) return st;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      (void)executions_.remove(e->id);
      return Status::unavailable("the server is shutting down; executions are not accepted");
    }
    // Checked again: another submit may have taken the last slot meanwhile.
    if (running_ + queue_.size() >= workers_.size() + queue_size_) {
      (void)executions_.remove(e->id);
      return Status::unavailable("the execution queue is full (executions.queueSize " + std::to_string(queue_size_) +
                                 "); retry later");
    }
    queue_.push_back(e);
    entries_[e->id] = e;
    // Under mu_: no worker can take it (and publish "started") before "queued" is out.
    publish_settled(e->queued, events::EventType::kExecutionQueued);
  }
  work_cv_.notify_one();
  return e;
}

void ExecutionService::work() {
  for (;;) {
    std::shared_ptr<Entry> e;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_ || queue_.empty()) return;
      e = queue_.front();
      queue_.pop_front();
      ++running_;
    }
    run(e);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --running_;
    }
    done_cv_.notify_all();
  }
}

void ExecutionService::run(const std::shared_ptr<Entry>& e) {
  ExecutionRecord running = e->queued;
  running.status = ExecutionState::kRunning;
  running.started_at_ms = now_ms();
  (void)executions_.put_later(running);  // progress: the execution does not wait for it

  auto recorder = executions_.recorder(e->policy, e->s.retry_of);
  ExecutionRequest request;
  request.id = e->id;
  request.mode = e->s.mode;
  request.input = e->s.input;
  request.cancel = e->token;
  if (observers_.empty()) {
    request.observer = recorder;
  } else {
    std::vector<std::shared_ptr<ExecutionObserver>> all{recorder};
    all.insert(all.end(), observers_.begin(), observers_.end());
    request.observer = std::make_shared<FanOut>(std::move(all));
  }
  request.traceparent = e->s.traceparent;
  request.workflow_owner = e->s.owner;
  request.credentials = credentials_;
  ExecutionResult result = executor_->run(*e->plan, std::move(request));
  (void)recorder->saved().get();

  ExecutionRecord record = ExecutionRecord::from_result(result, e->s.input, e->policy.data, e->s.retry_of);
  {
    std::lock_guard<std::mutex> lock(mu_);  // wait() reads them once done is set, under mu_
    e->response = std::move(result.response);
    e->last_output = last_output_of(result);
  }
  bool interrupted = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    interrupted = interrupting_ && !e->cancel_requested && result.status == ExecutionStatus::kCancelled;
  }
  if (interrupted) {
    record.status = ExecutionState::kInterrupted;
    record.error = error_json("interrupted", "the server stopped while the execution was running");
    if (e->policy.keeps(record.status)) (void)executions_.put(record);
    else (void)executions_.remove(e->id);
  } else if (!e->policy.keeps(record.status)) {
    (void)executions_.remove(e->id);  // the queued/running record; the recorder kept nothing
  }
  finish(e, std::move(record));
}

void ExecutionService::finish(const std::shared_ptr<Entry>& e, ExecutionRecord record) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    e->final = std::move(record);
    e->done = true;
    entries_.erase(e->id);
  }
  e->done_cv.notify_all();
}

Status ExecutionService::cancel(const std::string& id) {
  std::shared_ptr<Entry> queued;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return Status::not_found("execution " + id + " is not queued or running");
    it->second->cancel_requested = true;
    it->second->token->cancel();
    for (auto q = queue_.begin(); q != queue_.end(); ++q)
      if (*q == it->second) {
        queued = *q;
        queue_.erase(q);
        break;
      }
  }
  if (queued) {
    ExecutionRecord r = queued->queued;
    r.status = ExecutionState::kCancelled;
    r.finished_at_ms = now_ms();
    r.error = error_json("cancelled", "cancelled before it started");
    if (queued->policy.keeps(r.status)) (void)executions_.put(r);
    else (void)executions_.remove(id);
    publish_settled(r, events::EventType::kExecutionCancelled);
    finish(queued, std::move(r));
  }
  return Status::ok();
}

bool ExecutionService::active(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.count(id) > 0;
}

void ExecutionService::shutdown(Clock::time_point deadline) {
  std::deque<std::shared_ptr<Entry>> queued;
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queued.swap(queue_);
    workers.swap(workers_);
  }
  work_cv_.notify_all();
  for (auto& e : queued) {
    ExecutionRecord r = e->queued;
    r.status = ExecutionState::kInterrupted;
    r.finished_at_ms = now_ms();
    r.error = error_json("interrupted", "the server stopped while the execution was queued");
    if (e->policy.keeps(r.status)) (void)executions_.put(r);
    else (void)executions_.remove(e->id);
    publish_settled(r, events::EventType::kExecutionCancelled);
    finish(e, std::move(r));
  }
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (!done_cv_.wait_until(lock, deadline, [&] { return running_ == 0; })) {
      interrupting_ = true;
      for (auto& [id, e] : entries_) e->token->cancel();
    }
  }
  for (auto& t : workers)
    if (t.joinable()) t.join();
}

}  // namespace weft::server
