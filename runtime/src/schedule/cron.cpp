#include <weft/runtime/schedule/cron.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <vector>

namespace weft::schedule {

namespace {

constexpr std::array<const char*, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<const char*, 7> kDayNames = {"SUN", "MON", "TUE", "WED",
                                                  "THU", "FRI", "SAT"};

enum FieldIndex { kSecond, kMinute, kHour, kDayOfMonth, kMonth, kDayOfWeek };

struct FieldSpec {
  const char* name;
  int min;
  int max;
};

constexpr std::array<FieldSpec, 6> kFields = {{{"second", 0, 59},
                                               {"minute", 0, 59},
                                               {"hour", 0, 23},
                                               {"day-of-month", 1, 31},
                                               {"month", 1, 12},
                                               {"day-of-week", 0, 7}}};

struct Macro {
  const char* name;
  const char* expansion;
};

constexpr std::array<Macro, 7> kMacros = {{{"@yearly", "0 0 0 1 1 *"},
                                           {"@annually", "0 0 0 1 1 *"},
                                           {"@monthly", "0 0 0 1 * *"},
                                           {"@weekly", "0 0 0 * * 0"},
                                           {"@daily", "0 0 0 * * *"},
                                           {"@midnight", "0 0 0 * * *"},
                                           {"@hourly", "0 0 * * * *"}}};

// A token as it may appear in a message: at most 32 characters, nothing unprintable.
std::string shown(std::string_view token) {
  std::string out;
  for (char c : token.substr(0, 32)) out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  if (token.size() > 32) out += "...";
  return out;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != b[i]) return false;
  return true;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The parser of one field; errors read "cron field '<name>': <problem>".
class FieldParser {
 public:
  FieldParser(FieldIndex index, std::string_view text)
      : index_(index), spec_(kFields[index]), text_(text) {}

