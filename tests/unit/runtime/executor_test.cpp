// The executor's rules, through the real loader, the shipped plugins and test-only nodes.
#include <weft/runtime/executor.hpp>
#include <weft/runtime/plan.hpp>
#include <weft/runtime/plugin_host.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

namespace weft {
namespace {

class ExecutorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    host_ = new PluginHost();
    ASSERT_TRUE(host_->load_directories({WEFT_TEST_PLUGIN_DIR, WEFT_TEST_NODES_DIR}).is_ok());
    for (const auto& r : host_->refused()) ADD_FAILURE() << r.reason;
    Executor::Options options;
    options.threads = 4;
    executor_ = new Executor(options);
  }
  static void TearDownTestSuite() {
    delete executor_;
    delete host_;
  }

  static std::shared_ptr<const Plan> plan(const Json& doc) {
    ValidationReport report;
    auto p = plan_workflow(doc, host_->registry(), report);
    EXPECT_TRUE(p) << report.to_text();
    return p;
  }

  static ValidationReport problems(const Json& doc) {
    ValidationReport report;
    EXPECT_FALSE(plan_workflow(doc, host_->registry(), report)) << "the workflow was accepted";
    return report;
  }

  static ExecutionResult run(const Json& doc, std::vector<Json> input = {},
                             std::shared_ptr<CancellationToken> cancel = nullptr) {
    auto p = plan(doc);
    if (!p) return {};
    ExecutionRequest req;
    for (auto& j : input) req.input.push_back(make_item(std::move(j)));
    req.cancel = std::move(cancel);
    return executor_->run(*p, std::move(req));
  }

