// The executor's observer hook: event order, skipped nodes, outputs in node_finished, and an
// observer that throws never reaching the execution.
#include <weft/runtime/executor.hpp>
#include <weft/runtime/plan.hpp>
#include <weft/runtime/plugin_host.hpp>
#include <weft/runtime/repositories/execution_repository.hpp>
#include <weft/runtime/storage_setup.hpp>

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <stdexcept>

namespace weft {
namespace {

struct Event {
  std::string kind;  // started, node_started, node_finished, finished
  std::string node;
  std::string status;
  size_t items = 0;  // input items (started) or output items of port 0 (node_finished)
};

class RecordingObserver : public ExecutionObserver {
 public:
  void execution_started(const ExecutionStarted& e) override {
    add({"started", "", e.mode, e.input.size()});
    std::lock_guard<std::mutex> lock(mu_);
    started_id = e.id;
    workflow_id = e.workflow_id;
  }
  void node_started(const NodeStarted& e) override { add({"node_started", e.node_id, e.type, 0}); }
  void node_finished(const std::string& execution_id, const NodeRun& run) override {
    EXPECT_EQ(execution_id, started_id);
    add({"node_finished", run.node_id, node_status_name(run.status),
         run.output.empty() ? 0 : run.output[0].size()});
  }
  void execution_finished(const ExecutionResult& r) override {
    add({"finished", "", execution_status_name(r.status), r.runs.size()});
  }

  std::vector<Event> events() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }
  std::string started_id, workflow_id;

 private:
  void add(Event e) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(std::move(e));
  }
  std::mutex mu_;
  std::vector<Event> events_;
};

class ThrowingObserver : public ExecutionObserver {
 public:
  void execution_started(const ExecutionStarted&) override { throw std::runtime_error("a"); }
  void node_started(const NodeStarted&) override { throw std::runtime_error("b"); }
  void node_finished(const std::string&, const NodeRun&) override { throw 42; }
  void execution_finished(const ExecutionResult&) override { throw std::runtime_error("d"); }
};

class ExecutionObserverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    host_ = new PluginHost();
    ASSERT_TRUE(host_->load_directories({WEFT_TEST_PLUGIN_DIR}).is_ok());
    Executor::Options options;
    options.threads = 2;
    executor_ = new Executor(options);
  }
  static void TearDownTestSuite() {
    delete executor_;
    delete host_;
  }

  static Json node(const std::string& id, const std::string& type, Json params = Json::object()) {
    return {{"id", id}, {"type", type}, {"typeVersion", 1}, {"parameters", std::move(params)}};
  }
  static Json edge(const std::string& from, const std::string& to, Json from_port = 0) {
    return {{"from", from}, {"to", to}, {"fromPort", from_port}, {"toPort", 0}};
  }

  // start -> a -> check(if true) -> yes / no (skipped); start -> side (a parallel branch)
  static std::shared_ptr<const Plan> plan() {
    Json doc = {{"id", "wf-obs"}, {"name", "observed"},
                {"nodes", {node("start", "weft.manual"), node("a", "weft.noop"),
                           node("check", "weft.if", {{"condition", true}}), node("yes", "weft.noop"),
                           node("no", "weft.noop"), node("side", "weft.noop")}},
                {"edges", {edge("start", "a"), edge("a", "check"), edge("check", "yes", "true"),
                           edge("check", "no", "false"), edge("start", "side")}}};
    ValidationReport report;
    auto p = plan_workflow(doc, host_->registry(), report);
    EXPECT_TRUE(p) << report.to_text();
    return p;
  }

  static PluginHost* host_;
  static Executor* executor_;
};

PluginHost* ExecutionObserverTest::host_ = nullptr;
Executor* ExecutionObserverTest::executor_ = nullptr;