  Status parse() {
    if (text_.empty()) return error("is empty");
    size_t pos = 0;
    for (;;) {
      size_t comma = text_.find(',', pos);
      std::string_view element =
          text_.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
      if (element.empty()) return error("empty element in list '" + shown(text_) + "'");
      Status st = parse_element(element);
      if (!st) return st;
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
    return Status::ok();
  }

  uint64_t mask() const { return mask_; }
  bool last_day() const { return last_day_; }
  // Vixie cron's rule: a day field that starts with * (or is ?) does not restrict.
  bool restricted() const { return text_[0] != '*' && text_ != "?"; }

 private:
  Status parse_element(std::string_view element) {
    std::string_view base = element;
    int step = 1;
    bool has_step = false;
    size_t slash = element.find('/');
    if (slash != std::string_view::npos) {
      base = element.substr(0, slash);
      std::string_view step_text = element.substr(slash + 1);
      if (step_text.find('/') != std::string_view::npos)
        return error("'" + shown(element) + "' has more than one /");
      if (!all_digits(step_text))
        return error("step '" + shown(step_text) + "' is not a number");
      step = step_text.size() > 4 ? 10000 : std::stoi(std::string(step_text));
      if (step == 0) return error("step 0 must be at least 1");
      has_step = true;
      if (base.empty()) return error("'" + shown(element) + "' has no value before /");
    }

    int from = spec_.min, to = spec_.max;
    if (base == "*") {
      if (index_ == kDayOfWeek) to = 6;  // 7 is Sunday again
    } else if (base == "?") {
      if (index_ != kDayOfMonth && index_ != kDayOfWeek)
        return error("'?' is allowed only in day-of-month and day-of-week");
      if (has_step) return error("'" + shown(element) + "': ? takes no step");
      if (index_ == kDayOfWeek) to = 6;
    } else if (index_ == kDayOfMonth && equals_ignore_case(base, "L")) {
      if (has_step) return error("'" + shown(element) + "': L takes no step");
      last_day_ = true;
      return Status::ok();
    } else if (size_t dash = base.find('-'); dash != std::string_view::npos) {
      std::string_view a = base.substr(0, dash), b = base.substr(dash + 1);
      if (a.empty() || b.empty()) return error("range '" + shown(base) + "' lacks an end");
      Status st = value(a, from);
      if (!st) return st;
      st = value(b, to);
      if (!st) return st;
      // "SAT-SUN": a range that ends on Sunday by name ends on 7.
      if (index_ == kDayOfWeek && to == 0 && from > 0 && !all_digits(b)) to = 7;
      if (from > to)
        return error("range " + shown(base) + " is reversed (ranges do not wrap; use a list)");
    } else {
      Status st = value(base, from);
      if (!st) return st;
      to = has_step ? spec_.max : from;
    }
    for (int v = from; v <= to; v += step) {
      int bit = (index_ == kDayOfWeek && v == 7) ? 0 : v;
      mask_ |= uint64_t{1} << bit;
    }
    return Status::ok();
  }

  // One value: a number in range, or a month / day name where the field has names.
  Status value(std::string_view token, int& out) const {
    if (all_digits(token)) {
      int v = token.size() > 4 ? 99999 : std::stoi(std::string(token));
      if (v < spec_.min || v > spec_.max)
        return error(shown(token) + " is out of range " + std::to_string(spec_.min) + "-" +
                     std::to_string(spec_.max));
      out = v;
      return Status::ok();
    }
    if (index_ == kMonth) {
      for (size_t i = 0; i < kMonthNames.size(); ++i)
        if (equals_ignore_case(token, kMonthNames[i])) {
          out = int(i) + 1;
          return Status::ok();
        }
      return error("'" + shown(token) + "' is not a number or month name (JAN-DEC)");
    }
    if (index_ == kDayOfWeek) {
      for (size_t i = 0; i < kDayNames.size(); ++i)
        if (equals_ignore_case(token, kDayNames[i])) {
          out = int(i);
          return Status::ok();
        }
      return error("'" + shown(token) + "' is not a number or day name (SUN-SAT)");
    }
    return error("'" + shown(token) + "' is not a number");
  }

  Status error(const std::string& problem) const {
    return Status::invalid("cron field '" + std::string(spec_.name) + "': " + problem);
  }

  FieldIndex index_;
  FieldSpec spec_;
  std::string_view text_;
  uint64_t mask_ = 0;
  bool last_day_ = false;
};

// The smallest value >= from (and <= 63) whose bit is set, or -1.
int next_bit(uint64_t mask, int from) {
  if (from > 63) return -1;
  uint64_t rest = mask >> from;
  return rest == 0 ? -1 : from + std::countr_zero(rest);
}

// The most days month m can have (February: 29).
unsigned max_days(unsigned m) {
  static constexpr std::array<unsigned, 13> kDays = {0,  31, 29, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  return kDays[m];
}

}  // namespace

Result<CronExpression> CronExpression::parse(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return Status::invalid("cron expression is empty");
  if (text.size() > kMaxLength)
    return Status::invalid("cron expression is too long (" + std::to_string(text.size()) +
                           " characters, at most " + std::to_string(kMaxLength) + ")");

  CronExpression cron;
  cron.text_ = std::string(text);
  std::string_view body = text;
  if (text.front() == '@') {
    const Macro* found = nullptr;
    for (const Macro& m : kMacros) {
      std::string upper(m.name);
      for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
      if (equals_ignore_case(text, upper)) found = &m;
    }
    if (!found)
      return Status::invalid("unknown cron macro '" + shown(text) +
                             "' (use @yearly, @annually, @monthly, @weekly, @daily, @midnight "
                             "or @hourly)");
    body = found->expansion;
  }

  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find_first_of(" \t", pos);
    if (end == std::string_view::npos) end = body.size();
    if (end > pos) fields.push_back(body.substr(pos, end - pos));
    pos = end + 1;
  }
  if (fields.size() == 5) fields.insert(fields.begin(), "0");
  if (fields.size() != 6)
    return Status::invalid(
        "cron expression must have 5 or 6 fields (second minute hour day-of-month month "
        "day-of-week), got " +
        std::to_string(fields.size()));

  std::array<uint64_t*, 6> masks = {&cron.seconds_, &cron.minutes_, &cron.hours_,
                                    &cron.days_,    &cron.months_,  &cron.weekdays_};
  for (int i = 0; i < 6; ++i) {
    FieldParser field(FieldIndex(i), fields[size_t(i)]);
    Status st = field.parse();
    if (!st) return st;
    *masks[size_t(i)] = field.mask();
    if (i == kDayOfMonth) {
      cron.last_day_ = field.last_day();
      cron.days_restricted_ = field.restricted();
    }
    if (i == kDayOfWeek) cron.weekdays_restricted_ = field.restricted();
  }
  cron.follows_clock_ = fields[kMinute][0] == '*' || fields[kHour][0] == '*';

