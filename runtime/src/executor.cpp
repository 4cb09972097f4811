#include <weft/runtime/executor.hpp>

#include <weft/runtime/thread_pool.hpp>
#include <weft/runtime/wall_clock.hpp>

#include "node_call.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>

namespace weft {

namespace {

using Clock = std::chrono::steady_clock;

Status status_of(weft_status code, const std::string& message) {
  Code c = static_cast<Code>(code);
  if (code < WEFT_ERR_INVALID || code > WEFT_ERR_NODE) c = Code::kInternal;
  return Status(c, message.empty() ? code_name(c) : message);
}

// The tracer of an executor given none: spans carry the caller's context through, record nothing.
const tracing::Tracer kNoTracer;

// Items across all ports.
int64_t item_count(const std::vector<Items>& ports) {
  int64_t n = 0;
  for (const auto& port : ports) n += static_cast<int64_t>(port.size());
  return n;
}

// Calls an observer; what it throws stays here, never reaching the execution.
template <class F>
void notify(ExecutionObserver& observer, F&& call) noexcept {
  try {
    call(observer);
  } catch (...) {
    // An observer's failure is not the execution's.
  }
}

// One execution in progress. Owns per-node state; coordinates the calling thread and the pool.
class Run final : public ExecutionServices {
 public:
  Run(const Plan& plan, ExecutionRequest& request, const Executor::Options& options,
      ThreadPool& pool, const http::Client& http)
      : plan_(plan), options_(options), pool_(pool), http_(http),
        cancel_(request.cancel ? request.cancel : std::make_shared<CancellationToken>()),
        tracer_(options.tracer ? *options.tracer : kNoTracer),
        traceparent_(request.traceparent),
        observer_(request.observer),
        workflow_owner_(request.workflow_owner),
        credentials_(request.credentials),
        nodes_(plan.nodes.size()) {
    result_.id = request.id.empty() ? new_uuid() : request.id;
    result_.workflow_id = plan.workflow.id;
    result_.workflow_version = plan.workflow.version;
    result_.mode = request.mode;
    execution_json_ = {{"id", result_.id}, {"mode", result_.mode}};
    for (size_t i = 0; i < nodes_.size(); ++i) {
      nodes_[i].inputs.resize(plan.nodes[i].inputs);
      nodes_[i].pending = plan.nodes[i].in_edges;
    }
    input_ = std::move(request.input);
    if (input_.empty()) input_.push_back(make_item(Json::object()));
  }

  ExecutionResult execute() {
    result_.started_at_ms = now_ms();
    // The caller's context when it sent a valid one; otherwise the execution starts a trace.
    span_ = tracer_.start("execution", {.parent = tracing::SpanContext::parse(traceparent_).value_or(tracing::SpanContext{})});
    span_.set_attribute("weft.execution.id", result_.id);
    span_.set_attribute("weft.execution.mode", result_.mode);
    span_.set_attribute("weft.workflow.id", result_.workflow_id);
    span_.set_attribute("weft.workflow.version", result_.workflow_version);
    tracing::ScopedSpan in_execution(span_.context());
    if (observer_)
      notify(*observer_, [&](ExecutionObserver& o) {
        o.execution_started({result_.id, result_.workflow_id, result_.workflow_version,
                             result_.mode, result_.started_at_ms, input_});
      });
    std::unique_lock<std::mutex> lock(mu_);
    for (size_t s : plan_.start_nodes) {
      nodes_[s].inputs.resize(std::max<size_t>(nodes_[s].inputs.size(), 1));
      nodes_[s].inputs[0] = input_;
      ready_.push_back(s);
    }
    for (;;) {
      // Settle skips first, so that only nodes that really run compete for threads.
      std::vector<size_t> runnable;
      while (!ready_.empty() && !stopping()) {
        size_t n = ready_.front();
        ready_.pop_front();
        if (has_items(n)) runnable.push_back(n);
        else skip(n);
      }
      if (!runnable.empty()) {
        // All but one go to the pool; the last runs here, so a chain never changes thread.
        in_flight_ += runnable.size();
        for (size_t i = 0; i + 1 < runnable.size(); ++i) {
          size_t n = runnable[i];
          pool_.submit([this, n] { run_and_complete(n); });
        }
        size_t n = runnable.back();
        lock.unlock();
        NodeOutcome outcome = run_node(n);
        lock.lock();
        complete(n, std::move(outcome));
        continue;
      }
      if (in_flight_ == 0) break;
      idle_.wait(lock);
    }
    finish();
    return std::move(result_);
  }

