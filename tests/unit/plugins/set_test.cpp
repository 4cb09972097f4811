// weft.set.
#include "plugin_test_support.hpp"

namespace weft::plugin_tests {
namespace {

weft_status run_set(NodeCall& call) { return plugin("weft_set").run("weft.set", 1, call); }

// Runs weft.set with `params` (JSON text) over `inputs` (a JSON array) and returns output 0.
Json set_over(const char* params, const char* inputs) {
  NodeCall call;
  call.params = Json::parse(params);
  call.inputs = {items(inputs)};
  EXPECT_EQ(run_set(call), WEFT_OK) << call.error_message;
  return call.outputs.empty() ? Json() : Json(call.outputs[0]);
}

TEST(Set, DescribesItself) {
  expect_plugin(
      "weft_set", "weft-set", "weft.set",
      {{"main"}, {"main"}, false, {"fields", "rename", "remove", "keepOnly", "includeInput"}});
  EXPECT_EQ(parameter("weft_set", "includeInput")["default"], true);
  EXPECT_EQ(parameter("weft_set", "fields")["type"], "array");
}

TEST(Set, WithoutParametersCopiesEachItem) {
  EXPECT_EQ(set_over("{}", R"([{"a": 1}, {"b": {"c": 2}}])"),
            Json::parse(R"([{"a": 1}, {"b": {"c": 2}}])"));
}

TEST(Set, SetsFieldsOverTheInput) {
  EXPECT_EQ(set_over(R"({"fields": [{"name": "a", "value": 10},
                                    {"name": "tags", "value": ["x", {"y": null}]},
                                    {"name": "flag", "value": false}]})",
                     R"([{"a": 1, "b": 2}])"),
            Json::parse(R"([{"a": 10, "b": 2, "tags": ["x", {"y": null}], "flag": false}])"));
}

TEST(Set, ADottedNameSetsANestedField) {
  EXPECT_EQ(set_over(R"({"fields": [{"name": "customer.address.city", "value": "Lyon"},
                                    {"name": "customer.id", "value": 7}]})",
                     R"([{"customer": {"name": "Ada"}}, {"customer": "replaced"}])"),
            Json::parse(R"([{"customer": {"name": "Ada", "address": {"city": "Lyon"}, "id": 7}},
                            {"customer": {"address": {"city": "Lyon"}, "id": 7}}])"));
}

TEST(Set, AFieldWithoutValueIsNull) {
  EXPECT_EQ(set_over(R"({"fields": [{"name": "x"}]})", R"([{}])"), Json::parse(R"([{"x": null}])"));
}

TEST(Set, WithoutIncludeInputStartsFromAnEmptyObject) {
  EXPECT_EQ(set_over(R"({"includeInput": false, "fields": [{"name": "only", "value": 1}]})",
                     R"([{"a": 1}, {"b": 2}])"),
            Json::parse(R"([{"only": 1}, {"only": 1}])"));
}

TEST(Set, RenamesFieldsAndSkipsMissingOnes) {
  EXPECT_EQ(set_over(R"({"rename": [{"from": "a", "to": "alpha"},
                                    {"from": "nested.b", "to": "beta.value"},
                                    {"from": "missing", "to": "never"}]})",
                     R"([{"a": 1, "nested": {"b": 2, "c": 3}}])"),
            Json::parse(R"([{"nested": {"c": 3}, "alpha": 1, "beta": {"value": 2}}])"));
}

TEST(Set, RemovesPathsAndIgnoresMissingOnes) {
  EXPECT_EQ(set_over(R"({"remove": ["a", "nested.b", "nope", "nested.nope.deeper"]})",
                     R"([{"a": 1, "keep": 2, "nested": {"b": 2, "c": 3}}])"),
            Json::parse(R"([{"keep": 2, "nested": {"c": 3}}])"));
}

TEST(Set, KeepsOnlyTheListedPaths) {
  EXPECT_EQ(set_over(R"({"keepOnly": ["id", "customer.name", "absent"]})",
                     R"([{"id": 1, "secret": "s", "customer": {"name": "Ada", "card": "4111"}}])"),
            Json::parse(R"([{"id": 1, "customer": {"name": "Ada"}}])"));
}

