// weft.wait and weft.fail.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

weft_status run_wait(NodeCall& call) { return plugin("weft_wait").run("weft.wait", 1, call); }
weft_status run_fail(NodeCall& call) { return plugin("weft_fail").run("weft.fail", 1, call); }

NodeCall two_items() {
  NodeCall call;
  call.inputs = {items(R"([{"a": 1}, {"a": 2}])")};
  return call;
}

TEST(Wait, DescribesItself) {
  expect_plugin("weft_wait", "weft-wait", "weft.wait",
                {{"main"}, {"main"}, false, {"amount", "unit"}});
  EXPECT_EQ(parameter("weft_wait", "amount")["default"], 1);
  EXPECT_EQ(parameter("weft_wait", "unit")["default"], "seconds");
  EXPECT_EQ(parameter("weft_wait", "unit")["options"],
            Json::parse(R"(["milliseconds", "seconds", "minutes", "hours"])"));
}

TEST(Wait, WaitsOneSecondByDefaultThenForwards) {
  NodeCall call = two_items();
  ASSERT_EQ(run_wait(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(call.sleeps, std::vector<uint64_t>{1000});
  ASSERT_EQ(call.outputs.size(), 1u);
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"a": 1}, {"a": 2}])"));
}

TEST(Wait, ConvertsEveryUnit) {
  struct Case {
    Json amount;
    const char* unit;
    uint64_t ms;
  };
  for (const Case& c :
       {Case{250, "milliseconds", 250}, Case{3, "seconds", 3000}, Case{1.5, "seconds", 1500},
        Case{2, "minutes", 120000}, Case{2, "hours", 7200000}, Case{168, "hours", 604800000}}) {
    NodeCall call = two_items();
    call.params = {{"amount", c.amount}, {"unit", c.unit}};
    ASSERT_EQ(run_wait(call), WEFT_OK) << call.error_message;
    EXPECT_EQ(call.sleeps, std::vector<uint64_t>{c.ms}) << c.amount << " " << c.unit;
  }
}

TEST(Wait, ZeroDoesNotSleep) {
  NodeCall call = two_items();
  call.params = {{"amount", 0}};
  ASSERT_EQ(run_wait(call), WEFT_OK) << call.error_message;
  EXPECT_TRUE(call.sleeps.empty());
  EXPECT_EQ(call.outputs[0].size(), 2u);
}

TEST(Wait, EvaluatesAgainstTheFirstItem) {
  NodeCall call = two_items();
  call.params = {{"amount", 5}, {"unit", "milliseconds"}};
  std::vector<std::pair<std::string, int64_t>> seen;
  record_evaluations(call, seen);
  ASSERT_EQ(run_wait(call), WEFT_OK) << call.error_message;
  using Seen = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(seen, (Seen{{"amount", 0}, {"unit", 0}}));
}

TEST(Wait, CancellationEndsTheWaitWithTheHostsError) {
  NodeCall call = two_items();
  call.cancel = true;
  EXPECT_EQ(run_wait(call), WEFT_ERR_CANCELLED);
  EXPECT_EQ(call.error_message, "cancelled");
  EXPECT_EQ(call.sleeps, std::vector<uint64_t>{1000});
  EXPECT_TRUE(call.outputs.empty());
}

// A host whose node deadline passes during the sleep.
class DeadlineCall : public NodeCall {
 public:
  weft_status sleep_ms(uint64_t ms) override {
    sleeps.push_back(ms);
    return fail(WEFT_ERR_TIMEOUT, "the node's deadline passed");
  }
};

TEST(Wait, ADeadlineEndsTheWaitWithTheHostsError) {
  DeadlineCall call;
  call.inputs = {items(R"([{"a": 1}])")};
  EXPECT_EQ(run_wait(call), WEFT_ERR_TIMEOUT);
  EXPECT_EQ(call.error_message, "the node's deadline passed");
  EXPECT_TRUE(call.outputs.empty());
}

TEST(Wait, RejectsBadParameters) {
  struct Case {
    Json params;
    std::string message;
  };
  for (const Case& c : {
           Case{{{"amount", -1}}, "item 0: parameter 'amount' must not be negative"},
           Case{{{"amount", 169}, {"unit", "hours"}},
                "item 0: parameter 'amount' must be at most 7 days"},
           Case{{{"amount", 604800001}, {"unit", "milliseconds"}},
                "item 0: parameter 'amount' must be at most 7 days"},
           Case{{{"amount", "10"}}, "item 0: parameter 'amount' must be a number, got string"},
           Case{{{"unit", "days"}},
                "item 0: parameter 'unit' must be one of milliseconds, seconds, minutes, hours; "
                "got 'days'"},
       }) {
    NodeCall call = two_items();
    call.params = c.params;
    EXPECT_EQ(run_wait(call), WEFT_ERR_INVALID) << c.params;
    EXPECT_EQ(call.error_message, c.message);
    EXPECT_TRUE(call.sleeps.empty());
    EXPECT_TRUE(call.outputs.empty());
  }
}

TEST(Fail, DescribesItself) {
  expect_plugin("weft_fail", "weft-fail", "weft.fail", {{"main"}, {}, false, {"message"}});
  EXPECT_EQ(parameter("weft_fail", "message")["default"], "Execution stopped by weft.fail");
}

TEST(Fail, FailsWithTheDefaultMessage) {
  NodeCall call = two_items();
  EXPECT_EQ(run_fail(call), WEFT_ERR_NODE);
  EXPECT_EQ(call.error_message, "Execution stopped by weft.fail");
  EXPECT_TRUE(call.outputs.empty());
}

TEST(Fail, FailsWithTheMessageEvaluatedForTheFirstItem) {
  NodeCall call = two_items();
  call.params = {{"message", "order 17 has no customer"}};
  std::vector<std::pair<std::string, int64_t>> seen;
  record_evaluations(call, seen);
  EXPECT_EQ(run_fail(call), WEFT_ERR_NODE);
  EXPECT_EQ(call.error_message, "order 17 has no customer");
  using Seen = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(seen, (Seen{{"message", 0}}));
}

TEST(Fail, WritesANonStringMessageAsJson) {
  NodeCall call = two_items();
  call.params = {{"message", {{"code", 3}}}};
  EXPECT_EQ(run_fail(call), WEFT_ERR_NODE);
  EXPECT_EQ(call.error_message, R"({"code":3})");
}

}  // namespace
}  // namespace weft::plugin_tests
