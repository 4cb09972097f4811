// Hostile input: every case must end in a clean error (or a correct value) within the limits,
// never a crash, a hang or an unbounded allocation.
#include <string>

#include "expression_test_support.hpp"

namespace weft::expr::testing {
namespace {

std::string repeat(std::string_view piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

Limits large_source() {
  Limits limits;
  limits.max_source_bytes = 1 << 22;
  return limits;
}

constexpr const char* kTooDeep = "expression nested too deeply (more than 64 levels)";

TEST(Hostile, DeepParentheses) {
  const std::string source = repeat("(", 100'000) + "1" + repeat(")", 100'000);
  EXPECT_EQ(run(source, empty_scope(), large_source()),
            std::string("compile error: column 65: ") + kTooDeep);
}

TEST(Hostile, DeepArrays) {
  const std::string source = repeat("[", 100'000) + repeat("]", 100'000);
  EXPECT_EQ(run(source, empty_scope(), large_source()),
            std::string("compile error: column 65: ") + kTooDeep);
}

TEST(Hostile, DeepObjects) {
  const std::string source = repeat("{a:", 100'000) + "1" + repeat("}", 100'000);
  EXPECT_EQ(run(source, empty_scope(), large_source()),
            std::string("compile error: column 193: ") + kTooDeep);
}

TEST(Hostile, NestingIsCappedWhateverTheLimitSays) {
  Limits limits = large_source();
  limits.max_depth = 1'000'000;
  EXPECT_EQ(run(repeat("(", 100'000) + "1" + repeat(")", 100'000), empty_scope(), limits),
            "compile error: column 257: expression nested too deeply (more than 256 levels)");
  EXPECT_EQ(run(repeat("(", 200) + "1" + repeat(")", 200), empty_scope(), limits), "1");
}

TEST(Hostile, LongChainsOfUnaryOperators) {
  EXPECT_EQ(run(repeat("!", 100'000) + "true", empty_scope(), large_source()),
            std::string("compile error: column 65: ") + kTooDeep);
  EXPECT_EQ(run(repeat("-", 100'000) + "1", empty_scope(), large_source()),
            std::string("compile error: column 65: ") + kTooDeep);
  EXPECT_EQ(run(repeat("- ", 50'000) + "1", empty_scope(), large_source()),
            std::string("compile error: column 129: ") + kTooDeep);
  // Within the limit, folded to a constant.
  EXPECT_EQ(run(repeat("!", 60) + "true"), "true");
  EXPECT_EQ(run(repeat("-", 61) + "1"), "-1");
}

TEST(Hostile, DeepCallsAndConditionals) {
  EXPECT_EQ(
      run(repeat("upper(", 100'000) + "'a'" + repeat(")", 100'000), empty_scope(), large_source()),
      std::string("compile error: column 385: ") + kTooDeep);
  EXPECT_EQ(run(repeat("true ? 1 : ", 100'000) + "0", empty_scope(), large_source()),
            std::string("compile error: column 701: ") + kTooDeep);
}

TEST(Hostile, LongOperatorAndMemberChainsAreBoundedByTreeDepth) {
  TestScope scope;
  EXPECT_EQ(run("$json" + repeat(".a", 100'000), scope, large_source()),
            std::string("compile error: column 132: ") + kTooDeep);
  EXPECT_EQ(run("$json.a" + repeat(" + 1", 100'000), scope, large_source()),
            std::string("compile error: column 257: ") + kTooDeep);
  // Constant chains fold as they are parsed, so they never grow deep.
  EXPECT_EQ(run("1" + repeat(" + 1", 1000), scope, large_source()), "1001");
}

TEST(Hostile, SourceLength) {
  EXPECT_EQ(run(repeat(" ", 16 * 1024 + 1) + "1"),
            "compile error: column 1: expression is longer than 16384 bytes");
}

TEST(Hostile, HugeStrings) {
  EXPECT_EQ(run("padStart('', 1000000000000, 'ab')"),
            "error: column 1: padStart: result would be longer than 1048576 bytes");
  EXPECT_EQ(run("padEnd('x', 9223372036854775807)"),
            "error: column 1: padEnd: result would be longer than 1048576 bytes");
  EXPECT_EQ(run("replace(padStart('', 1000000, 'a'), 'a', 'aa')"),
            "error: column 1: replace: result would be longer than 1048576 bytes");
  EXPECT_EQ(run("join(range(100), padStart('', 20000, 'x'))"),
            "error: column 1: join: result would be longer than 1048576 bytes");
  EXPECT_EQ(run("length(padStart('', 1048576, 'x'))"), "1048576");
}

TEST(Hostile, StringDoubling) {
  // Each level doubles the previous string; the string limit stops it.
  std::string source = "padStart('', 1000, 'x')";
  for (int i = 0; i < 12; ++i) source = "(" + source + " + " + source + ")";
  source = "length(" + source + ")";
  Limits limits = large_source();
  limits.max_steps = 10'000'000;
  limits.max_memory_bytes = 1u << 30;
  const std::string result = run(source, empty_scope(), limits);
  EXPECT_NE(result.find("'+' would make a string longer than 1048576 bytes"), std::string::npos)
      << result;
}

TEST(Hostile, StringDoublingHitsTheMemoryLimit) {
  std::string source = "padStart('', 500000, 'x')";
  for (int i = 0; i < 6; ++i) source = "[" + source + ", " + source + "]";
  Limits limits = large_source();
  limits.max_steps = 10'000'000;
  EXPECT_NE(run(source, empty_scope(), limits).find("expression exceeded 16777216 bytes of memory"),
            std::string::npos);
}

TEST(Hostile, HugeArrays) {
  EXPECT_EQ(run("range(1000000000)"),
            "error: column 1: range: result would have more than 100000 items");
  EXPECT_EQ(run("range(-9223372036854775807 - 1, 9223372036854775807)"),
            "error: column 1: range: result would have more than 100000 items");
  EXPECT_EQ(run("split(padStart('', 200000, ','), ',')"),
            "error: column 1: split: result would have more than 100000 items");
  // Constant parts are folded at compile time within one evaluation's limits; what does not
  // fit there is left to evaluation, which enforces the limits again.
  EXPECT_EQ(run("length(range(50000) + range(50000) + range(50000))"),
            "error: column 21: expression exceeded 100000 steps");
  Limits roomy;
  roomy.max_steps = 10'000'000;
  EXPECT_EQ(run("length(range(50000) + range(50000) + range(50000))", empty_scope(), roomy),
            "error: column 36: '+' would make an array longer than 100000 items");
  TestScope scope;
  scope.item = Json{{"n", 50'000}};
  EXPECT_EQ(run("length(range($json.n) + range($json.n) + range($json.n))", scope),
            "error: column 25: expression exceeded 100000 steps");
}

TEST(Hostile, RunawayRepetitionHitsTheStepLimit) {
  EXPECT_EQ(run("sort(sort(sort(range(90000))))"),
            "error: column 11: expression exceeded 100000 steps");
  TestScope scope;
  scope.item = Json{{"n", 60'000}};
  EXPECT_EQ(run("length(unique(range($json.n)))", scope),
            "error: column 8: expression exceeded 100000 steps");
  Limits limits;
  limits.max_steps = 100;
  EXPECT_EQ(run("length(range(200))", empty_scope(), limits),
            "error: column 8: expression exceeded 100 steps");
}

TEST(Hostile, PrototypeTricks) {
  TestScope scope;
  scope.item = Json{{"a", 1}};
  EXPECT_EQ(run("$json.constructor.constructor('return process')()", scope),
            "compile error: column 30: unexpected '(' after the expression");
  EXPECT_EQ(run("$json['__proto__']['polluted']", scope), "null");
  EXPECT_EQ(run("{}['constructor']", scope), "null");
  EXPECT_EQ(run("[].constructor", scope), "null");
  EXPECT_EQ(run("''.prototype", scope), "null");
  EXPECT_EQ(run("merge($json, parseJson('{\"__proto__\": {\"isAdmin\": true}}')).isAdmin", scope),
            "null");
  EXPECT_EQ(run("merge($json, parseJson('{\"__proto__\": {\"isAdmin\": true}}'))", scope),
            R"({"a":1,"__proto__":{"isAdmin":true}})");
  EXPECT_EQ(run("keys($json)", scope), R"(["a"])");
  EXPECT_EQ(run("has($json, 'toString')", scope), "false");
  EXPECT_EQ(run("$json.toString", scope), "null");
}

TEST(Hostile, BacktickTemplateLiterals) {
  const std::string message =
      "template literals (`...`) are not supported; use '+' to join strings";
  EXPECT_EQ(run("`${1+1}`"), "compile error: column 1: " + message);
  EXPECT_EQ(run("'a' + `b`"), "compile error: column 7: " + message);
  EXPECT_EQ(run("upper(`x`)"), "compile error: column 7: " + message);
  // Inside a string literal a backtick is just a character.
  EXPECT_EQ(run("'`${process}`'"), "\"`${process}`\"");
  EXPECT_EQ(render(R"("{{ `${$json}` }}")"), "compile error: column 4: " + message);
}

TEST(Hostile, IntegerOverflowNeverWraps) {
  EXPECT_EQ(run("9223372036854775807 * 9223372036854775807"), "8.507059173023462e+37");
  EXPECT_EQ(run("-9223372036854775807 - 9223372036854775807"), "-1.8446744073709552e+19");
  EXPECT_EQ(run("sum([9223372036854775807, 9223372036854775807])"), "1.8446744073709552e+19");
  EXPECT_EQ(run("abs(-9223372036854775807 - 1)"), "9.223372036854776e+18");
}

TEST(Hostile, NonFiniteNumbersAreErrors) {
  EXPECT_EQ(run("1e309"), "compile error: column 1: number out of range");
  EXPECT_EQ(run("1e308 + 1e308"), "error: column 7: result is not a finite number");
  EXPECT_EQ(run("0.0 / 0.0"), "error: column 5: division by zero");
  EXPECT_EQ(run("number('Infinity')"), "error: column 1: number: 'Infinity' is not a number");
  EXPECT_EQ(run("number('nan')"), "error: column 1: number: 'nan' is not a number");
  EXPECT_EQ(run("number('1e999')"), "error: column 1: number: '1e999' is not a number");
  EXPECT_EQ(run("parseJson('1e999')"), "error: column 1: parseJson: argument is not valid JSON");
  EXPECT_EQ(run("Infinity"),
            "compile error: column 1: unknown name 'Infinity' (variables start with '$', "
            "functions are called with ())");
}

TEST(Hostile, HugeNumberLiterals) {
  EXPECT_EQ(run(repeat("9", 400)), "compile error: column 1: number out of range");
  EXPECT_EQ(run("0." + repeat("0", 400) + "1"), "0.0");
  EXPECT_EQ(run("1e-400"), "0.0");
  EXPECT_EQ(run("number('1e-400')"), "0.0");
  EXPECT_EQ(run(repeat("1", 400) + "e-500"), "1.1111111111111112e-101");
  EXPECT_EQ(run(repeat("1", 400) + "e-800"), "0.0");
  EXPECT_EQ(run("0." + repeat("0", 400) + "1e500"), "1e+99");
  EXPECT_EQ(run(repeat("9", 300)), "1e+300");
}

TEST(Hostile, InvalidUtf8InLiteralsIsACompileError) {
  EXPECT_EQ(run("'ab\xff'"), "compile error: column 4: invalid UTF-8 in string");
  EXPECT_EQ(run("'\xc3('"), "compile error: column 2: invalid UTF-8 in string");
  EXPECT_EQ(run("'\xed\xa0\x80'"), "compile error: column 2: invalid UTF-8 in string");
  EXPECT_EQ(run("'\xc0\xaf'"), "compile error: column 2: invalid UTF-8 in string");
  EXPECT_EQ(run("1 \xff"), "compile error: column 3: unexpected character byte 0xFF");
  EXPECT_EQ(run("1 \xc3\xa9"), "compile error: column 3: unexpected character U+00E9");
}

TEST(Hostile, InvalidUtf8InDataIsHandled) {
  TestScope scope;
  scope.item = Json{{"s", std::string("a\xff"
                                      "b")}};
  EXPECT_EQ(run("length($json.s)", scope), "3");
  EXPECT_EQ(run("toJson($json.s)", scope), R"("\"a\\ufffdb\"")");
  EXPECT_EQ(run("reverse($json.s) == 'b' + substring($json.s, 1, 2) + 'a'", scope), "true");
  EXPECT_EQ(run("number($json.s)", scope), "error: column 1: number: 'a?b' is not a number");
}

TEST(Hostile, ErrorMessagesQuoteDataBoundedAndValid) {
  TestScope scope;
  scope.item = Json{{"s", repeat("\xe2\x82\xac", 1000)}};
  const std::string result = run("number($json.s)", scope);
  EXPECT_EQ(result,
            "error: column 1: number: '" + repeat("\xe2\x82\xac", 40) + "...' is not a number");
}

TEST(Hostile, DeepDataIsBounded) {
  TestScope scope;
  Json deep = 1;
  for (int i = 0; i < 2000; ++i) deep = Json::array({std::move(deep)});
  scope.item = Json{{"deep", deep}};
  EXPECT_EQ(run("toJson($json.deep)", scope),
            "error: column 1: toJson: value nested deeper than 512 levels");
  EXPECT_EQ(run("$json.deep == $json.deep", scope),
            "error: column 12: value nested deeper than 512 levels");
  EXPECT_EQ(run("[$json.deep]", scope), "error: column 1: value nested deeper than 512 levels");
  EXPECT_EQ(run("'x' + $json.deep", scope),
            "error: column 5: value nested deeper than 512 levels");
}

TEST(Hostile, ParseJsonIsBounded) {
  EXPECT_EQ(run("parseJson('" + repeat("[", 100) + repeat("]", 100) + "')"),
            "error: column 1: parseJson: JSON nested deeper than 64 levels");
  TestScope scope;
  scope.item = Json{{"s", "[" + repeat("0,", 100'000) + "0]"}};
  EXPECT_EQ(run("parseJson($json.s)", scope),
            "error: column 1: parseJson: JSON container has more than 100000 items");
  scope.item = Json{{"s", "[" + repeat("0,", 99'999) + "0]"}};
  EXPECT_EQ(run("length(parseJson($json.s))", scope), "100000");
}

TEST(Hostile, DeepTemplateValue) {
  Json deep = "{{ 1 }}";
  for (int i = 0; i < 600; ++i) deep = Json{{"k", std::move(deep)}};
  auto compiled = Template::compile(deep);
  ASSERT_FALSE(compiled.is_ok());
  EXPECT_EQ(compiled.status().code(), Code::kInvalid);
  EXPECT_NE(compiled.status().message().find("value nested deeper than 512 levels"),
            std::string::npos);
}

TEST(Hostile, MemoryLimit) {
  Limits limits;
  limits.max_memory_bytes = 4096;
  EXPECT_EQ(run("length(range(1000))", empty_scope(), limits),
            "error: column 8: expression exceeded 4096 bytes of memory");
}

TEST(Hostile, StepLimitMessage) {
  Limits limits;
  limits.max_steps = 5;
  TestScope scope;
  EXPECT_EQ(run("$json.a ?? $json.b ?? $json.c ?? 1", scope, limits),
            "error: column 20: expression exceeded 5 steps");
}

}  // namespace
}  // namespace weft::expr::testing
