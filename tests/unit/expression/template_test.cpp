// Templates: parameter values with {{ expressions }}.
#include "expression_test_support.hpp"

namespace weft::expr::testing {
namespace {

size_t utf8_length(const std::string& text) {
  size_t characters = 0;
  for (char c : text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return characters;
}

class Templates : public ::testing::Test {
 protected:
  void SetUp() override {
    scope.item = Json::parse(R"({"name": "Ada", "qty": 3, "price": 2.5, "tags": ["a", "b"],
        "address": {"city": "Paris"}, "none": null, "ok": true})");
  }
  TestScope scope;
};

TEST_F(Templates, SingleExpressionKeepsItsType) {
  EXPECT_EQ(render(R"("{{ $json.qty }}")", scope), "3");
  EXPECT_EQ(render(R"("{{ $json.price * 2 }}")", scope), "5.0");
  EXPECT_EQ(render(R"("{{ $json.ok }}")", scope), "true");
  EXPECT_EQ(render(R"("{{ $json.none }}")", scope), "null");
  EXPECT_EQ(render(R"("{{ $json.tags }}")", scope), R"(["a","b"])");
  EXPECT_EQ(render(R"("{{ $json.address }}")", scope), R"({"city":"Paris"})");
  EXPECT_EQ(render(R"("  {{$json.qty}}  ")", scope), "3");
  EXPECT_EQ(render(R"("\n{{ $json.name }}\t")", scope), "\"Ada\"");
}

TEST_F(Templates, MixedTextIsAString) {
  EXPECT_EQ(render(R"("Hello {{ $json.name }}!")", scope), "\"Hello Ada!\"");
  EXPECT_EQ(render(R"("{{ $json.qty }} x {{ $json.price }}")", scope), "\"3 x 2.5\"");
  EXPECT_EQ(render(R"("{{ $json.qty }}{{ $json.qty }}")", scope), "\"33\"");
  EXPECT_EQ(render(R"("[{{ $json.none }}]")", scope), "\"[]\"");
  EXPECT_EQ(render(R"("ok={{ $json.ok }}")", scope), "\"ok=true\"");
  EXPECT_EQ(render(R"("tags={{ $json.tags }}")", scope), R"("tags=[\"a\",\"b\"]")");
  EXPECT_EQ(render(R"("at {{ $json.address }}")", scope), R"("at {\"city\":\"Paris\"}")");
}

TEST_F(Templates, PlainValuesAreCopied) {
  EXPECT_EQ(render(R"("no expressions here")", scope), "\"no expressions here\"");
  EXPECT_EQ(render("42", scope), "42");
  EXPECT_EQ(render("null", scope), "null");
  EXPECT_EQ(render(R"("single { braces } and }} alone")", scope),
            "\"single { braces } and }} alone\"");
}

TEST_F(Templates, NestedParameterObjects) {
  EXPECT_EQ(
      render(R"({"url": "https://x/{{ $json.name }}", "body": {"n": "{{ $json.qty + 1 }}",
      "fixed": [1, "two"], "list": ["{{ $json.tags[0] }}", 5]}, "flag": false})",
             scope),
      R"({"url":"https://x/Ada","body":{"n":4,"fixed":[1,"two"],"list":["a",5]},"flag":false})");
}

TEST_F(Templates, IsConstant) {
  auto constant = Template::compile(Json::parse(R"({"a": [1, "x", {"b": null}]})"));
  ASSERT_TRUE(constant.is_ok());
  EXPECT_TRUE(constant->is_constant());
  auto result = constant->evaluate(scope);
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(result->dump(), R"({"a":[1,"x",{"b":null}]})");

  auto dynamic = Template::compile(Json::parse(R"({"a": [1, {"b": "{{ 1 }}"}]})"));
  ASSERT_TRUE(dynamic.is_ok());
  EXPECT_FALSE(dynamic->is_constant());

  auto text = Template::compile(Json("{{ 'x' }}"));
  ASSERT_TRUE(text.is_ok());
  EXPECT_FALSE(text->is_constant());
}