  // ExecutionServices
  const Items* finished_output(std::string_view node_id) const override {
    int i = plan_.index_of(node_id);
    if (i < 0 || !nodes_[i].finished.load(std::memory_order_acquire)) return nullptr;
    const auto& out = nodes_[i].outputs;
    return out.empty() ? &kNoItems : &out[0];
  }
  const Json& execution_json() const override { return execution_json_; }
  void set_response(Json response) override {
    std::lock_guard<std::mutex> lock(response_mu_);
    if (!result_.response) result_.response = std::move(response);
  }
  void log(weft_log_level level, std::string_view node_id, std::string_view message) override {
    if (options_.log) options_.log(level, node_id, message);
  }
  Result<http::Response> http(const http::Request& request, const std::function<bool()>& cancelled,
                              Clock::time_point deadline) override {
    return http_.perform(request, cancelled, deadline);
  }
  const std::string& execution_id() const override { return result_.id; }
  const std::string& workflow_owner() const override { return workflow_owner_; }
  const CredentialSource* credentials() const override { return credentials_.get(); }

 private:
  struct NodeState {
    std::vector<Items> inputs;
    size_t pending = 0;
    std::vector<Items> outputs;
    std::atomic<bool> finished{false};  // outputs are complete and readable by $node
  };

  struct NodeOutcome {
    NodeRun run;
    std::vector<Items> outputs;
    bool stop = false;  // the failure stops the execution
  };

  bool stopping() const { return stop_ || cancel_->cancelled(); }

  bool has_items(size_t n) const {
    for (const auto& port : nodes_[n].inputs)
      if (!port.empty()) return true;
    return false;
  }

  void run_and_complete(size_t n) {
    NodeOutcome outcome = run_node(n);
    std::lock_guard<std::mutex> lock(mu_);
    complete(n, std::move(outcome));
    idle_.notify_one();
  }

  // Runs node n in a span of its own and tells the observer. Called without the lock.
  NodeOutcome run_node(size_t n) {
    const PlannedNode& pn = plan_.nodes[n];
    tracing::Span span = tracer_.start("node " + pn.type->name, {.parent = span_.context()});
    NodeOutcome out;
    {
      tracing::ScopedSpan in_node(span.context());
      out = attempt_node(n, span.context().traceparent());
    }
    if (span.recording()) {
      span.set_attribute("weft.node.id", out.run.node_id);
      span.set_attribute("weft.node.type", out.run.type);
      span.set_attribute("weft.node.status", std::string(node_status_name(out.run.status)));
      span.set_attribute("weft.node.tries", static_cast<int64_t>(out.run.tries));
      int64_t in = 0;
      for (size_t c : out.run.items_in) in += static_cast<int64_t>(c);
      span.set_attribute("weft.node.items_in", in);
      span.set_attribute("weft.node.items_out", item_count(out.outputs));
      if (out.run.error && out.run.status == NodeStatus::kFailed) span.set_error(out.run.error->message());
    }
    span.end();
    if (observer_) {
      out.run.output = out.outputs;
      notify(*observer_, [&](ExecutionObserver& o) { o.node_finished(result_.id, out.run); });
    }
    return out;
  }

