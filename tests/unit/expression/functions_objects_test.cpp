// Object functions and functions on any value.
#include "expression_test_support.hpp"

namespace weft::expr::testing {
namespace {

TEST(ObjectFunctions, KeysValues) {
  EXPECT_EQ(run("keys({b: 1, a: 2})"), R"(["b","a"])");
  EXPECT_EQ(run("values({b: 1, a: [2]})"), "[1,[2]]");
  EXPECT_EQ(run("keys({})"), "[]");
  EXPECT_EQ(run("keys([1])"), "error: column 1: keys: argument 1 must be an object, got array");
  EXPECT_EQ(run("values(null)"), "error: column 1: values: argument 1 must be an object, got null");
}

TEST(ObjectFunctions, Has) {
  EXPECT_EQ(run("has({a: null}, 'a')"), "true");
  EXPECT_EQ(run("has({a: 1}, 'b')"), "false");
  EXPECT_EQ(run("has(null, 'a')"), "false");
  EXPECT_EQ(run("has({}, 'constructor')"), "false");
  EXPECT_EQ(run("has([], 'a')"),
            "error: column 1: has: argument 1 must be an object or null, got array");
  EXPECT_EQ(run("has({}, 1)"), "error: column 1: has: argument 2 must be a string, got number");
}

TEST(ObjectFunctions, Get) {
  TestScope scope;
  scope.item = Json::parse(R"({"a": {"b": [{"c": 7}]}, "z": 0})");
  EXPECT_EQ(run("get($json, 'a.b.0.c')", scope), "7");
  EXPECT_EQ(run("get($json, ['a', 'b', 0, 'c'])", scope), "7");
  EXPECT_EQ(run("get($json, 'a.x.c', 'none')", scope), "\"none\"");
  EXPECT_EQ(run("get($json, 'a.b.5')", scope), "null");
  EXPECT_EQ(run("get($json, 'z', 9)", scope), "0");
  EXPECT_EQ(run("get(null, 'a', 1)", scope), "1");
  EXPECT_EQ(run("get({a: {b: 1}}, 'a')", scope), R"({"b":1})");
  EXPECT_EQ(run("get($json, 5)", scope),
            "error: column 1: get: argument 2 must be a path string (\"a.b.0\") or an array of "
            "keys, got number");
}

TEST(ObjectFunctions, Merge) {
  EXPECT_EQ(run("merge({a: 1, b: 2}, {b: 3, c: 4})"), R"({"a":1,"b":3,"c":4})");
  EXPECT_EQ(run("merge(null, {a: 1}, null)"), R"({"a":1})");
  EXPECT_EQ(run("merge(null)"), "{}");
  EXPECT_EQ(run("merge({a: 1}, [1])"),
            "error: column 1: merge: argument 2 must be an object or null, got array");
}

TEST(ObjectFunctions, PickOmit) {
  EXPECT_EQ(run("pick({a: 1, b: 2, c: 3}, 'c', 'a')"), R"({"a":1,"c":3})");
  EXPECT_EQ(run("pick({a: 1, b: 2}, ['b', 'x'])"), R"({"b":2})");
  EXPECT_EQ(run("omit({a: 1, b: 2, c: 3}, 'b')"), R"({"a":1,"c":3})");
  EXPECT_EQ(run("omit({a: 1}, ['a'])"), "{}");
  EXPECT_EQ(run("pick({a: 1}, 1)"),
            "error: column 1: pick: argument 2 must be a string, got number");
  EXPECT_EQ(run("omit({a: 1}, [1])"),
            "error: column 1: omit: key names must be strings, got number");
  EXPECT_EQ(run("pick([], 'a')"), "error: column 1: pick: argument 1 must be an object, got array");
}

TEST(MiscFunctions, IsEmptyAndType) {
  EXPECT_EQ(run("[isEmpty(null), isEmpty(''), isEmpty([]), isEmpty({}), isEmpty(0), isEmpty(' ')]"),
            "[true,true,true,true,false,false]");
  EXPECT_EQ(run("[type(null), type(true), type(1), type(1.5), type('s'), type([]), type({})]"),
            R"(["null","boolean","number","number","string","array","object"])");
  EXPECT_EQ(run("isEmpty()"), "compile error: column 1: isEmpty takes 1 argument, got 0");
  EXPECT_EQ(run("type(1, 2)"), "compile error: column 1: type takes 1 argument, got 2");
}

TEST(MiscFunctions, DefaultAndCoalesce) {
  EXPECT_EQ(run("default(null, 'x')"), "\"x\"");
  EXPECT_EQ(run("default('', 'x')"), "\"\"");
  EXPECT_EQ(run("default(0, 5)"), "0");
  EXPECT_EQ(run("coalesce(null, null, 3, 4)"), "3");
  EXPECT_EQ(run("coalesce(null)"), "null");
  EXPECT_EQ(run("default(1)"), "compile error: column 1: default takes 2 arguments, got 1");
}

TEST(MiscFunctions, Bool) {
  EXPECT_EQ(run("[bool(0), bool(1), bool(''), bool('0'), bool(null), bool([]), bool({})]"),
            "[false,true,false,true,false,true,true]");
  EXPECT_EQ(run("bool()"), "compile error: column 1: bool takes 1 argument, got 0");
}

TEST(MiscFunctions, ToJsonAndParseJson) {
  EXPECT_EQ(run("toJson({a: [1, 'x', null], b: 2.5})"), R"("{\"a\":[1,\"x\",null],\"b\":2.5}")");
  EXPECT_EQ(run("toJson('q\"\\n')"), R"("\"q\\\"\\n\"")");
  EXPECT_EQ(run("parseJson('{\"a\": [1, 2]}').a[1]"), "2");
  EXPECT_EQ(run("parseJson('3.5')"), "3.5");
  EXPECT_EQ(run("parseJson(toJson({k: 'v'}))"), R"({"k":"v"})");
  EXPECT_EQ(run("parseJson('{bad')"), "error: column 1: parseJson: argument is not valid JSON");
  EXPECT_EQ(run("parseJson('NaN')"), "error: column 1: parseJson: argument is not valid JSON");
  EXPECT_EQ(run("parseJson(1)"),
            "error: column 1: parseJson: argument 1 must be a string, got number");
  EXPECT_EQ(run("toJson()"), "compile error: column 1: toJson takes 1 argument, got 0");
}

TEST(Functions, UnknownFunctionIsACompileError) {
  EXPECT_EQ(run("evl('1')"), "compile error: column 1: unknown function 'evl'");
  EXPECT_EQ(run("1 + eval('1')"), "compile error: column 5: unknown function 'eval'");
  EXPECT_EQ(run("require('fs')"), "compile error: column 1: unknown function 'require'");
  EXPECT_EQ(run("upper"),
            "compile error: column 1: unknown name 'upper' (variables start with "
            "'$', functions are called with ())");
}

TEST(Functions, ArgumentCountsAreCheckedAtCompileTime) {
  EXPECT_EQ(run("upper('a', 'b')"), "compile error: column 1: upper takes 1 argument, got 2");
  EXPECT_EQ(run("round(1, 2, 3)"), "compile error: column 1: round takes 1 to 2 arguments, got 3");
  EXPECT_EQ(run("replace('a')"), "compile error: column 1: replace takes 3 arguments, got 1");
  EXPECT_EQ(run("upper('a',)"), "\"A\"");
}

TEST(Functions, ConstantCallsAreFoldedButErrorsWaitForEvaluation) {
  // A failing constant part is only an error if it is evaluated.
  EXPECT_EQ(run("false ? upper(1) : 'ok'"), "\"ok\"");
  EXPECT_EQ(run("upper(1)"), "error: column 1: upper: argument 1 must be a string, got number");
}

}  // namespace
}  // namespace weft::expr::testing
