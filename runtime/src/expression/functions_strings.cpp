// String functions. Lengths and positions count characters (code points), never bytes.
#include <algorithm>

#include "functions.hpp"
#include "render.hpp"
#include "utf8.hpp"

namespace weft::expr {

namespace {

// One step per KiB scanned, so that scanning large strings is bounded like everything else.
bool scan(const Call& call, size_t bytes) { return call.step(1 + bytes / 1024); }

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool change_case(Call& call, Value& out, bool to_upper) {
  std::string_view s;
  if (!call.string_arg(0, s) || !scan(call, s.size()) || !call.reserve_string(s.size()))
    return false;
  std::string result(s);
  for (char& c : result) {
    if (to_upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!to_upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  out.set(Json(std::move(result)));
  return true;
}

bool upper(Call& call, Value& out) { return change_case(call, out, true); }
bool lower(Call& call, Value& out) { return change_case(call, out, false); }

bool trim(Call& call, Value& out) {
  std::string_view s;
  if (!call.string_arg(0, s)) return false;
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return set_string_copy(call, s, out);
}

bool length(Call& call, Value& out) {
  const Json& x = call.arg(0);
  size_t n = 0;
  if (x.is_string()) {
    const auto& s = x.get_ref<const std::string&>();
    if (!scan(call, s.size())) return false;
    n = utf8::count(s);
  } else if (x.is_array() || x.is_object()) {
    n = x.size();
  } else if (!x.is_null()) {
    return call.type_error(0, "a string, an array or an object");
  }
  out.set(Json(static_cast<int64_t>(n)));
  return true;
}

bool starts_with(Call& call, Value& out) {
  std::string_view s, prefix;
  if (!call.string_arg(0, s) || !call.string_arg(1, prefix)) return false;
  out.set(Json(s.starts_with(prefix)));
  return true;
}

bool ends_with(Call& call, Value& out) {
  std::string_view s, suffix;
  if (!call.string_arg(0, s) || !call.string_arg(1, suffix)) return false;
  out.set(Json(s.ends_with(suffix)));
  return true;
}

bool replace(Call& call, Value& out) {
  std::string_view s, search, replacement;
  if (!call.string_arg(0, s) || !call.string_arg(1, search) || !call.string_arg(2, replacement))
    return false;
  if (search.empty()) return call.fail("the search string must not be empty");
  if (!scan(call, s.size())) return false;
  size_t matches = 0;
  for (size_t at = s.find(search); at != std::string_view::npos;
       at = s.find(search, at + search.size()))
    ++matches;
  // Sizes are bounded by max_string_bytes, so this cannot overflow.
  const size_t size = s.size() - matches * search.size() + matches * replacement.size();
  if (!call.reserve_string(size)) return false;
  std::string result;
  result.reserve(size);
  size_t from = 0;
  for (size_t at = s.find(search); at != std::string_view::npos; at = s.find(search, from)) {
    result.append(s.substr(from, at - from));
    result.append(replacement);
    from = at + search.size();
  }
  result.append(s.substr(from));
  out.set(Json(std::move(result)));
  return true;
}

bool split(Call& call, Value& out) {
  std::string_view s, separator;
  if (!call.string_arg(0, s) || !call.string_arg(1, separator) || !scan(call, s.size()))
    return false;
  size_t parts = 0;
  if (separator.empty()) {
    parts = utf8::count(s);
  } else {
    parts = 1;
    for (size_t at = s.find(separator); at != std::string_view::npos;
         at = s.find(separator, at + separator.size()))
      ++parts;
  }
  if (!call.reserve_items(parts) || !call.charge(s.size())) return false;
  Json result = Json::array();
  result.get_ref<Json::array_t&>().reserve(parts);
  if (separator.empty()) {
    for (size_t pos = 0; pos < s.size();) {
      size_t n = utf8::char_length(s, pos);
      result.push_back(std::string(s.substr(pos, n)));
      pos += n;
    }
  } else {
    size_t from = 0;
    for (size_t at = s.find(separator); at != std::string_view::npos;
         at = s.find(separator, from)) {
      result.push_back(std::string(s.substr(from, at - from)));
      from = at + separator.size();
    }
    result.push_back(std::string(s.substr(from)));
  }
  out.set(std::move(result));
  return true;
}

bool join(Call& call, Value& out) {
  const Json* array = nullptr;
  std::string_view separator = ",";
  if (!call.array_arg(0, array) || (call.has(1) && !call.string_arg(1, separator))) return false;
  if (!call.step(array->size())) return false;
  const size_t max_bytes = call.limits().max_string_bytes;
  std::string result;
  for (size_t i = 0; i < array->size(); ++i) {
    if (i > 0) {
      if (result.size() + separator.size() > max_bytes) return string_too_long(call);
      result.append(separator);
    }
    if (append_text(result, (*array)[i], max_bytes) != RenderResult::kOk)
      return string_too_long(call);
  }
  return set_rendered_string(call, std::move(result), out);
}

// Clamps a character position into [0, length].
size_t clamp_position(int64_t position, size_t length) {
  if (position < 0) return 0;
  return std::min(static_cast<size_t>(position), length);
}

bool substring(Call& call, Value& out) {
  std::string_view s;
  int64_t start = 0;
  if (!call.string_arg(0, s) || !call.integer_arg(1, start) || !scan(call, s.size())) return false;
  const size_t length = utf8::count(s);
  int64_t end = static_cast<int64_t>(length);
  if (call.has(2) && !call.arg(2).is_null() && !call.integer_arg(2, end)) return false;
  const size_t from = clamp_position(start, length);
  const size_t to = clamp_position(end, length);
  if (to <= from) return set_string_copy(call, {}, out);
  const size_t begin = utf8::offset_of(s, from);
  const size_t finish = begin + utf8::offset_of(s.substr(begin), to - from);
  return set_string_copy(call, s.substr(begin, finish - begin), out);
}

bool pad(Call& call, Value& out, bool at_start) {
  std::string_view s, fill = " ";
  int64_t target = 0;
  if (!call.string_arg(0, s) || !call.integer_arg(1, target)) return false;
  if (call.has(2) && !call.string_arg(2, fill)) return false;
  if (fill.empty()) return call.fail("the fill string must not be empty");
  const size_t length = utf8::count(s);
  if (target <= 0 || static_cast<uint64_t>(target) <= length) {
    return set_string_copy(call, s, out);
  }
  const size_t missing = static_cast<size_t>(target) - length;
  // Checked before building: `missing` may be anything up to 2^63.
  if (missing > call.limits().max_string_bytes) return string_too_long(call);
  const size_t fill_length = utf8::count(fill);
  const size_t whole = missing / fill_length;
  const std::string_view partial = fill.substr(0, utf8::offset_of(fill, missing % fill_length));
  const size_t size = s.size() + whole * fill.size() + partial.size();
  if (!call.reserve_string(size)) return false;
  std::string result;
  result.reserve(size);
  if (!at_start) result.append(s);
  for (size_t i = 0; i < whole; ++i) result.append(fill);
  result.append(partial);
  if (at_start) result.append(s);
  out.set(Json(std::move(result)));
  return true;
}

bool pad_start(Call& call, Value& out) { return pad(call, out, true); }
bool pad_end(Call& call, Value& out) { return pad(call, out, false); }

bool to_string(Call& call, Value& out) {
  if (call.arg(0).is_string()) {
    out = std::move(call.value(0));
    return true;
  }
  std::string text;
  switch (append_text(text, call.arg(0), call.limits().max_string_bytes)) {
    case RenderResult::kOk: return set_rendered_string(call, std::move(text), out);
    case RenderResult::kTooLarge: return string_too_long(call);
    case RenderResult::kTooDeep: break;
  }
  return value_too_deep(call);
}

constexpr FunctionSpec kStringFunctions[] = {
    {"upper", 1, 1, true, upper},         {"lower", 1, 1, true, lower},
    {"trim", 1, 1, true, trim},           {"length", 1, 1, true, length},
    {"len", 1, 1, true, length},          {"startsWith", 2, 2, true, starts_with},
    {"endsWith", 2, 2, true, ends_with},  {"replace", 3, 3, true, replace},
    {"split", 2, 2, true, split},         {"join", 1, 2, true, join},
    {"substring", 2, 3, true, substring}, {"padStart", 2, 3, true, pad_start},
    {"padEnd", 2, 3, true, pad_end},      {"string", 1, 1, true, to_string},
};

}  // namespace

std::span<const FunctionSpec> string_functions() { return kStringFunctions; }

}  // namespace weft::expr