TEST_F(Templates, ClosingBracesInsideTheExpression) {
  EXPECT_EQ(render(R"("{{ '}}' }}")", scope), "\"}}\"");
  EXPECT_EQ(render(R"("a{{ \"}}\" + '{{' }}b")", scope), "\"a}}{{b\"");
  EXPECT_EQ(render(R"("{{ {a: {b: 1}} }}")", scope), R"({"a":{"b":1}})");
  EXPECT_EQ(render(R"("{{ {a: {b: 1}}}}")", scope), R"({"a":{"b":1}})");
  EXPECT_EQ(render(R"("{{{a: 1}.a}}")", scope), "1");
}

TEST_F(Templates, CompileErrorsNameThePathAndColumn) {
  EXPECT_EQ(render(R"({"fields": [{"value": "Total: {{ evl(1) }}"}]})", scope),
            "compile error: fields[0].value, column 11: unknown function 'evl'");
  EXPECT_EQ(render(R"("{{ 1 + }}")", scope), "compile error: column 8: expected a value, got '}'");
  EXPECT_EQ(render(R"({"a": {"b c": ["x", "{{ $nope }}"]}})", scope),
            "compile error: a.b c[1], column 4: unknown variable '$nope' (known: $json, $node, "
            "$execution, $workflow, $now)");
  EXPECT_EQ(render(R"([["{{ ( }}"]])", scope),
            "compile error: [0][0], column 6: expected a value, got '}'");
  EXPECT_EQ(render(R"("{{ 1 2 }}")", scope),
            "compile error: column 6: expected '}}' after the expression");
  EXPECT_EQ(render(R"("{{ 1 }")", scope),
            "compile error: column 6: expected '}}' after the expression");
  EXPECT_EQ(render(R"("{{ }}")", scope), "compile error: column 4: expected a value, got '}'");
}

TEST_F(Templates, ColumnsCountCharacters) {
  EXPECT_EQ(render(R"("caf\u00e9 {{ evl() }}")", scope),
            "compile error: column 9: unknown function 'evl'");
}

TEST_F(Templates, UnterminatedExpression) {
  EXPECT_EQ(render(R"("Hello {{ $json.name")", scope),
            "compile error: column 7: unterminated '{{' (no matching '}}')");
  EXPECT_EQ(render(R"("{{")", scope),
            "compile error: column 1: unterminated '{{' (no matching '}}')");
  EXPECT_EQ(render(R"({"x": "a {{ 1 +"})", scope),
            "compile error: x, column 3: unterminated '{{' (no matching '}}')");
  EXPECT_EQ(render(R"("{{ '}} ")", scope), "compile error: column 4: unterminated string");
}

TEST_F(Templates, EvaluationErrorsNameThePath) {
  EXPECT_EQ(render(R"({"body": {"total": "{{ $json.name * 2 }}"}})", scope),
            "error: body.total, column 15: '*' needs numbers, got string and number");
  EXPECT_EQ(render(R"(["ok", "n={{ 1 / 0 }}"])", scope), "error: [1], column 8: division by zero");
  EXPECT_EQ(render(R"("{{ 1 / 0 }}")", scope), "error: column 6: division by zero");
}

TEST_F(Templates, LimitsApplyToTheWholeValue) {
  Limits limits;
  limits.max_steps = 10;
  EXPECT_EQ(render(R"(["{{ 1 }}", "{{ 2 }}", "{{ 3 }}"])", scope, limits), "[1,2,3]");
  EXPECT_EQ(
      render(R"(["{{ $json.qty + 1 + 1 + 1 }}", "{{ $json.qty + 1 + 1 + 1 }}"])", scope, limits),
      "error: [1], column 16: expression exceeded 10 steps");
}

TEST_F(Templates, LongExpressionInsideATemplate) {
  Limits limits;
  limits.max_source_bytes = 10;
  EXPECT_EQ(render(R"("{{ 1 + 2 }}")", scope, limits), "3");
  EXPECT_EQ(render(R"("x {{ 1 + 2 + 3 + 4 }}")", scope, limits),
            "compile error: column 3: expression is longer than 10 bytes");
}

TEST_F(Templates, ManyExpressionsInOneLongString) {
  std::string text;
  std::string expected;
  for (int i = 0; i < 5000; ++i) {
    text += "\u00e9{{ $json.qty + " + std::to_string(i) + " }},";
    expected += "\u00e9" + std::to_string(3 + i) + ",";
  }
  EXPECT_EQ(render(Json(text).dump(), scope), Json(expected).dump());
  // Columns still count characters from the start of the long string.
  EXPECT_EQ(render(Json(text + "{{ evl() }}").dump(), scope),
            "compile error: column " + std::to_string(utf8_length(text) + 4) +
                ": unknown function 'evl'");
}

TEST_F(Templates, WideObjectLiteral) {
  std::string source = "{{ {";
  for (int i = 0; i < 2000; ++i) source += "k" + std::to_string(i) + ": $json.qty, ";
  source += "k0: 'last'} }}";
  Limits limits;
  limits.max_source_bytes = 64 * 1024;
  const std::string result = render(Json(source).dump(), scope, limits);
  const Json value = Json::parse(result);
  EXPECT_EQ(value.size(), 2000u);
  EXPECT_EQ(value["k0"], "last");
  EXPECT_EQ(value["k1999"], 3);
  EXPECT_EQ(value.begin().key(), "k0");
}

}  // namespace
}  // namespace weft::expr::testing