  // Runs every attempt of node n. Called without the lock: reads only this node's inputs,
  // which no one writes once it is ready.
  NodeOutcome attempt_node(size_t n, const std::string& traceparent) {
    const PlannedNode& pn = plan_.nodes[n];
    const NodeSettings& settings = pn.node->settings;
    const std::vector<Items>& inputs = nodes_[n].inputs;
    NodeOutcome out;
    NodeRun& run = out.run;
    run.node_id = pn.node->id;
    run.type = pn.type->name;
    run.type_version = pn.type->version;
    run.started_at_ms = now_ms();
    for (const auto& port : inputs) run.items_in.push_back(port.size());
    if (observer_)
      notify(*observer_, [&](ExecutionObserver& o) {
        o.node_started({result_.id, run.node_id, run.type, run.started_at_ms});
      });
    auto started = Clock::now();

    void* instance = nullptr;
    bool created = false;
    std::optional<Status> error;
    if (pn.type->create) {
      NodeCall call(plan_, pn, inputs, *this, *cancel_, std::nullopt, run.started_at_ms, traceparent);
      weft_status st = pn.type->create(&call, &instance);
      if (st == WEFT_OK) created = true;
      else error = status_of(st, call.error_message);
    }
    for (int attempt = 1; !error && attempt <= settings.max_tries; ++attempt) {
      run.tries = attempt;
      std::optional<Clock::time_point> deadline;
      if (settings.timeout_ms > 0)
        deadline = Clock::now() + std::chrono::milliseconds(settings.timeout_ms);
      NodeCall call(plan_, pn, inputs, *this, *cancel_, deadline, now_ms(), traceparent);
      weft_status st = pn.type->execute(instance, &call);
      if (cancel_->cancelled()) {
        error = Status::cancelled("the execution was cancelled");
        break;
      }
      if (st == WEFT_OK && call.timed_out()) {
        st = WEFT_ERR_TIMEOUT;
        call.error_message.clear();
      }
      if (st == WEFT_OK) {
        out.outputs = call.take_outputs();
        break;
      }
      if (st == WEFT_ERR_TIMEOUT && call.error_message.empty())
        call.error_message = "the node did not finish within its timeout of " +
                             std::to_string(settings.timeout_ms) + " ms";
      error = status_of(st, call.error_message);
      if (attempt < settings.max_tries) {
        error.reset();
        if (settings.retry_wait_ms > 0 &&
            !cancel_->wait_until(Clock::now() + std::chrono::milliseconds(settings.retry_wait_ms))) {
          error = Status::cancelled("the execution was cancelled");
        }
      }
    }
    if (created && pn.type->destroy) pn.type->destroy(instance);
    run.duration_us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();

    if (!error) {
      run.status = NodeStatus::kSucceeded;
      return out;
    }
    run.error = error;
    if (error->code() == Code::kCancelled) {
      run.status = NodeStatus::kCancelled;
      out.stop = true;
      return out;
    }
    run.status = NodeStatus::kFailed;
    out.outputs.assign(pn.outputs, Items{});
    switch (settings.on_error) {
      case OnError::kStop:
        out.stop = true;
        break;
      case OnError::kContinue:
        // The node's input items carry on along its first output, as if it had passed them.
        if (!out.outputs.empty() && !inputs.empty()) out.outputs[0] = inputs[0];
        break;
      case OnError::kErrorOutput: {
        Json error_json = {{"code", code_name(error->code())}, {"message", error->message()},
                           {"node", pn.node->id}};
        Items& port = out.outputs.back();
        for (const auto& item : inputs.empty() ? Items{} : inputs[0]) {
          Json copy = *item;
          if (copy.is_object()) copy["error"] = error_json;
          else copy = Json{{"value", *item}, {"error", error_json}};
          port.push_back(make_item(std::move(copy)));
        }
        break;
      }
    }
    return out;
  }

  // Records node n's outcome and moves its items downstream. Called with the lock held.
  void complete(size_t n, NodeOutcome outcome) {
    --in_flight_;
    if (outcome.stop && !stop_) {
      stop_ = true;
      if (outcome.run.status == NodeStatus::kFailed) {
        result_.error = outcome.run.error;
        result_.error_node = outcome.run.node_id;
      }
    }
    NodeState& state = nodes_[n];
    state.outputs = std::move(outcome.outputs);
    state.finished.store(true, std::memory_order_release);
    outcome.run.output = state.outputs;
    result_.runs.push_back(std::move(outcome.run));
    for (size_t e : plan_.nodes[n].out_edges) {
      const PlannedEdge& edge = plan_.edges[e];
      NodeState& dst = nodes_[edge.to];
      if (edge.from_port < state.outputs.size()) {
        const Items& items = state.outputs[edge.from_port];
        Items& into = dst.inputs[edge.to_port];
        into.insert(into.end(), items.begin(), items.end());
      }
      if (--dst.pending == 0) ready_.push_back(edge.to);
    }
  }

