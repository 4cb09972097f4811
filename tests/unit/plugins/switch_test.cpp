// weft.switch.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

weft_status run_switch(NodeCall& call) { return plugin("weft_switch").run("weft.switch", 1, call); }

// Three items; rule conditions per item from `conditions` (one row per item).
NodeCall routed(const std::vector<std::vector<Json>>& conditions) {
  NodeCall call;
  call.inputs = {items(R"([{"n": 0}, {"n": 1}, {"n": 2}])")};
  std::vector<Json> rules_per_item;
  for (const auto& row : conditions) {
    Json rules = Json::array();
    for (size_t r = 0; r < row.size(); ++r)
      rules.push_back({{"name", "rule" + std::to_string(r)}, {"condition", row[r]}});
    rules_per_item.push_back(rules);
  }
  vary_per_item(call, "rules", rules_per_item);
  return call;
}

TEST(Switch, DescribesItself) {
  expect_plugin("weft_switch", "weft-switch", "weft.switch",
                {{"main"}, {"fallback"}, false, {"rules", "mode"}});
  Json d = plugin("weft_switch").node_types().begin()->second;
  EXPECT_EQ(d["outputsFrom"], Json::parse(R"({"parameter": "rules", "extra": 1})"));
  EXPECT_EQ(parameter("weft_switch", "rules")["required"], true);
  EXPECT_EQ(parameter("weft_switch", "mode")["default"], "first");
  EXPECT_EQ(parameter("weft_switch", "mode")["options"], Json::parse(R"(["first", "all"])"));
}

TEST(Switch, SendsEachItemToItsFirstMatchingRuleOrTheFallback) {
  NodeCall call = routed({{true, true}, {false, true}, {false, false}});
  ASSERT_EQ(run_switch(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 3u);
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"n": 0}])"));
  EXPECT_EQ(Json(call.outputs[1]), Json::parse(R"([{"n": 1}])"));
  EXPECT_EQ(Json(call.outputs[2]), Json::parse(R"([{"n": 2}])"));
}

TEST(Switch, ModeAllSendsEachItemToEveryMatchingRule) {
  NodeCall call = routed({{true, true}, {false, true}, {false, false}});
  call.params = {{"mode", "all"}};
  ASSERT_EQ(run_switch(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 3u);
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"n": 0}])"));
  EXPECT_EQ(Json(call.outputs[1]), Json::parse(R"([{"n": 0}, {"n": 1}])"));
  EXPECT_EQ(Json(call.outputs[2]), Json::parse(R"([{"n": 2}])"));
}

TEST(Switch, NullOrMissingConditionsDoNotMatch) {
  NodeCall call;
  call.inputs = {items(R"([{"n": 0}])")};
  call.params = Json::parse(R"({"rules": [{"condition": null}, {"name": "no condition"}]})");
  ASSERT_EQ(run_switch(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 3u);
  EXPECT_TRUE(call.outputs[0].empty());
  EXPECT_TRUE(call.outputs[1].empty());
  EXPECT_EQ(Json(call.outputs[2]), Json::parse(R"([{"n": 0}])"));
}

TEST(Switch, WithoutRulesEverythingGoesToTheFallback) {
  NodeCall call;
  call.inputs = {items(R"([{"n": 0}, {"n": 1}])")};
  call.params = {{"rules", Json::array()}};
  ASSERT_EQ(run_switch(call), WEFT_OK) << call.error_message;
  ASSERT_EQ(call.outputs.size(), 1u);
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"n": 0}, {"n": 1}])"));
}

TEST(Switch, RejectsBadRulesNamingTheItem) {
  struct Case {
    std::vector<std::vector<Json>> conditions;
    std::string message;
  };
  for (const Case& c : {
           Case{{{true}, {"yes"}, {true}},
                "item 1: parameter 'rules[0].condition' must be true or false, got string"},
           Case{{{false, true}, {false, true}, {false, 0}},
                "item 2: parameter 'rules[1].condition' must be true or false, got number"},
           Case{{{true, true}, {true}, {true, true}},
                "item 1: parameter 'rules' must have the same number of rules for every item"},
       }) {
    NodeCall call = routed(c.conditions);
    EXPECT_EQ(run_switch(call), WEFT_ERR_INVALID);
    EXPECT_EQ(call.error_message, c.message);
  }
}

TEST(Switch, RejectsBadParameters) {
  struct Case {
    const char* params;
    std::string message;
  };
  for (const Case& c : {
           Case{R"({})", "item 0: parameter 'rules' is required"},
           Case{R"({"rules": {"condition": true}})",
                "item 0: parameter 'rules' must be an array, got object"},
           Case{R"({"rules": [{"condition": false}, "x"]})",
                "item 0: parameter 'rules[1]' must be an object, got string"},
           Case{R"({"rules": [], "mode": "any"})",
                "item 0: parameter 'mode' must be one of first, all; got 'any'"},
       }) {
    NodeCall call;
    call.inputs = {items(R"([{"n": 0}])")};
    call.params = Json::parse(c.params);
    EXPECT_EQ(run_switch(call), WEFT_ERR_INVALID) << c.params;
    EXPECT_EQ(call.error_message, c.message);
  }
}

}  // namespace
}  // namespace weft::plugin_tests