  // Unless the day-of-week can stand in (the Vixie OR rule), some selected month must have
  // some selected day.
  if (!(cron.days_restricted_ && cron.weekdays_restricted_)) {
    int first_day = next_bit(cron.days_, 1);  // -1 when only L
    bool possible = false;
    for (unsigned m = 1; m <= 12 && !possible; ++m) {
      if (!(cron.months_ >> m & 1)) continue;
      possible = cron.last_day_ || (first_day > 0 && first_day <= int(max_days(m)));
    }
    if (!possible)
      return Status::invalid("cron expression never fires: day-of-month '" +
                             shown(fields[kDayOfMonth]) + "' does not occur in month '" +
                             shown(fields[kMonth]) + "'");
  }
  return cron;
}

bool CronExpression::day_matches(int y, unsigned m, unsigned d, unsigned weekday) const {
  using namespace std::chrono;
  bool dom = (days_ >> d & 1) != 0;
  if (!dom && last_day_) dom = d == unsigned(year_month_day_last{year{y} / month{m} / last}.day());
  bool dow = (weekdays_ >> weekday & 1) != 0;
  if (days_restricted_ && weekdays_restricted_) return dom || dow;
  return dom && dow;
}

bool CronExpression::next_local(std::chrono::local_seconds from, std::chrono::local_seconds to,
                                std::chrono::local_seconds& out) const {
  using namespace std::chrono;
  local_seconds t = from;
  // Every step moves t strictly forward, by at least a second and usually by a whole field.
  while (t < to) {
    local_days day = floor<days>(t);
    year_month_day ymd{day};
    int y = int(ymd.year());
    unsigned m = unsigned(ymd.month());
    if (!(months_ >> m & 1)) {
      int next = next_bit(months_, int(m) + 1);
      if (next < 0 || next > 12) {
        ++y;
        next = next_bit(months_, 1);
      }
      t = local_days{year{y} / month{unsigned(next)} / 1};
      continue;
    }
    if (!day_matches(y, m, unsigned(ymd.day()), weekday{day}.c_encoding())) {
      t = day + days{1};
      continue;
    }
    auto sod = (t - day).count();
    int h = int(sod / 3600), mi = int(sod % 3600 / 60), s = int(sod % 60);
    int next_h = next_bit(hours_, h);
    if (next_h < 0) {
      t = day + days{1};
      continue;
    }
    if (next_h != h) {
      t = day + hours{next_h};
      continue;
    }
    int next_mi = next_bit(minutes_, mi);
    if (next_mi < 0) {
      t = day + hours{h + 1};
      continue;
    }
    if (next_mi != mi) {
      t = day + hours{h} + minutes{next_mi};
      continue;
    }
    int next_s = next_bit(seconds_, s);
    if (next_s < 0) {
      t = day + hours{h} + minutes{mi + 1};
      continue;
    }
    t = day + hours{h} + minutes{mi} + seconds{next_s};
    if (t >= to) return false;
    out = t;
    return true;
  }
  return false;
}

Result<TimePoint> CronExpression::next_after(TimePoint after, const TimeZone& zone) const {
  using namespace std::chrono;
  const sys_seconds latest = floor<seconds>(TimePoint::max());
  const sys_seconds start = floor<seconds>(after) + seconds{1};
  sys_seconds limit = latest;
  if (start < latest - duration_cast<seconds>(years{kSearchYears}))
    limit = start + duration_cast<seconds>(years{kSearchYears});

  auto local = [](sys_seconds t, seconds offset) { return local_seconds{t.time_since_epoch() + offset}; };
  sys_seconds cur = start;
  while (cur < limit) {
    TimeZone::Period p = zone.period_at(cur);
    sys_seconds seg_end = std::min(p.end, limit);
    local_seconds from = local(cur, p.offset);
    local_seconds match;
    if (!follows_clock_ && !zone.is_utc()) {
      TimeZone::Period prev = zone.period_at(p.begin - seconds{1});
      // Spring forward just before p: wall-clock times in the gap run once, when it ends.
      if (prev.offset < p.offset && cur == p.begin &&
          next_local(local(p.begin, prev.offset), local(p.begin, p.offset), match))
        return TimePoint(p.begin);
      // Fall back just before p: the repeated wall-clock times already ran in prev.
      if (prev.offset > p.offset) from = std::max(from, local(p.begin, prev.offset));
    }
    if (next_local(from, local(seg_end, p.offset), match))
      return TimePoint(sys_seconds{match.time_since_epoch() - p.offset});
    cur = seg_end;
  }
  return Status::not_found("cron expression '" + text_ + "' has no time in " + zone.name() +
                           " between " + format_utc(TimePoint(std::min(start, latest))) +
                           " and " + format_utc(TimePoint(limit)));
}

}  // namespace weft::schedule
