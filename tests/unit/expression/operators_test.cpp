// Literals, operators, precedence and types.
#include "expression_test_support.hpp"

namespace weft::expr::testing {
namespace {

TEST(Literals, Numbers) {
  EXPECT_EQ(run("42"), "42");
  EXPECT_EQ(run("2.5"), "2.5");
  EXPECT_EQ(run("1e3"), "1000.0");
  EXPECT_EQ(run("1.5E-2"), "0.015");
  EXPECT_EQ(run("0"), "0");
  EXPECT_EQ(run("9223372036854775807"), "9223372036854775807");
}

TEST(Literals, HugeIntegerBecomesDecimal) {
  EXPECT_EQ(run("9223372036854775808"), "9.223372036854776e+18");
  EXPECT_EQ(run("123456789012345678901234567890"), "1.2345678901234568e+29");
}

TEST(Literals, Strings) {
  EXPECT_EQ(run("'single'"), "\"single\"");
  EXPECT_EQ(run("\"double\""), "\"double\"");
  EXPECT_EQ(run(R"('it\'s')"), R"("it's")");
  EXPECT_EQ(run(R"("a\"b")"), R"("a\"b")");
  EXPECT_EQ(run(R"("tab\there\nline\\")"), R"("tab\there\nline\\")");
  EXPECT_EQ(run(R"("\u00e9\u20AC")"), "\"\u00e9\u20ac\"");
  EXPECT_EQ(run(R"("\ud83d\ude00")"), "\"\U0001F600\"");
  EXPECT_EQ(run("'caf\u00e9 \U0001F600'"), "\"caf\u00e9 \U0001F600\"");
  EXPECT_EQ(run("''"), "\"\"");
}

TEST(Literals, StringErrors) {
  EXPECT_EQ(run("'abc"), "compile error: column 1: unterminated string");
  EXPECT_EQ(run(R"("a\qb")"), "compile error: column 3: unknown escape: backslash before 'q'");
  EXPECT_EQ(run(R"("\u12")"), "compile error: column 2: expected 4 hex digits after \\u");
  EXPECT_EQ(run(R"("\ud83d")"), "compile error: column 2: unpaired UTF-16 surrogate in \\u escape");
}

TEST(Literals, KeywordsArraysObjects) {
  EXPECT_EQ(run("true"), "true");
  EXPECT_EQ(run("false"), "false");
  EXPECT_EQ(run("null"), "null");
  EXPECT_EQ(run("[1, 'two', [3], null]"), R"([1,"two",[3],null])");
  EXPECT_EQ(run("[]"), "[]");
  EXPECT_EQ(run("[1, 2,]"), "[1,2]");
  EXPECT_EQ(run("{a: 1, \"b c\": 2, 'd': [true]}"), R"({"a":1,"b c":2,"d":[true]})");
  EXPECT_EQ(run("{}"), "{}");
  EXPECT_EQ(run("{a: 1, a: 2}"), R"({"a":2})");
  EXPECT_EQ(run("{null: 1, true: 2}"), R"({"null":1,"true":2})");
}

TEST(Literals, ObjectErrors) {
  EXPECT_EQ(run("{1: 2}"), "compile error: column 2: expected a member name, got number 1");
  EXPECT_EQ(run("{a 1}"),
            "compile error: column 4: expected ':' after the member name, got number 1");
  EXPECT_EQ(run("{a: 1"), "compile error: column 6: expected ',' or '}', got end of expression");
  EXPECT_EQ(run("[1 2]"), "compile error: column 4: expected ',' or ']', got number 2");
}

TEST(Arithmetic, Integers) {
  EXPECT_EQ(run("1 + 2"), "3");
  EXPECT_EQ(run("7 - 10"), "-3");
  EXPECT_EQ(run("6 * 7"), "42");
  EXPECT_EQ(run("8 / 2"), "4");
  EXPECT_EQ(run("7 / 2"), "3.5");
  EXPECT_EQ(run("7 % 3"), "1");
  EXPECT_EQ(run("-7 % 3"), "-1");
}

TEST(Arithmetic, Decimals) {
  EXPECT_EQ(run("0.5 + 0.25"), "0.75");
  EXPECT_EQ(run("1.5 * 2"), "3.0");
  EXPECT_EQ(run("5.5 % 2"), "1.5");
  EXPECT_EQ(run("1 / 4"), "0.25");
}

TEST(Arithmetic, UnaryMinus) {
  EXPECT_EQ(run("-5"), "-5");
  EXPECT_EQ(run("--5"), "5");
  EXPECT_EQ(run("-(2 + 3)"), "-5");
  EXPECT_EQ(run("-2.5"), "-2.5");
  EXPECT_EQ(run("-'a'"), "error: column 1: '-' needs a number, got string");
}

TEST(Arithmetic, OverflowPromotesToDecimal) {
  EXPECT_EQ(run("9223372036854775807 + 1"), "9.223372036854776e+18");
  EXPECT_EQ(run("-9223372036854775807 - 2"), "-9.223372036854776e+18");
  EXPECT_EQ(run("4611686018427387904 * 4"), "1.8446744073709552e+19");
  EXPECT_EQ(run("(-9223372036854775807 - 1) / -1"), "9.223372036854776e+18");
  EXPECT_EQ(run("(-9223372036854775807 - 1) % -1"), "0");
  EXPECT_EQ(run("-(-9223372036854775807 - 1)"), "9.223372036854776e+18");
}

TEST(Arithmetic, DivisionByZeroIsAnError) {
  EXPECT_EQ(run("1 / 0"), "error: column 3: division by zero");
  EXPECT_EQ(run("1 % 0"), "error: column 3: division by zero");
  EXPECT_EQ(run("1.5 / 0.0"), "error: column 5: division by zero");
  EXPECT_EQ(run("5 % 0.0"), "error: column 3: division by zero");
}

TEST(Arithmetic, NonFiniteResultsAreErrors) {
  EXPECT_EQ(run("1e308 * 10"), "error: column 7: result is not a finite number");
  EXPECT_EQ(run("-1e308 - 1e308"), "error: column 8: result is not a finite number");
}

TEST(Arithmetic, TypeErrors) {
  EXPECT_EQ(run("1 - 'a'"), "error: column 3: '-' needs numbers, got number and string");
  EXPECT_EQ(run("null * 2"), "error: column 6: '*' needs numbers, got null and number");
  EXPECT_EQ(run("true + 1"),
            "error: column 6: '+' needs numbers, strings or arrays, got boolean and number");
  EXPECT_EQ(run("{} + {}"),
            "error: column 4: '+' needs numbers, strings or arrays, got object and object");
}

TEST(Concatenation, StringsAndOtherValues) {
  EXPECT_EQ(run("'a' + 'b'"), "\"ab\"");
  EXPECT_EQ(run("'n=' + 5"), "\"n=5\"");
  EXPECT_EQ(run("1.5 + 'x'"), "\"1.5x\"");
  EXPECT_EQ(run("'v:' + null"), "\"v:\"");
  EXPECT_EQ(run("'b:' + true"), "\"b:true\"");
  EXPECT_EQ(run("'a' + [1, 'x'] + {k: null}"), R"("a[1,\"x\"]{\"k\":null}")");
  EXPECT_EQ(run("'a' + 'b' + 'c' + 'd'"), "\"abcd\"");
}

TEST(Concatenation, Arrays) {
  EXPECT_EQ(run("[1] + [2, 3]"), "[1,2,3]");
  EXPECT_EQ(run("[] + []"), "[]");
}

TEST(Comparison, NumbersByValue) {
  EXPECT_EQ(run("1 == 1.0"), "true");
  EXPECT_EQ(run("1 != 1.0"), "false");
  EXPECT_EQ(run("2 < 2.5"), "true");
  EXPECT_EQ(run("3 <= 3"), "true");
  EXPECT_EQ(run("3 > 3"), "false");
  EXPECT_EQ(run("3 >= 3.0"), "true");
  EXPECT_EQ(run("9007199254740993 == 9007199254740992.0"), "false");
  EXPECT_EQ(run("9007199254740993 > 9007199254740992.0"), "true");
}

TEST(Comparison, StringsLexicographic) {
  EXPECT_EQ(run("'apple' < 'banana'"), "true");
  EXPECT_EQ(run("'B' < 'a'"), "true");
  EXPECT_EQ(run("'abc' >= 'abd'"), "false");
  EXPECT_EQ(run("'x' == 'x'"), "true");
}

TEST(Comparison, DeepEquality) {
  EXPECT_EQ(run("[1, [2, {a: 3}]] == [1.0, [2, {a: 3}]]"), "true");
  EXPECT_EQ(run("{a: 1, b: 2} == {b: 2, a: 1}"), "true");
  EXPECT_EQ(run("{a: 1} == {a: 1, b: null}"), "false");
  EXPECT_EQ(run("[1, 2] != [2, 1]"), "true");
  EXPECT_EQ(run("null == null"), "true");
}

TEST(Comparison, NoCoercion) {
  EXPECT_EQ(run("'1' == 1"), "false");
  EXPECT_EQ(run("0 == false"), "false");
  EXPECT_EQ(run("null == 0"), "false");
  EXPECT_EQ(run("1 < 'a'"),
            "error: column 3: '<' needs two numbers or two strings, got number and string");
  EXPECT_EQ(run("null >= 1"),
            "error: column 6: '>=' needs two numbers or two strings, got null and number");
}

TEST(Logic, NotAndTruthiness) {
  EXPECT_EQ(run("!true"), "false");
  EXPECT_EQ(run("!!1"), "true");
  EXPECT_EQ(run("!0"), "true");
  EXPECT_EQ(run("!''"), "true");
  EXPECT_EQ(run("!null"), "true");
  EXPECT_EQ(run("![]"), "false");
  EXPECT_EQ(run("!{}"), "false");
  EXPECT_EQ(run("!0.0"), "true");
}

TEST(Logic, AndOrReturnAnOperand) {
  EXPECT_EQ(run("true && 'yes'"), "\"yes\"");
  EXPECT_EQ(run("0 && 'yes'"), "0");
  EXPECT_EQ(run("'' || 'fallback'"), "\"fallback\"");
  EXPECT_EQ(run("'set' || 'fallback'"), "\"set\"");
  EXPECT_EQ(run("null || false"), "false");
}

TEST(Logic, ShortCircuit) {
  EXPECT_EQ(run("false && 1 / 0"), "false");
  EXPECT_EQ(run("true || 1 / 0"), "true");
  EXPECT_EQ(run("1 ?? 1 / 0"), "1");
  EXPECT_EQ(run("true ? 1 : 1 / 0"), "1");
  EXPECT_EQ(run("false ? 1 / 0 : 2"), "2");
  EXPECT_EQ(run("true && 1 / 0"), "error: column 11: division by zero");
}

TEST(Logic, Conditional) {
  EXPECT_EQ(run("1 < 2 ? 'yes' : 'no'"), "\"yes\"");
  EXPECT_EQ(run("0 ? 'yes' : 'no'"), "\"no\"");
  EXPECT_EQ(run("false ? 1 : true ? 2 : 3"), "2");
  EXPECT_EQ(run("true ? false ? 1 : 2 : 3"), "2");
  EXPECT_EQ(run("true ? 1"),
            "compile error: column 9: expected ':' of the conditional, got end of expression");
}

TEST(Logic, NullCoalescing) {
  EXPECT_EQ(run("null ?? 'default'"), "\"default\"");
  EXPECT_EQ(run("0 ?? 'default'"), "0");
  EXPECT_EQ(run("'' ?? 'default'"), "\"\"");
  EXPECT_EQ(run("null ?? null ?? 3"), "3");
  EXPECT_EQ(run("{}.missing ?? 'none'"), "\"none\"");
}

TEST(Precedence, FollowsTheTable) {
  EXPECT_EQ(run("1 + 2 * 3"), "7");
  EXPECT_EQ(run("(1 + 2) * 3"), "9");
  EXPECT_EQ(run("10 - 4 - 3"), "3");
  EXPECT_EQ(run("100 / 10 / 5"), "2");
  EXPECT_EQ(run("2 * 3 % 4"), "2");
  EXPECT_EQ(run("-2 * 3"), "-6");
  EXPECT_EQ(run("1 + 2 == 3"), "true");
  EXPECT_EQ(run("1 < 2 == 2 < 3"), "true");
  EXPECT_EQ(run("1 == 1 && 2 == 3 || true"), "true");
  EXPECT_EQ(run("false || true && false"), "false");
  EXPECT_EQ(run("!true == false"), "true");
  EXPECT_EQ(run("null ?? 1 + 1"), "2");
  EXPECT_EQ(run("null ?? false || true"), "true");
  EXPECT_EQ(run("true ? 1 : 2 + 10"), "1");
  EXPECT_EQ(run("false ? 1 : 2 + 10"), "12");
  EXPECT_EQ(run("-[1, 2][0]"), "-1");
  EXPECT_EQ(run("!{a: false}.a"), "true");
}

TEST(Access, MembersAndMissingMembers) {
  EXPECT_EQ(run("{a: {b: 2}}.a.b"), "2");
  EXPECT_EQ(run("{a: 1}.missing"), "null");
  EXPECT_EQ(run("{a: 1}.missing.deeper.still"), "null");
  EXPECT_EQ(run("null.x"), "null");
  EXPECT_EQ(run("5.x"), "null");
  EXPECT_EQ(run("'text'.length"), "null");
  EXPECT_EQ(run("[1].x"), "null");
  EXPECT_EQ(run("{true: 1}.true"), "1");
}

TEST(Access, Index) {
  EXPECT_EQ(run("[10, 20, 30][1]"), "20");
  EXPECT_EQ(run("[10, 20, 30][-1]"), "30");
  EXPECT_EQ(run("[10, 20, 30][3]"), "null");
  EXPECT_EQ(run("[10, 20, 30][-4]"), "null");
  EXPECT_EQ(run("[10, 20, 30][1.0]"), "20");
  EXPECT_EQ(run("{a: 1}['a']"), "1");
  EXPECT_EQ(run("{'1': 'one'}[1]"), "\"one\"");
  EXPECT_EQ(run("{a: 1}['b']"), "null");
  EXPECT_EQ(run("'h\u00e9llo'[1]"), "\"\u00e9\"");
  EXPECT_EQ(run("'abc'[-1]"), "\"c\"");
  EXPECT_EQ(run("'abc'[5]"), "null");
  EXPECT_EQ(run("null[0]"), "null");
  EXPECT_EQ(run("[[1, 2], [3, 4]][1][0]"), "3");
}

TEST(Access, IndexErrors) {
  EXPECT_EQ(run("[1, 2]['a']"), "error: column 7: index into array must be an integer, got string");
  EXPECT_EQ(run("[1, 2][0.5]"), "error: column 7: index into array must be an integer, got number");
  EXPECT_EQ(run("{a: 1}[null]"), "error: column 7: index into object must be a string, got null");
  EXPECT_EQ(run("{a: 1}[1.5]"), "error: column 7: index into object must be a string, got number");
}

TEST(Syntax, Errors) {
  EXPECT_EQ(run(""), "compile error: column 1: expected a value, got end of expression");
  EXPECT_EQ(run("1 +"), "compile error: column 4: expected a value, got end of expression");
  EXPECT_EQ(run("(1 + 2"), "compile error: column 7: expected ')', got end of expression");
  EXPECT_EQ(run("1 2"), "compile error: column 3: unexpected number 2 after the expression");
  EXPECT_EQ(run("a = 1"),
            "compile error: column 1: unknown name 'a' (variables start with '$', functions are "
            "called with ())");
  EXPECT_EQ(run("1 = 1"), "compile error: column 3: unexpected '=' (comparison is '==')");
  EXPECT_EQ(run("1 & 1"), "compile error: column 3: unexpected '&' (logical and is '&&')");
  EXPECT_EQ(run("1 | 1"), "compile error: column 3: unexpected '|' (logical or is '||')");
  EXPECT_EQ(run("1 # 1"), "compile error: column 3: unexpected character '#'");
  EXPECT_EQ(run("12abc"), "compile error: column 3: unexpected 'a' after a number");
  EXPECT_EQ(run("{a: 1}."),
            "compile error: column 8: expected a member name after '.', got end of expression");
  EXPECT_EQ(run("$"), "compile error: column 1: expected a variable name after '$'");
  EXPECT_EQ(run("1 === 1"), "compile error: column 5: unexpected '=' (comparison is '==')");
}

}  // namespace
}  // namespace weft::expr::testing
