#include "http/json_body.hpp"

#include "http/headers.hpp"

namespace weft::http {

namespace {

struct TooDeep {};

// Line and column (1-based) of byte offset `offset`.
std::pair<size_t, size_t> position(std::string_view text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

Problem position_problem(std::string_view body, size_t offset, const std::string& what) {
  auto [line, col] = position(body, offset);
  Problem p = Problem::of(400, "the body is not valid JSON: line " + std::to_string(line) + ", column " +
                                   std::to_string(col) + ": " + what);
  p.with("line", line).with("column", col);
  return p;
}

}  // namespace

std::optional<Json> parse_json_body(std::string_view body, Problem& problem) {
  try {
    // The callback sees each value as it opens; deeper than the bound ends the parse.
    Json::parser_callback_t limit = [&](int depth, Json::parse_event_t event, Json&) {
      if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
          depth >= kMaxJsonDepth)
        throw TooDeep{};
      return true;
    };
    return Json::parse(body.begin(), body.end(), limit);
  } catch (const TooDeep&) {
    problem = Problem::of(400, "the body is not acceptable JSON: arrays and objects nest deeper than " +
                                   std::to_string(kMaxJsonDepth) + " levels");
    return std::nullopt;
  } catch (const Json::parse_error& e) {
    // e.what(): "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error
    // while parsing value - invalid literal; last read: 'x'". Keep the part after the position
    // and drop what was last read: it quotes the body, which may be a secret (a credential's
    // value whose closing quote is missing).
    std::string what = e.what();
    if (auto colon = what.find(": ", what.find("parse error")); colon != std::string::npos) what = what.substr(colon + 2);
    if (auto quoted = what.find("; last read"); quoted != std::string::npos) what.erase(quoted);
    problem = position_problem(body, e.byte == 0 ? 0 : e.byte - 1, what);
    return std::nullopt;
  }
}

bool is_json_content_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  if (equals_ignore_case(type, "application/json")) return true;
  return type.size() > 5 && equals_ignore_case(type.substr(type.size() - 5), "+json") &&
         type.find('/') != std::string_view::npos;
}

}  // namespace weft::http