  static Json node(const std::string& id, const std::string& type, Json params = Json::object(),
                   Json settings = nullptr) {
    Json n = {{"id", id}, {"type", type}, {"typeVersion", 1}, {"parameters", std::move(params)}};
    if (!settings.is_null()) n["settings"] = std::move(settings);
    return n;
  }
  static Json edge(const std::string& from, const std::string& to, Json from_port = 0,
                   Json to_port = 0) {
    return {{"from", from}, {"to", to}, {"fromPort", from_port}, {"toPort", to_port}};
  }
  static Json workflow(Json nodes, Json edges = Json::array()) {
    return {{"id", "wf"}, {"name", "test"}, {"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
  }

  static Json items_of(const ExecutionResult& r, const std::string& node_id, size_t port = 0) {
    const NodeRun* run = r.run_of(node_id);
    Json out = Json::array();
    if (!run || port >= run->output.size()) return out;
    for (const auto& item : run->output[port]) out.push_back(*item);
    return out;
  }

  static PluginHost* host_;
  static Executor* executor_;
};

PluginHost* ExecutorTest::host_ = nullptr;
Executor* ExecutorTest::executor_ = nullptr;

Json load_example(const std::string& name) {
  std::ifstream in(std::string(WEFT_SOURCE_DIR) + "/config/examples/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return Json::parse(ss.str());
}

// -- validation ------------------------------------------------------------------------------

TEST_F(ExecutorTest, ValidationReportsEveryProblemAtOnce) {
  Json doc = workflow(
      {node("a", "weft.manual"),
       node("b", "weft.nope"),                                       // unknown type
       {{"id", "c"}, {"type", "weft.set"}, {"typeVersion", 7}},      // unknown version
       node("d", "weft.http_request"),                               // missing required url
       node("e", "weft.set", {{"fields", {{{"name", "x"}, {"value", "{{ 1 + }}"}}}}}),  // bad expr
       node("f", "weft.noop", {{"colour", "red"}}),                  // unknown parameter
       node("g", "weft.noop"), node("h", "weft.noop")},
      {edge("a", "ghost"),                                            // dangling
       edge("g", "h"), edge("h", "g"),                                // cycle
       edge("a", "f", 3),                                             // no such output port
       edge("f", "a")});                                              // into a trigger
  ValidationReport r = problems(doc);
  std::string text = r.to_text();
  EXPECT_EQ(r.problems.size(), 9u) << text;
  EXPECT_NE(text.find("node b: unknown node type 'weft.nope'"), std::string::npos) << text;
  EXPECT_NE(text.find("node c: node type 'weft.set' has no version 7 (available: 1)"), std::string::npos) << text;
  EXPECT_NE(text.find("node d: missing required parameter 'url'"), std::string::npos) << text;
  EXPECT_NE(text.find("node e: parameter 'fields[0].value', column 8: "), std::string::npos) << text;
  EXPECT_NE(text.find("node f: unknown parameter 'colour'"), std::string::npos) << text;
  EXPECT_NE(text.find("edge to unknown node 'ghost'"), std::string::npos) << text;
  EXPECT_NE(text.find("cycle through: g, h"), std::string::npos) << text;
  EXPECT_NE(text.find("port 3 does not exist"), std::string::npos) << text;
  EXPECT_NE(text.find("node a: node a is a trigger"), std::string::npos) << text;
  Json j = r.to_json();
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["problems"].size(), 9u);
}

TEST_F(ExecutorTest, ValidationChecksStructureAndSettings) {
  Json doc = {{"nodes",
               {{{"id", "a"}, {"type", "weft.noop"}},  // typeVersion missing
                node("a", "weft.noop"),                 // duplicate id
                node("b", "weft.noop", Json::object(),
                     {{"retry", {{"maxTries", 0}}}, {"onError", "explode"}, {"timeoutMs", -1}})}},
              {"edges", {{{"from", "b"}}}}};
  ValidationReport r = problems(doc);
  std::string text = r.to_text();
  EXPECT_NE(text.find("typeVersion is required"), std::string::npos) << text;
  EXPECT_NE(text.find("duplicate node id"), std::string::npos) << text;
  EXPECT_NE(text.find("maxTries must be between 1 and 10, not 0"), std::string::npos) << text;
  EXPECT_NE(text.find("onError must be"), std::string::npos) << text;
  EXPECT_NE(text.find("timeoutMs must be between 0 and"), std::string::npos) << text;
  EXPECT_NE(text.find("an edge needs string fields 'from' and 'to'"), std::string::npos) << text;
}

TEST_F(ExecutorTest, ConstantParametersAreTypeChecked) {
  ValidationReport r = problems(workflow({node("a", "weft.if", {{"condition", "yes"}})}));
  EXPECT_NE(r.to_text().find("parameter 'condition' must be of type boolean, not string"),
            std::string::npos)
      << r.to_text();
}

// -- flow ------------------------------------------------------------------------------------

TEST_F(ExecutorTest, OrderTriageExampleEndsBig) {
  ExecutionResult r = run(load_example("order-triage.json"), {{{"price", 30}, {"qty", 5}}});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json().dump(2);
  EXPECT_EQ(items_of(r, "big"), (Json::array({{{"price", 30}, {"qty", 5}, {"total", 150}, {"tier", "big"}}})));
  EXPECT_EQ(r.run_of("small")->status, NodeStatus::kSkipped);
  ASSERT_EQ(r.result.size(), 1u);
  EXPECT_EQ(r.result[0].first, "big");
}

TEST_F(ExecutorTest, OrderTriageExampleEndsSmall) {
  ExecutionResult r = run(load_example("order-triage.json"), {{{"price", 3}, {"qty", 5}}});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(items_of(r, "small")[0]["tier"], "small");
  EXPECT_EQ(r.run_of("big")->status, NodeStatus::kSkipped);
}

TEST_F(ExecutorTest, SkippingPropagatesDownABranchThatReceivesNothing) {
  Json doc = workflow({node("start", "weft.manual"),
                       node("check", "weft.if", {{"condition", false}}),
                       node("yes1", "weft.noop"), node("yes2", "weft.noop"),
                       node("no", "weft.noop")},
                      {edge("start", "check"), edge("check", "yes1", "true"),
                       edge("yes1", "yes2"), edge("check", "no", "false")});
  ExecutionResult r = run(doc);
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r.run_of("yes1")->status, NodeStatus::kSkipped);
  EXPECT_EQ(r.run_of("yes2")->status, NodeStatus::kSkipped);
  EXPECT_EQ(r.run_of("no")->status, NodeStatus::kSucceeded);
  EXPECT_EQ(r.run_of("yes1")->tries, 0);
}

TEST_F(ExecutorTest, MergeWaitsForEveryConnectedInput) {
  // The slow branch finishes last, yet the merge sees both, in port order.
  Json doc = workflow({node("start", "weft.manual"),
                       node("slow", "weft.wait", {{"amount", 50}, {"unit", "milliseconds"}}),
                       node("tagSlow", "weft.set", {{"fields", {{{"name", "from"}, {"value", "slow"}}}}}),
                       node("tagFast", "weft.set", {{"fields", {{{"name", "from"}, {"value", "fast"}}}}}),
                       node("merge", "weft.merge", {{"mode", "append"}})},
                      {edge("start", "slow"), edge("slow", "tagSlow"), edge("start", "tagFast"),
                       edge("tagSlow", "merge", 0, 0), edge("tagFast", "merge", 0, 1)});
  ExecutionResult r = run(doc);
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json().dump(2);
  Json merged = items_of(r, "merge");
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0]["from"], "slow");
  EXPECT_EQ(merged[1]["from"], "fast");
  EXPECT_EQ(r.run_of("merge")->items_in, (std::vector<size_t>{1, 1}));
}

