// Date functions. A date is a number of milliseconds since the Unix epoch (what $now and now()
// give) or an ISO 8601 string; results are milliseconds, formatted text is UTC.
#include "calendar.hpp"
#include "functions.hpp"

namespace weft::expr {

namespace {

// Reads argument i as a date: integral milliseconds in the supported range, or an ISO string.
bool date_arg(const Call& call, size_t i, int64_t& out) {
  const Json& x = call.arg(i);
  if (x.is_string()) {
    auto ms = calendar::parse_iso(x.get_ref<const std::string&>());
    if (!ms) {
      return call.fail(quote_for_message(x.get_ref<const std::string&>()) +
                       " is not an ISO 8601 date between years 0000 and 9999");
    }
    out = *ms;
    return true;
  }
  Number n;
  if (!to_number(x, n)) {
    return call.type_error(i, "a date (milliseconds since the epoch or an ISO 8601 string)");
  }
  if (!to_integer(n, out) || out < calendar::kMinMs || out > calendar::kMaxMs) {
    return call.fail("date is outside the years 0000 to 9999");
  }
  return true;
}

bool set_date(const Call& call, std::optional<int64_t> ms, Value& out) {
  if (!ms) return call.fail("result is outside the years 0000 to 9999");
  out.set(Json(*ms));
  return true;
}

bool now(Call& call, Value& out) {
  out.set(Json(call.context().scope().now_ms()));
  return true;
}

bool format_date(Call& call, Value& out) {
  int64_t ms = 0;
  std::string_view pattern = "YYYY-MM-DD[T]HH:mm:ss.SSS[Z]";
  if (!date_arg(call, 0, ms) || (call.has(1) && !call.string_arg(1, pattern))) return false;
  // Every token is as long as what replaces it, so the text is never longer than the pattern.
  if (!call.reserve_string(pattern.size())) return false;
  out.set(Json(calendar::format(ms, pattern)));
  return true;
}

bool parse_date(Call& call, Value& out) {
  int64_t ms = 0;
  if (!date_arg(call, 0, ms)) return false;
  out.set(Json(ms));
  return true;
}

bool date_add(Call& call, Value& out) {
  int64_t ms = 0, amount = 0;
  std::string_view unit_name;
  if (!date_arg(call, 0, ms) || !call.integer_arg(1, amount) || !call.string_arg(2, unit_name))
    return false;
  auto unit = calendar::parse_unit(unit_name);
  if (!unit) {
    return call.fail("unknown unit " + quote_for_message(unit_name) +
                     " (ms, seconds, minutes, hours, days, weeks, months, years)");
  }
  return set_date(call, calendar::add(ms, amount, *unit), out);
}

bool add_in(Call& call, Value& out, calendar::Unit unit) {
  int64_t ms = 0, amount = 0;
  if (!date_arg(call, 0, ms) || !call.integer_arg(1, amount)) return false;
  return set_date(call, calendar::add(ms, amount, unit), out);
}

bool add_days(Call& call, Value& out) { return add_in(call, out, calendar::Unit::kDays); }
bool add_hours(Call& call, Value& out) { return add_in(call, out, calendar::Unit::kHours); }

constexpr FunctionSpec kDateFunctions[] = {
    {"now", 0, 0, false, now},
    {"formatDate", 1, 2, true, format_date},
    {"parseDate", 1, 1, true, parse_date},
    {"dateAdd", 3, 3, true, date_add},
    {"addDays", 2, 2, true, add_days},
    {"addHours", 2, 2, true, add_hours},
};

}  // namespace

std::span<const FunctionSpec> date_functions() { return kDateFunctions; }

}  // namespace weft::expr
