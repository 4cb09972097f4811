// next_after in IANA time zones: daylight-saving gaps and overlaps in Europe/Berlin
// (2024-03-31 02:00 CET -> 03:00 CEST at 01:00Z; 2024-10-27 03:00 CEST -> 02:00 CET at 01:00Z)
// and America/New_York (2024-03-10 02:00 EST -> 03:00 EDT at 07:00Z; 2024-11-03 02:00 EDT ->
// 01:00 EST at 06:00Z), and zone look-up.
#include "schedule_test_support.hpp"

namespace weft::schedule::test {
namespace {

constexpr const char* kBerlin = "Europe/Berlin";
constexpr const char* kNewYork = "America/New_York";

TEST(CronTimeZone, LocalTimeOnOrdinaryDays) {
  EXPECT_EQ(next("0 30 2 * * *", "2024-03-29T12:00:00Z", kBerlin), "2024-03-30T01:30:00Z");
  EXPECT_EQ(next("0 30 2 * * *", "2024-07-01T12:00:00Z", kBerlin), "2024-07-02T00:30:00Z");
  EXPECT_EQ(next("0 0 9 * * *", "2024-07-01T00:00:00Z", kNewYork), "2024-07-01T13:00:00Z");
  EXPECT_EQ(next("0 0 9 * * *", "2024-01-01T00:00:00Z", kNewYork), "2024-01-01T14:00:00Z");
  // Local midnight of the new year comes before UTC's.
  EXPECT_EQ(next("@yearly", "2024-06-01T00:00:00Z", kBerlin), "2024-12-31T23:00:00Z");
}

TEST(CronTimeZone, SpringForwardRunsASkippedFixedTimeOnceAtTheEndOfTheGap) {
  EXPECT_EQ(next("0 30 2 * * *", "2024-03-30T12:00:00Z", kBerlin), "2024-03-31T01:00:00Z");
  EXPECT_EQ(next("0 30 2 * * *", "2024-03-31T01:00:00Z", kBerlin), "2024-04-01T00:30:00Z");
  // Four skipped times, one run.
  EXPECT_EQ(next("0 0,15,30,45 2 * * *", "2024-03-30T12:00:00Z", kBerlin),
            "2024-03-31T01:00:00Z");
  EXPECT_EQ(next("0 0,15,30,45 2 * * *", "2024-03-31T01:00:00Z", kBerlin),
            "2024-04-01T00:00:00Z");
  // A skipped time and 03:00 itself: still one run.
  EXPECT_EQ(next("0 30 2,3 * * *", "2024-03-31T00:59:59Z", kBerlin), "2024-03-31T01:00:00Z");
  EXPECT_EQ(next("0 30 2,3 * * *", "2024-03-31T01:00:00Z", kBerlin), "2024-03-31T01:30:00Z");
  EXPECT_EQ(next("0 30 2 * * *", "2024-03-09T12:00:00Z", kNewYork), "2024-03-10T07:00:00Z");
  EXPECT_EQ(next("0 30 2 * * *", "2024-03-10T07:00:00Z", kNewYork), "2024-03-11T06:30:00Z");
}

TEST(CronTimeZone, SpringForwardSkipsTheGapForClockRhythms) {
  // Every minute of 02:xx: on the day of the gap there is none.
  EXPECT_EQ(next("0 * 2 * * *", "2024-03-30T12:00:00Z", kBerlin), "2024-04-01T00:00:00Z");
  // Every 15 minutes: 01:45 CET, then 03:00 CEST fifteen real minutes later.
  EXPECT_EQ(next("0 */15 * * * *", "2024-03-31T00:45:00Z", kBerlin), "2024-03-31T01:00:00Z");
  EXPECT_EQ(next("0 */15 * * * *", "2024-03-31T01:00:00Z", kBerlin), "2024-03-31T01:15:00Z");
  EXPECT_EQ(next("0 30 * * * *", "2024-03-10T06:30:00Z", kNewYork), "2024-03-10T07:30:00Z");
}

TEST(CronTimeZone, FallBackRunsARepeatedFixedTimeOnce) {
  EXPECT_EQ(next("0 30 2 * * *", "2024-10-26T12:00:00Z", kBerlin), "2024-10-27T00:30:00Z");
  EXPECT_EQ(next("0 30 2 * * *", "2024-10-27T00:30:00Z", kBerlin), "2024-10-28T01:30:00Z");
  // From inside the second pass as well.
  EXPECT_EQ(next("0 30 2 * * *", "2024-10-27T01:10:00Z", kBerlin), "2024-10-28T01:30:00Z");
  // The hour after the overlap is unaffected.
  EXPECT_EQ(next("0 0 3 * * *", "2024-10-27T00:30:00Z", kBerlin), "2024-10-27T02:00:00Z");
  EXPECT_EQ(next("0 30 1 * * *", "2024-11-02T12:00:00Z", kNewYork), "2024-11-03T05:30:00Z");
  EXPECT_EQ(next("0 30 1 * * *", "2024-11-03T05:30:00Z", kNewYork), "2024-11-04T06:30:00Z");
}

TEST(CronTimeZone, FallBackRunsClockRhythmsInBothPasses) {
  EXPECT_EQ(next("0 30 * * * *", "2024-10-27T00:30:00Z", kBerlin), "2024-10-27T01:30:00Z");
  EXPECT_EQ(next("0 30 * * * *", "2024-10-27T01:30:00Z", kBerlin), "2024-10-27T02:30:00Z");
  // 02:45 CEST, then 02:00 CET fifteen real minutes later.
  EXPECT_EQ(next("0 */15 * * * *", "2024-10-27T00:45:00Z", kBerlin), "2024-10-27T01:00:00Z");
  EXPECT_EQ(next("0 30 * * * *", "2024-11-03T05:30:00Z", kNewYork), "2024-11-03T06:30:00Z");
  // The last second of the first pass is followed by the first of the second.
  EXPECT_EQ(next("* * * * * *", "2024-10-27T00:59:59Z", kBerlin), "2024-10-27T01:00:00Z");
}

TEST(CronTimeZone, WeekdaysCrossTheChange) {
  // Friday 2024-03-08 10:00 EST; Monday 09:00 is EDT.
  EXPECT_EQ(next("0 0 9 * * MON-FRI", "2024-03-08T15:00:00Z", kNewYork), "2024-03-11T13:00:00Z");
  // A year of runs at 02:30 Berlin: one per day, 366 in 2024.
  Result<CronExpression> c = CronExpression::parse("0 30 2 * * *");
  ASSERT_TRUE(c);
  TimeZone berlin = zone(kBerlin);
  TimePoint t = at("2023-12-31T12:00:00Z");
  int runs = 0;
  for (;;) {
    Result<TimePoint> n = c->next_after(t, berlin);
    ASSERT_TRUE(n);
    if (*n >= at("2024-12-31T12:00:00Z")) break;
    ASSERT_GT(*n, t);
    t = *n;
    ++runs;
  }
  EXPECT_EQ(runs, 366);
}

TEST(CronTimeZone, EveryMinuteAcrossBothChangesIsStrictlyIncreasing) {
  for (const char* name : {kBerlin, kNewYork}) {
    for (const char* text : {"0 * * * * *", "0 */7 1-3 * * *", "0 0,30 1,2 * * *"}) {
      Result<CronExpression> c = CronExpression::parse(text);
      ASSERT_TRUE(c);
      TimeZone z = zone(name);
      for (const char* start : {"2024-03-09T00:00:00Z", "2024-10-26T00:00:00Z"}) {
        TimePoint t = at(start);
        TimePoint end = t + std::chrono::hours{24 * 10};
        while (t < end) {
          Result<TimePoint> n = c->next_after(t, z);
          ASSERT_TRUE(n) << text;
          ASSERT_GT(*n, t) << name << " " << text << " after " << iso(t);
          ASSERT_LE(*n - t, std::chrono::hours{25}) << name << " " << text << " after " << iso(t);
          t = *n;
        }
      }
    }
  }
}

TEST(TimeZoneLookup, KnownUnknownAndHostileNames) {
  EXPECT_TRUE(TimeZone::locate("UTC"));
  EXPECT_TRUE(TimeZone().is_utc());
  EXPECT_EQ(TimeZone().name(), "UTC");
  Result<TimeZone> berlin = TimeZone::locate(kBerlin);
  ASSERT_TRUE(berlin) << berlin.status().message();
  EXPECT_EQ(berlin->name(), kBerlin);
  EXPECT_FALSE(berlin->is_utc());
  Result<TimeZone> link = TimeZone::locate("US/Eastern");
  ASSERT_TRUE(link) << link.status().message();
  EXPECT_EQ(next("0 0 9 * * *", "2024-07-01T00:00:00Z", "US/Eastern"), "2024-07-01T13:00:00Z");

  for (const char* bad : {"Mars/Base", "", "../../etc/passwd", "/etc/localtime", "Europe/"}) {
    Result<TimeZone> z = TimeZone::locate(bad);
    ASSERT_FALSE(z) << bad;
    EXPECT_EQ(z.status().code(), Code::kInvalid);
    EXPECT_EQ(z.status().message(), "unknown time zone '" + std::string(bad) +
                                         "' (expected an IANA name such as Europe/Berlin)");
  }
  Result<TimeZone> long_name = TimeZone::locate(std::string(200, 'x'));
  ASSERT_FALSE(long_name);
  EXPECT_EQ(long_name.status().message(), "unknown time zone '" + std::string(64, 'x') +
                                              "...' (expected an IANA name such as Europe/Berlin)");
}

TEST(TimeZoneLookup, FormatsInstantsAsIsoUtc) {
  EXPECT_EQ(format_utc(at("2024-03-31T01:00:00Z")), "2024-03-31T01:00:00.000Z");
  EXPECT_EQ(format_utc(at("1999-12-31T23:59:59.123Z")), "1999-12-31T23:59:59.123Z");
  EXPECT_EQ(format_utc(at("1969-12-31T23:59:59.500Z")), "1969-12-31T23:59:59.500Z");
}

}  // namespace
}  // namespace weft::schedule::test