TEST_F(ExecutorTest, MergeRunsWhenOneInputBroughtNothing) {
  Json doc = workflow({node("start", "weft.manual"), node("check", "weft.if", {{"condition", true}}),
                       node("merge", "weft.merge", {{"mode", "append"}})},
                      {edge("start", "check"), edge("check", "merge", "true", 0),
                       edge("check", "merge", "false", 1)});
  ExecutionResult r = run(doc, {{{"n", 1}}});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r.run_of("merge")->status, NodeStatus::kSucceeded);
  EXPECT_EQ(r.run_of("merge")->items_in, (std::vector<size_t>{1, 0}));
}

TEST_F(ExecutorTest, IndependentBranchesRunInParallel) {
  // Each rendezvous node succeeds only if the other is running at the same moment.
  Json doc = workflow({node("start", "weft.manual"), node("left", "test.rendezvous"),
                       node("right", "test.rendezvous")},
                      {edge("start", "left"), edge("start", "right")});
  ExecutionResult r = run(doc);
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json().dump(2);
  EXPECT_EQ(r.run_of("left")->status, NodeStatus::kSucceeded);
  EXPECT_EQ(r.run_of("right")->status, NodeStatus::kSucceeded);
}

TEST_F(ExecutorTest, TriggerItemsReachTheStartNodes) {
  Json doc = workflow({node("start", "weft.manual"), node("end", "weft.noop")}, {edge("start", "end")});
  ExecutionResult r = run(doc, {{{"n", 1}}, {{"n", 2}}, {{"n", 3}}});
  EXPECT_EQ(items_of(r, "end"), (Json::array({{{"n", 1}}, {{"n", 2}}, {{"n", 3}}})));
  EXPECT_EQ(r.run_of("start")->items_in, (std::vector<size_t>{3}));
}

TEST_F(ExecutorTest, NodeDataOfEarlierNodesIsReadable) {
  Json doc = workflow({node("start", "weft.manual"),
                       node("first", "weft.set", {{"fields", {{{"name", "step"}, {"value", 1}}}}}),
                       node("second", "weft.set",
                            {{"includeInput", false},
                             {"fields", {{{"name", "copied"}, {"value", "{{ $node[\"first\"].json.step + 1 }}"}},
                                         {{"name", "wf"}, {"value", "{{ $workflow.id }}"}}}}})},
                      {edge("start", "first"), edge("first", "second")});
  ExecutionResult r = run(doc);
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json().dump(2);
  EXPECT_EQ(items_of(r, "second"), (Json::array({{{"copied", 2}, {"wf", "wf"}}})));
}

