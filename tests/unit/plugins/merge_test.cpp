// weft.merge.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

// Runs weft.merge with `params` over the two inputs; returns output 0 (null on error).
Json merge(const char* params, const char* input1, const char* input2,
           weft_status expected = WEFT_OK, std::string* error = nullptr) {
  NodeCall call;
  call.params = Json::parse(params);
  call.inputs = {items(input1), items(input2)};
  weft_status st = plugin("weft_merge").run("weft.merge", 1, call);
  EXPECT_EQ(st, expected) << call.error_message;
  if (error) *error = call.error_message;
  if (st != WEFT_OK) return Json();
  return call.outputs.empty() ? Json::array() : Json(call.outputs[0]);
}

std::string merge_error(const char* params) {
  std::string error;
  merge(params, R"([{"id": 1}])", R"([{"id": 1}])", WEFT_ERR_INVALID, &error);
  return error;
}

const char* kOrders = R"([{"id": 1, "customer": 10, "total": 5},
                          {"id": 2, "customer": 20, "total": 7},
                          {"id": 3, "customer": 30, "total": 9}])";
const char* kCustomers = R"([{"customer": 20, "name": "Bo"},
                             {"customer": 10, "name": "Ada", "total": "overridden"},
                             {"customer": 40, "name": "Cy"},
                             {"customer": 20, "name": "Bo again"}])";

TEST(Merge, DescribesItself) {
  expect_plugin(
      "weft_merge", "weft-merge", "weft.merge",
      {{"input1", "input2"}, {"main"}, false, {"mode", "key", "key1", "key2", "join", "output"}});
  EXPECT_EQ(parameter("weft_merge", "mode")["default"], "append");
  EXPECT_EQ(parameter("weft_merge", "mode")["options"],
            Json::parse(R"(["append", "join", "wait"])"));
  EXPECT_EQ(parameter("weft_merge", "join")["default"], "inner");
  EXPECT_EQ(parameter("weft_merge", "join")["options"],
            Json::parse(R"(["inner", "left", "outer"])"));
  EXPECT_EQ(parameter("weft_merge", "output")["default"], 1);
}

TEST(Merge, AppendsInput1ThenInput2ByDefault) {
  EXPECT_EQ(merge("{}", R"([{"a": 1}, {"a": 2}])", R"([{"b": 1}])"),
            Json::parse(R"([{"a": 1}, {"a": 2}, {"b": 1}])"));
  EXPECT_EQ(merge(R"({"mode": "append"})", "[]", R"([{"b": 1}])"), Json::parse(R"([{"b": 1}])"));
}

TEST(Merge, InnerJoinPairsMatchingItemsInInput1Order) {
  EXPECT_EQ(merge(R"({"mode": "join", "key": "customer"})", kOrders, kCustomers), Json::parse(R"([
              {"id": 1, "customer": 10, "total": "overridden", "name": "Ada"},
              {"id": 2, "customer": 20, "total": 7, "name": "Bo"},
              {"id": 2, "customer": 20, "total": 7, "name": "Bo again"}])"));
}

TEST(Merge, LeftJoinKeepsUnmatchedInput1Items) {
  EXPECT_EQ(merge(R"({"mode": "join", "key": "customer", "join": "left"})", kOrders, kCustomers),
            Json::parse(R"([
              {"id": 1, "customer": 10, "total": "overridden", "name": "Ada"},
              {"id": 2, "customer": 20, "total": 7, "name": "Bo"},
              {"id": 2, "customer": 20, "total": 7, "name": "Bo again"},
              {"id": 3, "customer": 30, "total": 9}])"));
}

TEST(Merge, OuterJoinAlsoKeepsUnmatchedInput2ItemsLast) {
  EXPECT_EQ(merge(R"({"mode": "join", "key": "customer", "join": "outer"})", kOrders, kCustomers),
            Json::parse(R"([
              {"id": 1, "customer": 10, "total": "overridden", "name": "Ada"},
              {"id": 2, "customer": 20, "total": 7, "name": "Bo"},
              {"id": 2, "customer": 20, "total": 7, "name": "Bo again"},
              {"id": 3, "customer": 30, "total": 9},
              {"customer": 40, "name": "Cy"}])"));
}

TEST(Merge, JoinsOnADifferentPathPerSide) {
  EXPECT_EQ(merge(R"({"mode": "join", "key1": "order.customer", "key2": "ref.id"})",
                  R"([{"order": {"customer": "c1"}}, {"order": {"customer": "c2"}}])",
                  R"([{"ref": {"id": "c2"}, "ok": true}])"),
            Json::parse(R"([{"order": {"customer": "c2"}, "ref": {"id": "c2"}, "ok": true}])"));
  // key1 / key2 default to key.
  EXPECT_EQ(merge(R"({"mode": "join", "key": "k", "key2": "other"})", R"([{"k": 1}])",
                  R"([{"other": 1, "x": 2}])"),
            Json::parse(R"([{"k": 1, "other": 1, "x": 2}])"));
}

TEST(Merge, KeysCompareByValueAndNullNeverMatches) {
  EXPECT_EQ(
      merge(R"({"mode": "join", "key": "k", "join": "left"})",
            R"([{"k": 1}, {"k": "1"}, {"k": null}, {"n": "no key"}])",
            R"([{"k": 1.0, "m": "number"}, {"k": null, "m": "null"}, {"m": "no key"}])"),
      Json::parse(R"([{"k": 1.0, "m": "number"}, {"k": "1"}, {"k": null}, {"n": "no key"}])"));
}

TEST(Merge, WaitPassesOnTheChosenInput) {
  EXPECT_EQ(merge(R"({"mode": "wait"})", R"([{"a": 1}])", R"([{"b": 1}, {"b": 2}])"),
            Json::parse(R"([{"a": 1}])"));
  EXPECT_EQ(merge(R"({"mode": "wait", "output": 2})", R"([{"a": 1}])", R"([{"b": 1}, {"b": 2}])"),
            Json::parse(R"([{"b": 1}, {"b": 2}])"));
  EXPECT_EQ(merge(R"({"mode": "wait", "output": 1})", "[]", R"([{"b": 1}])"), Json::array());
}

TEST(Merge, RejectsBadParameters) {
  EXPECT_EQ(merge_error(R"({"mode": "zip"})"),
            "item 0: parameter 'mode' must be one of append, join, wait; got 'zip'");
  EXPECT_EQ(merge_error(R"({"mode": "join"})"),
            "item 0: parameter 'key' is required in join mode (or both key1 and key2)");
  EXPECT_EQ(merge_error(R"({"mode": "join", "key1": "id"})"),
            "item 0: parameter 'key' is required in join mode (or both key1 and key2)");
  EXPECT_EQ(merge_error(R"({"mode": "join", "key": 3})"),
            "item 0: parameter 'key' must be a non-empty string (a dotted path)");
  EXPECT_EQ(merge_error(R"({"mode": "join", "key": "id", "key2": ""})"),
            "item 0: parameter 'key2' must be a non-empty string (a dotted path)");
  EXPECT_EQ(merge_error(R"({"mode": "join", "key": "id", "join": "cross"})"),
            "item 0: parameter 'join' must be one of inner, left, outer; got 'cross'");
  EXPECT_EQ(merge_error(R"({"mode": "wait", "output": 3})"),
            "item 0: parameter 'output' must be 1 or 2, got 3");
  EXPECT_EQ(merge_error(R"({"mode": "wait", "output": "2"})"),
            "item 0: parameter 'output' must be a number, got string");
}

}  // namespace
}  // namespace weft::plugin_tests
