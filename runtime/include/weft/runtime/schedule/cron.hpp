// A cron expression, evaluated in the local time of an IANA time zone.
//
// Syntax: six fields separated by spaces or tabs, or five (then the seconds are 0):
//
//   second  minute  hour  day-of-month  month  day-of-week
//   0-59    0-59    0-23  1-31, L       1-12   0-7 (0 and 7 are Sunday)
//                                       JAN-DEC SUN-SAT
//
// Each field is a comma-separated list of elements; an element is
//   *          every value                        "*"
//   N          one value                          "30", "MON", "jul"
//   N-M        a range, N <= M                    "9-17", "MON-FRI"
//   */S N-M/S  every S-th value of all / of N-M   "*/15", "10-50/5"
//   N/S        every S-th value from N to the max "5/20" (= 5,25,45 for minutes)
//   ?          day-of-month and day-of-week only: no restriction (same as *)
//   L          day-of-month only: the last day of the month
// Names are three letters, any case. Ranges do not wrap ("FRI-MON" is an error: write
// "FRI-SAT,SUN-MON" or "5-7,1").
//
// Macros: @yearly (= @annually) "0 0 0 1 1 *", @monthly "0 0 0 1 * *", @weekly "0 0 0 * * 0",
// @daily (= @midnight) "0 0 0 * * *", @hourly "0 0 * * * *".
//
// Days (the Vixie cron rule): when both day-of-month and day-of-week are restricted (neither
// starts with * nor is ?), a day matches if EITHER matches ("0 0 1 * MON" = the 1st and every
// Monday); otherwise both must match ("0 0 */2 * MON" = odd days that are Mondays).
//
// Daylight saving time — the rules of Vixie cron / cronie, on the IANA tz database:
//  * Fixed-time expressions (neither the minute nor the hour field starts with *; e.g.
//    "30 2 * * *") name wall-clock times. A time skipped by a spring-forward gap runs once,
//    at the first instant after the gap (02:30 in Europe/Berlin on the last Sunday of March
//    runs at 03:00 CEST), however many matching times the gap swallowed. A time repeated by a
//    fall-back overlap runs once, at its first occurrence (02:30 CEST, not 02:30 CET again).
//  * Expressions whose minute or hour field starts with * ("*/15 * * * *", "0 * * * *")
//    describe a rhythm and follow the real clock: times inside a gap do not exist and are not
//    run; times in an overlap run in both passes (every 15 minutes stays every 15 minutes).
//
// Expressions that can never match (day-of-month 30 or 31 only in February, 31 only in
// 30-day months) are refused by parse(). Search is bounded: next_after looks 50 years ahead
// (a February 29 that must also be a given weekday can be 40 years away) and never past
// 2262-04-11, the end of std::chrono::system_clock.
#pragma once

#include <weft/runtime/schedule/time_zone.hpp>
#include <weft/runtime/status.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace weft::schedule {

class CronExpression {
 public:
  // How far next_after searches.
  static constexpr int kSearchYears = 50;
  // The longest accepted text.
  static constexpr size_t kMaxLength = 256;

  // Parses `text` (see the syntax above). Errors are kInvalid with one line naming the field
  // and the token at fault, e.g. "cron field 'hour': 25 is out of range 0-23".
  static Result<CronExpression> parse(std::string_view text);

  // The first instant strictly after `after` whose local time in `zone` matches, in whole
  // seconds, with the daylight-saving rules above. kNotFound ("cron expression '...' has no
  // time in <zone> between <from> and <to>") when none lies within the search bound.
  // Thread-safe.
  Result<TimePoint> next_after(TimePoint after, const TimeZone& zone) const;

  // The text it was parsed from, trimmed.
  const std::string& text() const { return text_; }
  // Whether the minute or hour field starts with * (see "Daylight saving time" above).
  bool follows_clock() const { return follows_clock_; }

 private:
  CronExpression() = default;

  bool day_matches(int y, unsigned m, unsigned d, unsigned weekday) const;
  // The first matching local time in [from, to), or false.
  bool next_local(std::chrono::local_seconds from, std::chrono::local_seconds to,
                  std::chrono::local_seconds& out) const;

  std::string text_;
  uint64_t seconds_ = 0;  // bit i: value i
  uint64_t minutes_ = 0;
  uint64_t hours_ = 0;
  uint64_t days_ = 0;  // bits 1-31
  bool last_day_ = false;  // L in day-of-month
  uint64_t months_ = 0;    // bits 1-12
  uint64_t weekdays_ = 0;  // bits 0-6, Sunday = 0
  bool days_restricted_ = false;
  bool weekdays_restricted_ = false;
  bool follows_clock_ = false;
};

}  // namespace weft::schedule
