// Number functions.
#include "expression_test_support.hpp"

namespace weft::expr::testing {
namespace {

TEST(NumberFunctions, Number) {
  EXPECT_EQ(run("number('42')"), "42");
  EXPECT_EQ(run("number(' 2.5 ')"), "2.5");
  EXPECT_EQ(run("number('-1e3')"), "-1000.0");
  EXPECT_EQ(run("number(7)"), "7");
  EXPECT_EQ(run("number(true)"), "1");
  EXPECT_EQ(run("number('abc')"), "error: column 1: number: 'abc' is not a number");
  EXPECT_EQ(run("number('')"), "error: column 1: number: '' is not a number");
  EXPECT_EQ(run("number('0x10')"), "error: column 1: number: '0x10' is not a number");
  EXPECT_EQ(run("number(null)"),
            "error: column 1: number: argument 1 must be a number, a numeric string or a "
            "boolean, got null");
}

TEST(NumberFunctions, Int) {
  EXPECT_EQ(run("int(3.9)"), "3");
  EXPECT_EQ(run("int(-3.9)"), "-3");
  EXPECT_EQ(run("int('12')"), "12");
  EXPECT_EQ(run("int('12.7')"), "12");
  EXPECT_EQ(run("int(1e300)"), "error: column 1: int: number is out of the integer range");
}

TEST(NumberFunctions, Round) {
  EXPECT_EQ(run("round(2.5)"), "3");
  EXPECT_EQ(run("round(-2.5)"), "-3");
  EXPECT_EQ(run("round(2.4)"), "2");
  EXPECT_EQ(run("round(3.14159, 2)"), "3.14");
  EXPECT_EQ(run("round(7, 2)"), "7");
  EXPECT_EQ(run("round(1e300, 2)"), "1e+300");
  EXPECT_EQ(run("round(1.5, 16)"), "error: column 1: round: digits must be between 0 and 15");
  EXPECT_EQ(run("round('1')"), "error: column 1: round: argument 1 must be a number, got string");
}

TEST(NumberFunctions, FloorCeilAbs) {
  EXPECT_EQ(run("floor(2.7)"), "2");
  EXPECT_EQ(run("floor(-2.1)"), "-3");
  EXPECT_EQ(run("ceil(2.1)"), "3");
  EXPECT_EQ(run("ceil(5)"), "5");
  EXPECT_EQ(run("abs(-4)"), "4");
  EXPECT_EQ(run("abs(-4.5)"), "4.5");
  EXPECT_EQ(run("abs(-9223372036854775807 - 1)"), "9.223372036854776e+18");
  EXPECT_EQ(run("floor(1e300)"), "1e+300");
  EXPECT_EQ(run("floor(null)"), "error: column 1: floor: argument 1 must be a number, got null");
  EXPECT_EQ(run("ceil('2')"), "error: column 1: ceil: argument 1 must be a number, got string");
  EXPECT_EQ(run("abs([])"), "error: column 1: abs: argument 1 must be a number, got array");
}

TEST(NumberFunctions, MinMax) {
  EXPECT_EQ(run("min(3, 1, 2)"), "1");
  EXPECT_EQ(run("max(3, 1.5, 2)"), "3");
  EXPECT_EQ(run("max([4, 9, 2])"), "9");
  EXPECT_EQ(run("min([2.5, 1])"), "1");
  EXPECT_EQ(run("min([])"), "null");
  EXPECT_EQ(run("max(1, 'a')"), "error: column 1: max: argument 2 must be a number, got string");
  EXPECT_EQ(run("min([1, null])"), "error: column 1: min: element 1 must be a number, got null");
  EXPECT_EQ(run("max()"), "compile error: column 1: max takes at least 1 argument, got 0");
}

}  // namespace
}  // namespace weft::expr::testing