  // Marks node n skipped (it received no items) and settles its edges.
  void skip(size_t n) {
    const PlannedNode& pn = plan_.nodes[n];
    NodeRun run;
    run.node_id = pn.node->id;
    run.type = pn.type->name;
    run.type_version = pn.type->version;
    run.status = NodeStatus::kSkipped;
    run.started_at_ms = now_ms();
    for (const auto& port : nodes_[n].inputs) run.items_in.push_back(port.size());
    if (observer_) {
      run.output.assign(pn.outputs, Items{});
      notify(*observer_, [&](ExecutionObserver& o) { o.node_finished(result_.id, run); });
    }
    ++in_flight_;
    NodeOutcome outcome{std::move(run), std::vector<Items>(pn.outputs), false};
    complete(n, std::move(outcome));
  }

  void finish() {
    result_.finished_at_ms = now_ms();
    if (result_.error) {
      result_.status = ExecutionStatus::kFailed;
    } else if (cancel_->cancelled() || stop_) {
      result_.status = ExecutionStatus::kCancelled;
      result_.error = Status::cancelled("the execution was cancelled");
    } else {
      result_.status = ExecutionStatus::kSucceeded;
    }
    // Results: the items of every sink node that ran, in document order.
    for (size_t i = 0; i < plan_.nodes.size(); ++i) {
      if (!plan_.nodes[i].out_edges.empty() || !nodes_[i].finished) continue;
      const NodeRun* run = result_.run_of(plan_.nodes[i].node->id);
      if (!run || run->status == NodeStatus::kSkipped) continue;
      Items all;
      for (const auto& port : nodes_[i].outputs) all.insert(all.end(), port.begin(), port.end());
      result_.result.emplace_back(plan_.nodes[i].node->id, std::move(all));
    }
    span_.set_attribute("weft.execution.status", std::string(execution_status_name(result_.status)));
    if (result_.status == ExecutionStatus::kFailed && result_.error) span_.set_error(result_.error->message());
    span_.end();
  }

  static inline const Items kNoItems{};

  const Plan& plan_;
  const Executor::Options& options_;
  ThreadPool& pool_;
  const http::Client& http_;
  std::shared_ptr<CancellationToken> cancel_;
  const tracing::Tracer& tracer_;
  std::string traceparent_;  // the caller's
  tracing::Span span_;       // the execution's; started by execute, ended by finish
  std::shared_ptr<ExecutionObserver> observer_;  // null: nobody is told
  std::string workflow_owner_;
  std::shared_ptr<const CredentialSource> credentials_;  // null: no credentials in this run
  Json execution_json_;
  Items input_;

  std::mutex mu_;  // guards everything below, and nodes_' inputs / pending
  std::condition_variable idle_;
  std::vector<NodeState> nodes_;
  std::deque<size_t> ready_;
  size_t in_flight_ = 0;
  bool stop_ = false;
  ExecutionResult result_;

  std::mutex response_mu_;
};

}  // namespace

Executor::Executor(Options options) : options_(std::move(options)) {
  size_t threads = options_.threads ? options_.threads : std::thread::hardware_concurrency();
  pool_ = std::make_unique<ThreadPool>(std::max<size_t>(threads, 1));
  if (options_.http.user_agent == http::ClientOptions{}.user_agent)
    options_.http.user_agent = "weft/" WEFT_VERSION;
  http_ = std::make_unique<http::Client>(options_.http);
}

Executor::~Executor() = default;

ExecutionResult Executor::run(const Plan& plan, ExecutionRequest request) const {
  Run run(plan, request, options_, *pool_, *http_);
  ExecutionResult result = run.execute();
  if (request.observer)
    notify(*request.observer, [&](ExecutionObserver& o) { o.execution_finished(result); });
  return result;
}

std::string new_uuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng(), lo = rng();
  hi = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32),
                unsigned((hi >> 16) & 0xFFFF), unsigned(hi & 0xFFFF), unsigned(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

}  // namespace weft