TEST(Set, AnEmptyKeepOnlyKeepsEverything) {
  EXPECT_EQ(set_over(R"({"keepOnly": []})", R"([{"a": 1, "b": 2}])"),
            Json::parse(R"([{"a": 1, "b": 2}])"));
}

TEST(Set, AppliesRenameThenRemoveThenFieldsThenKeepOnly) {
  // rename a -> b; remove b (the renamed one); set c; keep b and c: b is gone, c stays.
  EXPECT_EQ(set_over(R"({"rename": [{"from": "a", "to": "b"}], "remove": ["b"],
                         "fields": [{"name": "c", "value": 3}, {"name": "d", "value": 4}],
                         "keepOnly": ["b", "c"]})",
                     R"([{"a": 1, "z": 26}])"),
            Json::parse(R"([{"c": 3}])"));
  // Fields are set after remove: removing and setting the same path leaves the new value.
  EXPECT_EQ(set_over(R"({"remove": ["x"], "fields": [{"name": "x", "value": "new"}]})",
                     R"([{"x": "old"}])"),
            Json::parse(R"([{"x": "new"}])"));
}

TEST(Set, EvaluatesParametersPerItem) {
  NodeCall call;
  call.inputs = {items(R"([{"n": 1}, {"n": 2}])")};
  vary_per_item(call, "fields",
                {Json::parse(R"([{"name": "double", "value": 2}])"),
                 Json::parse(R"([{"name": "double", "value": 4}])")});
  ASSERT_EQ(run_set(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(Json(call.outputs[0]),
            Json::parse(R"([{"n": 1, "double": 2}, {"n": 2, "double": 4}])"));
}

TEST(Set, LeavesTheInputItemsUnchanged) {
  NodeCall call;
  call.inputs = {items(R"([{"a": 1}])")};
  call.params = Json::parse(R"({"fields": [{"name": "a", "value": 2}], "remove": ["b"]})");
  ASSERT_EQ(run_set(call), WEFT_OK) << call.error_message;
  EXPECT_EQ(call.inputs[0][0], Json::parse(R"({"a": 1})"));
  EXPECT_EQ(call.outputs[0][0], Json::parse(R"({"a": 2})"));
}

TEST(Set, RejectsBadParametersNamingTheItem) {
  struct Case {
    const char* params;
    std::string message;
  };
  for (const Case& c : {
           Case{R"({"fields": {"name": "a"}})",
                "item 1: parameter 'fields' must be an array, got object"},
           Case{R"({"fields": [{"name": "a"}, "b"]})",
                "item 1: parameter 'fields[1]' must be an object, got string"},
           Case{R"({"fields": [{"name": 3, "value": 1}]})",
                "item 1: parameter 'fields[0].name' must be a non-empty string, got number"},
           Case{R"({"fields": [{"value": 1}]})", "item 1: parameter 'fields[0].name' is required"},
           Case{R"({"fields": [{"name": "", "value": 1}]})",
                "item 1: parameter 'fields[0].name' must be a non-empty string, got an empty "
                "string"},
           Case{R"({"rename": "a"})", "item 1: parameter 'rename' must be an array, got string"},
           Case{R"({"rename": [{"from": "a"}]})", "item 1: parameter 'rename[0].to' is required"},
           Case{R"({"rename": [{"from": null, "to": "b"}]})",
                "item 1: parameter 'rename[0].from' must be a non-empty string, got null"},
           Case{R"({"remove": ["a", 2]})",
                "item 1: parameter 'remove[1]' must be a non-empty string, got number"},
           Case{R"({"keepOnly": [["a"]]})",
                "item 1: parameter 'keepOnly[0]' must be a non-empty string, got array"},
           Case{R"({"includeInput": "yes"})",
                "item 1: parameter 'includeInput' must be true or false, got string"},
       }) {
    NodeCall call;
    call.inputs = {items(R"([{"a": 1}, {"a": 2}])")};
    // Item 0 is valid; item 1 gets the bad parameters.
    Json bad = Json::parse(c.params);
    call.param_resolver = [&bad](std::string_view name, int64_t item) -> std::optional<Json> {
      if (item == 0 || !bad.contains(name)) return std::nullopt;
      return bad[std::string(name)];
    };
    EXPECT_EQ(run_set(call), WEFT_ERR_INVALID) << c.params;
    EXPECT_EQ(call.error_message, c.message);
  }
}

}  // namespace
}  // namespace weft::plugin_tests
