// next_after on the calendar (in UTC): months, years, leap years, last days, the day rules and
// the search bound.
#include "schedule_test_support.hpp"

namespace weft::schedule::test {
namespace {

TEST(CronNext, IsStrictlyAfter) {
  EXPECT_EQ(next("0 0 12 * * *", "2024-01-01T12:00:00Z"), "2024-01-02T12:00:00Z");
  EXPECT_EQ(next("0 0 12 * * *", "2024-01-01T11:59:59.500Z"), "2024-01-01T12:00:00Z");
  EXPECT_EQ(next("0 0 12 * * *", "2024-01-01T12:00:00.001Z"), "2024-01-02T12:00:00Z");
  EXPECT_EQ(next("* * * * * *", "2024-01-01T12:00:00.999Z"), "2024-01-01T12:00:01Z");
}

TEST(CronNext, AcrossMonthsAndYears) {
  EXPECT_EQ(next("0 0 0 1 * *", "2024-12-15T08:00:00Z"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(next("0 0 0 * * *", "2024-12-31T00:00:00Z"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(next("59 59 23 31 12 *", "2024-12-31T23:59:59Z"), "2025-12-31T23:59:59Z");
  EXPECT_EQ(next("0 0 0 1 1 *", "1969-06-01T00:00:00Z"), "1970-01-01T00:00:00Z");
  EXPECT_EQ(next("0 0 0 1 JUN *", "2024-06-01T00:00:00Z"), "2025-06-01T00:00:00Z");
  EXPECT_EQ(next("0 0 0 15 3,9 *", "2024-03-15T00:00:00Z"), "2024-09-15T00:00:00Z");
}

TEST(CronNext, LeapYearsAndFebruary29) {
  EXPECT_EQ(next("0 0 0 29 2 *", "2024-02-28T12:00:00Z"), "2024-02-29T00:00:00Z");
  EXPECT_EQ(next("0 0 0 29 2 *", "2024-03-01T00:00:00Z"), "2028-02-29T00:00:00Z");
  EXPECT_EQ(next("0 0 0 29 2 *", "1999-03-01T00:00:00Z"), "2000-02-29T00:00:00Z");  // /400
  EXPECT_EQ(next("0 0 0 29 2 *", "2096-03-01T00:00:00Z"), "2104-02-29T00:00:00Z");  // not 2100
  EXPECT_EQ(next("0 0 0 29,30,31 2 *", "2025-01-01T00:00:00Z"), "2028-02-29T00:00:00Z");
  EXPECT_EQ(next("0 0 0 * 2 *", "2023-02-28T00:00:00Z"), "2024-02-01T00:00:00Z");
  EXPECT_EQ(next("0 0 0 * 2 *", "2024-02-28T00:00:00Z"), "2024-02-29T00:00:00Z");
}

TEST(CronNext, DaysThatSomeMonthsLack) {
  EXPECT_EQ(next("0 0 0 31 * *", "2024-01-31T00:00:00Z"), "2024-03-31T00:00:00Z");
  EXPECT_EQ(next("0 0 0 31 * *", "2024-03-31T00:00:00Z"), "2024-05-31T00:00:00Z");
  EXPECT_EQ(next("0 0 0 31 * *", "2024-07-31T00:00:00Z"), "2024-08-31T00:00:00Z");
  EXPECT_EQ(next("0 0 0 31 * *", "2024-08-31T00:00:00Z"), "2024-10-31T00:00:00Z");
  EXPECT_EQ(next("0 0 0 31 * *", "2024-10-31T00:00:00Z"), "2024-12-31T00:00:00Z");
  EXPECT_EQ(next("0 0 0 30 * *", "2024-01-30T00:00:00Z"), "2024-03-30T00:00:00Z");
  EXPECT_EQ(next("0 0 0 31 2,4,5 *", "2024-01-01T00:00:00Z"), "2024-05-31T00:00:00Z");
}

TEST(CronNext, LastDayOfMonth) {
  EXPECT_EQ(next("0 0 0 L * *", "2023-01-31T00:00:00Z"), "2023-02-28T00:00:00Z");
  EXPECT_EQ(next("0 0 0 L * *", "2024-01-31T00:00:00Z"), "2024-02-29T00:00:00Z");
  EXPECT_EQ(next("0 0 0 L * *", "2024-02-29T00:00:00Z"), "2024-03-31T00:00:00Z");
  EXPECT_EQ(next("0 0 0 L * *", "2024-04-01T00:00:00Z"), "2024-04-30T00:00:00Z");
  EXPECT_EQ(next("0 0 0 L 2 *", "2023-03-01T00:00:00Z"), "2024-02-29T00:00:00Z");
  EXPECT_EQ(next("0 0 0 L 2 *", "2024-03-01T00:00:00Z"), "2025-02-28T00:00:00Z");
  EXPECT_EQ(next("0 0 0 15,L * *", "2024-02-15T00:00:00Z"), "2024-02-29T00:00:00Z");
  EXPECT_EQ(next("0 0 0 15,L * *", "2024-02-29T00:00:00Z"), "2024-03-15T00:00:00Z");
  EXPECT_EQ(next("0 0 18 L 12 *", "2024-06-01T00:00:00Z"), "2024-12-31T18:00:00Z");
}

TEST(CronNext, EitherDayRuleWhenBothAreRestricted) {
  // The 1st of the month or any Monday (2024-04-01 and -29 are Mondays; 05-01 a Wednesday).
  EXPECT_EQ(next("0 0 0 1 * MON", "2024-04-22T00:00:00Z"), "2024-04-29T00:00:00Z");
  EXPECT_EQ(next("0 0 0 1 * MON", "2024-04-29T00:00:00Z"), "2024-05-01T00:00:00Z");
  EXPECT_EQ(next("0 0 0 1 * MON", "2024-05-01T00:00:00Z"), "2024-05-06T00:00:00Z");
  // The classic surprise: days 1-7 OR any Sunday, not "the first Sunday".
  EXPECT_EQ(next("0 0 0 1-7 * SUN", "2024-01-07T00:00:00Z"), "2024-01-14T00:00:00Z");
  // Last day or Friday (2024-05-31 is both, 2024-06-30 a Sunday).
  EXPECT_EQ(next("0 0 0 L * FRI", "2024-05-25T00:00:00Z"), "2024-05-31T00:00:00Z");
  EXPECT_EQ(next("0 0 0 L * FRI", "2024-05-31T00:00:00Z"), "2024-06-07T00:00:00Z");
  EXPECT_EQ(next("0 0 0 L * FRI", "2024-06-28T00:00:00Z"), "2024-06-30T00:00:00Z");
}

TEST(CronNext, BothDayRulesWhenOneStartsWithAStarOrIsAQuestionMark) {
  // Odd days that are Mondays.
  EXPECT_EQ(next("0 0 0 */2 * MON", "2024-04-01T00:00:00Z"), "2024-04-15T00:00:00Z");
  EXPECT_EQ(next("0 0 0 */2 * MON", "2024-04-15T00:00:00Z"), "2024-04-29T00:00:00Z");
  // The first Sunday of the month: days 1-7 AND Sunday (*/7 over 0-6 is Sunday).
  EXPECT_EQ(next("0 0 0 1-7 * */7", "2024-01-01T00:00:00Z"), "2024-01-07T00:00:00Z");
  EXPECT_EQ(next("0 0 0 1-7 * */7", "2024-01-07T00:00:00Z"), "2024-02-04T00:00:00Z");
  EXPECT_EQ(next("0 0 0 13 * ?", "2024-01-13T00:00:00Z"), "2024-02-13T00:00:00Z");
  // February 29 that is a Sunday: 2032, then 2060 — 27 years on, inside the search bound.
  EXPECT_EQ(next("0 0 0 29 2 */7", "2024-01-01T00:00:00Z"), "2032-02-29T00:00:00Z");
  EXPECT_EQ(next("0 0 0 29 2 */7", "2033-01-01T00:00:00Z"), "2060-02-29T00:00:00Z");
}

TEST(CronNext, UtcHasNoDaylightSaving) {
  EXPECT_EQ(next("0 30 2 * * *", "2024-03-31T00:00:00Z"), "2024-03-31T02:30:00Z");
  EXPECT_EQ(next("0 30 2 * * *", "2024-10-27T02:30:00Z"), "2024-10-28T02:30:00Z");
  EXPECT_EQ(next("0 30 2 * * *", "2024-03-31T00:00:00Z", "Etc/UTC"), "2024-03-31T02:30:00Z");
}

TEST(CronNext, SearchIsBoundedByTheEndOfTheClock) {
  EXPECT_EQ(next("0 0 0 29 2 *", "2261-01-01T00:00:00Z"),
            "error: cron expression '0 0 0 29 2 *' has no time in UTC between "
            "2261-01-01T00:00:01.000Z and 2262-04-11T23:47:16.000Z");
  EXPECT_EQ(next("0 0 0 1 1 *", "2262-01-01T00:00:00Z"),
            "error: cron expression '0 0 0 1 1 *' has no time in UTC between "
            "2262-01-01T00:00:01.000Z and 2262-04-11T23:47:16.000Z");
  Result<CronExpression> c = CronExpression::parse("0 0 0 1 1 *");
  ASSERT_TRUE(c);
  Result<TimePoint> t = c->next_after(TimePoint::max(), TimeZone());
  ASSERT_FALSE(t);
  EXPECT_EQ(t.status().code(), Code::kNotFound);
  EXPECT_EQ(next("0 0 0 1 1 *", "2261-06-01T00:00:00Z"), "2262-01-01T00:00:00Z");
}

TEST(CronNext, EveryMatchOfADayInOrder) {
  Result<CronExpression> c = CronExpression::parse("0 */20 9-10 * * *");
  ASSERT_TRUE(c);
  std::vector<std::string> seen;
  TimePoint t = at("2024-01-01T00:00:00Z");
  for (int i = 0; i < 7; ++i) {
    Result<TimePoint> n = c->next_after(t, TimeZone());
    ASSERT_TRUE(n);
    seen.push_back(iso(*n));
    t = *n;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"2024-01-01T09:00:00Z", "2024-01-01T09:20:00Z",
                                            "2024-01-01T09:40:00Z", "2024-01-01T10:00:00Z",
                                            "2024-01-01T10:20:00Z", "2024-01-01T10:40:00Z",
                                            "2024-01-02T09:00:00Z"}));
}

}  // namespace
}  // namespace weft::schedule::test
