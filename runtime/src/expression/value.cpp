#include "value.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <limits>

namespace weft::expr {

const Json& null_json() {
  static const Json null_value;
  return null_value;
}

const Json& empty_object_json() {
  static const Json empty_object = Json::object();
  return empty_object;
}

void Value::narrow(const Json& part) {
  if (borrowed_ != nullptr) {
    borrowed_ = &part;
    return;
  }
  // `part` lies inside owned_, which this value owns: moving it out is legitimate.
  Json taken = std::move(const_cast<Json&>(part));
  owned_ = std::move(taken);
}

bool to_number(const Json& json, Number& out) {
  switch (json.type()) {
    case Json::value_t::number_integer: out = {true, json.get<int64_t>(), 0}; return true;
    case Json::value_t::number_unsigned: {
      auto u = json.get<uint64_t>();
      if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        out = {true, static_cast<int64_t>(u), 0};
      } else {
        out = {false, 0, static_cast<double>(u)};
      }
      return true;
    }
    case Json::value_t::number_float: out = {false, 0, json.get<double>()}; return true;
    default: return false;
  }
}

namespace {

// 2^63 as a double: the first double above every int64.
constexpr double kTwoPow63 = 9223372036854775808.0;

int compare_integer_double(int64_t i, double d) {
  if (d >= kTwoPow63) return -1;
  if (d < -kTwoPow63) return 1;
  double truncated = std::trunc(d);
  auto whole = static_cast<int64_t>(truncated);
  if (i != whole) return i < whole ? -1 : 1;
  double fraction = d - truncated;
  if (fraction > 0) return -1;
  if (fraction < 0) return 1;
  return 0;
}

}  // namespace

int compare_numbers(const Number& a, const Number& b) {
  if (a.is_integer && b.is_integer) return a.integer < b.integer ? -1 : (a.integer > b.integer);
  if (a.is_integer) return compare_integer_double(a.integer, b.decimal);
  if (b.is_integer) return -compare_integer_double(b.integer, a.decimal);
  return a.decimal < b.decimal ? -1 : (a.decimal > b.decimal);
}

bool to_integer(const Number& n, int64_t& out) {
  if (n.is_integer) {
    out = n.integer;
    return true;
  }
  if (std::trunc(n.decimal) != n.decimal || n.decimal >= kTwoPow63 || n.decimal < -kTwoPow63)
    return false;
  out = static_cast<int64_t>(n.decimal);
  return true;
}

namespace {

// For a number that from_chars found out of range: whether it is tiny (underflow) rather than
// huge, from the decimal exponent of its first significant digit.
bool underflows(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  const size_t exponent_at = text.find_first_of("eE");
  const std::string_view mantissa = text.substr(0, exponent_at);
  int64_t exponent = 0;
  if (exponent_at != std::string_view::npos) {
    std::string_view digits = text.substr(exponent_at + 1);
    const bool negative = !digits.empty() && digits.front() == '-';
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+'))
      digits.remove_prefix(1);
    // Any exponent beyond a few thousand is decided by its sign alone.
    for (char c : digits.substr(0, 6)) exponent = exponent * 10 + (c - '0');
    if (negative) exponent = -exponent;
  }
  const size_t point = mantissa.find('.');
  const size_t integer_digits = point == std::string_view::npos ? mantissa.size() : point;
  const size_t first_significant = mantissa.find_first_of("123456789");
  if (first_significant == std::string_view::npos) return true;
  const int64_t position = first_significant < integer_digits
                               ? static_cast<int64_t>(integer_digits - first_significant) - 1
                               : -static_cast<int64_t>(first_significant - integer_digits);
  return position + exponent < 0;
}

}  // namespace

bool parse_decimal(std::string_view text, double& out) {
  const char* last = text.data() + text.size();
  auto [end, error] = std::from_chars(text.data(), last, out);
  if (end != last) return false;
  if (error == std::errc::result_out_of_range && underflows(text)) {
    out = 0.0;
    return true;
  }
  return error == std::errc() && std::isfinite(out);
}

const char* type_name(const Json& json) {
  switch (json.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "number";
    case Json::value_t::string: return "string";
    case Json::value_t::array: return "array";
    case Json::value_t::object: return "object";
    case Json::value_t::binary: return "binary";
    case Json::value_t::discarded: return "discarded";
  }
  return "unknown";
}

bool truthy(const Json& json) {
  switch (json.type()) {
    case Json::value_t::null: return false;
    case Json::value_t::boolean: return json.get<bool>();
    case Json::value_t::number_integer: return json.get<int64_t>() != 0;
    case Json::value_t::number_unsigned: return json.get<uint64_t>() != 0;
    case Json::value_t::number_float: return json.get<double>() != 0.0;
    case Json::value_t::string: return !json.get_ref<const std::string&>().empty();
    default: return true;
  }
}

bool scalar_equal(const Json& a, const Json& b) {
  Number x, y;
  if (to_number(a, x) && to_number(b, y)) return compare_numbers(x, y) == 0;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::value_t::null: return true;
    case Json::value_t::boolean: return a.get<bool>() == b.get<bool>();
    case Json::value_t::string:
      return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    default: return false;
  }
}

