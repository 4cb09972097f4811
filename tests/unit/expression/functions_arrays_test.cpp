// Array functions.
#include "expression_test_support.hpp"

namespace weft::expr::testing {
namespace {

TEST(ArrayFunctions, FirstLast) {
  EXPECT_EQ(run("first([1, 2, 3])"), "1");
  EXPECT_EQ(run("last([1, 2, 3])"), "3");
  EXPECT_EQ(run("first([])"), "null");
  EXPECT_EQ(run("last([[1], [2, 3]])"), "[2,3]");
  EXPECT_EQ(run("first('abc')"), "error: column 1: first: argument 1 must be an array, got string");
}

TEST(ArrayFunctions, Slice) {
  EXPECT_EQ(run("slice([1, 2, 3, 4], 1, 3)"), "[2,3]");
  EXPECT_EQ(run("slice([1, 2, 3, 4], -2)"), "[3,4]");
  EXPECT_EQ(run("slice([1, 2, 3, 4], 3, 1)"), "[]");
  EXPECT_EQ(run("slice([1, 2, 3, 4], 0, -1)"), "[1,2,3]");
  EXPECT_EQ(run("slice('h\u00e9llo', 1, 3)"), "\"\u00e9l\"");
  EXPECT_EQ(run("slice({}, 1)"),
            "error: column 1: slice: argument 1 must be an array or a string, got object");
}

TEST(ArrayFunctions, Concat) {
  EXPECT_EQ(run("concat([1], [2, 3], [])"), "[1,2,3]");
  EXPECT_EQ(run("concat([1])"), "[1]");
  EXPECT_EQ(run("concat([1], 2)"),
            "error: column 1: concat: argument 2 must be an array, got number");
}

TEST(ArrayFunctions, IncludesAndIndexOf) {
  EXPECT_EQ(run("includes([1, 2, 3], 2.0)"), "true");
  EXPECT_EQ(run("includes([{a: 1}], {a: 1})"), "true");
  EXPECT_EQ(run("includes([1], '1')"), "false");
  EXPECT_EQ(run("contains(['a', 'b'], 'b')"), "true");
  EXPECT_EQ(run("indexOf([5, 6, 7], 7)"), "2");
  EXPECT_EQ(run("indexOf([5, 6, 7], 8)"), "-1");
  EXPECT_EQ(run("indexOf('h\u00e9llo', 'llo')"), "2");
  EXPECT_EQ(run("indexOf('hello', 'z')"), "-1");
  EXPECT_EQ(run("includes(5, 5)"),
            "error: column 1: includes: argument 1 must be an array or a string, got number");
}

TEST(ArrayFunctions, Unique) {
  EXPECT_EQ(run("unique([1, 2, 1, 1.0, '1', 2])"), R"([1,2,"1"])");
  EXPECT_EQ(run("unique([[1], [1], {a: 1}, {a: 1}, null, null])"), R"([[1],{"a":1},null])");
  EXPECT_EQ(run("unique([])"), "[]");
  EXPECT_EQ(run("unique('aab')"),
            "error: column 1: unique: argument 1 must be an array, got string");
}

TEST(ArrayFunctions, Sort) {
  EXPECT_EQ(run("sort([3, 1.5, 2])"), "[1.5,2,3]");
  EXPECT_EQ(run("sort(['b', 'a', 'C'])"), R"(["C","a","b"])");
  EXPECT_EQ(run("sort([true, false, null])"), "[null,false,true]");
  EXPECT_EQ(run("sort([{n: 2, id: 'x'}, {n: 1, id: 'y'}, {id: 'z'}], 'n')"),
            R"([{"id":"z"},{"n":1,"id":"y"},{"n":2,"id":"x"}])");
  EXPECT_EQ(run("sort([{a: {b: 2}}, {a: {b: 1}}], 'a.b')"), R"([{"a":{"b":1}},{"a":{"b":2}}])");
  EXPECT_EQ(run("sort([1, 'a'])"),
            "error: column 1: sort: elements must be all numbers, all strings or all booleans "
            "(null allowed); sort objects with sort(array, \"key\")");
  EXPECT_EQ(run("sort([{a: 1}, {a: 'x'}], 'a')"),
            "error: column 1: sort: sort keys must be all numbers, all strings or all booleans "
            "(null allowed)");
}

TEST(ArrayFunctions, Reverse) {
  EXPECT_EQ(run("reverse([1, 2, 3])"), "[3,2,1]");
  EXPECT_EQ(run("reverse('ab\u00e9')"), "\"\u00e9ba\"");
  EXPECT_EQ(run("reverse(1)"),
            "error: column 1: reverse: argument 1 must be an array or a string, got number");
}

TEST(ArrayFunctions, SumAvgCount) {
  EXPECT_EQ(run("sum([1, 2, 3])"), "6");
  EXPECT_EQ(run("sum([1, 2.5])"), "3.5");
  EXPECT_EQ(run("sum([])"), "0");
  EXPECT_EQ(run("sum([9223372036854775807, 1])"), "9.223372036854776e+18");
  EXPECT_EQ(run("avg([1, 2, 3])"), "2");
  EXPECT_EQ(run("avg([1, 2])"), "1.5");
  EXPECT_EQ(run("avg([])"), "null");
  EXPECT_EQ(run("count([1, 2])"), "2");
  EXPECT_EQ(run("sum([1, 'a'])"), "error: column 1: sum: element 1 must be a number, got string");
  EXPECT_EQ(run("sum([1e308, 1e308])"), "error: column 1: sum: result is not a finite number");
  EXPECT_EQ(run("count('ab')"), "error: column 1: count: argument 1 must be an array, got string");
}

TEST(ArrayFunctions, Range) {
  EXPECT_EQ(run("range(4)"), "[0,1,2,3]");
  EXPECT_EQ(run("range(2, 5)"), "[2,3,4]");
  EXPECT_EQ(run("range(0, 10, 3)"), "[0,3,6,9]");
  EXPECT_EQ(run("range(5, 0, -2)"), "[5,3,1]");
  EXPECT_EQ(run("range(0)"), "[]");
  EXPECT_EQ(run("range(5, 0)"), "[]");
  EXPECT_EQ(run("range(-9223372036854775807 - 1, 9223372036854775807, 4611686018427387904)"),
            "[-9223372036854775808,-4611686018427387904,0,4611686018427387904]");
  EXPECT_EQ(run("range(0, 10, 0)"), "error: column 1: range: step must not be 0");
  EXPECT_EQ(run("range(1000000000)"),
            "error: column 1: range: result would have more than 100000 items");
}

TEST(ArrayFunctions, Flatten) {
  EXPECT_EQ(run("flatten([1, [2, [3, [4]]]])"), "[1,2,[3,[4]]]");
  EXPECT_EQ(run("flatten([1, [2, [3, [4]]]], 5)"), "[1,2,3,4]");
  EXPECT_EQ(run("flatten([[1], [], [[2]]], 0)"), "[[1],[],[[2]]]");
  EXPECT_EQ(run("flatten([], 99)"), "error: column 1: flatten: depth must be between 0 and 64");
  EXPECT_EQ(run("flatten({})"),
            "error: column 1: flatten: argument 1 must be an array, got object");
}

}  // namespace
}  // namespace weft::expr::testing
