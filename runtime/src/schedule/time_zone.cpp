#include <weft/runtime/schedule/time_zone.hpp>

#include <date/tz.h>

#include <cstdio>
#include <exception>
#include <limits>

namespace weft::schedule {

namespace {

// Far enough out to stand for "unbounded" and still leave room for offsets and a day of
// arithmetic without overflowing int64 seconds.
constexpr std::chrono::sys_seconds kFarPast{std::chrono::seconds{std::numeric_limits<int64_t>::min() / 4}};
constexpr std::chrono::sys_seconds kFarFuture{std::chrono::seconds{std::numeric_limits<int64_t>::max() / 4}};

}  // namespace

Result<TimeZone> TimeZone::locate(std::string_view name) {
  if (name == "UTC") return TimeZone();
  TimeZone tz;
  try {
    // Throws std::runtime_error for a name the database lacks. The database is a list of the
    // zone files found at start-up, so a name is only ever looked up, never used as a path.
    tz.zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    // Tell a missing database apart from a bad name: UTC is always in a readable database.
    try {
      date::locate_zone("Etc/UTC");
    } catch (const std::exception& e) {
      return Status::unavailable(std::string("the time zone database cannot be read: ") +
                                 e.what());
    }
    std::string shown(name.substr(0, 64));
    if (name.size() > 64) shown += "...";
    return Status::invalid("unknown time zone '" + shown +
                           "' (expected an IANA name such as Europe/Berlin)");
  }
  tz.name_ = std::string(name);
  return tz;
}

TimeZone::Period TimeZone::period_at(std::chrono::sys_seconds at) const {
  if (zone_ == nullptr) return {kFarPast, kFarFuture, std::chrono::seconds{0}};
  date::sys_info info = zone_->get_info(at);
  Period p{info.begin, info.end, info.offset};
  // The library marks the open ends with years -32767 / 32767; keep them in a safe range.
  if (p.begin < kFarPast) p.begin = kFarPast;
  if (p.end > kFarFuture) p.end = kFarFuture;
  return p;
}

std::string format_utc(TimePoint t) {
  using namespace std::chrono;
  auto ms = floor<milliseconds>(t);
  auto day = floor<days>(ms);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> hms{ms - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                int(hms.subseconds().count()));
  return buf;
}

}  // namespace weft::schedule