TEST_F(ExecutionObserverTest, EventsComeInOrderWithEveryNodeOnce) {
  auto p = plan();
  ASSERT_TRUE(p);
  auto observer = std::make_shared<RecordingObserver>();
  ExecutionRequest req;
  req.mode = "api";
  req.input = {make_item({{"x", 1}}), make_item({{"x", 2}})};
  req.observer = observer;
  ExecutionResult r = executor_->run(*p, std::move(req));
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);

  auto events = observer->events();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.front().kind, "started");
  EXPECT_EQ(events.front().status, "api");
  EXPECT_EQ(events.front().items, 2u);
  EXPECT_EQ(observer->started_id, r.id);
  EXPECT_EQ(observer->workflow_id, "wf-obs");
  EXPECT_EQ(events.back().kind, "finished");
  EXPECT_EQ(events.back().status, "succeeded");
  EXPECT_EQ(events.back().items, 6u);

  std::map<std::string, int> started_at, finished_at;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.kind == "node_started") {
      EXPECT_TRUE(started_at.emplace(e.node, int(i)).second) << e.node;
    } else if (e.kind == "node_finished") {
      EXPECT_TRUE(finished_at.emplace(e.node, int(i)).second) << e.node;
    }
  }
  // Every node finished once; the skipped one never started.
  EXPECT_EQ(finished_at.size(), 6u);
  EXPECT_EQ(started_at.size(), 5u);
  EXPECT_EQ(started_at.count("no"), 0u);
  for (const auto& [node, at] : started_at) EXPECT_LT(at, finished_at[node]) << node;
  // Downstream nodes start after their upstream finished.
  EXPECT_LT(finished_at["a"], started_at["check"]);
  EXPECT_LT(finished_at["check"], started_at["yes"]);
  for (const auto& e : events) {
    if (e.kind != "node_finished") continue;
    if (e.node == "no") {
      EXPECT_EQ(e.status, "skipped");
      EXPECT_EQ(e.items, 0u);
    } else {
      EXPECT_EQ(e.status, "succeeded") << e.node;
      EXPECT_EQ(e.items, 2u) << e.node;  // outputs are passed with the run
    }
  }
}

TEST_F(ExecutionObserverTest, AThrowingObserverNeverReachesTheExecution) {
  auto p = plan();
  ASSERT_TRUE(p);
  ExecutionRequest req;
  req.observer = std::make_shared<ThrowingObserver>();
  ExecutionResult r = executor_->run(*p, std::move(req));
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r.runs.size(), 6u);
  ASSERT_NE(r.run_of("yes"), nullptr);
  EXPECT_EQ(r.run_of("yes")->output[0].size(), 1u);
}

TEST_F(ExecutionObserverTest, WithoutAnObserverTheRecordIsTheSame) {
  auto p = plan();
  ASSERT_TRUE(p);
  ExecutionResult plain = executor_->run(*p, ExecutionRequest{});
  ExecutionRequest req;
  req.observer = std::make_shared<RecordingObserver>();
  ExecutionResult observed = executor_->run(*p, std::move(req));
  ASSERT_EQ(plain.runs.size(), observed.runs.size());
  for (const auto& run : plain.runs) {
    const NodeRun* other = observed.run_of(run.node_id);
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(run.status, other->status);
    EXPECT_EQ(run.output.size(), other->output.size());
  }
}

TEST_F(ExecutionObserverTest, TheRepositorysRecorderStoresARealExecution) {
  auto p = plan();
  ASSERT_TRUE(p);
  auto store = Storage::open(*host_, "memory", {{"collections", domain_collections()}});
  ASSERT_TRUE(store.is_ok()) << store.status().to_string();
  ExecutionWriter writer(**store, ExecutionWriter::Options{});
  ExecutionRepository executions(**store, writer, SavePolicy{});
  SavePolicy policy = *executions.policy_for({{"saveExecutions", {{"progress", true}}}});
  auto recorder = executions.recorder(policy);
  ExecutionRequest req;
  req.mode = "webhook";
  req.input = {make_item({{"x", 1}})};
  req.observer = recorder;
  ExecutionResult r = executor_->run(*p, std::move(req));
  ASSERT_TRUE(recorder->saved().get().is_ok());
  auto stored = executions.get(r.id);
  ASSERT_TRUE(stored.is_ok()) << stored.status().to_string();
  EXPECT_EQ(stored->status, ExecutionState::kSuccess);
  EXPECT_EQ(stored->mode, "webhook");
  EXPECT_EQ(stored->workflow_id, "wf-obs");
  EXPECT_EQ(stored->nodes.size(), 6u);
  EXPECT_EQ(stored->input, Json::array({{{"x", 1}}}));
  EXPECT_EQ(stored->result["yes"], Json::array({{{"x", 1}}}));
  EXPECT_EQ(stored->started_at_ms, r.started_at_ms);
  // Progress snapshots went through the writer before the final record.
  EXPECT_GE(writer.stats().submitted, 2u);
}

}  // namespace
}  // namespace weft
