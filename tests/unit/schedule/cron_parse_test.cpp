// Cron parsing: every accepted form, and every kind of bad input with its one-line message.
#include "schedule_test_support.hpp"

namespace weft::schedule::test {
namespace {

TEST(CronParse, SixFieldsWithSeconds) {
  EXPECT_EQ(next("*/15 * * * * *", "2024-01-01T12:00:07Z"), "2024-01-01T12:00:15Z");
  EXPECT_EQ(next("10-50/20 * * * * *", "2024-01-01T12:00:50Z"), "2024-01-01T12:01:10Z");
  EXPECT_EQ(next("7 * * * * *", "2024-01-01T12:00:07Z"), "2024-01-01T12:01:07Z");
}

TEST(CronParse, FiveFieldsMeanSecondZero) {
  EXPECT_EQ(next("30 9 * * *", "2024-01-01T00:00:00Z"), "2024-01-01T09:30:00Z");
  EXPECT_EQ(next("* * * * *", "2024-01-01T00:00:00Z"), "2024-01-01T00:01:00Z");
}

TEST(CronParse, ListsRangesAndSteps) {
  EXPECT_EQ(next("0 5,20,40 * * * *", "2024-01-01T00:20:00Z"), "2024-01-01T00:40:00Z");
  EXPECT_EQ(next("0 0 9-11 * * *", "2024-01-01T11:00:00Z"), "2024-01-02T09:00:00Z");
  EXPECT_EQ(next("0 5/20 * * * *", "2024-01-01T00:25:00Z"), "2024-01-01T00:45:00Z");
  EXPECT_EQ(next("0 5/20 * * * *", "2024-01-01T00:45:00Z"), "2024-01-01T01:05:00Z");
  EXPECT_EQ(next("0 0 0-23/6 * * *", "2024-01-01T06:00:00Z"), "2024-01-01T12:00:00Z");
  EXPECT_EQ(next("0 1-3,*/30 * * * *", "2024-01-01T00:03:00Z"), "2024-01-01T00:30:00Z");
  EXPECT_EQ(next("0 */61 * * * *", "2024-01-01T00:00:00Z"), "2024-01-01T01:00:00Z");
}

TEST(CronParse, MonthAndWeekdayNamesInAnyCase) {
  EXPECT_EQ(next("0 0 0 1 JUL *", "2024-01-01T00:00:00Z"), "2024-07-01T00:00:00Z");
  EXPECT_EQ(next("0 0 0 1 jan,Jul *", "2024-01-01T00:00:00Z"), "2024-07-01T00:00:00Z");
  EXPECT_EQ(next("0 0 0 1 mar-may *", "2024-01-01T00:00:00Z"), "2024-03-01T00:00:00Z");
  // 2024-01-05 is a Friday.
  EXPECT_EQ(next("0 0 9 * * MON-FRI", "2024-01-05T09:00:00Z"), "2024-01-08T09:00:00Z");
  EXPECT_EQ(next("0 0 9 * * sat", "2024-01-05T09:00:00Z"), "2024-01-06T09:00:00Z");
  EXPECT_EQ(next("0 0 9 * * SAT-SUN", "2024-01-06T09:00:00Z"), "2024-01-07T09:00:00Z");
}

TEST(CronParse, SundayIsZeroAndSeven) {
  // 2024-01-07 is a Sunday.
  EXPECT_EQ(next("0 0 0 * * 0", "2024-01-01T00:00:00Z"), "2024-01-07T00:00:00Z");
  EXPECT_EQ(next("0 0 0 * * 7", "2024-01-01T00:00:00Z"), "2024-01-07T00:00:00Z");
  EXPECT_EQ(next("0 0 0 * * 5-7", "2024-01-06T00:00:00Z"), "2024-01-07T00:00:00Z");
}

TEST(CronParse, QuestionMarkAndLastDay) {
  EXPECT_EQ(next("0 0 0 ? * FRI", "2024-01-01T00:00:00Z"), "2024-01-05T00:00:00Z");
  EXPECT_EQ(next("0 0 0 13 * ?", "2024-01-01T00:00:00Z"), "2024-01-13T00:00:00Z");
  EXPECT_EQ(next("0 0 0 L * *", "2024-01-01T00:00:00Z"), "2024-01-31T00:00:00Z");
  EXPECT_EQ(next("0 0 0 l * *", "2024-01-31T00:00:00Z"), "2024-02-29T00:00:00Z");
}

TEST(CronParse, Macros) {
  EXPECT_EQ(next("@yearly", "2024-06-01T00:00:00Z"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(next("@annually", "2024-06-01T00:00:00Z"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(next("@monthly", "2024-06-15T00:00:00Z"), "2024-07-01T00:00:00Z");
  EXPECT_EQ(next("@weekly", "2024-01-01T00:00:00Z"), "2024-01-07T00:00:00Z");
  EXPECT_EQ(next("@daily", "2024-01-01T00:00:00Z"), "2024-01-02T00:00:00Z");
  EXPECT_EQ(next("@midnight", "2024-01-01T13:00:00Z"), "2024-01-02T00:00:00Z");
  EXPECT_EQ(next("@hourly", "2024-01-01T13:00:00Z"), "2024-01-01T14:00:00Z");
  EXPECT_EQ(next("@HOURLY", "2024-01-01T13:30:00Z"), "2024-01-01T14:00:00Z");
}

TEST(CronParse, WhitespaceAndText) {
  Result<CronExpression> c = CronExpression::parse("  0\t0  12 * *   *  ");
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(c->text(), "0\t0  12 * *   *");
  EXPECT_EQ(next("  0\t0  12 * *   *  ", "2024-01-01T00:00:00Z"), "2024-01-01T12:00:00Z");
}

TEST(CronParse, FixedTimeOrFollowingTheClock) {
  EXPECT_FALSE(CronExpression::parse("30 2 * * *")->follows_clock());
  EXPECT_FALSE(CronExpression::parse("0 0 0,12 * * *")->follows_clock());
  EXPECT_FALSE(CronExpression::parse("@daily")->follows_clock());
  EXPECT_FALSE(CronExpression::parse("*/5 30 2 * * *")->follows_clock());  // seconds don't count
  EXPECT_TRUE(CronExpression::parse("*/15 * * * *")->follows_clock());
  EXPECT_TRUE(CronExpression::parse("0 * * * *")->follows_clock());
  EXPECT_TRUE(CronExpression::parse("* 2 * * *")->follows_clock());
  EXPECT_TRUE(CronExpression::parse("@hourly")->follows_clock());
}

struct BadCron {
  std::string text;
  std::string message;
};

class CronParseRejects : public ::testing::TestWithParam<BadCron> {};

TEST_P(CronParseRejects, WithOneLineNamingTheFault) {
  Result<CronExpression> c = CronExpression::parse(GetParam().text);
  ASSERT_FALSE(c) << GetParam().text;
  EXPECT_EQ(c.status().code(), Code::kInvalid);
  EXPECT_EQ(c.status().message(), GetParam().message);
  EXPECT_EQ(c.status().message().find('\n'), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CronParseRejects,
    ::testing::Values(
        BadCron{"", "cron expression is empty"},
        BadCron{" \t ", "cron expression is empty"},
        BadCron{std::string(257, '*'), "cron expression is too long (257 characters, at most 256)"},
        BadCron{"* * * *",
                "cron expression must have 5 or 6 fields (second minute hour day-of-month month "
                "day-of-week), got 4"},
        BadCron{"0 0 0 * * * 2024",
                "cron expression must have 5 or 6 fields (second minute hour day-of-month month "
                "day-of-week), got 7"},
        BadCron{"0 25 * * *", "cron field 'hour': 25 is out of range 0-23"},
        BadCron{"60 * * * * *", "cron field 'second': 60 is out of range 0-59"},
        BadCron{"60 * * * *", "cron field 'minute': 60 is out of range 0-59"},
        BadCron{"* * 0 * *", "cron field 'day-of-month': 0 is out of range 1-31"},
        BadCron{"* * 32 * *", "cron field 'day-of-month': 32 is out of range 1-31"},
        BadCron{"* * * 13 *", "cron field 'month': 13 is out of range 1-12"},
        BadCron{"* * * 0 *", "cron field 'month': 0 is out of range 1-12"},
        BadCron{"* * * * 8", "cron field 'day-of-week': 8 is out of range 0-7"},
        BadCron{"99999999999 * * * *", "cron field 'minute': 99999999999 is out of range 0-59"},
        BadCron{"abc * * * *", "cron field 'minute': 'abc' is not a number"},
        BadCron{"* L * * *", "cron field 'hour': 'L' is not a number"},
        BadCron{"* * * * MON *", "cron field 'month': 'MON' is not a number or month name (JAN-DEC)"},
        BadCron{"* * * * * MONDAY",
                "cron field 'day-of-week': 'MONDAY' is not a number or day name (SUN-SAT)"},
        BadCron{"* * * JANUARY *",
                "cron field 'month': 'JANUARY' is not a number or month name (JAN-DEC)"},
        BadCron{"\x01 * * * *", "cron field 'minute': '?' is not a number"},
        BadCron{"*/0 * * * *", "cron field 'minute': step 0 must be at least 1"},
        BadCron{"*/x * * * *", "cron field 'minute': step 'x' is not a number"},
        BadCron{"*/ * * * *", "cron field 'minute': step '' is not a number"},
        BadCron{"1/2/3 * * * *", "cron field 'minute': '1/2/3' has more than one /"},
        BadCron{"/5 * * * *", "cron field 'minute': '/5' has no value before /"},
        BadCron{"5-2 * * * *",
                "cron field 'minute': range 5-2 is reversed (ranges do not wrap; use a list)"},
        BadCron{"* * * * FRI-MON",
                "cron field 'day-of-week': range FRI-MON is reversed (ranges do not wrap; use a "
                "list)"},
        BadCron{"5- * * * *", "cron field 'minute': range '5-' lacks an end"},
        BadCron{"-5 * * * *", "cron field 'minute': range '-5' lacks an end"},
        BadCron{"1-2-3 * * * *", "cron field 'minute': '2-3' is not a number"},
        BadCron{"1,,2 * * * *", "cron field 'minute': empty element in list '1,,2'"},
        BadCron{"1, * * * *", "cron field 'minute': empty element in list '1,'"},
        BadCron{"? * * * *",
                "cron field 'minute': '?' is allowed only in day-of-month and day-of-week"},
        BadCron{"* * ?/2 * *", "cron field 'day-of-month': '?/2': ? takes no step"},
        BadCron{"* * L/2 * *", "cron field 'day-of-month': 'L/2': L takes no step"},
        BadCron{"@reboot",
                "unknown cron macro '@reboot' (use @yearly, @annually, @monthly, @weekly, "
                "@daily, @midnight or @hourly)"},
        BadCron{"@daily 5",
                "unknown cron macro '@daily 5' (use @yearly, @annually, @monthly, @weekly, "
                "@daily, @midnight or @hourly)"},
        BadCron{"0 0 30 2 *",
                "cron expression never fires: day-of-month '30' does not occur in month '2'"},
        BadCron{"0 0 0 30,31 FEB ?",
                "cron expression never fires: day-of-month '30,31' does not occur in month "
                "'FEB'"},
        BadCron{"0 0 31 4,6,9,11 *",
                "cron expression never fires: day-of-month '31' does not occur in month "
                "'4,6,9,11'"},
        BadCron{"0 0 31 APR-JUN/2 */2",
                "cron expression never fires: day-of-month '31' does not occur in month "
                "'APR-JUN/2'"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

TEST(CronParse, ImpossibleDaysAreFineWhenTheWeekdayCanStandIn) {
  // Vixie's OR rule: both restricted, so every Monday of February matches.
  EXPECT_EQ(parse_error("0 0 30 2 MON"), "ok");
  EXPECT_EQ(parse_error("0 0 L 2 *"), "ok");
  EXPECT_EQ(parse_error("0 0 29 2 *"), "ok");
  EXPECT_EQ(parse_error("0 0 31 1-12 *"), "ok");
}

}  // namespace
}  // namespace weft::schedule::test
