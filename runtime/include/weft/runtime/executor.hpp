// Runs a planned workflow: items flow along edges; a node runs once all of its connected
// inputs are settled and at least one of them brought items; a node whose every input is
// empty is skipped, and so are the nodes that only it feeds. Independent branches run in
// parallel on a bounded pool; a straight chain runs on the calling thread.
#pragma once

#include <weft/runtime/cancellation.hpp>
#include <weft/runtime/credential_source.hpp>
#include <weft/runtime/execution.hpp>
#include <weft/runtime/execution_observer.hpp>
#include <weft/runtime/expression.hpp>
#include <weft/runtime/http_client.hpp>
#include <weft/runtime/plan.hpp>
#include <weft/runtime/tracing/tracer.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace weft {

class ThreadPool;

struct ExecutionRequest {
  std::string id;              // generated when empty
  std::string mode = "manual"; // what started it: manual, webhook, schedule, api, retry, cli
  Items input;                 // trigger items, given to every start node (none: one {})
  // Shared with whoever may cancel the execution; created when null.
  std::shared_ptr<CancellationToken> cancel;
  // W3C trace context of the caller: the execution's span is its child (a new trace when
  // empty), and each node's HTTP requests carry the node's span on.
  std::string traceparent;
  // Told of the execution's progress (execution_observer.hpp); none when null.
  std::shared_ptr<ExecutionObserver> observer;
  // Whose workflow runs (user id): the principal whose access to credentials is checked.
  std::string workflow_owner;
  // Where nodes' credentials come from (host->credential); none when null: a node asking
  // for one fails with a clear error.
  std::shared_ptr<const CredentialSource> credentials;
};

class Executor {
 public:
  struct Options {
    size_t threads = 0;  // pool size for parallel branches; 0 = hardware concurrency
    expr::Limits limits;
    http::ClientOptions http;
    // Starts the execution's span and one per node run. Null: no spans; the request's
    // traceparent is passed to HTTP requests as it came.
    std::shared_ptr<const tracing::Tracer> tracer;
    // Receives plugin log lines; default: discarded.
    std::function<void(weft_log_level, std::string_view node_id, std::string_view message)> log;
  };

  explicit Executor(Options options);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs `plan` to completion on the calling thread (and the pool) and returns its record.
  // Thread-safe: many executions may run at once.
  ExecutionResult run(const Plan& plan, ExecutionRequest request) const;

  const Options& options() const { return options_; }

 private:
  Options options_;
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<http::Client> http_;
};

// A random UUID (version 4), for execution ids.
std::string new_uuid();

}  // namespace weft
