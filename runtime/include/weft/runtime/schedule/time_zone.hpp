// An IANA time zone ("Europe/Berlin"), read from the system's tz database (Debian's tzdata,
// through Howard Hinnant's date library, libhowardhinnant-date-dev). Schedules are evaluated
// in local time of such a zone.
#pragma once

#include <weft/runtime/status.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace weft::schedule {

// The instants schedules deal in. Whole seconds are what cron produces; the scheduler's clock
// may carry finer precision.
using TimePoint = std::chrono::system_clock::time_point;

class TimeZone {
 public:
  // A span of instants [begin, end) during which a zone's UTC offset does not change.
  struct Period {
    std::chrono::sys_seconds begin;
    std::chrono::sys_seconds end;
    std::chrono::seconds offset;  // local time = UTC + offset
  };

  // UTC (needs no tz database).
  TimeZone() = default;
  static TimeZone utc() { return TimeZone(); }

  // The zone called `name` (exact IANA spelling, links such as "US/Eastern" included; "UTC"
  // always works). Errors: kInvalid "unknown time zone 'Mars/Base' (expected an IANA name such
  // as Europe/Berlin)"; kUnavailable when the system tz database cannot be read. Thread-safe.
  static Result<TimeZone> locate(std::string_view name);

  // The name it was located by ("UTC" for the default).
  const std::string& name() const { return name_; }
  bool is_utc() const { return zone_ == nullptr; }

  // The period of constant offset containing `at`. UTC is one period covering everything.
  // Thread-safe. Known limit of the Debian build (USE_OS_TZDB): beyond the last transition
  // written in the zone file (2037 for Debian's tzdata) the last offset is kept, so daylight
  // saving after 2037 is not modelled.
  Period period_at(std::chrono::sys_seconds at) const;

 private:
  std::string name_ = "UTC";
  // OWNERSHIP: borrowed from the date library's process-wide tz database, which is never
  // freed; nullptr means UTC.
  const date::time_zone* zone_ = nullptr;
};

// "2024-03-31T01:00:00.000Z": ISO 8601 in UTC with milliseconds, the format weft's date
// expressions produce.
std::string format_utc(TimePoint t);

}  // namespace weft::schedule
