#include "calendar.hpp"

#include <algorithm>

namespace weft::expr::calendar {

namespace {

constexpr int64_t kMsPerDay = 86'400'000;

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
int64_t days_from_civil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

struct Civil {
  int64_t year;
  int64_t month;
  int64_t day;
};

Civil civil_from_days(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return {year_of_era + era * 400 + (month <= 2), month, day};
}

bool is_leap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int64_t days_in_month(int64_t year, int64_t month) {
  static constexpr int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// Reads exactly `count` digits at text[pos], advancing pos.
bool read_digits(std::string_view text, size_t& pos, size_t count, int64_t& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool read_char(std::string_view text, size_t& pos, char expected) {
  if (pos >= text.size() || text[pos] != expected) return false;
  ++pos;
  return true;
}

void append_padded(std::string& out, int64_t value, int width) {
  std::string digits = std::to_string(value);
  if (digits.size() < static_cast<size_t>(width)) out.append(width - digits.size(), '0');
  out += digits;
}

}  // namespace

std::optional<Unit> parse_unit(std::string_view name) {
  if (name.size() > 1 && name.back() == 's' && name != "ms") name.remove_suffix(1);
  if (name == "ms" || name == "millisecond") return Unit::kMilliseconds;
  if (name == "s" || name == "second") return Unit::kSeconds;
  if (name == "minute") return Unit::kMinutes;
  if (name == "hour") return Unit::kHours;
  if (name == "day") return Unit::kDays;
  if (name == "week") return Unit::kWeeks;
  if (name == "month") return Unit::kMonths;
  if (name == "year") return Unit::kYears;
  return std::nullopt;
}

std::optional<int64_t> parse_iso(std::string_view text) {
  size_t pos = 0;
  int64_t year, month, day, hour = 0, minute = 0, second = 0, millis = 0;
  if (!read_digits(text, pos, 4, year) || !read_char(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !read_char(text, pos, '-') ||
      !read_digits(text, pos, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    ++pos;
    if (!read_digits(text, pos, 2, hour) || !read_char(text, pos, ':') ||
        !read_digits(text, pos, 2, minute))
      return std::nullopt;
    if (read_char(text, pos, ':')) {
      if (!read_digits(text, pos, 2, second)) return std::nullopt;
      if (read_char(text, pos, '.')) {
        size_t digits = 0;
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
          if (digits < 3) millis = millis * 10 + (text[pos] - '0');
        }
        if (digits == 0 || digits > 9) return std::nullopt;
        for (size_t i = digits; i < 3; ++i) millis *= 10;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
      ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int64_t sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int64_t offset_hours = 0, offset_mins = 0;
      if (!read_digits(text, pos, 2, offset_hours)) return std::nullopt;
      read_char(text, pos, ':');
      if (!read_digits(text, pos, 2, offset_mins)) return std::nullopt;
      if (offset_hours > 23 || offset_mins > 59) return std::nullopt;
      offset_minutes = sign * (offset_hours * 60 + offset_mins);
    }
  }
  if (pos != text.size()) return std::nullopt;
  const int64_t ms = days_from_civil(year, month, day) * kMsPerDay +
                     ((hour * 60 + minute - offset_minutes) * 60 + second) * 1000 + millis;
  if (ms < kMinMs || ms > kMaxMs) return std::nullopt;
  return ms;
}

std::string format(int64_t ms, std::string_view pattern) {
  const int64_t days = floor_div(ms, kMsPerDay);
  const int64_t in_day = ms - days * kMsPerDay;
  const Civil date = civil_from_days(days);
  std::string out;
  for (size_t pos = 0; pos < pattern.size();) {
    const std::string_view rest = pattern.substr(pos);
    if (rest.starts_with("YYYY")) {
      append_padded(out, date.year, 4);
      pos += 4;
    } else if (rest.starts_with("SSS")) {
      append_padded(out, in_day % 1000, 3);
      pos += 3;
    } else if (rest.starts_with("MM")) {
      append_padded(out, date.month, 2);
      pos += 2;
    } else if (rest.starts_with("DD")) {
      append_padded(out, date.day, 2);
      pos += 2;
    } else if (rest.starts_with("HH")) {
      append_padded(out, in_day / 3'600'000, 2);
      pos += 2;
    } else if (rest.starts_with("mm")) {
      append_padded(out, in_day / 60'000 % 60, 2);
      pos += 2;
    } else if (rest.starts_with("ss")) {
      append_padded(out, in_day / 1000 % 60, 2);
      pos += 2;
    } else if (rest.front() == '[') {
      const size_t close = rest.find(']');
      const size_t end = close == std::string_view::npos ? rest.size() : close;
      out.append(rest.substr(1, end - 1));
      pos += close == std::string_view::npos ? rest.size() : close + 1;
    } else {
      out += rest.front();
      ++pos;
    }
  }
  return out;
}

std::optional<int64_t> add(int64_t ms, int64_t amount, Unit unit) {
  int64_t step_ms = 0;
  switch (unit) {
    case Unit::kMilliseconds: step_ms = 1; break;
    case Unit::kSeconds: step_ms = 1000; break;
    case Unit::kMinutes: step_ms = 60'000; break;
    case Unit::kHours: step_ms = 3'600'000; break;
    case Unit::kDays: step_ms = kMsPerDay; break;
    case Unit::kWeeks: step_ms = 7 * kMsPerDay; break;
    case Unit::kMonths:
    case Unit::kYears: {
      // 12 * 10000 months span the whole supported range; anything beyond is out of it.
      constexpr int64_t kMaxMonths = 12 * 10'000;
      if (amount > kMaxMonths || amount < -kMaxMonths) return std::nullopt;
      const int64_t months = unit == Unit::kYears ? amount * 12 : amount;
      const int64_t days = floor_div(ms, kMsPerDay);
      const int64_t in_day = ms - days * kMsPerDay;
      const Civil date = civil_from_days(days);
      const int64_t month_index = date.year * 12 + (date.month - 1) + months;
      const int64_t year = floor_div(month_index, 12);
      const int64_t month = month_index - year * 12 + 1;
      if (year < 0 || year > 9999) return std::nullopt;
      const int64_t day = std::min(date.day, days_in_month(year, month));
      return days_from_civil(year, month, day) * kMsPerDay + in_day;
    }
  }
  int64_t delta = 0, result = 0;
  if (__builtin_mul_overflow(amount, step_ms, &delta) || __builtin_add_overflow(ms, delta, &result))
    return std::nullopt;
  if (result < kMinMs || result > kMaxMs) return std::nullopt;
  return result;
}

}  // namespace weft::expr::calendar
