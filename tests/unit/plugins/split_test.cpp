// weft.split.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

weft_status run_split(NodeCall& call) { return plugin("weft_split").run("weft.split", 1, call); }

Json split(const char* params, const char* inputs) {
  NodeCall call;
  call.params = Json::parse(params);
  call.inputs = {items(inputs)};
  EXPECT_EQ(run_split(call), WEFT_OK) << call.error_message;
  return call.outputs.empty() ? Json::array() : Json(call.outputs[0]);
}

std::string split_error(const char* params, const char* inputs) {
  NodeCall call;
  call.params = Json::parse(params);
  call.inputs = {items(inputs)};
  EXPECT_EQ(run_split(call), WEFT_ERR_INVALID) << params;
  return call.error_message;
}

TEST(Split, DescribesItself) {
  expect_plugin(
      "weft_split", "weft-split", "weft.split",
      {{"main"}, {"main"}, false, {"field", "destination", "includeParent", "onMissing"}});
  EXPECT_EQ(parameter("weft_split", "field")["required"], true);
  EXPECT_EQ(parameter("weft_split", "includeParent")["default"], false);
  EXPECT_EQ(parameter("weft_split", "onMissing")["default"], "skip");
  EXPECT_EQ(parameter("weft_split", "onMissing")["options"], Json::parse(R"(["skip", "error"])"));
}

TEST(Split, EmitsOneItemPerObjectElement) {
  EXPECT_EQ(
      split(
          R"({"field": "lines"})",
          R"([{"id": 1, "lines": [{"sku": "a"}, {"sku": "b"}]}, {"id": 2, "lines": [{"sku": "c"}]}])"),
      Json::parse(R"([{"sku": "a"}, {"sku": "b"}, {"sku": "c"}])"));
}

TEST(Split, PutsOtherElementsUnderTheLastSegmentOfTheField) {
  EXPECT_EQ(split(R"({"field": "data.tags"})", R"([{"data": {"tags": ["x", 2, null, [3]]}}])"),
            Json::parse(R"([{"tags": "x"}, {"tags": 2}, {"tags": null}, {"tags": [3]}])"));
}

TEST(Split, PutsOtherElementsUnderTheDestination) {
  EXPECT_EQ(split(R"({"field": "tags", "destination": "tag"})", R"([{"tags": ["x", "y"]}])"),
            Json::parse(R"([{"tag": "x"}, {"tag": "y"}])"));
}

TEST(Split, IncludeParentLaysElementsOverTheParentsOtherFields) {
  EXPECT_EQ(
      split(R"({"field": "lines", "includeParent": true})",
            R"([{"id": 1, "sku": "parent", "lines": [{"sku": "a", "qty": 2}, "plain"]}])"),
      Json::parse(
          R"([{"id": 1, "sku": "a", "qty": 2}, {"id": 1, "sku": "parent", "lines": "plain"}])"));
  EXPECT_EQ(split(R"({"field": "order.lines", "includeParent": true, "destination": "line"})",
                  R"([{"order": {"id": 7, "lines": [1]}}])"),
            Json::parse(R"([{"order": {"id": 7}, "line": 1}])"));
}

TEST(Split, SkipsItemsWithoutTheFieldByDefault) {
  EXPECT_EQ(split(R"({"field": "tags"})",
                  R"([{"id": 1}, {"tags": null}, {"tags": ["a"]}, {"tags": []}])"),
            Json::parse(R"([{"tags": "a"}])"));
}

TEST(Split, CanFailOnAMissingField) {
  EXPECT_EQ(
      split_error(R"({"field": "tags", "onMissing": "error"})", R"([{"tags": []}, {"id": 1}])"),
      "item 1: field 'tags' is missing");
  EXPECT_EQ(
      split_error(R"({"field": "a.tags", "onMissing": "error"})", R"([{"a": {"tags": null}}])"),
      "item 0: field 'a.tags' is missing");
}

TEST(Split, RejectsAFieldThatIsNotAnArray) {
  EXPECT_EQ(split_error(R"({"field": "tags"})", R"([{"tags": []}, {"tags": "a,b"}])"),
            "item 1: field 'tags' must be an array, got string");
  EXPECT_EQ(split_error(R"({"field": "tags"})", R"([{"tags": {"0": "a"}}])"),
            "item 0: field 'tags' must be an array, got object");
}

TEST(Split, RejectsBadParameters) {
  const char* one = R"([{"tags": ["a"]}])";
  EXPECT_EQ(split_error("{}", one), "item 0: parameter 'field' is required");
  EXPECT_EQ(split_error(R"({"field": ""})", one),
            "item 0: parameter 'field' must be a non-empty string (a dotted path)");
  EXPECT_EQ(split_error(R"({"field": ["tags"]})", one),
            "item 0: parameter 'field' must be a non-empty string (a dotted path)");
  EXPECT_EQ(split_error(R"({"field": "tags", "destination": ""})", one),
            "item 0: parameter 'destination' must not be empty");
  EXPECT_EQ(split_error(R"({"field": "tags", "includeParent": 1})", one),
            "item 0: parameter 'includeParent' must be true or false, got number");
  EXPECT_EQ(split_error(R"({"field": "tags", "onMissing": "ignore"})", one),
            "item 0: parameter 'onMissing' must be one of skip, error; got 'ignore'");
}

}  // namespace
}  // namespace weft::plugin_tests
