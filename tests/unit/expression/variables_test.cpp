// $json, $node, $execution, $workflow, $now.
#include "expression_test_support.hpp"

namespace weft::expr::testing {
namespace {

class Variables : public ::testing::Test {
 protected:
  void SetUp() override {
    scope.item = Json::parse(R"({"price": 30, "qty": 5, "customer": {"name": "Ada",
        "tags": ["vip", "eu"]}, "key with space": 1, "n": null})");
    scope.outputs["fetch"] = {make_item(Json{{"id", 1}}), make_item(Json{{"id", 2}}),
                              make_item(Json{{"id", 3}})};
    scope.outputs["empty"] = {};
  }
  TestScope scope;
};

TEST_F(Variables, JsonMembers) {
  EXPECT_EQ(run("$json.price * $json.qty > 100", scope), "true");
  EXPECT_EQ(run("$json.customer.name", scope), "\"Ada\"");
  EXPECT_EQ(run("$json.customer.tags[1]", scope), "\"eu\"");
  EXPECT_EQ(run("$json['key with space']", scope), "1");
  EXPECT_EQ(run("$json.customer['name']", scope), "\"Ada\"");
  EXPECT_EQ(run("$json.missing", scope), "null");
  EXPECT_EQ(run("$json.missing.deeper", scope), "null");
  EXPECT_EQ(run("$json.n.x", scope), "null");
  EXPECT_EQ(run("$json.customer.tags[5]", scope), "null");
}

TEST_F(Variables, JsonWithoutItemIsAnEmptyObject) {
  scope.has_item = false;
  EXPECT_EQ(run("$json", scope), "{}");
  EXPECT_EQ(run("$json.price", scope), "null");
}

TEST_F(Variables, WholeJsonIsCopiedOut) {
  EXPECT_EQ(run("$json.customer", scope), R"({"name":"Ada","tags":["vip","eu"]})");
}

TEST_F(Variables, NodeOutputs) {
  EXPECT_EQ(run("$node['fetch'].json", scope), R"({"id":1})");
  EXPECT_EQ(run("$node[\"fetch\"].json.id", scope), "1");
  EXPECT_EQ(run("$node.fetch.json.id", scope), "1");
  EXPECT_EQ(run("$node['fetch'].items", scope), R"([{"id":1},{"id":2},{"id":3}])");
  EXPECT_EQ(run("$node['fetch'].items[1].id", scope), "2");
  EXPECT_EQ(run("$node['fetch'].items[-1].id", scope), "3");
  EXPECT_EQ(run("$node['fetch'].items[9]", scope), "null");
  EXPECT_EQ(run("length($node['fetch'].items)", scope), "3");
  EXPECT_EQ(run("$node['fetch']", scope),
            R"({"json":{"id":1},"items":[{"id":1},{"id":2},{"id":3}]})");
  EXPECT_EQ(run("$node['fetch'].json.id + $node['fetch'].items[2].id", scope), "4");
}

TEST_F(Variables, NodeOutputWithComputedId) {
  scope.item["source"] = "fetch";
  EXPECT_EQ(run("$node[$json.source].json.id", scope), "1");
  EXPECT_EQ(run("$node['fe' + 'tch'].items[0].id", scope), "1");
  EXPECT_EQ(run("$node[1].json", scope),
            "error: column 1: $node needs a node id string, got number");
}

TEST_F(Variables, NodeThatHasNotRunOrHasNoItems) {
  EXPECT_EQ(run("$node['never'].json", scope), "null");
  EXPECT_EQ(run("$node['never'].items", scope), "null");
  EXPECT_EQ(run("$node['never'].items[0]", scope), "null");
  EXPECT_EQ(run("$node['never']", scope), "null");
  EXPECT_EQ(run("$node['empty'].json", scope), "null");
  EXPECT_EQ(run("$node['empty'].items", scope), "[]");
  EXPECT_EQ(run("$node['never'].items ?? []", scope), "[]");
}

TEST_F(Variables, NodeItemIndexMustBeAnInteger) {
  EXPECT_EQ(run("$node['fetch'].items['a']", scope),
            "error: column 22: item index must be an integer, got string");
}

TEST_F(Variables, NodeNeedsAnId) {
  EXPECT_EQ(run("$node", scope),
            "compile error: column 6: expected '[' after $node, as in $node[\"id\"].json");
  EXPECT_EQ(run("$node.(1)", scope),
            "compile error: column 7: expected a node id after '$node.', got '('");
}

TEST_F(Variables, ExecutionAndWorkflow) {
  EXPECT_EQ(run("$execution.id", scope), "\"exec-1\"");
  EXPECT_EQ(run("$execution.mode", scope), "\"manual\"");
  EXPECT_EQ(run("$workflow.name + ' v' + $workflow.version", scope), "\"Orders v3\"");
  scope.has_execution = false;
  EXPECT_EQ(run("$execution", scope), "{}");
  EXPECT_EQ(run("$workflow.id", scope), "null");
}

TEST_F(Variables, NowIsMillisecondsSinceTheEpoch) {
  EXPECT_EQ(run("$now", scope), "1700000000123");
  EXPECT_EQ(run("now() == $now", scope), "true");
  EXPECT_EQ(run("formatDate($now)", scope), "\"2023-11-14T22:13:20.123Z\"");
}

TEST_F(Variables, UnknownVariableIsACompileError) {
  EXPECT_EQ(run("1 + $items", scope),
            "compile error: column 5: unknown variable '$items' (known: $json, $node, "
            "$execution, $workflow, $now)");
  EXPECT_EQ(run("$JSON", scope),
            "compile error: column 1: unknown variable '$JSON' (known: $json, $node, "
            "$execution, $workflow, $now)");
}

TEST_F(Variables, PrototypeNamesAreOrdinaryKeys) {
  EXPECT_EQ(run("$json.constructor", scope), "null");
  EXPECT_EQ(run("$json.__proto__", scope), "null");
  EXPECT_EQ(run("$json.prototype", scope), "null");
  EXPECT_EQ(run("$json['constructor']['constructor']", scope), "null");
  EXPECT_EQ(run("$json.__proto__.polluted", scope), "null");
  EXPECT_EQ(run("'abc'.constructor", scope), "null");
  scope.item["__proto__"] = Json{{"admin", true}};
  EXPECT_EQ(run("$json.__proto__.admin", scope), "true");
  EXPECT_EQ(run("{}.admin", scope), "null");
  EXPECT_EQ(run("{__proto__: 1}.__proto__", scope), "1");
  EXPECT_EQ(run("merge({}, {__proto__: {x: 1}}).x", scope), "null");
  EXPECT_EQ(run("constructor", scope),
            "compile error: column 1: unknown name 'constructor' (variables start with '$', "
            "functions are called with ())");
  EXPECT_EQ(run("constructor('return 1')", scope),
            "compile error: column 1: unknown function 'constructor'");
}

}  // namespace
}  // namespace weft::expr::testing
