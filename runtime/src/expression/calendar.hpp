// Dates as the language sees them: milliseconds since the Unix epoch, in UTC, between the
// years 0000 and 9999 (what ISO 8601 writes with four digits). Proleptic Gregorian calendar,
// no leap seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weft::expr::calendar {

inline constexpr int64_t kMinMs = -62167219200000;  // 0000-01-01T00:00:00.000Z
inline constexpr int64_t kMaxMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

enum class Unit { kMilliseconds, kSeconds, kMinutes, kHours, kDays, kWeeks, kMonths, kYears };

// "ms", "millisecond(s)", "s", "second(s)", "minute(s)", "hour(s)", "day(s)", "week(s)",
// "month(s)", "year(s)".
std::optional<Unit> parse_unit(std::string_view name);

// Reads "YYYY-MM-DD", optionally followed by "THH:mm", ":ss", ".fraction" (1 to 9 digits) and
// a zone "Z", "+HH:mm", "-HH:mm" or "+HHmm" ('T' may be a space or 't'). No zone means UTC.
std::optional<int64_t> parse_iso(std::string_view text);

// Writes `ms` with `pattern`: YYYY MM DD HH mm ss SSS are replaced, text in [brackets] is
// copied without the brackets, every other character is copied as it is.
std::string format(int64_t ms, std::string_view pattern);

// ms + amount units; months and years keep the day of the month, clamped to the month's last
// day (Jan 31 + 1 month = Feb 28/29). nullopt when the result leaves the supported range.
std::optional<int64_t> add(int64_t ms, int64_t amount, Unit unit);

}  // namespace weft::expr::calendar