// -- failures --------------------------------------------------------------------------------

TEST_F(ExecutorTest, RetriesUntilSuccess) {
  Json doc = workflow({node("start", "weft.manual"),
                       node("flaky", "test.flaky", {{"failures", 2}}, {{"retry", {{"maxTries", 3}, {"waitMs", 1}}}})},
                      {edge("start", "flaky")});
  ExecutionResult r = run(doc);
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json().dump(2);
  EXPECT_EQ(r.run_of("flaky")->tries, 3);
  EXPECT_FALSE(r.run_of("flaky")->error.has_value());
}

TEST_F(ExecutorTest, GivesUpAfterMaxTries) {
  Json doc = workflow({node("start", "weft.manual"),
                       node("flaky", "test.flaky", {{"failures", 5}}, {{"retry", {{"maxTries", 2}}}}),
                       node("after", "weft.noop")},
                      {edge("start", "flaky"), edge("flaky", "after")});
  ExecutionResult r = run(doc);
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error_node, "flaky");
  EXPECT_EQ(r.error->code(), Code::kUnavailable);
  EXPECT_EQ(r.error->message(), "flaky failure 2");
  EXPECT_EQ(r.run_of("flaky")->tries, 2);
  EXPECT_EQ(r.run_of("after"), nullptr);  // never started
}

TEST_F(ExecutorTest, TimeoutInterruptsAWaitingNode) {
  Json doc = workflow({node("start", "weft.manual"),
                       node("wait", "weft.wait", {{"amount", 60}, {"unit", "seconds"}}, {{"timeoutMs", 50}})},
                      {edge("start", "wait")});
  ExecutionResult r = run(doc);
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error->code(), Code::kTimeout);
  EXPECT_EQ(r.run_of("wait")->status, NodeStatus::kFailed);
}

TEST_F(ExecutorTest, TimeoutAppliesToANodeThatIgnoresCancellation) {
  Json doc = workflow({node("start", "weft.manual"),
                       node("spin", "test.spin", {{"ms", 100}}, {{"timeoutMs", 10}})},
                      {edge("start", "spin")});
  ExecutionResult r = run(doc);
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error->code(), Code::kTimeout);
  EXPECT_NE(r.error->message().find("timeout of 10 ms"), std::string::npos);
}

TEST_F(ExecutorTest, OnErrorContinuePassesTheInputOn) {
  Json doc = workflow({node("start", "weft.manual"),
                       node("boom", "test.flaky", {{"failures", 5}}, {{"onError", "continue"}}),
                       node("after", "weft.noop")},
                      {edge("start", "boom"), edge("boom", "after")});
  ExecutionResult r = run(doc, {{{"id", 7}}});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r.run_of("boom")->status, NodeStatus::kFailed);
  EXPECT_EQ(r.run_of("boom")->error->message(), "flaky failure 1");
  EXPECT_EQ(items_of(r, "after"), (Json::array({{{"id", 7}}})));
}

TEST_F(ExecutorTest, OnErrorOutputRoutesItemsWithTheError) {
  Json doc = workflow({node("start", "weft.manual"),
                       node("boom", "test.flaky", {{"failures", 5}}, {{"onError", "errorOutput"}}),
                       node("ok", "weft.noop"), node("handler", "weft.noop")},
                      {edge("start", "boom"), edge("boom", "ok"), edge("boom", "handler", "error")});
  ExecutionResult r = run(doc, {{{"id", 7}}});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json().dump(2);
  EXPECT_EQ(r.run_of("ok")->status, NodeStatus::kSkipped);
  Json handled = items_of(r, "handler");
  ASSERT_EQ(handled.size(), 1u);
  EXPECT_EQ(handled[0]["id"], 7);
  EXPECT_EQ(handled[0]["error"]["message"], "flaky failure 1");
  EXPECT_EQ(handled[0]["error"]["node"], "boom");
  EXPECT_EQ(handled[0]["error"]["code"], "unavailable");
}

