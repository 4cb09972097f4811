// String functions.
#include "expression_test_support.hpp"

namespace weft::expr::testing {
namespace {

TEST(StringFunctions, UpperLower) {
  EXPECT_EQ(run("upper('abc Def')"), "\"ABC DEF\"");
  EXPECT_EQ(run("lower('ABC Def')"), "\"abc def\"");
  EXPECT_EQ(run("upper('caf\u00e9')"), "\"CAF\u00e9\"");  // ASCII letters only
  EXPECT_EQ(run("upper(1)"), "error: column 1: upper: argument 1 must be a string, got number");
  EXPECT_EQ(run("lower(null)"), "error: column 1: lower: argument 1 must be a string, got null");
}

TEST(StringFunctions, Trim) {
  EXPECT_EQ(run("trim('  a b \\n\\t')"), "\"a b\"");
  EXPECT_EQ(run("trim('')"), "\"\"");
  EXPECT_EQ(run("trim([])"), "error: column 1: trim: argument 1 must be a string, got array");
}

TEST(StringFunctions, LengthCountsCharacters) {
  EXPECT_EQ(run("length('h\u00e9llo')"), "5");
  EXPECT_EQ(run("len('\U0001F600')"), "1");
  EXPECT_EQ(run("length([1, 2, 3])"), "3");
  EXPECT_EQ(run("length({a: 1})"), "1");
  EXPECT_EQ(run("length(null)"), "0");
  EXPECT_EQ(run("length(5)"),
            "error: column 1: length: argument 1 must be a string, an array or an object, got "
            "number");
}

TEST(StringFunctions, ContainsStartsEnds) {
  EXPECT_EQ(run("contains('hello', 'ell')"), "true");
  EXPECT_EQ(run("contains('hello', 'xyz')"), "false");
  EXPECT_EQ(run("startsWith('hello', 'he')"), "true");
  EXPECT_EQ(run("startsWith('hello', 'lo')"), "false");
  EXPECT_EQ(run("endsWith('hello', 'lo')"), "true");
  EXPECT_EQ(run("endsWith('hello', '')"), "true");
  EXPECT_EQ(run("contains('a', 1)"),
            "error: column 1: contains: argument 2 must be a string when searching a string, got "
            "number");
  EXPECT_EQ(run("startsWith(1, 'a')"),
            "error: column 1: startsWith: argument 1 must be a string, got number");
  EXPECT_EQ(run("endsWith('a', null)"),
            "error: column 1: endsWith: argument 2 must be a string, got null");
}

TEST(StringFunctions, ReplaceIsLiteralAndReplacesAll) {
  EXPECT_EQ(run("replace('a.b.c', '.', '-')"), "\"a-b-c\"");
  EXPECT_EQ(run("replace('aaa', 'a', 'bb')"), "\"bbbbbb\"");
  EXPECT_EQ(run("replace('x+y', '.*', '')"), "\"x+y\"");
  EXPECT_EQ(run("replace('abc', 'b', '')"), "\"ac\"");
  EXPECT_EQ(run("replace('abc', '', 'x')"),
            "error: column 1: replace: the search string must not be empty");
}

TEST(StringFunctions, SplitAndJoin) {
  EXPECT_EQ(run("split('a,b,,c', ',')"), R"(["a","b","","c"])");
  EXPECT_EQ(run("split('abc', '')"), R"(["a","b","c"])");
  EXPECT_EQ(run("split('h\u00e9', '')"), "[\"h\",\"\u00e9\"]");
  EXPECT_EQ(run("split('', ',')"), R"([""])");
  EXPECT_EQ(run("join(['a', 1, null, true], '-')"), "\"a-1--true\"");
  EXPECT_EQ(run("join([1, 2])"), "\"1,2\"");
  EXPECT_EQ(run("join([])"), "\"\"");
  EXPECT_EQ(run("split(1, ',')"),
            "error: column 1: split: argument 1 must be a string, got number");
  EXPECT_EQ(run("join('abc')"), "error: column 1: join: argument 1 must be an array, got string");
}

TEST(StringFunctions, Substring) {
  EXPECT_EQ(run("substring('hello', 1, 3)"), "\"el\"");
  EXPECT_EQ(run("substring('hello', 2)"), "\"llo\"");
  EXPECT_EQ(run("substring('hello', -5, 2)"), "\"he\"");
  EXPECT_EQ(run("substring('hello', 4, 1)"), "\"\"");
  EXPECT_EQ(run("substring('hello', 1, 99)"), "\"ello\"");
  EXPECT_EQ(run("substring('h\u00e9llo', 1, 2)"), "\"\u00e9\"");
  EXPECT_EQ(run("substring('hello', 'a')"),
            "error: column 1: substring: argument 2 must be an integer, got string");
  EXPECT_EQ(run("substring('hello', 1.5)"),
            "error: column 1: substring: argument 2 must be an integer, got number");
}

TEST(StringFunctions, Padding) {
  EXPECT_EQ(run("padStart('7', 3, '0')"), "\"007\"");
  EXPECT_EQ(run("padStart('7', 3)"), "\"  7\"");
  EXPECT_EQ(run("padStart('abc', 2, '0')"), "\"abc\"");
  EXPECT_EQ(run("padStart('x', 6, 'ab')"), "\"ababax\"");
  EXPECT_EQ(run("padEnd('x', 3, '.')"), "\"x..\"");
  EXPECT_EQ(run("padStart('x', 3, '')"),
            "error: column 1: padStart: the fill string must not be empty");
  EXPECT_EQ(run("padStart('x', 1000000000000, '0')"),
            "error: column 1: padStart: result would be longer than 1048576 bytes");
}

TEST(StringFunctions, StringOfAnyValue) {
  EXPECT_EQ(run("string(42)"), "\"42\"");
  EXPECT_EQ(run("string(2.50)"), "\"2.5\"");
  EXPECT_EQ(run("string(null)"), "\"\"");
  EXPECT_EQ(run("string(true)"), "\"true\"");
  EXPECT_EQ(run("string('s')"), "\"s\"");
  EXPECT_EQ(run("string([1, {a: 'b'}])"), R"("[1,{\"a\":\"b\"}]")");
  EXPECT_EQ(run("string()"), "compile error: column 1: string takes 1 argument, got 0");
}

}  // namespace
}  // namespace weft::expr::testing