size_t scalar_hash(const Json& json) {
  Number n;
  if (to_number(json, n)) {
    int64_t integer;
    if (to_integer(n, integer)) return std::hash<int64_t>{}(integer);
    return std::hash<double>{}(n.decimal);
  }
  switch (json.type()) {
    case Json::value_t::boolean: return json.get<bool>() ? 0x9e3779b9U : 0x7f4a7c15U;
    case Json::value_t::string: return std::hash<std::string>{}(json.get_ref<const std::string&>());
    default: return 0;
  }
}

namespace {

bool deep_equal_at(EvalContext& ctx, size_t column, const Json& a, const Json& b, size_t depth,
                   bool& equal) {
  if (!ctx.step(column)) return false;
  if (depth > kMaxValueDepth) {
    return ctx.fail(column,
                    "value nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
  }
  if (a.is_array() && b.is_array()) {
    equal = a.size() == b.size();
    for (size_t i = 0; equal && i < a.size(); ++i) {
      if (!deep_equal_at(ctx, column, a[i], b[i], depth + 1, equal)) return false;
    }
    return true;
  }
  if (a.is_object() && b.is_object()) {
    equal = a.size() == b.size();
    auto ib = b.begin();
    for (auto ia = a.begin(); equal && ia != a.end(); ++ia, ++ib) {
      // Objects built alike keep their keys in the same order: compare side by side and look
      // the key up only when the orders differ.
      const Json* other = nullptr;
      if (ib.key() == ia.key()) {
        other = &ib.value();
      } else {
        if (!ctx.step(column, 1 + b.size() / 32)) return false;
        auto found = b.find(ia.key());
        if (found == b.end()) {
          equal = false;
          break;
        }
        other = &found.value();
      }
      if (!deep_equal_at(ctx, column, ia.value(), *other, depth + 1, equal)) return false;
    }
    return true;
  }
  equal = scalar_equal(a, b);
  return true;
}

// Adds up the approximate size of `json` into `total`, giving up once it passes `budget`.
bool measure(const Json& json, size_t depth, size_t budget, size_t& total, bool& too_deep) {
  if (depth > kMaxValueDepth) {
    too_deep = true;
    return false;
  }
  total += shallow_bytes(json);
  if (total > budget) return false;
  if (json.is_array()) {
    for (const Json& element : json) {
      if (!measure(element, depth + 1, budget, total, too_deep)) return false;
    }
  } else if (json.is_object()) {
    for (auto it = json.begin(); it != json.end(); ++it) {
      total += it.key().size();
      if (!measure(it.value(), depth + 1, budget, total, too_deep)) return false;
    }
  }
  return true;
}

}  // namespace

bool deep_equal(EvalContext& ctx, size_t column, const Json& a, const Json& b, bool& equal) {
  return deep_equal_at(ctx, column, a, b, 0, equal);
}

void append_member(Json& object, const std::string& key, Json value) {
  object.get_ref<Json::object_t&>().Json::object_t::Container::emplace_back(key, std::move(value));
}

const Json& at_path(const Json& json, std::string_view path) {
  const Json* current = &json;
  while (true) {
    const size_t dot = path.find('.');
    const std::string_view part = path.substr(0, dot);
    if (current->is_object()) {
      auto found = current->find(part);
      if (found == current->end()) return null_json();
      current = &found.value();
    } else if (current->is_array()) {
      // At most 18 digits, so that the index cannot overflow.
      if (part.empty() || part.size() > 18 ||
          part.find_first_not_of("0123456789") != std::string_view::npos)
        return null_json();
      size_t index = 0;
      for (char c : part) index = index * 10 + static_cast<size_t>(c - '0');
      if (index >= current->size()) return null_json();
      current = &(*current)[index];
    } else {
      return null_json();
    }
    if (dot == std::string_view::npos) return *current;
    path.remove_prefix(dot + 1);
  }
}

size_t shallow_bytes(const Json& json) {
  switch (json.type()) {
    case Json::value_t::string: return sizeof(Json) + json.get_ref<const std::string&>().size();
    case Json::value_t::array: return sizeof(Json) + json.size() * sizeof(Json);
    case Json::value_t::object: return sizeof(Json) + json.size() * (sizeof(Json) + 32);
    default: return sizeof(Json);
  }
}

bool charge_copy(EvalContext& ctx, size_t column, const Json& json) {
  if (!json.is_structured()) return ctx.charge(column, shallow_bytes(json));
  size_t total = 0;
  bool too_deep = false;
  if (!measure(json, 0, ctx.memory_left(), total, too_deep)) {
    if (too_deep) {
      return ctx.fail(column,
                      "value nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
    }
  }
  return ctx.charge(column, total);
}

bool take_owned(EvalContext& ctx, size_t column, Value& value, Json& out) {
  if (!value.is_owned() && !charge_copy(ctx, column, value.get())) return false;
  out = value.release();
  return true;
}

}  // namespace weft::expr
