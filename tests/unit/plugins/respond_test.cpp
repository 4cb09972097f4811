// weft.respond.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

weft_status run_respond(NodeCall& call) {
  return plugin("weft_respond").run("weft.respond", 1, call);
}

NodeCall two_items() {
  NodeCall call;
  call.inputs = {items(R"([{"id": 1}, {"id": 2}])")};
  return call;
}

TEST(Respond, DescribesItself) {
  expect_plugin("weft_respond", "weft-respond", "weft.respond",
                {{"main"}, {"main"}, false, {"status", "headers", "body", "respondWith"}});
  EXPECT_EQ(parameter("weft_respond", "status")["default"], 200);
  EXPECT_EQ(parameter("weft_respond", "respondWith")["default"], "firstItem");
  EXPECT_EQ(parameter("weft_respond", "respondWith")["options"],
            Json::parse(R"(["firstItem", "allItems", "noData"])"));
}

TEST(Respond, RespondsWithTheFirstItemByDefaultAndForwardsAll) {
  NodeCall call = two_items();
  ASSERT_EQ(run_respond(call), WEFT_OK) << call.error_message;
  ASSERT_TRUE(call.response);
  EXPECT_EQ(*call.response, Json::parse(R"({"status": 200, "body": {"id": 1}})"));
  ASSERT_EQ(call.outputs.size(), 1u);
  EXPECT_EQ(Json(call.outputs[0]), Json::parse(R"([{"id": 1}, {"id": 2}])"));
}

TEST(Respond, SetsStatusHeadersAndBody) {
  NodeCall call = two_items();
  call.params = Json::parse(R"({"status": 201, "headers": {"Location": "/orders/9"},
                                "body": {"created": [9]}, "respondWith": "allItems"})");
  ASSERT_EQ(run_respond(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(*call.response, Json::parse(R"({"status": 201, "headers": {"Location": "/orders/9"},
                                            "body": {"created": [9]}})"));
  EXPECT_EQ(call.outputs[0].size(), 2u);
}

TEST(Respond, AnExplicitNullBodyIsKept) {
  NodeCall call = two_items();
  call.params = {{"body", nullptr}};
  ASSERT_EQ(run_respond(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(*call.response, Json::parse(R"({"status": 200, "body": null})"));
}

TEST(Respond, RespondsWithAllItems) {
  NodeCall call = two_items();
  call.params = {{"respondWith", "allItems"}};
  ASSERT_EQ(run_respond(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(*call.response, Json::parse(R"({"status": 200, "body": [{"id": 1}, {"id": 2}]})"));
}

TEST(Respond, RespondsWithNoData) {
  NodeCall call = two_items();
  call.params = {{"respondWith", "noData"}, {"status", 204}};
  ASSERT_EQ(run_respond(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(*call.response, Json::parse(R"({"status": 204})"));
  EXPECT_EQ(call.outputs[0].size(), 2u);
}

TEST(Respond, EvaluatesEveryParameterAgainstTheFirstItem) {
  NodeCall call = two_items();
  call.params = {{"status", 202}};
  std::vector<std::pair<std::string, int64_t>> seen;
  record_evaluations(call, seen);
  ASSERT_EQ(run_respond(call), WEFT_OK) << call.error_message;
  ASSERT_FALSE(seen.empty());
  for (const auto& [name, item] : seen) EXPECT_EQ(item, 0) << name;
}

TEST(Respond, RejectsBadParameters) {
  struct Case {
    Json params;
    std::string message;
  };
  for (const Case& c : {
           Case{{{"status", 99}},
                "item 0: parameter 'status' must be an integer from 100 to 599, got 99"},
           Case{{{"status", 600}},
                "item 0: parameter 'status' must be an integer from 100 to 599, got 600"},
           Case{{{"status", 200.5}},
                "item 0: parameter 'status' must be an integer from 100 to 599, got 200.5"},
           Case{{{"status", "200"}},
                "item 0: parameter 'status' must be an integer from 100 to 599, got string"},
           Case{{{"headers", "X-A: 1"}},
                "item 0: parameter 'headers' must be an object, got string"},
           Case{{{"headers", {{"X-Count", 1}}}},
                "item 0: parameter 'headers' must map names to strings; 'X-Count' is number"},
           Case{{{"respondWith", "everything"}},
                "item 0: parameter 'respondWith' must be one of firstItem, allItems, noData; got "
                "'everything'"},
       }) {
    NodeCall call = two_items();
    call.params = c.params;
    EXPECT_EQ(run_respond(call), WEFT_ERR_INVALID) << c.params;
    EXPECT_EQ(call.error_message, c.message);
    EXPECT_FALSE(call.response);
    EXPECT_TRUE(call.outputs.empty());
  }
}

}  // namespace
}  // namespace weft::plugin_tests