TEST_F(ExecutorTest, FailStopsTheExecutionWithTheNodeMessage) {
  Json doc = workflow({node("start", "weft.manual"), node("boom", "weft.fail", {{"message", "{{ \"no stock for \" + $json.sku }}"}})},
                      {edge("start", "boom")});
  ExecutionResult r = run(doc, {{{"sku", "A-1"}}});
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error->code(), Code::kNode);
  EXPECT_EQ(r.error->message(), "no stock for A-1");
  Json j = r.to_json();
  EXPECT_EQ(j["error"]["node"], "boom");
  EXPECT_EQ(j["status"], "failed");
}

TEST_F(ExecutorTest, EmitToAPortThatDoesNotExistFailsTheNode) {
  Json doc = workflow({node("start", "weft.manual"), node("emit", "test.emit_to", {{"port", 5}})},
                      {edge("start", "emit")});
  ExecutionResult r = run(doc);
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error->message(), "emit to output 5, but the node has 2 output(s)");
}

TEST_F(ExecutorTest, ExpressionErrorsNameParameterItemAndColumn) {
  Json doc = workflow({node("start", "weft.manual"),
                       node("calc", "weft.set", {{"fields", {{{"name", "x"}, {"value", "{{ $json.a.b.c + parseJson(\"{\") }}"}}}}})},
                      {edge("start", "calc")});
  ExecutionResult r = run(doc, {{{"a", 1}}});
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error_node, "calc");
  EXPECT_EQ(r.error->code(), Code::kInvalid);
  EXPECT_NE(r.error->message().find("item 0: parameter 'fields[0].value', column "), std::string::npos) << r.error->message();
  EXPECT_NE(r.error->message().find("column"), std::string::npos) << r.error->message();
}

TEST_F(ExecutorTest, CancellationStopsARunningExecution) {
  Json doc = workflow({node("start", "weft.manual"),
                       node("wait", "weft.wait", {{"amount", 1}, {"unit", "hours"}}), node("after", "weft.noop")},
                      {edge("start", "wait"), edge("wait", "after")});
  auto cancel = std::make_shared<CancellationToken>();
  auto pending = std::async(std::launch::async, [&] { return run(doc, {}, cancel); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  cancel->cancel();
  ExecutionResult r = pending.get();
  EXPECT_EQ(r.status, ExecutionStatus::kCancelled);
  EXPECT_EQ(r.run_of("wait")->status, NodeStatus::kCancelled);
  EXPECT_EQ(r.run_of("after"), nullptr);
  EXPECT_EQ(r.to_json()["error"]["code"], "cancelled");
}

TEST_F(ExecutorTest, ExecutionJsonHasThePerNodeSummary) {
  Json doc = load_example("order-triage.json");
  doc["id"] = "order-triage";
  ExecutionResult r = run(doc, {{{"price", 30}, {"qty", 5}}});
  Json j = r.to_json();
  EXPECT_EQ(j["workflowId"], "order-triage");
  EXPECT_EQ(j["status"], "succeeded");
  EXPECT_EQ(j["nodes"].size(), 5u);
  const Json& first = j["nodes"][0];
  EXPECT_EQ(first["id"], "orders");
  EXPECT_EQ(first["itemsIn"], Json::array({1}));
  EXPECT_EQ(first["itemsOut"], Json::array({1}));
  EXPECT_TRUE(first.contains("output"));
  EXPECT_FALSE(r.to_json(false)["nodes"][0].contains("output"));
  EXPECT_EQ(j["result"]["big"][0]["tier"], "big");
  EXPECT_EQ(j["id"].get<std::string>().size(), 36u);
}

}  // namespace
}  // namespace weft
