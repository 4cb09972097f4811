// Number functions. Results that are whole and fit int64 are integers (round, floor, ceil, int).
#include <charconv>
#include <cmath>
#include <limits>

#include "functions.hpp"
#include "operators.hpp"

namespace weft::expr {

namespace {

constexpr double kTwoPow63 = 9223372036854775808.0;

bool fits_int64(double d) { return d >= -kTwoPow63 && d < kTwoPow63; }

// A whole double as an int64 when it fits, else as it is.
Json whole_number(double d) {
  if (fits_int64(d)) return Json(static_cast<int64_t>(d));
  return Json(d);
}

// Reads a whole string as a number: an int64, or a finite decimal. Surrounding ASCII spaces
// are allowed; anything else (hex, "inf", "1e999", "") is not.
bool parse_number(std::string_view text, Number& out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return false;
  // from_chars also reads "inf" and "nan": allow only digits, sign, point and exponent.
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'))
      return false;
  }
  if (text.front() == '+') text.remove_prefix(1);
  const char* last = text.data() + text.size();
  int64_t integer = 0;
  auto [int_end, int_error] = std::from_chars(text.data(), last, integer);
  if (int_error == std::errc() && int_end == last) {
    out = {true, integer, 0};
    return true;
  }
  double decimal = 0;
  if (!parse_decimal(text, decimal)) return false;
  out = {false, 0, decimal};
  return true;
}

// Reads argument 0 as a number: numbers, numeric strings, booleans (1 or 0).
bool numeric_arg(Call& call, Number& out) {
  const Json& x = call.arg(0);
  if (to_number(x, out)) return true;
  if (x.is_boolean()) {
    out = {true, x.get<bool>() ? 1 : 0, 0};
    return true;
  }
  if (x.is_string()) {
    if (parse_number(x.get_ref<const std::string&>(), out)) return true;
    return call.fail(quote_for_message(x.get_ref<const std::string&>()) + " is not a number");
  }
  return call.type_error(0, "a number, a numeric string or a boolean");
}

bool set_number(const Number& n, Value& out) {
  out.set(n.is_integer ? Json(n.integer) : Json(n.decimal));
  return true;
}

bool number(Call& call, Value& out) {
  Number n;
  return numeric_arg(call, n) && set_number(n, out);
}

bool to_int(Call& call, Value& out) {
  Number n;
  if (!numeric_arg(call, n)) return false;
  if (n.is_integer) return set_number(n, out);
  double truncated = std::trunc(n.decimal);
  if (!fits_int64(truncated)) return call.fail("number is out of the integer range");
  out.set(Json(static_cast<int64_t>(truncated)));
  return true;
}

bool round(Call& call, Value& out) {
  Number n;
  int64_t digits = 0;
  if (!call.number_arg(0, n) || (call.has(1) && !call.integer_arg(1, digits))) return false;
  if (digits < 0 || digits > 15) return call.fail("digits must be between 0 and 15");
  if (n.is_integer) return set_number(n, out);
  if (digits == 0) {
    out.set(whole_number(std::round(n.decimal)));
    return true;
  }
  const double factor = std::pow(10.0, static_cast<double>(digits));
  const double scaled = n.decimal * factor;
  // Beyond 2^53 a double has no fractional digits left to round.
  if (!std::isfinite(scaled) || std::fabs(scaled) >= 9007199254740992.0) return set_number(n, out);
  Json result;
  if (!finite_number(call.context(), call.column(), std::round(scaled) / factor, result))
    return false;
  out.set(std::move(result));
  return true;
}

bool whole(Call& call, Value& out, double (*rounding)(double)) {
  Number n;
  if (!call.number_arg(0, n)) return false;
  if (n.is_integer) return set_number(n, out);
  out.set(whole_number(rounding(n.decimal)));
  return true;
}

bool floor(Call& call, Value& out) {
  return whole(call, out, [](double d) { return std::floor(d); });
}
bool ceil(Call& call, Value& out) {
  return whole(call, out, [](double d) { return std::ceil(d); });
}

bool abs(Call& call, Value& out) {
  Number n;
  if (!call.number_arg(0, n)) return false;
  if (n.is_integer && n.integer != std::numeric_limits<int64_t>::min()) {
    out.set(Json(n.integer < 0 ? -n.integer : n.integer));
  } else {
    out.set(Json(std::fabs(n.as_double())));
  }
  return true;
}

// min and max: over the arguments, or over the elements of a single array argument.
bool extreme(Call& call, Value& out, int wanted_sign) {
  const bool over_array = call.count() == 1 && call.arg(0).is_array();
  const size_t count = over_array ? call.arg(0).size() : call.count();
  if (!call.step(count)) return false;
  const Json* best = nullptr;
  Number best_number;
  for (size_t i = 0; i < count; ++i) {
    const Json& candidate = over_array ? call.arg(0)[i] : call.arg(i);
    Number n;
    if (!to_number(candidate, n)) {
      if (over_array) {
        return call.fail("element " + std::to_string(i) + " must be a number, got " +
                         type_name(candidate));
      }
      return call.type_error(i, "a number");
    }
    if (best == nullptr || compare_numbers(n, best_number) * wanted_sign > 0) {
      best = &candidate;
      best_number = n;
    }
  }
  if (best == nullptr) {
    out.set(Json());
  } else {
    out.set(best_number.is_integer ? Json(best_number.integer) : Json(best_number.decimal));
  }
  return true;
}

bool min(Call& call, Value& out) { return extreme(call, out, -1); }
bool max(Call& call, Value& out) { return extreme(call, out, 1); }

constexpr FunctionSpec kNumberFunctions[] = {
    {"number", 1, 1, true, number},   {"int", 1, 1, true, to_int},
    {"round", 1, 2, true, round},     {"floor", 1, 1, true, floor},
    {"ceil", 1, 1, true, ceil},       {"abs", 1, 1, true, abs},
    {"min", 1, kVariadic, true, min}, {"max", 1, kVariadic, true, max},
};

}  // namespace

std::span<const FunctionSpec> number_functions() { return kNumberFunctions; }

}  // namespace weft::expr
