// weft.if, weft.filter and weft.noop: nodes that forward items unchanged.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

const Json kThreeItems = Json::parse(R"([{"n": 0}, {"n": 1}, {"n": 2}])");

NodeCall three_items() {
  NodeCall call;
  call.inputs = {kThreeItems.get<std::vector<Json>>()};
  return call;
}

// weft.if and weft.filter share their contract: a per-item condition, two outputs.
struct ConditionNode {
  const char* file;
  const char* plugin_name;
  const char* type;
  std::vector<std::string> outputs;
};

class ConditionRouting : public ::testing::TestWithParam<ConditionNode> {
 protected:
  weft_status run(NodeCall& call) { return plugin(GetParam().file).run(GetParam().type, 1, call); }
};

TEST_P(ConditionRouting, DescribesItself) {
  const ConditionNode& node = GetParam();
  expect_plugin(node.file, node.plugin_name, node.type,
                {{"main"}, node.outputs, false, {"condition"}});
  EXPECT_EQ(parameter(node.file, "condition")["type"], "boolean");
  EXPECT_EQ(parameter(node.file, "condition")["required"], true);
}

TEST_P(ConditionRouting, SendsEachItemByItsCondition) {
  NodeCall call = three_items();
  vary_per_item(call, "condition", {true, false, true});
  ASSERT_EQ(run(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 2u);
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"n": 0}, {"n": 2}])"));
  EXPECT_EQ(Json(call.outputs[1]), Json::parse(R"([{"n": 1}])"));
}

TEST_P(ConditionRouting, NullCountsAsFalse) {
  NodeCall call = three_items();
  vary_per_item(call, "condition", {nullptr, true, nullptr});
  ASSERT_EQ(run(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"n": 1}])"));
  EXPECT_EQ(Json(call.outputs[1]), Json::parse(R"([{"n": 0}, {"n": 2}])"));
}

TEST_P(ConditionRouting, EvaluatesTheConditionOncePerItem) {
  NodeCall call = three_items();
  call.params = {{"condition", false}};
  std::vector<std::pair<std::string, int64_t>> seen;
  record_evaluations(call, seen);
  ASSERT_EQ(run(call), WEFT_OK) << call.error_message;
  using Seen = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(seen, (Seen{{"condition", 0}, {"condition", 1}, {"condition", 2}}));
  ASSERT_EQ(call.outputs.size(), 2u);
  EXPECT_EQ(Json(call.outputs[1]), kThreeItems);
}

TEST_P(ConditionRouting, RejectsANonBooleanNamingTheItemAndType) {
  NodeCall call = three_items();
  vary_per_item(call, "condition", {true, "yes", false});
  EXPECT_EQ(run(call), WEFT_ERR_INVALID);
  EXPECT_EQ(call.error_message, "item 1: parameter 'condition' must be true or false, got string");

  NodeCall numbers = three_items();
  vary_per_item(numbers, "condition", {1});
  EXPECT_EQ(run(numbers), WEFT_ERR_INVALID);
  EXPECT_EQ(numbers.error_message,
            "item 0: parameter 'condition' must be true or false, got number");

  NodeCall objects = three_items();
  vary_per_item(objects, "condition", {false, false, Json::object()});
  EXPECT_EQ(run(objects), WEFT_ERR_INVALID);
  EXPECT_EQ(objects.error_message,
            "item 2: parameter 'condition' must be true or false, got object");
}

TEST_P(ConditionRouting, RequiresTheCondition) {
  NodeCall call = three_items();
  EXPECT_EQ(run(call), WEFT_ERR_INVALID);
  EXPECT_EQ(call.error_message, "item 0: parameter 'condition' is required");
}

INSTANTIATE_TEST_SUITE_P(
    Nodes, ConditionRouting,
    ::testing::Values(ConditionNode{"weft_if", "weft-if", "weft.if", {"true", "false"}},
                      ConditionNode{
                          "weft_filter", "weft-filter", "weft.filter", {"kept", "discarded"}}),
    [](const auto& info) { return std::string(info.param.file); });

TEST(NoOp, DescribesItself) {
  expect_plugin("weft_noop", "weft-noop", "weft.noop", {{"main"}, {"main"}, false, {}});
}

TEST(NoOp, ForwardsEveryItemInOrder) {
  NodeCall call = three_items();
  ASSERT_EQ(plugin("weft_noop").run("weft.noop", 1, call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 1u);
  EXPECT_EQ(Json(call.outputs[0]), kThreeItems);
}

TEST(NoOp, IgnoresOtherInputPorts) {
  NodeCall call = three_items();
  call.inputs.push_back(items(R"([{"other": true}])"));
  ASSERT_EQ(plugin("weft_noop").run("weft.noop", 1, call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 1u);
  EXPECT_EQ(Json(call.outputs[0]), kThreeItems);
}

}  // namespace
}  // namespace weft::plugin_tests
