// weft.aggregate.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

const char* kSales = R"([
  {"region": "north", "product": "a", "qty": 2, "price": 1.5},
  {"region": "south", "product": "b", "qty": 5},
  {"region": "north", "product": "c", "qty": null, "price": 4},
  {"product": "d", "qty": 1, "price": 2}])";

Json aggregate(const char* params, const char* inputs = kSales) {
  NodeCall call;
  call.params = Json::parse(params);
  call.inputs = {items(inputs)};
  EXPECT_EQ(plugin("weft_aggregate").run("weft.aggregate", 1, call), WEFT_OK) << call.error_message;
  return call.outputs.empty() ? Json::array() : Json(call.outputs[0]);
}

std::string aggregate_error(const char* params, const char* inputs = kSales) {
  NodeCall call;
  call.params = Json::parse(params);
  call.inputs = {items(inputs)};
  EXPECT_EQ(plugin("weft_aggregate").run("weft.aggregate", 1, call), WEFT_ERR_INVALID) << params;
  EXPECT_TRUE(call.outputs.empty());
  return call.error_message;
}

TEST(Aggregate, DescribesItself) {
  expect_plugin("weft_aggregate", "weft-aggregate", "weft.aggregate",
                {{"main"}, {"main"}, false, {"groupBy", "operations"}});
  EXPECT_EQ(parameter("weft_aggregate", "operations")["default"],
            Json::parse(R"([{"op": "collect", "as": "items"}])"));
}

TEST(Aggregate, CollectsWholeItemsByDefault) {
  EXPECT_EQ(aggregate("{}", R"([{"a": 1}, {"b": 2}])"),
            Json::parse(R"([{"items": [{"a": 1}, {"b": 2}]}])"));
}

TEST(Aggregate, ComputesEveryOperationSkippingMissingAndNullValues) {
  EXPECT_EQ(aggregate(R"({"operations": [
                 {"op": "count", "as": "items"},
                 {"op": "count", "field": "price", "as": "priced"},
                 {"op": "sum", "field": "qty", "as": "qty"},
                 {"op": "sum", "field": "price", "as": "revenue"},
                 {"op": "avg", "field": "qty", "as": "avgQty"},
                 {"op": "min", "field": "price", "as": "cheapest"},
                 {"op": "max", "field": "qty", "as": "most"},
                 {"op": "collect", "field": "product", "as": "products"},
                 {"op": "first", "field": "price", "as": "firstPrice"},
                 {"op": "last", "field": "qty", "as": "lastQty"},
                 {"op": "first", "as": "firstItem.value"}]})"),
            Json::parse(R"([{"items": 4, "priced": 3, "qty": 8, "revenue": 7.5,
                             "avgQty": 2.6666666666666665, "cheapest": 1.5, "most": 5,
                             "products": ["a", "b", "c", "d"], "firstPrice": 1.5, "lastQty": 1,
                             "firstItem": {"value": {"region": "north", "product": "a", "qty": 2,
                                                     "price": 1.5}}}])"));
}

TEST(Aggregate, OperationsWithoutValuesGiveNullOrEmpty) {
  EXPECT_EQ(aggregate(R"({"operations": [
                 {"op": "count", "field": "x", "as": "count"}, {"op": "sum", "field": "x", "as": "sum"},
                 {"op": "avg", "field": "x", "as": "avg"}, {"op": "min", "field": "x", "as": "min"},
                 {"op": "max", "field": "x", "as": "max"}, {"op": "collect", "field": "x", "as": "all"},
                 {"op": "first", "field": "x", "as": "first"}, {"op": "last", "field": "x", "as": "last"}]})"),
            Json::parse(R"([{"count": 0, "sum": 0, "avg": null, "min": null, "max": null, "all": [],
                             "first": null, "last": null}])"));
}

TEST(Aggregate, AnIntegerSumThatOverflowsBecomesADouble) {
  Json out = aggregate(R"({"operations": [{"op": "sum", "field": "n", "as": "sum"}]})",
                       R"([{"n": 9223372036854775807}, {"n": 1}])");
  ASSERT_TRUE(out[0]["sum"].is_number_float());
  EXPECT_DOUBLE_EQ(out[0]["sum"].get<double>(), 9223372036854775808.0);
}

TEST(Aggregate, GroupsInOrderOfFirstAppearance) {
  EXPECT_EQ(aggregate(R"({"groupBy": "region", "operations": [
                           {"op": "count", "as": "n"}, {"op": "collect", "field": "product", "as": "products"}]})"),
            Json::parse(R"([{"region": "north", "n": 2, "products": ["a", "c"]},
                            {"region": "south", "n": 1, "products": ["b"]},
                            {"region": null, "n": 1, "products": ["d"]}])"));
}

TEST(Aggregate, GroupsByANestedPathAndNumbersByValue) {
  EXPECT_EQ(aggregate(R"({"groupBy": "k.id", "operations": [{"op": "count", "as": "n"}]})",
                      R"([{"k": {"id": 1}}, {"k": {"id": "1"}}, {"k": {"id": 1.0}}])"),
            Json::parse(R"([{"k": {"id": 1}, "n": 2}, {"k": {"id": "1"}, "n": 1}])"));
}

TEST(Aggregate, RejectsBadParameters) {
  EXPECT_EQ(aggregate_error(R"({"operations": {"op": "count"}})"),
            "item 0: parameter 'operations' must be an array, got object");
  EXPECT_EQ(aggregate_error(R"({"operations": ["count"]})"),
            "item 0: parameter 'operations[0]' must be an object, got string");
  EXPECT_EQ(
      aggregate_error(
          R"({"operations": [{"op": "count", "as": "n"}, {"op": "median", "field": "qty", "as": "m"}]})"),
      "item 0: parameter 'operations[1].op' must be one of count, sum, avg, min, max, collect, "
      "first, last; got 'median'");
  EXPECT_EQ(aggregate_error(R"({"operations": [{"as": "n"}]})"),
            "item 0: parameter 'operations[0].op' is required");
  EXPECT_EQ(aggregate_error(R"({"operations": [{"op": "sum", "as": "s"}]})"),
            "item 0: parameter 'operations[0].field' is required for sum");
  EXPECT_EQ(aggregate_error(R"({"operations": [{"op": "avg", "field": 3, "as": "s"}]})"),
            "item 0: parameter 'operations[0].field' must be a non-empty string");
  EXPECT_EQ(aggregate_error(R"({"operations": [{"op": "count"}]})"),
            "item 0: parameter 'operations[0].as' must be a non-empty string");
  EXPECT_EQ(aggregate_error(R"({"groupBy": ["region"]})"),
            "item 0: parameter 'groupBy' must be a string (a dotted path), got array");
}

TEST(Aggregate, RejectsNonNumbersForNumericOperationsNamingTheItem) {
  EXPECT_EQ(aggregate_error(R"({"operations": [{"op": "sum", "field": "qty", "as": "s"}]})",
                            R"([{"qty": 1}, {"qty": 2}, {"qty": "3"}])"),
            "item 2: field 'qty' must be a number, got string");
  EXPECT_EQ(aggregate_error(R"({"operations": [{"op": "max", "field": "qty", "as": "s"}]})",
                            R"([{"qty": [1]}])"),
            "item 0: field 'qty' must be a number, got array");
}

}  // namespace
}  // namespace weft::plugin_tests
