// Date functions: milliseconds since the epoch or ISO 8601 strings, UTC.
#include "expression_test_support.hpp"

namespace weft::expr::testing {
namespace {

TEST(DateFunctions, Now) {
  TestScope scope;
  scope.now = 86'400'000;
  EXPECT_EQ(run("now()", scope), "86400000");
  EXPECT_EQ(run("now(1)", scope), "compile error: column 1: now takes 0 arguments, got 1");
}

TEST(DateFunctions, ParseDate) {
  EXPECT_EQ(run("parseDate('1970-01-01')"), "0");
  EXPECT_EQ(run("parseDate('1970-01-02T00:00:00Z')"), "86400000");
  EXPECT_EQ(run("parseDate('2024-02-29T12:30:45.5Z')"), "1709209845500");
  EXPECT_EQ(run("parseDate('2024-02-29 12:30:45.123456789')"), "1709209845123");
  EXPECT_EQ(run("parseDate('2024-01-01T02:00:00+02:00')"), "1704067200000");
  EXPECT_EQ(run("parseDate('2023-12-31T19:00-0500')"), "1704067200000");
  EXPECT_EQ(run("parseDate('1969-12-31T23:59:59.999Z')"), "-1");
  EXPECT_EQ(run("parseDate(1234)"), "1234");
  EXPECT_EQ(run("parseDate('2023-02-29')"),
            "error: column 1: parseDate: '2023-02-29' is not an ISO 8601 date between years "
            "0000 and 9999");
  EXPECT_EQ(run("parseDate('yesterday')"),
            "error: column 1: parseDate: 'yesterday' is not an ISO 8601 date between years "
            "0000 and 9999");
  EXPECT_EQ(run("parseDate(true)"),
            "error: column 1: parseDate: argument 1 must be a date (milliseconds since the "
            "epoch or an ISO 8601 string), got boolean");
}

TEST(DateFunctions, FormatDate) {
  EXPECT_EQ(run("formatDate(0)"), "\"1970-01-01T00:00:00.000Z\"");
  EXPECT_EQ(run("formatDate(1709209845123, 'YYYY-MM-DD HH:mm:ss')"), "\"2024-02-29 12:30:45\"");
  EXPECT_EQ(run("formatDate('2024-02-29T12:30:45Z', 'DD/MM/YYYY')"), "\"29/02/2024\"");
  EXPECT_EQ(run("formatDate(-1, 'YYYY-MM-DD HH:mm:ss.SSS')"), "\"1969-12-31 23:59:59.999\"");
  EXPECT_EQ(run("formatDate(0, '[Day] DD [at] HH')"), "\"Day 01 at 00\"");
  EXPECT_EQ(run("formatDate(253402300799999, 'YYYY')"), "\"9999\"");
  EXPECT_EQ(run("formatDate(253402300800000)"),
            "error: column 1: formatDate: date is outside the years 0000 to 9999");
  EXPECT_EQ(run("formatDate(0.5)"),
            "error: column 1: formatDate: date is outside the years 0000 to 9999");
  EXPECT_EQ(run("formatDate(0, 5)"),
            "error: column 1: formatDate: argument 2 must be a string, got number");
}

TEST(DateFunctions, Arithmetic) {
  EXPECT_EQ(run("addDays(0, 1)"), "86400000");
  EXPECT_EQ(run("addHours('1970-01-01T00:00:00Z', -1)"), "-3600000");
  EXPECT_EQ(run("formatDate(dateAdd('2024-01-31', 1, 'month'), 'YYYY-MM-DD')"), "\"2024-02-29\"");
  EXPECT_EQ(run("formatDate(dateAdd('2024-02-29', 1, 'years'), 'YYYY-MM-DD')"), "\"2025-02-28\"");
  EXPECT_EQ(run("dateAdd(0, 90, 'seconds')"), "90000");
  EXPECT_EQ(run("dateAdd(0, 2, 'weeks')"), "1209600000");
  EXPECT_EQ(run("dateAdd(0, 5, 'ms')"), "5");
  EXPECT_EQ(run("dateAdd(0, 1, 'fortnight')"),
            "error: column 1: dateAdd: unknown unit 'fortnight' (ms, seconds, minutes, hours, "
            "days, weeks, months, years)");
  EXPECT_EQ(run("addDays(0, 9223372036854775807)"),
            "error: column 1: addDays: result is outside the years 0000 to 9999");
  EXPECT_EQ(run("dateAdd(0, 20000, 'years')"),
            "error: column 1: dateAdd: result is outside the years 0000 to 9999");
  EXPECT_EQ(run("addDays(0, 1.5)"),
            "error: column 1: addDays: argument 2 must be an integer, got number");
}

}  // namespace
}  // namespace weft::expr::testing
