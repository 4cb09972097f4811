#include "render.hpp"

#include <charconv>

#include "eval_context.hpp"
#include "utf8.hpp"

namespace weft::expr {

namespace {

// Appends a number the way JSON writes it (a double always shows a '.' or an exponent).
void append_number(std::string& out, const Json& number) {
  char buffer[32];
  std::to_chars_result written{};
  switch (number.type()) {
    case Json::value_t::number_integer:
      written = std::to_chars(buffer, buffer + sizeof buffer, number.get<int64_t>());
      break;
    case Json::value_t::number_unsigned:
      written = std::to_chars(buffer, buffer + sizeof buffer, number.get<uint64_t>());
      break;
    default: {
      written = std::to_chars(buffer, buffer + sizeof buffer, number.get<double>());
      std::string_view digits(buffer, static_cast<size_t>(written.ptr - buffer));
      out.append(digits);
      if (digits.find_first_of(".e") == std::string_view::npos) out += ".0";
      return;
    }
  }
  out.append(buffer, written.ptr);
}

void append_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t pos = 0; pos < s.size();) {
    auto c = static_cast<unsigned char>(s[pos]);
    if (c >= 0x80) {
      size_t n = utf8::sequence_length(s, pos);
      if (n == 0) {
        out += "\\ufffd";
        ++pos;
      } else {
        out.append(s.substr(pos, n));
        pos += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++pos;
  }
  out += '"';
}

// Upper bound of the bytes append_escaped writes for `s` (every byte as \ufffd or \u00XX).
size_t escaped_bound(std::string_view s) { return 2 + 6 * s.size(); }

// append_escaped that leaves `out` within max_bytes: written directly when the bound fits,
// else escaped aside and measured (the text is at most a few times a string already held).
bool append_escaped_bounded(std::string& out, std::string_view s, size_t max_bytes) {
  if (out.size() + escaped_bound(s) <= max_bytes) {
    append_escaped(out, s);
    return true;
  }
  if (out.size() + s.size() + 2 > max_bytes) return false;
  std::string escaped;
  append_escaped(escaped, s);
  if (out.size() + escaped.size() > max_bytes) return false;
  out += escaped;
  return true;
}

RenderResult write_json(std::string& out, const Json& value, size_t max_bytes, size_t depth) {
  if (depth > kMaxValueDepth) return RenderResult::kTooDeep;
  switch (value.type()) {
    case Json::value_t::null: out += "null"; break;
    case Json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; break;
    case Json::value_t::string:
      if (!append_escaped_bounded(out, value.get_ref<const std::string&>(), max_bytes))
        return RenderResult::kTooLarge;
      break;
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& element : value) {
        if (!first) out += ',';
        first = false;
        if (out.size() > max_bytes) return RenderResult::kTooLarge;
        RenderResult r = write_json(out, element, max_bytes, depth + 1);
        if (r != RenderResult::kOk) return r;
      }
      out += ']';
      break;
    }
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ',';
        first = false;
        if (!append_escaped_bounded(out, it.key(), max_bytes)) return RenderResult::kTooLarge;
        out += ':';
        RenderResult r = write_json(out, it.value(), max_bytes, depth + 1);
        if (r != RenderResult::kOk) return r;
      }
      out += '}';
      break;
    }
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: append_number(out, value); break;
    default: out += "null"; break;  // binary and discarded values never reach expressions
  }
  return out.size() > max_bytes ? RenderResult::kTooLarge : RenderResult::kOk;
}

}  // namespace

RenderResult append_json(std::string& out, const Json& value, size_t max_bytes) {
  return write_json(out, value, max_bytes, 0);
}

RenderResult append_text(std::string& out, const Json& value, size_t max_bytes) {
  if (value.is_null()) return RenderResult::kOk;
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (out.size() + s.size() > max_bytes) return RenderResult::kTooLarge;
    out += s;
    return RenderResult::kOk;
  }
  return append_json(out, value, max_bytes);
}

}  // namespace weft::expr
