// Array functions (a few also take strings: slice, reverse, includes/contains, indexOf).
// Each charges one step per element it visits.
#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <vector>

#include "functions.hpp"
#include "utf8.hpp"

namespace weft::expr {

namespace {

bool first(Call& call, Value& out) {
  const Json* array = nullptr;
  if (!call.array_arg(0, array)) return false;
  out = std::move(call.value(0));
  if (out.get().empty()) {
    out.borrow(null_json());
  } else {
    out.narrow(out.get().front());
  }
  return true;
}

bool last(Call& call, Value& out) {
  const Json* array = nullptr;
  if (!call.array_arg(0, array)) return false;
  out = std::move(call.value(0));
  if (out.get().empty()) {
    out.borrow(null_json());
  } else {
    out.narrow(out.get().back());
  }
  return true;
}

// JavaScript's slice bounds: negative counts from the end, then clamped to [0, size].
size_t slice_bound(int64_t position, size_t size) {
  if (position < 0) position += static_cast<int64_t>(size);
  if (position < 0) return 0;
  return std::min(static_cast<size_t>(position), size);
}

bool slice(Call& call, Value& out) {
  const Json& x = call.arg(0);
  if (!x.is_array() && !x.is_string()) return call.type_error(0, "an array or a string");
  int64_t start = 0;
  if (!call.integer_arg(1, start)) return false;
  const size_t size = x.is_array() ? x.size() : utf8::count(x.get_ref<const std::string&>());
  int64_t end = static_cast<int64_t>(size);
  if (call.has(2) && !call.arg(2).is_null() && !call.integer_arg(2, end)) return false;
  const size_t from = slice_bound(start, size);
  const size_t to = std::max(from, slice_bound(end, size));
  if (x.is_string()) {
    const std::string_view s = x.get_ref<const std::string&>();
    const size_t begin = utf8::offset_of(s, from);
    const size_t finish = begin + utf8::offset_of(s.substr(begin), to - from);
    return set_string_copy(call, s.substr(begin, finish - begin), out);
  }
  if (!call.reserve_items(to - from)) return false;
  Json result = Json::array();
  for (size_t i = from; i < to; ++i) {
    if (!call.charge_copy(x[i])) return false;
    result.push_back(x[i]);
  }
  out.set(std::move(result));
  return true;
}

bool concat(Call& call, Value& out) {
  size_t items = 0;
  for (size_t i = 0; i < call.count(); ++i) {
    const Json* array = nullptr;
    if (!call.array_arg(i, array)) return false;
    items += array->size();
  }
  if (!call.reserve_items(items)) return false;
  Json result;
  if (!call.take(0, result)) return false;
  for (size_t i = 1; i < call.count(); ++i) {
    for (const Json& element : call.arg(i)) {
      if (!call.charge_copy(element)) return false;
      result.push_back(element);
    }
  }
  out.set(std::move(result));
  return true;
}

// Position of `needle` in argument 0 (an array, or a string searched for a substring), or -1.
bool find_position(const Call& call, int64_t& position) {
  const Json& haystack = call.arg(0);
  const Json& needle = call.arg(1);
  position = -1;
  if (haystack.is_string()) {
    if (!needle.is_string()) return call.type_error(1, "a string when searching a string");
    const std::string_view s = haystack.get_ref<const std::string&>();
    if (!call.step(1 + s.size() / 1024)) return false;
    const size_t at = s.find(needle.get_ref<const std::string&>());
    if (at != std::string_view::npos) position = static_cast<int64_t>(utf8::count(s.substr(0, at)));
    return true;
  }
  if (!haystack.is_array()) return call.type_error(0, "an array or a string");
  for (size_t i = 0; i < haystack.size(); ++i) {
    bool equal = false;
    if (!deep_equal(call.context(), call.column(), haystack[i], needle, equal)) return false;
    if (equal) {
      position = static_cast<int64_t>(i);
      return true;
    }
  }
  return true;
}

bool includes(Call& call, Value& out) {
  int64_t position = 0;
  if (!find_position(call, position)) return false;
  out.set(Json(position >= 0));
  return true;
}

bool index_of(Call& call, Value& out) {
  int64_t position = 0;
  if (!find_position(call, position)) return false;
  out.set(Json(position));
  return true;
}

struct ScalarHash {
  size_t operator()(const Json* json) const { return scalar_hash(*json); }
};
struct ScalarEqual {
  bool operator()(const Json* a, const Json* b) const { return scalar_equal(*a, *b); }
};

bool unique(Call& call, Value& out) {
  const Json* array = nullptr;
  if (!call.array_arg(0, array) || !call.step(array->size())) return false;
  // Scalars are deduplicated by hashing; arrays and objects by deep comparison with the
  // arrays and objects kept so far.
  std::unordered_set<const Json*, ScalarHash, ScalarEqual> seen_scalars;
  std::vector<const Json*> seen_structures;
  std::vector<size_t> kept;
  for (size_t i = 0; i < array->size(); ++i) {
    const Json& element = (*array)[i];
    bool duplicate = false;
    if (element.is_structured()) {
      for (const Json* earlier : seen_structures) {
        if (!deep_equal(call.context(), call.column(), *earlier, element, duplicate)) return false;
        if (duplicate) break;
      }
      if (!duplicate) seen_structures.push_back(&element);
    } else {
      duplicate = !seen_scalars.insert(&element).second;
    }
    if (!duplicate) kept.push_back(i);
  }
  if (!call.reserve_items(kept.size())) return false;
  Json result = Json::array();
  for (size_t i : kept) {
    if (!call.charge_copy((*array)[i])) return false;
    result.push_back((*array)[i]);
  }
  out.set(std::move(result));
  return true;
}

// The rank of a sort key's type; keys of different non-null types cannot be ordered.
int sort_rank(const Json& key) {
  if (key.is_null()) return 0;
  if (key.is_boolean()) return 1;
  if (key.is_number()) return 2;
  if (key.is_string()) return 3;
  return -1;
}

// Orders two keys of the same rank (or null against anything: null sorts first).
bool key_less(const Json& a, const Json& b) {
  const int ra = sort_rank(a), rb = sort_rank(b);
  if (ra != rb) return ra < rb;
  switch (ra) {
    case 1: return !a.get<bool>() && b.get<bool>();
    case 2: {
      Number x, y;
      to_number(a, x);
      to_number(b, y);
      return compare_numbers(x, y) < 0;
    }
    case 3: return a.get_ref<const std::string&>() < b.get_ref<const std::string&>();
    default: return false;
  }
}

bool sort(Call& call, Value& out) {
  const Json* array = nullptr;
  std::string_view key_path;
  const bool by_key = call.has(1);
  if (!call.array_arg(0, array) || (by_key && !call.string_arg(1, key_path))) return false;
  const size_t n = array->size();
  // Charged up front: the sort cannot stop half way.
  size_t log2n = 1;
  while ((size_t{1} << log2n) < n) ++log2n;
  if (!call.step(n * log2n)) return false;
  std::vector<const Json*> keys(n);
  int rank = 0;
  for (size_t i = 0; i < n; ++i) {
    keys[i] = by_key ? &at_path((*array)[i], key_path) : &(*array)[i];
    const int r = sort_rank(*keys[i]);
    if (r < 0 || (r > 0 && rank > 0 && r != rank)) {
      return call.fail(by_key ? "sort keys must be all numbers, all strings or all booleans "
                                "(null allowed)"
                              : "elements must be all numbers, all strings or all booleans "
                                "(null allowed); sort objects with sort(array, \"key\")");
    }
    if (r > 0) rank = r;
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return key_less(*keys[a], *keys[b]); });
  if (!call.reserve_items(n)) return false;
  Json source;
  if (!call.take(0, source)) return false;
  Json result = Json::array();
  result.get_ref<Json::array_t&>().reserve(n);
  for (size_t i : order) result.push_back(std::move(source[i]));
  out.set(std::move(result));
  return true;
}

bool reverse(Call& call, Value& out) {
  const Json& x = call.arg(0);
  if (x.is_string()) {
    const std::string_view s = x.get_ref<const std::string&>();
    if (!call.step(1 + s.size() / 1024)) return false;
    if (!call.reserve_string(s.size())) return false;
    std::string result(s.size(), '\0');
    // Each character is copied whole, from the back of the source to the front of the result.
    for (size_t pos = 0; pos < s.size();) {
      const size_t length = utf8::char_length(s, pos);
      s.copy(result.data() + (s.size() - pos - length), length, pos);
      pos += length;
    }
    out.set(Json(std::move(result)));
    return true;
  }
  if (!x.is_array()) return call.type_error(0, "an array or a string");
  if (!call.reserve_items(x.size())) return false;
  Json result;
  if (!call.take(0, result)) return false;
  auto& elements = result.get_ref<Json::array_t&>();
  std::reverse(elements.begin(), elements.end());
  out.set(std::move(result));
  return true;
}

// Sums the numbers of an array exactly in int64 while possible, then in double.
bool sum_of(const Call& call, const Json& array, Number& total) {
  total = {true, 0, 0};
  if (!call.step(array.size())) return false;
  for (size_t i = 0; i < array.size(); ++i) {
    Number n;
    if (!to_number(array[i], n)) {
      return call.fail("element " + std::to_string(i) + " must be a number, got " +
                       type_name(array[i]));
    }
    int64_t next = 0;
    if (total.is_integer && n.is_integer &&
        !__builtin_add_overflow(total.integer, n.integer, &next)) {
      total.integer = next;
    } else {
      total = {false, 0, total.as_double() + n.as_double()};
    }
  }
  return true;
}

bool set_finite(const Call& call, const Number& n, Value& out) {
  if (n.is_integer) {
    out.set(Json(n.integer));
    return true;
  }
  if (!std::isfinite(n.decimal)) return call.fail("result is not a finite number");
  out.set(Json(n.decimal));
  return true;
}

bool sum(Call& call, Value& out) {
  const Json* array = nullptr;
  Number total;
  return call.array_arg(0, array) && sum_of(call, *array, total) && set_finite(call, total, out);
}

bool avg(Call& call, Value& out) {
  const Json* array = nullptr;
  Number total;
  if (!call.array_arg(0, array) || !sum_of(call, *array, total)) return false;
  if (array->empty()) {
    out.set(Json());
    return true;
  }
  const double count = static_cast<double>(array->size());
  if (total.is_integer && total.integer % static_cast<int64_t>(array->size()) == 0) {
    return set_finite(call, {true, total.integer / static_cast<int64_t>(array->size()), 0}, out);
  }
  return set_finite(call, {false, 0, total.as_double() / count}, out);
}

bool count(Call& call, Value& out) {
  const Json* array = nullptr;
  if (!call.array_arg(0, array)) return false;
  out.set(Json(static_cast<int64_t>(array->size())));
  return true;
}

bool range(Call& call, Value& out) {
  int64_t start = 0, end = 0, step = 1;
  if (call.count() == 1) {
    if (!call.integer_arg(0, end)) return false;
  } else if (!call.integer_arg(0, start) || !call.integer_arg(1, end) ||
             (call.has(2) && !call.integer_arg(2, step))) {
    return false;
  }
  if (step == 0) return call.fail("step must not be 0");
  // Counted in unsigned 64 bits, which hold the distance between any two int64 values; checked
  // before allocating.
  uint64_t items = 0;
  if (step > 0 && end > start) {
    const uint64_t distance = static_cast<uint64_t>(end) - static_cast<uint64_t>(start);
    items = (distance - 1) / static_cast<uint64_t>(step) + 1;
  } else if (step < 0 && start > end) {
    const uint64_t distance = static_cast<uint64_t>(start) - static_cast<uint64_t>(end);
    const uint64_t stride = static_cast<uint64_t>(-(step + 1)) + 1;
    items = (distance - 1) / stride + 1;
  }
  if (items > call.limits().max_array_items) {
    return call.fail("result would have more than " +
                     std::to_string(call.limits().max_array_items) + " items");
  }
  if (!call.reserve_items(static_cast<size_t>(items))) return false;
  Json result = Json::array();
  result.get_ref<Json::array_t&>().reserve(static_cast<size_t>(items));
  // Modular arithmetic: every value lies between start and end, so the result is exact.
  for (uint64_t i = 0; i < items; ++i) {
    result.push_back(
        static_cast<int64_t>(static_cast<uint64_t>(start) + i * static_cast<uint64_t>(step)));
  }
  out.set(std::move(result));
  return true;
}

// Appends the elements of `array` to `out`, opening nested arrays down to `depth` levels.
bool flatten_into(const Call& call, const Json& array, int64_t depth, Json& out) {
  for (const Json& element : array) {
    if (element.is_array() && depth > 0) {
      if (!flatten_into(call, element, depth - 1, out)) return false;
      continue;
    }
    if (out.size() >= call.limits().max_array_items) {
      return call.fail("result would have more than " +
                       std::to_string(call.limits().max_array_items) + " items");
    }
    if (!call.step() || !call.charge_copy(element)) return false;
    out.push_back(element);
  }
  return true;
}

bool flatten(Call& call, Value& out) {
  const Json* array = nullptr;
  int64_t depth = 1;
  if (!call.array_arg(0, array) || (call.has(1) && !call.integer_arg(1, depth))) return false;
  const size_t max_depth = std::min(call.limits().max_depth, kMaxValueDepth);
  if (depth < 0 || static_cast<uint64_t>(depth) > max_depth) {
    return call.fail("depth must be between 0 and " + std::to_string(max_depth));
  }
  Json result = Json::array();
  if (!call.charge(sizeof(Json)) || !flatten_into(call, *array, depth, result)) return false;
  out.set(std::move(result));
  return true;
}

constexpr FunctionSpec kArrayFunctions[] = {
    {"first", 1, 1, true, first},       {"last", 1, 1, true, last},
    {"slice", 2, 3, true, slice},       {"concat", 1, kVariadic, true, concat},
    {"includes", 2, 2, true, includes}, {"contains", 2, 2, true, includes},
    {"indexOf", 2, 2, true, index_of},  {"unique", 1, 1, true, unique},
    {"sort", 1, 2, true, sort},         {"reverse", 1, 1, true, reverse},
    {"sum", 1, 1, true, sum},           {"avg", 1, 1, true, avg},
    {"count", 1, 1, true, count},       {"range", 1, 3, true, range},
    {"flatten", 1, 2, true, flatten},
};

}  // namespace

std::span<const FunctionSpec> array_functions() { return kArrayFunctions; }

}  // namespace weft::expr
