// Helpers shared by the schedule tests: instants written as ISO 8601 UTC text, and cron
// evaluation in one call.
#pragma once

#include <weft/runtime/schedule/cron.hpp>
#include <weft/runtime/schedule/time_zone.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace weft::schedule::test {

// "2024-03-31T01:00:00Z" (optionally with ".mmm" before the Z) as an instant.
inline TimePoint at(const std::string& iso) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  int n = std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &y, &mo, &d, &h, &mi, &s, &ms);
  if (n < 6) throw std::invalid_argument("bad instant in test: " + iso);
  using namespace std::chrono;
  sys_days day{year{y} / month{unsigned(mo)} / unsigned(d)};
  return TimePoint(day) + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
}

// "2024-03-31T01:00:00Z": the instant, second precision.
inline std::string iso(TimePoint t) {
  std::string s = format_utc(t);  // ...ss.mmmZ
  if (s.size() > 5 && s.compare(s.size() - 5, 5, ".000Z") == 0) s = s.substr(0, s.size() - 5) + "Z";
  return s;
}

inline TimeZone zone(const std::string& name) {
  Result<TimeZone> z = TimeZone::locate(name);
  if (!z) throw std::invalid_argument(z.status().message());
  return *z;
}

// The next time of `cron` after `after` in `zone_name`, as iso() text, or the error message.
inline std::string next(const std::string& cron, const std::string& after,
                        const std::string& zone_name = "UTC") {
  Result<CronExpression> c = CronExpression::parse(cron);
  if (!c) return "parse error: " + c.status().message();
  Result<TimePoint> t = c->next_after(at(after), zone(zone_name));
  if (!t) return "error: " + t.status().message();
  return iso(*t);
}

// The parse error of `cron`, or "ok".
inline std::string parse_error(const std::string& cron) {
  Result<CronExpression> c = CronExpression::parse(cron);
  return c ? "ok" : c.status().message();
}

}  // namespace weft::schedule::test
